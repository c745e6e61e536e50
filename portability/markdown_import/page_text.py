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
import itertools
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
    r"|share\s+this|leave\s+a\s+(?:comment|reply)|posted\s+(?:on|in|by)\s+.{1,80}"
    r"|게시글\s*관리|구독하기.{0,40}|로그인|sign\s+in|listen|-{2,}|like\s+loading\.*)[:.]?$",
    re.IGNORECASE,
)
# Where the comments, the sharing buttons and the links to other posts begin, after the
# post: from there to the end is the page's, unless a section of the post follows.
_TAIL = re.compile(
    r"^(?:\d+\s*개의\s*댓글|댓글(?:\s*\d+\s*개?)?|댓글\s*(?:작성|쓰기)|\d+\s*comments?|comments"
    r"|discussion\s+about\s+this\s+post|leave\s+a\s+(?:reply|comment)(?:\s+cancel\s+reply)?"
    r"|share\s+this:?|like\s+this:?|이전\s*포스트|다음\s*포스트|previous\s+post|next\s+post"
    r"|related(?:\s+posts)?)$",
    re.IGNORECASE,
)
_BUTTON_WORDS = {
    *("url", "복사", "이웃추가", "본문", "기타", "기능", "신고하기", "공유하기", "공감", "댓글"),
    *("구독하기", "전체보기", "목록열기", "목록닫기", "좋아요", "팔로우", "*2*", "·"),
    *("share", "like", "follow", "listen", "subscribe", "reply", "tweet", "save"),
}
_NEIGHBOUR_POST = re.compile(r"^(?:이전|다음)\s*(?:포스트|글)|(?:previous|next)\s+post$", re.I)
# "dev_kim · 2025년 1월 2일", "Jane · Jan 2, 2025", "by Jane · 2 January 2025"
# "하나킴 2024. 1. 1. 18:20"
_BYLINE = re.compile(
    r"^(?P<name>\S.{0,40}?)\s?·\s?.*(?:\d{4}\s*년|\b\d{4}\b).*$"
    r"|^(?P<author>\S.{0,30}?)\s+(?:\d{4}\.\s*\d{1,2}\.\s*\d{1,2}\.?|\d{4}\s*년\s*\d{1,2}\s*월\s*\d{1,2}\s*일)"
    r"(?:\s+\d{1,2}:\d{2})?$",
)
# A line that is only the post's date: "2024. 1. 1. 9:12", "2024년 1월 1일", "Jan 3, 2025".
_DATE_LINE = re.compile(
    r"^(?:\d{4}\s*[.\-/년]\s*\d{1,2}\s*[.\-/월]\s*\d{1,2}\s*[.일]?"
    r"|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4})\s*(?:\d{1,2}:\d{2})?$"
)
# The heading of a list of other posts at the end of a page.
OTHER_POSTS = re.compile(
    r"^(?:.{0,40}카테고리의\s*다른\s*글|.{0,40}카테고리\s*글|다른\s*글|관련\s*글|이전\s*글\s*목록"
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
# A list item or a goal line: "- x", "* x", "-[v] x", "[x] x", "✅ x", "O x".
_GOAL_MARK = re.compile(
    r"^(?:[-*+]\s*)?\[[^\]]?\]|^(?:[-*+]\s*)?(?:[✅☑✔☒⬜☐❌🔲⭕⬛🔺△○×✕]|[OX]\s)"
)
_ITEM = re.compile(r"^(?:[-*+•]\s|[-*+]\[)|" + _GOAL_MARK.pattern[1:])
_MARKS = re.compile(r"^\s*(?:#{1,6}\s+|>\s?|[-*+]\s+)|[*_`]")
_LINK_ALONE = re.compile(r"\[[^\]]+\]\([^)]*\)")
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
        if _ITEM.match(words):  # a goal or a list item, whatever words it holds
            continue
        role = classify(words, year)[0]
        if _SENTENCE_END.search(words) or ". " in words:
            # A sentence is not a heading, but a question naming a section is ("Did I
            # reach my goals?"), as are periods written with dots ("Jan. – Apr.").
            asks = words.endswith("?") and role != Role.LEFTOVER
            if not (asks or role in PERIOD_ROLES):
                continue
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
    is the post's category ("일상", "Personal") or its author."""
    chrome = {n for n in range(len(lines)) if lines[n].strip() and not out[n].strip()}
    for number in _between_title_and_byline([line.strip() for line in out], title, chrome):
        out[number] = ""


def _between_title_and_byline(words: list[str], title: int, chrome: set[int]) -> set[int]:
    between = []
    for number in range(title + 1, min(title + 8, len(words))):
        if number in chrome:  # the byline or the date
            return set(between)
        if not words[number]:
            continue
        if len(words[number]) > _HEADING_MAX or _SENTENCE_END.search(words[number]):
            return set()
        if len(between) == 2:
            return set()
        between.append(number)
    return set()


def _drop_menu_before(lines: list[str], title: int) -> None:
    """Short lines that are not sentences, before the post's title, are the site's menu
    or the post's category; what is longer stays, for the intro."""
    for number in range(title):
        words = lines[number].strip()
        if len(words) <= _HEADING_MAX and not _SENTENCE_END.search(words):
            lines[number] = ""


def chrome_lines(lines: list[str]) -> set[int]:
    """Which of these lines (their words alone, stripped) are the page's chrome."""
    found = {n for n, words in enumerate(lines) if _is_chrome(words)}
    for number, words in enumerate(lines):
        if _NEIGHBOUR_POST.match(words):  # "이전 포스트", and that post's title after it
            title = next((n for n in range(number + 1, len(lines)) if lines[n]), None)
            found |= {number} if title is None else {number, title}
    found |= _other_posts(lines) | _author_card(lines)
    found |= _tail(lines, found)
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


def _tail(lines: list[str], chrome: set[int]) -> set[int]:
    """From where the comments or the sharing buttons begin to the end, when no section of
    the post comes after (among the lines that are not chrome already)."""
    # The last line that names a section, found once: the text can be long.
    last = max(
        (n for n, words in enumerate(lines) if n not in chrome and _names_a_section(words)),
        default=-1,
    )
    for number in range(last + 1, len(lines)):
        if _TAIL.match(lines[number]):
            return set(range(number, len(lines)))
    return set()


def _author_card(lines: list[str]) -> set[int]:
    """The author's name, as the byline gives it, on a line of its own further down, and
    the short line after it (their bio)."""
    names = {
        (match["name"] or match["author"]).strip()
        for words in lines[:_DATE_SEARCH_LINES]
        if (match := _BYLINE.match(words))
    }
    found = set()
    for number, words in enumerate(lines):
        if number >= _DATE_SEARCH_LINES and words in names:
            found.add(number)
            following = next((n for n in range(number + 1, len(lines)) if lines[n]), None)
            if following is not None and len(lines[following]) <= _OTHER_POST_MAX:
                found.add(following)
    return found


def _names_a_section(words: str) -> bool:
    """Whether a line reads as a heading of the post: short, not a sentence, naming a
    section of a year's review; or as one of its goals."""
    from .parser import Role, classify

    if _ITEM.match(words):
        return bool(_GOAL_MARK.match(words))
    if not words or len(words) > _HEADING_MAX or _SENTENCE_END.search(words):
        return False
    role, question, _year = classify(words, 0)
    return role != Role.LEFTOVER or question is not None


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


def is_dated(words: str) -> bool:
    """Whether a line is a byline or a date line that says a day."""
    return bool((_BYLINE.match(words) or _DATE_LINE.match(words)) and full_date(words))


def _is_chrome(words: str) -> bool:
    if any(pattern.match(words) for pattern in (_CHROME, _BYLINE, _DATE_LINE)):
        return True
    # A row of buttons copied as one line ("URL 복사 이웃추가 본문 기타 기능 신고하기"), or
    # of tags ("#회고 #2021").
    tokens = words.lower().split()
    return bool(tokens) and (
        all(token in _BUTTON_WORDS for token in tokens)
        or all(token.startswith("#") and len(token) > 1 for token in tokens)
    )


def _alone(lines: list[str], number: int) -> bool:
    """A line with an empty line (or the text's edge) before it and something after it."""
    before = number == 0 or not lines[number - 1].strip()
    followed = number + 1 < len(lines) and not lines[number + 1].strip()
    after = followed and any(lines[n].strip() for n in range(number + 2, len(lines)))
    return before and followed and after


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


def without_chrome(markdown: str) -> str:
    """Markdown from a page (a saved `.md`, a rich paste) with the page's chrome blanked
    where it stands around the post: before its first heading (byline, counters, buttons)
    and after its last section (comments, sharing, other posts). Lines stay where they are."""
    lines = markdown.split("\n")
    words = [_MARKS.sub("", line).strip() for line in lines]
    headings = [n for n, line in enumerate(lines) if _MARKDOWN_HEADING.match(line)]
    if headings and lines[headings[0]].startswith("# "):
        headings = headings[1:]  # the post's title: its byline comes after it
    # "## More from Jane" and what follows are the page's, not the post's last section.
    others = _other_posts(words)
    headings = [n for n in headings if n not in others]
    first = headings[0] if headings else len(lines)
    last = headings[-1] if headings else len(lines)
    chrome = {n for n in range(first) if _is_chrome(words[n])}
    if (title := next((n for n in range(first) if lines[n].startswith("# ")), None)) is not None:
        chrome |= _between_title_and_byline(words, title, chrome)
    filled = [n for n in range(first) if words[n]]
    for number, following in itertools.pairwise(filled):
        # The author's name, a link alone on its line, just before the byline.
        if _LINK_ALONE.fullmatch(words[number]) and following in chrome:
            chrome.add(number)
    chrome |= {n for n in range(last + 1, len(lines)) if _is_chrome(words[n])}
    chrome |= {n for n in _author_card(words) if n > last}
    chrome |= {n for n in _tail(words, chrome) | others if n > first}
    return "\n".join("" if n in chrome else line for n, line in enumerate(lines))


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
