"""The JSON document checked object by object with the models' own validation."""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from planner.models import (
    MAX_YEAR,
    MIN_YEAR,
    PERIOD_MONTHS,
    Answer,
    Area,
    Comment,
    DefaultArea,
    Entry,
    Goal,
    GoalUpdate,
    OwnQuestion,
    Period,
    Photo,
    Year,
)
from planner.reflection import BUILT_IN_BY_KEY, Place, question_set_of

from .schema import (
    ANSWER_FIELDS,
    AREA_FIELDS,
    COMMENT_FIELDS,
    ENTRY_FIELDS,
    GOAL_FIELDS,
    OWN_QUESTION_FIELDS,
    PHOTO_FIELDS,
    REF_MAX_LENGTH,
    UPDATE_FIELDS,
    USER_FIELDS,
    YEAR_FIELDS,
    ArchiveError,
)


class _Checker:
    """Walks the document, checking each object with its model's own validation."""

    def __init__(self, members: dict[str, zipfile.ZipInfo], version: int) -> None:
        self.members = members
        self.version = version
        self.keys: set[uuid.UUID] = set()
        self.areas: set[str] = set()
        self.questions: dict[str, OwnQuestion] = {}

    def fail(self, path: str, message: str) -> ArchiveError:
        return ArchiveError(_("%(path)s: %(message)s") % {"path": path, "message": message})

    def object(self, value: Any, path: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(path, _("expected an object."))
        return value

    def list(self, value: Any, path: str) -> list:
        if not isinstance(value, list):
            raise self.fail(path, _("expected a list."))
        return value

    def key(self, data: dict, path: str, name: str = "id") -> uuid.UUID:
        try:
            key = uuid.UUID(str(data[name]))
        except (KeyError, ValueError):
            raise self.fail(f"{path}.{name}", _("expected an id (a UUID).")) from None
        if name == "id":
            if key in self.keys:
                raise self.fail(f"{path}.{name}", _("this id appears twice in the archive."))
            self.keys.add(key)
        return key

    def model(self, model: type[models.Model], data: dict, names: tuple[str, ...], path: str):
        """An unsaved instance with the document's values, cleaned as a form would."""
        instance = model()
        given = [name for name in names if name in data]
        for name in given:
            if not isinstance(data[name], (str, int, float, bool, type(None))):
                raise self.fail(f"{path}.{name}", _("expected a single value."))
            setattr(instance, model._meta.get_field(name).attname, data[name])
        others = [f.name for f in model._meta.get_fields() if f.name not in names]
        try:
            instance.full_clean(exclude=others, validate_unique=False)
        except ValidationError as error:
            field_name, messages = next(iter(error.message_dict.items()))
            where = path if field_name == "__all__" else f"{path}.{field_name}"
            raise self.fail(where, " ".join(map(_plain_constraint, messages))) from None
        return instance

    def ref(self, data: dict, path: str) -> str:
        """The archive's own name for an area or an own question (`ref`)."""
        ref = data.get("ref")
        if not isinstance(ref, str) or not ref or len(ref) > REF_MAX_LENGTH:
            raise self.fail(
                f"{path}.ref",
                _("expected a reference of at most %(limit)s characters.")
                % {"limit": REF_MAX_LENGTH},
            )
        if ref in self.areas or ref in self.questions:
            raise self.fail(f"{path}.ref", _("this reference appears twice in the archive."))
        return ref

    def area(self, data: dict, path: str) -> str | None:
        """The area a goal or an entry is in, by the archive's reference; None for none."""
        if self.version < 2:
            return None
        ref = data.get("area")
        if ref is not None and ref not in self.areas:
            raise self.fail(f"{path}.area", _("names no life area of the archive."))
        return ref

    def file(self, data: dict, path: str, folder: str) -> str:
        name = data.get("file") if folder == "photos/" else data.get("avatar")
        if not isinstance(name, str) or not name.startswith(folder) or name not in self.members:
            raise self.fail(path, _("names no file of the archive."))
        return name


def _plain_constraint(message: str) -> str:
    """A database rule's message in words (Django names only the rule)."""
    if "year_in_sane_range" in message:
        return _("the year must be between %(min)s and %(max)s.") % {
            "min": MIN_YEAR,
            "max": MAX_YEAR,
        }
    if "goal_target_positive" in message:
        return _("a goal's target must be above zero (zero only when getting down to it).")
    return message


@dataclass
class PlannedPhoto:
    key: uuid.UUID
    instance: Photo
    member: str
    original: bool


@dataclass
class PlannedEntry:
    key: uuid.UUID
    instance: Entry
    created_at: Any
    updated_at: Any
    photos: list[PlannedPhoto]
    area: str | None = None


@dataclass
class PlannedGoal:
    key: uuid.UUID
    instance: Goal
    carried_from: uuid.UUID | None
    updates: list[tuple[uuid.UUID, GoalUpdate, Any]]
    area: str | None = None


@dataclass
class PlannedArea:
    ref: str
    instance: Area


@dataclass
class PlannedQuestion:
    ref: str
    instance: OwnQuestion
    created_at: Any


@dataclass
class PlannedAnswer:
    instance: Answer
    own_question: str | None
    created_at: Any
    updated_at: Any


@dataclass
class PlannedComment:
    key: uuid.UUID
    instance: Comment
    author_username: str
    author_name: str
    parent: uuid.UUID | None
    created_at: Any
    reply_to: uuid.UUID | None = None


@dataclass
class PlannedYear:
    key: uuid.UUID
    instance: Year
    likes: int
    created_at: Any
    updated_at: Any
    goals: list[PlannedGoal] = field(default_factory=list)
    retrospectives: dict[int, str] = field(default_factory=dict)
    entries: dict[int, list[PlannedEntry]] = field(default_factory=dict)
    comments: list[PlannedComment] = field(default_factory=list)
    answers: list[PlannedAnswer] = field(default_factory=list)


@dataclass
class Plan:
    username: str
    email: str
    profile: User
    avatar: str | None
    years: list[PlannedYear]
    # Since version 2; for an older archive, none of them and nothing said about areas.
    carries_areas: bool = False
    life_areas_created: bool = False
    areas: list[PlannedArea] = field(default_factory=list)
    questions: list[PlannedQuestion] = field(default_factory=list)


def check_document(document: dict, members: dict[str, zipfile.ZipInfo]) -> Plan:
    """Every object of the document, validated; raises ArchiveError at the first problem."""
    check = _Checker(members, document["schema_version"])
    user = check.object(document.get("user"), "user")
    profile = check.model(User, user, USER_FIELDS, "user")
    username = user.get("username") if isinstance(user.get("username"), str) else ""
    email = user.get("email") if isinstance(user.get("email"), str) else ""
    avatar = check.file(user, "user.avatar", "avatar") if user.get("avatar") is not None else None
    areas = _check_areas(check, document) if check.version >= 2 else []
    questions = _check_questions(check, document) if check.version >= 2 else []
    years = []
    seen_years = set()
    for i, data in enumerate(check.list(document.get("years"), "years")):
        path = f"years[{i}]"
        data = check.object(data, path)
        key = check.key(data, path)
        post = check.model(Year, data, ("year", *YEAR_FIELDS), path)
        if post.year in seen_years:
            raise check.fail(
                f"{path}.year", _("the year %(year)s appears twice.") % {"year": post.year}
            )
        seen_years.add(post.year)
        stamps = check.model(Year, data, ("created_at", "updated_at"), path)
        likes = data.get("likes", 0)
        if not isinstance(likes, int) or isinstance(likes, bool) or likes < 0:
            raise check.fail(f"{path}.likes", _("expected a number of likes."))
        planned = PlannedYear(key, post, likes, stamps.created_at, stamps.updated_at)
        _check_goals(check, data, path, planned)
        _check_periods(check, data, path, planned)
        _check_comments(check, data, path, planned)
        if check.version >= 2:
            _check_answers(check, data, path, planned)
        years.append(planned)
    goal_keys = {goal.key for post in years for goal in post.goals}
    for post in years:
        for goal in post.goals:
            if goal.carried_from is not None and goal.carried_from not in goal_keys:
                raise check.fail(
                    f"goal {goal.key}", _("carried over from a goal not in the archive.")
                )
    return Plan(
        username,
        email,
        profile,
        avatar,
        years,
        carries_areas=check.version >= 2,
        life_areas_created=user.get("life_areas_created") is True,
        areas=areas,
        questions=questions,
    )


def _check_areas(check: _Checker, document: dict) -> list[PlannedArea]:
    planned, names = [], set()
    for i, data in enumerate(check.list(document.get("areas", []), "areas")):
        where = f"areas[{i}]"
        data = check.object(data, where)
        ref = check.ref(data, where)
        area = check.model(Area, data, AREA_FIELDS, where)
        # `default` is not editable, so the model's validation leaves its choices unchecked.
        if area.default and area.default not in DefaultArea.values:
            raise check.fail(
                f"{where}.default",
                _("no default life area has the key “%(key)s”.") % {"key": area.default},
            )
        if not area.name and not area.default:
            raise check.fail(f"{where}.name", _("an area needs a name."))
        # Matched on import by these, so two alike could not both be kept.
        for name in (f"default:{area.default}" if area.default else "", area.name.casefold()):
            if name and name in names:
                raise check.fail(where, _("this life area appears twice in the archive."))
            names.add(name)
        check.areas.add(ref)
        planned.append(PlannedArea(ref, area))
    return planned


def _check_questions(check: _Checker, document: dict) -> list[PlannedQuestion]:
    planned, seen = [], set()
    for i, data in enumerate(check.list(document.get("own_questions", []), "own_questions")):
        where = f"own_questions[{i}]"
        data = check.object(data, where)
        ref = check.ref(data, where)
        question = check.model(OwnQuestion, data, OWN_QUESTION_FIELDS, where)
        if (question.question_set, question.text) in seen:
            raise check.fail(where, _("this question appears twice in the archive."))
        seen.add((question.question_set, question.text))
        stamp = check.model(OwnQuestion, data, ("created_at",), where).created_at
        check.questions[ref] = question
        planned.append(PlannedQuestion(ref, question, stamp))
    return planned


def _check_answers(check: _Checker, data: dict, path: str, planned: PlannedYear) -> None:
    seen = set()
    for i, answer in enumerate(check.list(data.get("answers", []), f"{path}.answers")):
        where = f"{path}.answers[{i}]"
        answer = check.object(answer, where)
        if answer.get("place") not in Place.values:
            raise check.fail(
                f"{where}.place",
                _("no such place on a post; expected one of %(places)s.")
                % {"places": ", ".join(Place.values)},
            )
        instance = check.model(Answer, answer, ANSWER_FIELDS, where)
        question_set = question_set_of(instance.place)
        own = answer.get("own_question")
        if own is not None:
            if own not in check.questions:
                raise check.fail(
                    f"{where}.own_question", _("names no own question of the archive.")
                )
            if instance.question_key:
                raise check.fail(where, _("an answer answers one question, not two."))
            asked_in = check.questions[own].question_set
        elif instance.question_key in BUILT_IN_BY_KEY:
            asked_in = BUILT_IN_BY_KEY[instance.question_key].question_set
        else:
            raise check.fail(
                f"{where}.question_key",
                _("no built-in question has the key “%(key)s”.") % {"key": instance.question_key},
            )
        if asked_in != question_set:
            raise check.fail(where, _("this question is not asked at this place."))
        question = (instance.place, instance.question_key, own)
        if question in seen:
            raise check.fail(where, _("this question is answered twice at this place."))
        seen.add(question)
        stamps = check.model(Answer, answer, ("created_at", "updated_at"), where)
        planned.answers.append(PlannedAnswer(instance, own, stamps.created_at, stamps.updated_at))


def _check_goals(check: _Checker, data: dict, path: str, planned: PlannedYear) -> None:
    for i, goal in enumerate(check.list(data.get("goals", []), f"{path}.goals")):
        where = f"{path}.goals[{i}]"
        goal = check.object(goal, where)
        key = check.key(goal, where)
        instance = check.model(Goal, goal, GOAL_FIELDS, where)
        carried = check.key(goal, where, "carried_from") if goal.get("carried_from") else None
        updates = []
        for j, update in enumerate(check.list(goal.get("updates", []), f"{where}.updates")):
            at = f"{where}.updates[{j}]"
            update = check.object(update, at)
            update_key = check.key(update, at)
            values = check.model(GoalUpdate, update, UPDATE_FIELDS, at)
            stamp = check.model(GoalUpdate, update, ("created_at",), at).created_at
            updates.append((update_key, values, stamp))
        area = check.area(goal, where)
        planned.goals.append(PlannedGoal(key, instance, carried, updates, area))


def _check_periods(check: _Checker, data: dict, path: str, planned: PlannedYear) -> None:
    for i, period in enumerate(check.list(data.get("periods", []), f"{path}.periods")):
        where = f"{path}.periods[{i}]"
        period = check.object(period, where)
        index = period.get("index")
        if index not in PERIOD_MONTHS or isinstance(index, bool) or index in planned.entries:
            raise check.fail(f"{where}.index", _("expected 1, 2 or 3, once each."))
        text = check.model(Period, period, ("retrospective",), where)
        planned.retrospectives[index] = text.retrospective
        planned.entries[index] = []
        for j, entry in enumerate(check.list(period.get("entries", []), f"{where}.entries")):
            at = f"{where}.entries[{j}]"
            entry = check.object(entry, at)
            key = check.key(entry, at)
            instance = check.model(Entry, entry, ENTRY_FIELDS, at)
            stamps = check.model(Entry, entry, ("created_at", "updated_at"), at)
            photos = []
            listed = check.list(entry.get("photos", []), f"{at}.photos")
            if len(listed) > settings.PHOTO_MAX_PER_ENTRY:
                raise check.fail(
                    f"{at}.photos",
                    _("more than %(limit)s photos in one entry.")
                    % {"limit": settings.PHOTO_MAX_PER_ENTRY},
                )
            for k, photo in enumerate(listed):
                spot = f"{at}.photos[{k}]"
                photo = check.object(photo, spot)
                photo_key = check.key(photo, spot)
                member = check.file(photo, f"{spot}.file", "photos/")
                values = check.model(Photo, photo, PHOTO_FIELDS, spot)
                photos.append(
                    PlannedPhoto(photo_key, values, member, photo.get("original") is True)
                )
            planned.entries[index].append(
                PlannedEntry(
                    key,
                    instance,
                    stamps.created_at,
                    stamps.updated_at,
                    photos,
                    check.area(entry, at),
                )
            )


def _check_comments(check: _Checker, data: dict, path: str, planned: PlannedYear) -> None:
    parents: set[uuid.UUID] = set()
    thread_of: dict[uuid.UUID, uuid.UUID] = {}  # each comment's thread, by the first's key
    for i, comment in enumerate(check.list(data.get("comments", []), f"{path}.comments")):
        where = f"{path}.comments[{i}]"
        comment = check.object(comment, where)
        key = check.key(comment, where)
        instance = check.model(Comment, comment, COMMENT_FIELDS, where)
        if comment.get("removed") is True and instance.removed_at is None:
            instance.removed_at = timezone.now()
        elif comment.get("removed") is False:
            instance.removed_at = None
        stamp = check.model(Comment, comment, ("created_at",), where).created_at
        author = check.object(comment.get("author"), f"{where}.author")
        names = []
        for name in ("username", "display_name"):
            value = author.get(name, "")
            if not isinstance(value, str) or len(value) > 150:
                raise check.fail(
                    f"{where}.author.{name}", _("expected a name of at most 150 characters.")
                )
            names.append(value)
        if not any(names):
            raise check.fail(f"{where}.author", _("a comment needs its author's name."))
        parent = check.key(comment, where, "parent") if comment.get("parent") else None
        if parent is not None and parent not in parents:
            raise check.fail(f"{where}.parent", _("replies to no earlier comment on this post."))
        if parent is None:
            parents.add(key)
        thread_of[key] = parent or key
        # Older archives have no `reply_to`: their replies answer the thread's first comment.
        reply_to = check.key(comment, where, "reply_to") if comment.get("reply_to") else None
        if reply_to is not None and (parent is None or thread_of.get(reply_to) != parent):
            raise check.fail(
                f"{where}.reply_to", _("answers no earlier comment of the same thread.")
            )
        planned.comments.append(
            PlannedComment(key, instance, names[0], names[1], parent, stamp, reply_to)
        )
