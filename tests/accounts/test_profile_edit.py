from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from planner.images import process_avatar
from tests.factory import image_upload
from tests.hostile_files import HOSTILE, HOSTILE_IDS

URL = reverse("accounts:profile_edit")


def profile_data(user, **overrides) -> dict:
    data = {"display_name": user.display_name, "bio": user.bio, "email": user.email}
    return {**data, **overrides}


def phone_photo(name: str = "IMG_0042.jpg") -> SimpleUploadedFile:
    """A landscape JPEG as a phone takes it: with the camera make and where it was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (37.0, 33.0, 59.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (126.0, 58.0, 40.0)
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (10, 120, 200)).save(buffer, "JPEG", exif=exif)
    content = buffer.getvalue()
    assert Image.open(io.BytesIO(content)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def give_avatar(user) -> str:
    user.avatar = process_avatar(image_upload())
    user.save()
    return user.avatar.name


def test_it_sends_anonymous_visitors_to_log_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={URL}"


def test_it_does_not_change_anything_for_anonymous_visitors(client, owner):
    response = client.post(URL, profile_data(owner, display_name="Mallory"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    owner.refresh_from_db()
    assert owner.display_name == "Olivia Owner"


def test_it_shows_each_person_their_own_profile(client, owner, reader, stranger):
    for person in (owner, reader, stranger):
        client.force_login(person)

        response = client.get(URL)

        assert response.status_code == 200
        assert response.text.count("<h1") == 1
        assert f'value="{person.email}"' in response.text
        assert f'href="{reverse("planner:profile", args=[person.username])}"' in response.text
    assert 'value="Olivia Owner"' not in response.text


def test_it_is_a_form_that_can_upload_and_links_onwards(owner_client):
    response = owner_client.get(URL)

    assert 'enctype="multipart/form-data"' in response.text
    assert '<label for="id_avatar">' in response.text
    assert '<label for="id_display_name">' in response.text
    assert '<label for="id_bio">' in response.text
    assert '<label for="id_email">' in response.text
    assert f'href="{reverse("password_change")}"' in response.text
    assert 'href="/@owner/"' in response.text


def test_it_saves_the_display_name_and_bio(owner_client, owner):
    response = owner_client.post(
        URL, profile_data(owner, display_name="Olivia O.", bio="Pianist, Runner"), follow=True
    )

    assert response.redirect_chain == [(URL, 302)]
    assert "Your profile is saved." in response.text
    assert 'value="Olivia O."' in response.text
    owner.refresh_from_db()
    assert owner.display_name == "Olivia O."
    assert owner.bio == "Pianist, Runner"


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("Mina\r\nBcc: victim@example.com", "Mina Bcc: victim@example.com"),
        ("Mina \u202eKRAP", "Mina KRAP"),
        ("Mi\x07na\x1b", "Mi na"),
        ("하나 👩\u200d💻 مرحبا", "하나 👩\u200d💻 مرحبا"),
    ],
)
def test_it_keeps_a_display_name_on_one_line_as_typed(owner_client, owner, typed, kept):
    owner_client.post(URL, profile_data(owner, display_name=typed))

    owner.refresh_from_db()
    assert owner.display_name == kept


def test_it_changes_only_the_profile_of_the_person_logged_in(reader_client, owner, reader):
    reader_client.post(URL, profile_data(reader, display_name="Rae R."))

    owner.refresh_from_db()
    reader.refresh_from_db()
    assert reader.display_name == "Rae R."
    assert owner.display_name == "Olivia Owner"


def test_it_refuses_an_invalid_email(owner_client, owner):
    response = owner_client.post(URL, profile_data(owner, email="not an address", bio="New"))

    assert response.status_code == 422
    assert "Enter a valid email address." in response.text
    assert 'aria-describedby="id_email_error"' in response.text
    owner.refresh_from_db()
    assert owner.email == "owner@example.com"
    assert owner.bio == "Researcher, Developer, Student"


def test_it_refuses_a_bio_longer_than_one_line(owner_client, owner):
    response = owner_client.post(URL, profile_data(owner, bio="x" * 121))

    assert response.status_code == 422
    assert "Ensure this value has at most 120 characters (it has 121)." in response.text


def test_it_stores_the_avatar_small_square_and_without_location(owner_client, owner):
    response = owner_client.post(URL, profile_data(owner, avatar=phone_photo()))

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.avatar.name.startswith("avatars/")
    assert owner.avatar.name.endswith(".jpg")
    with default_storage.open(owner.avatar.name) as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.size == (256, 256)
        assert "exif" not in image.info
        assert len(image.getexif()) == 0
    page = owner_client.get(URL)
    assert f'src="{owner.avatar_url}"' in page.text


def test_it_deletes_the_old_avatar_when_it_is_replaced(
    owner_client, owner, django_capture_on_commit_callbacks
):
    old_name = give_avatar(owner)
    assert default_storage.exists(old_name)

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(URL, profile_data(owner, avatar=phone_photo()))

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.avatar.name != old_name
    assert default_storage.exists(owner.avatar.name)
    assert not default_storage.exists(old_name)


def test_it_removes_the_avatar_when_cleared(
    owner_client, owner, django_capture_on_commit_callbacks
):
    old_name = give_avatar(owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(URL, profile_data(owner, **{"avatar-clear": "on"}))

    assert response.status_code == 302
    owner.refresh_from_db()
    assert not owner.avatar
    assert not default_storage.exists(old_name)


def test_it_refuses_a_file_that_is_not_an_image(
    owner_client, owner, django_capture_on_commit_callbacks
):
    old_name = give_avatar(owner)
    fake = SimpleUploadedFile("avatar.png", b"just some notes, not a picture", "image/png")

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(URL, profile_data(owner, display_name="Changed", avatar=fake))

    assert response.status_code == 422
    assert "“avatar.png” is not a JPEG, PNG, WebP, GIF or HEIC photo." in response.text
    assert 'id="id_avatar_error"' in response.text
    assert f'src="/{old_name}"' in response.text
    owner.refresh_from_db()
    assert owner.avatar.name == old_name
    assert owner.display_name == "Olivia Owner"
    assert default_storage.exists(old_name)
    assert default_storage.listdir("avatars")[1] == [old_name.removeprefix("avatars/")]


def test_it_keeps_showing_the_saved_avatar_when_another_field_is_wrong(owner_client, owner):
    old_name = give_avatar(owner)

    response = owner_client.post(URL, profile_data(owner, email="nope", avatar=phone_photo()))

    assert response.status_code == 422
    assert f'src="/{old_name}"' in response.text
    owner.refresh_from_db()
    assert owner.avatar.name == old_name


@pytest.mark.parametrize("hostile", HOSTILE, ids=HOSTILE_IDS)
def test_it_refuses_every_hostile_avatar_with_its_reason_and_keeps_the_old_one(
    owner_client, owner, settings, django_capture_on_commit_callbacks, hostile
):
    old_name = give_avatar(owner)
    upload = SimpleUploadedFile(hostile.name, hostile.data, content_type="image/jpeg")

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(URL, profile_data(owner, bio="Changed", avatar=upload))

    assert response.status_code == 422
    assert f"“{hostile.name}” {hostile.reason}" in response.text
    owner.refresh_from_db()
    assert owner.avatar.name == old_name
    assert owner.bio == "Researcher, Developer, Student"
    media = Path(settings.MEDIA_ROOT)
    assert [str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()] == [old_name]


def test_it_links_the_current_avatar_where_it_is_served(owner_client, owner):
    give_avatar(owner)

    page = owner_client.get(URL).text
    link = re.search(r'Currently: <a href="([^"]+)">', page).group(1)

    assert link == owner.avatar_url
    assert "/media/" not in page
    assert owner_client.get(link).status_code == 200
