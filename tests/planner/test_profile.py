from __future__ import annotations

import re

import pytest
from django.urls import reverse

from planner.models import Visibility
from tests.factory import make_goal, make_user, make_year

pytestmark = pytest.mark.django_db

PROFILE = reverse("planner:profile", args=["owner"])


@pytest.fixture
def years(owner):
    """One year of each visibility, with distinctive titles."""
    return {
        "public": make_year(owner, year=2025, title="Open 2025", visibility=Visibility.PUBLIC),
        "unlisted": make_year(owner, year=2024, title="Link 2024", visibility=Visibility.UNLISTED),
        "private": make_year(owner, year=2023, title="Diary 2023", visibility=Visibility.PRIVATE),
    }


def _cards(html: str) -> list[str]:
    return re.findall(r'<li class="year-card">(.*?)</li>', html, re.DOTALL)


def _card_for(html: str, year: int) -> str:
    [card] = [card for card in _cards(html) if f'class="year-card-year">{year}<' in card]
    return card


def test_it_shows_the_owner_all_their_years_with_visibility_badges(owner_client, years):
    response = owner_client.get(PROFILE)

    assert response.status_code == 200
    assert "<h1>Olivia Owner</h1>" in response.text
    assert "Researcher, Developer, Student" in response.text
    assert "Edit your profile" in response.text
    cards = _cards(response.text)
    assert [re.search(r"year-card-year\">(\d+)<", card)[1] for card in cards] == [
        "2025",
        "2024",
        "2023",
    ]
    assert '<span class="badge badge-public">Public — listed on your profile</span>' in (
        _card_for(response.text, 2025)
    )
    assert '<span class="badge badge-unlisted">Unlisted — anyone with the link</span>' in (
        _card_for(response.text, 2024)
    )
    assert '<span class="badge badge-private">Private — only you</span>' in (
        _card_for(response.text, 2023)
    )


def test_it_shows_a_reader_only_public_years(reader_client, years):
    response = reader_client.get(PROFILE)

    assert response.status_code == 200
    assert "Open 2025" in response.text
    assert "Link 2024" not in response.text
    assert "Diary 2023" not in response.text
    assert len(_cards(response.text)) == 1
    assert "badge-public" not in response.text
    assert "Edit your profile" not in response.text


def test_it_shows_an_anonymous_visitor_only_public_years(client, years):
    response = client.get(PROFILE)

    assert response.status_code == 200
    assert "Open 2025" in response.text
    assert "Link 2024" not in response.text
    assert "Diary 2023" not in response.text
    assert reverse("planner:year_detail", args=["owner", 2024]) not in response.text
    assert reverse("planner:year_detail", args=["owner", 2023]) not in response.text


def test_it_says_when_there_are_no_public_years(reader_client, owner):
    make_year(owner, year=2024, visibility=Visibility.UNLISTED)

    response = reader_client.get(PROFILE)

    assert response.status_code == 200
    assert "No public years yet." in response.text
    assert _cards(response.text) == []


def test_it_invites_the_owner_to_start_a_first_year(owner_client):
    response = owner_client.get(PROFILE)

    assert response.status_code == 200
    assert "You have no years yet." in response.text
    assert f'href="{reverse("planner:year_create")}"' in response.text


def test_it_counts_private_goals_only_for_the_owner(client, owner, reader, years):
    public = years["public"]
    make_goal(public, title="Public reached", done=True)
    make_goal(public, title="Public open")
    make_goal(public, title="Private reached", done=True, is_private=True)
    make_goal(public, title="Private open", is_private=True)

    client.force_login(owner)
    owner_card = _card_for(client.get(PROFILE).text, 2025)
    client.force_login(reader)
    reader_card = _card_for(client.get(PROFILE).text, 2025)
    client.logout()
    anonymous_card = _card_for(client.get(PROFILE).text, 2025)

    assert "2 / 4 goals reached" in owner_card
    assert "1 / 2 goals reached" in reader_card
    assert "1 / 2 goals reached" in anonymous_card


def test_it_counts_each_years_goals_separately(owner_client, owner):
    first = make_year(owner, year=2024)
    second = make_year(owner, year=2025)
    make_goal(first, done=True)
    make_goal(second, done=True)
    make_goal(second, done=True)
    make_goal(second)

    html = owner_client.get(PROFILE).text

    assert "1 / 1 goals reached" in _card_for(html, 2024)
    assert "2 / 3 goals reached" in _card_for(html, 2025)


def test_it_finds_a_profile_whatever_the_case_of_the_address(client, owner):
    response = client.get(reverse("planner:profile", args=["Owner"]))

    assert response.status_code == 200
    assert "<h1>Olivia Owner</h1>" in response.text


def test_it_answers_404_for_an_unknown_user(client, owner):
    response = client.get(reverse("planner:profile", args=["nobody"]))

    assert response.status_code == 404
    assert "Olivia" not in response.text


def test_it_answers_404_for_an_inactive_user(reader_client, db):
    gone = make_user("gone", display_name="Gone Away", is_active=False)
    make_year(gone, visibility=Visibility.PUBLIC)

    profile = reader_client.get(reverse("planner:profile", args=["gone"]))
    post = reader_client.get(reverse("planner:year_detail", args=["gone", 2025]))

    assert profile.status_code == 404
    assert "Gone Away" not in profile.text
    assert post.status_code == 404
