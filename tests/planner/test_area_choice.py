"""The life area of a goal or an entry: chosen in their forms, suggested, never required."""

from __future__ import annotations

import pytest
from django.urls import reverse

from planner.areas import suggested_area
from planner.models import Area, DefaultArea, Goal
from tests.factory import make_entry, make_goal, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(owner) -> dict[str, Area]:
    Area.objects.ensure_defaults(owner)
    return {area.default: area for area in Area.objects.filter(owner=owner)}


@pytest.mark.parametrize(
    ("text", "default"),
    [
        ("Run a half marathon", DefaultArea.HEALTH),
        ("CVPR submission", DefaultArea.CAREER),
        ("운동을 꾸준히 하기", DefaultArea.HEALTH),
        ("논문 두 편 쓰기", DefaultArea.CAREER),
        ("Finish 3 piano pieces", DefaultArea.HOBBIES),
        ("Save 10% of my salary", DefaultArea.MONEY),
    ],
)
def test_it_suggests_the_one_area_the_words_point_to(areas, text, default):
    assert suggested_area(text, areas.values()) == areas[default]


@pytest.mark.parametrize("text", ["Move to Seoul", "Run to the conference", "Read more"])
def test_it_suggests_nothing_when_no_area_or_several_match(areas, text):
    assert suggested_area(text, areas.values()) is None


def test_it_suggests_a_renamed_default_area_but_not_one_of_the_persons_own(owner, areas):
    areas[DefaultArea.HEALTH].name = "Body"
    areas[DefaultArea.HEALTH].save()
    garden = Area.objects.create(owner=owner, name="Running club")

    assert suggested_area("Run a marathon", [*areas.values(), garden]).label == "Body"


def test_the_new_goal_form_offers_the_areas_with_none_chosen(owner_client, owner):
    post = make_year(owner)

    html = owner_client.get(reverse("planner:goal_create", args=["owner", 2025])).text

    assert '<option value="" selected>No area</option>' in html
    assert ">Health</option>" in html
    assert post.goals.count() == 0


def test_it_saves_the_chosen_area_of_a_goal(owner_client, owner, areas):
    make_year(owner)

    owner_client.post(
        reverse("planner:goal_create", args=["owner", 2025]),
        {"title": "Run a half marathon", "area": areas[DefaultArea.HEALTH].pk},
    )

    assert Goal.objects.get(title="Run a half marathon").area == areas[DefaultArea.HEALTH]


def test_a_goal_without_an_area_stays_without(owner_client, owner, areas):
    make_year(owner)

    owner_client.post(
        reverse("planner:goal_create", args=["owner", 2025]), {"title": "Run a half marathon"}
    )

    assert Goal.objects.get(title="Run a half marathon").area is None


def test_it_refuses_another_persons_area(owner_client, owner, reader):
    make_year(owner)
    theirs = Area.objects.create(owner=reader, name="Theirs")

    response = owner_client.post(
        reverse("planner:goal_create", args=["owner", 2025]),
        {"title": "Run a half marathon", "area": theirs.pk},
    )

    assert response.status_code == 422
    assert "Select a valid choice." in response.text
    assert not Goal.objects.exists()


def test_the_edit_form_preselects_the_suggested_area(owner_client, owner, areas):
    goal = make_goal(make_year(owner), title="Run a half marathon")

    html = owner_client.get(reverse("planner:goal_edit", args=[goal.pk])).text

    assert f'<option value="{areas[DefaultArea.HEALTH].pk}" selected>Health</option>' in html
    goal.refresh_from_db()
    assert goal.area is None  # only offered until saved


def test_the_edit_form_keeps_a_chosen_area(owner_client, owner, areas):
    mind = areas[DefaultArea.MIND]
    goal = make_goal(make_year(owner), title="Run a half marathon", area=mind)

    html = owner_client.get(reverse("planner:goal_edit", args=[goal.pk])).text

    assert f'<option value="{mind.pk}" selected>Mind</option>' in html


def test_it_saves_the_chosen_area_of_an_entry(owner_client, owner, areas):
    entry = make_entry(make_year(owner), title="First 10 km")
    money = areas[DefaultArea.MONEY]

    response = owner_client.post(
        reverse("planner:entry_edit", args=[entry.pk]),
        {"title": "First 10 km", "body": "", "area": money.pk, "period": entry.period_id},
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.area == money


def test_a_carried_over_goal_keeps_its_area(owner, areas):
    goal = make_goal(make_year(owner), area=areas[DefaultArea.HEALTH])

    copy = goal.carry_over(make_year(owner, year=2026), order=1)

    assert copy.area == areas[DefaultArea.HEALTH]
