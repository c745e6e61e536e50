"""Restoring a backup: every file checked, the target found empty, then both put back."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings

from .database import (
    database_name,
    engine,
    migrations_unknown_here,
    restore_database,
    table_names,
)
from .making import MEDIA_FOLDER
from .manifest import BackupError, read_manifest, verify_files


def check_backup(folder: Path) -> dict:
    """The backup's manifest, once every file matches it and this site can take it."""
    manifest = read_manifest(folder)
    verify_files(folder, manifest)
    if manifest["database"] != engine():
        raise BackupError(
            f"It holds a {manifest['database']} database and this site runs on {engine()}: "
            f"restore it on {manifest['database']}."
        )
    if unknown := migrations_unknown_here(manifest["migrations"]):
        raise BackupError(
            "It was made by a newer version of Yearloop (migrations not in this code: "
            f"{', '.join(unknown)}): update this site's code first."
        )
    return manifest


def check_target() -> None:
    """Raise BackupError unless the database has no tables and the media root no files."""
    if tables := table_names():
        raise BackupError(
            f"The database {database_name()} is not empty ({len(tables)} tables): restore "
            "into an empty database (create one and point DATABASE_URL at it)."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if any(path.is_file() for path in media_root.rglob("*")):
        raise BackupError(
            f"The media root {media_root} holds files: restore into an empty folder "
            "(or point MEDIA_ROOT at a new one)."
        )


def restore_backup(folder: Path, manifest: dict) -> None:
    restore_database(folder)
    restore_media(folder, manifest, Path(settings.MEDIA_ROOT))


def restore_media(folder: Path, manifest: dict, media_root: Path) -> None:
    """Copy back the media files the manifest lists (and so were checked), nothing else."""
    media_root.mkdir(parents=True, exist_ok=True)
    prefix = f"{MEDIA_FOLDER}/"
    for entry in manifest["files"]:
        if entry["path"].startswith(prefix):
            destination = media_root / entry["path"].removeprefix(prefix)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(folder / entry["path"], destination)
