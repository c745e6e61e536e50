"""Who may see and change what: every view loads its objects through these helpers.

Anyone not allowed to see a thing gets a 404, as if it did not exist.
"""

from __future__ import annotations

import uuid
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django_htmx.http import HttpResponseClientRedirect

from accounts.models import User

from .models import (
    Answer,
    Area,
    Comment,
    Entry,
    Goal,
    GoalUpdate,
    Period,
    Photo,
    Visibility,
    Year,
)
from .reflection import Place

MAX_YEAR = 32767  # the largest year the database column holds on every backend


def get_active_user(username: str) -> User:
    return get_object_or_404(User, username=username.lower(), is_active=True)


def get_year_for(request: HttpRequest, username: str, year: int, *, write: bool = False) -> Year:
    if write:
        years = Year.objects.filter(owner_id=request.user.pk)
    else:
        years = Year.objects.readable_by(request.user)
    return get_object_or_404(
        years.select_related("owner"),
        owner__username=username.lower(),
        owner__is_active=True,
        year=year,
    )


def public_year(username: str, year: int, *, unlisted: bool = False) -> Year | None:
    """The public post a visitor may read at this address (with `unlisted`, also an unlisted
    one, which anyone with its address may read), with only its id, owner, visibility and
    versions loaded; None when there is none (then `get_year_for` decides).

    The same rule as `get_year_for` for someone who does not own it, in one written-out
    query: it is the first step of every kept page, and building the same query through the
    ORM costs forty times as much as running it.
    """
    shared = [Visibility.PUBLIC, Visibility.UNLISTED] if unlisted else [Visibility.PUBLIC]
    condition = f"u.username = %s AND y.visibility IN ({', '.join(['%s'] * len(shared))})"
    return _quick_year(condition, [username.lower(), *shared], year)


def own_year(user, username: str, year: int) -> Year | None:
    """The signed-in person's own post at this address, whatever its visibility, loaded as
    `public_year` loads it; None when the address is not theirs or there is no such post."""
    if username.lower() != user.username:
        return None
    return _quick_year("u.id = %s", [user.pk], year)


def _quick_year(condition: str, params: list, year: int) -> Year | None:
    if not 0 < year <= MAX_YEAR:  # beyond what the column holds: no such post
        return None
    fields = ["id", "owner_id", "visibility", "render_version", "discussion_version"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join('y.' + name for name in fields)} FROM {Year._meta.db_table} y "
            f"JOIN {User._meta.db_table} u ON u.id = y.owner_id "
            f"WHERE {condition} AND u.is_active = %s AND y.year = %s",
            [*params, True, year],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    # SQLite gives the versions as hex strings, PostgreSQL as UUIDs.
    values = [*row[:3], *(uuid.UUID(str(version)) for version in row[3:])]
    return Year.from_db(connection.alias, fields, values)


def get_year_to_comment(request: HttpRequest, username: str, year: int) -> Year:
    """A year the person may read and that takes comments: unlisted or public, never private."""
    years = Year.objects.readable_by(request.user).exclude(visibility=Visibility.PRIVATE)
    return get_object_or_404(
        years.select_related("owner"),
        owner__username=username.lower(),
        owner__is_active=True,
        year=year,
    )


def get_comment_for(request: HttpRequest, comment_id: int, *, moderate: bool = False) -> Comment:
    """A live comment the person wrote; with `moderate`, also any on a post they own."""
    mine = Q(author_id=request.user.pk)
    if moderate:
        mine |= Q(year__owner_id=request.user.pk)
    comments = Comment.objects.on_shared_posts().live().filter(mine)
    return get_object_or_404(comments.select_related("year__owner", "author"), pk=comment_id)


def get_comment_to_pin(request: HttpRequest, comment_id: int) -> Comment:
    """A live thread's first comment on a post the person owns."""
    comments = (
        Comment.objects.on_shared_posts().live().threads().filter(year__owner_id=request.user.pk)
    )
    return get_object_or_404(comments.select_related("year__owner", "author"), pk=comment_id)


def get_comment_to_read(request: HttpRequest, comment_id: int) -> Comment:
    """A live comment on a post the person may read."""
    comments = (
        Comment.objects.on_shared_posts()
        .live()
        .filter(year__in=Year.objects.readable_by(request.user))
    )
    return get_object_or_404(comments.select_related("year__owner"), pk=comment_id)


def get_period_for(request: HttpRequest, username: str, year: int, index: int) -> Period:
    return get_object_or_404(
        Period.objects.select_related("year__owner"),
        year__owner_id=request.user.pk,
        year__owner__username=username.lower(),
        year__year=year,
        index=index,
    )


def get_area_for(request: HttpRequest, area_id: int) -> Area:
    return get_object_or_404(Area, pk=area_id, owner_id=request.user.pk)


def get_place_for(request: HttpRequest, username: str, year: int, place: str) -> tuple[Year, str]:
    """One of the person's own posts and a place on it where guided questions are answered."""
    if place not in Place.values:
        raise Http404
    return get_year_for(request, username, year, write=True), place


def get_answer_for(request: HttpRequest, answer_id: int) -> Answer:
    """An answer to a guided question on one of the person's own posts."""
    return get_object_or_404(
        Answer.objects.select_related("year__owner", "own_question"),
        pk=answer_id,
        year__owner_id=request.user.pk,
    )


def get_goal_for(request: HttpRequest, goal_id: int, *, deleted: bool = False) -> Goal:
    goals = Goal.all_objects.recently_deleted() if deleted else Goal.objects
    return get_object_or_404(
        goals.select_related("year__owner"), pk=goal_id, year__owner_id=request.user.pk
    )


def get_update_for(request: HttpRequest, update_id: int) -> GoalUpdate:
    """A logged step of one of the person's own goals (not of a deleted one)."""
    return get_object_or_404(
        GoalUpdate.objects.select_related("goal__year__owner"),
        pk=update_id,
        goal__year__owner_id=request.user.pk,
        goal__deleted_at__isnull=True,
    )


def get_entry_for(request: HttpRequest, entry_id: int, *, deleted: bool = False) -> Entry:
    entries = Entry.all_objects.recently_deleted() if deleted else Entry.objects
    return get_object_or_404(
        entries.select_related("period__year__owner"),
        pk=entry_id,
        period__year__owner_id=request.user.pk,
    )


def get_entry_to_read(request: HttpRequest, entry_id: int) -> Entry:
    """An entry of a post the person may read; a private one for its owner only."""
    entries = Entry.objects.filter(
        _not_private_unless_owner(request.user, "period__year__owner"),
        period__year__in=Year.objects.readable_by(request.user),
        period__year__owner__is_active=True,
    )
    return get_object_or_404(entries.select_related("period__year__owner"), pk=entry_id)


def get_photo_for(request: HttpRequest, photo_id: int) -> Photo:
    return get_object_or_404(
        Photo.objects.select_related("entry__period__year__owner"),
        pk=photo_id,
        entry__period__year__owner_id=request.user.pk,
        entry__deleted_at__isnull=True,
    )


def get_photo_to_read(request: HttpRequest, photo_id: int) -> Photo:
    """A photo whose year the person may read, in an entry they may see.

    Staff who may view photos in the admin see every photo there, so its thumbnails work.
    """
    user = request.user
    photos = Photo.objects.select_related("entry__period__year")
    if not (user.is_staff and user.has_perm("planner.view_photo")):
        visible_entry = Q(entry__is_private=False)
        if user.is_authenticated:
            visible_entry |= Q(entry__period__year__owner=user)
        photos = photos.filter(
            visible_entry,
            entry__period__year__in=Year.objects.readable_by(user),
            entry__period__year__owner__is_active=True,
            entry__deleted_at__isnull=True,
        )
    return get_object_or_404(photos, pk=photo_id)


def searchable_years(user: User | AnonymousUser) -> QuerySet[Year]:
    """Years whose words a person may search: all of their own, and everyone's public ones.

    Unlisted years are left out for others: they are shared by link, not found.
    """
    shown = Q(visibility=Visibility.PUBLIC)
    if user.is_authenticated:
        shown |= Q(owner=user)
    return Year.objects.filter(shown, owner__is_active=True)


def searchable_periods(user: User | AnonymousUser) -> QuerySet[Period]:
    return Period.objects.filter(year__in=searchable_years(user))


def searchable_goals(user: User | AnonymousUser) -> QuerySet[Goal]:
    """Goals of searchable years; not deleted ones, and private ones for their owner only."""
    goals = Goal.objects.filter(year__in=searchable_years(user))
    return goals.filter(_not_private_unless_owner(user, "year__owner"))


def searchable_entries(user: User | AnonymousUser) -> QuerySet[Entry]:
    """Entries of searchable years; not deleted ones, and private ones for their owner only."""
    entries = Entry.objects.filter(period__year__in=searchable_years(user))
    return entries.filter(_not_private_unless_owner(user, "period__year__owner"))


def _not_private_unless_owner(user: User | AnonymousUser, owner_path: str) -> Q:
    shown = Q(is_private=False)
    if user.is_authenticated:
        shown |= Q(**{owner_path: user})
    return shown


def login_required_in_place(view):
    """login_required, but an htmx request from an expired session reloads the page to log in."""
    view = login_required(view)

    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.htmx and not request.user.is_authenticated:
            back = request.htmx.current_url_abs_path or ""
            return HttpResponseClientRedirect(redirect_to_login(back).url)
        return view(request, *args, **kwargs)

    return checked


def readable_by_others(post_path: str) -> Q:
    """A post others may read now, as a condition on `post_path`: unlisted or public, its
    owner active. What is told about a post (readers/notifications.py) follows this at
    the moment it is read, so a post made private drops out at once."""
    return Q(
        **{
            f"{post_path}__visibility__in": [Visibility.PUBLIC, Visibility.UNLISTED],
            f"{post_path}__owner__is_active": True,
        }
    )
