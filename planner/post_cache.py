"""The public rendering of a post, cached for visitors who are not logged in.

Each year carries two versions, random values that change whenever something its page
shows changes. `render_version`: its own fields, goals and their updates, periods, entries,
photos, answers, the owner's profile and avatar, and the owner's other years (the series, next
year's goals, goals carried over). `discussion_version`: its comments and likes, and the
names and avatars of its commenters. Cache keys hold the versions a rendering depends on,
so a change makes the old rendering unreachable at once, on every server, whatever the
cache backend: the versions are read from the database in the same query that checks who
may see the post. Old renderings simply expire. A new comment leaves the rendering of the
post's body in place; only the comments and the whole page are made again.

Three renderings are kept. For visitors who carry no cookie that changes the page: the
whole page (planner/page_cache.py, which takes the version from here). For everyone but
the owner, logged in or not: the part that is the same for all of them (the texts, goals,
periods, photos and next year's goals, and the <head> additions). For signed-in readers
but the owner: each page of comment threads, with the reader's own parts put in per
request (planner/views/comments.py, `personal_threads` here); the whole page around them is
kept for them too (planner/page_cache.py).
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .models import Answer, Area, Comment, Entry, Goal, GoalUpdate, Like, Period, Photo, Year

# Where a comment's actions go in the shared threads, for its author alone.
_ACTIONS_MARKER = re.compile(r"<!--comment-actions-\d+-->")


def enabled() -> bool:
    return settings.POST_CACHE_SECONDS > 0


def _key(post: Year, kind: str) -> str:
    # The day is in the key for what is worded relative to today (deadlines). The host is
    # not: absolute addresses come from SITE_URL, the same for everyone.
    parts = [kind, str(post.pk), post.render_version.hex, get_language()]
    return ":".join([*parts, timezone.localdate().isoformat()])


def get_reader_part(post: Year) -> dict[str, SafeString] | None:
    """What every reader but the owner sees alike; the caller makes sure this is no owner."""
    if not enabled():
        return None
    parts = cache.get(_key(post, "post-reader"))
    return _safe(parts) if parts else None


def store_reader_part(post: Year, parts: dict[str, str]) -> dict[str, SafeString]:
    if enabled():
        _set(_key(post, "post-reader"), parts)
    return _safe(parts)


def _threads_key(post: Year, page: int) -> str:
    return f"{_key(post, 'post-threads')}:{post.discussion_version.hex}:{page}"


def get_shared_threads(post: Year, page: int) -> dict | None:
    """A page of threads as every signed-in reader but the owner gets it (views/comments.py)."""
    return cache.get(_threads_key(post, page))


def store_shared_threads(post: Year, page: int, stored: dict) -> dict:
    cache.set(_threads_key(post, page), stored, settings.POST_CACHE_SECONDS)
    return stored


def reader_slots(html: str, csrf_stand_in: str, stand_ins: tuple[str, ...] = ()) -> list[str]:
    """A page rendered with shared threads, cut where each reader gets their own: the text
    shared by all at even places; at odd places, a comment's actions marker, the CSRF
    token's stand-in or one of `stand_ins`. Cut once, filled per request (`made_personal`):
    a long post's page is a third of a megabyte, too long to search on every request."""
    places = "|".join([_ACTIONS_MARKER.pattern, *map(re.escape, (csrf_stand_in, *stand_ins))])
    return re.split(f"({places})", html)


def made_personal(
    slots: list[str],
    request: HttpRequest,
    actions: dict[int, tuple[int, str]],
    csrf_stand_in: str,
    stand_ins: dict[str, str] | None = None,
) -> str:
    """The page of `reader_slots` as this reader gets it: the actions on their own comments
    in place of the markers, every other marker gone, their CSRF token in place of its
    stand-in (in their actions too), and each of `stand_ins` replaced."""
    token = get_token(request)
    values = {csrf_stand_in: token, **(stand_ins or {})}
    for pk, (author_id, html) in actions.items():
        if author_id == request.user.pk:
            values[f"<!--comment-actions-{pk}-->"] = html.replace(csrf_stand_in, token)
    filled = slots.copy()
    filled[1::2] = [values.get(slot, "") for slot in slots[1::2]]
    return "".join(filled)


def _safe(parts: dict[str, str]) -> dict[str, SafeString]:
    # Stored from templates' own rendering, so already escaped.
    return {name: mark_safe(html) for name, html in parts.items()}


def _set(key: str, parts: dict[str, str]) -> None:
    cache.set(key, {name: str(html) for name, html in parts.items()}, settings.POST_CACHE_SECONDS)


# --- Invalidation -------------------------------------------------------------


def bump(years: QuerySet[Year], version: str = "render_version") -> None:
    """Give these years a new version: their cached renderings are no longer used."""
    years.update(**{version: uuid.uuid4()})


def years_changed_by(instance) -> QuerySet[Year] | None:
    """The years whose pages show `instance` outside their discussion, or None."""
    match instance:
        # Goals show on their year, the year before (next year's goals) and the year after
        # (carried over); the year itself is in every year's series: all the owner's years.
        case Year() | Area():  # an area's name and place show in the profile's chart
            return Year.objects.filter(owner_id=instance.owner_id)
        case Goal() | Period():
            return Year.objects.filter(owner__years=instance.year_id)
        case GoalUpdate():
            return Year.objects.filter(owner__years__goals=instance.goal_id)
        case Entry():
            return Year.objects.filter(owner__years__periods=instance.period_id)
        case Photo():
            return Year.objects.filter(owner__years__periods__entries=instance.entry_id)
        case Answer():  # shown on its own post only
            return Year.objects.filter(pk=instance.year_id)
    if instance._meta.label == settings.AUTH_USER_MODEL:
        # Their own posts, and the profiles of the writers they follow, whose count of
        # active followers they are in (closing the account takes them out of it).
        return Year.objects.filter(
            Q(owner_id=instance.pk) | Q(owner__followers__follower_id=instance.pk)
        )
    return None


def discussions_changed_by(instance) -> QuerySet[Year] | None:
    """The years whose comments or likes show `instance`, or None."""
    match instance:
        case Comment() | Like():
            return Year.objects.filter(pk=instance.year_id)
    if instance._meta.label == settings.AUTH_USER_MODEL:
        return Year.objects.filter(comments__author_id=instance.pk)
    return None


def changed(instance) -> None:
    """Something shown on posts was saved or deleted: their cached renderings go."""
    if (years := years_changed_by(instance)) is not None:
        bump(years)
    if (years := discussions_changed_by(instance)) is not None:
        bump(years, "discussion_version")


def changed_all(instances) -> None:
    """After a bulk update that sent no signals."""
    for instance in instances:
        changed(instance)
