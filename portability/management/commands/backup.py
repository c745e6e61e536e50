from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError

from portability.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Back up the site into a new folder: the database (pg_dump on PostgreSQL, the online "
        "backup API on SQLite), then the media root, and a manifest with every file's SHA-256. "
        "The folder appears only once the backup is complete."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            metavar="DIR",
            help="The folder to create (default: var/backups/<UTC time>/).",
        )

    def handle(self, *args, output: str | None, **options) -> None:
        target = Path(output) if output else default_folder()
        if target.exists():
            raise CommandError(f"{target} already exists: name a folder that does not.")
        target.parent.mkdir(parents=True, exist_ok=True)
        # Beside the target, so the final rename stays on one file system.
        partial = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            manifest = make_backup(partial)
            partial.rename(target)
        except BackupError as error:
            raise CommandError(f"No backup was made: {error}") from None
        except OperationalError as error:
            raise CommandError(
                f"No backup was made: the database cannot be reached ({error})."
            ) from None
        finally:
            shutil.rmtree(partial, ignore_errors=True)  # left only when something failed
        if options["verbosity"]:
            self.stdout.write(summary(target, manifest))


def default_folder() -> Path:
    return Path(settings.VAR_DIR) / "backups" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def summary(target: Path, manifest: dict) -> str:
    media = [entry for entry in manifest["files"] if entry["path"].startswith("media/")]
    size = sum(entry["size"] for entry in manifest["files"])
    return (
        f"Backed up the {manifest['database']} database and {len(media)} media files "
        f"({size:,} bytes in all) to {target}."
    )
