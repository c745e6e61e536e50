"""Life areas: which one a goal or entry's words point to, and goals per area across years."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Q

from .models import Area, DefaultArea, Goal, Year, label_of

# Words that point to one default area, in English and Korean. English words match whole
# (and with an -s or -ing after them); Korean ones anywhere in a word, since particles
# attach to them ("운동을", "건강하게").
KEYWORDS: dict[str, list[str]] = {
    DefaultArea.CAREER: [
        "career",
        "job",
        "work",
        "paper",
        "thesis",
        "degree",
        "exam",
        "study",
        "studies",
        "course",
        "promotion",
        "interview",
        "conference",
        "publish",
        "cvpr",
        "phd",
        "직장",
        "취업",
        "이직",
        "논문",
        "학위",
        "시험",
        "공부",
        "연구",
        "승진",
        "졸업",
        "학회",
    ],
    DefaultArea.HEALTH: [
        "health",
        "run",
        "running",
        "marathon",
        "gym",
        "exercise",
        "weight",
        "kg",
        "sleep",
        "diet",
        "swim",
        "yoga",
        "doctor",
        "workout",
        "건강",
        "운동",
        "달리기",
        "마라톤",
        "체중",
        "다이어트",
        "수면",
        "헬스",
        "수영",
        "요가",
    ],
    DefaultArea.RELATIONSHIPS: [
        "family",
        "friend",
        "partner",
        "wedding",
        "parents",
        "relationship",
        "가족",
        "친구",
        "연애",
        "결혼",
        "부모님",
        "데이트",
    ],
    DefaultArea.HOBBIES: [
        "piano",
        "guitar",
        "draw",
        "drawing",
        "paint",
        "painting",
        "photography",
        "hobby",
        "novel",
        "song",
        "knit",
        "cook",
        "travel",
        "피아노",
        "그림",
        "사진",
        "취미",
        "여행",
        "요리",
        "작곡",
        "악기",
    ],
    DefaultArea.MONEY: [
        "money",
        "save",
        "saving",
        "savings",
        "invest",
        "budget",
        "debt",
        "salary",
        "income",
        "저축",
        "투자",
        "예산",
        "빚",
        "대출",
        "월급",
        "재테크",
    ],
    DefaultArea.MIND: [
        "meditate",
        "meditation",
        "journal",
        "journaling",
        "therapy",
        "calm",
        "mindfulness",
        "gratitude",
        "명상",
        "일기",
        "상담",
        "마음",
    ],
}


def _is_hangul(word: str) -> bool:
    return any("\uac00" <= char <= "\ud7a3" for char in word)


def _pattern(words: Iterable[str]) -> re.Pattern:
    english = [re.escape(word) for word in words if not _is_hangul(word)]
    korean = [re.escape(word) for word in words if _is_hangul(word)]
    parts = []
    if english:
        parts.append(rf"\b(?:{'|'.join(english)})(?:s|es|ing)?\b")
    if korean:
        parts.append("|".join(korean))
    return re.compile("|".join(parts), re.IGNORECASE)


PATTERNS = {default: _pattern(words) for default, words in KEYWORDS.items()}


def suggested_area(text: str, areas: Iterable[Area]) -> Area | None:
    """The one area of a person's whose default the text clearly points to, or None: when
    no area matches, or more than one does."""
    matching = [
        area
        for area in areas
        if area.default in PATTERNS and PATTERNS[area.default].search(text or "")
    ]
    return matching[0] if len(matching) == 1 else None


@dataclass(frozen=True)
class AreaYear:
    year: int
    set: int
    reached: int


@dataclass(frozen=True)
class AreaSeries:
    label: str
    years: list[AreaYear]


def goals_by_area(viewer, owner, years: Sequence[int]) -> list[AreaSeries]:
    """Per area of the owner's, goals set and reached in each of `years`, in one query.

    Only what the viewer may see counts: for anyone but the owner, the years listed on the
    profile (public ones) and goals not marked private. Areas with no goal counted are left
    out, so a visitor learns nothing of what is hidden.
    """
    goals = (
        Goal.objects.filter(year__in=Year.objects.listed_for(viewer, owner), area__isnull=False)
        .visible_to(viewer, owner)
        .values("area_id", "area__name", "area__default", "area__order", "year__year")
        .annotate(set=Count("id"), reached=Count("id", filter=Q(done=True)))
        .order_by("area__order", "area_id")
    )
    counts: dict[int, dict] = {}
    for row in goals:
        area = counts.setdefault(
            row["area_id"],
            {"label": label_of(row["area__name"], row["area__default"]), "years": {}},
        )
        area["years"][row["year__year"]] = AreaYear(row["year__year"], row["set"], row["reached"])
    return [
        AreaSeries(
            label=area["label"],
            years=[area["years"].get(year, AreaYear(year, 0, 0)) for year in sorted(years)],
        )
        for area in counts.values()
    ]
