"""A journal kept in Day One or Journey becomes the person's years, entry by entry.

The exports are written here in the shape each app gives them: Day One's one JSON with
escaped Markdown and photos by md5 under photos/, Journey's one JSON per entry with HTML
text and its photo files beside it.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planner.models import Entry, Import, Photo, Visibility, Year
from tests.factory import image_bytes, make_year

pytestmark = pytest.mark.django_db

IMPORT = reverse("portability:journal_import")


def zipped(files: dict[str, bytes | str]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return SimpleUploadedFile("export.zip", buffer.getvalue(), content_type="application/zip")


def day_one_export() -> SimpleUploadedFile:
    entries = [
        {
            "uuid": "A1",
            "creationDate": "2023-12-31T16:30:00Z",  # already 2024 in Seoul
            "timeZone": "Asia/Seoul",
            "text": "# 새해 첫 일출\n\n정동진에서 해를 봤다\\. 추웠다\\!\n\n"
            "![](dayone-moment://P1)\n\n바다가 반짝였다\\.",
            "photos": [{"identifier": "P1", "md5": "aaa111", "type": "jpeg", "orderInEntry": 0}],
            "starred": True,
            "tags": ["여행", "바다"],
        },
        {
            "uuid": "A2",
            "creationDate": "2024-06-15T03:00:00Z",
            "timeZone": "Asia/Seoul",
            "text": "이사\n\n새 집은 볕이 잘 든다\\.",
            "photos": [
                {"identifier": "P2", "md5": "bbb222", "type": "png"},
                {"identifier": "P3", "md5": "missing", "type": "jpeg"},
            ],
        },
        {
            "uuid": "A3",
            "creationDate": "2024-10-02T11:00:00Z",
            "timeZone": "Asia/Seoul",
            "text": "오늘은 길게 쓰고 싶은 날이다. " * 10,
        },
        {
            "uuid": "A4",
            "creationDate": "2022-03-01T00:00:00Z",
            "timeZone": "Asia/Seoul",
            "text": "# 오래전\n\n예전 일기.",
        },
        "not an entry",
        {"uuid": "A5", "creationDate": "someday", "text": "no date"},
    ]
    return zipped(
        {
            "Journal.json": json.dumps({"metadata": {"version": "1.0"}, "entries": entries}),
            "photos/aaa111.jpeg": image_bytes(),
            "photos/bbb222.png": image_bytes("PNG"),
        }
    )


def journey_export() -> SimpleUploadedFile:
    def entry(ident: str, when_ms: int, text: str, photos=(), **extra) -> str:
        return json.dumps(
            {
                "id": ident,
                "date_journal": when_ms,
                "timezone": "Europe/Lisbon",
                "text": text,
                "type": "html",
                "photos": list(photos),
                "tags": extra.get("tags", []),
                "favourite": extra.get("favourite", False),
            }
        )

    return zipped(
        {
            "1709290800000-a.json": entry(
                "1709290800000-a",
                1709290800000,  # 2024-03-01
                "<p>Moving day</p><p>Eleven boxes and a <strong>train</strong>.</p>"
                "<script>alert(1)</script>",
                photos=["1709290800000-a-1.jpg"],
                tags=["lisbon"],
            ),
            "1709290800000-a-1.jpg": image_bytes(),
            "1725148800000-b.json": entry(
                "1725148800000-b",
                1725148800000,  # 2024-09-01
                "<h1>Back to running</h1><ul><li>3 km</li><li>slowly</li></ul>",
                favourite=True,
            ),
        }
    )


def test_a_day_one_journal_becomes_years_with_entries_in_their_periods(owner_client, owner):
    response = owner_client.post(IMPORT, {"file": day_one_export(), "visibility": "private"})

    assert response.status_code == 302
    assert response["Location"] == "/@owner/2022/"
    assert sorted(owner.years.values_list("year", flat=True)) == [2022, 2024]
    year = Year.objects.get(owner=owner, year=2024)
    assert year.visibility == Visibility.PRIVATE
    first = year.periods.get(index=1).entries.get()
    assert first.title == "새해 첫 일출"
    assert (
        first.body
        == "정동진에서 해를 봤다. 추웠다!\n\n바다가 반짝였다.\n\n*★ Starred · #여행 · #바다*"
    )
    assert first.photos.count() == 1
    moved = year.periods.get(index=2).entries.get()
    assert (moved.title, moved.body) == ("이사", "새 집은 볕이 잘 든다.")
    assert moved.photos.count() == 1  # the photo whose file is missing is left out
    long_one = year.periods.get(index=3).entries.get()
    assert long_one.title == "October 2"
    assert long_one.body.startswith("오늘은 길게 쓰고 싶은 날이다.")
    assert Import.objects.filter(post__owner=owner).count() == 2
    page = owner_client.get(response["Location"]).text
    assert (
        "Imported from your journal: 2022 (1 entry, 0 photos), 2024 (3 entries, 2 photos)." in page
    )


def test_a_journey_export_becomes_a_year_with_its_html_read_as_text(owner_client, owner):
    response = owner_client.post(IMPORT, {"file": journey_export(), "visibility": "public"})

    assert response.status_code == 302
    year = Year.objects.get(owner=owner, year=2024)
    assert year.visibility == Visibility.PUBLIC
    spring = year.periods.get(index=1).entries.get()
    assert (spring.title, spring.body) == (
        "Moving day",
        "Eleven boxes and a **train**.\n\n*#lisbon*",
    )
    assert spring.photos.count() == 1
    autumn = year.periods.get(index=3).entries.get()
    assert autumn.title == "Back to running"
    assert autumn.body == "- 3 km\n- slowly\n\n*★ Starred*"
    assert "alert" not in spring.body


def test_a_year_the_person_has_is_left_as_it_is(owner_client, owner):
    mine = make_year(owner, year=2024, title="My own 2024")

    response = owner_client.post(IMPORT, {"file": day_one_export(), "visibility": "private"})

    assert response.status_code == 302
    assert Entry.objects.filter(period__year=mine).count() == 0
    assert Year.objects.filter(owner=owner, year=2022).exists()
    page = owner_client.get(response["Location"]).text
    assert "Left as they were, since you have them already: 2024." in page


def test_an_imported_journal_year_can_be_undone(owner_client, owner):
    owner_client.post(IMPORT, {"file": journey_export(), "visibility": "private"})
    undo = reverse("portability:markdown_import_undo", args=["owner", 2024])

    owner_client.post(undo)

    assert not Year.objects.filter(owner=owner).exists()
    assert not Photo.objects.exists()


def day_one(**entry) -> dict[str, str]:
    entry = {"creationDate": "2024-01-01T00:00:00Z", "text": "x", **entry}
    return {"Journal.json": json.dumps({"entries": [entry]})}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"Journal.json": "[" * 200_000 + "]" * 200_000}, "Journal.json is not readable JSON."),
        (day_one(creationDate="0001-01-01T00:00:00Z"), "entries is dated between 1900 and"),
        (day_one(text="a" * 50_001), "The entry of Jan. 1, 2024 is longer than 50,000 characters."),
    ],
)
def test_it_refuses_a_journal_it_cannot_take_with_a_message(owner_client, owner, files, message):
    response = owner_client.post(IMPORT, {"file": zipped(files), "visibility": "private"})

    assert response.status_code == 422
    assert message in response.text
    assert not Year.objects.filter(owner=owner).exists()


@pytest.mark.parametrize(
    "odd",
    [
        {"photos": 5},
        {"tags": 7},
        {"tags": [{"nested": True}, "kept"]},
        {"text": ["not", "text"]},
        {"creationDate": "9999-12-31T23:00:00Z", "timeZone": "Asia/Seoul"},
        {"timeZone": "Mars/Olympus"},
    ],
)
def test_odd_fields_in_a_journal_are_read_as_well_as_they_can_be(owner_client, owner, odd):
    response = owner_client.post(IMPORT, {"file": zipped(day_one(**odd)), "visibility": "private"})

    assert response.status_code in (302, 422)  # made, or refused with a message
    if response.status_code == 422:
        assert "is dated between" in response.text


def test_a_journey_entry_with_photos_that_are_no_list_is_read_without_them(owner_client, owner):
    files = {
        "1.json": json.dumps({"date_journal": 1709290800000, "text": "Hello", "photos": 3}),
    }
    response = owner_client.post(IMPORT, {"file": zipped(files), "visibility": "private"})
    assert response.status_code == 302
    assert Entry.objects.get(period__year__owner=owner).title == "Hello"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"notes.txt": "hello"}, "it is not an export from Day One or Journey"),
        ({"Journal.json": "{not json"}, "Journal.json is not readable JSON."),
        ({"../evil.json": "{}"}, "points outside the archive"),
        (
            {
                "Journal.json": json.dumps(
                    {
                        "entries": [
                            {
                                "creationDate": "2024-01-01T00:00:00Z",
                                "text": "x",
                                "photos": [{"identifier": "P", "md5": "bad", "type": "jpeg"}],
                            }
                        ]
                    }
                ),
                "photos/bad.jpeg": b"not a picture",
            },
            "photos/bad.jpeg",
        ),
    ],
)
def test_it_refuses_what_is_not_a_journal_and_saves_nothing(owner_client, owner, files, message):
    response = owner_client.post(IMPORT, {"file": zipped(files), "visibility": "private"})

    assert response.status_code == 422
    assert message in response.text
    assert not Year.objects.filter(owner=owner).exists()
    assert not Photo.objects.exists()


def test_a_file_that_is_not_a_zip_is_refused(owner_client, owner):
    upload = SimpleUploadedFile("export.zip", b"plain text", content_type="application/zip")
    response = owner_client.post(IMPORT, {"file": upload, "visibility": "private"})
    assert response.status_code == 422
    assert "not a .zip archive" in response.text


def test_it_is_linked_from_the_markdown_import(owner_client):
    assert IMPORT in owner_client.get(reverse("portability:markdown_import")).text


def test_an_entrys_title_is_its_first_line_in_plain_words(owner_client, owner):
    files = {
        "1.json": json.dumps(
            {
                "date_journal": 1709290800000,
                "type": "html",
                "text": "<p><strong>봄맞이 대청소</strong></p><p>창문까지 닦았다.</p>",
            }
        )
    }
    owner_client.post(IMPORT, {"file": zipped(files), "visibility": "private"})
    entry = Entry.objects.get(period__year__owner=owner)
    assert (entry.title, entry.body) == ("봄맞이 대청소", "창문까지 닦았다.")
