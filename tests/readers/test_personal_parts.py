"""Kept pages and personal parts: a post kept for all signed-in readers (and the owner's
own kept post) carries each person's own bell and follow button, never someone else's."""

from __future__ import annotations

import pytest
from django.test import Client

from readers.models import Follow
from tests.factory import make_comment, make_user, make_year

pytestmark = pytest.mark.django_db


def region(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def bell_of(html: str) -> str:
    return region(html, 'class="bell"', "</a>")


def follow_of(html: str) -> str:
    return region(html, 'id="follow-owner"', "</form>")


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_two_readers_of_one_kept_post_each_get_their_own_bell_and_button(owner, reader):
    post = make_year(owner, title="Shared")
    busy = make_user("busy", display_name="Bea Busy")
    make_comment(make_year(busy, year=2024), reader)  # Bea hears of Rae's comment
    busy_client, reader_client = client_for(busy), client_for(reader)

    first = busy_client.get(post.get_absolute_url()).text  # rendered and kept
    second = reader_client.get(post.get_absolute_url()).text  # from what was kept

    assert 'class="bell-count">1<' in bell_of(first)
    assert "bell-count" not in bell_of(second)
    assert "stand-in" not in second and "<!--bell-" not in second

    reader_client.post("/@owner/follow/", {"follow": "1"})
    assert 'aria-pressed="true"' in follow_of(reader_client.get(post.get_absolute_url()).text)
    assert 'aria-pressed="false"' in follow_of(busy_client.get(post.get_absolute_url()).text)


def test_a_kept_page_shows_a_new_notification_and_changes_its_tag(
    owner, reader, django_capture_on_commit_callbacks
):
    post = make_year(owner, title="Mine")
    writer = make_user("writer", display_name="Wren Writer")
    Follow.objects.create(follower=owner, writer=writer)
    owner_client = client_for(owner)
    before = owner_client.get(post.get_absolute_url())
    assert "bell-count" not in bell_of(before.text)

    with django_capture_on_commit_callbacks(execute=True):
        make_year(writer, title="Wren's year")
    after = owner_client.get(post.get_absolute_url(), HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert 'class="bell-count">1<' in bell_of(after.text)
    assert after["ETag"] != before["ETag"]
