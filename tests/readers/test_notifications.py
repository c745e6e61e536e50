"""The notification list and the bell: what each person is told, grouped likes, read once
shown, and only what the recipient may see now, of the kinds they keep on."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from planner.models import Like, Visibility
from readers.bell import unread_count
from readers.models import Follow, Notification, NotificationPreferences
from tests.factory import make_comment, make_user, make_year

pytestmark = pytest.mark.django_db

LIST = reverse("readers:notifications")


@pytest.fixture
def post(owner):
    return make_year(owner, year=2025, title="Sea and code")


def bell(client) -> str:
    """The bell's count as the header shows it on the dashboard ('' for none)."""
    html = client.get(reverse("planner:home")).text
    region = html.split('class="bell"')[1].split("</a>")[0]
    if 'class="bell-count"' not in region:
        return ""
    return region.split('class="bell-count">')[1].split("<")[0]


def items(client) -> list[str]:
    html = client.get(LIST).text
    if 'class="notification-list"' not in html:
        return []
    listed = html.split('class="notification-list"')[1].split("</ol>")[0]
    return [
        " ".join(part.split("</li>")[0].split())
        for part in listed.split('<li class="notification')[1:]
    ]


def test_the_owner_hears_of_a_comment_and_the_commenter_does_not(client, post, owner, reader):
    comment = make_comment(post, reader)

    client.force_login(owner)
    assert bell(client) == "1"
    listed = items(client)
    assert len(listed) == 1
    assert "Rae Reader commented on" in listed[0]
    assert reverse("planner:comment_link", args=[comment.pk]) in listed[0]
    client.force_login(reader)
    assert items(client) == []


def test_a_reply_tells_the_author_of_the_comment_it_answers(client, post, owner, reader):
    first = make_comment(post, reader)
    stranger = make_user("stranger", display_name="Sam Stranger")
    reply = make_comment(post, stranger, parent=first)
    make_comment(post, reader, parent=first, reply_to=reply)

    client.force_login(stranger)
    assert [text for text in items(client) if "replied to your comment" in text]
    client.force_login(reader)
    replies = [text for text in items(client) if "replied to your comment" in text]
    assert len(replies) == 1 and "Sam Stranger" in replies[0]
    client.force_login(owner)
    assert len([text for text in items(client) if "commented on" in text]) == 3


def test_likes_of_a_post_on_one_day_are_one_item(client, post, owner, reader, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC))
    others = [make_user(f"fan{i}", display_name=f"Fan {i}") for i in range(2)]
    for person in [reader, *others]:
        Like.objects.create(year=post, user=person)

    client.force_login(owner)
    assert bell(client) == "1"
    listed = items(client)
    assert len(listed) == 1
    assert "and 2 other people liked" in listed[0]
    time_machine.move_to(datetime.datetime(2026, 3, 3, 10, tzinfo=datetime.UTC))
    Like.objects.filter(user=reader).delete()
    Like.objects.create(year=post, user=reader)
    assert bell(client) == "1"
    listed = items(client)
    assert len(listed) == 2
    assert "Rae Reader liked" in listed[0]


def test_a_like_taken_back_is_no_longer_shown(client, post, owner, reader):
    Like.objects.set(post, reader, liked=True)
    client.force_login(owner)
    assert bell(client) == "1"

    Like.objects.set(post, reader, liked=False)

    assert bell(client) == ""
    assert items(client) == []


def test_the_list_marks_what_it_showed_as_read(client, post, owner, reader):
    make_comment(post, reader)
    make_comment(post, reader, body="And another thing.")
    client.force_login(owner)
    assert bell(client) == "2"

    first = client.get(LIST)

    assert first.text.count('class="notification-new"') == 2
    assert "no-store" in first["Cache-Control"]
    assert not first.has_header("X-Offline-Copy")  # the installed app never keeps it
    assert bell(client) == ""
    assert client.get(LIST).text.count('class="notification-new"') == 0
    assert len(items(client)) == 2


def test_a_followed_writers_new_post_is_told_to_followers(
    client, owner, reader, django_capture_on_commit_callbacks
):
    Follow.objects.create(follower=reader, writer=owner)
    with django_capture_on_commit_callbacks(execute=True):
        make_year(owner, year=2026, title="Next year, at last")

    client.force_login(reader)
    assert bell(client) == "1"
    assert "Olivia Owner published" in items(client)[0]
    assert "Next year, at last" in client.get(LIST).text


def test_a_post_made_private_drops_out_of_every_list_and_count(
    client, post, owner, reader, django_capture_on_commit_callbacks
):
    Follow.objects.create(follower=reader, writer=owner)
    with django_capture_on_commit_callbacks(execute=True):
        later = make_year(owner, year=2026, title="Soon private")
    make_comment(post, reader)
    client.force_login(reader)
    assert bell(client) == "1"

    later.visibility = Visibility.PRIVATE
    later.save()
    post.visibility = Visibility.PRIVATE
    post.save()

    assert bell(client) == ""
    assert "Soon private" not in client.get(LIST).text
    client.force_login(owner)
    assert bell(client) == ""
    assert items(client) == []


def test_a_removed_comment_and_a_deactivated_account_drop_out(client, post, owner, reader):
    comment = make_comment(post, reader, body="Removed later")
    other = make_user("other", display_name="Otto Other")
    make_comment(post, other, body="By someone who leaves")
    client.force_login(owner)
    assert bell(client) == "2"

    comment.remove(by=owner)
    other.is_active = False
    other.save()

    assert bell(client) == ""
    assert items(client) == []


def test_a_kind_turned_off_is_not_shown(client, post, owner, reader):
    make_comment(post, reader)
    Like.objects.create(year=post, user=reader)
    NotificationPreferences.objects.create(user=owner, in_app_like=False)

    client.force_login(owner)

    assert bell(client) == "1"
    listed = items(client)
    assert len(listed) == 1 and "commented on" in listed[0]


def test_the_list_escapes_names_and_titles(client, owner, reader):
    hostile = make_year(owner, year=2024, title='<img src=x onerror="alert(1)">')
    reader.display_name = "<b>Rae</b>"
    reader.save()
    make_comment(hostile, reader)

    client.force_login(owner)
    html = client.get(LIST).text

    assert "<img src=x" not in html and "<b>Rae</b>" not in html
    assert "&lt;b&gt;Rae&lt;/b&gt;" in html


def test_the_list_is_in_korean_for_a_korean_reader(client, post, owner, reader):
    make_comment(post, reader)
    client.force_login(owner)

    html = client.get(LIST, HTTP_ACCEPT_LANGUAGE="ko").text

    assert "commented on" not in html
    assert "Your notifications" not in html


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_visitors_have_no_bell(client, post):
    assert 'class="bell"' not in client.get(reverse("planner:home")).text
    assert 'class="bell"' not in client.get(post.get_absolute_url()).text


def test_a_notification_is_gone_with_its_comment_or_post(client, post, owner, reader):
    comment = make_comment(post, reader)
    assert Notification.objects.count() == 1
    comment.delete()
    assert Notification.objects.count() == 0
    Like.objects.create(year=post, user=reader)
    post.delete()
    assert Notification.objects.count() == 0


@pytest.mark.parametrize("likes", [1, 6])
def test_the_bell_counts_in_one_query_however_many(
    post, owner, reader, django_assert_num_queries, likes
):
    for i in range(likes):
        Like.objects.create(year=post, user=make_user(f"fan{i}"))
        make_comment(post, reader, body=f"Comment {i}")

    with django_assert_num_queries(1):
        assert unread_count(owner) == 1 + likes
