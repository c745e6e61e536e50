"""The public rendering of a post, cached for visitors who are not logged in.

Each year carries a `render_version`, a random value that changes whenever anything its
page shows changes: its own fields, goals and their updates, periods, entries, photos,
comments, likes, the owner's profile and avatar, the owner's other years (the series, next
year's goals, goals carried over), and the names and avatars of its commenters. The cache
key holds that version, so a change makes the old rendering unreachable at once, on every
server, whatever the cache backend: the version is read from the database in the same
query that checks who may see the post. Old renderings simply expire.

Two renderings are kept. For visitors who are not logged in and carry no cookie that
changes the page (no session, no pending message), reading a public post: the whole page,
as it was answered, plain and gzip-compressed, so such a request costs the query that
checks the post, counting the view and a cache lookup, about what a constant page costs.
Nothing in it varies by request: no CSRF token, no nonce, and the path (in the log-in link
and the language menu) is in the key. For everyone else but the owner, logged in or not:
the part that is the same for all of them (the texts, goals, periods, photos and next
year's goals, and the <head> additions); the header, likes and comments, which depend on
who is reading, are rendered for each request.
"""

from __future__ import annotations

import gzip
import re
import secrets
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import compress_string
from django.utils.translation import get_language

from .models import Comment, Entry, Goal, GoalUpdate, Like, Period, Photo, Visibility, Year
from .permissions import public_year
from .stats import count_view

# Query parameters that change what the cached part shows; any other skips the cache.
CACHED_PARAMETERS = {"comments_page"}
# Cookies that change the page itself: a session (someone logged in, or an import draft)
# and messages waiting to be shown. A visitor with either gets the page rendered.
PERSONAL_COOKIES = {settings.SESSION_COOKIE_NAME, "messages"}
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def applies(request: HttpRequest, post: Year) -> bool:
    """Whether the request reads or fills the page cache: a visitor's GET or HEAD of a public
    post, with no cookie that would change the page."""
    return _is_plain_visit(request) and post.visibility == Visibility.PUBLIC


def _is_plain_visit(request: HttpRequest) -> bool:
    return (
        settings.POST_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not PERSONAL_COOKIES & request.COOKIES.keys()
        and not request.user.is_authenticated
        and not request.htmx
        and set(request.GET) <= CACHED_PARAMETERS
    )


def _key(request: HttpRequest, post: Year, kind: str = "post-page") -> str:
    # The day is in the key for what is worded relative to today (deadlines); the path
    # (visitors' article only) for the comments page and the log-in links that come back
    # to it. The host is not: absolute addresses come from SITE_URL, the same for everyone.
    parts = [
        kind,
        str(post.pk),
        post.render_version.hex,
        get_language(),
        timezone.localdate().isoformat(),
    ]
    if kind == "post-page":
        parts.append(request.get_full_path())
    return ":".join(parts)


def visitor_page(request: HttpRequest, username: str, year: int) -> HttpResponse | None:
    """The stored page of a public post for a visitor, counted as a view; None when there is
    none (then the view renders it, and stores it for the next visitor)."""
    if not _is_plain_visit(request) or (post := public_year(username, year)) is None:
        return None
    if (page := cache.get(_key(request, post))) is None:
        return None
    count_view(request, post)
    if _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(_padded(page["gzip"]), content_type=page["content_type"])
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(page["plain"], content_type=page["content_type"])
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _padded(compressed: bytes) -> bytes:
    """The stored gzip with a random-length file name in its header, as GZipMiddleware
    pads what it compresses ("Heal the Breach"), so the lengths of answers tell nothing."""
    header = bytearray(compressed[:10])
    header[3] = gzip.FNAME
    name = b"a" * secrets.randbelow(GZipMiddleware.max_random_bytes) + b"\x00"
    return bytes(header) + name + compressed[10:]


def store_page(request: HttpRequest, post: Year, response: HttpResponse) -> None:
    if applies(request, post) and response.status_code == 200 and not response.cookies:
        page = {
            "plain": response.content,
            "gzip": compress_string(response.content),  # no padding: added per answer
            "content_type": response["Content-Type"],
        }
        cache.set(_key(request, post), page, settings.POST_CACHE_SECONDS)


def get_reader_part(request: HttpRequest, post: Year) -> dict[str, SafeString] | None:
    """What every reader but the owner sees alike; the caller makes sure this is no owner."""
    if settings.POST_CACHE_SECONDS <= 0:
        return None
    parts = cache.get(_key(request, post, "post-reader"))
    return _safe(parts) if parts else None


def store_reader_part(
    request: HttpRequest, post: Year, parts: dict[str, str]
) -> dict[str, SafeString]:
    if settings.POST_CACHE_SECONDS > 0:
        _set(_key(request, post, "post-reader"), parts)
    return _safe(parts)


def enabled() -> bool:
    return settings.POST_CACHE_SECONDS > 0


def get_shared_threads(request: HttpRequest, post: Year, page: int) -> dict | None:
    """A page of threads as every signed-in reader but the owner gets it (views/comments.py)."""
    return cache.get(_key(request, post, f"post-threads-{page}"))


def store_shared_threads(request: HttpRequest, post: Year, page: int, stored: dict) -> dict:
    cache.set(_key(request, post, f"post-threads-{page}"), stored, settings.POST_CACHE_SECONDS)
    return stored


def _safe(parts: dict[str, str]) -> dict[str, SafeString]:
    # Stored from templates' own rendering, so already escaped.
    return {name: mark_safe(html) for name, html in parts.items()}


def _set(key: str, parts: dict[str, str]) -> None:
    cache.set(key, {name: str(html) for name, html in parts.items()}, settings.POST_CACHE_SECONDS)


# --- Invalidation -------------------------------------------------------------


def bump(years: QuerySet[Year]) -> None:
    """Give these years a new version: their cached renderings are no longer used."""
    years.update(render_version=uuid.uuid4())


def years_changed_by(instance) -> QuerySet[Year] | None:
    """The years whose pages show `instance`, or None when it shows on no page."""
    match instance:
        # Goals show on their year, the year before (next year's goals) and the year after
        # (carried over); the year itself is in every year's series: all the owner's years.
        case Year():
            return Year.objects.filter(owner_id=instance.owner_id)
        case Goal() | Period():
            return Year.objects.filter(owner__years=instance.year_id)
        case GoalUpdate():
            return Year.objects.filter(owner__years__goals=instance.goal_id)
        case Entry():
            return Year.objects.filter(owner__years__periods=instance.period_id)
        case Photo():
            return Year.objects.filter(owner__years__periods__entries=instance.entry_id)
        case Comment() | Like():
            return Year.objects.filter(pk=instance.year_id)
    if instance._meta.label == settings.AUTH_USER_MODEL:
        return Year.objects.filter(Q(owner_id=instance.pk) | Q(comments__author_id=instance.pk))
    return None


def changed(instance) -> None:
    """Something shown on posts was saved or deleted: their cached renderings go."""
    if (years := years_changed_by(instance)) is not None:
        bump(years)


def changed_all(instances) -> None:
    """After a bulk update that sent no signals."""
    for instance in instances:
        changed(instance)
