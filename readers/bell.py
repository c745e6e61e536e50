"""The bell in the header: how many notifications a signed-in person has not read yet.

Pages rendered for everyone (planner/page_cache.py) carry a stand-in where the bell goes,
and each request puts in the person's own (`bell_html`), so no count is ever shared.
"""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest
from django.template.loader import render_to_string

from .notifications import Notification


def unread_count(user) -> int:
    return Notification.objects.unread_count(user)


def bell_html(request: HttpRequest) -> str:
    """The person's bell, as the header shows it."""
    return render_to_string(
        "readers/includes/bell.html", {"unread_notifications": unread_count(request.user)}
    )


def bell(request: HttpRequest) -> dict:
    """Context processor: the unread count, counted only when a page shows the bell."""
    user = getattr(request, "user", None)  # none on a page rendered before authentication
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": partial(unread_count, user)}
