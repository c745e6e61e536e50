from __future__ import annotations

from django import template

from planner.models import Period, Year
from planner.texts import PostText

register = template.Library()


@register.filter
def post_text(obj: Year | Period, field: str) -> PostText:
    """`post|post_text:"intro"`: one of a post's texts, for planner/includes/text_display.html."""
    return PostText(obj, field)
