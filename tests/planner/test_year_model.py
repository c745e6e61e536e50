from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from planner.models import Goal, Period, Visibility, Year
from tests.factory import make_goal, make_year


def test_it_creates_exactly_three_periods_with_a_year(owner):
    year = make_year(owner)

    assert [(p.index, str(p.label)) for p in year.periods.all()] == [
        (1, "January–April"),
        (2, "May–August"),
        (3, "September–December"),
    ]


def test_it_refuses_a_fourth_period(owner):
    year = make_year(owner)

    with pytest.raises(IntegrityError), transaction.atomic():
        Period.objects.create(year=year, index=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Period.objects.create(year=year, index=4)
    assert year.periods.count() == 3


def test_it_refuses_the_same_year_twice_for_one_owner(owner, reader):
    make_year(owner, year=2024)
    make_year(reader, year=2024)

    with pytest.raises(IntegrityError), transaction.atomic():
        Year.objects.create(owner=owner, year=2024)
    assert Year.objects.filter(year=2024).count() == 2


@pytest.mark.parametrize("bad_year", [1899, 2201])
def test_it_refuses_a_year_outside_a_sane_range(owner, bad_year):
    with pytest.raises(IntegrityError), transaction.atomic():
        Year.objects.create(owner=owner, year=bad_year)
    assert not Year.objects.exists()


def test_it_refuses_a_target_of_zero(owner):
    year = make_year(owner)

    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.create(year=year, title="Nothing", target=0)


def test_it_titles_a_year_by_default_as_review_and_plan(owner):
    year = make_year(owner, year=2023)

    assert year.display_title == "2023 review and 2024 plan"
    year.title = "A year of small steps"
    assert year.display_title == "A year of small steps"


def test_it_is_private_by_default_and_stamps_the_first_publication(owner):
    year = Year.objects.create(owner=owner, year=2025)
    assert year.visibility == Visibility.PRIVATE
    assert year.published_at is None

    year.visibility = Visibility.UNLISTED
    year.save()
    first = year.published_at
    assert first is not None

    year.visibility = Visibility.PUBLIC
    year.save()
    assert year.published_at == first


def test_it_sets_and_clears_the_moment_a_goal_was_reached(owner):
    goal = make_goal(make_year(owner))
    assert goal.done_at is None

    goal.done = True
    goal.save()
    assert goal.done_at is not None

    goal.done = False
    goal.save()
    assert goal.done_at is None


def test_it_measures_progress_as_a_capped_percentage(owner):
    year = make_year(owner)

    assert make_goal(year, target=3, progress=1).percent == 33
    assert make_goal(year, target=12, progress=15).percent == 100
    assert make_goal(year, done=True).percent == 100
