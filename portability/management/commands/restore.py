from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError

from portability.backup import BackupError, check_backup, check_target, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a folder made by `backup` into an empty database and an empty media root, "
        "once every file matches the manifest; then migrate, which brings an older backup up "
        "to this code. Refuses, changing nothing, a damaged backup or a target holding data."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", metavar="DIR", help="The backup's folder.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the backup and the target, and change nothing.",
        )

    def handle(self, *args, backup: str, dry_run: bool, **options) -> None:
        folder = Path(backup)
        if not folder.is_dir():
            raise CommandError(f"{folder} was not restored: it is not a folder made by `backup`.")
        try:
            manifest = check_backup(folder)
            check_target()
            if not dry_run:
                restore_backup(folder, manifest)
        except BackupError as error:
            raise CommandError(f"{folder} was not restored: {error}") from None
        except OperationalError as error:
            raise CommandError(
                f"{folder} was not restored: the database cannot be reached ({error}). "
                "Create the empty database first and point DATABASE_URL at it."
            ) from None
        if dry_run:
            self.stdout.write(f"{folder} is complete and can be restored here; nothing changed.")
            return
        if options["verbosity"]:
            self.stdout.write(f"Restored {folder}, made {manifest['created_at']}; migrating.")
        call_command(
            "migrate",
            interactive=False,
            verbosity=options["verbosity"],
            stdout=options.get("stdout"),  # where call_command sent ours, else the console
        )
