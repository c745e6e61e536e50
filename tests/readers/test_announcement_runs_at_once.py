"""Two runs of the announcement at the same time (a task queued twice, a worker taken for dead
while still running): each subscriber still gets one mail."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core import mail

from planner.models import Visibility
from readers import tasks
from readers.models import Delivery, Subscription, SubscriptionStatus
from tests.at_once import at_once
from tests.factory import make_year

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_runs_at_once_mail_each_subscriber_once(owner, monkeypatch):
    monkeypatch.setattr(tasks, "BATCH_SIZE", 3)
    Subscription.objects.bulk_create(
        Subscription(
            writer=owner,
            email=f"fan{i}@example.com",
            language="en",
            status=SubscriptionStatus.CONFIRMED,
        )
        for i in range(20)
    )
    post = make_year(owner, year=2025, visibility=Visibility.PRIVATE)
    # Published without the signal: the runs below are the only announcements.
    type(post).objects.filter(pk=post.pk).update(visibility=Visibility.PUBLIC)
    mail.outbox.clear()

    def run() -> int:
        return tasks.announce_post.call(post_id=post.pk)

    queued = at_once([run, run])

    assert sum(queued) == 20
    assert Delivery.objects.filter(post=post).count() == 20
    assert Counter(message.to[0] for message in mail.outbox) == {
        f"fan{i}@example.com": 1 for i in range(20)
    }
