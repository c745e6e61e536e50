from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from planner.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str, top: int = 3) -> SafeString:
    return render_markdown(text, top)
