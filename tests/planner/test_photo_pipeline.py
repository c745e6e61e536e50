"""The image pipeline, with every file it meets made here: phone photos and bad files alike."""

from __future__ import annotations

import datetime
import io
import struct
from pathlib import Path

import pillow_heif
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image
from PIL.JpegImagePlugin import JpegImageFile

from planner import images
from planner.images import check_and_process, process_photo
from planner.models import Entry, Photo
from tests.factory import image_upload, make_entry, make_photo, make_year
from tests.hostile_files import HTML, SVG, bomb_png, long_animation, png_chunk, truncated_jpeg

pytestmark = pytest.mark.django_db

ROTATE_90_CW = 6
TAKEN = "2026:03:14 09:30:00"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    b'syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="52,31.2N" exif:GPSLongitude="13,24.6E"/></rdf:RDF></x:xmpmeta>'
)


# Files, made by the tests themselves


def _encode(image: Image.Image, fmt: str, **save_kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def _upload(data: bytes, name: str) -> SimpleUploadedFile:
    # Browsers send whatever type the name suggests; only the content may decide.
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def phone_jpeg(size: tuple[int, int] = (400, 200)) -> bytes:
    """A JPEG as a phone writes it: turned by EXIF, dated, located (EXIF and XMP), commented.

    The left half is red and the right half blue, so after turning red is on top.
    """
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = ROTATE_90_CW
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.Model] = "PhoneCo 15 serial 0042"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = TAKEN
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 24.0, 36.0)
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    return _encode(image, "JPEG", exif=exif, xmp=XMP, comment=b"GPS 52.52N 13.41E", quality=95)


def transparent_png() -> bytes:
    image = Image.new("RGBA", (50, 40), (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (0, 0, 25, 40))
    return _encode(image, "PNG")


def heic(size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", size, (30, 160, 90))).save(buffer, quality=50)
    return buffer.getvalue()


def animated_gif(frames: int = 3, size: tuple[int, int] = (60, 40)) -> bytes:
    images = [Image.new("RGB", size, colour) for colour in ("red", "lime", "blue")[:frames]]
    return _encode(images[0], "GIF", save_all=True, append_images=images[1:], duration=100)


def phone_mpo() -> bytes:
    """A JPEG carrying a second picture, as some phones write them (Pillow calls it MPO)."""
    second = Image.new("RGB", (80, 60), "black")
    return _encode(
        Image.new("RGB", (80, 60), "orange"), "MPO", save_all=True, append_images=[second]
    )


def truncated_png() -> bytes:
    data = _encode(Image.effect_noise((300, 300), 60), "PNG")
    return data[: len(data) // 2]


def endless_apng(frames: int = 1_000_000) -> bytes:
    """A one-pixel PNG that announces an animation of a million frames."""
    data = _encode(Image.new("L", (1, 1)), "PNG")
    return data[:33] + png_chunk(b"acTL", struct.pack(">II", frames, 0)) + data[33:]


def _open(content) -> Image.Image:
    content.seek(0)
    return Image.open(io.BytesIO(content.read()))


def _media_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


# Renditions


def test_it_makes_webp_renditions_at_four_widths_and_a_jpeg_fallback():
    processed = process_photo(image_upload(size=(3000, 2000)))

    assert processed.renditions == [
        {"width": 480, "height": 320, "name": "480.webp"},
        {"width": 720, "height": 480, "name": "720.webp"},
        {"width": 960, "height": 640, "name": "960.webp"},
        {"width": 1600, "height": 1067, "name": "1600.webp"},
    ]
    assert (processed.width, processed.height) == (1600, 1067)
    assert sorted(processed.files) == [
        "1600.webp",
        "480.webp",
        "720.webp",
        "960.webp",
        "fallback.jpg",
    ]
    for rendition in processed.renditions:
        stored = _open(processed.files[rendition["name"]])
        assert stored.format == "WEBP"
        assert stored.size == (rendition["width"], rendition["height"])
    fallback = _open(processed.files["fallback.jpg"])
    assert fallback.format == "JPEG"
    assert fallback.size == (1600, 1067)


def test_it_sizes_a_tall_photo_by_its_long_edge_and_its_renditions_by_width():
    processed = process_photo(image_upload(size=(2000, 3000)))

    assert (processed.width, processed.height) == (1067, 1600)
    assert [(r["width"], r["height"]) for r in processed.renditions] == [
        (480, 720),
        (720, 1080),
        (960, 1440),
        (1067, 1600),
    ]


def test_it_never_upscales_a_small_photo():
    processed = process_photo(image_upload(size=(300, 200)))

    assert processed.renditions == [{"width": 300, "height": 200, "name": "300.webp"}]
    assert _open(processed.files["fallback.jpg"]).size == (300, 200)


def test_it_ends_the_renditions_with_the_photo_itself_between_two_widths():
    processed = process_photo(image_upload(size=(1000, 800)))

    assert [r["width"] for r in processed.renditions] == [480, 720, 960, 1000]


def test_it_decodes_a_large_jpeg_at_a_reduced_scale(monkeypatch):
    loaded = []
    load = JpegImageFile.load
    monkeypatch.setattr(JpegImageFile, "load", lambda im: loaded.append(im.size) or load(im))

    process_photo(image_upload(size=(4000, 3000)))

    assert set(loaded) == {(2000, 1500)}  # libjpeg decoded it at half scale


# Metadata


def test_the_test_photo_carries_what_a_phone_writes():
    original = Image.open(io.BytesIO(phone_jpeg()))

    assert original.getexif()[ExifTags.Base.Orientation] == ROTATE_90_CW
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert "xmp" in original.info
    assert b"GPS" in phone_jpeg()


def test_it_leaves_no_exif_gps_xmp_or_comment_in_any_stored_file(owner):
    entry = make_entry(make_year(owner))
    photo = make_photo(entry, upload=_upload(phone_jpeg((1200, 600)), "IMG_0001.jpg"))

    names = photo.stored_names()
    assert len(names) == 3  # the fallback and two widths: the photo turned is 600 px wide
    for name in names:
        with default_storage.open(name) as stored:
            data = stored.read()
        image = Image.open(io.BytesIO(data))
        assert dict(image.getexif()) == {}, name
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment"} & set(image.info), name
        assert b"GPS" not in data, name
        assert b"PhoneCo" not in data, name


def test_it_turns_the_photo_upright_by_its_exif_orientation():
    processed = process_photo(_upload(phone_jpeg((400, 200)), "IMG_0001.jpg"))

    for content in processed.files.values():
        stored = _open(content).convert("RGB")
        assert stored.width < stored.height
        top = stored.getpixel((stored.width // 2, stored.height // 10))
        bottom = stored.getpixel((stored.width // 2, stored.height * 9 // 10))
        assert top[0] > 200 and top[2] < 60  # red
        assert bottom[2] > 200 and bottom[0] < 60  # blue


def test_it_reads_when_the_photo_was_taken():
    processed = process_photo(_upload(phone_jpeg(), "IMG_0001.jpg"))

    expected = timezone.make_aware(datetime.datetime(2026, 3, 14, 9, 30))
    assert processed.taken_at == expected


def test_it_has_no_date_for_a_photo_that_does_not_say():
    assert process_photo(image_upload()).taken_at is None


# Formats


def test_it_puts_a_transparent_png_on_white():
    processed = process_photo(_upload(transparent_png(), "logo.png"))

    for content in processed.files.values():
        stored = _open(content)
        assert stored.mode == "RGB"
        assert min(stored.getpixel((45, 20))) > 240  # the transparent half is white
        red = stored.getpixel((5, 20))
        assert red[0] > 200 and red[1] < 60


@pytest.mark.parametrize(
    ("name", "data", "size"),
    [
        ("IMG_0001.HEIC", heic((64, 48)), (64, 48)),
        ("party.gif", animated_gif(), (60, 40)),
        ("IMG_0002.jpg", phone_mpo(), (80, 60)),
        ("photo.webp", _encode(Image.new("RGB", (70, 50), "teal"), "WEBP"), (70, 50)),
    ],
)
def test_it_accepts_heic_gif_mpo_and_webp(name, data, size):
    upload = _upload(data, name)

    processed = check_and_process(upload, settings.PHOTO_MAX_BYTES, process_photo)

    assert (processed.width, processed.height) == size
    assert _open(processed.files["fallback.jpg"]).format == "JPEG"


def test_it_keeps_only_the_first_frame_of_an_animation():
    processed = process_photo(_upload(animated_gif(), "party.gif"))

    red = _open(processed.files["fallback.jpg"]).getpixel((30, 20))
    assert red[0] > 200 and red[1] < 60 and red[2] < 60


def test_it_scales_16_bit_grey_instead_of_clipping_it():
    data = _encode(Image.new("I;16", (20, 10), 32768), "PNG")

    processed = process_photo(_upload(data, "scan.png"))

    grey = _open(processed.files["fallback.jpg"]).getpixel((10, 5))
    assert 110 < grey[0] < 145


def test_it_names_an_upload_by_its_real_format():
    upload = _upload(_encode(Image.new("RGB", (20, 20)), "PNG"), "picture.php")

    check_and_process(upload, settings.PHOTO_MAX_BYTES, process_photo)

    assert upload.name == "picture.png"
    assert upload.content_type == "image/png"


# What is refused, and why


def test_it_refuses_pixels_over_the_limit_with_the_size(settings):
    settings.PHOTO_MAX_PIXELS = 1_000_000

    with pytest.raises(ValidationError) as refused:
        check_and_process(image_upload("huge.jpg", size=(1200, 1000)), 10**8, process_photo)

    assert refused.value.messages == [
        "“huge.jpg” is 1200 × 1000 pixels; the limit is 1 megapixels."
    ]


def test_it_accepts_exactly_the_pixel_limit(settings):
    settings.PHOTO_MAX_PIXELS = 1_000_000

    check_and_process(image_upload(size=(1000, 1000)), 10**8, process_photo)


def test_it_refuses_a_long_animation_before_decoding_it(monkeypatch):
    monkeypatch.setattr(images, "MAX_FRAMES", 2)

    with pytest.raises(ValidationError) as refused:
        check_and_process(_upload(animated_gif(3), "long.gif"), 10**8, process_photo)

    assert refused.value.messages == ["“long.gif” has 3 frames; the limit is 2."]


def _animation(fmt: str, frames: int, size: tuple[int, int]) -> bytes:
    images = [Image.new("RGB", size, (255 * (n % 2), 0, 0)) for n in range(frames)]
    return _encode(images[0], fmt, save_all=True, append_images=images[1:], duration=100)


@pytest.mark.parametrize("fmt", ["GIF", "PNG", "WEBP"])
def test_it_refuses_an_animation_with_more_pixels_in_all_than_a_photo(settings, fmt):
    settings.PHOTO_MAX_PIXELS = 10_000_000
    name = f"big.{fmt.lower()}"

    with pytest.raises(ValidationError) as refused:
        check_and_process(_upload(_animation(fmt, 3, (2000, 2000)), name), 10**8, process_photo)

    assert refused.value.messages == [
        f"“{name}” is an animation of 3 frames of 2000 × 2000 pixels, 12 megapixels in all; "
        "an animation may hold 10 megapixels in all. Only its first frame would be kept: "
        "save that frame as a still photo and add it instead."
    ]


def test_it_counts_a_phone_photos_second_picture_as_no_animation(settings):
    settings.PHOTO_MAX_PIXELS = 10_000
    second = Image.new("RGB", (100, 80), "black")
    mpo = _encode(
        Image.new("RGB", (100, 80), "orange"), "MPO", save_all=True, append_images=[second]
    )

    processed = check_and_process(_upload(mpo, "IMG_0001.jpg"), 10**8, process_photo)

    assert (processed.width, processed.height) == (100, 80)


def _counting_decoders(monkeypatch) -> list[str]:
    """The decoders Pillow starts, one for each frame it decodes."""
    started = []
    getdecoder = Image._getdecoder

    def counting(mode, name, *args):
        started.append(name)
        return getdecoder(mode, name, *args)

    monkeypatch.setattr(Image, "_getdecoder", counting)
    return started


def test_it_decodes_only_the_first_frame_of_an_animation_it_accepts(monkeypatch):
    gif = long_animation(frames=60, size=(800, 800))  # 38 megapixels in all: within the limit
    decoded = _counting_decoders(monkeypatch)

    processed = check_and_process(_upload(gif, "party.gif"), 10**8, process_photo)

    assert decoded == ["gif"]
    assert (processed.width, processed.height) == (800, 800)


def test_it_refuses_a_long_large_animation_without_decoding_a_frame(monkeypatch):
    """60 frames of 2000 × 2000 cost less to refuse than a still of that size costs to take."""
    gif = long_animation()
    decoded = _counting_decoders(monkeypatch)

    with pytest.raises(ValidationError) as refused:
        check_and_process(_upload(gif, "loop.gif"), 10**8, process_photo)

    assert refused.value.code == "animation_too_large"
    assert decoded == []
    still = _encode(Image.new("RGB", (2000, 2000), "red"), "GIF")
    check_and_process(_upload(still, "still.gif"), 10**8, process_photo)
    assert decoded == ["gif"]


def test_it_refuses_a_format_outside_the_list_whatever_its_name():
    with pytest.raises(ValidationError) as refused:
        check_and_process(image_upload("photo.jpg", fmt="BMP"), 10**8, process_photo)

    assert refused.value.messages == ["“photo.jpg” is not a JPEG, PNG, WebP, GIF or HEIC photo."]


REFUSED = [
    ("notes.jpg", b"just some notes, not a picture", "“notes.jpg” is not a JPEG"),
    ("page.html", HTML, "“page.html” is not a JPEG, PNG, WebP, GIF or HEIC photo."),
    ("drawing.svg", SVG, "“drawing.svg” is an SVG drawing; SVG files are not accepted"),
    ("drawing.png", SVG, "“drawing.png” is an SVG drawing"),
    ("cut.jpg", truncated_jpeg(), "“cut.jpg” could not be read as a photo — it may be damaged."),
    ("cut.png", truncated_png(), "“cut.png” could not be read as a photo — it may be damaged."),
    ("stub.jpg", truncated_jpeg()[:20], "“stub.jpg” could not be read as a photo"),
    ("cut.heic", heic((256, 256))[:-200], "“cut.heic” could not be read as a photo"),
    ("bomb.png", bomb_png(), "“bomb.png” has more pixels than the limit of 40 megapixels."),
    # Pillow counts the still picture shown by viewers that do not animate as a frame too.
    ("endless.png", endless_apng(), "“endless.png” has 1000001 frames; the limit is 1000."),
    ("empty.jpg", b"", "“empty.jpg” is empty."),
]


@pytest.mark.parametrize(("name", "data", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_it_refuses_a_bad_file_on_a_new_entry_and_stores_nothing(
    owner_client, owner, name, data, message
):
    year = make_year(owner)
    url = reverse("planner:entry_create", args=["owner", year.year, 2])

    response = owner_client.post(url, {"title": "Summit", "photo": _upload(data, name)})

    assert response.status_code == 422
    assert message in response.text
    assert not Entry.objects.exists()
    assert not Photo.objects.exists()
    assert _media_files() == []


@pytest.mark.parametrize(("name", "data", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_it_refuses_a_bad_file_added_to_an_entry_and_stores_nothing(
    owner_client, owner, name, data, message
):
    entry = make_entry(make_year(owner))
    make_photo(entry)
    stored_before = _media_files()

    response = owner_client.post(
        reverse("planner:photo_create", args=[entry.pk]), {"images": [_upload(data, name)]}
    )

    assert response.status_code == 422
    assert message in response.text
    assert entry.photos.count() == 1
    assert _media_files() == stored_before


def test_it_refuses_a_file_over_the_byte_limit_with_the_limit(owner_client, owner, settings):
    settings.PHOTO_MAX_BYTES = 100
    year = make_year(owner)
    url = reverse("planner:entry_create", args=["owner", year.year, 2])

    response = owner_client.post(url, {"title": "Summit", "photo": image_upload("big.jpg")})

    assert response.status_code == 422
    assert "“big.jpg” is " in response.text
    assert "the limit is 100\xa0bytes." in response.text
    assert _media_files() == []


def test_it_refuses_a_damaged_avatar_and_keeps_nothing(owner_client, owner):
    data = {"display_name": "Olivia", "bio": "", "email": owner.email}
    data["avatar"] = _upload(truncated_jpeg(), "me.jpg")

    response = owner_client.post(reverse("accounts:profile_edit"), data)

    assert response.status_code == 422
    assert "“me.jpg” could not be read as a photo — it may be damaged." in response.text
    owner.refresh_from_db()
    assert not owner.avatar
    assert _media_files() == []


def test_it_decodes_an_upload_once_between_checking_and_storing(owner_client, owner, monkeypatch):
    decoded = []
    decode = images._decode
    monkeypatch.setattr(images, "_decode", lambda *args: decoded.append(1) or decode(*args))
    year = make_year(owner)
    url = reverse("planner:entry_create", args=["owner", year.year, 2])

    owner_client.post(url, {"title": "Summit", "photo": image_upload(size=(3000, 2000))})

    assert Photo.objects.count() == 1
    assert len(decoded) == 1


# Photos per entry


def test_it_refuses_a_photo_past_the_per_entry_limit(owner_client, owner, settings):
    settings.PHOTO_MAX_PER_ENTRY = 2
    entry = make_entry(make_year(owner))
    make_photo(entry)
    make_photo(entry)
    stored_before = _media_files()

    response = owner_client.post(
        reverse("planner:photo_create", args=[entry.pk]), {"images": [image_upload("third.jpg")]}
    )

    assert response.status_code == 422
    assert "This entry already has 2 photos, the most an entry can hold." in response.text
    assert entry.photos.count() == 2
    assert _media_files() == stored_before


def test_it_says_how_much_room_is_left_in_an_entry(owner, settings):
    settings.PHOTO_MAX_PER_ENTRY = 3
    entry = make_entry(make_year(owner))
    make_photo(entry)

    entry.check_room_for_photos(2)
    with pytest.raises(ValidationError) as refused:
        entry.check_room_for_photos(5)

    assert refused.value.messages == [
        "This entry has room for 2 more photos (an entry holds at most 3); you chose 5."
    ]


def test_it_counts_no_photos_in_an_entry_not_saved_yet(owner, settings):
    settings.PHOTO_MAX_PER_ENTRY = 1
    period = make_year(owner).periods.get(index=1)

    Entry(period=period).check_room_for_photos(1)
    with pytest.raises(ValidationError):
        Entry(period=period).check_room_for_photos(2)


# The original upload


def test_it_keeps_the_original_only_when_the_owner_opted_in(owner_client, owner):
    year = make_year(owner)
    url = reverse("planner:entry_create", args=["owner", year.year, 2])
    upload = image_upload("IMG_0001.jpg")
    upload_bytes = upload.read()
    upload.seek(0)

    owner_client.post(url, {"title": "Without", "photo": upload})
    owner.keep_original_photos = True
    owner.save()
    owner_client.post(url, {"title": "With", "photo": _upload(upload_bytes, "IMG_0001.jpg")})

    without, with_original = Photo.objects.order_by("pk")
    assert not without.original
    assert not any(name.startswith("originals/") for name in without.stored_names())
    assert with_original.original.name == f"originals/{with_original.key.hex}/original.jpg"
    with default_storage.open(with_original.original.name) as original:
        assert original.read() == upload_bytes
    assert _media_files() == sorted(without.stored_names() + with_original.stored_names())


# "Taken on", and the period it suggests


def test_it_shows_when_a_photo_was_taken_under_its_caption(owner_client, owner):
    entry = make_entry(make_year(owner, year=2026))
    make_photo(entry, caption="The first warm day", upload=_upload(phone_jpeg(), "a.jpg"))

    page = owner_client.get(reverse("planner:year_detail", args=["owner", 2026])).text

    assert (
        '<figcaption>The first warm day <span class="photo-taken">taken on '
        '<time datetime="2026-03-14">March 14, 2026</time></span></figcaption>'
    ) in page


def test_it_suggests_the_period_a_photo_was_taken_in(owner_client, owner):
    make_year(owner, year=2026)
    url = reverse("planner:entry_create", args=["owner", 2026, 2])

    response = owner_client.post(
        url, {"title": "Spring", "photo": _upload(phone_jpeg(), "a.jpg")}, follow=True
    )

    entry = Entry.objects.get()
    assert "This photo was taken in January–April — the entry is in May–August." in response.text
    assert f'<a href="{reverse("planner:entry_edit", args=[entry.pk])}#id_period">' in (
        response.text
    )


@pytest.mark.parametrize(("year", "index"), [(2026, 1), (2025, 2)])
def test_it_suggests_nothing_for_the_same_period_or_another_year(owner_client, owner, year, index):
    make_year(owner, year=year)
    url = reverse("planner:entry_create", args=["owner", year, index])

    response = owner_client.post(
        url, {"title": "Spring", "photo": _upload(phone_jpeg(), "a.jpg")}, follow=True
    )

    assert response.status_code == 200
    assert "This photo was taken in" not in response.text


def test_it_moves_an_entry_to_another_period_from_its_edit_page(owner_client, owner):
    year = make_year(owner, year=2026)
    make_entry(year, period=1, title="Already there")
    entry = make_entry(year, period=2, title="Spring")

    response = owner_client.post(
        reverse("planner:entry_edit", args=[entry.pk]),
        {"title": "Spring", "body": "", "period": year.periods.get(index=1).pk},
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#period-1")
    entry.refresh_from_db()
    assert entry.period.index == 1
    assert [e.title for e in Entry.objects.filter(period=entry.period)] == [
        "Already there",
        "Spring",
    ]


def test_it_keeps_an_edited_entry_in_its_period_and_place(owner_client, owner):
    year = make_year(owner, year=2026)
    entry = make_entry(year, period=2, title="Spring", order=1)
    make_entry(year, period=2, title="Later", order=2)

    owner_client.post(
        reverse("planner:entry_edit", args=[entry.pk]), {"title": "Spring!", "body": ""}
    )

    entry.refresh_from_db()
    assert (entry.title, entry.period.index, entry.order) == ("Spring!", 2, 1)


def test_it_offers_only_the_years_own_periods_on_the_edit_page(owner_client, owner):
    other = make_year(owner, year=2027)
    entry = make_entry(make_year(owner, year=2026), period=2)

    response = owner_client.post(
        reverse("planner:entry_edit", args=[entry.pk]),
        {"title": "Spring", "body": "", "period": other.periods.get(index=1).pk},
    )

    assert response.status_code == 422
    entry.refresh_from_db()
    assert entry.period.year.year == 2026
