"""A published post told by the worker: to its writer's followers (a notice each, and the
e-mail to those who want it) and to the e-mail subscribers.

Both go in batches, each in a transaction of its own. Followers: a notice is unique per
follower and post, and an e-mail is queued only with a notice this run wrote. Subscribers:
a `Delivery` row is written for each subscriber (unique per subscription and post) and its
mail is queued (with the worker's database queue, its task row is written in that same
transaction; planner.tasks.queue_email_with_transaction). A second run of a task, or a run
taken over from a worker that died mid-batch, finds the rows of the batches that committed
and goes on with the others: each follower and subscriber hears of a post once.
"""

from __future__ import annotations

import logging
import uuid

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.tasks import task

from accounts.models import User
from planner.models import Visibility, Year
from planner.tasks import queue_email_with_transaction

from . import notify
from .models import Delivery, Subscription
from .subscriptions import announcement_email

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
FOLLOWERS_BATCH_SIZE = 500


def still_to_tell(post_id: int) -> Year | None:
    """The post, unless deleted, made private again, or its writer's account closed since
    it was published."""
    post = Year.objects.select_related("owner").filter(pk=post_id).first()
    if post is None or post.visibility == Visibility.PRIVATE or not post.owner.is_active:
        return None
    return post


@task
def tell_followers(post_id: int) -> int:
    """A notice of a newly published post for each follower not told yet, and the e-mail
    to those who want it; how many this run told."""
    post = still_to_tell(post_id)
    if post is None:
        return 0
    run = uuid.uuid4().hex
    told = 0
    while True:
        with transaction.atomic():
            batch = list(notify.followers_not_told(post)[:FOLLOWERS_BATCH_SIZE])
            if not batch:
                break
            told += notify.tell_of_new_post(post, batch, run)
    logger.info("Told %d follower(s) of %s.", told, post)
    return told


@task
def announce_post(post_id: int) -> int:
    """Queue the mail about a newly published post to each confirmed subscriber who has not
    had it; how many mails this run queued."""
    post = still_to_tell(post_id)
    if post is None:
        return 0
    run = uuid.uuid4()
    queued = 0
    while True:
        with transaction.atomic():
            batch = list(next_batch(post))
            if not batch:
                break
            Delivery.objects.bulk_create(
                [Delivery(subscription=s, post=post, run=run) for s in batch],
                ignore_conflicts=True,  # another run got there first: its mail, not ours
            )
            ours = set(
                Delivery.objects.filter(post=post, run=run, subscription__in=batch).values_list(
                    "subscription_id", flat=True
                )
            )
            for subscription in batch:
                if subscription.pk in ours:
                    queue_email_with_transaction(**announcement_email(subscription, post))
                    queued += 1
    logger.info("Announced %s to %d subscriber(s).", post, queued)
    return queued


def next_batch(post: Year):
    delivered = Delivery.objects.filter(subscription=OuterRef("pk"), post=post)
    return (
        Subscription.objects.confirmed()
        .filter(writer_id=post.owner_id)
        .exclude(Exists(delivered))
        .exclude(email__in=mailed_as_followers(post))
        .order_by("pk")[:BATCH_SIZE]
    )


def mailed_as_followers(post: Year):
    """The addresses of followers who get the post's mail as followers (tell_followers):
    subscribed as well, they get one mail, not two."""
    followers = User.objects.filter(following__writer_id=post.owner_id, is_active=True)
    return notify.mailed_of_new_posts(followers).values(address=Lower("email"))
