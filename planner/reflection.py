"""Guided reflection: the questions a person may pick to answer, and where answers go.

Three sets: a period's retrospective, the year's overall one, and the plan for a year
(answered on that year's post, shown after its intro). The built-in questions are ours,
with stable keys that answers store; their wording is translated and shown in the reader's
language. A person's own questions (`OwnQuestion`) are kept for reuse in later years.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class QuestionSet(models.TextChoices):
    PERIOD = "period", _("A period's retrospective")
    YEAR = "year", _("The year's overall retrospective")
    PLAN = "plan", _("The plan for the year")


class Place(models.TextChoices):
    """Where on a post answers are written and shown."""

    PERIOD_1 = "period-1", pgettext_lazy("period", "January–April")
    PERIOD_2 = "period-2", pgettext_lazy("period", "May–August")
    PERIOD_3 = "period-3", pgettext_lazy("period", "September–December")
    YEAR = "year", _("Looking back at it all")
    PLAN = "plan", _("The plan for the year")


def question_set_of(place: str) -> QuestionSet:
    return QuestionSet.PERIOD if place.startswith("period-") else QuestionSet(place)


def period_place(index: int) -> str:
    return f"period-{index}"


@dataclass(frozen=True)
class BuiltInQuestion:
    key: str
    question_set: QuestionSet
    text: Promise


BUILT_IN_QUESTIONS = [
    BuiltInQuestion("period-went-well", QuestionSet.PERIOD, _("What went well in these months?")),
    BuiltInQuestion(
        "period-hard", QuestionSet.PERIOD, _("What was hard, and what helped you through it?")
    ),
    BuiltInQuestion("period-learned", QuestionSet.PERIOD, _("What did you learn?")),
    BuiltInQuestion("period-surprise", QuestionSet.PERIOD, _("What surprised you?")),
    BuiltInQuestion(
        "period-carry", QuestionSet.PERIOD, _("What do you want to take into the next months?")
    ),
    BuiltInQuestion("year-proudest", QuestionSet.YEAR, _("Which moment are you proudest of?")),
    BuiltInQuestion("year-lesson", QuestionSet.YEAR, _("What was the biggest lesson of the year?")),
    BuiltInQuestion(
        "year-did-not-happen", QuestionSet.YEAR, _("What did not happen, and why not?")
    ),
    BuiltInQuestion("year-people", QuestionSet.YEAR, _("Who mattered most this year?")),
    BuiltInQuestion("year-let-go", QuestionSet.YEAR, _("What will you let go of?")),
    BuiltInQuestion("plan-word", QuestionSet.PLAN, _("One word for the year: which, and why?")),
    BuiltInQuestion("plan-keep", QuestionSet.PLAN, _("What will you keep doing?")),
    BuiltInQuestion("plan-stop", QuestionSet.PLAN, _("What will you stop doing?")),
    BuiltInQuestion("plan-start", QuestionSet.PLAN, _("What will you start?")),
]
BUILT_IN_BY_KEY = {question.key: question for question in BUILT_IN_QUESTIONS}


def built_in_questions(question_set: str) -> list[BuiltInQuestion]:
    return [question for question in BUILT_IN_QUESTIONS if question.question_set == question_set]


def place_title(place: str, year: int) -> str:
    """How the questions page of a place is headed."""
    if question_set_of(place) == QuestionSet.PERIOD:
        return _("Questions for %(period)s %(year)s") % {
            "period": Place(place).label,
            "year": year,
        }
    if place == Place.YEAR:
        return _("Questions for the year %(year)s") % {"year": year}
    return _("Questions for the plan of %(year)s") % {"year": year}
