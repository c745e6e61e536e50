from __future__ import annotations

import io

import pillow_heif
import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from planner.photos import PHOTO_MAX_EDGE, process_photo, validate_image_upload
from tests.factory import image_upload

GPS_IFD = 0x8825
ORIENTATION = 274
ROTATE_90_CW = 6


def _upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _encode(image: Image.Image, fmt: str, **save_kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def _jpeg_with_gps(size: tuple[int, int]) -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION] = ROTATE_90_CW
    exif[GPS_IFD] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    # Left half red, right half blue: after the rotation red is on top.
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    return _encode(image, "JPEG", exif=exif, quality=95)


def _heic_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", size, (30, 160, 90))).save(buffer, quality=50)
    return buffer.getvalue()


def _stored(upload: SimpleUploadedFile) -> Image.Image:
    """Run the pipeline and open what it would store, as a reader's browser would."""
    stored = process_photo(upload)
    return Image.open(io.BytesIO(stored.read()))


def _validate(upload: SimpleUploadedFile) -> None:
    """Decode like a form's ImageField does, then apply our checks with today's settings."""
    decoded = forms.ImageField().clean(upload)
    validate_image_upload(decoded, settings.PHOTO_MAX_BYTES)


def test_it_sees_gps_in_the_test_jpeg_before_processing():
    original = Image.open(io.BytesIO(_jpeg_with_gps((40, 20))))

    assert original.getexif()[ORIENTATION] == ROTATE_90_CW
    assert original.getexif().get_ifd(GPS_IFD)[1] == "N"


def test_it_strips_all_exif_and_gps():
    stored = _stored(_upload(_jpeg_with_gps((40, 20))))

    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert stored.getexif().get_ifd(GPS_IFD) == {}
    assert "exif" not in stored.info


def test_it_rotates_by_the_exif_orientation():
    stored = _stored(_upload(_jpeg_with_gps((40, 20))))

    assert stored.size == (20, 40)
    top, bottom = stored.getpixel((10, 3)), stored.getpixel((10, 36))
    assert top[0] > 200 and top[2] < 60  # red
    assert bottom[2] > 200 and bottom[0] < 60  # blue


def test_it_resizes_a_large_photo_to_the_long_edge_limit():
    stored = _stored(image_upload(size=(3000, 2000)))

    assert PHOTO_MAX_EDGE == 1600
    assert max(stored.size) == 1600
    assert stored.size[1] in (1066, 1067)


def test_it_resizes_a_tall_photo_by_its_height():
    stored = _stored(image_upload(size=(2000, 3000)))

    assert stored.size[1] == 1600
    assert stored.size[0] in (1066, 1067)


def test_it_never_upscales_a_small_photo():
    stored = _stored(image_upload(size=(300, 200)))

    assert stored.size == (300, 200)


def test_it_turns_a_transparent_png_into_a_jpeg_on_white():
    image = Image.new("RGBA", (50, 40), (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (0, 0, 25, 40))
    stored = _stored(_upload(_encode(image, "PNG"), "logo.png"))

    assert stored.format == "JPEG"
    assert stored.mode == "RGB"
    assert stored.size == (50, 40)
    assert min(stored.getpixel((45, 20))) > 240  # the transparent half is white
    red = stored.getpixel((5, 20))
    assert red[0] > 200 and red[1] < 60


def test_it_names_stored_photos_randomly_as_jpeg():
    first = process_photo(image_upload(name="IMG_0001.jpg"))
    second = process_photo(image_upload(name="IMG_0001.jpg"))

    assert first.name.endswith(".jpg") and second.name.endswith(".jpg")
    assert "IMG_0001" not in first.name
    assert first.name != second.name


def test_it_accepts_jpeg_png_webp_and_gif():
    for fmt, name in [("JPEG", "a.jpg"), ("PNG", "a.png"), ("WEBP", "a.webp"), ("GIF", "a.gif")]:
        _validate(image_upload(name=name, fmt=fmt))


def test_it_accepts_and_converts_heic():
    data = _heic_bytes((64, 48))
    assert Image.open(io.BytesIO(data)).format == "HEIF"

    _validate(_upload(data, "IMG_0001.HEIC"))
    stored = _stored(_upload(data, "IMG_0001.HEIC"))

    assert stored.format == "JPEG"
    assert stored.size == (64, 48)


def test_it_refuses_a_file_over_the_byte_limit(settings):
    settings.PHOTO_MAX_BYTES = 100
    upload = image_upload(name="big.jpg", size=(64, 48))
    assert upload.size > 100

    with pytest.raises(ValidationError) as refused:
        _validate(upload)

    assert refused.value.code == "too_large"
    assert "“big.jpg” is" in refused.value.messages[0]
    assert "the limit is 100\xa0bytes" in refused.value.messages[0]


def test_it_refuses_too_many_pixels(settings):
    settings.PHOTO_MAX_PIXELS = 1_000_000

    with pytest.raises(ValidationError) as refused:
        _validate(image_upload(name="huge.jpg", size=(1200, 1000)))

    assert refused.value.code == "too_many_pixels"
    assert refused.value.messages == [
        "“huge.jpg” is 1200 × 1000 pixels; the limit is 1 megapixels."
    ]


def test_it_accepts_exactly_the_pixel_limit(settings):
    settings.PHOTO_MAX_PIXELS = 1_000_000

    _validate(image_upload(size=(1000, 1000)))


@pytest.mark.parametrize(("fmt", "name"), [("BMP", "scan.bmp"), ("TIFF", "scan.tiff")])
def test_it_refuses_formats_outside_the_whitelist(fmt, name):
    with pytest.raises(ValidationError) as refused:
        _validate(image_upload(name=name, fmt=fmt))

    assert refused.value.code == "invalid_format"
    assert refused.value.messages == [f"“{name}” is not a JPEG, PNG, WebP, GIF or HEIC photo."]


def test_it_judges_the_format_by_content_not_by_name():
    with pytest.raises(ValidationError) as refused:
        _validate(image_upload(name="photo.jpg", fmt="BMP"))

    assert refused.value.code == "invalid_format"


def test_it_refuses_an_upload_that_was_never_decoded():
    with pytest.raises(ValidationError) as refused:
        validate_image_upload(image_upload(), settings.PHOTO_MAX_BYTES)

    assert refused.value.code == "invalid_format"
