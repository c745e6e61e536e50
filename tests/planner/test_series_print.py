"""All of a person's years as one page, to print as a book."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from planner.models import Visibility
from tests.factory import make_entry, make_goal, make_photo, make_year

pytestmark = pytest.mark.django_db


def book_url(username: str = "owner") -> str:
    return reverse("planner:series_print", args=[username])


@pytest.fixture
def series(owner):
    years = []
    for number, visibility in (
        (2023, Visibility.PUBLIC),
        (2024, Visibility.PRIVATE),
        (2025, Visibility.PUBLIC),
    ):
        post = make_year(owner, year=number, title=f"The year {number}", visibility=visibility)
        make_goal(post, title=f"Goal of {number}")
        make_goal(post, title=f"Secret of {number}", is_private=True)
        entry = make_entry(post, 2, title=f"Summer {number}")
        make_photo(entry, caption=f"Sea in {number}")
        years.append(post)
    return years


def articles(page: str) -> str:
    return "".join(re.findall(r'<article class="post-article print-year".*?</article>', page, re.S))


def test_readers_get_the_public_years_in_order_without_a_control(client, series):
    page = client.get(book_url()).content.decode()
    book = articles(page)

    assert re.findall(r"<h2[^>]*>(The year \d+)</h2>", book) == ["The year 2023", "The year 2025"]
    assert "Goal of 2023" in book and "Sea in 2025" in book
    assert "2024" not in re.sub(r"Goals for 2024", "", book)
    assert "Secret" not in book
    assert "<form" not in book and "<button" not in book and "<input" not in book
    assert '<meta name="robots" content="noindex">' in page
    assert "<h1>Olivia Owner</h1>" in page and '<p class="book-years">2023–2025</p>' in page


def test_the_owner_gets_every_year_and_private_item_but_no_control(series, owner):
    client = Client()
    client.force_login(owner)
    book = articles(client.get(book_url()).content.decode())

    assert re.findall(r"<h2[^>]*>(The year \d+)</h2>", book) == [
        "The year 2023",
        "The year 2024",
        "The year 2025",
    ]
    assert "Secret of 2024" in book
    assert "<form" not in book and "<button" not in book and "Undo" not in book


def test_a_person_with_nothing_to_read_has_no_book(client, owner, reader):
    make_year(owner, year=2025, visibility=Visibility.PRIVATE)
    assert client.get(book_url()).status_code == 404
    assert client.get(book_url("nobody")).status_code == 404


def test_the_book_is_linked_from_the_profile(client, series):
    assert f'href="{book_url()}"' in client.get(reverse("planner:profile", args=["owner"])).text


def test_the_book_costs_a_fixed_number_of_queries_per_year(
    client, series, owner, django_assert_max_num_queries
):
    # The owner, the years, and per year: goals (with next year's), updates, periods,
    # entries, photos, answers shown.
    with django_assert_max_num_queries(2 + 6 * 2):
        client.get(book_url())
