"""Everything a person has, as one .zip, and back: the settings page and the commands share it.

An archive holds `yearloop.json` (the data, versioned by `schema_version`), the photos
under `photos/` and each year as Markdown under `years/`. Every object carries a stable id
(its `key`), so importing the same archive again updates what the first import made
instead of adding copies; life areas and own questions, which have none, are named by a
reference within the archive and merged by what they are (default key, name, wording).
Untrusted archives are checked before anything is written: member names, sizes,
compression ratio, the JSON against the models' own validation, and every photo through
the photo pipeline. The import is one transaction, and files stored before a failure are
deleted again.
"""

from __future__ import annotations

from .export import (
    archive_chunks,
    archive_content,
    archive_filename,
    differences,
    photo_member,
    read_archive_for_comparison,
    write_archive,
    zip_chunks,
)
from .importing import ImportReport, import_archive
from .schema import DOCUMENT_NAME, SCHEMA_VERSION, ArchiveError

__all__ = [
    "DOCUMENT_NAME",
    "SCHEMA_VERSION",
    "ArchiveError",
    "ImportReport",
    "archive_chunks",
    "archive_content",
    "archive_filename",
    "differences",
    "import_archive",
    "photo_member",
    "read_archive_for_comparison",
    "write_archive",
    "zip_chunks",
]
