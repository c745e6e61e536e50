from __future__ import annotations

import datetime
from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from planner.markdown import plain_excerpt as plain_words
from planner.markdown import render_markdown

from .charts import sparkline_svg

register = template.Library()


@register.filter
def markdown(text: str, top: int = 3) -> SafeString:
    return render_markdown(text, top)


@register.filter
def text_version(text: str) -> str:
    """The version an editor of `text` sends back, for the check that nothing changed since."""
    from planner.forms import text_version as version

    return version(text)


@register.filter
def plain_excerpt(text: str, chars: int = 160) -> str:
    """Markdown as plain words, for attributes and the <head>: a plain string, so it is escaped."""
    return plain_words(text, chars)


@register.filter(expects_localtime=True)
def datetime_attr(value: datetime.datetime) -> str:
    """A moment for `<time datetime>`, to the second: HTML allows no microseconds."""
    return value.isoformat(timespec="seconds")


@register.simple_tag
def lang_attr(language: str | None) -> SafeString:
    """` lang="ko"` on what a person wrote, where its language is not the page's."""
    if not language or language == get_language():
        return mark_safe("")
    return format_html(' lang="{}"', language)


@register.filter
def quantity(value: Decimal | None) -> str:
    """A stored amount as a person writes it: 78, 0.5, 12.25 — no trailing zeros."""
    if value is None:
        return "0"
    places = max(0, -value.normalize().as_tuple().exponent)
    return floatformat(value, places)


@register.simple_tag
def day_to_log(year: int) -> str:
    """The day a progress step is logged on unless told otherwise: today, within the year."""
    today = timezone.localdate()
    day = min(max(today, datetime.date(year, 1, 1)), datetime.date(year, 12, 31))
    return day.isoformat()


@register.simple_tag
def sparkline(goal) -> SafeString:
    """A small SVG line of a measurable goal's logged progress, drawn on the server."""
    updates = list(goal.updates.all())
    if len(updates) < 2:
        return mark_safe("")
    values, total = [], Decimal(0)
    for update in updates:
        total = total + update.value if goal.progress_kind == "count" else update.value
        values.append(float(total))
    label = _("%(count)s updates, from %(first)s to %(last)s") % {
        "count": len(values),
        "first": quantity(Decimal(str(values[0]))),
        "last": quantity(Decimal(str(values[-1]))),
    }
    low, high = min(values), max(values)
    return sparkline_svg(values, 80, label, high=high if high > low else low + 1, low=low)


@register.filter
def basename(name: str) -> str:
    return str(name).rsplit("/", 1)[-1]


@register.filter
def in_minutes(duration) -> int:
    return int(duration.total_seconds() // 60) if duration else 0
