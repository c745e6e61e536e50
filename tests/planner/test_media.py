from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.urls import reverse
from django.utils.http import http_date
from PIL import ExifTags, Image

from planner.images import process_avatar
from planner.models import Photo, Visibility
from tests.factory import image_upload, make_entry, make_photo, make_year
from tests.pages import unmasked

YEAR = 365 * 24 * 60 * 60
# Shared caches must ask again before each use, so none serves a photo once it is private.
PUBLIC_CACHE = f"public, max-age={YEAR}, s-maxage=0, proxy-revalidate, immutable"
PRIVATE_CACHE = f"private, max-age={YEAR}, immutable"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="37,33.98N"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def phone_photo(size=(2400, 1800)) -> SimpleUploadedFile:
    """A JPEG as a phone writes it: camera make, capture date, where it was taken, XMP."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.Model] = "Phone 15 Pro"
    exif[ExifTags.Base.DateTime] = "2025:07:14 09:30:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (37.0, 33.0, 59.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (126.0, 58.0, 40.0)
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(buffer, "JPEG", exif=exif, xmp=XMP)
    content = buffer.getvalue()
    assert b"GPS" in content and Image.open(io.BytesIO(content)).getexif().get_ifd(
        ExifTags.IFD.GPSInfo
    )
    return SimpleUploadedFile("IMG_0042.jpg", content, content_type="image/jpeg")


@pytest.fixture
def year(owner):
    return make_year(owner, visibility=Visibility.PUBLIC)


@pytest.fixture
def entry(year):
    return make_entry(year, title="Jeju in July")


@pytest.fixture
def photo(entry):
    return make_photo(entry, upload=image_upload(size=(1200, 900)))


def set_visibility(year, visibility: str) -> None:
    year.visibility = visibility
    year.save(update_fields=["visibility"])


def names(photo: Photo) -> list[str]:
    return [photo.image.name, *(rendition["name"] for rendition in photo.renditions)]


def url(photo: Photo, name: str = "960.webp") -> str:
    return photo.file_url(name)


def content_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    ("visibility", "owner_gets", "others_get"),
    [
        (Visibility.PUBLIC, 200, 200),
        (Visibility.UNLISTED, 200, 200),
        (Visibility.PRIVATE, 200, 404),
    ],
)
def test_it_serves_photos_by_the_years_visibility(
    client, owner, reader, year, photo, visibility, owner_gets, others_get
):
    set_visibility(year, visibility)

    for name in names(photo):
        assert client.get(url(photo, name)).status_code == others_get
    client.force_login(reader)
    for name in names(photo):
        assert client.get(url(photo, name)).status_code == others_get
    client.force_login(owner)
    for name in names(photo):
        assert client.get(url(photo, name)).status_code == owner_gets


def test_it_answers_a_hidden_photo_like_one_that_does_not_exist(client, year, photo, reader):
    set_visibility(year, Visibility.PRIVATE)
    client.force_login(reader)

    hidden_url = url(photo)
    missing_url = reverse("planner:photo_file", args=[photo.pk + 100, "960.webp"])
    hidden, missing = client.get(hidden_url), client.get(missing_url)

    assert hidden.status_code == missing.status_code == 404
    assert unmasked(hidden.text, hidden_url) == unmasked(missing.text, missing_url)


def test_it_shows_a_private_entrys_photos_only_to_the_owner(client, owner, reader, entry, photo):
    entry.is_private = True
    entry.save(update_fields=["is_private"])

    assert client.get(url(photo)).status_code == 404
    client.force_login(reader)
    assert client.get(url(photo)).status_code == 404
    client.force_login(owner)
    response = client.get(url(photo))
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE_CACHE


def test_it_hides_a_deleted_entrys_photos_from_everyone(client, owner, reader, entry, photo):
    entry.soft_delete()

    assert client.get(url(photo)).status_code == 404
    client.force_login(reader)
    assert client.get(url(photo)).status_code == 404
    client.force_login(owner)
    assert client.get(url(photo)).status_code == 404


def test_it_hides_the_photos_of_a_deactivated_account(client, owner, photo):
    owner.is_active = False
    owner.save(update_fields=["is_active"])

    assert client.get(url(photo)).status_code == 404


def test_it_stops_serving_at_once_when_a_year_turns_private(client, reader, year, photo):
    client.force_login(reader)
    assert client.get(url(photo)).status_code == 200

    set_visibility(year, Visibility.PRIVATE)

    assert client.get(url(photo)).status_code == 404


@pytest.mark.parametrize(
    "name", ["800.webp", "original.jpg", "fallback.png", "..", "photo.jpg", "%2e%2e"]
)
def test_it_answers_404_for_a_name_the_photo_does_not_have(owner_client, photo, name):
    assert owner_client.get(url(photo, name)).status_code == 404


def test_it_serves_each_file_with_its_type_length_and_validators(client, photo):
    for name in names(photo):
        response = client.get(url(photo, name))

        body = content_of(response)
        assert response.status_code == 200
        expected_type = "image/jpeg" if name.endswith(".jpg") else "image/webp"
        assert response["Content-Type"] == expected_type
        assert int(response["Content-Length"]) == len(body) == default_storage.size(name)
        assert Image.open(io.BytesIO(body)).format == ("JPEG" if ".jpg" in name else "WEBP")
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"] == http_date(int(photo.created_at.timestamp()))
        assert response["X-Content-Type-Options"] == "nosniff"


def test_it_streams_files_instead_of_reading_them_whole(client, photo):
    response = client.get(url(photo))

    assert isinstance(response, FileResponse)
    assert response.streaming
    response.close()


def test_it_answers_a_head_request_without_a_body(client, photo):
    response = client.head(url(photo))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert int(response["Content-Length"]) == default_storage.size(photo.stored_name("960.webp"))
    assert content_of(response) == b""


def test_it_refuses_to_change_a_file(owner_client, photo):
    assert owner_client.post(url(photo)).status_code == 405


def test_it_answers_304_when_the_browser_has_the_file(client, photo):
    first = client.get(url(photo))

    by_etag = client.get(url(photo), headers={"if-none-match": first["ETag"]})
    by_date = client.get(url(photo), headers={"if-modified-since": first["Last-Modified"]})

    for response in (by_etag, by_date):
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == first["ETag"]
        assert response["Cache-Control"] == PUBLIC_CACHE


def test_it_gives_every_file_its_own_etag(client, photo):
    etags = {client.get(url(photo, name))["ETag"] for name in names(photo)}

    assert len(etags) == len(names(photo))


def test_it_lets_shared_caches_keep_only_public_photos(client, owner, year, entry, photo):
    assert client.get(url(photo))["Cache-Control"] == PUBLIC_CACHE

    set_visibility(year, Visibility.UNLISTED)
    assert client.get(url(photo))["Cache-Control"] == PRIVATE_CACHE

    set_visibility(year, Visibility.PRIVATE)
    client.force_login(owner)
    assert client.get(url(photo))["Cache-Control"] == PRIVATE_CACHE


def test_it_lets_the_owner_download_their_original(client, owner, reader, entry):
    photo = make_photo(entry, upload=phone_photo(), keep_original=True)
    name = photo.original.name.rsplit("/", 1)[-1]
    client.force_login(owner)

    response = client.get(url(photo, name))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="photo-{photo.pk}-original.jpg"'
    )
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == PRIVATE_CACHE
    with photo.original.open() as original:
        assert content_of(response) == original.read()


def test_it_sends_an_original_with_a_strange_name_as_plain_bytes(client, owner, entry):
    upload = phone_photo()
    upload.name = "holiday.html"
    photo = make_photo(entry, upload=upload, keep_original=True)
    client.force_login(owner)

    response = client.get(url(photo, photo.original.name.rsplit("/", 1)[-1]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_it_never_serves_the_original_to_anyone_else(client, reader, staff, entry):
    photo = make_photo(entry, upload=phone_photo(), keep_original=True)
    name = photo.original.name.rsplit("/", 1)[-1]

    assert client.get(url(photo, name)).status_code == 404
    client.force_login(reader)
    assert client.get(url(photo, name)).status_code == 404
    client.force_login(staff)
    assert client.get(url(photo, name)).status_code == 404
    assert client.get(url(photo)).status_code == 200


def test_it_has_no_original_unless_the_owner_asked_to_keep_it(owner_client, entry):
    photo = make_photo(entry, upload=phone_photo())

    assert not photo.original
    assert owner_client.get(url(photo, "original.jpg")).status_code == 404


def test_it_serves_no_location_or_camera_data(client, entry):
    photo = make_photo(entry, upload=phone_photo())

    assert photo.taken_at is not None  # the date was read before the metadata went
    assert [r["width"] for r in photo.renditions] == [480, 720, 960, 1600]
    for name in names(photo):
        body = content_of(client.get(url(photo, name)))
        with Image.open(io.BytesIO(body)) as image:
            assert len(image.getexif()) == 0
            assert "exif" not in image.info
            assert "xmp" not in image.info
        for marker in (b"GPS", b"Exif", b"PhoneCo", b"xmpmeta"):
            assert marker not in body, (name, marker)


@pytest.fixture
def accel(settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"


def test_it_hands_the_file_to_nginx_with_x_accel_redirect(client, accel, photo):
    response = client.get(url(photo))

    stored = photo.stored_name("960.webp")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{stored}"
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == PUBLIC_CACHE
    assert response.content == b""


def test_it_checks_permissions_before_handing_over_to_nginx(client, accel, reader, year, photo):
    set_visibility(year, Visibility.PRIVATE)
    client.force_login(reader)

    response = client.get(url(photo))

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_it_hands_nginx_the_original_as_a_download(client, accel, owner, entry):
    photo = make_photo(entry, upload=phone_photo(), keep_original=True)
    client.force_login(owner)

    response = client.get(url(photo, photo.original.name.rsplit("/", 1)[-1]))

    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.original.name}"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == b""


@pytest.fixture
def signed_urls(settings):
    # With S3 storage, url() is a short-lived signed address; the file system storage's
    # stands in for it here (no bucket runs in the tests).
    settings.MEDIA_SIGNED_URLS = True


def test_it_redirects_to_the_storages_signed_address(client, signed_urls, photo):
    response = client.get(url(photo))

    assert response.status_code == 302
    assert response["Location"] == default_storage.url(photo.stored_name("960.webp"))
    # The address works for whoever holds it: no cache may keep it or pass it on.
    assert response["Cache-Control"] == "private, no-store"


def test_it_checks_permissions_before_redirecting(client, signed_urls, owner, reader, entry, photo):
    entry.is_private = True
    entry.save(update_fields=["is_private"])

    assert client.get(url(photo)).status_code == 404
    client.force_login(reader)
    response = client.get(url(photo))
    assert response.status_code == 404
    assert "Location" not in response
    client.force_login(owner)
    assert client.get(url(photo)).status_code == 302


def test_it_redirects_to_avatars_too(client, signed_urls, owner, avatar):
    response = client.get(avatar)

    assert response.status_code == 302
    assert response["Location"] == default_storage.url(owner.avatar.name)


def test_it_streams_the_original_as_a_download_even_with_signed_urls(
    client, signed_urls, owner, entry
):
    photo = make_photo(entry, upload=phone_photo(), keep_original=True)
    client.force_login(owner)

    response = client.get(url(photo, photo.original.name.rsplit("/", 1)[-1]))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.fixture
def avatar(owner):
    owner.avatar = process_avatar(image_upload(size=(600, 400)))
    owner.save(update_fields=["avatar"])
    return owner.avatar_url


def test_it_serves_avatars_to_anyone(client, avatar):
    response = client.get(avatar)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == PUBLIC_CACHE
    assert Image.open(io.BytesIO(content_of(response))).size == (256, 256)


def test_it_serves_no_avatar_of_a_deactivated_account(client, owner, avatar):
    owner.is_active = False
    owner.save(update_fields=["is_active"])

    assert client.get(avatar).status_code == 404


def test_it_serves_no_file_that_is_not_an_avatar(client, avatar, photo):
    assert client.get(reverse("planner:avatar_file", args=["nobody.jpg"])).status_code == 404
    fallback = photo.image.name.rsplit("/", 1)[-1]
    assert client.get(reverse("planner:avatar_file", args=[fallback])).status_code == 404


def test_it_answers_404_when_the_stored_file_is_gone(client, photo):
    default_storage.delete(photo.stored_name("960.webp"))

    assert client.get(url(photo)).status_code == 404
