"""Importing the Markdown export of a post gives back the same post."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from planner.models import Direction, ProgressKind, Year
from tests.factory import make_entry, make_goal, make_photo, make_user, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(owner):
    year = make_year(owner, year=2025, title="", intro="A year of **small** steps.")
    year.summary = "Slower than planned, but steady.\n\nMore next year."
    year.save()
    make_goal(year, title="Run a half marathon", done=True, note="Finished in 2:05.")
    make_goal(year, title="Read 24 books", note="17 read.\nThe long ones took the summer.")
    make_goal(year, title="Learn to swim")
    make_goal(
        year,
        title="Read 15 books",
        target=Decimal(15),
        progress=Decimal(5),
        unit="books",
        deadline=datetime.date(2025, 6, 30),
        attempt=2,
    )
    make_goal(
        year,
        title="Weigh 76 kg",
        target=Decimal(76),
        start_value=Decimal(78),
        progress=Decimal("77.5"),
        unit="kg",
        progress_kind=ProgressKind.LATEST,
        direction=Direction.AT_MOST,
    )
    make_goal(year, title="A private promise", is_private=True, note="only for me")
    year.periods.filter(index=1).update(retrospective="Cold, and busy at work.")
    spring = make_entry(year, 1, title="Spring trip", body="We went to the sea.\n\nIt rained.")
    make_photo(spring, caption="The harbour [at dawn]")
    make_entry(year, 2, title="이사", body="새 집으로 이사했다.")
    make_entry(year, 3, title="First race", body="- 21 km\n- 2:05")
    make_entry(year, 3, title="Diary", body="Mine alone.", is_private=True)
    next_post = make_year(owner, year=2026)
    make_goal(next_post, title="Run a full marathon")
    make_goal(next_post, title="Read 12 books")
    return year


def export(client, post: Year, language: str) -> str:
    address = reverse("portability:year_export_md", args=[post.owner.username, post.year])
    # The owner's whole document: next year is private once imported.
    response = client.get(address, {"private": "1"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.text


def without_byline(markdown: str) -> str:
    return re.sub(r"\A(# [^\n]*\n\n)\*[^\n]*\*\n\n", r"\1", markdown)


def without_photo_addresses(markdown: str) -> str:
    return re.sub(rf"\]\({re.escape(settings.SITE_URL)}/[^)]+\)", "](photo)", markdown)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_importing_an_export_gives_back_the_same_post(post, owner_client, client, language):
    markdown = export(owner_client, post, language)
    assert ("## 1월 ~ 4월" in markdown) == (language == "ko")
    importer = make_user("importer")
    client.force_login(importer)

    response = client.post(
        reverse("portability:markdown_import_save"),
        {"text": markdown, "year": "2025"},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 302
    imported = Year.objects.get(owner=importer, year=2025)
    # The same document but its byline: the importer is the author of what they import.
    again = export(client, imported, language)
    assert "importer" in again.split("\n")[2]
    assert without_photo_addresses(without_byline(again)) == without_photo_addresses(
        without_byline(markdown)
    )
    fields = (
        "title",
        "done",
        "note",
        "is_private",
        "target",
        "progress",
        "start_value",
        "unit",
        "deadline",
        "attempt",
        "progress_kind",
        "direction",
    )
    assert list(imported.goals.values_list(*fields)) == list(post.goals.values_list(*fields))
    diary = imported.periods.get(index=3).entries.get(title="Diary")
    assert diary.is_private and diary.body == "Mine alone."
    assert imported.periods.get(index=1).retrospective == "Cold, and busy at work."
    photo = imported.periods.get(index=1).entries.get().photos.get()
    assert photo.caption == "The harbour [at dawn]"
    assert Year.objects.get(owner=importer, year=2026).goals.count() == 2
