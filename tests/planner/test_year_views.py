from __future__ import annotations

import datetime
from urllib.parse import urlencode

import pytest
import time_machine
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from planner.models import Entry, Goal, Period, Photo, Visibility, Year
from tests.factory import make_entry, make_goal, make_photo, make_year

pytestmark = pytest.mark.django_db

EDIT = {"title": "2025: the year of the thesis", "visibility": "public"}


def _post_url(year: int = 2025) -> str:
    return reverse("planner:year_detail", args=["owner", year])


def _edit_url(year: int = 2025) -> str:
    return reverse("planner:year_edit", args=["owner", year])


def _delete_url(year: int = 2025) -> str:
    return reverse("planner:year_delete", args=["owner", year])


def _login_url(next_url: str) -> str:
    return f"{reverse('login')}?{urlencode({'next': next_url}, safe='/')}"


# year_create


def test_it_shows_the_start_a_year_form(owner_client):
    response = owner_client.get(reverse("planner:year_create"))

    assert response.status_code == 200
    assert "<h1>Start a year</h1>" in response.text
    assert 'name="year"' in response.text


def test_it_creates_a_private_year_with_three_periods(owner_client, owner):
    response = owner_client.post(
        reverse("planner:year_create"), {"year": "2026", "visibility": "private"}
    )

    assert response.status_code == 302
    assert response["Location"] == _post_url(2026)
    year = Year.objects.get(owner=owner)
    assert year.year == 2026
    assert year.visibility == Visibility.PRIVATE
    assert year.published_at is None
    assert list(year.periods.values_list("index", flat=True)) == [1, 2, 3]
    page = owner_client.get(response["Location"]).text
    assert "2026 review and 2027 plan" in page
    assert "2026 is ready. Start with a few goals." in page
    assert "January–April" in page and "May–August" in page and "September–December" in page


def test_it_refuses_a_year_the_person_already_has(owner_client, owner):
    make_year(owner, year=2025)

    response = owner_client.post(
        reverse("planner:year_create"), {"year": "2025", "visibility": "private"}
    )

    assert response.status_code == 422
    assert "You already have 2025." in response.text
    assert Year.objects.filter(owner=owner).count() == 1


def test_it_lets_another_person_start_the_same_year(reader_client, owner, reader):
    make_year(owner, year=2025)

    response = reader_client.post(
        reverse("planner:year_create"), {"year": "2025", "visibility": "private"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("planner:year_detail", args=["reader", 2025])
    assert Year.objects.filter(year=2025).count() == 2
    assert Year.objects.get(owner=reader).periods.count() == 3


@pytest.mark.parametrize("value", ["1800", "2201"])
def test_it_refuses_a_year_out_of_range(owner_client, value):
    response = owner_client.post(
        reverse("planner:year_create"), {"year": value, "visibility": "private"}
    )

    assert response.status_code == 422
    assert "Choose a year between 1900 and 2200." in response.text
    assert not Year.objects.exists()
    assert not Period.objects.exists()


def test_it_refuses_a_year_that_is_not_a_number(owner_client):
    response = owner_client.post(
        reverse("planner:year_create"), {"year": "next", "visibility": "private"}
    )

    assert response.status_code == 422
    assert "Enter a whole number." in response.text
    assert not Year.objects.exists()


def test_it_sends_an_anonymous_visitor_to_log_in_to_start_a_year(client):
    url = reverse("planner:year_create")

    response = client.post(url, {"year": "2026", "visibility": "private"})

    assert response.status_code == 302
    assert response["Location"] == _login_url(url)
    assert not Year.objects.exists()


# year_edit


def test_it_shows_the_year_form_filled_in(owner_client, owner):
    make_year(owner, title="My 2025")

    response = owner_client.get(_edit_url())

    assert response.status_code == 200
    assert "<h1>Edit 2025</h1>" in response.text
    assert 'value="My 2025"' in response.text


@pytest.mark.parametrize(
    "language, help_text",
    [
        ("en", "Leave empty for “2025 review and 2026 plan”."),
        ("ko", "비워 두면 “2025년 결산 및 2026년 계획”이 됩니다."),
    ],
)
def test_it_names_the_default_title_with_the_real_years(owner_client, owner, language, help_text):
    make_year(owner)
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = owner_client.get(_edit_url())

    assert f'<div class="help" id="id_title_helptext">{help_text}</div>' in response.text


def test_it_says_before_the_first_publication_who_will_be_told(owner_client, owner):
    tells = "people who follow you and the addresses subscribed to you by e-mail are told"
    make_year(owner, visibility=Visibility.PRIVATE)

    before = owner_client.get(_edit_url()).text
    start = owner_client.get(reverse("planner:year_create")).text
    Year.objects.filter(owner=owner).update(published_at=datetime.datetime.now(datetime.UTC))
    after = owner_client.get(_edit_url()).text

    assert tells in before
    assert tells in start
    assert tells not in after


def test_it_saves_title_and_visibility(owner_client, owner):
    year = make_year(owner, visibility=Visibility.UNLISTED)

    response = owner_client.post(_edit_url(), EDIT)

    assert response.status_code == 302
    assert response["Location"] == _post_url()
    year.refresh_from_db()
    assert year.title == "2025: the year of the thesis"
    assert year.visibility == Visibility.PUBLIC
    page = owner_client.get(_post_url()).text
    assert '<h1 id="post-title">2025: the year of the thesis</h1>' in page


def test_it_leaves_the_texts_to_their_versioned_editor(owner_client, owner):
    # The intro and summary are saved with a version check (test_text_views.py);
    # a stale copy posted here must not undo them.
    year = make_year(owner, intro="Written in place.", summary="Also in place.")

    owner_client.post(_edit_url(), {**EDIT, "intro": "A stale copy", "summary": "Stale"})

    year.refresh_from_db()
    assert (year.intro, year.summary) == ("Written in place.", "Also in place.")


def test_it_falls_back_to_the_default_title_when_cleared(owner_client, owner):
    year = make_year(owner, title="Old title")

    owner_client.post(_edit_url(), {**EDIT, "title": ""})

    year.refresh_from_db()
    assert year.title == ""
    assert "2025 review and 2026 plan" in owner_client.get(_post_url()).text


def test_it_sets_the_publish_date_on_first_publish_only(owner_client, owner):
    year = make_year(owner, visibility=Visibility.PRIVATE)
    assert year.published_at is None
    first = datetime.datetime(2026, 1, 3, 20, 0, tzinfo=datetime.UTC)

    with time_machine.travel(first, tick=False):
        owner_client.post(_edit_url(), EDIT)
    year.refresh_from_db()
    assert year.published_at == first

    with time_machine.travel(datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC), tick=False):
        owner_client.post(_edit_url(), {**EDIT, "visibility": "private"})
        owner_client.post(_edit_url(), {**EDIT, "visibility": "unlisted"})
    year.refresh_from_db()
    assert year.visibility == Visibility.UNLISTED
    assert year.published_at == first
    assert '<time datetime="2026-01-03T20:00:00+00:00">' in owner_client.get(_post_url()).text


def test_it_refuses_an_unknown_visibility(owner_client, owner):
    year = make_year(owner, visibility=Visibility.PRIVATE)

    response = owner_client.post(_edit_url(), {**EDIT, "visibility": "everyone"})

    assert response.status_code == 422
    assert "Select a valid choice. everyone is not one of the available choices." in response.text
    year.refresh_from_db()
    assert year.visibility == Visibility.PRIVATE
    assert year.title == ""


def test_it_refuses_a_title_that_is_too_long(owner_client, owner):
    year = make_year(owner)

    response = owner_client.post(_edit_url(), {**EDIT, "title": "x" * 201})

    assert response.status_code == 422
    assert "Ensure this value has at most 200 characters (it has 201)." in response.text
    year.refresh_from_db()
    assert year.title == ""


def test_it_answers_404_to_a_reader_editing_a_public_year(reader_client, owner):
    year = make_year(owner, visibility=Visibility.PUBLIC)

    assert reader_client.get(_edit_url()).status_code == 404
    assert reader_client.post(_edit_url(), EDIT).status_code == 404
    year.refresh_from_db()
    assert year.title == ""


def test_it_answers_404_for_a_year_that_does_not_exist(owner_client, owner):
    make_year(owner, year=2025)

    assert owner_client.get(_edit_url(2024)).status_code == 404


def test_it_sends_an_anonymous_visitor_to_log_in_to_edit_a_year(client, owner):
    year = make_year(owner)

    response = client.post(_edit_url(), EDIT)

    assert response.status_code == 302
    assert response["Location"] == _login_url(_edit_url())
    year.refresh_from_db()
    assert year.title == ""


# year_delete


def test_it_asks_before_deleting_a_year(owner_client, owner):
    make_year(owner)

    response = owner_client.get(_delete_url())

    assert response.status_code == 200
    assert "Delete “2025 review and 2026 plan”?" in response.text
    assert Year.objects.exists()


def test_it_deletes_a_year_with_everything_in_it(
    owner_client, owner, django_capture_on_commit_callbacks
):
    year = make_year(owner)
    kept = make_year(owner, year=2026)
    make_goal(year)
    make_goal(kept, title="Kept goal")
    photo = make_photo(make_entry(year))

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(_delete_url())

    assert response.status_code == 302
    assert response["Location"] == reverse("planner:profile", args=["owner"])
    assert list(Year.objects.all()) == [kept]
    assert list(Goal.objects.values_list("title", flat=True)) == ["Kept goal"]
    assert Period.objects.filter(year=kept).count() == Period.objects.count() == 3
    assert not Entry.objects.exists()
    assert not Photo.objects.exists()
    assert not default_storage.exists(photo.image.name)
    assert "2025 was deleted." in owner_client.get(response["Location"]).text
    # After the message: the 404 page is the site's own and shows pending messages too.
    assert owner_client.get(_post_url()).status_code == 404


def test_it_answers_404_to_a_reader_deleting_a_year(reader_client, owner):
    make_year(owner)

    assert reader_client.get(_delete_url()).status_code == 404
    assert reader_client.post(_delete_url()).status_code == 404
    assert Year.objects.filter(owner=owner).exists()


def test_it_sends_an_anonymous_visitor_to_log_in_to_delete_a_year(client, owner):
    make_year(owner)

    response = client.post(_delete_url())

    assert response.status_code == 302
    assert response["Location"] == _login_url(_delete_url())
    assert Year.objects.filter(owner=owner).exists()
