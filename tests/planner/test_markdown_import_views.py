from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from planner.models import Entry, Goal, Period, Photo, Year

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "md_samples"
IMPORT = reverse("planner:markdown_import")
SAVE = reverse("planner:markdown_import_save")
CANCEL = reverse("planner:markdown_import_cancel")


def sample(name: str) -> str:
    return (SAMPLES / name).read_text()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Year, Period, Goal, Entry, Photo)}


def test_it_shows_the_import_form(owner_client):
    response = owner_client.get(IMPORT)

    assert response.status_code == 200
    assert "<h1>Import a post written in Markdown</h1>" in response.text
    assert 'name="text"' in response.text
    assert 'name="images"' in response.text


def test_it_links_to_the_import_from_the_dashboard_and_the_new_year_page(owner_client):
    assert IMPORT in owner_client.get(reverse("planner:home")).text
    assert IMPORT in owner_client.get(reverse("planner:year_create")).text


def test_it_previews_without_creating_anything(owner_client):
    before = counts()

    response = owner_client.post(IMPORT, {"text": sample("ko_bold.md")})

    assert response.status_code == 200
    assert counts() == before
    page = response.text
    assert "Preview — nothing is saved yet" in page
    assert "토익 900점" in page and "920점으로 달성" in page
    assert "졸업식" in page and "여름 휴가" in page and "이사" in page
    assert "바빴지만 의미 있는 한 해였다." in page
    assert "일본어 공부" in page
    # The year came from the title, and the form carries it on.
    assert 'name="year" value="2023"' in page
    assert "Your 2024 does not exist yet: it will be created, private" in page
    assert 'formaction="/years/import/save/"' in page
