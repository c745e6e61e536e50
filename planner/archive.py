"""Everything a person has, as one .zip, and back: the settings page and the commands share it.

An archive holds `yearloop.json` (the data, versioned by `schema_version`), the photos
under `photos/` and each year as Markdown under `years/`. Every object carries a stable
id (its `key`), so importing the same archive again updates what the first import made
instead of adding copies. Untrusted archives are checked before anything is written:
member names, sizes, compression ratio, the JSON against the models' own validation, and
every photo through the photo pipeline. The import is one transaction, and files stored
before a failure are deleted again.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import re
import stat
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Prefetch
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .exports import year_markdown
from .files import delete_file_on_commit
from .models import (
    MAX_YEAR,
    MIN_YEAR,
    PERIOD_MONTHS,
    Comment,
    Entry,
    Goal,
    GoalUpdate,
    Period,
    Photo,
    Year,
)
from .photos import check_and_process, process_avatar, process_photo

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
DOCUMENT_NAME = "yearloop.json"
DOCUMENT_MAX_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 20_000
# A photo or a JSON document packs down to a half at most; a thousand to one is a bomb.
MAX_RATIO = 100
RATIO_CHECKED_ABOVE = 1024 * 1024
USER_FIELDS = ("display_name", "bio", "email_on_comments", "email_reminders")
USER_FIELDS += ("keep_original_photos",)
YEAR_FIELDS = ("title", "intro", "summary", "visibility", "published_at", "comments_closed")
GOAL_FIELDS = (
    "title",
    "done",
    "done_at",
    "note",
    "target",
    "progress",
    "unit",
    "deadline",
    "progress_kind",
    "start_value",
    "direction",
    "is_private",
    "attempt",
    "order",
    "deleted_at",
)
UPDATE_FIELDS = ("recorded_on", "value", "remark")
ENTRY_FIELDS = ("title", "body", "is_private", "order", "deleted_at")
PHOTO_FIELDS = ("caption", "order", "taken_at")
COMMENT_FIELDS = ("body", "edited_at", "removed_at")


class ArchiveError(Exception):
    """An archive refused, with the reason in words for the person who sent it."""


# Export ------------------------------------------------------------------------------------


def photo_member(photo: Photo) -> str:
    """Where a photo's file lives in an archive: its original if kept, else its JPEG."""
    stored = photo.original.name or photo.image.name
    extension = stored.rsplit(".", 1)[-1].lower() if "." in stored else "jpg"
    return f"photos/{photo.key}.{extension}"


def _stamp(value) -> Any:
    if isinstance(value, datetime.datetime):
        # JSON keeps milliseconds; cut here so that 12.000123 and a re-imported 12.000 are
        # written alike ("…:12Z"), not once with ".000" and once without.
        value = value.replace(microsecond=value.microsecond // 1000 * 1000)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _values(obj: models.Model, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _stamp(getattr(obj, name)) for name in names}


@dataclass
class ArchiveContent:
    document: dict
    markdown: dict[str, str]  # member name -> text
    files: dict[str, str]  # member name -> storage name


def archive_content(user: User) -> ArchiveContent:
    """What goes into a person's archive: six queries for the data, a few per year for Markdown."""
    years = (
        Year.objects.filter(owner=user)
        .annotate(live_likes=Count("likes"))
        .order_by("year")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.all_objects.prefetch_related("updates")),
            Prefetch(
                "periods",
                queryset=Period.objects.prefetch_related(
                    Prefetch("entries", queryset=Entry.all_objects.prefetch_related("photos"))
                ),
            ),
            Prefetch("comments", queryset=Comment.objects.select_related("author", "parent")),
        )
    )
    files: dict[str, str] = {}
    own_goals = dict(Goal.all_objects.filter(year__owner=user).values_list("pk", "key"))
    document_years = []
    for year in years:
        document_years.append(_year_document(year, own_goals, files))
    profile = _values(user, ("username", "email", *USER_FIELDS))
    profile["avatar"] = None
    if user.avatar and default_storage.exists(user.avatar.name):
        profile["avatar"] = "avatar.jpg"
        files["avatar.jpg"] = user.avatar.name
    document = {
        "schema_version": SCHEMA_VERSION,
        "exported_at": _stamp(timezone.now()),
        "site": settings.SITE_URL,
        "user": profile,
        "years": document_years,
    }
    # The Markdown shows what the page shows its owner: not what was deleted.
    markdown = {
        f"years/{year.year}.md": year_markdown(year, user, photo_member)
        for year in Year.objects.filter(owner=user).select_related("owner").order_by("year")
    }
    return ArchiveContent(document, markdown, files)


def _year_document(year: Year, own_goals: dict[int, uuid.UUID], files: dict[str, str]) -> dict:
    goals = []
    for goal in year.goals.all():
        goals.append(
            {
                "id": str(goal.key),
                **_values(goal, GOAL_FIELDS),
                "carried_from": _stamp(own_goals.get(goal.carried_from_id)),
                "updates": [
                    {"id": str(update.key), **_values(update, (*UPDATE_FIELDS, "created_at"))}
                    for update in goal.updates.all()
                ],
            }
        )
    periods = []
    for period in year.periods.all():
        entries = []
        for entry in period.entries.all():
            photos = []
            for photo in entry.photos.all():
                stored = photo.original.name or photo.image.name
                if not default_storage.exists(stored):
                    logger.warning(
                        "Photo %s has no file %r; left out of the archive", photo.pk, stored
                    )
                    continue
                files[photo_member(photo)] = stored
                photos.append(
                    {
                        "id": str(photo.key),
                        **_values(photo, (*PHOTO_FIELDS, "width", "height")),
                        "file": photo_member(photo),
                        "original": bool(photo.original),
                    }
                )
            entries.append(
                {
                    "id": str(entry.key),
                    **_values(entry, (*ENTRY_FIELDS, "created_at", "updated_at")),
                    "photos": photos,
                }
            )
        periods.append(
            {"index": period.index, "retrospective": period.retrospective, "entries": entries}
        )
    comments = [
        {
            "id": str(comment.key),
            "author": {
                "username": comment.author.username
                if comment.author
                else comment.imported_author_username,
                "display_name": comment.author.display_name
                if comment.author
                else comment.imported_author_name,
            },
            **_values(comment, (*COMMENT_FIELDS, "created_at")),
            "removed": comment.is_removed,
            "parent": str(comment.parent.key) if comment.parent else None,
        }
        for comment in year.comments.all()
    ]
    return {
        "id": str(year.key),
        "year": year.year,
        **_values(year, (*YEAR_FIELDS, "created_at", "updated_at")),
        "likes": year.live_likes + year.imported_likes,
        "markdown": f"years/{year.year}.md",
        "goals": goals,
        "periods": periods,
        "comments": comments,
    }


class _Sink(io.RawIOBase):
    """A write-only stream whose bytes are taken away as they come (zipfile needs no seek)."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def archive_chunks(user: User) -> Iterator[bytes]:
    """The archive as it is written, in pieces: photos are read from storage one at a time.

    The data is read from the database at once, before the first byte is sent.
    """
    return _zip_chunks(archive_content(user))


def _zip_chunks(content: ArchiveContent) -> Iterator[bytes]:
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DOCUMENT_NAME, document_bytes(content.document))
        for name, text in content.markdown.items():
            archive.writestr(name, text.encode())
        yield sink.take()
        for name, stored in content.files.items():
            # Photos are compressed already: stored as they are.
            info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
            with default_storage.open(stored) as source, archive.open(info, "w") as target:
                while block := source.read(1024 * 1024):
                    target.write(block)
                    yield sink.take()
    yield sink.take()


def document_bytes(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def archive_filename(user: User) -> str:
    return f"yearloop-{user.username}-{timezone.localdate():%Y-%m-%d}.zip"


# Reading an archive ------------------------------------------------------------------------


_DRIVE = re.compile(r"^[A-Za-z]:")


def _safe_name(name: str) -> bool:
    if not name or name.startswith("/") or "\\" in name or "\x00" in name or _DRIVE.match(name):
        return False
    parts = name.rstrip("/").split("/")
    return all(part not in ("", ".", "..") for part in parts)


def check_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The archive's files by name, once every name and size is found harmless."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ArchiveError(
            _(
                "The archive holds %(count)s files; "
                "an archive from Yearloop holds at most %(limit)s."
            )
            % {"count": len(infos), "limit": MAX_MEMBERS}
        )
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        if not _safe_name(name):
            raise ArchiveError(
                _("The archive holds a file named “%(name)s”, which points outside the archive.")
                % {"name": name}
            )
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ArchiveError(
                _("The archive holds a link, “%(name)s”; links are not accepted.") % {"name": name}
            )
        if info.flag_bits & 0x1:
            raise ArchiveError(_("The archive is encrypted; export it again without a password."))
        if info.is_dir():
            continue
        if name in members:
            raise ArchiveError(_("The archive holds “%(name)s” twice.") % {"name": name})
        total += info.file_size
        packed = max(info.compress_size, 1)
        if total > settings.ARCHIVE_MAX_BYTES or (
            info.file_size > RATIO_CHECKED_ABOVE and info.file_size > packed * MAX_RATIO
        ):
            raise ArchiveError(
                _(
                    "The archive unpacks to more than it can hold (%(limit)s at most); "
                    "it was not opened."
                )
                % {"limit": filesizeformat(settings.ARCHIVE_MAX_BYTES)}
            )
        members[name] = info
    return members


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise ArchiveError(
            _("“%(name)s” in the archive is %(size)s; the limit is %(limit)s.")
            % {
                "name": info.filename,
                "size": filesizeformat(info.file_size),
                "limit": filesizeformat(limit),
            }
        )
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError) as error:
        logger.info("Could not read %r from an archive: %r", info.filename, error)
        raise ArchiveError(
            _("“%(name)s” in the archive is damaged and could not be read.")
            % {"name": info.filename}
        ) from None
    if len(data) > limit:  # the header said less than the data holds
        raise ArchiveError(
            _("“%(name)s” in the archive is damaged and could not be read.")
            % {"name": info.filename}
        )
    return data


def read_document(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> dict:
    if DOCUMENT_NAME not in members:
        raise ArchiveError(
            _("The archive has no %(name)s: it is not an archive exported from Yearloop.")
            % {"name": DOCUMENT_NAME}
        )
    data = read_member(archive, members[DOCUMENT_NAME], DOCUMENT_MAX_BYTES)
    try:
        document = json.loads(data.decode())
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ArchiveError(
            _("%(name)s in the archive is not valid JSON.") % {"name": DOCUMENT_NAME}
        ) from None
    if not isinstance(document, dict):
        raise ArchiveError(
            _("%(name)s in the archive is not a Yearloop document.") % {"name": DOCUMENT_NAME}
        )
    version = document.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ArchiveError(
            _("%(name)s in the archive has no valid schema_version: it is not a Yearloop document.")
            % {"name": DOCUMENT_NAME}
        )
    if version > SCHEMA_VERSION:
        raise ArchiveError(
            _(
                "This archive was made by a newer version of Yearloop (schema version %(found)s; "
                "this site reads up to %(known)s). Update this site, then import it again."
            )
            % {"found": version, "known": SCHEMA_VERSION}
        )
    return document


# Checking the document ----------------------------------------------------------------------


class _Checker:
    """Walks the document, checking each object with its model's own validation."""

    def __init__(self, members: dict[str, zipfile.ZipInfo]) -> None:
        self.members = members
        self.keys: set[uuid.UUID] = set()

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


@dataclass
class PlannedGoal:
    key: uuid.UUID
    instance: Goal
    carried_from: uuid.UUID | None
    updates: list[tuple[uuid.UUID, GoalUpdate, Any]]


@dataclass
class PlannedComment:
    key: uuid.UUID
    instance: Comment
    author_username: str
    author_name: str
    parent: uuid.UUID | None
    created_at: Any


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


@dataclass
class Plan:
    username: str
    email: str
    profile: User
    avatar: str | None
    years: list[PlannedYear]


def check_document(document: dict, members: dict[str, zipfile.ZipInfo]) -> Plan:
    """Every object of the document, validated; raises ArchiveError at the first problem."""
    check = _Checker(members)
    user = check.object(document.get("user"), "user")
    profile = check.model(User, user, USER_FIELDS, "user")
    username = user.get("username") if isinstance(user.get("username"), str) else ""
    email = user.get("email") if isinstance(user.get("email"), str) else ""
    avatar = check.file(user, "user.avatar", "avatar") if user.get("avatar") is not None else None
    years = []
    seen_years = set()
    for i, data in enumerate(check.list(document.get("years"), "years")):
        path = f"years[{i}]"
        data = check.object(data, path)
        key = check.key(data, path)
        year = check.model(Year, data, ("year", *YEAR_FIELDS), path)
        if year.year in seen_years:
            raise check.fail(
                f"{path}.year", _("the year %(year)s appears twice.") % {"year": year.year}
            )
        seen_years.add(year.year)
        stamps = check.model(Year, data, ("created_at", "updated_at"), path)
        likes = data.get("likes", 0)
        if not isinstance(likes, int) or isinstance(likes, bool) or likes < 0:
            raise check.fail(f"{path}.likes", _("expected a number of likes."))
        planned = PlannedYear(key, year, likes, stamps.created_at, stamps.updated_at)
        _check_goals(check, data, path, planned)
        _check_periods(check, data, path, planned)
        _check_comments(check, data, path, planned)
        years.append(planned)
    goal_keys = {goal.key for year in years for goal in year.goals}
    for year in years:
        for goal in year.goals:
            if goal.carried_from is not None and goal.carried_from not in goal_keys:
                raise check.fail(
                    f"goal {goal.key}", _("carried over from a goal not in the archive.")
                )
    return Plan(username, email, profile, avatar, years)


def _check_goals(check: _Checker, data: dict, path: str, year: PlannedYear) -> None:
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
        year.goals.append(PlannedGoal(key, instance, carried, updates))


def _check_periods(check: _Checker, data: dict, path: str, year: PlannedYear) -> None:
    for i, period in enumerate(check.list(data.get("periods", []), f"{path}.periods")):
        where = f"{path}.periods[{i}]"
        period = check.object(period, where)
        index = period.get("index")
        if index not in PERIOD_MONTHS or isinstance(index, bool) or index in year.entries:
            raise check.fail(f"{where}.index", _("expected 1, 2 or 3, once each."))
        text = check.model(Period, period, ("retrospective",), where)
        year.retrospectives[index] = text.retrospective
        year.entries[index] = []
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
            year.entries[index].append(
                PlannedEntry(key, instance, stamps.created_at, stamps.updated_at, photos)
            )


def _check_comments(check: _Checker, data: dict, path: str, year: PlannedYear) -> None:
    parents: set[uuid.UUID] = set()
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
        year.comments.append(PlannedComment(key, instance, names[0], names[1], parent, stamp))


# Writing -----------------------------------------------------------------------------------


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
    if getattr(source, "size", 0) > settings.ARCHIVE_MAX_BYTES:
        raise ArchiveError(
            _("The archive is larger than %(limit)s.")
            % {"limit": filesizeformat(settings.ARCHIVE_MAX_BYTES)}
        )
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ArchiveError(_("This file is not a .zip archive, or it is damaged.")) from None
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
            _delete(stored)
            return report
        except IntegrityError as error:
            _delete(stored)
            logger.info("An archive broke a constraint: %r", error)
            raise ArchiveError(
                _("The archive's data does not fit together; it was not imported.")
            ) from None
        except BaseException:
            _delete(stored)
            raise
    return report


def _delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


class _Writer:
    def __init__(self, user, plan: Plan, archive, members, stored: list[str]) -> None:
        self.user, self.plan, self.archive, self.members = user, plan, archive, members
        self.stored = stored
        self.report = ImportReport()

    def write(self) -> ImportReport:
        self.write_profile()
        planned = self.plan.years
        goals = [goal for year in planned for goal in year.goals]
        entries = [
            entry for year in planned for entries in year.entries.values() for entry in entries
        ]
        self.keys = {
            "year": _Keys(Year, "owner", self.user, [year.key for year in planned]),
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
                [comment.key for year in planned for comment in year.comments],
            ),
        }
        self.goals: dict[uuid.UUID, Goal] = {}
        for year in planned:
            self.write_year(year)
        for year in planned:
            for goal in year.goals:
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
        for name in USER_FIELDS:
            setattr(self.user, name, getattr(self.plan.profile, name))
        if self.plan.avatar:
            upload = self.upload(self.plan.avatar, settings.AVATAR_MAX_BYTES)
            avatar = check_and_process(upload, settings.AVATAR_MAX_BYTES, process_avatar)
            delete_file_on_commit(self.user.avatar)
            self.user.avatar.save(avatar.name, avatar, save=False)
            self.stored.append(self.user.avatar.name)
        self.user.save()

    def upload(self, member: str, limit: int) -> SimpleUploadedFile:
        data = read_member(self.archive, self.members[member], limit)
        return SimpleUploadedFile(member.rsplit("/", 1)[-1], data)

    def existing(self, kind: str, model, key: uuid.UUID):
        key, found = self.keys[kind].resolve(key)
        obj = model._base_manager.get(key=key) if found else model(key=key)
        self.report.count(str(model._meta.verbose_name_plural), not found)
        return obj

    def write_year(self, planned: PlannedYear) -> None:
        year = Year.objects.filter(owner=self.user, year=planned.instance.year).first()
        if year is None:
            key, _found = self.keys["year"].resolve(planned.key)
            year = Year(owner=self.user, year=planned.instance.year, key=key)
        self.report.count("years", year._state.adding)
        for name in YEAR_FIELDS:
            setattr(year, name, getattr(planned.instance, name))
        year.save()
        live_likes = year.likes.count()
        year.imported_likes = max(0, planned.likes - live_likes)
        year.save(update_fields=["imported_likes"])
        for goal in planned.goals:
            self.write_goal(year, goal)
        periods = {period.index: period for period in year.periods.all()}
        for index, text in planned.retrospectives.items():
            periods[index].retrospective = text
            periods[index].save(update_fields=["retrospective"])
            for entry in planned.entries[index]:
                self.write_entry(periods[index], entry)
        self.write_comments(year, planned)
        Year.objects.filter(pk=year.pk).update(
            created_at=planned.created_at or year.created_at,
            updated_at=planned.updated_at or year.updated_at,
        )

    def write_goal(self, year: Year, planned: PlannedGoal) -> None:
        goal = self.existing("goal", Goal, planned.key)
        for name in GOAL_FIELDS:
            setattr(goal, name, getattr(planned.instance, name))
        goal.year = year
        goal.save()
        self.goals[planned.key] = goal
        for key, values, stamp in planned.updates:
            update = self.existing("update", GoalUpdate, key)
            for name in UPDATE_FIELDS:
                setattr(update, name, getattr(values, name))
            update.goal = goal
            update.save()
            if stamp:
                GoalUpdate.objects.filter(pk=update.pk).update(created_at=stamp)

    def write_entry(self, period: Period, planned: PlannedEntry) -> None:
        entry = self.existing("entry", Entry, planned.key)
        for name in ENTRY_FIELDS:
            setattr(entry, name, getattr(planned.instance, name))
        entry.period = period
        entry.save()
        for photo in planned.photos:
            self.write_photo(entry, photo)
        Entry.all_objects.filter(pk=entry.pk).update(
            created_at=planned.created_at or entry.created_at,
            updated_at=planned.updated_at or entry.updated_at,
        )

    def write_photo(self, entry: Entry, planned: PlannedPhoto) -> None:
        key, found = self.keys["photo"].resolve(planned.key)
        self.report.count("photos", not found)
        if found:
            photo = Photo.objects.get(key=key)
            photo.entry = entry
        else:
            upload = self.upload(planned.member, settings.PHOTO_MAX_BYTES)
            try:
                upload.processed = check_and_process(
                    upload, settings.PHOTO_MAX_BYTES, process_photo
                )
            except ValidationError as error:
                raise ArchiveError(" ".join(error.messages)) from None
            photo = Photo.objects.create_from_upload(
                entry, upload, keep_original=planned.original, key=key
            )
            self.stored.extend(photo.stored_names())
        for name in PHOTO_FIELDS:
            setattr(photo, name, getattr(planned.instance, name))
        photo.save()

    def write_comments(self, year: Year, planned: PlannedYear) -> None:
        comments: dict[uuid.UUID, Comment] = {}
        for item in planned.comments:
            key, found = self.keys["comment"].resolve(item.key)
            self.report.count("comments", not found)
            if found:
                # Readers' words already on this site stay as they are there.
                comments[item.key] = Comment.objects.get(key=key)
                continue
            comment = Comment(key=key, year=year, parent=comments.get(item.parent))
            for name in COMMENT_FIELDS:
                setattr(comment, name, getattr(item.instance, name))
            if item.author_username and item.author_username == self.plan.username:
                comment.author = self.user  # the archive's owner, now this account
            else:
                comment.imported_author_username = item.author_username
                comment.imported_author_name = item.author_name
            comment.save()
            Comment.objects.filter(pk=comment.pk).update(
                created_at=item.created_at or comment.created_at
            )
            comments[item.key] = comment


# Comparing ----------------------------------------------------------------------------------


def read_archive_for_comparison(path) -> tuple[dict, dict[str, str]]:
    """An archive's document and Markdown files, without what must differ between exports."""
    with zipfile.ZipFile(path) as archive:
        document = json.loads(archive.read(DOCUMENT_NAME))
        markdown = {
            name: archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("years/")
        }
    document.pop("exported_at", None)
    return document, markdown


def differences(first: Any, second: Any, path: str = "") -> list[str]:
    """Where two JSON values differ, as readable paths."""
    if isinstance(first, dict) and isinstance(second, dict):
        found = []
        for name in sorted(set(first) | set(second), key=str):
            where = f"{path}.{name}" if path else str(name)
            if name not in first or name not in second:
                found.append(f"{where}: only in the {'second' if name not in first else 'first'}")
            else:
                found += differences(first[name], second[name], where)
        return found
    if isinstance(first, list) and isinstance(second, list):
        found = (
            [f"{path}: {len(first)} items, then {len(second)}"] if len(first) != len(second) else []
        )
        for i, (a, b) in enumerate(zip(first, second, strict=False)):
            found += differences(a, b, f"{path}[{i}]")
        return found
    return [] if first == second else [f"{path}: {first!r} → {second!r}"]


def write_archive(user: User, target: Callable[[bytes], Any]) -> None:
    for chunk in archive_chunks(user):
        target(chunk)
