"""A visitor's profile and home page come whole from the cache, and every change shows at once.

The post's own page is tested with the rest of the post cache (test_post_cache.py).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
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


@pytest.mark.parametrize("year", ["99999999999999999999", "9223372036854775808", "40000"])
def test_a_year_beyond_any_post_is_not_found_for_everyone(visitor, reader, post, year):
    signed_in = Client()
    signed_in.force_login(reader)
    for client in (visitor, signed_in):
        assert client.get(f"/@owner/{year}/").status_code == 404
        assert client.head(f"/@owner/{year}/").status_code == 404


@pytest.mark.parametrize("page", ["99999999999999999999", "184467440737095516", "-5", "abc"])
def test_any_comments_page_number_answers_without_an_error(visitor, post, page):
    response = visitor.get(post.get_absolute_url(), {"comments_page": page})
    assert response.status_code == 200
    fragment = visitor.get(
        reverse("planner:comment_list", args=["owner", post.year]),
        {"comments_page": page},
        headers={"hx-request": "true"},
    )
    assert fragment.status_code == 200
    assert "HX-Request" in fragment["Vary"]


def test_odd_spellings_of_a_page_number_are_not_kept(visitor, post):
    for spelling in ("01", "1e3", "abc", "-5", "0"):
        read(visitor, f"{post.get_absolute_url()}?comments_page={spelling}")
        with CaptureQueriesContext(connection) as queries:
            read(visitor, f"{post.get_absolute_url()}?comments_page={spelling}")
        assert len(queries) >= 5  # rendered again, not taken from a kept copy


@pytest.mark.parametrize("encoding", ["gzip, br", ""])
def test_a_kept_page_answers_a_browsers_revalidation_with_304(visitor, post, encoding):
    headers = {"accept-encoding": encoding}
    first = visitor.get(post.get_absolute_url(), headers=headers)
    kept = visitor.get(post.get_absolute_url(), headers=headers)
    assert kept["ETag"] == first["ETag"]
    again = visitor.get(post.get_absolute_url(), headers={**headers, "if-none-match": kept["ETag"]})
    assert again.status_code == 304


def test_an_inactive_persons_posts_leave_the_home_page(visitor, owner, post):
    assert "The year of the sea" in read(visitor, "/")
    owner.is_active = False
    owner.save()
    assert "The year of the sea" not in read(visitor, "/")
