"""Counts tell nobody but the owner about private, deleted or removed things — staff included."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from planner.models import Like, Visibility
from tests.factory import make_comment, make_goal, make_user, make_year

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def years(owner):
    public = make_year(owner, year=2025, visibility=Visibility.PUBLIC, title="Open 2025")
    make_goal(public, title="Public reached", done=True)
    make_goal(public, title="Public open")
    make_goal(public, title="Private reached", done=True, is_private=True)
    make_goal(public, title="Deleted reached", done=True, deleted_at=timezone.now())
    hidden = make_year(owner, year=2024, visibility=Visibility.PRIVATE, title="Diary 2024")
    for title in ("Secret one", "Secret two"):
        make_goal(hidden, title=title, done=True)
    return {"public": public, "private": hidden}


def log_in_as(client, who, people):
    client.logout()
    if who != "visitor":
        client.force_login(people[who])


@pytest.mark.parametrize("who", ["visitor", "reader", "staff"])
def test_the_profile_counts_only_what_others_may_see(client, owner, reader, staff, years, who):
    log_in_as(client, who, {"reader": reader, "staff": staff})

    response = client.get(reverse("planner:profile", args=["owner"]))
    text = text_of(response)

    assert response.status_code == 200
    assert "1 / 2 goals reached" in text  # the card
    assert "Diary 2024" not in text
    assert reverse("planner:year_detail", args=["owner", 2024]) not in response.text
    assert '<th scope="row">2024</th>' not in response.text  # no bar in the chart
    # The chart's table: year, reached, set.
    assert re.search(r"<th scope=\"row\">2025</th><td>1</td><td>2</td>", response.text)


def test_the_profile_counts_everything_but_deleted_goals_for_the_owner(owner_client, years):
    response = owner_client.get(reverse("planner:profile", args=["owner"]))

    assert "2 / 3 goals reached" in text_of(response)
    assert "2 / 2 goals reached" in text_of(response)
    assert re.search(r"<th scope=\"row\">2024</th><td>2</td><td>2</td>", response.text)


@pytest.mark.parametrize("who", ["visitor", "reader", "staff"])
def test_a_posts_counts_leave_out_other_posts_and_hidden_things(
    client, owner, reader, staff, years, who
):
    post, hidden = years["public"], years["private"]
    fan = make_user("fan")
    # A post made private keeps its rows; none of them may count on the public post.
    make_comment(hidden, fan, body="Said while it was public")
    Like.objects.create(year=hidden, user=fan)
    Like.objects.create(year=hidden, user=reader)
    make_comment(post, fan, body="Visible comment")
    make_comment(post, fan, body="Removed comment", removed_at=timezone.now())
    Like.objects.create(year=post, user=fan)
    log_in_as(client, who, {"reader": reader, "staff": staff})

    response = client.get(post.get_absolute_url())
    text = text_of(response)

    assert response.status_code == 200
    assert "1 of 2 reached" in text
    assert "1 comment " in text and "2 comments" not in text
    assert "1 like " in text and "2 likes" not in text and "3 likes" not in text
    assert "Private reached" not in text and "Deleted reached" not in text
    assert "Removed comment" not in text and "Said while it was public" not in text
