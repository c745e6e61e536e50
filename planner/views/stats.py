from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from yearloop.http import AuthedRequest

from ..stats import owner_views


@login_required
@require_safe
def stats(request: AuthedRequest) -> HttpResponse:
    """The signed-in person's own figures: views per post and day, and what is read most;
    with `?year=`, the figures of their post of that year alone."""
    year = request.GET.get("year")
    one_year = int(year) if year and year.isdecimal() and len(year) <= 4 else None
    posts, days = owner_views(request.user, timezone.localdate(), one_year)
    if year is not None and not (one_year and posts):
        raise Http404
    context = {
        "post": posts[0].post if one_year is not None else None,
        "posts": posts,
        "days": days,
        "charted": [item for item in posts if item.recent],
        "total": sum(item.total for item in posts),
        "recent_total": sum(item.recent for item in posts),
    }
    return render(request, "planner/stats.html", context)
