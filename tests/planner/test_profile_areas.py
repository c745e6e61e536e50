"""The profile's chart of goals set and reached per life area and year."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from planner.models import Area, Visibility
from tests.factory import make_goal, make_year

pytestmark = pytest.mark.django_db

PROFILE = reverse("planner:profile", args=["owner"])


def figures(html: str) -> dict[str, dict[int, tuple[int, int]]]:
    """The table's figures: per area, per year, (reached, set)."""
    table = re.search(r'<table class="area-chart-table">(.*?)</table>', html, re.DOTALL)
    if table is None:
        return {}
    found = {}
    for row in re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", table[1], re.DOTALL):
        cells = re.findall(r'data-year="(\d+)" data-set="(\d+)" data-reached="(\d+)"', row[1])
        found[row[0]] = {int(y): (int(r), int(s)) for y, s, r in cells}
    return found


@pytest.fixture
def series(owner):
    health = Area.objects.create(owner=owner, name="Health", order=1)
    career = Area.objects.create(owner=owner, name="Career", order=2)
    hidden = Area.objects.create(owner=owner, name="Secret area", order=3)
    first = make_year(owner, year=2023)
    second = make_year(owner, year=2024)
    private_year = make_year(owner, year=2025, visibility=Visibility.PRIVATE)
    make_goal(first, title="Run 5 km", area=health)
    make_goal(second, title="Run 10 km", area=health)
    make_goal(second, title="Swim", area=health, done=True)
    make_goal(second, title="Lose weight quietly", area=health, is_private=True, done=True)
    make_goal(second, title="Submit a paper", area=career, done=True)
    make_goal(second, title="No area at all", done=True)
    make_goal(second, title="Only for me", area=hidden, is_private=True)
    make_goal(private_year, title="Run a marathon", area=health)
    return {"health": health, "career": career}


def test_the_owner_sees_every_goal_counted_per_area_and_year(owner_client, series):
    html = owner_client.get(PROFILE).text

    assert figures(html) == {
        "Health": {2023: (0, 1), 2024: (2, 3), 2025: (0, 1)},
        "Career": {2023: (0, 0), 2024: (1, 1), 2025: (0, 0)},
        "Secret area": {2023: (0, 0), 2024: (0, 1), 2025: (0, 0)},
    }
    assert "Goals by life area" in html


@pytest.mark.parametrize("who", ["reader", "visitor"])
def test_others_see_only_public_years_and_goals(client, reader, series, who):
    if who == "reader":
        client.force_login(reader)

    html = client.get(PROFILE).text

    assert figures(html) == {
        "Health": {2023: (0, 1), 2024: (1, 2)},
        "Career": {2023: (0, 0), 2024: (1, 1)},
    }
    assert "Secret area" not in html


def test_the_chart_follows_a_renamed_area(client, series):
    client.get(PROFILE)  # kept for visitors

    series["career"].name = "Work"
    series["career"].save()

    assert "Work" in figures(client.get(PROFILE).text)


def test_there_is_no_area_chart_without_goals_in_areas(client, owner):
    make_goal(make_year(owner), title="No area")

    html = client.get(PROFILE).text

    assert "Goals by life area" not in html


def build_series(owner, years: int, goals: int) -> None:
    areas = [Area.objects.create(owner=owner, name=f"Area {i}", order=i) for i in range(4)]
    for offset in range(years):
        post = make_year(owner, year=2020 + offset)
        for i in range(goals):
            make_goal(post, title=f"Goal {i}", area=areas[i % 4], done=i % 2 == 0)


@pytest.mark.parametrize(("years", "goals"), [(2, 3), (6, 20)])
@pytest.mark.parametrize("who", ["owner", "visitor"])
def test_the_profile_costs_the_same_queries_at_any_size(
    client, owner, django_assert_num_queries, settings, years, goals, who
):
    settings.POST_CACHE_SECONDS = 0  # every request builds the page
    build_series(owner, years, goals)
    if who == "owner":
        client.force_login(owner)
        client.get(PROFILE)  # the session is loaded once per request either way

    # The person, the session's user (owner), the years with their counts, the areas' counts,
    # the followers; for the owner, the bell and how many addresses subscribe by e-mail.
    with django_assert_num_queries(8 if who == "owner" else 4):
        response = client.get(PROFILE)

    assert len(figures(response.text)) == min(goals, 4)
