from __future__ import annotations

import pytest
import time_machine

from tests.factory import make_year

PROMPT = "Look back on {}: write its retrospective"


@pytest.fixture
def year(owner):
    return make_year(owner, year=2026)


def dashboard(client, owner, when: str) -> str:
    with time_machine.travel(when, tick=False):
        client.force_login(owner)
        return client.get("/").text


def test_it_asks_for_the_retrospective_of_a_period_that_ended_unwritten(client, owner, year):
    page = dashboard(client, owner, "2026-06-15 12:00")

    assert PROMPT.format("January–April") in page
    assert PROMPT.format("May–August") not in page


def test_it_asks_for_the_current_period_in_its_last_two_weeks(client, owner, year):
    page = dashboard(client, owner, "2026-08-25 12:00")

    assert PROMPT.format("May–August") in page


def test_it_stops_asking_once_the_retrospective_is_written(client, owner, year):
    year.periods.filter(index=1).update(retrospective="A slow, good spring.")

    page = dashboard(client, owner, "2026-06-15 12:00")

    assert PROMPT.format("January–April") not in page


def test_it_asks_nothing_without_a_current_year(client, owner):
    page = dashboard(client, owner, "2026-06-15 12:00")

    assert "write its retrospective" not in page
