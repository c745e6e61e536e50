"""The calendar feed: the .ics a calendar service fetches by its secret address, and the
page where its owner finds, narrows and resets that address (docs/decisions/calendar-feed.md).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from yearloop.http import AuthedRequest
from yearloop.site import absolute_url

from ..calendar_feed import calendar_ics
from ..forms import CalendarFeedForm
from ..models import CalendarFeed
from ..permissions import login_required_in_place
from .responses import form_status

FEED_MAX_AGE = 300  # seconds a calendar service may keep an answer before asking again


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Whoever holds the address reads the calendar: a calendar service has no session."""
    # One lookup on the unique index; a token of another shape cannot be one.
    if len(token) > 64:
        raise Http404
    feed = (
        CalendarFeed.objects.select_related("owner")
        .filter(token=token, owner__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    body, etag = calendar_ics(feed, timezone.localdate())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="yearloop.ics"'
    response["ETag"] = etag
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, private=True, max_age=FEED_MAX_AGE)
    return response


def settings_context(request: AuthedRequest, feed: CalendarFeed, form=None) -> dict:
    url = absolute_url(feed.get_absolute_url())
    return {
        "feed": feed,
        "feed_url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[1],
        "form": form or CalendarFeedForm(instance=feed),
    }


@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_settings(request: AuthedRequest) -> HttpResponse:
    feed = CalendarFeed.objects.for_owner(request.user)
    # An unticked box sends nothing: an empty POST is still a submitted form.
    data = request.POST if request.method == "POST" else None
    form = CalendarFeedForm(data, instance=feed)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your calendar feed is saved."))
        return redirect("planner:calendar_settings")
    context = settings_context(request, feed, form)
    return render(request, "planner/calendar_settings.html", context, status=form_status(form))


@login_required_in_place
@require_POST
def calendar_reset(request: AuthedRequest) -> HttpResponse:
    feed = CalendarFeed.objects.for_owner(request.user)
    feed.reset()
    message = _("Your calendar has a new address; the old one no longer works.")
    if request.htmx:
        context = {**settings_context(request, feed), "reset_message": message}
        return render(request, "planner/calendar_settings.html#address", context)
    messages.success(request, message)
    return redirect("planner:calendar_settings")
