"""Charts drawn on the server as SVG: no chart library, no inline styles (the CSP forbids them).

Colours come from CSS classes in yearloop.css; sizes are SVG presentation attributes.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planner.areas import AreaSeries
from planner.stats import PostViews

register = template.Library()

SERIES_CLASSES = 6  # chart-series-1 … chart-series-6, then they repeat


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, … that is at least `value`."""
    if value <= 1:
        return 1
    power = 10 ** int(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def polyline(
    values: Sequence[float], left: float, top: float, width: float, height: float, high, low=0
):
    """The points of a line of `values` in the box, `low` at its bottom and `high` at its top."""
    step = width / max(1, len(values) - 1)
    span = high - low
    return " ".join(
        f"{left + i * step:.1f},{top + height - (value - low) / span * height:.1f}"
        for i, value in enumerate(values)
    )


def sparkline_svg(
    values: Sequence[float], width: int, label: str, high, low=0, extra_class: str = ""
) -> SafeString:
    """A line the size of a word, between `low` and `high`: the one way sparklines are drawn."""
    height = 20
    return format_html(
        '<svg class="sparkline{}" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="{}"><polyline points="{}" fill="none" stroke="currentColor" '
        'stroke-width="1.5"/></svg>',
        f" {extra_class}" if extra_class else "",
        width,
        height,
        width,
        height,
        label,
        polyline(values, 0, 2, width, height - 4, high, low),
    )


@register.simple_tag
def views_sparkline(daily: Sequence[int]) -> SafeString:
    """A post's views over the last days as a line the size of a word."""
    label = ngettext(
        "%(count)s view in the last %(days)s days",
        "%(count)s views in the last %(days)s days",
        sum(daily),
    ) % {"count": sum(daily), "days": len(daily)}
    return sparkline_svg(daily, 90, label, max([1, *daily]), extra_class="views-sparkline")


@register.inclusion_tag("planner/includes/views_chart.html")
def views_chart(posts: Sequence[PostViews], days: Sequence[datetime.date]) -> dict:
    """One line per post over `days`, with axes, a legend and the figures as a table."""
    width, height, left, right, top, bottom = 640, 220, 40, 12, 12, 28
    plot_width, plot_height = width - left - right, height - top - bottom
    high = nice_ceiling(max((max(item.daily) for item in posts), default=1))
    ticks = sorted({0, high // 2, high}) if high > 1 else [0, 1]
    step = plot_width / max(1, len(days) - 1)
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "bottom": top + plot_height,
        "label_y": height - 8,
        "lines": [
            {
                "item": item,
                "css": f"chart-series-{i % SERIES_CLASSES + 1}",
                "points": polyline(item.daily, left, top, plot_width, plot_height, high),
            }
            for i, item in enumerate(posts)
        ],
        "y_ticks": [
            {"value": value, "y": f"{top + plot_height - value / high * plot_height:.1f}"}
            for value in ticks
        ],
        "x_ticks": [
            {"day": days[i], "x": f"{left + i * step:.1f}", "anchor": anchor}
            for i, anchor in ((0, "start"), (len(days) // 2, "middle"), (len(days) - 1, "end"))
        ],
        "rows": [
            (day, [item.daily[i] for item in posts])
            for i, day in enumerate(days)
            if any(item.daily[i] for item in posts)
        ],
        "days": days,
    }


def set_and_reached_bar(
    i: int,
    set_count: int,
    reached: int,
    high: int,
    *,
    bar: int,
    gap: int,
    top: int,
    height: int,
    label_gap: int,
) -> dict:
    """The geometry of one bar of goals set with the reached ones drawn inside it."""
    x = gap + i * (bar + gap)
    set_height = set_count / high * height
    reached_height = reached / high * height
    return {
        "x": x,
        "middle": x + bar / 2,
        "set_y": f"{top + height - set_height:.1f}",
        "set_height": f"{set_height:.1f}",
        "reached_y": f"{top + height - reached_height:.1f}",
        "reached_height": f"{reached_height:.1f}",
        "label_y": f"{top + height - set_height - label_gap:.1f}",
    }


@register.inclusion_tag("planner/includes/goal_chart.html")
def goal_chart(posts) -> dict:
    """Goals reached and set per year, oldest first, as bars; `posts` carry the counts."""
    posts = sorted(posts, key=lambda post: post.year)
    geometry = {"bar": 28, "gap": 14, "top": 16, "height": 90, "label_gap": 4}
    bottom = 20
    high = max([post.goal_total for post in posts] + [1])
    bars = [
        {
            "post": post,
            **set_and_reached_bar(i, post.goal_total, post.goal_reached, high, **geometry),
        }
        for i, post in enumerate(posts)
    ]
    baseline = geometry["top"] + geometry["height"]
    return {
        "bars": bars,
        "bar_width": geometry["bar"],
        "width": geometry["gap"] + len(posts) * (geometry["bar"] + geometry["gap"]),
        "height": baseline + bottom,
        "baseline": baseline,
        "year_y": baseline + 14,
        "caption": _("Goals reached per year"),
    }


@register.inclusion_tag("planner/includes/area_chart.html")
def area_chart(areas: Sequence[AreaSeries]) -> dict:
    """Per life area, goals reached and set in each year of the series: one small row of bars
    per area, all on one scale, so that one area's years and the areas compare at a glance."""
    geometry = {"bar": 18, "gap": 8, "top": 14, "height": 40, "label_gap": 3}
    bottom = 16
    high = max([cell.set for area in areas for cell in area.years] + [1])
    rows = [
        {
            "area": area,
            "bars": [
                {"cell": cell, **set_and_reached_bar(i, cell.set, cell.reached, high, **geometry)}
                for i, cell in enumerate(area.years)
            ],
        }
        for area in areas
    ]
    years = [cell.year for cell in areas[0].years] if areas else []
    baseline = geometry["top"] + geometry["height"]
    return {
        "rows": rows,
        "years": years,
        "bar_width": geometry["bar"],
        "width": geometry["gap"] + len(years) * (geometry["bar"] + geometry["gap"]),
        "height": baseline + bottom,
        "baseline": baseline,
        "year_y": baseline + 12,
    }
