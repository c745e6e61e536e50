"""User text to safe HTML: Markdown without raw HTML, then sanitised by nh3."""

from __future__ import annotations

import hashlib

import nh3
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])

_cleaner = nh3.Cleaner(
    tags={
        "p",
        "br",
        "strong",
        "em",
        "s",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    },
    attributes={"a": {"href", "title"}, "ol": {"start"}},
    url_schemes={"http", "https", "mailto"},
    link_rel="nofollow noopener noreferrer ugc",
    strip_comments=True,
)


def _demote_headings(html: str, top: int) -> str:
    # The page owns <h1> and its sections; a "# Heading" a person writes sits below them.
    for level in range(6, 0, -1):
        new = min(level + top - 1, 6)
        html = html.replace(f"<h{level}>", f"<h{new}>").replace(f"</h{level}>", f"</h{new}>")
    return html


def render_markdown(text: str, top: int = 3) -> SafeString:
    """Render to safe HTML, with a "# Heading" becoming <h{top}>."""
    if not text:
        return mark_safe("")
    key = f"md:{top}:" + hashlib.sha256(text.encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = _cleaner.clean(_demote_headings(_markdown.render(text), top))
        cache.set(key, html, timeout=60 * 60 * 24)
    return mark_safe(html)
