"""Two likes of one post at the same moment: the writer still gets one e-mail that day.

Through the like button, planner's receiver updates the post's cache version before the
notification is written, and that update happens to lock the post's row; notify_of_like
must not depend on it, so the second test calls it alone. SQLite runs one writing
transaction at a time, so only PostgreSQL really overlaps them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django.core import mail
from django.db import transaction

from planner.models import Like
from readers.models import Notification, NotificationPreferences
from readers.notify import notify_of_like
from tests.at_once import at_once
from tests.factory import make_user, make_year

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def post(owner):
    post = make_year(owner, year=2025, title="Sea and code")
    NotificationPreferences.objects.create(user=owner, email_like=True)
    mail.outbox.clear()
    return post


def slowly(action: Callable[[], object]) -> Callable[[], None]:
    """The action in a transaction that stays open a moment, as a slow request's would: two
    of them look for today's first like while the other has not committed."""

    def run() -> None:
        with transaction.atomic():
            action()
            time.sleep(0.5)

    return run


def test_two_likes_at_once_mail_the_writer_once(post, owner):
    likers = [make_user("rae"), make_user("sam")]

    at_once([slowly(lambda p=p: Like.objects.set(post, p, liked=True)) for p in likers])

    assert Notification.objects.filter(recipient=owner, like__isnull=False).count() == 2
    assert [message.to for message in mail.outbox] == [["owner@example.com"]]


def test_two_notifications_of_likes_at_once_mail_the_writer_once(post, owner):
    # Written without signals: the notifications below are the only ones.
    Like.objects.bulk_create(Like(year=post, user=make_user(name)) for name in ("rae", "sam"))
    likes = list(Like.objects.select_related("year__owner", "user").filter(year=post))

    at_once([slowly(lambda like=like: notify_of_like(like)) for like in likes])

    assert Notification.objects.filter(recipient=owner, like__isnull=False).count() == 2
    assert [message.to for message in mail.outbox] == [["owner@example.com"]]
