"""Text copied from a published blog page, read as the loose Markdown the parser knows.

Selecting a post on a blog and copying it gives plain text: no "#" headings, no bold, the
page's chrome around the post ("목록 보기", "3/5", "0개의 댓글", "profile", an author ·
date line). `as_markdown` turns such text into Markdown line for line — the same number
of lines, so the preview's choices, kept by line number, point at the same places:

- the page's chrome becomes empty lines;
- a line alone between empty lines that names a section ("1월 ~ 4월", "목표", "전반적인
  정리", "2026 goals") becomes a "##" heading, and the first line that names the year a
  "#" title;
- inside a period, a short line alone before a paragraph becomes an entry's "###" title;
- "•" list items become "-" items (goal lines such as "-[v] title : note" are read as
  they are).

Text that already has a heading is Markdown, and is left as it is. Page text that came
with no empty lines at all between its blocks is first `spaced`, and shown so in the
import's box, since a line alone is what the reading above looks for.
"""

from __future__ import annotations

import datetime
import re

# Lines a blog page shows around a post, whole: series navigation and counters, comment
# and like counts, follow and share buttons.
_CHROME = re.compile(
    r"^(?:목록\s*보기|이전\s*포스트|다음\s*포스트|팔로우|공유하기|좋아요|댓글\s*쓰기|구독하기"
    r"|이웃\s*추가|공감\s*\d*|신고하기|URL\s*복사"
    r"|profile|follow|following|share|like|subscribe|reply|previous\s+post|next\s+post"
    r"|\d+\s*min(?:ute)?s?\s+read|\d+\s*분(?:\s*읽기)?|written\s+by\s+.{1,40}|more\s+from\s+.{1,40}"
    r"|\d+\s*followers?|팔로워\s*\d+|\d+\s*팔로워|[·•|]|by\s+\S+(?:\s+\S+){0,2}"
    r"|\d+\s*/\s*\d+"
    r"|\d+\s*개의\s*댓글|댓글\s*\d+\s*개?|\d+\s*comments?|\d+\s*likes?|[♥♡❤]\s*\d*|\d+"
    # Around the post on the site's own pages (its menu, before the title, is left out
    # with `_drop_menu_before`).
    r"|저작권자\s*표시|skip\s+to\s+(?:main\s+)?content"
    r"|share\s+this|leave\s+a\s+(?:comment|reply)|posted\s+(?:on|in|by)\s+.{1,80})[:.]?$",
    re.IGNORECASE,
)
# "dev_kim · 2025년 1월 2일", "Jane · Jan 2, 2025", "by Jane · 2 January 2025"
_BYLINE = re.compile(
    r"^\S.{0,40}\s?·\s?.*(?:\d{4}\s*년|\b\d{4}\b).*$",
)
# A line that is only the post's date: "2024. 1. 1. 9:12", "2024년 1월 1일", "Jan 3, 2025".
_DATE_LINE = re.compile(
    r"^(?:\d{4}\s*[.\-/년]\s*\d{1,2}\s*[.\-/월]\s*\d{1,2}\s*[.일]?"
    r"|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4})\s*(?:\d{1,2}:\d{2})?$"
)
# The heading of a list of other posts at the end of a page.
OTHER_POSTS = re.compile(
    r"^(?:.{0,40}카테고리의\s*다른\s*글|다른\s*글|관련\s*글|이전\s*글\s*목록"
    r"|related\s+(?:posts|stories|articles)|more\s+(?:posts|stories)\b.*|recommended.*"
    r"|more\s+from\s+.{1,40}|you\s+might\s+also\s+like|read\s+next)$",
    re.IGNORECASE,
)
_OTHER_POST_MAX = 80  # a line of such a list: a title, a date
_HEADING_MAX = 40  # a heading or an entry title is a short line
_DENSE_MIN_LINES = 8
_SERIES_COUNTER = re.compile(r"^\d+\s*/\s*\d+$")
_SENTENCE_END = re.compile(r"[.!?。…]$|다\.?$|요\.?$")
_BULLET = re.compile(r"^(\s*)[•·▪◦‣]\s*")
_MARKDOWN_HEADING = re.compile(r"^ {0,3}(?:#{1,6}[ \t]|(\*\*|__)[^*_].*\1[ \t]*:?[ \t]*$)")


def is_page_text(text: str) -> bool:
    """Whether `text` reads as copied page text: no Markdown heading at all."""
    return not any(_MARKDOWN_HEADING.match(line) for line in text.splitlines())


def spaced(text: str) -> str:
    """Page text copied with no empty line between its blocks (as a browser copies a page
    built of `<div>`s), with one between every two lines; other text as it is."""
    lines = text.split("\n")
    filled = [line for line in lines if line.strip()]
    empty = len(lines) - len(filled)
    if len(filled) < _DENSE_MIN_LINES or empty * 4 > len(filled) or not is_page_text(text):
        return text
    return "\n\n".join(line.rstrip() for line in filled) + "\n"


def as_markdown(text: str, year: int) -> str:
    """`text` with its structure written as Markdown, line for line (see the module)."""
    from .parser import PERIOD_ROLES, Role, classify  # the parser imports this module

    if not is_page_text(text):
        return text
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = [_BULLET.sub(r"\1- ", line) for line in lines]
    for number in chrome_lines([line.strip() for line in lines]):
        out[number] = ""
    titled = False
    in_period = False
    for number, line in enumerate(out):
        words = line.strip()
        if not words or not _alone(out, number) or len(words) > _HEADING_MAX:
            continue
        if _SENTENCE_END.search(words) or ". " in words:  # a sentence, not a heading
            continue
        role = classify(words, year)[0]
        if not titled and role not in (*PERIOD_ROLES, Role.GOALS) and str(year) in words:
            out[number], titled = f"# {words}", True
            _drop_menu_before(out, number)
            _drop_category_after(out, lines, number)
        elif role != Role.LEFTOVER:
            out[number] = f"## {words}"
            in_period = role in PERIOD_ROLES
            titled = True  # a post's title comes before its sections
        elif in_period and not words.startswith("-"):
            out[number] = f"### {words}"
    return "\n".join(out)


def _drop_category_after(out: list[str], lines: list[str], title: int) -> None:
    """A short line between the title and the byline or date (chrome, already left out)
    is the post's category ("일상", "Personal")."""
    between = []
    for number in range(title + 1, min(title + 8, len(lines))):
        if not lines[number].strip():
            continue
        if not out[number].strip():  # the byline or the date
            for short in between:
                out[short] = ""
            return
        words = out[number].strip()
        if len(words) > _HEADING_MAX or _SENTENCE_END.search(words) or len(between) == 2:
            return
        between.append(number)


def _drop_menu_before(lines: list[str], title: int) -> None:
    """Short lines that are not sentences, before the post's title, are the site's menu
    or the post's category; what is longer stays, for the intro."""
    for number in range(title):
        words = lines[number].strip()
        if len(words) <= _HEADING_MAX and not _SENTENCE_END.search(words):
            lines[number] = ""


def chrome_lines(lines: list[str]) -> set[int]:
    """Which of these lines (their words alone, stripped) are the page's chrome."""
    found = {n for n, words in enumerate(lines) if _is_chrome(words)} | _other_posts(lines)
    after_profile = False
    for number, words in enumerate(lines):
        if _SERIES_COUNTER.match(words):
            # The series' name, the short line just before its "3/5" counter (and its
            # "목록 보기"), is chrome too.
            before = [n for n in range(number - 1, max(number - 6, -1), -1) if lines[n]]
            name = next((n for n in before if n not in found), None)
            if name is not None and len(lines[name]) <= _HEADING_MAX:
                found.add(name)
        # The author's card after "profile": their name and bio, short lines up to the next
        # longer one.
        if words.lower() == "profile":
            after_profile = True
        elif after_profile and len(words) > _HEADING_MAX:
            after_profile = False
        if after_profile and words:
            found.add(number)
    return found


def _other_posts(lines: list[str]) -> set[int]:
    """The list of other posts that ends a page: from its heading ("More from Jane",
    "'일상' 카테고리의 다른 글") to the end, when all that follows is short lines — titles
    and dates, not a post's paragraphs."""
    for number, words in enumerate(lines):
        if OTHER_POSTS.match(words) and all(
            len(rest) <= _OTHER_POST_MAX for rest in lines[number + 1 :]
        ):
            return set(range(number, len(lines)))
    return set()


def _is_chrome(words: str) -> bool:
    return any(pattern.match(words) for pattern in (_CHROME, _BYLINE, _DATE_LINE))


def _alone(lines: list[str], number: int) -> bool:
    """A line with an empty line (or the text's edge) before it and something after it."""
    before = number == 0 or not lines[number - 1].strip()
    after = next((line for line in lines[number + 1 :] if line.strip()), None)
    followed = number + 1 < len(lines) and not lines[number + 1].strip()
    return before and followed and after is not None


# A full date: "2023년 12월 31일", "2024. 1. 1.", "2024-01-02", "Jan 3, 2025", "4 January 2023".
_FULL_DATE = re.compile(
    r"(?<!\d)(?P<y1>\d{4})\s*[-./년]\s*(?P<m1>\d{1,2})\s*[-./월]\s*(?P<d1>\d{1,2})(?!\d)"
    r"|\b(?P<m2>[A-Z][a-z]{2,8})\.?\s+(?P<d2>\d{1,2}),?\s+(?P<y2>\d{4})\b"
    r"|\b(?P<d3>\d{1,2})\s+(?P<m3>[A-Z][a-z]{2,8})\.?,?\s+(?P<y3>\d{4})\b"
)
_MONTH_NAMES = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
]  # fmt: skip
_DATE_SEARCH_LINES = 15


def published_on(text: str, year: int) -> datetime.date | None:
    """The day copied page text says the post was published: the date in its byline or
    date line near the top, if it falls in the year reviewed or the one after."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for words in lines[:_DATE_SEARCH_LINES]:
        if _is_chrome(words) and (day := full_date(words)):
            return day if year <= day.year <= year + 1 else None
    return None


def full_date(words: str) -> datetime.date | None:
    match = _FULL_DATE.search(words)
    if match is None:
        return None
    if match["y1"]:
        numbers = (match["y1"], match["m1"], match["d1"])
    else:
        name, day, number = (
            (match["m2"], match["d2"], match["y2"])
            if match["m2"]
            else (match["m3"], match["d3"], match["y3"])
        )
        month = name[:3].lower()
        if month not in _MONTH_NAMES:
            return None
        numbers = (number, _MONTH_NAMES.index(month) + 1, day)
    try:
        day = datetime.date(*(int(n) for n in numbers))
    except ValueError:
        return None
    return day if day <= datetime.date.today() else None


def page_year(text: str) -> int | None:
    """The year of copied page text: the first year on a line of the post, not its chrome."""
    for line in text.splitlines():
        words = line.strip()
        if not words or _CHROME.match(words) or _BYLINE.match(words):
            continue
        if found := re.search(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", words):
            return int(found.group(1))
    return None
