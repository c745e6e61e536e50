"""The 404 and 500 pages are the site's own, in the visitor's language, with DEBUG off."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from planner.models import Visibility
from tests.factory import make_year

HOME_LINK = '<a class="button button-primary" href="/">'


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def in_language(client, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def translated(language: str, text: str) -> str:
    with translation.override(language):
        return escape(gettext(text))


@pytest.mark.parametrize("language", ["en", "ko"])
def test_it_answers_a_missing_page_with_its_own_404_page(client, db, language):
    response = in_language(client, language).get("/@nobody/")

    assert response.status_code == 404
    page = response.text
    assert f'<html lang="{language}">' in page
    assert f"<h1>{translated(language, 'Page not found')}</h1>" in page
    assert f"{HOME_LINK}{translated(language, 'Go to the home page')}</a>" in page
    assert '<header class="site-header">' in page
    assert reverse("login") in page  # the site's own header, with its links


def test_it_shows_a_signed_in_person_the_same_404_with_their_header(client, owner, reader):
    make_year(owner, year=2025, visibility=Visibility.PRIVATE)
    client.force_login(reader)

    response = in_language(client, "ko").get(reverse("planner:year_detail", args=["owner", 2025]))

    assert response.status_code == 404
    assert f"<h1>{translated('ko', 'Page not found')}</h1>" in response.text
    assert reverse("planner:profile", args=["reader"]) in response.text  # "My years"


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize("language", ["en", "ko"])
def test_it_answers_a_failure_with_its_own_500_page(client, language):
    # No `db` fixture: the page must render without touching the database.
    client.raise_request_exception = False

    response = in_language(client, language).get("/broken/")

    assert response.status_code == 500
    page = response.text
    assert f'<html lang="{language}">' in page
    assert f"<h1>{translated(language, 'Something went wrong')}</h1>" in page
    assert f"{HOME_LINK}{translated(language, 'Go to the home page')}</a>" in page
    assert '<header class="site-header">' in page
    assert "/static/yearloop.css" in page


@pytest.mark.urls("tests.error_urls")
def test_it_shows_the_500_page_to_a_signed_in_person_in_their_language(client, owner):
    client.raise_request_exception = False
    client.force_login(owner)

    response = in_language(client, "ko").get("/broken/")

    assert response.status_code == 500
    assert '<html lang="ko">' in response.text
    assert f"<h1>{translated('ko', 'Something went wrong')}</h1>" in response.text
