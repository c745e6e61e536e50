"""Who may see and change what: every view loads its objects through these helpers.

Anyone not allowed to see a thing gets a 404, as if it did not exist.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django_htmx.http import HttpResponseClientRedirect

from accounts.models import User

from .models import Entry, Goal, Period, Photo, Year


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


def get_period_for(request: HttpRequest, username: str, year: int, index: int) -> Period:
    return get_object_or_404(
        Period.objects.select_related("year__owner"),
        year__owner_id=request.user.pk,
        year__owner__username=username.lower(),
        year__year=year,
        index=index,
    )


def get_goal_for(request: HttpRequest, goal_id: int, *, deleted: bool = False) -> Goal:
    goals = Goal.all_objects.recently_deleted() if deleted else Goal.objects
    return get_object_or_404(
        goals.select_related("year__owner"), pk=goal_id, year__owner_id=request.user.pk
    )


def get_entry_for(request: HttpRequest, entry_id: int, *, deleted: bool = False) -> Entry:
    entries = Entry.all_objects.recently_deleted() if deleted else Entry.objects
    return get_object_or_404(
        entries.select_related("period__year__owner"),
        pk=entry_id,
        period__year__owner_id=request.user.pk,
    )


def get_photo_for(request: HttpRequest, photo_id: int) -> Photo:
    return get_object_or_404(
        Photo.objects.select_related("entry__period__year__owner"),
        pk=photo_id,
        entry__period__year__owner_id=request.user.pk,
        entry__deleted_at__isnull=True,
    )


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
