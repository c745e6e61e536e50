from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from planner.models import Visibility
from planner.views.home import on_this_day
from tests.factory import image_upload, make_entry, make_photo, make_year

pytestmark = pytest.mark.django_db

HOME = reverse("planner:home")
JUNE = "2026-06-15 10:00"


def _memories(html: str) -> list[str]:
    """The “This time in earlier years” list as a person reads it, one line per entry."""
    section = re.search(r'<ul class="memory-list">(.*?)</ul>', html, re.S)
    if section is None:
        return []
    items = re.findall(r'<li class="memory">(.*?)</li>', section[1], re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def _dashboard(client, user, moment: str = JUNE):
    # Log in inside the frozen time: a session started on the real today expires in two weeks.
    with time_machine.travel(moment, tick=False):
        client.force_login(user)
        return client.get(HOME)


@pytest.fixture
def years(owner):
    return {
        number: make_year(owner, year=number, visibility=Visibility.PRIVATE)
        for number in (2023, 2024, 2025, 2026)
    }


def test_it_shows_this_periods_entries_of_earlier_years_newest_year_first(client, owner, years):
    make_entry(years[2024], period=2, title="Jeju in May", body="Rain, then *sun*.")
    make_entry(years[2025], period=2, title="Busan beach", body="We swam at **Haeundae**.")
    make_entry(years[2025], period=2, title="Private thoughts", is_private=True, body="")
    make_entry(years[2023], period=2, title="First summer", body="Hot.")

    response = _dashboard(client, owner)

    assert response.status_code == 200
    assert '<h2 id="on-this-day-title">This time in earlier years</h2>' in response.text
    assert _memories(response.text) == [
        "2025 Busan beach We swam at Haeundae.",
        "2025 Private thoughts",
        "2024 Jeju in May Rain, then sun.",
        "2023 First summer Hot.",
    ]


def test_it_names_the_section_for_the_period_it_recalls_in_korean(client, owner, years):
    make_entry(years[2025], period=2, title="Busan beach")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"

    response = _dashboard(client, owner)

    assert '<h2 id="on-this-day-title">지난 해 이맘때</h2>' in response.text


def test_it_links_each_entry_on_its_post(client, owner, years):
    entry = make_entry(years[2025], period=2, title="Busan beach")

    response = _dashboard(client, owner)

    assert f'href="/entries/{entry.pk}/"><span class="memory-year">2025</span>' in (response.text)


def test_it_leaves_out_other_periods_this_year_deleted_entries_and_other_people(
    client, owner, reader, years
):
    make_entry(years[2025], period=2, title="Busan beach")
    make_entry(years[2025], period=1, title="Spring trip")
    make_entry(years[2025], period=3, title="Autumn leaves")
    make_entry(years[2026], period=2, title="This June")
    make_entry(years[2024], period=2, title="Dropped", deleted_at=timezone.now())
    make_entry(make_year(reader, year=2025), period=2, title="Rae's summer")

    response = _dashboard(client, owner)

    assert _memories(response.text) == ["2025 Busan beach We went to the sea."]
    for title in ("Spring trip", "Autumn leaves", "This June", "Dropped", "Rae&#x27;s summer"):
        assert title not in response.text


def test_it_shows_nothing_to_a_reader_who_has_no_earlier_years(client, owner, reader, years):
    make_entry(years[2025], period=2, title="Busan beach")

    response = _dashboard(client, reader)

    assert response.status_code == 200
    assert "This time in earlier years" not in response.text
    assert "Busan beach" not in response.text


def test_it_is_not_on_the_visitors_landing_page(client, owner, years):
    make_entry(years[2025], period=2, title="Busan beach")

    with time_machine.travel(JUNE, tick=False):
        response = client.get(HOME)

    assert response.status_code == 200
    assert "This time in earlier years" not in response.text
    assert "Busan beach" not in response.text


def test_it_leaves_the_section_out_when_there_is_nothing(client, owner, years):
    make_entry(years[2025], period=1, title="Spring trip")

    response = _dashboard(client, owner)

    assert response.status_code == 200
    assert "This time in earlier years" not in response.text
    assert 'class="memory-list"' not in response.text


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-01-01 00:30", ["2025 Winter plans"]),
        ("2026-04-30 23:30", ["2025 Winter plans"]),
        ("2026-05-01 00:30", ["2025 Busan beach"]),
        ("2026-12-31 23:30", ["2025 Autumn leaves"]),
    ],
)
def test_it_follows_the_period_of_today(client, owner, years, moment, expected):
    make_entry(years[2025], period=1, title="Winter plans", body="")
    make_entry(years[2025], period=2, title="Busan beach", body="")
    make_entry(years[2025], period=3, title="Autumn leaves", body="")

    assert _memories(_dashboard(client, owner, moment).text) == expected


def test_it_shows_the_first_photos_smallest_rendition_as_a_lazy_thumbnail(client, owner, years):
    entry = make_entry(years[2025], period=2, title="Busan beach")
    first = make_photo(entry, upload=image_upload(size=(1200, 800)))
    make_photo(entry, upload=image_upload(size=(800, 1200)))
    smallest = first.renditions[0]

    response = _dashboard(client, owner)

    assert smallest["width"] == 480
    assert response.text.count('<a class="memory-thumb"') == 1
    assert (
        f'<img src="{first.file_url(smallest["name"])}" width="480" height="320" '
        'loading="lazy" decoding="async" alt="">'
    ) in response.text
    with time_machine.travel(JUNE, tick=False):
        assert client.get(first.file_url(smallest["name"])).status_code == 200


def test_it_shows_no_thumbnail_for_an_entry_without_photos(client, owner, years):
    make_entry(years[2025], period=2, title="Busan beach")

    response = _dashboard(client, owner)

    assert _memories(response.text) == ["2025 Busan beach We went to the sea."]
    assert "memory-thumb" not in response.text


def test_it_cuts_a_long_text_to_a_short_plain_excerpt(client, owner, years):
    body = "# A long day\n\n" + "We walked **along the sea** & talked. " * 20
    make_entry(years[2025], period=2, title="Busan beach", body=body)

    response = _dashboard(client, owner)

    [memory] = _memories(response.text)
    assert memory.startswith("2025 Busan beach A long day We walked along the sea &amp; talked.")
    assert memory.endswith("…")
    assert "**" not in memory
    assert "<h" not in re.search(r'<p class="memory-excerpt">(.*?)</p>', response.text)[1]


def test_it_shows_at_most_six_entries(client, owner, years):
    for number in range(4):
        make_entry(years[2025], period=2, title=f"Entry {number}", body="")
        make_entry(years[2024], period=2, title=f"Entry {number}", body="")

    response = _dashboard(client, owner)

    assert _memories(response.text) == [
        "2025 Entry 0",
        "2025 Entry 1",
        "2025 Entry 2",
        "2025 Entry 3",
        "2024 Entry 0",
        "2024 Entry 1",
    ]


# Queries


def _with_photo(year, title: str) -> None:
    make_photo(make_entry(year, period=2, title=title))


def test_it_needs_two_queries_however_many_entries_and_photos(
    django_assert_num_queries, owner, years
):
    _with_photo(years[2025], "One")
    today = datetime.date(2026, 6, 15)
    with django_assert_num_queries(2):
        assert len(on_this_day(owner, today)) == 1

    for year in (years[2023], years[2024], years[2025]):
        for number in range(3):
            _with_photo(year, f"More {number}")
    with django_assert_num_queries(2):
        assert len(on_this_day(owner, today)) == 6


def test_the_dashboard_query_count_does_not_grow_with_earlier_entries(
    client, django_assert_num_queries, owner, years
):
    _with_photo(years[2025], "One")
    with time_machine.travel(JUNE, tick=False):
        client.force_login(owner)
        with CaptureQueriesContext(connection) as small:
            assert len(_memories(client.get(HOME).text)) == 1

        for year in (years[2023], years[2024], years[2025]):
            for number in range(4):
                _with_photo(year, f"More {number}")
        with django_assert_num_queries(len(small.captured_queries)):
            assert len(_memories(client.get(HOME).text)) == 6
