from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import page_cache
from ..markdown import plain_excerpt
from ..models import (
    PERIOD_LABELS,
    Entry,
    Goal,
    Period,
    Photo,
    Year,
    period_bounds,
    period_index_for,
)
from .app import kept_offline_for_owner
from .goals import goal_list_context


@kept_offline_for_owner
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return dashboard(request)
    version = page_cache.home_version() if page_cache.is_plain_visit(request) else None
    if page := page_cache.stored(request, "home", version):
        return page
    recent = (
        Year.objects.public()
        .filter(owner__is_active=True)
        .select_related("owner")
        .order_by("-published_at")
    )
    context = {"recent_years": recent[: page_cache.HOME_POSTS]}
    response = render(request, "planner/home_landing.html", context)
    page_cache.store(request, "home", version, response)
    return response


def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    index = period_index_for(today.month)
    first_day, last_day = period_bounds(today.year, index)
    post = Year.objects.filter(owner=request.user, year=today.year).select_related("owner").first()
    context = {
        **(goal_list_context(post) if post else {}),
        "today": today,
        "post": post,
        "period_index": index,
        "period_label": PERIOD_LABELS[index],
        "days_left_in_period": (last_day - today).days,
        "days_left_in_year": (datetime.date(today.year, 12, 31) - today).days,
        "period_progress": round(
            100 * (today - first_day).days / ((last_day - first_day).days + 1)
        ),
        "other_years": Year.objects.filter(owner=request.user)
        .exclude(year=today.year)
        .select_related("owner"),
    }
    goals = context.get("goals", [])
    context["next_deadlines"] = next_deadlines(goals)
    # Measurable goals still on their way, for the first screen.
    context["in_progress"] = [goal for goal in goals if goal.is_measurable and not goal.done][:3]
    context["carry_over_prompt"] = wants_carry_over(post, goals, today)
    context["review_prompt"] = post is not None and today.month == 12
    context["retrospectives_due"] = retrospectives_due(post, today)
    context["on_this_day"] = on_this_day(request.user, today)
    return render(request, "planner/dashboard.html", context)


ON_THIS_DAY_LIMIT = 6


@dataclass(frozen=True)
class Memory:
    """An entry from this period of an earlier year, as the dashboard recalls it."""

    entry: Entry
    year: int
    excerpt: str
    thumbnail: dict | None  # url, width and height of the first photo's smallest rendition


def on_this_day(user, today: datetime.date, limit: int = ON_THIS_DAY_LIMIT) -> list[Memory]:
    """What the owner wrote in this period of earlier years, newest year first (two queries)."""
    first_photo = Prefetch(
        "photos", queryset=Photo.objects.order_by("order", "id")[:1], to_attr="first_photos"
    )
    entries = (
        Entry.objects.filter(
            period__year__owner=user,
            period__year__year__lt=today.year,
            period__index=period_index_for(today.month),
        )
        .select_related("period__year")
        .prefetch_related(first_photo)
        .order_by("-period__year__year", "order", "id")[:limit]
    )
    return [
        Memory(
            entry=entry,
            year=entry.period.year.year,
            excerpt=plain_excerpt(entry.body),
            thumbnail=thumbnail(entry.first_photos[0]) if entry.first_photos else None,
        )
        for entry in entries
    ]


def thumbnail(photo: Photo) -> dict:
    smallest = photo.rendition()
    return {
        "url": photo.file_url(smallest["name"]),
        "width": smallest["width"],
        "height": smallest["height"],
    }


def retrospectives_due(post: Year | None, today: datetime.date) -> list[Period]:
    """Periods to look back on: ended ones left unwritten, and the current one near its end."""
    if post is None:
        return []
    current = period_index_for(today.month)
    ending = (period_bounds(today.year, current)[1] - today).days < RETROSPECTIVE_PROMPT_DAYS
    last = current if ending else current - 1
    return list(post.periods.filter(index__lte=last, retrospective=""))


RETROSPECTIVE_PROMPT_DAYS = 14


def next_deadlines(goals: list[Goal], limit: int = 5) -> list[Goal]:
    """This year's open goals that have a deadline, soonest first."""
    due = [goal for goal in goals if goal.deadline and not goal.done]
    return sorted(due, key=lambda goal: goal.deadline)[:limit]


def wants_carry_over(post: Year | None, goals: list[Goal], today: datetime.date) -> bool:
    """In December, until next year has goals, offer to carry this year's unreached ones."""
    if post is None or today.month != 12 or all(goal.done for goal in goals):
        return False
    next_goals = Goal.objects.filter(year__owner_id=post.owner_id, year__year=post.year + 1)
    return not next_goals.exists()
