"""What a reader's browser downloads for a post full of phone photos, and who may fetch them."""

from __future__ import annotations

import functools
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageChops
from playwright.sync_api import expect

from planner.models import Visibility
from tests.factory import PASSWORD, make_entry, make_photo, make_year

pytestmark = pytest.mark.django_db(transaction=True)

BUDGET = 1_500_000  # bytes of images when the post is first opened in a 1280 px window
PHONE = (4000, 3000)  # 12 megapixels, as a phone takes them
TINTS = [(200, 80, 40), (40, 110, 190), (60, 150, 70), (170, 150, 60)]
# Noise at several scales over gradients, so the photo compresses about as a real one:
# roughly 4 MB as a phone JPEG and 80–100 KB as a 960 px WebP (about 50 KB at 720 px).
OCTAVES = [(64, 40), (16, 16), (4, 6), (1, 10)]


@functools.cache
def phone_jpegs() -> tuple[bytes, ...]:
    """A few different 12-megapixel JPEGs of several MB each, made once per run (slow to make)."""
    width, height = PHONE
    scene = Image.merge(
        "RGB",
        [
            Image.linear_gradient("L").resize(PHONE),
            Image.radial_gradient("L").resize(PHONE),
            Image.linear_gradient("L").rotate(90).resize(PHONE),
        ],
    )
    for divisor, sigma in OCTAVES:
        noise = Image.effect_noise((width // divisor, height // divisor), sigma)
        scene = ImageChops.add(scene, noise.resize(PHONE).convert("RGB"), offset=-128)
    jpegs = []
    for tint in TINTS:
        buffer = io.BytesIO()
        Image.blend(scene, Image.new("RGB", PHONE, tint), 0.25).save(buffer, "JPEG", quality=92)
        jpegs.append(buffer.getvalue())
    return tuple(jpegs)


@pytest.fixture
def photo_post(owner):
    """A public post with 20 phone photos in four entries."""
    year = make_year(owner, year=2025, visibility=Visibility.PUBLIC)
    jpegs = phone_jpegs()
    assert min(len(jpeg) for jpeg in jpegs) > 3_000_000
    for number in range(20):
        if number % 5 == 0:
            entry = make_entry(year, period=number // 5 % 3 + 1, title=f"Trip {number // 5 + 1}")
        upload = SimpleUploadedFile(f"IMG_{number:04}.jpg", jpegs[number % len(jpegs)])
        make_photo(entry, upload=upload, caption=f"Photo {number + 1}")
    return year


def image_bytes(responses) -> int:
    return sum(len(response.body()) for response in responses)


def test_a_post_of_20_phone_photos_stays_light(page, live_server, photo_post, console_errors):
    responses = []
    page.on("response", lambda r: r.request.resource_type == "image" and responses.append(r))
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto(live_server.url + photo_post.get_absolute_url())
    page.wait_for_load_state("networkidle")
    first_open, first_count = image_bytes(responses), len(responses)
    photos = page.locator("figure.photo img")
    expect(photos).to_have_count(20)
    for photo in photos.all():
        photo.scroll_into_view_if_needed()
        expect(photo).to_have_js_property("complete", True)
    page.wait_for_load_state("networkidle")
    all_photos = image_bytes(responses)

    print(
        f"\nImages of a post with 20 phone photos at 1280x800: {first_open / 1e6:.2f} MB "
        f"when first opened ({first_count} photos), {all_photos / 1e6:.2f} MB for all 20"
    )
    assert first_open < BUDGET
    assert all_photos < BUDGET  # even once the reader has scrolled through all 20
    assert first_count < 20  # the others wait until the reader scrolls near them
    assert len(responses) == 20  # each photo once, in one size
    for photo in photos.all():
        assert photo.get_attribute("width") == "1600"
        assert photo.get_attribute("height") == "1200"
        assert photo.evaluate("img => img.currentSrc").endswith("/720.webp")
        assert photo.evaluate("img => img.naturalWidth") > 0
    # Each arrives as a 720 px WebP: a few per cent of the upload.
    assert max(len(r.body()) for r in responses) < 200_000
    assert console_errors == []


def test_a_phone_gets_the_small_rendition(page, live_server, owner):
    year = make_year(owner, year=2025, visibility=Visibility.PUBLIC)
    entry = make_entry(year, title="A walk")
    upload = SimpleUploadedFile("IMG_0001.jpg", phone_jpegs()[0])
    make_photo(entry, upload=upload, caption="The river at dusk")
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(live_server.url + year.get_absolute_url())

    photo = page.get_by_role("img", name="The river at dusk")
    expect(photo).to_have_js_property("complete", True)
    assert photo.evaluate("img => img.currentSrc").endswith("/480.webp")
    width, height = photo.evaluate("img => [img.clientWidth, img.clientHeight]")
    assert width < 390
    assert abs(height - width * 3 / 4) <= 1


def test_another_user_cannot_fetch_a_private_photo(
    page, browser, live_server, owner, reader, log_in
):
    year = make_year(owner, year=2025, visibility=Visibility.PRIVATE)
    photo = make_photo(make_entry(year, title="Just for me"), caption="Me at home")
    url = live_server.url + photo.file_url(photo.renditions[0]["name"])

    assert page.goto(url).status == 404  # a visitor
    log_in("owner", PASSWORD)
    response = page.goto(url)
    assert response.status == 200
    assert response.headers["content-type"] == "image/webp"

    other = browser.new_context()
    try:
        other_page = other.new_page()
        other_page.goto(f"{live_server.url}/accounts/login/")
        other_page.get_by_label("Username").fill("reader")
        other_page.get_by_label("Password").fill(PASSWORD)
        other_page.get_by_role("button", name="Log in").click()
        expect(other_page.get_by_role("button", name="Log out")).to_be_attached()

        assert other_page.goto(url).status == 404
        assert other_page.goto(live_server.url + photo.fallback_url).status == 404
    finally:
        other.close()
