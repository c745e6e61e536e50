"""A full media disk: each upload gets a clear 507 in the person's language, and leaves nothing.

MEDIA_ROOT is put on a 2 MB tmpfs mounted for each test (`small_media_disk` in conftest.py),
which the test fills up before sending a real upload through the real views.
"""

from __future__ import annotations

import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from planner.images import process_photo
from planner.models import Entry, Photo, Year
from portability.markdown_import import drafts
from tests.factory import image_upload, make_entry, make_photo, make_year
from tests.portability.archive_helpers import export_bytes, upload

EN_PAGE = "The site has no room left to store files right now, so nothing was saved."
KO_PAGE = "지금은 사이트에 파일을 저장할 공간이 없어 아무것도 저장하지 않았습니다."
EN_UPLOAD = "Not added: the site has no room to store files right now. Try later."
KO_UPLOAD = (
    "추가하지 못했습니다: 지금은 사이트에 파일을 저장할 공간이 없습니다. 나중에 다시 해 보세요."
)
MARKDOWN = "# 2023 review\n\n## January to April\n\n### Graduation\n\n![Cap](graduation.jpg)\n"


def camera_photo(name: str = "IMG_2041.jpg") -> SimpleUploadedFile:
    """A 3-megapixel phone JPEG of 0.9 MB: grainy as photos are, with camera and GPS in EXIF."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.DateTime] = "2025:02:14 09:30:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (37.0, 33.0, 59.0)
    grain = Image.effect_noise((2000, 1500), 20)
    picture = Image.merge(
        "RGB", (grain, grain.rotate(180), Image.linear_gradient("L").resize(grain.size))
    )
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80, exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def room_for_the_first_rendition(photo: SimpleUploadedFile) -> int:
    """Room for the narrowest WebP of `photo` and not the next: a photo half written."""
    processed = process_photo(photo)
    photo.seek(0)
    first, second = (processed.files[r["name"]].size for r in processed.renditions[:2])
    room = first + 4096  # a page more: tmpfs rounds every file up to whole pages
    assert room < second
    return room


@pytest.fixture
def entry(owner):
    return make_entry(make_year(owner), title="Jeju in spring", body="The sea, and wind.")


def add_photo(client, entry, photo, **headers):
    return client.post(
        reverse("planner:photo_create", args=[entry.pk]), {"images": [photo]}, **headers
    )


def assert_entry_intact(entry: Entry) -> None:
    entry.refresh_from_db()
    assert (entry.title, entry.body) == ("Jeju in spring", "The sea, and wind.")


def test_a_photo_half_written_to_a_full_disk_leaves_nothing(
    owner_client, small_media_disk, entry, caplog
):
    kept = make_photo(entry)
    photo = camera_photo()
    small_media_disk.fill(leave=room_for_the_first_rendition(photo))
    before = small_media_disk.files()

    with caplog.at_level(logging.ERROR, logger="yearloop.middleware"):
        response = add_photo(owner_client, entry, photo)

    assert response.status_code == 507
    assert EN_PAGE in response.text
    assert "<h1>No room to store your file</h1>" in response.text
    assert list(entry.photos.all()) == [kept]
    assert small_media_disk.files() == before
    assert_entry_intact(entry)
    assert "No room to store an upload" in caplog.text
    assert "No space left on device" in caplog.text


def test_the_upload_script_is_told_in_korean(owner_client, small_media_disk, entry):
    small_media_disk.fill()
    before = small_media_disk.files()

    response = add_photo(
        owner_client, entry, camera_photo(), HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="ko"
    )

    assert response.status_code == 507
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text == KO_UPLOAD
    assert not Photo.objects.exists()
    assert small_media_disk.files() == before
    assert_entry_intact(entry)


def test_a_new_entry_with_its_photo_is_not_half_saved(owner_client, small_media_disk, owner):
    post = make_year(owner)
    small_media_disk.fill()
    before = small_media_disk.files()

    response = owner_client.post(
        reverse("planner:entry_create", args=[owner.username, post.year, 1]),
        {"title": "Graduation", "body": "Finally.", "photo": camera_photo()},
        HTTP_ACCEPT_LANGUAGE="ko",
    )

    assert response.status_code == 507
    assert KO_PAGE in response.text
    assert not Entry.objects.exists()
    assert small_media_disk.files() == before


def test_an_avatar_on_a_full_disk_keeps_the_profile_as_it_was(
    owner_client, small_media_disk, owner
):
    owner_client.post(
        reverse("accounts:profile_edit"),
        {"display_name": owner.display_name, "email": owner.email, "avatar": image_upload()},
    )
    owner.refresh_from_db()
    avatar = owner.avatar.name
    small_media_disk.fill()
    before = small_media_disk.files()

    response = owner_client.post(
        reverse("accounts:profile_edit"),
        {"display_name": "Liv", "email": owner.email, "avatar": camera_photo()},
        HTTP_ACCEPT_LANGUAGE="ko",
    )

    assert response.status_code == 507
    assert KO_PAGE in response.text
    owner.refresh_from_db()
    assert (owner.display_name, owner.avatar.name) == ("Olivia Owner", avatar)
    assert avatar in small_media_disk.files()
    assert small_media_disk.files() == before


def test_an_image_sent_with_a_markdown_import_leaves_nothing(owner_client, small_media_disk):
    small_media_disk.fill()
    before = small_media_disk.files()

    response = owner_client.post(
        reverse("portability:markdown_import"),
        {"text": MARKDOWN, "images": [camera_photo("graduation.jpg")]},
    )

    assert response.status_code == 507
    assert EN_PAGE in response.text
    assert small_media_disk.files() == before


def test_a_markdown_import_saved_to_a_full_disk_creates_nothing(owner_client, small_media_disk):
    owner_client.post(
        reverse("portability:markdown_import"),
        {"text": MARKDOWN, "images": [camera_photo("graduation.jpg")]},
    )
    token = owner_client.session[drafts.SESSION_KEY][-1]
    small_media_disk.fill()
    before = small_media_disk.files()

    response = owner_client.post(
        reverse("portability:markdown_import_save"),
        {"text": MARKDOWN, "year": "2023", "draft": token},
        HTTP_ACCEPT_LANGUAGE="ko",
    )

    assert response.status_code == 507
    assert KO_PAGE in response.text
    assert not Year.objects.exists()
    assert small_media_disk.files() == before  # the draft is still there to save again


def test_an_archive_imported_to_a_full_disk_creates_nothing(
    client, small_media_disk, owner, reader, entry
):
    make_photo(entry, upload=camera_photo())
    archive = export_bytes(owner)
    small_media_disk.fill()
    before = small_media_disk.files()
    client.force_login(reader)

    response = client.post(reverse("portability:archive_import"), {"archive": upload(archive)})

    assert response.status_code == 507
    assert EN_PAGE in response.text
    assert not Year.objects.filter(owner=reader).exists()
    assert Photo.objects.count() == 1
    assert small_media_disk.files() == before
