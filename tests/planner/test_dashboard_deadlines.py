from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from planner.models import Visibility
from tests.factory import make_goal, make_year

pytestmark = pytest.mark.django_db

HOME = reverse("planner:home")
CARRY_URL = reverse("planner:carry_over", args=["owner", 2026])
PROMPT = "Plan 2027: carry your unreached goals over"


def _deadlines(html: str) -> list[str]:
    """The “Next deadlines” list as a person reads it, one line per goal."""
    section = re.search(r'<ol class="deadline-list">(.*?)</ol>', html, re.S)
    if section is None:
        return []
    items = re.findall(r"<li[^>]*>(.*?)</li>", section[1], re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in items]


@pytest.fixture
def this_year(owner):
    return make_year(owner, year=2026, visibility=Visibility.PRIVATE)


# Next deadlines


@time_machine.travel("2026-06-15 10:00", tick=False)
def test_it_lists_the_next_five_open_deadlines_soonest_first(client, owner, reader, this_year):
    for title, deadline in [
        ("Run 10 km", "2026-09-01"),
        ("Submit to CVPR", "2026-11-14"),
        ("Book the trip", "2026-06-20"),
        ("Finish the draft", "2026-07-01"),
        ("Renew passport", "2026-08-15"),
        ("Plant tomatoes", "2026-12-24"),
    ]:
        make_goal(this_year, title=title, deadline=datetime.date.fromisoformat(deadline))
    make_goal(this_year, title="Move to Seoul", deadline=datetime.date(2026, 6, 16), done=True)
    make_goal(this_year, title="Learn to swim")
    make_goal(
        this_year, title="Dropped", deadline=datetime.date(2026, 6, 17), deleted_at=timezone.now()
    )
    make_goal(make_year(owner, year=2025), title="Old", deadline=datetime.date(2025, 6, 17))
    make_goal(make_year(reader, year=2026), title="Rae's", deadline=datetime.date(2026, 6, 17))
    client.force_login(owner)

    response = client.get(HOME)

    assert response.status_code == 200
    assert '<h2 id="deadlines-title">Next deadlines</h2>' in response.text
    assert _deadlines(response.text) == [
        "June 20, 2026 Book the trip",
        "July 1, 2026 Finish the draft",
        "Aug. 15, 2026 Renew passport",
        "Sept. 1, 2026 Run 10 km",
        "Nov. 14, 2026 Submit to CVPR",
    ]


@time_machine.travel("2026-06-15 10:00", tick=False)
def test_it_flags_overdue_deadlines(client, owner, this_year):
    late = make_goal(this_year, title="Finish the draft", deadline=datetime.date(2026, 6, 14))
    make_goal(this_year, title="Book the trip", deadline=datetime.date(2026, 6, 15))
    client.force_login(owner)

    response = client.get(HOME)

    assert _deadlines(response.text) == [
        "June 14, 2026 Finish the draft overdue",
        "June 15, 2026 Book the trip",
    ]
    assert response.text.count('class="deadline deadline-overdue"') == 1
    assert f'href="{this_year.get_absolute_url()}#goal-{late.pk}">Finish the draft</a>' in (
        response.text
    )


@time_machine.travel("2026-06-15 10:00", tick=False)
def test_it_leaves_the_list_out_when_nothing_is_due(client, owner, this_year):
    make_goal(this_year, title="Learn to swim")
    client.force_login(owner)

    response = client.get(HOME)

    assert response.status_code == 200
    assert "Next deadlines" not in response.text


# Plan next year


@pytest.mark.parametrize("moment", ["2026-12-01 00:30", "2026-12-05 10:00", "2026-12-31 23:30"])
def test_it_prompts_to_plan_next_year_in_december(client, owner, this_year, moment):
    make_goal(this_year, title="Submit to CVPR")
    with time_machine.travel(moment, tick=False):
        client.force_login(owner)
        response = client.get(HOME)

    assert response.status_code == 200
    assert PROMPT in response.text
    assert f'href="{CARRY_URL}"' in response.text


@pytest.mark.parametrize("moment", ["2026-11-30 23:30", "2026-06-15 10:00"])
def test_it_does_not_prompt_before_december(client, owner, this_year, moment):
    make_goal(this_year, title="Submit to CVPR")
    with time_machine.travel(moment, tick=False):
        client.force_login(owner)
        response = client.get(HOME)

    assert response.status_code == 200
    assert PROMPT not in response.text
    assert CARRY_URL not in response.text


@time_machine.travel("2026-12-05 10:00", tick=False)
def test_it_keeps_prompting_while_next_year_has_no_goals(client, owner, this_year):
    make_goal(this_year, title="Submit to CVPR")
    make_year(owner, year=2027, visibility=Visibility.PRIVATE)
    client.force_login(owner)

    assert PROMPT in client.get(HOME).text


@time_machine.travel("2026-12-05 10:00", tick=False)
def test_it_stops_prompting_once_next_year_has_a_goal(client, owner, this_year):
    goal = make_goal(this_year, title="Submit to CVPR")
    client.force_login(owner)
    client.post(CARRY_URL, {"goals": [goal.pk]})

    response = client.get(HOME)

    assert response.status_code == 200
    assert PROMPT not in response.text


@time_machine.travel("2026-12-05 10:00", tick=False)
def test_it_does_not_prompt_when_every_goal_was_reached(client, owner, this_year):
    make_goal(this_year, title="Move to Seoul", done=True)
    client.force_login(owner)

    assert PROMPT not in client.get(HOME).text


@time_machine.travel("2026-12-05 10:00", tick=False)
def test_it_does_not_prompt_without_this_year(client, owner):
    make_goal(make_year(owner, year=2025), title="Submit to CVPR")
    client.force_login(owner)

    response = client.get(HOME)

    assert response.status_code == 200
    assert "You have not started 2026 yet." in response.text
    assert "carry your unreached goals over" not in response.text


@time_machine.travel("2026-12-05 10:00", tick=False)
def test_it_does_not_prompt_with_someone_elses_next_year(client, owner, reader, this_year):
    make_goal(this_year, title="Submit to CVPR")
    make_goal(make_year(reader, year=2027), title="Rae's plan")
    client.force_login(owner)

    assert PROMPT in client.get(HOME).text


@time_machine.travel("2026-12-05 10:00", tick=False)
def test_it_shows_the_dashboard_in_a_number_of_queries_that_does_not_grow(client, owner, this_year):
    first_try = make_goal(make_year(owner, year=2025), title="First try")

    def add_goals(count: int) -> None:
        for _ in range(count):
            day = this_year.goals.count() + 1
            make_goal(
                this_year, deadline=datetime.date(2026, 12, day), carried_from=first_try, attempt=2
            )

    add_goals(2)
    client.force_login(owner)
    client.get(HOME)
    with CaptureQueriesContext(connection) as small:
        client.get(HOME)
    add_goals(10)
    with CaptureQueriesContext(connection) as large:
        response = client.get(HOME)

    assert len(large) == len(small)
    assert PROMPT in response.text
    assert len(_deadlines(response.text)) == 5
    assert response.text.count("set again — 2nd try") == 12
