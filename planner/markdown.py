"""User text to safe HTML: Markdown without raw HTML, then sanitised by nh3."""

from __future__ import annotations

import hashlib
import re
from html import unescape

import nh3
from django.core.cache import cache
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
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


def plain_text(text: str) -> str:
    """A Markdown text as plain words on one line (not escaped: it is text, not HTML)."""
    return " ".join(unescape(strip_tags(render_markdown(text))).split())


def plain_excerpt(text: str, chars: int = 160) -> str:
    """The start of a Markdown text as plain words on one line, for a preview."""
    return Truncator(plain_text(text)).chars(chars)


# A link in a comment runs from http(s):// to the first space or quote; closing
# punctuation at its end belongs to the sentence.
_URL = re.compile(r"""https?://[^\s<>"'`]+""", re.IGNORECASE)
_TRAILING = ".,;:!?*_~"
_PAIRS = {")": "(", "]": "[", "}": "{"}
_comment_cleaner = nh3.Cleaner(
    tags={"p", "br", "a"},
    attributes={"a": {"href"}},
    url_schemes={"http", "https"},
    link_rel="nofollow ugc noopener noreferrer",
    strip_comments=True,
)


def _link_end(url: str) -> str:
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _PAIRS and url.count(last) > url.count(_PAIRS[last])):
            url = url[:-1]
        else:
            return url
    return url


def _linkify(text: str) -> str:
    """Escape the text and turn its http and https addresses into links."""
    parts, position = [], 0
    for match in _URL.finditer(text):
        url = _link_end(match.group(0))
        if "://" not in url or url.endswith("://"):
            continue
        start, end = match.start(), match.start() + len(url)
        parts.append(escape(text[position:start]))
        parts.append(format_html('<a href="{}">{}</a>', url, url))
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def render_plain_text(text: str) -> SafeString:
    """Plain text to safe HTML: escaped, paragraphs and line breaks kept, web links clickable.

    Nothing a person types becomes markup but the links this makes; nh3 checks the result
    again (and gives links rel="nofollow ugc noopener noreferrer").
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [part for part in re.split(r"\n\s*\n", text) if part.strip()]
    html = "".join(
        "<p>" + "<br>".join(_linkify(line) for line in part.split("\n")) + "</p>"
        for part in paragraphs
    )
    return mark_safe(_comment_cleaner.clean(html))
