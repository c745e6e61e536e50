"""Search: every word of a query, as a substring, somewhere in the same goal, entry or text.

Words are matched with `icontains` on SQLite and PostgreSQL alike, so "테스트" finds
"테스트합니다" (Korean glues particles and endings to words, which no stemming
full-text configuration of PostgreSQL handles). On PostgreSQL, Django compiles
`icontains` to `UPPER(column::text) LIKE UPPER('%word%')`, and pg_trgm GIN indexes on
exactly `UPPER(column)` let it use an index (migration 0005_search_trigram_indexes).
Who may find what is decided in `permissions.searchable_*`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Case, Prefetch, Q, Value, When
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .markdown import plain_text
from .models import Photo, Year
from .permissions import (
    searchable_entries,
    searchable_goals,
    searchable_periods,
    searchable_years,
)

MAX_RESULTS = 50
MAX_WORDS = 10
MIN_QUERY_LENGTH = 2
EXCERPT_CHARS = 180


@dataclass
class Hit:
    """One thing found: what it is, where it is, and its text with the words marked."""

    post: Year
    kind: str
    title: SafeString
    excerpt: SafeString
    url: str
    period: str = ""
    is_private: bool = False
    rank: tuple = ()


@dataclass
class YearResults:
    post: Year
    hits: list[Hit] = field(default_factory=list)


@dataclass
class SearchResults:
    groups: list[YearResults]
    count: int
    more: bool


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        if len(words_of(query)) > MAX_WORDS:
            raise ValidationError(
                _("Use at most %(count)s words."),
                code="too_many_words",
                params={"count": MAX_WORDS},
            )
        return query

    @property
    def words(self) -> list[str]:
        """The words to look for; none when the query is too short to search."""
        query = self.cleaned_data.get("q", "") if self.is_valid() else ""
        return words_of(query) if len(query) >= MIN_QUERY_LENGTH else []

    def search(self, user: User | AnonymousUser) -> SearchResults:
        """What the person may find, own years first and then newest, at most MAX_RESULTS."""
        words = self.words
        if not words:
            return SearchResults([], 0, more=False)
        hits = [
            *_year_hits(user, words),
            *_goal_hits(user, words),
            *_period_hits(user, words),
            *_entry_hits(user, words),
        ]
        hits.sort(key=lambda hit: hit.rank)
        groups: list[YearResults] = []
        for hit in hits[:MAX_RESULTS]:
            if not groups or groups[-1].post.pk != hit.post.pk:
                groups.append(YearResults(hit.post))
            groups[-1].hits.append(hit)
        return SearchResults(groups, min(len(hits), MAX_RESULTS), more=len(hits) > MAX_RESULTS)


def words_of(query: str) -> list[str]:
    """The distinct words of a query, each to be found on its own."""
    words: dict[str, str] = {}
    for word in query.split():
        words.setdefault(word.casefold(), word)
    return list(words.values())


def highlight(text: str, words: Iterable[str]) -> SafeString:
    """The text, escaped, with every occurrence of a word wrapped in <mark>."""
    spans = sorted(
        (match.start(), match.end())
        for word in words
        for match in re.finditer(re.escape(word), text, re.IGNORECASE)
    )
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, position = [], 0
    for start, end in merged:
        parts += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


def excerpt(text: str, words: Iterable[str], chars: int = EXCERPT_CHARS) -> str | None:
    """The part of a text around the first word found in it, or None when none is."""
    found = [re.search(re.escape(word), text, re.IGNORECASE) for word in words]
    first = min((match.start() for match in found if match), default=None)
    if first is None:
        return None
    if len(text) <= chars:
        return text
    end = min(len(text), max(0, first - chars // 3) + chars)
    start = max(0, end - chars)
    if start > 0 and (space := text.find(" ", start, first)) != -1:
        start = space + 1  # begin at a word
    if end < len(text) and (space := text.rfind(" ", first, end)) > first:
        end = space
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _matching(words: list[str], fields: list[str], also=None) -> Q:
    """Every word in at least one of the fields (or in what `also(word)` matches)."""

    def one_word(word: str) -> Q:
        anywhere = reduce(or_, (Q(**{f"{name}__icontains": word}) for name in fields))
        return anywhere | also(word) if also else anywhere

    return reduce(and_, (one_word(word) for word in words))


def _order(user: User | AnonymousUser, year: str) -> list:
    # One order for every kind of hit, so the first MAX_RESULTS of each kind hold the
    # first MAX_RESULTS of all: own years first, then the newest.
    order = [f"-{year}year", f"{year}owner__username", f"{year}id"]
    if user.is_authenticated:
        order.insert(0, Case(When(**{f"{year}owner": user}, then=Value(0)), default=Value(1)))
    return order


def _year_rank(user: User | AnonymousUser, post: Year) -> tuple:
    return (0 if post.owner_id == user.pk else 1, -post.year, post.owner.username, post.pk)


def _marked_excerpt(texts: list[tuple[str, str]], words: list[str]) -> tuple[str, SafeString]:
    """The label and marked excerpt of the first text a word is found in."""
    for label, text in texts:
        if found := excerpt(text, words):
            return label, highlight(found, words)
    return "", mark_safe("")


def _year_hits(user: User | AnonymousUser, words: list[str]) -> list[Hit]:
    posts = (
        searchable_years(user)
        .filter(_matching(words, ["title", "intro", "summary"]))
        .select_related("owner")
        .order_by(*_order(user, ""))[: MAX_RESULTS + 1]
    )
    hits = []
    for post in posts:
        texts = [
            (_("Intro"), plain_text(post.intro)),
            (_("Looking back at it all"), plain_text(post.summary)),
            (_("Intro"), post.intro),  # a word only in the Markdown, such as a link's address
            (_("Looking back at it all"), post.summary),
        ]
        kind, marked = _marked_excerpt(texts, words)
        hits.append(
            Hit(
                post=post,
                kind=kind or _("Title"),
                title=highlight(str(post.display_title), words),
                excerpt=marked,
                url=post.get_absolute_url(),
                rank=(*_year_rank(user, post), 0),
            )
        )
    return hits


def _goal_hits(user: User | AnonymousUser, words: list[str]) -> list[Hit]:
    goals = (
        searchable_goals(user)
        .filter(_matching(words, ["title", "note"]))
        .select_related("year__owner")
        .order_by(*_order(user, "year__"), "order", "id")[: MAX_RESULTS + 1]
    )
    return [
        Hit(
            post=goal.year,
            kind=_("Goal"),
            title=highlight(goal.title, words),
            excerpt=_marked_excerpt([("", " ".join(goal.note.split()))], words)[1],
            url=goal.get_absolute_url(),
            is_private=goal.is_private,
            rank=(*_year_rank(user, goal.year), 1, goal.order, goal.pk),
        )
        for goal in goals
    ]


def _period_hits(user: User | AnonymousUser, words: list[str]) -> list[Hit]:
    periods = (
        searchable_periods(user)
        .filter(_matching(words, ["retrospective"]))
        .select_related("year__owner")
        .order_by(*_order(user, "year__"), "index")[: MAX_RESULTS + 1]
    )
    hits = []
    for period in periods:
        texts = [("", plain_text(period.retrospective)), ("", period.retrospective)]
        hits.append(
            Hit(
                post=period.year,
                kind=_("Retrospective"),
                title=escape(_("Looking back at %(period)s") % {"period": period.label}),
                excerpt=_marked_excerpt(texts, words)[1],
                url=period.get_absolute_url(),
                period=period.label,
                rank=(*_year_rank(user, period.year), 2, period.index, 1),
            )
        )
    return hits


def _entry_hits(user: User | AnonymousUser, words: list[str]) -> list[Hit]:
    def in_a_caption(word: str) -> Q:
        return Q(pk__in=Photo.objects.filter(caption__icontains=word).values("entry_id"))

    entries = (
        searchable_entries(user)
        .filter(_matching(words, ["title", "body"], also=in_a_caption))
        .select_related("period__year__owner")
        .prefetch_related(
            Prefetch("photos", queryset=Photo.objects.only("id", "entry_id", "caption"))
        )
        .order_by(*_order(user, "period__year__"), "period__index", "order", "id")[
            : MAX_RESULTS + 1
        ]
    )
    hits = []
    for entry in entries:
        post, period = entry.period.year, entry.period
        texts = [("", plain_text(entry.body)), ("", entry.body)]
        texts += [("", photo.caption) for photo in entry.photos.all()]
        hits.append(
            Hit(
                post=post,
                kind=_("Entry"),
                title=highlight(entry.title, words),
                excerpt=_marked_excerpt(texts, words)[1],
                url=reverse("planner:entry_link", args=[entry.pk]),
                period=period.label,
                is_private=entry.is_private,
                rank=(*_year_rank(user, post), 2, period.index, 0, entry.order, entry.pk),
            )
        )
    return hits
