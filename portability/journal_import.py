"""Entries from a journal app's export: Day One and Journey, each a .zip with its photos.

- Day One ("Export → JSON"): a `<journal>.json` whose `entries` hold `creationDate`,
  `timeZone`, Markdown `text` (its first line the title, punctuation escaped with "\\",
  photos written as `![](dayone-moment://<identifier>)`), `photos` (identifier, md5,
  type; the files are `photos/<md5>.<type>`), `tags` and `starred`.
- Journey ("Export → ZIP"): one JSON per entry with `date_journal` (milliseconds),
  `timezone`, `text` (HTML or Markdown), `photos` (file names in the .zip), `tags` and
  `favourite`.

Each calendar year of the journal becomes a year of the person's own, its entries placed
in the period of their month, oldest first, with their photos through the photo pipeline
(at most as many per entry as an entry holds). A year the person has already is left as it
is and reported: nothing is added to it. A year made here gets an import record, so it can
be undone for a week. A star and tags have no place of their own in a year: they are kept
as the entry's last line. All of it is one transaction; files stored before a failure are
deleted again.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.models import User
from planner.forms import ENTRY_BODY_MAX
from planner.images import process_photo
from planner.models import MAX_YEAR, MIN_YEAR, Entry, Import, Photo, Year, period_index_for
from yearloop.storage import delete_files

from .archive.reading import check_members, checked_picture, open_zip, read_member
from .archive.schema import ArchiveError
from .markdown_import import rich_text
from .markdown_import.parser import plain_title

logger = logging.getLogger(__name__)

JSON_MAX_BYTES = 50 * 1024 * 1024
TITLE_MAX = 120  # a first line longer than this is the text, not a title
_MOMENT = re.compile(r"!\[([^\]]*)\]\(dayone-moment:/*(?:photo/)?([A-Za-z0-9-]+)\)")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")
_HTML = re.compile(r"<(?:p|div|br|h[1-6]|ul|ol|li|img|strong|em|span)\b", re.IGNORECASE)


@dataclass
class JournalEntry:
    moment: datetime.datetime  # in the time zone it was written in
    text: str  # Markdown
    photos: list[tuple[str, str]] = field(default_factory=list)  # member name, caption
    starred: bool = False
    tags: list[str] = field(default_factory=list)


@dataclass
class JournalReport:
    created: dict[int, tuple[int, int]] = field(default_factory=dict)  # year: entries, photos
    skipped: list[int] = field(default_factory=list)  # years the person had already


def import_journal(user: User, source, visibility: str) -> JournalReport:
    """Make `user`'s years from a Day One or Journey export, all of them or nothing."""
    with open_zip(source) as archive:
        members = check_members(archive)
        entries = read_entries(archive, members)
        return _Writer(user, archive, members, visibility).write(entries)


def read_entries(archive: zipfile.ZipFile, members: dict) -> list[JournalEntry]:
    documents = []
    for name in sorted(members):
        if not name.lower().endswith(".json") or name.rsplit("/", 1)[-1].startswith("."):
            continue
        try:
            documents.append(json.loads(read_member(archive, members[name], JSON_MAX_BYTES, name)))
        except (ValueError, RecursionError):  # RecursionError: nested beyond any journal's
            raise ArchiveError(_("%(file)s is not readable JSON.") % {"file": name}) from None
    day_one = [d for d in documents if isinstance(d, dict) and isinstance(d.get("entries"), list)]
    journey = [d for d in documents if isinstance(d, dict) and "date_journal" in d]
    entries = [e for d in day_one for raw in d["entries"] if (e := _day_one(raw, members))]
    entries += [e for raw in journey if (e := _journey(raw, members))]
    if not entries:
        raise ArchiveError(
            _("This .zip holds no journal entries: it is not an export from Day One or Journey.")
        )
    return entries


def _day_one(raw, members: dict) -> JournalEntry | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("creationDate"), str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(raw["creationDate"].replace("Z", "+00:00"))
    except ValueError:
        return None
    files = {}
    for photo in _list(raw.get("photos")):
        if isinstance(photo, dict):
            name = f"photos/{photo.get('md5')}.{photo.get('type') or 'jpeg'}"
            if name in members:
                files[str(photo.get("identifier"))] = name
    text = raw.get("text") if isinstance(raw.get("text"), str) else ""
    placed = [(files[m[2]], m[1]) for m in _MOMENT.finditer(text) if m[2] in files]
    rest = [(name, "") for name in files.values() if name not in {n for n, _c in placed}]
    return JournalEntry(
        moment=_in_zone(moment, raw.get("timeZone")),
        text=_ESCAPED.sub(r"\1", _MOMENT.sub("", text)),
        photos=placed + rest,
        starred=bool(raw.get("starred")),
        tags=_tags(raw.get("tags")),
    )


def _journey(raw, members: dict) -> JournalEntry | None:
    try:
        stamp = float(raw["date_journal"]) / 1000
        moment = datetime.datetime.fromtimestamp(stamp, datetime.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    text = raw.get("text") if isinstance(raw.get("text"), str) else ""
    if raw.get("type") == "html" or _HTML.search(text):
        text = rich_text.html_as_markdown(text)
    photos = [(str(n), "") for n in _list(raw.get("photos")) if str(n) in members]
    return JournalEntry(
        moment=_in_zone(moment, raw.get("timezone")),
        text=text,
        photos=photos,
        starred=bool(raw.get("favourite")),
        tags=_tags(raw.get("tags")),
    )


def _list(value) -> list:
    """A field that should hold a list, whatever the file put there."""
    return value if isinstance(value, list) else []


def _tags(value) -> list[str]:
    return [str(tag) for tag in _list(value) if isinstance(tag, str | int) and str(tag).strip()]


def _in_zone(moment: datetime.datetime, zone) -> datetime.datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    try:
        return moment.astimezone(ZoneInfo(str(zone))) if zone else moment
    except (ZoneInfoNotFoundError, ValueError, OverflowError):  # no such zone, or year 9999
        return moment


def title_and_body(entry: JournalEntry) -> tuple[str, str]:
    """The entry's first line as its title (its date when that line is too long or there is
    none), the rest as its text, with its star and tags as the last line."""
    lines = entry.text.replace("\r\n", "\n").strip().split("\n")
    first = plain_title(re.sub(r"^#+\s*", "", lines[0])) if lines else ""
    if first and len(first) <= TITLE_MAX:
        title, body = first, "\n".join(lines[1:]).strip()
    else:
        title = formats.date_format(entry.moment.date(), "MONTH_DAY_FORMAT")
        body = entry.text.strip()
    body = re.sub(r"\n{3,}", "\n\n", body)  # where a photo stood
    marks = ([_("★ Starred")] if entry.starred else []) + [f"#{tag}" for tag in entry.tags]
    if marks:
        body = f"{body}\n\n*{' · '.join(marks)}*".strip()
    return title[:200], body


class _Writer:
    def __init__(self, user: User, archive, members: dict, visibility: str) -> None:
        self.user, self.archive, self.members, self.visibility = user, archive, members, visibility
        self.stored: list[str] = []

    def write(self, entries: list[JournalEntry]) -> JournalReport:
        by_year: dict[int, list[JournalEntry]] = defaultdict(list)
        for entry in entries:
            if MIN_YEAR <= entry.moment.year <= MAX_YEAR:
                by_year[entry.moment.year].append(entry)
        if not by_year:
            raise ArchiveError(
                _("None of the journal's entries is dated between %(min)s and %(max)s.")
                % {"min": MIN_YEAR, "max": MAX_YEAR}
            )
        had = set(self.user.years.filter(year__in=by_year).values_list("year", flat=True))
        report = JournalReport(skipped=sorted(had))
        try:
            with transaction.atomic():
                for number in sorted(set(by_year) - had):
                    report.created[number] = self.write_year(number, by_year[number])
        except BaseException:
            delete_files(default_storage, self.stored)
            raise
        return report

    def write_year(self, number: int, entries: list[JournalEntry]) -> tuple[int, int]:
        post = Year.objects.create(owner=self.user, year=number, visibility=self.visibility)
        Import.objects.create(post=post)
        periods = {period.index: period for period in post.periods.all()}
        orders: dict[int, int] = defaultdict(int)
        photos = 0
        for entry in sorted(entries, key=lambda e: e.moment):
            index = period_index_for(entry.moment.month)
            orders[index] += 1
            title, body = title_and_body(entry)
            if len(body) > ENTRY_BODY_MAX:
                raise ArchiveError(
                    _("The entry of %(date)s is longer than %(limit)s characters.")
                    % {
                        "date": formats.date_format(entry.moment.date()),
                        "limit": f"{ENTRY_BODY_MAX:,}",
                    }
                )
            made = Entry.objects.create(
                period=periods[index], title=title, body=body, order=orders[index]
            )
            for name, caption in entry.photos[: settings.PHOTO_MAX_PER_ENTRY]:
                photo = Photo.objects.create_from_upload(
                    made, self.photo(name), caption=caption[:200]
                )
                self.stored.extend(photo.stored_names())
                photos += 1
        return len(entries), photos

    def photo(self, name: str) -> SimpleUploadedFile:
        info = self.members[name]
        return checked_picture(self.archive, info, settings.PHOTO_MAX_BYTES, process_photo, name)
