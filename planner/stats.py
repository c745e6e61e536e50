"""Counting a post's views without remembering who read it, and the figures the owner sees.

A view counts once per reader, post and day. To know "once" the reader is hashed with a
key made of SECRET_KEY and the day (so the hash cannot be reversed, nor matched across
days), and the hash lives only in the cache until midnight. The database keeps a number
per post and day, nothing else.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError
from django.db.models import F, Sum
from django.http import HttpRequest
from django.utils import timezone

from yearloop.addresses import client_address

from .models import DailyViews, Entry, Visibility, Year

logger = logging.getLogger(__name__)

WINDOW_DAYS = 90

# Lower-case pieces of user agents that announce a program rather than a person.
BOT_MARKERS = (
    "bot",
    "crawler",
    "spider",
    "slurp",
    "preview",
    "headless",
    "lighthouse",
    "facebookexternalhit",
    "curl",
    "wget",
    "python-requests",
)


def is_countable(request: HttpRequest, post: Year) -> bool:
    """A person other than the owner opening a shared post, not a bot or a prefetch."""
    if request.method != "GET" or post.visibility == Visibility.PRIVATE:
        return False
    if request.user.is_authenticated and request.user.pk == post.owner_id:
        return False
    return not _is_program(request)


def reader_hash(request: HttpRequest, day: datetime.date) -> str:
    """Who is reading, as a keyed hash that changes every day and cannot be reversed."""
    if request.user.is_authenticated:
        reader = f"user:{request.user.pk}"
    else:
        agent = request.headers.get("User-Agent", "")
        reader = f"visitor:{client_address(request)}:{agent}"
    key = f"{settings.SECRET_KEY}:{day.isoformat()}".encode()
    return hmac.new(key, reader.encode(), hashlib.sha256).hexdigest()


def seconds_until_tomorrow(now: datetime.datetime) -> int:
    tomorrow = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=now.tzinfo
    )
    return max(1, int((tomorrow - now).total_seconds()))


def count_view(request: HttpRequest, post: Year) -> None:
    """Add one to today's views of `post`, the first time this reader opens it today.

    Two queries whatever happens: make sure today's row exists, then add one in the
    database, so parallel views never overwrite each other.
    """
    if not is_countable(request, post):
        return
    now = timezone.localtime()
    today = now.date()
    seen_key = f"views:{post.pk}:{reader_hash(request, today)}"
    if not cache.add(seen_key, True, timeout=seconds_until_tomorrow(now)):
        return
    try:
        DailyViews.objects.bulk_create([DailyViews(year=post, day=today)], ignore_conflicts=True)
        DailyViews.objects.filter(year=post, day=today).update(count=F("count") + 1)
    except OperationalError:
        # A busy database (SQLite's lock timeout) must not cost the reader the page; the
        # view goes uncounted and may count on their next visit. Requests run in autocommit,
        # so nothing else is rolled back with it.
        cache.delete(seen_key)
        logger.warning("A view of post %s was not counted: the database was busy.", post.pk)


def count_entry_read(request: HttpRequest, entry: Entry) -> None:
    """Add one to an entry's reads, the first time this person opens it on its own today.

    Unlike a post's views, the owner's own count: most years stay private while they are
    written, and going back to an entry is what makes it one of the year's most read.
    """
    if request.method != "GET" or _is_program(request):
        return
    now = timezone.localtime()
    seen_key = f"reads:{entry.pk}:{reader_hash(request, now.date())}"
    if cache.add(seen_key, True, timeout=seconds_until_tomorrow(now)):
        Entry.objects.filter(pk=entry.pk).update(reads=F("reads") + 1)


def _is_program(request: HttpRequest) -> bool:
    purpose = request.headers.get("Sec-Purpose", "") + request.headers.get("Purpose", "")
    agent = request.headers.get("User-Agent", "").lower()
    return "prefetch" in purpose.lower() or not agent or any(m in agent for m in BOT_MARKERS)


def window(today: datetime.date, days: int = WINDOW_DAYS) -> list[datetime.date]:
    """The last `days` days, today included, oldest first."""
    return [today - datetime.timedelta(days=n) for n in range(days - 1, -1, -1)]


@dataclass
class PostViews:
    """One post's views: all time, and per day over the window (zeros where none)."""

    post: Year
    total: int
    daily: list[int]

    @property
    def recent(self) -> int:
        return sum(self.daily)


def daily_counts(
    rows: Iterable[tuple[int, datetime.date, int]], days: list[datetime.date]
) -> dict[int, list[int]]:
    """(post id, day, count) rows as a list of counts per post over `days`."""
    position = {day: i for i, day in enumerate(days)}
    counts: dict[int, list[int]] = {}
    for post_id, day, count in rows:
        if day in position:
            counts.setdefault(post_id, [0] * len(days))[position[day]] = count
    return counts


def post_views(post: Year, today: datetime.date) -> PostViews:
    """One post's figures for its owner, in two queries."""
    days = window(today)
    total = DailyViews.objects.filter(year=post).aggregate(total=Sum("count"))["total"] or 0
    rows = DailyViews.objects.filter(year=post, day__gte=days[0]).values_list(
        "year_id", "day", "count"
    )
    daily = daily_counts(rows, days).get(post.pk, [0] * len(days))
    return PostViews(post, total, daily)


def owner_views(
    owner, today: datetime.date, year: int | None = None
) -> tuple[list[PostViews], list[datetime.date]]:
    """Every post of `owner` (or only its post of `year`) with its views, most read first,
    in two queries."""
    days = window(today)
    posts = Year.objects.filter(owner=owner)
    rows = DailyViews.objects.filter(year__owner=owner, day__gte=days[0])
    if year is not None:
        posts, rows = posts.filter(year=year), rows.filter(year__year=year)
    posts = (
        posts.select_related("owner")
        .annotate(total_views=Sum("daily_views__count", default=0))
        .order_by("-total_views", "-year")
    )
    counts = daily_counts(rows.values_list("year_id", "day", "count"), days)
    return [
        PostViews(post, post.total_views, counts.get(post.pk, [0] * len(days))) for post in posts
    ], days
