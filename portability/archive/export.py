"""Writing a person's archive: the JSON document, the Markdown, the photos, as a streamed .zip."""

from __future__ import annotations

import datetime
import io
import json
import logging
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Count, Prefetch
from django.utils import timezone

from accounts.models import User
from planner.models import (
    Answer,
    Area,
    Comment,
    Entry,
    Goal,
    OwnQuestion,
    Period,
    Photo,
    Year,
)

from ..markdown_export import year_markdown
from .schema import (
    ANSWER_FIELDS,
    AREA_FIELDS,
    COMMENT_FIELDS,
    DOCUMENT_NAME,
    ENTRY_FIELDS,
    GOAL_FIELDS,
    OWN_QUESTION_FIELDS,
    PHOTO_FIELDS,
    SCHEMA_VERSION,
    UPDATE_FIELDS,
    USER_FIELDS,
    YEAR_FIELDS,
)

logger = logging.getLogger(__name__)


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
class Refs:
    """The archive's own references to areas and own questions, by database id."""

    areas: dict[int, str]
    questions: dict[int, str]


@dataclass
class ArchiveContent:
    document: dict
    markdown: dict[str, str]  # member name -> text
    files: dict[str, str]  # member name -> storage name


def archive_content(user: User) -> ArchiveContent:
    """What goes into a person's archive: the data in a fixed number of queries, then Markdown."""
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
            Prefetch(
                "comments",
                queryset=Comment.objects.select_related("author", "parent", "reply_to"),
            ),
            Prefetch("answers", queryset=Answer.objects.order_by("place", "order", "id")),
        )
    )
    files: dict[str, str] = {}
    own_goals = dict(Goal.all_objects.filter(year__owner=user).values_list("pk", "key"))
    areas = list(Area.objects.filter(owner=user).order_by("order", "id"))
    questions = list(OwnQuestion.objects.filter(owner=user).order_by("created_at", "id"))
    refs = Refs(
        areas={area.pk: f"area-{n}" for n, area in enumerate(areas, start=1)},
        questions={question.pk: f"question-{n}" for n, question in enumerate(questions, start=1)},
    )
    document_years = []
    for post in years:
        document_years.append(_year_document(post, own_goals, refs, files))
    profile = _values(user, ("username", "email", *USER_FIELDS, "life_areas_created"))
    profile["avatar"] = None
    if user.avatar and default_storage.exists(user.avatar.name):
        profile["avatar"] = "avatar.jpg"
        files["avatar.jpg"] = user.avatar.name
    document = {
        "schema_version": SCHEMA_VERSION,
        "exported_at": _stamp(timezone.now()),
        "site": settings.SITE_URL,
        "user": profile,
        "areas": [{"ref": refs.areas[area.pk], **_values(area, AREA_FIELDS)} for area in areas],
        "own_questions": [
            {
                "ref": refs.questions[question.pk],
                **_values(question, (*OWN_QUESTION_FIELDS, "created_at")),
            }
            for question in questions
        ],
        "years": document_years,
    }
    # The Markdown shows what the page shows its owner, not what was deleted; its photo
    # links lead from years/ to photos/.
    markdown = {
        f"years/{post.year}.md": year_markdown(
            post, user, lambda photo: f"../{photo_member(photo)}", private=True
        )
        for post in Year.objects.filter(owner=user).select_related("owner").order_by("year")
    }
    return ArchiveContent(document, markdown, files)


def _year_document(
    post: Year, own_goals: dict[int, uuid.UUID], refs: Refs, files: dict[str, str]
) -> dict:
    goals = []
    for goal in post.goals.all():
        goals.append(
            {
                "id": str(goal.key),
                **_values(goal, GOAL_FIELDS),
                "area": refs.areas.get(goal.area_id),
                "carried_from": _stamp(own_goals.get(goal.carried_from_id)),
                "updates": [
                    {"id": str(update.key), **_values(update, (*UPDATE_FIELDS, "created_at"))}
                    for update in goal.updates.all()
                ],
            }
        )
    periods = []
    for period in post.periods.all():
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
                    "area": refs.areas.get(entry.area_id),
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
            "reply_to": str(comment.reply_to.key) if comment.reply_to else None,
        }
        for comment in post.comments.all()
    ]
    return {
        "id": str(post.key),
        "year": post.year,
        **_values(post, (*YEAR_FIELDS, "created_at", "updated_at")),
        "likes": post.live_likes + post.imported_likes,
        "markdown": f"years/{post.year}.md",
        "goals": goals,
        "periods": periods,
        "comments": comments,
        "answers": [
            {
                **_values(answer, (*ANSWER_FIELDS, "created_at", "updated_at")),
                "own_question": refs.questions.get(answer.own_question_id),
            }
            for answer in post.answers.all()
        ],
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
    content = archive_content(user)
    texts = {DOCUMENT_NAME: document_bytes(content.document)}
    texts |= {name: text.encode() for name, text in content.markdown.items()}
    return zip_chunks(texts, content.files)


def zip_chunks(texts: dict[str, bytes], files: dict[str, str]) -> Iterator[bytes]:
    """A .zip of `texts` (member name -> bytes, compressed) and stored `files` (member name
    -> storage name, stored as they are), in pieces as it is written."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in texts.items():
            archive.writestr(name, data)
        yield sink.take()
        for name, stored in files.items():
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
