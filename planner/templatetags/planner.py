from __future__ import annotations

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString

from planner.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str, top: int = 3) -> SafeString:
    return render_markdown(text, top)


@register.filter
def quantity(value: Decimal | None) -> str:
    """A stored amount as a person writes it: 78, 0.5, 12.25 — no trailing zeros."""
    if value is None:
        return "0"
    places = max(0, -value.normalize().as_tuple().exponent)
    return floatformat(value, places)
