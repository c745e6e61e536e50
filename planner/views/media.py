"""Uploaded files, served only to those who may see what they belong to.

Each file is found through a permission check, then streamed from storage, handed to
nginx with X-Accel-Redirect (a shared media root), or, with object storage and
MEDIA_SIGNED_URLS, answered with a redirect to its short-lived signed address (an owner's
original is still streamed, as the attachment the app names). A stored name never changes
content (every upload gets new names), so the name is the ETag and a browser may keep a
file for a year. A shared cache (a proxy, a CDN) may keep only what anyone may see, and
must ask again before each use (`s-maxage=0`): the question comes here, which answers 304 while the
photo is still public and 404 once its post or entry turned private, so no shared cache
serves a photo past that moment (docs/decisions/http-caching.md).
"""

from __future__ import annotations

import datetime
import hashlib
import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date, quote_etag
from django.views.decorators.http import require_safe

from accounts.models import User

from ..models import Photo, Visibility
from ..permissions import get_photo_to_read

YEAR_IN_SECONDS = 365 * 24 * 60 * 60
SHARED = f"public, max-age={YEAR_IN_SECONDS}, s-maxage=0, proxy-revalidate, immutable"
PRIVATE = f"private, max-age={YEAR_IN_SECONDS}, immutable"
# Any other type (an original named .html or .svg) goes out as octet-stream, never rendered.
IMAGE_TYPES = {"image/jpeg", "image/webp", "image/png", "image/gif", "image/heic", "image/heif"}


@require_safe
def photo_file(request: HttpRequest, photo_id: int, name: str) -> HttpResponse:
    photo = get_photo_to_read(request, photo_id)
    stored = photo.stored_name(name)
    if stored is not None:
        return serve_stored(
            request, stored, cache_control=photo_cache_control(photo), modified=photo.created_at
        )
    if is_own_original(request, photo, name):
        return serve_stored(
            request,
            photo.original.name,
            cache_control=PRIVATE,
            modified=photo.created_at,
            download_as=f"photo-{photo.pk}-original.{name.rsplit('.', 1)[-1]}",
        )
    raise Http404


@require_safe
def avatar_file(request: HttpRequest, name: str) -> HttpResponse:
    """Avatars are as public as the profiles that show them."""
    stored = f"avatars/{name}"
    if not User.objects.filter(avatar=stored, is_active=True).exists():
        raise Http404
    return serve_stored(request, stored, cache_control=SHARED)


def photo_cache_control(photo: Photo) -> str:
    # Only a public post's photos may sit in shared caches; an unlisted post's link is
    # readable by whoever has it, but no proxy should hand the file to anyone else.
    entry = photo.entry
    shared = entry.period.year.visibility == Visibility.PUBLIC and not entry.is_private
    return SHARED if shared else PRIVATE


def is_own_original(request: HttpRequest, photo: Photo, name: str) -> bool:
    """The upload as it came, kept at the owner's wish, is for the owner alone (not staff)."""
    return (
        bool(photo.original)
        and photo.original.name.rsplit("/", 1)[-1] == name
        and photo.entry.period.year.owner_id == request.user.pk
    )


def serve_stored(
    request: HttpRequest,
    name: str,
    *,
    cache_control: str,
    modified: datetime.datetime | None = None,
    download_as: str = "",
) -> HttpResponse:
    """Answer a conditional request with 304, or send the stored file without loading it whole."""
    if settings.MEDIA_SIGNED_URLS and not download_as:
        return signed_redirect(name)
    etag = quote_etag(hashlib.sha256(name.encode()).hexdigest()[:32])
    timestamp = int(modified.timestamp()) if modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = open_stored(name, download_as)
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    response["Cache-Control"] = cache_control
    return response


def signed_redirect(name: str) -> HttpResponse:
    """Send the browser to the file's signed address. Anyone holding that address may fetch
    the file until it expires, so no cache may keep this answer, nor hand it to another."""
    response = HttpResponseRedirect(default_storage.url(name))
    response["Cache-Control"] = "private, no-store"
    return response


def open_stored(name: str, download_as: str) -> HttpResponse:
    guessed = mimetypes.guess_type(name)[0]
    content_type = guessed if guessed in IMAGE_TYPES else "application/octet-stream"
    if settings.MEDIA_ACCEL_REDIRECT:
        # nginx sends the file from an internal location and keeps our Content-Type,
        # Content-Disposition and Cache-Control.
        response = HttpResponse(content_type=content_type)
        location = settings.MEDIA_ACCEL_REDIRECT.rstrip("/") + "/" + quote(name)
        response["X-Accel-Redirect"] = location
        if download_as:
            response["Content-Disposition"] = content_disposition_header(True, download_as)
        return response
    try:
        file = default_storage.open(name)
    except FileNotFoundError:
        raise Http404 from None
    # FileResponse streams in blocks and sets Content-Length from the file's size.
    return FileResponse(
        file, content_type=content_type, as_attachment=bool(download_as), filename=download_as
    )
