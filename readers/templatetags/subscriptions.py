from __future__ import annotations

from django import template

from readers.subscriptions import confirmed_count

register = template.Library()


@register.simple_tag
def email_subscriber_count(writer) -> int:
    """How many addresses confirmed they want the writer's new posts: for the writer's eyes."""
    return confirmed_count(writer)
