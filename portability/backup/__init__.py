"""A backup of the whole site, and its restore: the database dump, the media root, a manifest.

A backup is a folder: `database.pgdump` (PostgreSQL, `pg_dump --format=custom`) or
`database.sqlite3` (SQLite, through its online backup API), `media/` (a copy of
`MEDIA_ROOT`, taken after the dump) and `manifest.json` (when it was made, the database
engine, the migrations applied per app, and every file with its size and SHA-256). It is
written into a temporary folder beside the target and renamed at the end, so a folder with
the target's name is always complete.

A restore checks every file against the manifest, and that the database has no tables and
the media root no files, before it touches anything; then it restores both and the
`restore` command runs `migrate`, which brings an older backup up to the current code.
Why it is made this way: docs/decisions/backups.md.
"""

from __future__ import annotations

from .making import make_backup
from .manifest import MANIFEST_NAME, BackupError
from .restoring import check_backup, check_target, restore_backup

__all__ = [
    "MANIFEST_NAME",
    "BackupError",
    "check_backup",
    "check_target",
    "make_backup",
    "restore_backup",
]
