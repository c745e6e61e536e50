from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from yearloop.http import AuthedRequest

from ..stats import owner_views


@login_required
@require_safe
def stats(request: AuthedRequest) -> HttpResponse:
    """The signed-in person's own figures: views per post and day, and what is read most."""
    posts, days = owner_views(request.user, timezone.localdate())
    context = {
        "posts": posts,
        "days": days,
        "charted": [item for item in posts if item.recent],
        "total": sum(item.total for item in posts),
        "recent_total": sum(item.recent for item in posts),
    }
    return render(request, "planner/stats.html", context)
