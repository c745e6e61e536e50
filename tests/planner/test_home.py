from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
import time_machine
from django.urls import reverse

from planner.models import Visibility, Year
from tests.factory import make_goal, make_year

pytestmark = pytest.mark.django_db

HOME = reverse("planner:home")


@contextmanager
def _logged_in_at(client, user, moment: str):
    """Freeze time, then log in: a session started on the real today may have expired by then."""
    with time_machine.travel(moment, tick=False):
        client.force_login(user)
        yield client


@pytest.fixture
def june_client(client, owner):
    with _logged_in_at(client, owner, "2026-06-15 12:00"):
        yield client


# The landing page, for anonymous visitors


def test_it_shows_the_landing_page_with_recent_public_posts(client, owner, reader):
    make_year(owner, year=2024, title="Olivia's public 2024", visibility=Visibility.PUBLIC)
    make_year(reader, year=2025, title="Rae's public 2025", visibility=Visibility.PUBLIC)

    response = client.get(HOME)

    assert response.status_code == 200
    assert "Look back on your year. Plan the next one." in response.text
    assert "Olivia&#x27;s public 2024" in response.text
    assert "by Olivia Owner" in response.text
    assert "Rae&#x27;s public 2025" in response.text
    assert f'href="{reverse("planner:year_detail", args=["owner", 2024])}"' in response.text


def test_it_never_lists_private_or_unlisted_posts_on_the_landing_page(client, owner):
    make_year(owner, year=2023, title="Secret diary", visibility=Visibility.PRIVATE)
    make_year(owner, year=2024, title="Link-only review", visibility=Visibility.UNLISTED)

    response = client.get(HOME)

    assert response.status_code == 200
    assert "Secret diary" not in response.text
    assert "Link-only review" not in response.text
    assert "/@owner/" not in response.text
    assert "Nothing published yet." in response.text


def test_it_lists_the_most_recently_published_first(client, owner):
    with time_machine.travel("2026-01-02 10:00", tick=False):
        make_year(owner, year=2025, title="Published later")
    with time_machine.travel("2025-01-02 10:00", tick=False):
        make_year(owner, year=2024, title="Published earlier")

    text = client.get(HOME).text

    assert text.index("Published later") < text.index("Published earlier")


# The dashboard, for people who are logged in


def test_it_shows_the_current_period_and_days_left(june_client, owner):
    make_year(owner, year=2026, visibility=Visibility.PRIVATE)

    response = june_client.get(HOME)

    assert response.status_code == 200
    assert "<h1>Your 2026</h1>" in response.text
    assert '<h2 id="now-title">May–August</h2>' in response.text
    assert "77 days left in this period" in response.text
    assert "199 days left in the year" in response.text
    assert "Look back on your year. Plan the next one." not in response.text


def test_it_shows_this_years_goals_with_how_many_are_reached(june_client, owner, reader):
    year = make_year(owner, year=2026, visibility=Visibility.PRIVATE)
    make_goal(year, title="Read 20 books", done=True)
    make_goal(year, title="Learn to swim", is_private=True)
    make_goal(make_year(owner, year=2025), title="A goal from last year")
    make_goal(make_year(reader, year=2026), title="Someone else's goal")

    response = june_client.get(HOME)

    assert response.status_code == 200
    assert "1 of 2 reached" in response.text
    assert "Read 20 books" in response.text
    assert "Learn to swim" in response.text
    assert "A goal from last year" not in response.text
    assert "Someone else" not in response.text
    assert reverse("planner:entry_create", args=["owner", 2026, 2]) in response.text


def test_it_offers_to_start_the_current_year(june_client, owner):
    make_year(owner, year=2025)

    response = june_client.get(HOME)

    assert response.status_code == 200
    assert "You have not started 2026 yet." in response.text
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', response.text, re.DOTALL)
    assert form is not None
    assert form[1] == reverse("planner:year_create")
    assert '<input type="hidden" name="year" value="2026">' in form[2]
    assert "Start 2026" in form[2]
    assert reverse("planner:year_detail", args=["owner", 2025]) in response.text


def test_it_starts_the_current_year_from_the_dashboard(june_client, owner):
    response = june_client.post(
        reverse("planner:year_create"), {"year": "2026", "visibility": "private"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("planner:year_detail", args=["owner", 2026])
    year = Year.objects.get(owner=owner, year=2026)
    assert year.is_private
    dashboard = june_client.get(HOME).text
    assert "You have not started 2026 yet." not in dashboard
    assert "No goals yet." in dashboard


@pytest.mark.parametrize(
    ("moment", "period", "in_period", "in_year"),
    [
        ("2026-01-01 12:00", "January–April", "119 days left in this period", "364 days"),
        ("2026-04-30 12:00", "January–April", "0 days left in this period", "245 days"),
        ("2026-12-31 12:00", "September–December", "0 days left in this period", "0 days"),
    ],
)
def test_it_counts_days_at_the_edges_of_periods(client, owner, moment, period, in_period, in_year):
    with _logged_in_at(client, owner, moment):
        response = client.get(HOME)

    assert response.status_code == 200
    assert f'<h2 id="now-title">{period}</h2>' in response.text
    assert in_period in response.text
    assert f"{in_year} left in the year" in response.text
