"""Who is told what: the notifications of a comment, a reply, a like and a new post, and the
e-mails among them (comments and replies are mailed by planner/notifications.py)."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from planner.models import Comment, Like, Visibility, Year
from planner.tasks import one_line, queue_email, queue_email_with_transaction
from yearloop.site import absolute_url

from .notifications import Kind, Notification, NotificationPreferences


def wants_email(person: User, kind: str) -> bool:
    """Whether this person wants e-mail of this kind (and may get any)."""
    if not (person.is_active and person.email):
        return False
    if kind in (Kind.COMMENT, Kind.REPLY) and not person.email_on_comments:
        return False
    return NotificationPreferences.of(person).wants_email(kind)


def replied_to(comment: Comment) -> User | None:
    """Whose comment a reply answers: the one it names, else its thread's first."""
    answered = comment.reply_to or comment.parent
    return answered.author if answered is not None else None


def _unique() -> str:
    return uuid.uuid4().hex


def notify_of_comment(comment: Comment) -> None:
    """The replied-to author hears of a reply; the post's owner of any comment (once)."""
    told = {comment.author_id}
    recipients = []
    if comment.parent_id and (person := replied_to(comment)) and person.pk not in told:
        told.add(person.pk)
        recipients.append((person.pk, Kind.REPLY))
    if comment.year.owner_id not in told:
        recipients.append((comment.year.owner_id, Kind.COMMENT))
    Notification.objects.bulk_create(
        Notification(
            recipient_id=recipient,
            kind=kind,
            post_id=comment.year_id,
            actor_id=comment.author_id,
            comment=comment,
            group=_unique(),
        )
        for recipient, kind in recipients
    )


def notify_of_like(like: Like) -> None:
    """The post's owner hears of a like; the likes of a post on one day are one item, and
    at most one e-mail."""
    post = like.year
    if post.owner_id == like.user_id:
        return
    day = timezone.localdate()
    group = f"like:{post.pk}:{day.isoformat()}"
    # In the like's own transaction (no savepoint: nothing here is undone on its own).
    with transaction.atomic(savepoint=False):
        # Two likes at once wait here for each other, so only one of them is first today: the
        # lock holds until the like commits. NO KEY UPDATE, as each like's insert holds a KEY
        # SHARE lock on the post's row, which a plain FOR UPDATE would deadlock on.
        list(Year.objects.select_for_update(no_key=True).filter(pk=post.pk).values_list("pk"))
        first_today = not Notification.objects.filter(
            recipient_id=post.owner_id, group=group
        ).exists()
        Notification.objects.create(
            recipient_id=post.owner_id,
            kind=Kind.LIKE,
            post=post,
            actor_id=like.user_id,
            like=like,
            group=group,
        )
    if first_today and wants_email(post.owner, Kind.LIKE):
        with translation.override(post.owner.mail_language):
            queue_email(**like_email(post, like.user))


def followers_not_told(post: Year):
    """The writer's active followers who have not heard of this post yet, in a fixed order."""
    told = Notification.objects.filter(recipient=OuterRef("pk"), post=post, kind=Kind.NEW_POST)
    return (
        User.objects.filter(following__writer_id=post.owner_id, is_active=True)
        .exclude(Exists(told))
        .order_by("pk")
    )


def tell_of_new_post(post: Year, followers: list[User], run: str) -> int:
    """Each of these followers hears of the post once: a notice, and the e-mail if they want
    it, queued in the current transaction. A notice another run wrote first is theirs, as is
    its e-mail. How many this run told."""
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=person,
                kind=Kind.NEW_POST,
                post=post,
                actor_id=post.owner_id,
                group=f"new:{run}:{person.pk}",
            )
            for person in followers
        ],
        ignore_conflicts=True,
    )
    ours = set(
        Notification.objects.filter(
            post=post, kind=Kind.NEW_POST, group__startswith=f"new:{run}:", recipient__in=followers
        ).values_list("recipient_id", flat=True)
    )
    mailed = set(mailed_of_new_posts(User.objects.filter(pk__in=ours)).values_list("pk", flat=True))
    for person in followers:
        if person.pk in mailed:
            with translation.override(person.mail_language):
                queue_email_with_transaction(**new_post_email(post, person))
    return len(ours)


def mailed_of_new_posts(people):
    """Those of `people` who get the e-mail of a new post by a writer they follow: the
    followers' task mails them, and the subscribers' mail leaves their addresses out."""
    return people.exclude(email="").exclude(notification_preferences__email_new_post=False)


def _mail(template: str, to: User, subject: str, context: dict) -> dict:
    context = {
        **context,
        "person": to,
        "subject": subject,
        "settings_url": absolute_url(reverse("accounts:profile_edit")),
    }
    return {
        "to": [to.email],
        "subject": subject,
        "text": render_to_string(f"readers/email/{template}.txt", context),
        "html": render_to_string(f"readers/email/{template}.html", context),
    }


def like_email(post: Year, liker: User) -> dict:
    names = {"name": liker.name, "title": post.display_title}
    subject = one_line(_("%(name)s liked your post “%(title)s”") % names)
    link = absolute_url(reverse("readers:notifications"))
    return _mail("like_notice", post.owner, subject, {"post": post, "liker": liker, "link": link})


def new_post_email(post: Year, person: User) -> dict:
    names = {"name": post.owner.name, "title": post.display_title}
    subject = one_line(_("%(name)s published “%(title)s”") % names)
    link = absolute_url(post.get_absolute_url())
    context = {
        "post": post,
        "writer": post.owner,
        "link": link,
        "unlisted": post.visibility == Visibility.UNLISTED,
    }
    return _mail("new_post_notice", person, subject, context)
