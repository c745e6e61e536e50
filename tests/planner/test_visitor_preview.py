"""The owner reads their post as a visitor would: no controls, nothing private."""

from __future__ import annotations

import pytest
from django.urls import reverse

from planner.models import Visibility
from tests.factory import make_entry, make_goal, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(owner):
    post = make_year(owner, year=2025, visibility=Visibility.PUBLIC)
    make_goal(post, title="Run a marathon")
    make_goal(post, title="Therapy twice a month", is_private=True)
    make_entry(post, title="Lake swim")
    make_entry(post, title="Hospital stay", is_private=True)
    return post


def preview_url(post) -> str:
    return reverse("planner:year_as_visitor", args=[post.owner.username, post.year])


def test_the_owner_sees_the_post_without_private_items_or_controls(owner_client, post):
    page = owner_client.get(preview_url(post)).text

    assert "This is how someone who is not signed in reads your post" in page
    assert "Run a marathon" in page and "Lake swim" in page
    assert "Therapy twice a month" not in page and "Hospital stay" not in page
    assert "item-menu" not in page and "Log progress" not in page and "New goal" not in page
    assert 'name="robots" content="noindex"' in page
    assert preview_url(post) in owner_client.get(post.get_absolute_url()).text


def test_a_private_post_is_shown_as_it_would_be_published(owner_client, owner):
    post = make_year(owner, year=2024, visibility=Visibility.PRIVATE)

    page = owner_client.get(preview_url(post)).text

    assert "Only you can read this post. Published, it would read like this" in page


def test_nobody_else_gets_the_preview(client, reader, post):
    assert client.get(preview_url(post)).status_code == 302  # to log in
    client.force_login(reader)
    assert client.get(preview_url(post)).status_code == 404
