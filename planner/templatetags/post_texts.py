from __future__ import annotations

from django import template

from planner.models import Answer, Period, Year
from planner.texts import PostText

register = template.Library()


@register.filter
def post_text(obj: Year | Period, field: str) -> PostText:
    """`post|post_text:"intro"`: one of a post's texts, for planner/includes/text_display.html."""
    return PostText(obj, field)


@register.filter
def answers_at(post: Year, place: str) -> list[Answer]:
    """`post|answers_at:"plan"`: the answers shown in the post at one place, in their order
    (loaded by planner/post_page.py)."""
    return [answer for answer in post.shown_answers if answer.place == place]
