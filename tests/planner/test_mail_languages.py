"""E-mail goes out in its recipient's language, whatever the language of the request that
caused it; without a stored language, in the site's."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from planner.models import Visibility
from tests.factory import make_comment, make_goal, make_year

pytestmark = pytest.mark.django_db

KOREAN_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "ko-KR,ko;q=0.9"}


@pytest.fixture
def post(owner):
    return make_year(owner, year=2025, visibility=Visibility.PUBLIC)


def test_it_writes_comment_mail_in_each_recipients_language(
    client, post, owner, reader, stranger, django_capture_on_commit_callbacks
):
    reader.language = "ko"
    reader.save()
    comment = make_comment(post, reader)
    client.force_login(stranger)

    with django_capture_on_commit_callbacks(execute=True):
        # The commenter reads in Korean; the owner chose no language.
        client.post(
            reverse("planner:comment_create", args=["owner", 2025]),
            {"body": "Agreed!", "parent": comment.pk},
            **KOREAN_BROWSER,
        )

    by_address = {message.to[0]: message for message in mail.outbox}
    korean, english = by_address["reader@example.com"], by_address["owner@example.com"]
    assert (
        korean.subject
        == "stranger 님이 “2025년 결산 및 2026년 계획”에 남긴 내 댓글에 답글을 달았습니다"
    )
    assert korean.body.startswith("Rae Reader 님, 안녕하세요.")
    assert "읽고 답하기:" in korean.body
    assert "읽고 답하기</a>" in korean.alternatives[0][0]
    assert english.subject == "stranger commented on “2025 review and 2026 plan”"
    assert english.body.startswith("Hello Olivia Owner,")


def test_it_writes_reminders_in_the_recipients_language(
    owner, reader, django_capture_on_commit_callbacks
):
    reader.language = "ko"
    reader.save()
    for person in (owner, reader):
        make_goal(make_year(person, year=2026, visibility=Visibility.PRIVATE))

    with (
        time_machine.travel("2026-09-01 07:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_reminders", stdout=io.StringIO())

    by_address = {message.to[0]: message for message in mail.outbox}
    korean, english = by_address["reader@example.com"], by_address["owner@example.com"]
    assert korean.subject == "5월 ~ 8월 기간이 끝났습니다: 회고를 써 보세요"
    assert "2026년 5월 ~ 8월 기간이 끝났습니다." in korean.body
    assert "알림을 켜 두셨기 때문에" in korean.alternatives[0][0]
    assert english.subject == "May–August is over: write its retrospective"
    assert "May–August 2026 is over." in english.body


@pytest.mark.parametrize(("stored", "subject"), [("ko", "Yearloop 비밀번호 재설정"), ("", None)])
def test_it_writes_the_password_reset_mail_in_the_accounts_language(
    client, owner, stored, subject, django_capture_on_commit_callbacks
):
    owner.language = stored
    owner.save()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "owner@example.com"}, **KOREAN_BROWSER)
        client.post(reverse("password_reset"), {"email": "owner@example.com"})

    korean_page, english_page = mail.outbox
    assert korean_page.subject == "Yearloop 비밀번호 재설정"
    # Without a stored language the mail follows the page it was asked for on.
    assert english_page.subject == (subject or "Reset your Yearloop password")
