from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User, username_validator
from portability.archive import ArchiveError, import_archive


class Command(BaseCommand):
    help = (
        "Restore an archive from “Download everything” or export_user into an account, "
        "creating the account (without a password) if it does not exist. Importing the same "
        "archive again updates what it brought instead of adding copies."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("archive", help="The .zip file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and import everything, then roll it back: nothing is kept.",
        )

    def handle(self, *args, username: str, archive: str, dry_run: bool, **options) -> None:
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"There is no file {archive!r}.")
        user = User.objects.filter(username=username.lower()).first()
        if user is None:
            try:
                username_validator(username.lower())
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            user = User(username=username.lower())
            user.set_unusable_password()
        try:
            with path.open("rb") as source:
                report = import_archive(user, source, dry_run=dry_run)
        except ArchiveError as error:
            raise CommandError(f"{path} was not imported: {error}") from None
        if options["verbosity"]:
            verb = "Would import" if dry_run else "Imported"
            self.stdout.write(f"{verb} {path} into {user.username}: {report.summary()}.")
