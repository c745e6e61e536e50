from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planner.models import Entry, Photo, Visibility
from tests.factory import image_upload, make_entry, make_photo, make_year
from tests.hostile_files import HOSTILE, HOSTILE_IDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(owner):
    return make_year(owner)


@pytest.fixture
def entry(year):
    return make_entry(year, period=2, title="Summer at the lake")


def _create_url(index: int = 2) -> str:
    return reverse("planner:entry_create", args=["owner", 2025, index])


def _post_url() -> str:
    return reverse("planner:year_detail", args=["owner", 2025])


def _login_url(next_url: str) -> str:
    return f"{reverse('login')}?{urlencode({'next': next_url}, safe='/')}"


# entry_create


def test_it_shows_the_new_entry_form_to_the_owner(owner_client, year):
    response = owner_client.get(_create_url())

    assert response.status_code == 200
    assert "New entry in May–August 2025" in response.text
    assert 'name="photo"' in response.text


def test_it_creates_an_entry_without_a_photo(owner_client, year):
    response = owner_client.post(
        _create_url(), {"title": "Moved to Seoul", "body": "A **big** month."}
    )

    assert response.status_code == 302
    assert response["Location"] == _post_url() + "#period-2"
    entry = Entry.objects.get()
    assert entry.title == "Moved to Seoul"
    assert entry.period.index == 2
    assert not entry.photos.exists()
    page = owner_client.get(_post_url()).text
    assert "Moved to Seoul" in page
    assert "<strong>big</strong>" in page


def test_it_creates_an_entry_with_a_captioned_photo(owner_client, year):
    response = owner_client.post(
        _create_url(),
        {
            "title": "Summit",
            "photo": image_upload(size=(3000, 2000)),
            "caption": "Me, pretending not to be tired",
        },
    )

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.entry.title == "Summit"
    assert photo.caption == "Me, pretending not to be tired"
    assert (photo.width, photo.height) in [(1600, 1066), (1600, 1067)]
    assert default_storage.exists(photo.image.name)
    page = owner_client.get(_post_url()).text
    assert f'src="{photo.fallback_url}"' in page
    assert "<figcaption>Me, pretending not to be tired</figcaption>" in page


@pytest.mark.parametrize("hostile", HOSTILE, ids=HOSTILE_IDS)
def test_it_refuses_a_new_entry_with_a_hostile_photo_and_stores_nothing(
    owner_client, year, settings, hostile
):
    upload = SimpleUploadedFile(hostile.name, hostile.data, content_type="image/jpeg")

    response = owner_client.post(_create_url(), {"title": "Summit", "photo": upload})

    assert response.status_code == 422
    assert f"“{hostile.name}” {hostile.reason}" in response.text
    assert 'value="Summit"' in response.text
    assert not Entry.all_objects.exists()
    assert not Photo.objects.exists()
    assert not any(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*"))


def test_it_keeps_a_caption_written_without_a_photo_and_asks_for_the_photo(owner_client, year):
    response = owner_client.post(
        _create_url(), {"title": "Summit", "caption": "Me, pretending not to be tired"}
    )

    assert response.status_code == 422
    assert "Choose a photo for this caption" in response.text
    assert 'value="Me, pretending not to be tired"' in response.text
    assert not Entry.objects.exists()


def test_it_shows_readers_the_photo_with_its_caption(reader_client, year):
    make_photo(make_entry(year, period=2), caption="A goat, judging me")

    response = reader_client.get(_post_url())

    assert response.status_code == 200
    assert "<figcaption>A goat, judging me</figcaption>" in response.text


def test_it_refuses_a_text_file_named_like_a_photo(owner_client, year):
    fake = SimpleUploadedFile("photo.png", b"not a picture at all", content_type="image/png")

    response = owner_client.post(_create_url(), {"title": "Summit", "photo": fake})

    assert response.status_code == 422
    assert "“photo.png” is not a JPEG, PNG, WebP, GIF or HEIC photo." in response.text
    assert not Entry.objects.exists()
    assert not Photo.objects.exists()


def test_it_refuses_an_empty_file(owner_client, year):
    empty = SimpleUploadedFile("photo.jpg", b"", content_type="image/jpeg")

    response = owner_client.post(_create_url(), {"title": "Summit", "photo": empty})

    assert response.status_code == 422
    assert "“photo.jpg” is empty." in response.text
    assert not Entry.objects.exists()
    assert not Photo.objects.exists()


def test_it_refuses_a_bmp_photo(owner_client, year):
    response = owner_client.post(
        _create_url(), {"title": "Scan", "photo": image_upload(name="scan.bmp", fmt="BMP")}
    )

    assert response.status_code == 422
    assert "“scan.bmp” is not a JPEG, PNG, WebP, GIF or HEIC photo." in response.text
    assert not Entry.objects.exists()


def test_it_requires_an_entry_title(owner_client, year):
    response = owner_client.post(_create_url(), {"title": "", "body": "Untitled"})

    assert response.status_code == 422
    assert "This field is required." in response.text
    assert not Entry.objects.exists()


def test_it_answers_404_to_a_reader_creating_an_entry(reader_client, year):
    assert reader_client.get(_create_url()).status_code == 404
    assert reader_client.post(_create_url(), {"title": "Hijack"}).status_code == 404
    assert not Entry.objects.exists()


def test_it_answers_404_for_a_period_that_does_not_exist(owner_client, year):
    assert owner_client.get(_create_url(index=4)).status_code == 404


def test_it_sends_an_anonymous_visitor_to_log_in_to_create_an_entry(client, year):
    response = client.post(_create_url(), {"title": "Drive-by"})

    assert response.status_code == 302
    assert response["Location"] == _login_url(_create_url())
    assert not Entry.objects.exists()


# entry_edit


def test_it_shows_the_entry_form_with_its_photos(owner_client, entry):
    photo = make_photo(entry, caption="Sunset")

    response = owner_client.get(reverse("planner:entry_edit", args=[entry.pk]))

    assert response.status_code == 200
    assert 'value="Summer at the lake"' in response.text
    assert f'src="{photo.thumbnail_url}"' in response.text
    assert 'value="Sunset"' in response.text


def test_it_saves_an_edited_entry(owner_client, entry):
    response = owner_client.post(
        reverse("planner:entry_edit", args=[entry.pk]),
        {"title": "Summer by the lake", "body": "Cold water.", "is_private": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == _post_url() + "#period-2"
    entry.refresh_from_db()
    assert entry.title == "Summer by the lake"
    assert entry.body == "Cold water."
    assert entry.is_private


def test_it_refuses_an_edit_without_a_title(owner_client, entry):
    response = owner_client.post(reverse("planner:entry_edit", args=[entry.pk]), {"title": ""})

    assert response.status_code == 422
    assert "This field is required." in response.text
    entry.refresh_from_db()
    assert entry.title == "Summer at the lake"


def test_it_answers_404_to_a_reader_editing_an_entry(reader_client, entry):
    url = reverse("planner:entry_edit", args=[entry.pk])

    assert reader_client.get(url).status_code == 404
    assert reader_client.post(url, {"title": "Hijacked"}).status_code == 404
    entry.refresh_from_db()
    assert entry.title == "Summer at the lake"


def test_it_sends_an_anonymous_visitor_to_log_in_to_edit_an_entry(client, entry):
    url = reverse("planner:entry_edit", args=[entry.pk])

    response = client.post(url, {"title": "Hijacked"})

    assert response.status_code == 302
    assert response["Location"] == _login_url(url)
    entry.refresh_from_db()
    assert entry.title == "Summer at the lake"


# entry_delete


def test_it_asks_before_deleting_an_entry(owner_client, entry):
    response = owner_client.get(reverse("planner:entry_delete", args=[entry.pk]))

    assert response.status_code == 200
    assert "Delete “Summer at the lake”?" in response.text
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_it_deletes_an_entry_and_keeps_its_photos_for_an_undo(
    owner_client, entry, django_capture_on_commit_callbacks
):
    names = [make_photo(entry).image.name, make_photo(entry).image.name]

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("planner:entry_delete", args=[entry.pk]))

    assert response.status_code == 302
    assert response["Location"] == _post_url() + "#period-2"
    assert not Entry.objects.exists()
    assert Photo.objects.filter(entry=entry).count() == 2
    assert all(default_storage.exists(name) for name in names)
    page = owner_client.get(_post_url()).text
    assert "Entry “Summer at the lake” deleted. You can undo this for a week." in page
    assert f'id="entry-{entry.pk}"' not in page


def test_it_answers_404_to_a_reader_deleting_an_entry(reader_client, entry):
    url = reverse("planner:entry_delete", args=[entry.pk])

    assert reader_client.get(url).status_code == 404
    assert reader_client.post(url).status_code == 404
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_it_sends_an_anonymous_visitor_to_log_in_to_delete_an_entry(client, entry):
    url = reverse("planner:entry_delete", args=[entry.pk])

    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == _login_url(url)
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_it_answers_404_on_a_private_year_for_a_reader_too(reader_client, owner):
    private = make_year(owner, year=2024, visibility=Visibility.PRIVATE)
    entry = make_entry(private)

    assert reader_client.get(reverse("planner:entry_edit", args=[entry.pk])).status_code == 404
    assert (
        reader_client.get(reverse("planner:year_detail", args=["owner", 2024])).status_code == 404
    )
