from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..models import PERIOD_LABELS, Goal, Year, period_bounds, period_index_for


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return dashboard(request)
    recent = Year.objects.public().select_related("owner").order_by("-published_at")[:12]
    return render(request, "planner/home_landing.html", {"recent_years": recent})


def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    index = period_index_for(today.month)
    first_day, last_day = period_bounds(today.year, index)
    year = (
        Year.objects.filter(owner=request.user, year=today.year)
        .select_related("owner")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.all()))
        .first()
    )
    goals = list(year.goals.all()) if year else []
    context = {
        "today": today,
        "year": year,
        "goals": goals,
        "reached": sum(goal.done for goal in goals),
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
    return render(request, "planner/dashboard.html", context)
