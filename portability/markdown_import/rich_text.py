"""A post pasted as rich text: the clipboard's HTML, as the Markdown the parser reads.

Copying a selection of a published page gives its HTML ("text/html") beside the plain
text. The import page keeps it when it is the whole of what was pasted into an empty box
(static/js/rich_paste.js) and sends it with the form; here it is cleaned by nh3 (only the
tags a post's structure needs; scripts and styles go with their content) and converted by
markdownify: headings, lists, task checkboxes, links, images with their captions. The
page's chrome in the selection (buttons, counters, the byline) is left out as for copied
plain text (page_text.chrome_lines).
"""

from __future__ import annotations

import itertools
import re

import nh3
from markdownify import MarkdownConverter

from . import page_text

MAX_CHARS = 1_000_000  # of HTML: a long post with its page's markup, far below the limit
_TAGS = {
    *(f"h{level}" for level in range(1, 7)),
    *("p", "br", "hr", "div", "span", "section", "article", "blockquote", "pre", "code"),
    *("ul", "ol", "li", "input", "a", "img", "figure", "figcaption"),
    *("strong", "b", "em", "i", "del", "s"),
}
# Gone with what is in them: the page's controls, code and styles.
_DROPPED = {"script", "style", "button", "textarea", "select", "nav", "noscript", "template"}
_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}, "input": {"type", "checked"}}
_YEAR_HEADING = re.compile(r"^#{2,6} .*(?<!\d)(?:19|20)\d\d(?!\d)")
_LINK_ALONE = re.compile(r"\[[^\]]+\]\([^)]*\)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"^[#>\-*+\s]+|[*_`~\\]")


# Inline parents: a span inside one of them is part of a sentence.
_TEXT_PARENTS = {"p", "li", "a", "strong", "b", "em", "i", "figcaption", "blockquote", "pre"}
_TEXT_PARENTS |= {f"h{level}" for level in range(1, 7)}


class _Converter(MarkdownConverter):
    def convert_span(self, el, text, parent_tags) -> str:
        # Pages lay out their bylines and counters as spans side by side in a box: each on
        # a line of its own, so that each is known for what it is.
        return text if parent_tags & _TEXT_PARENTS else f"\n{text}\n"

    def convert_input(self, el, text, parent_tags) -> str:
        if el.get("type") == "checkbox":
            return "[x] " if el.has_attr("checked") else "[ ] "
        return ""

    def convert_figure(self, el, text, parent_tags) -> str:
        image, caption = el.find("img"), el.find("figcaption")
        if image is None:
            return text
        words = caption.get_text(" ", strip=True) if caption else image.get("alt", "")
        return f"\n\n{_image(words, image.get('src', ''))}\n\n"

    def convert_img(self, el, text, parent_tags) -> str:
        return _image(el.get("alt", ""), el.get("src", ""))


def _image(caption: str, src: str) -> str:
    caption = " ".join(caption.split())
    caption = caption.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"![{caption}]({src.replace(' ', '%20').replace(')', '%29')})"


def html_as_markdown(html: str) -> str:
    """HTML from anywhere as Markdown: only a post's structure, nothing that could run."""
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        clean_content_tags=_DROPPED,
        link_rel=None,
    )
    markdown = _Converter(heading_style="ATX", bullets="-", escape_misc=False).convert(clean)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip()


def as_markdown(html: str) -> str:
    """The pasted HTML as Markdown, without the page's chrome; "" when nothing is left."""
    markdown = html_as_markdown(html)
    lines = [line.rstrip() for line in markdown.replace("\r\n", "\n").split("\n")]
    words = [_words(line) for line in lines]
    chrome = page_text.chrome_lines(words)
    # The author's name, a link alone on its line just before the byline's "·" or date.
    filled = [number for number, line in enumerate(words) if line]
    for number, following in itertools.pairwise(filled):
        if _LINK_ALONE.fullmatch(lines[number].strip()) and following in chrome:
            chrome.add(number)
    # Before the title: the page's breadcrumbs and category. After "other posts in this
    # category" and the like: the page's lists of other posts.
    title = next((n for n, line in enumerate(lines[:12]) if line.startswith("# ")), None)
    if title is None:
        # Some platforms give the post's title a smaller heading ("### 2021 회고").
        title = next((n for n, line in enumerate(lines[:12]) if _YEAR_HEADING.match(line)), 0)
        lines[title] = re.sub(r"^#{2,6} ", "# ", lines[title])
    # The byline and the date stay: the parser reads the date, then leaves them out.
    chrome = {n for n in chrome if n < title or not page_text.is_dated(words[n])}
    end = next((n for n, line in enumerate(words) if page_text.OTHER_POSTS.match(line)), len(lines))
    chrome |= {*range(title), *range(end, len(lines))}
    for number in chrome:
        lines[number] = ""
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _words(line: str) -> str:
    """A line's words alone: no heading or list marks, links as their text."""
    return _MARKS.sub("", _LINK.sub(r"\1", line)).strip()
