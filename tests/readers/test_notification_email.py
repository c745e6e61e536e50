"""E-mail per kind: chosen in the profile, in the recipient's language, likes at most once
a day per post, names kept to one subject line."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from planner.models import Like, Visibility
from readers.models import Follow, NotificationPreferences
from tests.factory import make_comment, make_user, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(owner):
    return make_year(owner, year=2025, title="Sea and code")


def test_a_new_post_is_mailed_to_followers_in_their_language(
    owner, reader, django_capture_on_commit_callbacks
):
    korean = make_user("minji", display_name="Minji", language="ko")
    quiet = make_user("quiet")
    NotificationPreferences.objects.create(user=quiet, email_new_post=False)
    for person in (reader, korean, quiet):
        Follow.objects.create(follower=person, writer=owner)

    with django_capture_on_commit_callbacks(execute=True):
        post = make_year(owner, year=2026, title="Next year")

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"reader@example.com", "minji@example.com"}
    english = by_address["reader@example.com"]
    assert english.subject == "Olivia Owner published “Next year”"
    assert post.get_absolute_url() in english.body
    assert "published" not in by_address["minji@example.com"].subject


def test_an_unlisted_post_is_told_too_but_a_private_one_is_not(
    owner, reader, django_capture_on_commit_callbacks
):
    Follow.objects.create(follower=reader, writer=owner)
    with django_capture_on_commit_callbacks(execute=True):
        make_year(owner, year=2026, visibility=Visibility.PRIVATE)
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        make_year(owner, year=2027, visibility=Visibility.UNLISTED)

    assert len(mail.outbox) == 1


def test_likes_are_mailed_at_most_once_a_day_per_post(
    post, owner, reader, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC))
    NotificationPreferences.objects.create(user=owner, email_like=True)
    fan = make_user("fan", display_name="Fan")
    with django_capture_on_commit_callbacks(execute=True):
        Like.objects.set(post, reader, liked=True)
        Like.objects.set(post, fan, liked=True)
        Like.objects.set(post, reader, liked=False)
        Like.objects.set(post, reader, liked=True)
    assert [message.subject for message in mail.outbox] == [
        "Rae Reader liked your post “Sea and code”"
    ]

    time_machine.move_to(datetime.datetime(2026, 3, 3, 10, tzinfo=datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        Like.objects.set(post, make_user("late"), liked=True)
    assert len(mail.outbox) == 2


def test_likes_are_not_mailed_unless_chosen(post, reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Like.objects.set(post, reader, liked=True)

    assert mail.outbox == []


def test_a_name_with_line_breaks_stays_on_one_subject_line(
    post, owner, reader, django_capture_on_commit_callbacks
):
    NotificationPreferences.objects.create(user=owner, email_like=True)
    reader.display_name = "Rae\nBcc: evil@example.com"
    reader.save()

    with django_capture_on_commit_callbacks(execute=True):
        Like.objects.set(post, reader, liked=True)

    (message,) = mail.outbox
    assert "\n" not in message.subject
    assert message.to == ["owner@example.com"] and not message.bcc


def test_reply_mail_is_chosen_apart_from_comment_mail(
    client, post, owner, reader, django_capture_on_commit_callbacks
):
    NotificationPreferences.objects.create(user=reader, email_reply=False)
    first = make_comment(post, reader)
    client.force_login(make_user("stranger"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("planner:comment_create", args=["owner", 2025]),
            {"body": "Agreed!", "parent": first.pk},
        )

    assert [message.to for message in mail.outbox] == [["owner@example.com"]]


def test_the_profile_page_saves_each_choice(client, owner):
    client.force_login(owner)
    page = client.get(reverse("accounts:profile_edit")).text
    assert 'name="email_like"' in page and 'name="in_app_new_post"' in page

    response = client.post(
        reverse("accounts:profile_edit"),
        {
            "display_name": "Olivia Owner",
            "language": "",
            "email": "owner@example.com",
            "email_on_comments": "on",
            "in_app_comment": "on",
            "email_like": "on",
            "in_app_new_post": "on",
        },
    )

    assert response.status_code == 302
    saved = NotificationPreferences.objects.get(user=owner)
    assert saved.email_like and saved.in_app_comment and saved.in_app_new_post
    assert not saved.email_new_post and not saved.in_app_like and not saved.email_reply
