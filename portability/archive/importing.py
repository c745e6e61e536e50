"""A checked archive written into an account: per-account ids, one transaction, no files left."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import User
from planner.images import process_avatar, process_photo
from planner.models import (
    Answer,
    Area,
    Comment,
    Entry,
    Goal,
    GoalUpdate,
    OwnQuestion,
    Period,
    Photo,
    Year,
)
from yearloop.storage import delete_file_on_commit, delete_files

from . import schema
from .document import (
    Plan,
    PlannedAnswer,
    PlannedEntry,
    PlannedGoal,
    PlannedPhoto,
    PlannedYear,
    check_document,
)
from .reading import check_members, checked_picture, open_zip, read_document
from .schema import ArchiveError

logger = logging.getLogger(__name__)


class _Keys:
    """Stable ids mapped to this account, so an archive never reaches another account's rows.

    An id already used by another account on this site (its archive imported into a second
    account) is replaced by one derived from it and this account, the same on every import.
    """

    def __init__(self, model: type[models.Model], owner_path: str, user: User, keys) -> None:
        self.user = user
        wanted = {*keys, *(self.derived(key) for key in keys)}
        rows = model._base_manager.filter(key__in=wanted).values_list("key", owner_path)
        self.owners = dict(rows)

    def derived(self, key: uuid.UUID) -> uuid.UUID:
        return uuid.uuid5(key, f"account:{self.user.pk}")

    def resolve(self, key: uuid.UUID) -> tuple[uuid.UUID, bool]:
        """The id to use here, and whether this account already has it."""
        for candidate in (key, self.derived(key)):
            if self.owners.get(candidate) == self.user.pk:
                return candidate, True
        for candidate in (key, self.derived(key)):
            if candidate not in self.owners:
                return candidate, False
        raise ArchiveError(
            _("The archive's ids clash with another account's; it was not imported.")
        )


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        counts = self.created if created else self.updated
        counts[kind] = counts.get(kind, 0) + 1

    def total(self, *, created: bool) -> int:
        return sum((self.created if created else self.updated).values())

    def summary(self) -> str:
        def part(counts: dict[str, int]) -> str:
            return ", ".join(f"{kind}: {count}" for kind, count in counts.items()) or "nothing"

        return f"created {part(self.created)}; updated {part(self.updated)}"


class _DryRun(Exception):
    pass


def import_archive(user: User, source, *, dry_run: bool = False) -> ImportReport:
    """Restore an archive into `user`'s account (saved here if new), all of it or nothing."""
    archive = open_zip(source)
    stored: list[str] = []
    with archive:
        members = check_members(archive)
        plan = check_document(read_document(archive, members), members)
        try:
            with transaction.atomic():
                report = _Writer(user, plan, archive, members, stored).write()
                if dry_run:
                    raise _DryRun
        except _DryRun:
            delete_files(default_storage, stored)
            return report
        except IntegrityError as error:
            delete_files(default_storage, stored)
            logger.info("An archive broke a constraint: %r", error)
            raise ArchiveError(
                _("The archive's data does not fit together; it was not imported.")
            ) from None
        except BaseException:
            delete_files(default_storage, stored)
            raise
    return report


def _copy(source: models.Model, target: models.Model, names: tuple[str, ...]) -> None:
    for name in names:
        setattr(target, name, getattr(source, name))


def _restore_times(obj: models.Model, created=None, updated=None) -> None:
    """Set the dates the archive gave (saving sets creation and change dates to now)."""
    times = {"created_at": created}
    if hasattr(obj, "updated_at"):
        times["updated_at"] = updated
    times = {name: value for name, value in times.items() if value is not None}
    if times:
        type(obj)._base_manager.filter(pk=obj.pk).update(**times)


class _Writer:
    def __init__(self, user, plan: Plan, archive, members, stored: list[str]) -> None:
        self.user, self.plan, self.archive, self.members = user, plan, archive, members
        self.stored = stored
        self.report = ImportReport()

    def write(self) -> ImportReport:
        self.write_profile()
        planned = self.plan.years
        goals = [goal for post in planned for goal in post.goals]
        entries = [
            entry for post in planned for entries in post.entries.values() for entry in entries
        ]
        self.keys = {
            "year": _Keys(Year, "owner", self.user, [post.key for post in planned]),
            "goal": _Keys(Goal, "year__owner", self.user, [goal.key for goal in goals]),
            "update": _Keys(
                GoalUpdate,
                "goal__year__owner",
                self.user,
                [key for goal in goals for key, _values, _stamp in goal.updates],
            ),
            "entry": _Keys(
                Entry, "period__year__owner", self.user, [entry.key for entry in entries]
            ),
            "photo": _Keys(
                Photo,
                "entry__period__year__owner",
                self.user,
                [photo.key for entry in entries for photo in entry.photos],
            ),
            "comment": _Keys(
                Comment,
                "year__owner",
                self.user,
                [comment.key for post in planned for comment in post.comments],
            ),
        }
        self.goals: dict[uuid.UUID, Goal] = {}
        self.areas = self.write_areas()
        self.questions = self.write_questions()
        for post in planned:
            self.write_year(post)
        for post in planned:
            for goal in post.goals:
                carried = self.goals.get(goal.carried_from) if goal.carried_from else None
                Goal.all_objects.filter(key=self.goals[goal.key].key).update(carried_from=carried)
        return self.report

    def write_profile(self) -> None:
        if self.user._state.adding:
            email = self.plan.email
            try:
                validate_email(email)
            except ValidationError:
                email = ""
            if User.objects.filter(email__iexact=email).exists():
                email = ""
            self.user.email = email
            self.user.save()
            self.report.count("accounts", True)
        _copy(self.plan.profile, self.user, schema.USER_FIELDS)
        if self.plan.avatar:
            label = capfirst(_("the profile photo"))
            limit = settings.AVATAR_MAX_BYTES
            avatar = self.checked(self.plan.avatar, limit, process_avatar, label).processed
            delete_file_on_commit(self.user.avatar)
            self.user.avatar.save(avatar.name, avatar, save=False)
            self.stored.append(self.user.avatar.name)
        self.user.save()

    def write_areas(self) -> dict[str, Area]:
        """The archive's areas merged into the account's, by reference.

        An area started from a default is the account's area from the same default; another
        is the account's area of the same name (case aside). Matched areas keep this account's
        name and place; the others are added after them. See docs/decisions/archive-format.md.
        """
        if not self.plan.carries_areas:
            return {}
        mine = list(Area.objects.filter(owner=self.user).order_by("order", "id"))
        by_default: dict[str, Area] = {}
        by_name: dict[str, Area] = {}
        for area in mine:
            if area.default:
                by_default.setdefault(area.default, area)
            if area.name:
                by_name.setdefault(area.name.casefold(), area)
        after = max((area.order for area in mine), default=0)
        found: dict[str, Area] = {}
        for item in self.plan.areas:
            wanted = item.instance
            area = by_default.get(wanted.default) if wanted.default else None
            area = area or (by_name.get(wanted.name.casefold()) if wanted.name else None)
            self.report.count("life areas", area is None)
            if area is None:
                area = Area(owner=self.user)
                _copy(wanted, area, schema.AREA_FIELDS)
                area.order = after + wanted.order
                area.save()
            found[item.ref] = area
        if self.plan.areas or self.plan.life_areas_created:
            # The archive's list is the person's: the defaults are not added to it later.
            User.objects.filter(pk=self.user.pk).update(life_areas_created=True)
            self.user.life_areas_created = True
        return found

    def write_questions(self) -> dict[str, OwnQuestion]:
        """The archive's own questions, each the account's question of that set and wording."""
        found: dict[str, OwnQuestion] = {}
        for item in self.plan.questions:
            question, created = OwnQuestion.objects.get_or_create(
                owner=self.user,
                question_set=item.instance.question_set,
                text=item.instance.text,
            )
            self.report.count("own questions", created)
            if created:
                _restore_times(question, item.created_at)
            found[item.ref] = question
        return found

    def area_of(self, ref: str | None) -> Area | None:
        return self.areas[ref] if ref else None

    def checked(self, member: str, limit: int, processor, label: str) -> SimpleUploadedFile:
        """A photo of the archive read and judged by the photo pipeline, as an upload.

        What the pipeline made of it is `upload.processed`; its refusal becomes the
        archive's, naming the photo by `label` (where it is in the person's years).
        """
        return checked_picture(self.archive, self.members[member], limit, processor, label)

    def existing(self, kind: str, model, key: uuid.UUID):
        key, found = self.keys[kind].resolve(key)
        obj = model._base_manager.get(key=key) if found else model(key=key)
        self.report.count(str(model._meta.verbose_name_plural), not found)
        return obj

    def write_year(self, planned: PlannedYear) -> None:
        post = Year.objects.filter(owner=self.user, year=planned.instance.year).first()
        if post is None:
            key, _found = self.keys["year"].resolve(planned.key)
            post = Year(owner=self.user, year=planned.instance.year, key=key)
        self.report.count("years", post._state.adding)
        _copy(planned.instance, post, schema.YEAR_FIELDS)
        post.save()
        live_likes = post.likes.count()
        post.imported_likes = max(0, planned.likes - live_likes)
        post.save(update_fields=["imported_likes"])
        for goal in planned.goals:
            self.write_goal(post, goal)
        periods = {period.index: period for period in post.periods.all()}
        for index, text in planned.retrospectives.items():
            periods[index].retrospective = text
            periods[index].save(update_fields=["retrospective"])
            for entry in planned.entries[index]:
                self.write_entry(periods[index], entry)
        self.write_comments(post, planned)
        for answer in planned.answers:
            self.write_answer(post, answer)
        _restore_times(post, planned.created_at, planned.updated_at)

    def write_goal(self, post: Year, planned: PlannedGoal) -> None:
        goal = self.existing("goal", Goal, planned.key)
        _copy(planned.instance, goal, schema.GOAL_FIELDS)
        if self.plan.carries_areas:  # an older archive leaves areas as they are here
            goal.area = self.area_of(planned.area)
        goal.year = post
        goal.save()
        self.goals[planned.key] = goal
        for key, values, stamp in planned.updates:
            update = self.existing("update", GoalUpdate, key)
            _copy(values, update, schema.UPDATE_FIELDS)
            update.goal = goal
            update.save()
            _restore_times(update, stamp)

    def write_entry(self, period: Period, planned: PlannedEntry) -> None:
        entry = self.existing("entry", Entry, planned.key)
        _copy(planned.instance, entry, schema.ENTRY_FIELDS)
        if self.plan.carries_areas:
            entry.area = self.area_of(planned.area)
        entry.period = period
        entry.save()
        for position, photo in enumerate(planned.photos, start=1):
            label = _("Photo %(position)s of entry “%(title)s” (%(year)s, %(period)s)") % {
                "position": position,
                "title": entry.title,
                "year": period.year.year,
                "period": period.label,
            }
            self.write_photo(entry, photo, label)
        _restore_times(entry, planned.created_at, planned.updated_at)

    def write_answer(self, post: Year, planned: PlannedAnswer) -> None:
        """The answer to the same question at the same place, else a new one."""
        wanted = planned.instance
        question = self.questions.get(planned.own_question) if planned.own_question else None
        answer = Answer.objects.filter(
            year=post, place=wanted.place, question_key=wanted.question_key, own_question=question
        ).first()
        self.report.count("answers", answer is None)
        answer = answer or Answer(year=post, own_question=question)
        _copy(wanted, answer, schema.ANSWER_FIELDS)
        answer.save()
        _restore_times(answer, planned.created_at, planned.updated_at)

    def write_photo(self, entry: Entry, planned: PlannedPhoto, label: str) -> None:
        key, found = self.keys["photo"].resolve(planned.key)
        self.report.count("photos", not found)
        if found:
            photo = Photo.objects.get(key=key)
            photo.entry = entry
        else:
            upload = self.checked(planned.member, settings.PHOTO_MAX_BYTES, process_photo, label)
            photo = Photo.objects.create_from_upload(
                entry, upload, keep_original=planned.original, key=key
            )
            self.stored.extend(photo.stored_names())
        _copy(planned.instance, photo, schema.PHOTO_FIELDS)
        photo.save()

    def write_comments(self, post: Year, planned: PlannedYear) -> None:
        comments: dict[uuid.UUID, Comment] = {}
        for item in planned.comments:
            key, found = self.keys["comment"].resolve(item.key)
            self.report.count("comments", not found)
            if found:
                # Readers' words already on this site stay as they are there.
                comments[item.key] = Comment.objects.get(key=key)
                continue
            comment = Comment(
                key=key,
                year=post,
                parent=comments.get(item.parent),
                reply_to=comments.get(item.reply_to),
            )
            _copy(item.instance, comment, schema.COMMENT_FIELDS)
            if item.author_username and item.author_username == self.plan.username:
                comment.author = self.user  # the archive's owner, now this account
            else:
                comment.imported_author_username = item.author_username
                comment.imported_author_name = item.author_name
            comment.save()
            _restore_times(comment, item.created_at)
            comments[item.key] = comment
