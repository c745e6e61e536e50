"""The image pipeline: judge an upload by its content, then make clean, resized copies.

An upload is accepted only once it has been decoded in full (header checks alone let
truncated files through), and what is stored is re-encoded from pixels only, so EXIF
(GPS included), XMP, comments and embedded thumbnails never reach a reader. It knows
images and files, not models: storing the copies is `Photo.objects.create_from_upload`.
"""

from __future__ import annotations

import datetime
import io
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

# The only parsers untrusted bytes ever reach. Pillow opens phone JPEGs that carry a
# second picture (a depth map, a preview) as "MPO"; they are JPEGs to us.
OPEN_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "HEIF")
ACCEPTED_FORMATS = {*OPEN_FORMATS, "MPO"}
EXTENSIONS = {
    "JPEG": ("jpg", "jpeg"),
    "MPO": ("jpg", "jpeg"),
    "PNG": ("png",),
    "WEBP": ("webp",),
    "GIF": ("gif",),
    "HEIF": ("heic", "heif"),
}
# Starts of the accepted formats: a file that begins like one but cannot be opened is
# damaged rather than "not a photo".
SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1")
# Only the first frame is ever decoded (docs/decisions/animated-images.md). Counting frames
# still walks the file, and an animation holding more pixels in all than one photo may
# is refused, so that no animation costs more to judge than a still of the same size.
MAX_FRAMES = 1000
ANIMATED_FORMATS = ("GIF", "PNG", "WEBP")  # MPO and HEIF hold separate pictures, not frames
PHOTO_MAX_EDGE = 1600
# 720 fits the post's column on a desktop at 1×, 960 and 1600 the same on dense screens.
RENDITION_WIDTHS = (480, 720, 960, 1600)
MIN_CAPTURE_YEAR = 1900
AVATAR_EDGE = 256


def quoted(name: str) -> str:
    """A file's name as the refusals show it."""
    return f"“{name}”"


def validate_image_upload(upload: UploadedFile, max_bytes: int, label: str = "") -> str:
    """Refuse from its header what is not a photo we may decode: size, format, pixels, frames.

    Reading the header decodes no pixels. Returns the format found ("JPEG", "HEIF", …).
    Refusals name the file by `label` when given (“photo 2 of entry …”), else by its name.
    """
    name = label or quoted(upload.name)
    if not upload.size:
        raise ValidationError(_("%(file)s is empty."), code="empty", params={"file": name})
    if upload.size > max_bytes:
        raise ValidationError(
            _("%(file)s is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={
                "file": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_bytes),
            },
        )
    try:
        upload.seek(0)
        image = Image.open(upload, formats=OPEN_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refuses before we could read the size (see PlannerConfig.ready).
        raise _too_many_pixels(name) from None
    except UnidentifiedImageError:
        raise _not_a_photo(upload, name) from None
    except Exception as error:
        logger.info("Refused %r, which could not be opened: %r", name, error)
        raise _damaged(name) from None
    width, height = image.size
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise _too_many_pixels(name, width, height)
    try:
        frames = getattr(image, "n_frames", 1)
    except Exception as error:
        logger.info("Refused %r, whose frames could not be counted: %r", name, error)
        raise _damaged(name) from None
    if frames > MAX_FRAMES:
        raise _too_many_frames(name, frames)
    if image.format in ANIMATED_FORMATS:
        _check_animation_pixels(name, frames, width, height)
    return image.format


def check_and_process[T](
    upload: UploadedFile,
    max_bytes: int,
    processor: Callable[[UploadedFile], T],
    label: str = "",
) -> T:
    """Validate an upload, then decode it in full through `processor`, or say why not.

    Any failure while decoding untrusted bytes means the same to the person: the file
    cannot be read. Pillow's decoders raise many kinds of errors for broken input, so
    all are caught here, and logged with their type so that a bug of ours would still show.
    Once accepted, the upload's name ends with the extension of its real format.
    """
    fmt = validate_image_upload(upload, max_bytes, label)
    name = label or quoted(upload.name)
    try:
        processed = processor(upload)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(name) from None
    except Exception as error:
        logger.info("Refused %r, which could not be decoded: %r", upload.name, error)
        raise _damaged(name) from None
    finally:
        upload.seek(0)
    upload.name = _with_extension(upload.name, fmt)
    upload.content_type = Image.MIME.get(fmt, "application/octet-stream")
    return processed


def _check_animation_pixels(name: str, frames: int, width: int, height: int) -> None:
    total = frames * width * height
    if frames > 1 and total > settings.PHOTO_MAX_PIXELS:
        raise ValidationError(
            _(
                "%(file)s is an animation of %(frames)s frames of %(width)s × %(height)s "
                "pixels, %(megapixels)s megapixels in all; an animation may hold "
                "%(limit)s megapixels in all. Only its first frame would be kept: "
                "save that frame as a still photo and add it instead."
            ),
            code="animation_too_large",
            params={
                "file": name,
                "frames": frames,
                "width": width,
                "height": height,
                "megapixels": f"{total / 1_000_000:.0f}",
                "limit": f"{settings.PHOTO_MAX_PIXELS / 1_000_000:g}",
            },
        )


def _too_many_frames(name: str, frames: int) -> ValidationError:
    return ValidationError(
        _("%(file)s has %(frames)s frames; the limit is %(limit)s."),
        code="too_many_frames",
        params={"file": name, "frames": frames, "limit": MAX_FRAMES},
    )


def _too_many_pixels(name: str, width: int = 0, height: int = 0) -> ValidationError:
    limit = f"{settings.PHOTO_MAX_PIXELS / 1_000_000:g}"
    if not width:
        return ValidationError(
            _("%(file)s has more pixels than the limit of %(limit)s megapixels."),
            code="too_many_pixels",
            params={"file": name, "limit": limit},
        )
    return ValidationError(
        _("%(file)s is %(width)s × %(height)s pixels; the limit is %(limit)s megapixels."),
        code="too_many_pixels",
        params={"file": name, "width": width, "height": height, "limit": limit},
    )


def _not_a_photo(upload: UploadedFile, name: str) -> ValidationError:
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    is_webp = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    is_heif = head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS
    if head.startswith(SIGNATURES) or is_webp or is_heif:
        return _damaged(name)
    if b"<svg" in head.lower():
        return ValidationError(
            _("%(file)s is an SVG drawing; SVG files are not accepted, only photos."),
            code="svg",
            params={"file": name},
        )
    return ValidationError(
        _("%(file)s is not a JPEG, PNG, WebP, GIF or HEIC photo."),
        code="invalid_format",
        params={"file": name},
    )


def _damaged(name: str) -> ValidationError:
    return ValidationError(
        _("%(file)s could not be read as a photo — it may be damaged."),
        code="damaged",
        params={"file": name},
    )


def _with_extension(name: str, fmt: str) -> str:
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem = name
    if dot and extension.lower() in EXTENSIONS[fmt]:
        return name
    return f"{stem}.{EXTENSIONS[fmt][0]}"


def _fit(size: tuple[int, int], max_edge: int) -> tuple[int, int]:
    width, height = size
    scale = min(1, max_edge / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _rgb_profile(icc: bytes | None) -> bytes | None:
    """The colour profile, kept only if it describes RGB (bytes 16–19 of an ICC header)."""
    return icc if icc and icc[16:20] == b"RGB " else None


def _decode(upload: UploadedFile, max_edge: int) -> tuple[Image.Image, Image.Exif, bytes | None]:
    """The first frame, upright, in RGB on white, at most `max_edge` pixels on its long side.

    Returns the image with no metadata left in it, the EXIF it came with, and its RGB
    colour profile if it had one.
    """
    upload.seek(0)
    image = Image.open(upload, formats=OPEN_FORMATS)
    exif = image.getexif()
    icc = _rgb_profile(image.info.get("icc_profile"))
    if image.format in ("JPEG", "MPO"):
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale: several times faster for phone photos.
        image.draft("RGB", _fit(image.size, max_edge))
    image.load()  # the first frame only, in full: truncated or corrupt data fails here
    image = ImageOps.exif_transpose(image)
    if image.mode in ("I", "I;16", "I;16L", "I;16B"):
        image = image.convert("I").point(lambda value: value / 256).convert("L")  # 16-bit grey
    has_alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((max_edge, max_edge), Image.Resampling.LANCZOS)
    if has_alpha:
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    image.info = {}  # encoders read comments and the like from here
    return image, exif, icc


def _encode(image: Image.Image, fmt: str, icc_profile: bytes | None = None) -> ContentFile:
    """Pixels only: no EXIF, XMP, comment or thumbnail is passed on (the colour profile may)."""
    buffer = io.BytesIO()
    options: dict[str, Any] = {"icc_profile": icc_profile} if icc_profile else {}
    if fmt == "JPEG":
        image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True, **options)
    else:
        image.save(buffer, "WEBP", quality=80, method=4, **options)
    return ContentFile(buffer.getvalue())


def capture_time(exif: Image.Exif) -> datetime.datetime | None:
    """When the photo was taken, from EXIF DateTimeOriginal (or DateTime), if it says."""
    details = exif.get_ifd(ExifTags.IFD.Exif)
    raw = details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    return exif_time(raw)


def exif_time(raw) -> datetime.datetime | None:
    """An EXIF date and time ("2025:05:03 14:22:07"), as the camera's wall clock in the
    site's zone; None for anything else."""
    try:
        taken = datetime.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except (TypeError, ValueError):
        return None
    if taken.year < MIN_CAPTURE_YEAR:
        return None
    # The camera's wall-clock time, read in the site's zone (even when a phone also wrote
    # its offset): the day shown as "taken on" is then the day on the camera.
    return timezone.make_aware(taken)


@dataclass
class ProcessedPhoto:
    """What is stored of one upload: named renditions, the size of the largest, its date."""

    files: dict[str, ContentFile]
    renditions: list[dict]
    width: int
    height: int
    taken_at: datetime.datetime | None


def process_photo(upload: UploadedFile) -> ProcessedPhoto:
    """Upright WebP renditions at several widths (never upscaled), and a JPEG fallback."""
    image, exif, icc = _decode(upload, PHOTO_MAX_EDGE)
    files = {"fallback.jpg": _encode(image, "JPEG", icc)}
    renditions = []
    widths = [width for width in RENDITION_WIDTHS if width < image.width] + [image.width]
    for width in widths:
        smaller = image
        if width < image.width:
            height = max(1, round(image.height * width / image.width))
            smaller = image.resize((width, height), Image.Resampling.LANCZOS)
        name = f"{smaller.width}.webp"
        files[name] = _encode(smaller, "WEBP", icc)
        renditions.append({"width": smaller.width, "height": smaller.height, "name": name})
    return ProcessedPhoto(files, renditions, image.width, image.height, capture_time(exif))


def process_avatar(upload: UploadedFile) -> ContentFile:
    image, _exif, _icc = _decode(upload, AVATAR_EDGE * 2)
    image = ImageOps.fit(image, (AVATAR_EDGE, AVATAR_EDGE), Image.Resampling.LANCZOS)
    content = _encode(image, "JPEG")
    content.name = f"{uuid.uuid4().hex}.jpg"
    return content
