"""A person's calendar feed (iCalendar, RFC 5545): goal deadlines, period ends, the review.

What it holds and why is in docs/decisions/calendar-feed.md. Every text is in the owner's
language (the calendar service that fetches it has none of its own to offer) and is escaped
by the `icalendar` library, which also folds the long lines.
"""

from __future__ import annotations

import datetime
import hashlib
import re

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from yearloop.site import absolute_url, site_domain

from .models import PERIOD_LABELS, CalendarFeed, Goal, ProgressKind, Visibility, period_bounds
from .templatetags.planner import quantity

REFRESH = datetime.timedelta(hours=6)  # how often a calendar service is asked to fetch it
REMINDER_AT = datetime.timedelta(hours=9)  # the alarm: nine in the morning of the day
# Stands in for DTSTAMP while the body is hashed for its ETag: the body then changes only
# when what it says changes, not with the second it is served at.
STAMP_STANDIN = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
STAMP_LINE = b"\r\nDTSTAMP:19700101T000000Z\r\n"
# RFC 5545 text holds no control characters but the tab (a newline is escaped as "\n"); a
# pasted or imported title may hold them, and some calendar programs refuse the whole file.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def ics_text(text: str) -> str:
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def covered_years(today: datetime.date) -> range:
    """Last year (just behind), this year and the next one (being planned)."""
    return range(today.year - 1, today.year + 2)


def deadline_goals(feed: CalendarFeed, today: datetime.date) -> QuerySet[Goal]:
    """The owner's goals with a deadline, of last year and later, in one query."""
    goals = Goal.objects.filter(
        year__owner_id=feed.owner_id, year__year__gte=today.year - 1, deadline__isnull=False
    )
    if not feed.include_private:
        goals = goals.filter(is_private=False).exclude(year__visibility=Visibility.PRIVATE)
    return goals.select_related("year").order_by("deadline", "year__year", "order", "pk")


def calendar_ics(feed: CalendarFeed, today: datetime.date) -> tuple[bytes, str]:
    """The feed's body and its ETag."""
    with translation.override(feed.owner.mail_language):
        calendar = build_calendar(feed, today)
    body = calendar.to_ical()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return body.replace(STAMP_LINE, b"\r\nDTSTAMP:" + stamp.encode() + b"\r\n"), etag


def build_calendar(feed: CalendarFeed, today: datetime.date) -> Calendar:
    owner = feed.owner
    calendar = Calendar()
    calendar.add("prodid", "-//Yearloop//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = ics_text(_("Yearloop: %(name)s") % {"name": owner.name})
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    description = _("Goal deadlines, period ends and the year's review, from Yearloop.")
    calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")  # the same, as Outlook reads it
    for goal in deadline_goals(feed, today):
        goal.year.owner = owner  # the address of its post, without loading the owner again
        calendar.add_component(goal_event(goal))
    for year in covered_years(today):
        for index in PERIOD_LABELS:
            calendar.add_component(period_end_event(feed, year, index))
        calendar.add_component(review_event(feed, year))
    return calendar


def all_day_event(uid: str, day: datetime.date, summary: str, description: str, url: str):
    event = Event()
    event.add("uid", f"{uid}@{site_domain().split(':')[0]}")  # a host name, no port
    event.add("dtstamp", STAMP_STANDIN)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", ics_text(summary))
    event.add("description", ics_text(description))
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a deadline does not make the person busy
    return event


def goal_event(goal: Goal) -> Event:
    summary = _("✓ %(goal)s") % {"goal": goal.title} if goal.done else goal.title
    url = absolute_url(goal.get_absolute_url())
    lines = [progress_text(goal), _("Set for %(year)s.") % {"year": goal.year.year}]
    if goal.note:
        lines.append(goal.note)
    lines.append(url)
    event = all_day_event(f"goal-{goal.key}", goal.deadline, summary, "\n".join(lines), url)
    event.add("categories", [_("Goal deadline")])
    return event


def progress_text(goal: Goal) -> str:
    """How far the goal has come, as the post shows it: “Reached.”, “12.5 of 21.1 km (59%).”"""
    if goal.done:
        state = _("Reached.")
    elif goal.deadline and goal.deadline < timezone.localdate():
        state = _("Not reached by its deadline.")
    else:
        state = _("Not reached yet.")
    if goal.target is None:
        return state
    # As the goal's row on the post: "80 → 75 / 70 kg" for a reading on its way down.
    progress = "—" if goal.progress is None else quantity(goal.progress)
    if goal.progress_kind == ProgressKind.LATEST and goal.start_value is not None:
        progress = f"{quantity(goal.start_value)} → {progress}"
    figures = _("%(progress)s / %(target)s %(unit)s (%(percent)s%% of the way).") % {
        "progress": progress,
        "target": quantity(goal.target),
        "unit": goal.unit,
        "percent": goal.percent,
    }
    return f"{' '.join(figures.split())} {state}"


def with_reminder(event: Event, text: str) -> Event:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", REMINDER_AT)  # relative to the start of the day
    event.add_component(alarm)
    return event


def period_end_event(feed: CalendarFeed, year: int, index: int) -> Event:
    summary = _("Write the retrospective of %(period)s %(year)s") % {
        "period": PERIOD_LABELS[index],
        "year": year,
    }
    description = _(
        "%(period)s %(year)s ends today. A few lines on how it went, while you remember."
    ) % {"period": PERIOD_LABELS[index], "year": year}
    url = absolute_url(reverse("planner:home"))
    uid = f"period-end-{year}-{index}-user-{feed.owner_id}"
    day = period_bounds(year, index)[1]
    return with_reminder(all_day_event(uid, day, summary, f"{description}\n{url}", url), summary)


def review_event(feed: CalendarFeed, year: int) -> Event:
    summary = _("Write the review of %(year)s and plan %(next)s") % {
        "year": year,
        "next": year + 1,
    }
    description = _(
        "December is here: go through %(year)s's goals one by one, then set the next year's."
    ) % {"year": year}
    url = absolute_url(reverse("planner:home"))
    uid = f"review-{year}-user-{feed.owner_id}"
    day = datetime.date(year, 12, 1)
    return with_reminder(all_day_event(uid, day, summary, f"{description}\n{url}", url), summary)
