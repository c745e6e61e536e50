"""Opening an untrusted .zip: member names, sizes and ratios, and its JSON document."""

from __future__ import annotations

import json
import logging
import re
import stat
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from planner.images import check_and_process, quoted

from .schema import (
    DOCUMENT_MAX_BYTES,
    DOCUMENT_NAME,
    MAX_MEMBERS,
    MAX_RATIO,
    RATIO_CHECKED_ABOVE,
    SCHEMA_VERSION,
    ArchiveError,
)

logger = logging.getLogger(__name__)


_DRIVE = re.compile(r"^[A-Za-z]:")


def _safe_name(name: str) -> bool:
    if not name or name.startswith("/") or "\\" in name or "\x00" in name or _DRIVE.match(name):
        return False
    parts = name.rstrip("/").split("/")
    return all(part not in ("", ".", "..") for part in parts)


def open_zip(source) -> zipfile.ZipFile:
    """An uploaded .zip, opened once its size is found within the limit."""
    if getattr(source, "size", 0) > settings.ARCHIVE_MAX_BYTES:
        raise ArchiveError(
            _("The archive is larger than %(limit)s.")
            % {"limit": filesizeformat(settings.ARCHIVE_MAX_BYTES)}
        )
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ArchiveError(_("This file is not a .zip archive, or it is damaged.")) from None


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
        if total > settings.ARCHIVE_MAX_BYTES:
            raise ArchiveError(
                _(
                    "The archive unpacks to more than it can hold (%(limit)s at most); "
                    "it was not opened."
                )
                % {"limit": filesizeformat(settings.ARCHIVE_MAX_BYTES)}
            )
        members[name] = info
    return members


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, label: str) -> bytes:
    """The member's bytes, never more than `limit` of them, whatever its header says.

    `label` names it in refusals: “Photo 2 of entry …”, or the quoted file name.
    """
    if info.file_size > limit:
        raise ArchiveError(
            capfirst(
                _("%(file)s is %(size)s in the archive; the limit is %(limit)s.")
                % {
                    "file": label,
                    "size": filesizeformat(info.file_size),
                    "limit": filesizeformat(limit),
                }
            )
        )
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError) as error:
        logger.info("Could not read %r from an archive: %r", info.filename, error)
        raise _damaged(label) from None
    if len(data) > limit:  # the header said less than the data holds
        raise _damaged(label)
    return data


def checked_picture(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, processor, label: str
) -> SimpleUploadedFile:
    """A picture in the archive read and judged by the image pipeline, as an upload whose
    `processed` is what the pipeline made of it; its refusal names it by `label`."""
    upload = SimpleUploadedFile(
        info.filename.rsplit("/", 1)[-1], read_member(archive, info, limit, label)
    )
    try:
        upload.processed = check_and_process(upload, limit, processor, label)
    except ValidationError as error:
        raise ArchiveError(" ".join(error.messages)) from None
    check_ratio(info, label)
    return upload


def check_ratio(info: zipfile.ZipInfo, label: str) -> None:
    """Refuse a member packed far tighter than a photo or a document packs: a zip bomb's sign.

    Checked once the member was read within its limit and, for a photo, judged by the photo
    pipeline: a file that is no photo at all is refused for that, its real fault.
    """
    packed = max(info.compress_size, 1)
    if info.file_size > RATIO_CHECKED_ABOVE and info.file_size > packed * MAX_RATIO:
        raise ArchiveError(
            capfirst(
                _(
                    "%(file)s unpacks to %(ratio)s times its packed size; photos and "
                    "Yearloop documents shrink %(limit)s times at most, so the archive was "
                    "not imported."
                )
                % {"file": label, "ratio": info.file_size // packed, "limit": MAX_RATIO}
            )
        )


def _damaged(label: str) -> ArchiveError:
    return ArchiveError(
        capfirst(_("%(file)s is damaged in the archive and could not be read.") % {"file": label})
    )


def read_document(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> dict:
    if DOCUMENT_NAME not in members:
        raise ArchiveError(
            _("The archive has no %(name)s: it is not an archive exported from Yearloop.")
            % {"name": DOCUMENT_NAME}
        )
    info = members[DOCUMENT_NAME]
    data = read_member(archive, info, DOCUMENT_MAX_BYTES, quoted(DOCUMENT_NAME))
    check_ratio(info, quoted(DOCUMENT_NAME))
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
