"""The images link previews get for posts and profiles, and what they are when fetched."""

from __future__ import annotations

import io
from urllib.parse import urlparse

import html5lib
import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from planner.images import process_avatar
from planner.models import Visibility
from tests.factory import image_upload, make_entry, make_photo, make_year

pytestmark = pytest.mark.django_db

PEOPLE = ["visitor", "reader", "owner"]
SITE = "https://yearloop.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def located_jpeg() -> SimpleUploadedFile:
    """A phone photo that says where it was taken."""
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (37.0, 33.0, 58.0)
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (10, 90, 200)).save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("seoul.jpg", buffer.getvalue(), content_type="image/jpeg")


def head_tags(response) -> dict[str, list[str]]:
    """Each <meta property|name> of the page's head with its contents, and the canonical link."""
    assert response.status_code == 200
    document = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    head = document.find("head")
    tags: dict[str, list[str]] = {}
    for meta in head.iter("meta"):
        key = meta.get("property") or meta.get("name")
        if key:
            tags.setdefault(key, []).append(meta.get("content"))
    tags["canonical"] = [
        link.get("href") for link in head.iter("link") if link.get("rel") == "canonical"
    ]
    return tags


def fetch_image(client, url: str) -> tuple[Image.Image, bytes]:
    response = client.get(urlparse(url).path)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    return Image.open(io.BytesIO(data)), data


def sign_in(client, who: str, owner, reader) -> None:
    if who != "visitor":
        client.force_login(owner if who == "owner" else reader)


@pytest.fixture
def avatar(owner):
    owner.avatar = process_avatar(image_upload(size=(600, 400)))
    owner.save(update_fields=["avatar"])
    return SITE + owner.avatar_url


# Posts with photos


@pytest.mark.parametrize("who", PEOPLE)
def test_it_offers_the_first_photo_as_a_jpeg_without_its_location(client, owner, reader, who):
    post = make_year(owner)
    photo = make_photo(make_entry(post, title="서울"), upload=located_jpeg(), caption="한강")
    sign_in(client, who, owner, reader)

    tags = head_tags(client.get(post.get_absolute_url()))

    assert tags["og:image"][0] == SITE + photo.fallback_url
    assert tags["og:image:type"] == ["image/jpeg", "image/webp"]
    assert tags["og:image:alt"] == ["한강", "한강"]
    assert tags["twitter:image"] == [tags["og:image"][0]]
    client.logout()  # what a link-preview bot fetches, it fetches signed out
    image, data = fetch_image(client, tags["og:image"][0])
    assert image.format == "JPEG"
    assert image.size == (int(tags["og:image:width"][0]), int(tags["og:image:height"][0]))
    assert not image.getexif()
    assert b"Exif" not in data
    webp, _data = fetch_image(client, tags["og:image"][1])
    assert webp.format == "WEBP"


def test_it_keeps_the_tags_right_when_the_page_comes_from_the_cache(client, owner, avatar):
    post = make_year(owner)
    entry = make_entry(post)
    photo = make_photo(entry)
    jpeg = SITE + photo.fallback_url
    first = head_tags(client.get(post.get_absolute_url()))

    cached = head_tags(client.get(post.get_absolute_url()))
    photo.delete()
    after_delete = head_tags(client.get(post.get_absolute_url()))

    assert cached == first
    assert cached["og:image"][0] == jpeg
    assert after_delete["og:image"] == [avatar]


# Posts without photos a reader may see


def test_it_shares_the_authors_avatar_for_a_post_without_photos(client, owner, avatar):
    post = make_year(owner)

    tags = head_tags(client.get(post.get_absolute_url()))

    assert tags["og:image"] == [avatar]
    assert tags["og:image:type"] == ["image/jpeg"]
    assert tags["og:image:alt"] == ["Olivia Owner"]
    assert tags["twitter:card"] == ["summary"]
    image, _data = fetch_image(client, avatar)
    assert image.format == "JPEG"
    assert image.size == (int(tags["og:image:width"][0]), int(tags["og:image:height"][0]))


@pytest.mark.parametrize("who", ["visitor", "reader"])
def test_it_never_shares_a_photo_of_a_private_entry(client, owner, reader, avatar, who):
    post = make_year(owner)
    hidden = make_photo(make_entry(post, title="Hidden", is_private=True))
    sign_in(client, who, owner, reader)

    response = client.get(post.get_absolute_url())

    assert head_tags(response)["og:image"] == [avatar]
    assert f"/photos/{hidden.pk}/" not in response.text


def test_a_shared_photo_is_gone_once_its_post_is_private(client, owner):
    post = make_year(owner)
    make_photo(make_entry(post))
    [jpeg, webp] = head_tags(client.get(post.get_absolute_url()))["og:image"]

    post.visibility = Visibility.PRIVATE
    post.save()

    assert client.get(post.get_absolute_url()).status_code == 404
    assert client.get(urlparse(jpeg).path).status_code == 404
    assert client.get(urlparse(webp).path).status_code == 404


def test_the_site_image_is_the_size_the_tags_say(client, owner):
    tags = head_tags(client.get(make_year(owner).get_absolute_url()))

    assert tags["og:image"] == [f"{SITE}/static/share.png"]
    with Image.open(finders.find("share.png")) as image:
        assert image.format == "PNG"
        assert image.size == (int(tags["og:image:width"][0]), int(tags["og:image:height"][0]))


# Profiles


@pytest.mark.parametrize("who", PEOPLE)
def test_it_gives_a_profile_open_graph_and_canonical_tags(client, owner, reader, avatar, who):
    owner.display_name = "김하늘"
    owner.bio = 'Writes "papers" & <b>plays</b> 피아노'
    owner.save()
    sign_in(client, who, owner, reader)

    response = client.get(reverse("planner:profile", args=["owner"]))
    tags = head_tags(response)

    assert tags["canonical"] == [f"{SITE}/@owner/"]
    assert tags["og:type"] == ["profile"]
    assert tags["og:title"] == ["김하늘"]
    assert tags["og:description"] == ['Writes "papers" & <b>plays</b> 피아노']
    assert tags["description"] == tags["og:description"]
    assert tags["og:url"] == [f"{SITE}/@owner/"]
    assert tags["og:image"] == [avatar]
    assert tags["og:image:alt"] == ["김하늘"]
    assert "<b>plays</b>" not in response.text
    assert client.get(urlparse(avatar).path).status_code == 200


def test_a_profile_without_avatar_or_bio_shares_the_site_image(client, owner):
    owner.bio = ""
    owner.save()

    tags = head_tags(client.get(reverse("planner:profile", args=["owner"])))

    assert tags["og:description"] == ["Olivia Owner's years on Yearloop"]
    assert tags["og:image"] == [f"{SITE}/static/share.png"]
    assert tags["twitter:card"] == ["summary_large_image"]
