"""Whole pages as visitors get them, kept so that reading costs about what a constant page does.

A visitor who carries no cookie that changes the page (no session, no message waiting) gets
the same bytes as every other such visitor for the same address and language on the same
day: a public post, a profile, the home page. The first of them gets the page rendered and
kept, plain and gzip-compressed; the others get it from the cache after one small query
that gives the page's version. A version changes whenever anything the page shows
changes, so a change is seen at once by everyone:

- a post: its `render_version` and `discussion_version` (planner/post_cache.py);
- a profile: the render versions of all the person's years, which change together whenever
  the person, their years or their goals change; a person with no years is not kept;
- the home page: the twelve newest public posts of active people, and their versions.

Nothing in a kept page varies by request: no CSRF token, no nonce, no message; the path
(in the log-in link and the language menu) is in the key. The nonce-free htmx script of a
post with many comments is allowed by the policy's 'self'.

Signed-in readers get a post kept for all of them but its owner, with stand-ins for what is
theirs alone put in on every request; the owner gets their own post kept for them alone, with
their token and today's views put in (the last two sections of this module).
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import re
import secrets

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.http import quote_etag
from django.utils.safestring import mark_safe
from django.utils.text import compress_string
from django.utils.translation import get_language

from accounts.models import User
from readers.bell import bell_html
from readers.following import Follow

from . import post_cache
from .models import Like, Visibility, Year
from .permissions import own_year, public_year
from .stats import PostViews, count_view, post_views

# Query parameters that change what a kept page shows; any other skips the cache.
CACHED_PARAMETERS = {"comments_page"}
# Cookies that change the page itself: a session (someone logged in, or an import draft)
# and messages waiting to be shown. A visitor with either gets the page rendered.
PERSONAL_COOKIES = {settings.SESSION_COOKIE_NAME, "messages"}
HOME_POSTS = 12  # as many as the home page lists
# A page number as the page writes it: any other spelling ("01", "abc") is rendered, not kept.
_PAGE = re.compile(r"[1-9][0-9]{0,5}")


def is_plain_visit(request: HttpRequest) -> bool:
    """A visitor's GET or HEAD with nothing of their own in it: what a kept page may answer."""
    return (
        _is_plain_page_request(request)
        and not PERSONAL_COOKIES & request.COOKIES.keys()
        and not request.user.is_authenticated
    )


def is_signed_in_visit(request: HttpRequest) -> bool:
    """A signed-in person's GET or HEAD of a page with no message waiting for them."""
    return (
        _is_plain_page_request(request)
        and request.user.is_authenticated
        and not len(get_messages(request))
    )


def is_reader_visit(request: HttpRequest) -> bool:
    """A signed-in visit whose page may be shared: staff have a header link of their own."""
    return is_signed_in_visit(request) and not request.user.is_staff


def _is_plain_page_request(request: HttpRequest) -> bool:
    return (
        post_cache.enabled()
        and request.method in ("GET", "HEAD")
        and not request.htmx
        and set(request.GET) <= CACHED_PARAMETERS
        and all(_PAGE.fullmatch(value) for value in request.GET.getlist("comments_page"))
    )


# --- Versions ------------------------------------------------------------------------
# Each is one written-out query: building it through the ORM would cost more than the rest
# of the answer together.


def post_version(post: Year) -> str:
    return f"{post.pk}:{post.render_version.hex}:{post.discussion_version.hex}"


def profile_version(username: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT y.id, y.render_version FROM {Year._meta.db_table} y "
            f"JOIN {User._meta.db_table} u ON u.id = y.owner_id "
            "WHERE u.username = %s AND u.is_active = %s ORDER BY y.id",
            [username.lower(), True],
        )
        return _digest(cursor.fetchall())


def home_version() -> str:
    # The same order as the home page's list (planner/views/home.py).
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT y.id, y.render_version FROM {Year._meta.db_table} y "
            f"JOIN {User._meta.db_table} u ON u.id = y.owner_id "
            "WHERE y.visibility = %s AND u.is_active = %s "
            f"ORDER BY y.published_at DESC LIMIT {HOME_POSTS}",
            [Visibility.PUBLIC, True],
        )
        return _digest(cursor.fetchall()) or "empty"


def _digest(rows: list[tuple]) -> str | None:
    if not rows:
        return None
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:32]


# --- Pages ---------------------------------------------------------------------------


def _key(request: HttpRequest, kind: str, version: str) -> str:
    day = timezone.localdate().isoformat()  # what is worded relative to today
    return f"page:{kind}:{version}:{get_language()}:{day}:{request.get_full_path()}"


def stored(request: HttpRequest, kind: str, version: str | None) -> HttpResponse | None:
    """The kept page, compressed when the client takes gzip; None when there is none."""
    if version is None or (page := cache.get(_key(request, kind, version))) is None:
        return None
    if re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(_padded(page["gzip"]), content_type=page["content_type"])
        response["Content-Encoding"] = "gzip"
        # The page's own tag, weak as GZipMiddleware makes it: the padding changes the bytes
        # of every answer, not the page, so a browser's If-None-Match still gets a 304.
        response["ETag"] = "W/" + page["etag"]
    else:
        response = HttpResponse(page["plain"], content_type=page["content_type"])
        response["ETag"] = page["etag"]
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def store(request: HttpRequest, kind: str, version: str | None, response: HttpResponse) -> None:
    """Keep a page just rendered for a plain visit, unless it set a cookie or is no page."""
    if version is None or response.status_code != 200 or response.cookies:
        return
    page = {
        "plain": response.content,
        "gzip": compress_string(response.content),  # no padding: added per answer
        "content_type": response["Content-Type"],
        "etag": quote_etag(hashlib.md5(response.content, usedforsecurity=False).hexdigest()),
    }
    cache.set(_key(request, kind, version), page, settings.POST_CACHE_SECONDS)


def _padded(compressed: bytes) -> bytes:
    """The kept gzip with a random-length file name in its header, as GZipMiddleware pads
    what it compresses ("Heal the Breach"), so the lengths of answers tell nothing."""
    header = bytearray(compressed[:10])
    header[3] = gzip.FNAME
    name = b"a" * secrets.randbelow(GZipMiddleware.max_random_bytes) + b"\x00"
    return bytes(header) + name + compressed[10:]


# --- The post --------------------------------------------------------------------------


def stored_post(request: HttpRequest, username: str, year: int) -> HttpResponse | None:
    """The kept page of a public post, counted as a view like any other reading of it."""
    if not is_plain_visit(request) or (post := public_year(username, year)) is None:
        return None
    if (page := stored(request, "post", post_version(post))) is not None:
        count_view(request, post)
    return page


def store_post(request: HttpRequest, post: Year, response: HttpResponse) -> None:
    if is_plain_visit(request) and post.visibility == Visibility.PUBLIC:
        store(request, "post", post_version(post), response)


# --- The post as signed-in readers get it ------------------------------------------------
# Rendered once for all of them but the owner, for a stand-in reader, and kept; each request
# puts in the reader's own: their CSRF token, the address of their profile and their bell in
# the header, and the actions on their own comments. Whether they like the post and follow
# its writer is in the key.


class StandInReader:
    """Whom a reader's kept page is rendered for: signed in, not staff, not the owner."""

    is_authenticated = True
    is_staff = False
    pk = None

    def __init__(self) -> None:
        self.username = f"stand-in-{secrets.token_hex(12)}"


def _reader_key(request: HttpRequest, post: Year, liked: bool, following: bool) -> str:
    return _key(request, "reader-post", f"{post_version(post)}:{int(liked)}:{int(following)}")


def stored_reader_post(request: HttpRequest, username: str, year: int) -> HttpResponse | None:
    """The kept page of a public or unlisted post for a signed-in reader, made theirs."""
    if not is_reader_visit(request) or username.lower() == request.user.username:
        return None  # the owner's own page is theirs alone
    post = public_year(username, year, unlisted=True)
    if post is None or post.owner_id == request.user.pk:
        return None
    key = _reader_key(request, post, *likes_and_follows(request.user, post))
    if (page := cache.get(key)) is None:
        return None
    count_view(request, post)
    return _personal_response(request, page, *_made_personal(request, page))


def likes_and_follows(user, post: Year) -> tuple[bool, bool]:
    """Whether this reader likes the post, and follows its writer, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {Like._meta.db_table} WHERE year_id = %s "
            "AND user_id = %s), "
            f"EXISTS (SELECT 1 FROM {Follow._meta.db_table} WHERE writer_id = %s "
            "AND follower_id = %s)",
            [post.pk, user.pk, post.owner_id, user.pk],
        )
        liked, following = cursor.fetchone()
        return bool(liked), bool(following)


def reader_post(request: HttpRequest, post: Year, context: dict) -> HttpResponse:
    """The post for a signed-in reader but the owner, from a context with shared threads;
    kept for the others when nothing in the request is theirs alone."""
    actions, csrf_stand_in = context["comment_actions"], context["csrf_stand_in"]
    if not is_reader_visit(request):
        html = render_to_string("planner/year_detail.html", context, request)
        slots = post_cache.reader_slots(html, csrf_stand_in)
        return HttpResponse(post_cache.made_personal(slots, request, actions, csrf_stand_in))
    stand_in, bell_stand_in = StandInReader(), _bell_stand_in()
    html = render_to_string(
        "planner/year_detail.html",
        {
            **context,
            "user": stand_in,
            "csrf_token": csrf_stand_in,
            "csp_nonce": None,
            "bell_stand_in": mark_safe(bell_stand_in),
        },
        request,
    )
    profile_url = reverse("planner:profile", args=[stand_in.username])
    page = {
        "slots": post_cache.reader_slots(html, csrf_stand_in, (profile_url, bell_stand_in)),
        "rendering": secrets.token_hex(8),
        "comment_actions": actions,
        "csrf_stand_in": csrf_stand_in,
        "profile_url": profile_url,
        "bell_stand_in": bell_stand_in,
    }
    key = _reader_key(request, post, context["liked"], context["following"])
    cache.set(key, page, settings.POST_CACHE_SECONDS)
    return _personal_response(request, page, *_made_personal(request, page))


def _bell_stand_in() -> str:
    return f"<!--bell-{secrets.token_hex(8)}-->"


def _made_personal(request: HttpRequest, page: dict) -> tuple[str, str]:
    """The reader's kept page with their token, profile address and bell; and the bell."""
    profile_url = escape(reverse("planner:profile", args=[request.user.username]))
    bell = bell_html(request)
    html = post_cache.made_personal(
        page["slots"],
        request,
        page["comment_actions"],
        page["csrf_stand_in"],
        {page["profile_url"]: profile_url, page["bell_stand_in"]: bell},
    )
    return html, bell


# --- The post as its owner gets it ---------------------------------------------------------
# Rendered for the owner alone and kept until anything on it changes: the same versions as
# everyone's, and no longer than until the first deleted item on it can no longer be
# restored. Their CSRF token and the figures of views are put in on every request.


def _own_key(request: HttpRequest, post: Year) -> str:
    return _key(request, "own-post", post_version(post))


def stored_own_post(request: HttpRequest, username: str, year: int) -> HttpResponse | None:
    if not is_signed_in_visit(request):
        return None
    post = own_year(request.user, username, year)
    if post is None or (page := cache.get(_own_key(request, post))) is None:
        return None
    return _personal_response(request, page, *_own_made_personal(request, post, page))


def own_post(
    request: HttpRequest, post: Year, context: dict, restorable_until: datetime.datetime | None
) -> HttpResponse:
    """The owner's post, from its context; kept when nothing in the request is for now only."""
    if not is_signed_in_visit(request):
        return HttpResponse(render_to_string("planner/year_detail.html", context, request))
    csrf_stand_in, views_stand_in = secrets.token_hex(16), f"<!--views-{secrets.token_hex(8)}-->"
    bell_stand_in = _bell_stand_in()
    html = render_to_string(
        "planner/year_detail.html",
        {
            **context,
            "csrf_token": csrf_stand_in,
            "views_stand_in": mark_safe(views_stand_in),
            "csp_nonce": None,
            "bell_stand_in": mark_safe(bell_stand_in),
        },
        request,
    )
    page = {
        "slots": post_cache.reader_slots(html, csrf_stand_in, (views_stand_in, bell_stand_in)),
        "rendering": secrets.token_hex(8),
        "csrf_stand_in": csrf_stand_in,
        "views_stand_in": views_stand_in,
        "bell_stand_in": bell_stand_in,
    }
    timeout = settings.POST_CACHE_SECONDS
    if restorable_until is not None:
        timeout = min(timeout, int((restorable_until - timezone.now()).total_seconds()))
    key = _own_key(request, post)
    if timeout > 0:
        cache.set(key, page, timeout)
    return _personal_response(
        request, page, *_own_made_personal(request, post, page, context["views"])
    )


def _own_made_personal(
    request: HttpRequest, post: Year, page: dict, views: PostViews | None = None
) -> tuple[str, str]:
    """The owner's kept page with their token, today's views and their bell; and what was
    put in that changes (the views and the bell)."""
    views = render_to_string(
        "planner/year_detail.html#post_views",
        {"views": views or post_views(post, timezone.localdate())},
    )
    bell = bell_html(request)
    stand_ins = {page["views_stand_in"]: views}
    if "bell_stand_in" in page:  # kept before there was a bell: without one until it expires
        stand_ins[page["bell_stand_in"]] = bell
    html = post_cache.made_personal(page["slots"], request, {}, page["csrf_stand_in"], stand_ins)
    return html, views + bell


def _personal_response(
    request: HttpRequest, page: dict, html: str, extra: str = ""
) -> HttpResponse:
    """A kept page made someone's own, with a weak ETag: a masked CSRF token is new in every
    answer, yet any of them is good for the secret in the person's cookie, so two answers
    to the same person from the same kept rendering are equivalent, and a reload can be a
    304. A new rendering (a new version, or the old one expired) has a new tag, and so has
    a change in what was put in (`extra`: the bell's count, the owner's views)."""
    response = HttpResponse(html)
    user = request.user
    seen = f"{page['rendering']}|{user.pk}|{user.username}|{request.META['CSRF_COOKIE']}|{extra}"
    response["ETag"] = f'W/"{hashlib.sha256(seen.encode()).hexdigest()[:32]}"'
    return response
