"""A visitor's profile and home page come whole from the cache, and every change shows at once.

The post's own page is tested with the rest of the post cache (test_post_cache.py).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from planner.models import Visibility
from tests.factory import make_goal, make_year

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0"


@pytest.fixture
def visitor():
    return Client(HTTP_USER_AGENT=BROWSER)


@pytest.fixture
def post(owner):
    post = make_year(owner, year=2025, title="The year of the sea", visibility=Visibility.PUBLIC)
    make_goal(post, title="Swim a mile")
    return post


def reach(goal) -> None:
    goal.done = True
    goal.save()


def read(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def profile_url(owner) -> str:
    return reverse("planner:profile", args=[owner.username])


def test_a_visitor_gets_the_profile_from_the_cache(visitor, owner, post, django_assert_num_queries):
    first = read(visitor, profile_url(owner))
    with django_assert_num_queries(1):
        assert read(visitor, profile_url(owner)) == first
    assert "The year of the sea" in first


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (lambda owner, post: setattr(owner, "bio", "Sailor now") or owner.save(), "Sailor now"),
        (
            lambda owner, post: make_year(
                owner, year=2026, title="Landlocked", visibility="public"
            ),
            "Landlocked",
        ),
        (lambda owner, post: reach(post.goals.get()), "1 / 1"),
        (lambda owner, post: setattr(post, "title", "Renamed") or post.save(), "Renamed"),
    ],
    ids=["bio", "new public year", "goal reached", "title"],
)
def test_a_visitor_sees_every_change_to_a_profile_at_once(visitor, owner, post, change, shown):
    assert shown not in read(visitor, profile_url(owner))
    change(owner, post)
    assert shown in read(visitor, profile_url(owner))


def test_a_post_made_private_leaves_the_profile_at_once(visitor, owner, post):
    assert "The year of the sea" in read(visitor, profile_url(owner))
    post.visibility = Visibility.PRIVATE
    post.save()
    assert "The year of the sea" not in read(visitor, profile_url(owner))


def test_a_deactivated_persons_profile_is_gone_at_once(visitor, owner, post):
    read(visitor, profile_url(owner))
    owner.is_active = False
    owner.save()
    assert visitor.get(profile_url(owner)).status_code == 404


def test_a_person_with_no_years_is_not_kept(visitor, stranger, django_assert_num_queries):
    read(visitor, profile_url(stranger))
    stranger.bio = "Just arrived"
    stranger.save()
    assert "Just arrived" in read(visitor, profile_url(stranger))


def test_a_visitor_gets_the_home_page_from_the_cache(visitor, post, django_assert_num_queries):
    first = read(visitor, "/")
    with django_assert_num_queries(1):
        assert read(visitor, "/") == first
    assert "The year of the sea" in first


def test_a_new_public_post_and_a_hidden_one_show_on_the_home_page_at_once(visitor, owner, post):
    read(visitor, "/")
    newer = make_year(owner, year=2026, title="Landlocked", visibility=Visibility.PUBLIC)
    newer.published_at = post.published_at.replace(year=2027) if post.published_at else None
    newer.save()
    assert "Landlocked" in read(visitor, "/")
    post.visibility = Visibility.PRIVATE
    post.save()
    assert "The year of the sea" not in read(visitor, "/")


def test_the_owner_and_readers_never_get_a_kept_page(visitor, owner, reader, post):
    read(visitor, profile_url(owner))
    read(visitor, "/")
    signed_in = Client()
    signed_in.force_login(reader)
    assert "Log out" in read(signed_in, profile_url(owner))
    assert "Log out" in read(signed_in, "/")
