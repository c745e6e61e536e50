"""Read a year-review post written in Markdown into goals, periods and entries.

Pure functions, no database: `parse(text, year)` gives a `ParsedPost` that the import
preview shows and the import form saves. Real posts are written loosely, so headings
are recognised by their words ("1~4월", "Jan–Apr", "2026 goals", "정리"), bold lines
count as headings, and every block of text that fits nowhere is kept as a leftover
that the owner adds to the intro or drops.

The post is read in two steps. `split` cuts it into sections at its headings and
guesses what each section is; `build` then reads each section as the role it was
given (the guess, or the owner's choice in the preview) and applies the owner's
choices for the leftovers.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from urllib.parse import unquote, urlsplit

from . import page_text

TITLE_MAX = 200
CAPTION_MAX = 300


class Role(StrEnum):
    GOALS = "goals"
    PERIOD_1 = "period1"
    PERIOD_2 = "period2"
    PERIOD_3 = "period3"
    SUMMARY = "summary"
    NEXT_GOALS = "next_goals"
    INTRO = "intro"
    DROP = "drop"
    # Not recognised: the section is a leftover (and its text is placed by that choice).
    LEFTOVER = "leftover"


PERIOD_ROLES = (Role.PERIOD_1, Role.PERIOD_2, Role.PERIOD_3)
_NOT_TITLES = (Role.GOALS, *PERIOD_ROLES)


class LeftoverChoice(StrEnum):
    """Where text that fits no section goes: each place a post has for free text."""

    INTRO = "intro"
    SUMMARY = "summary"
    PERIOD_1 = "period1"  # the period's retrospective
    PERIOD_2 = "period2"
    PERIOD_3 = "period3"
    DROP = "drop"


PERIOD_CHOICES = (LeftoverChoice.PERIOD_1, LeftoverChoice.PERIOD_2, LeftoverChoice.PERIOD_3)


class QuestionKind(StrEnum):
    # A heading names part of the year that is not one of the three periods (Q1, 1~3월, H1).
    NOT_A_PERIOD = "not_a_period"
    # A goals heading names a year that is neither the post's year nor the next.
    OTHER_YEAR = "other_year"
    # The title names a year other than the one chosen.
    TITLE_YEAR = "title_year"


@dataclass
class ParsedImage:
    caption: str
    url: str

    @property
    def on_the_web(self) -> bool:
        parts = urlsplit(self.url)
        return parts.scheme in ("http", "https") and bool(parts.netloc)


@dataclass
class ParsedGoal:
    title: str
    done: bool = False
    note: str = ""
    private: bool = False
    # From the export's line of figures: "*5 / 15 books · by 2025-06-30 · 2nd try*".
    start: Decimal | None = None  # "78 → 77.5 / 76 kg": a reading, from where it started
    progress: Decimal | None = None
    target: Decimal | None = None
    unit: str = ""
    deadline: datetime.date | None = None
    attempt: int = 1


@dataclass
class ParsedEntry:
    title: str
    body: str = ""
    images: list[ParsedImage] = field(default_factory=list)
    private: bool = False
    line: int = 0  # of its title, when that is a heading the owner may read as text instead


@dataclass
class ParsedPeriod:
    retrospective: str = ""
    entries: list[ParsedEntry] = field(default_factory=list)
    # Headings the owner chose to read as a line of the text before (a photo's caption).
    as_text: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Leftover:
    """Text that fits nowhere: `line` (1-based) identifies it, `where` names its section."""

    line: int
    where: str
    text: str
    choice: LeftoverChoice = LeftoverChoice.INTRO


@dataclass
class Question:
    kind: QuestionKind
    line: int
    heading: str
    year: int | None = None


@dataclass
class Section:
    """A heading and the lines under it, up to the next section."""

    line: int
    heading: str
    level: int
    guess: Role
    lines: list[tuple[int, str]] = field(default_factory=list)
    role: Role = Role.LEFTOVER

    @property
    def source(self) -> str:
        return "\n".join(text for _, text in self.lines)


@dataclass
class Document:
    title: str
    intro_lines: list[tuple[int, str]]
    sections: list[Section]
    questions: list[Question]


@dataclass
class ParsedPost:
    year: int
    title: str = ""
    intro: str = ""
    goals: list[ParsedGoal] = field(default_factory=list)
    periods: list[ParsedPeriod] = field(
        default_factory=lambda: [ParsedPeriod(), ParsedPeriod(), ParsedPeriod()]
    )
    summary: str = ""
    next_goals: list[str] = field(default_factory=list)
    leftovers: list[Leftover] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    # Images outside any entry (in the intro, a retrospective…): they stay links.
    loose_images: list[ParsedImage] = field(default_factory=list)
    published: datetime.date | None = None  # where the post says when it was published

    @property
    def entry_count(self) -> int:
        return sum(len(period.entries) for period in self.periods)


# Headings ---------------------------------------------------------------------------

BOLD_LEVEL = 7  # a bold line used as a heading sits below every "#" level
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_BOLD_LINE = re.compile(r"^ {0,3}(\*\*|__)(?P<text>[^*_].*?)\1[ \t]*:?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_RULE = re.compile(r"^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$")

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_DASH = r"(?:[-–—~〜～]|to|through|부터)"
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_KOREAN_RANGE = re.compile(rf"(\d{{1,2}})\s*월?\s*{_DASH}\s*(\d{{1,2}})\s*월")
_ENGLISH_RANGE = re.compile(
    rf"\b({_MONTH_NAME})\.?\s*{_DASH}\s*({_MONTH_NAME})\b\.?", re.IGNORECASE
)
_QUARTER = re.compile(
    r"\bq[1-4]\b|[1-4]\s*분기|\b(first|second|third|fourth)\s+quarter\b|\bh[12]\b|[상하]반기",
    re.IGNORECASE,
)
_PERIOD_OF_MONTHS = {(1, 4): Role.PERIOD_1, (5, 8): Role.PERIOD_2, (9, 12): Role.PERIOD_3}
_YEAR = re.compile(r"(?<!\d)(1[9]\d\d|2[0-2]\d\d)(?!\d)")
_GOAL_WORDS = re.compile(r"\b(?:goals?|resolutions?|plans?)\b|목표|계획|다짐|버킷", re.IGNORECASE)
_NEXT_WORDS = re.compile(r"next\s+year|내년", re.IGNORECASE)
# The retrospective's heading begins with one of these (after a year, a word for the whole
# year, or emoji): "정리", "2023 회고", "전반적인 정리", "한 해 총평", "Overall thoughts",
# "Final thoughts"; "방 정리" (tidying a room) is an entry's title.
_SUMMARY_WORDS = re.compile(
    r"(?:\d{4}\s*년?\s*)?(?:in\s+)?"
    r"(?:(?:전반적인?|전체|올해의?|한\s*해|일\s*년|1\s*년)\s*(?:의\s*)?)?"
    r"(?:overall|summary|retrospective|looking\s+back|wrap[- ]?up|conclusion|closing"
    r"|final\s+thoughts"
    r"|정리|회고|총평|마무리|마치며|돌아보며)",
    re.IGNORECASE,
)
_LEADING_SYMBOLS = re.compile(r"^[\W_]+")
_INTRO_WORDS = re.compile(r"^(intro|introduction|들어가며|들어가는\s*말|시작하며)$", re.IGNORECASE)


def _heading_text(line: str) -> tuple[int, str] | None:
    """The level and text of a heading line ("## x" or a whole-line "**x**"), if it is one."""
    if match := _ATX.match(line):
        return len(match.group(1)), _plain_heading(match.group(2))
    match = _BOLD_LINE.match(line)
    if match and match.group(1) not in match.group("text"):  # not "**a** and **b**"
        return BOLD_LEVEL, _plain_heading(match.group("text"))
    return None


def _plain_heading(text: str) -> str:
    return plain_title(text).rstrip(":").strip()


def plain_title(text: str) -> str:
    """A title as words alone: no images, links as their text, no bold marks. Titles are
    shown as plain text, where Markdown's marks would stay as they are."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)\s]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return " ".join(text.split())


def _months(text: str) -> tuple[int, int] | None:
    if match := _KOREAN_RANGE.search(text):
        return int(match.group(1)), int(match.group(2))
    if match := _ENGLISH_RANGE.search(text):
        return _MONTHS[match.group(1).lower()], _MONTHS[match.group(2).lower()]
    return None


def classify(heading: str, year: int) -> tuple[Role, QuestionKind | None, int | None]:
    """What a section heading announces, and a question to ask when it is unclear."""
    months = _months(heading)
    if months is not None:
        if role := _PERIOD_OF_MONTHS.get(months):
            return role, None, None
        return Role.LEFTOVER, QuestionKind.NOT_A_PERIOD, None
    if _QUARTER.search(heading):
        return Role.LEFTOVER, QuestionKind.NOT_A_PERIOD, None
    years = {int(found) for found in _YEAR.findall(heading)}
    is_goals = bool(_GOAL_WORDS.search(heading))
    if (year + 1 in years or _NEXT_WORDS.search(heading)) and (is_goals or not years):
        return Role.NEXT_GOALS, None, None
    if is_goals:
        others = years - {year}
        if others:
            return Role.LEFTOVER, QuestionKind.OTHER_YEAR, min(others)
        return Role.GOALS, None, None
    if _SUMMARY_WORDS.match(_LEADING_SYMBOLS.sub("", heading)):
        return Role.SUMMARY, None, None
    if _INTRO_WORDS.match(heading.strip()):
        return Role.INTRO, None, None
    return Role.LEFTOVER, None, None


def guess_year(text: str) -> int | None:
    """The year a post is about: the first four-digit year in its "# title" (for copied page
    text, in its first line that is not the page's chrome); else the year most of its dates
    are in; else the earlier of two goal headings a year apart ("2024 goals", "2025 goals");
    else the only year it names. None when nothing says: the form asks."""
    text, front_title = _front_matter(text)
    if page_text.is_page_text(text):
        found = page_text.page_year(text)
    else:
        match = _YEAR.search(_title_of(_lines(text), None)[0] or front_title)
        found = int(match.group(1)) if match else None
    return found or _year_inside(_without_addresses(text))


# A date: "2024-03-05", "2024.3.5", "2024/3", "2024년 3월", "March 2024", "5 Mar 2024".
_DATE_YEAR = re.compile(
    r"(?<!\d)(?P<a>1[9]\d\d|2[0-2]\d\d)\s*(?:[-./]\s*\d{1,2}(?!\d)|년\s*\d{1,2}\s*월)"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2},?\s+)?"
    r"(?P<b>1[9]\d\d|2[0-2]\d\d)(?!\d)",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"\]\([^)]*\)|https?://\S+")


def _without_addresses(text: str) -> str:
    return _ADDRESS.sub(" ", text)


def _year_inside(text: str) -> int | None:
    dates = Counter(int(m["a"] or m["b"]) for m in _DATE_YEAR.finditer(text))
    if dates:
        return dates.most_common(1)[0][0]
    goal_years = set()
    for _number, line in _lines(text):
        heading = _ATX.match(line) or _BOLD_LINE.match(line)
        words = (heading.group(2) if heading and heading.re is _ATX else line) if heading else ""
        if words and _GOAL_WORDS.search(words):
            goal_years.update(int(year) for year in _YEAR.findall(words))
    pairs = sorted(year for year in goal_years if year + 1 in goal_years)
    if pairs:
        return pairs[0]
    named = set(int(year) for year in _YEAR.findall(text))
    return named.pop() if len(named) == 1 else None


# Splitting ----------------------------------------------------------------------------


def _lines(text: str) -> list[tuple[int, str]]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [(number, line.rstrip()) for number, line in enumerate(text.split("\n"), start=1)]


def _title_of(lines: list[tuple[int, str]], year: int | None) -> tuple[str, int]:
    """A leading "# title" and how many lines it takes (blank lines before it included).

    A first heading that names this year's goals or a period is that section, not a
    title (titles such as "2025 review and 2026 plan" or "2023 회고" name others).
    """
    for position, (_, line) in enumerate(lines):
        if not line.strip():
            continue
        match = _ATX.match(line)
        title = _plain_heading(match.group(2)) if match and len(match.group(1)) == 1 else ""
        if title and (year is None or classify(title, year)[0] not in _NOT_TITLES):
            return title, position + 1
        return "", 0
    return "", 0


def split(text: str, year: int) -> Document:
    """Cut a post into its title, the text before the first section, and sections."""
    lines = _lines(page_text.as_markdown(text, year))
    title, skip = _title_of(lines, year)
    intro: list[tuple[int, str]] = []
    sections: list[Section] = []
    questions: list[Question] = []
    in_fence = False
    for number, line in lines[skip:]:
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _heading_text(line)
        current = sections[-1] if sections else None
        if heading and _starts_section(heading, current, year):
            level, words = heading
            guess, question, other_year = classify(words, year)
            sections.append(Section(number, words, level, guess, [(number, line)], guess))
            if question:
                questions.append(Question(question, number, words, other_year))
        elif current is None:
            intro.append((number, line))
        else:
            current.lines.append((number, line))
    if title and (found := _YEAR.search(title)) and int(found.group(1)) != year:
        questions.insert(0, Question(QuestionKind.TITLE_YEAR, 1, title, int(found.group(1))))
    return Document(title, intro, sections, questions)


def _starts_section(heading: tuple[int, str], current: Section | None, year: int) -> bool:
    level, words = heading
    role, question, _other_year = classify(words, year)
    recognised = role != Role.LEFTOVER or question is not None
    if current is None:
        # Before any section, a bold line is the intro's own, unless it names a section.
        return level < BOLD_LEVEL or recognised
    if current.guess in PERIOD_ROLES and role not in PERIOD_ROLES:
        # Inside a period its sub-headings are entries, unless another period or next
        # year's goals begin; under a bold period heading, unrecognised headings of any kind.
        if current.level < level:
            return role == Role.NEXT_GOALS
        if current.level == BOLD_LEVEL:
            return recognised
    if recognised:
        return True
    return level <= current.level and level < BOLD_LEVEL


# Building -----------------------------------------------------------------------------


def parse(
    text: str,
    year: int,
    roles: dict[int, str] | None = None,
    choices: dict[int, str] | None = None,
    as_text: set[int] | None = None,
) -> ParsedPost:
    """Read a post; `roles` and `choices` (by line number) override the guesses, and the
    entries' headings on the lines `as_text` are read as text."""
    source = text
    text, front_title = _front_matter(text)
    # The export's counts ("3 of 5 reached", "2 / 5 in the series") are made again from
    # what is imported: blanked, line numbers kept.
    lines = text.split("\n")
    text = "\n".join("" if _EXPORT_LINE.fullmatch(line.strip()) else line for line in lines)
    published = _published_on(source, text, year)
    if not page_text.is_page_text(text):
        text = page_text.without_chrome(text)
    document = split(text, year)
    post = build(document, year, roles or {}, choices or {}, as_text or set())
    post.title = post.title or _clip(front_title, TITLE_MAX)
    post.published = published
    return post


_FRONT_DATE = re.compile(r"^date:[ \t]*[\"']?(?P<date>\d{4}-\d{1,2}-\d{1,2})", re.M)


def _published_on(source: str, text: str, year: int) -> datetime.date | None:
    """The day the post was first published, where it says: its front matter's date, or
    the byline near its top (of copied page text, or kept in Markdown from a page)."""
    if (front := _FRONT_MATTER.match(source)) and (found := _FRONT_DATE.search(front["body"])):
        day = page_text.full_date(found["date"])
        return day if day and year <= day.year <= year + 1 else None
    return page_text.published_on(text, year)


# A static site generator's header (Jekyll, Hugo): "---", "key: value" lines, "---".
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(?P<body>(?:.*\n)*?)---[ \t]*(?:\n|\Z)")
_FRONT_LINE = re.compile(r"^(?:[A-Za-z_][\w-]*:.*|[ \t]+.*|- .*|#.*|)$")
_FRONT_TITLE = re.compile(r"^title:[ \t]*(?P<quote>[\"']?)(?P<title>.*?)(?P=quote)[ \t]*$", re.M)


def _front_matter(text: str) -> tuple[str, str]:
    """The text with its front matter blanked (its lines kept, so line numbers hold) and the
    title it gives. Its other keys — the publishing date above all, often in the year after
    the one a review is about — are not the post's."""
    match = _FRONT_MATTER.match(text)
    lines = match["body"].splitlines() if match else []
    # Only "key: value" lines, their indented or listed continuations, and blank lines: a
    # post that merely opens with a horizontal rule keeps what follows it.
    if not match or not all(_FRONT_LINE.match(line) for line in lines):
        return text, ""
    title = _FRONT_TITLE.search(match["body"])
    blank = "\n" * match.group(0).count("\n")
    return blank + text[match.end() :], (title["title"].strip() if title else "")


def build(
    document: Document,
    year: int,
    roles: dict[int, str],
    choices: dict[int, str],
    as_text: set[int] = frozenset(),
) -> ParsedPost:
    post = ParsedPost(year=year, title=_clip(document.title, TITLE_MAX))
    post.questions = document.questions
    post.sections = document.sections
    intro_parts = [_BYLINE.sub("", _blocks_text(document.intro_lines), count=1).strip()]
    summary_parts: list[str] = []
    for section in document.sections:
        section.role = _role(roles.get(section.line), section.guess)
        role = section.role
        if role == Role.GOALS:
            post.goals += _read_goals(section, post.leftovers)
        elif role == Role.NEXT_GOALS:
            post.next_goals += _read_next_goals(section, post.leftovers)
        elif role in PERIOD_ROLES:
            _read_period(section, post.periods[PERIOD_ROLES.index(role)], year, as_text)
        elif role == Role.SUMMARY:
            summary_parts.append(_section_text(section, keep_heading=section.guess != role))
        elif role == Role.INTRO:
            intro_parts.append(_section_text(section, keep_heading=section.guess != role))
        elif role == Role.LEFTOVER:
            text = _tidy(section.source)
            if text:
                post.leftovers.append(Leftover(section.line, section.heading, text))
    post.leftovers.sort(key=lambda leftover: leftover.line)
    periods = dict(zip(PERIOD_CHOICES, post.periods, strict=True))
    for leftover in post.leftovers:
        chosen = choices.get(leftover.line)
        leftover.choice = LeftoverChoice(chosen) if chosen in LeftoverChoice else leftover.choice
        if leftover.choice == LeftoverChoice.SUMMARY:
            summary_parts.append(leftover.text)
        elif leftover.choice in periods:
            period = periods[leftover.choice]
            period.retrospective = _join([period.retrospective, leftover.text])
        elif leftover.choice == LeftoverChoice.INTRO:
            intro_parts.append(leftover.text)
    post.intro = _join(intro_parts)
    post.summary = _join(summary_parts)
    post.intro, post.summary = (_images_to_links(text, post) for text in (post.intro, post.summary))
    for period in post.periods:
        period.retrospective = _images_to_links(period.retrospective, post)
    return post


def _role(chosen: str | None, guess: Role) -> Role:
    try:
        return Role(chosen) if chosen else guess
    except ValueError:
        return guess


def _join(parts: list[str]) -> str:
    return "\n\n".join(part for part in parts if part)


def _tidy(text: str) -> str:
    """Trim blank lines and horizontal rules from both ends of a text."""
    lines = text.split("\n")
    while lines and (not lines[0].strip() or _RULE.match(lines[0])):
        lines.pop(0)
    while lines and (not lines[-1].strip() or _RULE.match(lines[-1])):
        lines.pop()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def _blocks_text(lines: list[tuple[int, str]]) -> str:
    return _tidy("\n".join(line for _, line in lines))


def _section_text(section: Section, *, keep_heading: bool) -> str:
    """A section's text; its heading kept as "### heading" when it is not the role's own."""
    body = _blocks_text(section.lines[1:])
    if keep_heading:
        return _join([f"### {section.heading}", body])
    return body


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Goals --------------------------------------------------------------------------------

_DONE_MARKS = "xXvV✓✔oO"
_CHECKBOX = re.compile(r"^(?:[-*+]|\d+[.)])?[ \t]*\[(?P<mark>[^\]]?)\][ \t]*(?P<rest>.+)$")
_EMOJI = re.compile(
    r"^(?:[-*+]|\d+[.)])?[ \t]*(?P<mark>✅|☑️?|✔️?|☒|⬜️?|☐|❌|🔲|⭕|⬛️?|🔺|△|○|×|✕|[OX](?=[ \t]))"
    r"[ \t]*(?P<rest>.+)$"
)
_DONE_EMOJI = ("✅", "☑", "✔", "☒", "⭕", "○", "O")
# "- 운동 (완료)", "- Run a 10k (done)": reached, said after the title.
_DONE_AFTER = re.compile(
    r"\s*[(\[](?:완료|달성|성공|done|reached|achieved)[)\]]\s*$", re.IGNORECASE
)
_STRUCK = re.compile(r"^~~(?P<title>.+?)~~")
_BULLET = re.compile(r"^(?:[-*+]|\d+[.)])[ \t]+(?P<rest>.+)$")
# An outcome note follows the title after one of these, the first kind found winning:
# the export writes " — ", loose posts use the others.
_NOTE_SEPARATORS = (" — ", " – ", " : ", " -> ", " → ", " - ", ": ")


def _goal_item(line: str) -> tuple[bool, str] | None:
    """(done, text after the mark) for a list item of a goals section."""
    found = _marked_item(line.strip())
    if found is None:
        return None
    done, text = found
    if _DONE_AFTER.search(text):  # "(완료)" after the title
        done, text = True, _DONE_AFTER.sub("", text)
    return done, _STRUCK.sub(r"\g<title>", text)  # a title struck through keeps its words


def _marked_item(stripped: str) -> tuple[bool, str] | None:
    if match := _CHECKBOX.match(stripped):
        mark = match.group("mark")
        return bool(mark) and mark in _DONE_MARKS, match["rest"]
    if match := _EMOJI.match(stripped):
        return match.group("mark").startswith(_DONE_EMOJI), match["rest"]
    if match := _BULLET.match(stripped):
        return False, match["rest"]
    return None


def _split_note(text: str) -> tuple[str, str]:
    for separator in _NOTE_SEPARATORS:
        title, found, note = text.partition(separator)
        if found and title.strip():
            return title.strip(), note.strip()
    return text.strip().rstrip(" —-:"), ""


def _indent(line: str) -> int:
    spaces = line[: len(line) - len(line.lstrip(" \t"))]
    return len(spaces) + spaces.count("\t") * 3


def _items(section: Section, leftovers: list[Leftover]):
    """Each list item of a section with its indented continuation lines; the rest is left over.

    Yields (done, text, continuation lines); other blocks are added to `leftovers`.
    """
    stray: list[tuple[int, str]] = []
    item: tuple[bool, str, list[str]] | None = None
    item_indent = 0

    def flush_stray() -> None:
        text = _blocks_text(stray)
        if text and not _is_only_heading(text):
            leftovers.append(Leftover(stray[0][0], section.heading, text))
        stray.clear()

    for number, line in section.lines[1:]:
        if not line.strip():
            if item:
                item[2].append("")
            else:
                stray.append((number, line))
            continue
        if item and _indent(line) > item_indent:
            item[2].append(line)
            continue
        if item:
            yield item
            item = None
        if parsed := _goal_item(line):
            flush_stray()
            item = (parsed[0], parsed[1], [])
            item_indent = _indent(line)
        else:
            stray.append((number, line))
    if item:
        yield item
    flush_stray()


def _is_only_heading(text: str) -> bool:
    return all(_heading_text(line) or _RULE.match(line) for line in text.split("\n") if line)


def _dedent(lines: list[str]) -> list[str]:
    depth = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return [line[depth:] for line in lines]


def _read_goals(section: Section, leftovers: list[Leftover]) -> list[ParsedGoal]:
    goals = []
    for done, text, more in _items(section, leftovers):
        title, note = _split_note(text)
        title, private = _private_mark(plain_title(title))
        more = _dedent(more)
        figures = _figures(more[-1]) if more else None
        if figures:
            more = more[:-1]
        note = _tidy("\n".join([note, *more]))
        if len(" ".join(title.split())) > TITLE_MAX:
            note = "\n".join(part for part in (title, note) if part)
        goals.append(ParsedGoal(_clip(title, TITLE_MAX), done, note, private, **(figures or {})))
    return goals


# What the export writes about its author and a goal, in English or Korean
# (portability/markdown_export.py).
_BYLINE = re.compile(r"\A\*(?:by |글쓴이 )[^\n]*\*(?:\n\n|\Z)")
_PRIVATE_MARK = re.compile(r"\s*\*\((?:private|비공개)\)\*\s*$")
_EXPORT_LINE = re.compile(
    r"\*(?:\d+ of \d+ reached|\d+개 중 \d+개 달성"
    r"|\d+ / \d+ in the series|시리즈 \d+편 중 \d+번째)\*"
)
_NUMBER = r"-?\d+(?:\.\d+)?"
_PROGRESS = re.compile(
    rf"(?:(?P<start>{_NUMBER}) → )?(?P<progress>{_NUMBER}) / (?P<target>{_NUMBER})"
    r"(?: (?P<unit>.+))?"
)
_DEADLINE = re.compile(r"(?:by (?P<a>\d{4}-\d{2}-\d{2})|(?P<b>\d{4}-\d{2}-\d{2})까지)")
_ATTEMPT = re.compile(r"(?:(?P<a>\d+)(?:st|nd|rd|th) try|(?P<b>\d+)번째 시도)")


def _private_mark(title: str) -> tuple[str, bool]:
    """A title without the export's "*(private)*" mark, and whether it had one."""
    stripped = _PRIVATE_MARK.sub("", title)
    return stripped, stripped != title


def _figures(line: str) -> dict | None:
    """The export's line of a goal's figures as ParsedGoal fields; None for any other line
    (then it is part of the note)."""
    text = line.strip()
    if not (text.startswith("*") and text.endswith("*") and len(text) > 2):
        return None
    figures: dict = {}
    for part in text[1:-1].split(" · "):
        if (match := _PROGRESS.fullmatch(part)) and "target" not in figures:
            values = {name: match[name] for name in ("start", "progress", "target")}
            figures |= {name: Decimal(value) for name, value in values.items() if value}
            figures["unit"] = (match["unit"] or "")[:30]
        elif (match := _DEADLINE.fullmatch(part)) and "deadline" not in figures:
            try:
                figures["deadline"] = datetime.date.fromisoformat(match["a"] or match["b"])
            except ValueError:
                return None
        elif (match := _ATTEMPT.fullmatch(part)) and "attempt" not in figures:
            figures["attempt"] = max(1, min(int(match["a"] or match["b"]), 99))
        else:
            return None
    return figures


def _read_next_goals(section: Section, leftovers: list[Leftover]) -> list[str]:
    titles = []
    for _done, text, more in _items(section, leftovers):
        titles.append(_clip(_private_mark(plain_title(text))[0], TITLE_MAX))
        if extra := _tidy("\n".join(_dedent(more))):
            leftovers.append(Leftover(section.line, section.heading, extra))
    return titles


# Periods and entries ------------------------------------------------------------------

_IMAGE = re.compile(
    r"!\[(?P<caption>(?:\\.|[^\]\\])*)\]\(\s*<?(?P<url>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"
)
_ESCAPED = re.compile(r"\\(.)")


def _read_period(section: Section, period: ParsedPeriod, year: int, as_text: set[int]) -> None:
    """A period's text up to its first sub-heading is its retrospective; each sub-heading
    begins an entry (a "회고"/"Retrospective" one adds to the retrospective). A section
    moved here from another role becomes an entry itself, titled by its heading.

    The entries' headings are the period's shallowest "#" sub-headings; bold lines count
    only where there are none, so that a bold line in an entry's text stays text. One the
    owner chose to read as text (in copied page text, a photo's caption looks like an
    entry's title) is a line of the text before it.
    """
    body = section.lines[1:]
    headings = _inner_headings(body)
    atx_levels = [level for level, _words in headings.values() if level < BOLD_LEVEL]
    entry_level = min(atx_levels, default=BOLD_LEVEL)
    retrospective: list[tuple[int, str]] = []
    entries: list[tuple[str, int, list[tuple[int, str]]]] = []
    if section.guess not in PERIOD_ROLES:
        entries.append((section.heading, 0, []))
    for position, (number, line) in enumerate(body):
        level, words = headings.get(position, (0, ""))
        if level == entry_level and number in as_text:
            period.as_text.append((number, words))
            line = words
        elif level == entry_level:
            is_retrospective = classify(words, year)[0] == Role.SUMMARY
            entries.append(("" if is_retrospective else words, number, []))
            continue
        (entries[-1][2] if entries else retrospective).append((number, line))
    period.retrospective = _join([period.retrospective, _blocks_text(retrospective)])
    for title, line, lines in entries:
        if not title:
            period.retrospective = _join([period.retrospective, _blocks_text(lines)])
            continue
        text, images = _take_images(_blocks_text(lines))
        title, private = _private_mark(title)
        period.entries.append(ParsedEntry(_clip(title, TITLE_MAX), text, images, private, line))


def _inner_headings(lines: list[tuple[int, str]]) -> dict[int, tuple[int, str]]:
    """The headings among `lines` (outside code blocks), by position."""
    found = {}
    in_fence = False
    for position, (_number, line) in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (heading := _heading_text(line)):
            found[position] = heading
    return found


def _take_images(text: str) -> tuple[str, list[ParsedImage]]:
    """The text without its images, and the images in order."""
    images = [
        ParsedImage(_caption(match["caption"]), match["url"]) for match in _IMAGE.finditer(text)
    ]
    return _tidy(_IMAGE.sub("", text)), images


def _images_to_links(text: str, post: ParsedPost) -> str:
    """Images outside entries stay in the text, as links."""

    def link(match: re.Match) -> str:
        image = ParsedImage(_caption(match["caption"]), match["url"])
        post.loose_images.append(image)
        return image_link(image)

    return _IMAGE.sub(link, text)


def _caption(escaped: str) -> str:
    return _clip(_ESCAPED.sub(r"\1", escaped), CAPTION_MAX)


def image_link(image: ParsedImage) -> str:
    """An image that is not imported, in the text: a link where it lives on the web; its
    caption and file name where its address only meant something on the page it came from
    ("../img/a.jpg", "/files/a.jpg"), which here would lead nowhere."""
    if image.on_the_web:
        text = _escaped(image.caption or image.url)
        return f"[{text}]({image.url})"
    name = unquote(urlsplit(image.url).path.rstrip("/").rsplit("/", 1)[-1])
    return _escaped(" ".join(part for part in (image.caption, f"({name})" if name else "") if part))


def _escaped(text: str) -> str:
    for mark in ("\\", "[", "]", "*", "_", "<", "`"):
        text = text.replace(mark, "\\" + mark)
    return text
