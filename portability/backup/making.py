"""Making a backup: the database first, then the media root, then the manifest."""

from __future__ import annotations

import shutil
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from .database import applied_migrations, dump_database, engine
from .manifest import write_manifest

MEDIA_FOLDER = "media"


def make_backup(folder: Path) -> dict:
    """Write a whole backup into the empty `folder`; returns its manifest."""
    created_at = datetime.now(UTC).isoformat(timespec="seconds")
    migrations = applied_migrations()
    dump_database(folder)
    # After the dump: every file a row in the dump names was stored before it is copied.
    copy_media(Path(settings.MEDIA_ROOT), folder / MEDIA_FOLDER)
    return write_manifest(folder, created_at=created_at, database=engine(), migrations=migrations)


def copy_media(source: Path, target: Path) -> None:
    target.mkdir()
    for path in sorted(source.rglob("*")):
        if path.is_file():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            with suppress(FileNotFoundError):  # deleted since the folder was listed
                shutil.copy2(path, destination)
