"""Published, queued in the database, sent by a worker to a real SMTP server: the mail
arrives with its one-click unsubscribe headers, and the task list keeps no unsubscribe key."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest
from django_tasks_db.models import DBTaskResult

from planner.models import Visibility
from readers.models import Subscription, SubscriptionStatus
from tests.factory import make_year
from tests.planner.test_task_worker import queued, run_queued_tasks, smtp  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_worker_sends_each_announcement_with_its_headers(
    queued,  # noqa: F811
    smtp,  # noqa: F811
    owner,
    django_capture_on_commit_callbacks,
):
    for language in ("en", "ko"):
        Subscription.objects.create(
            writer=owner,
            email=f"{language}@example.com",
            language=language,
            status=SubscriptionStatus.CONFIRMED,
        )
    with django_capture_on_commit_callbacks(execute=True):
        make_year(owner, year=2025, visibility=Visibility.UNLISTED)

    run_queued_tasks()  # the announcement, which queues the two mails
    run_queued_tasks()  # the mails

    by_address = {message["To"]: message for message in smtp.messages}
    assert sorted(by_address) == ["en@example.com", "ko@example.com"]
    for address, message in by_address.items():
        key = Subscription.objects.get(email=address).unsubscribe_key
        assert message["List-Unsubscribe"] == (
            f"<http://127.0.0.1:8000/subscriptions/unsubscribe/{key}/>"
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert key not in str(
            DBTaskResult.objects.filter(task_path="planner.tasks.send_email").values_list(
                "args_kwargs", flat=True
            )
        )
    subject = by_address["ko@example.com"]["Subject"]
    assert str(make_header(decode_header(subject))) == (
        "Olivia Owner 님이 “2025년 결산 및 2026년 계획” 글을 발행했습니다"
    )
