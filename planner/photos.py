"""The image pipeline: check an upload by its content, then store a clean, resized copy.

What is stored is re-encoded from pixels only, so EXIF (GPS included), XMP and
embedded thumbnails of the upload never reach a reader.
"""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "HEIF"}
PHOTO_MAX_EDGE = 1600
AVATAR_EDGE = 256


def validate_image_upload(upload: UploadedFile, max_bytes: int) -> None:
    """Refuse what is not a photo we can safely process; forms.ImageField has decoded it."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_bytes),
            },
            code="too_large",
        )
    image = getattr(upload, "image", None)
    if image is None or image.format not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("“%(name)s” is not a JPEG, PNG, WebP, GIF or HEIC photo.") % {"name": upload.name},
            code="invalid_format",
        )
    width, height = image.size
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise ValidationError(
            _("“%(name)s” is %(width)s × %(height)s pixels; the limit is %(limit)s megapixels.")
            % {
                "name": upload.name,
                "width": width,
                "height": height,
                "limit": f"{settings.PHOTO_MAX_PIXELS / 1_000_000:g}",
            },
            code="too_many_pixels",
        )


def _open_upright(upload: UploadedFile, max_edge: int) -> Image.Image:
    upload.seek(0)
    image = Image.open(upload)
    if image.format == "JPEG":
        image.draft("RGB", (max_edge, max_edge))  # decode at a reduced scale: much faster
    image.seek(0)  # the first frame of an animation
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    elif image.mode != "RGB":
        image = image.convert("RGB")
    return image


def _encode_jpeg(image: Image.Image) -> ContentFile:
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=84, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def process_photo(upload: UploadedFile) -> ContentFile:
    image = _open_upright(upload, PHOTO_MAX_EDGE)
    image.thumbnail((PHOTO_MAX_EDGE, PHOTO_MAX_EDGE), Image.Resampling.LANCZOS)
    return _encode_jpeg(image)


def process_avatar(upload: UploadedFile) -> ContentFile:
    image = _open_upright(upload, AVATAR_EDGE * 2)
    image = ImageOps.fit(image, (AVATAR_EDGE, AVATAR_EDGE), Image.Resampling.LANCZOS)
    return _encode_jpeg(image)
