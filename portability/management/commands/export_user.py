from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from portability.archive import (
    archive_filename,
    differences,
    read_archive_for_comparison,
    write_archive,
)


class Command(BaseCommand):
    help = (
        "Write everything a person has (data, photos, each year in Markdown) to one .zip, "
        "the same archive as “Download everything” in their settings."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--output", help="Where to write the archive (default: yearloop-<username>-<date>.zip)."
        )
        parser.add_argument(
            "--compare",
            metavar="EARLIER.zip",
            help="Afterwards, compare the new archive's data with an earlier export's and fail "
            "if they differ (the export date aside).",
        )

    def handle(self, *args, username: str, output: str | None, compare: str | None, **options):
        user = User.objects.filter(username=username.lower()).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        path = Path(output or archive_filename(user))
        with path.open("wb") as target:
            write_archive(user, target.write)
        if options["verbosity"]:
            self.stdout.write(f"Wrote {path} ({path.stat().st_size:,} bytes).")
        if compare:
            self.compare(Path(compare), path)

    def compare(self, earlier: Path, later: Path) -> None:
        first_document, first_markdown = read_archive_for_comparison(earlier)
        second_document, second_markdown = read_archive_for_comparison(later)
        found = differences(first_document, second_document)
        found += differences(first_markdown, second_markdown, "markdown")
        years = len(first_document.get("years", []))
        if found:
            for line in found:
                self.stdout.write(f"  {line}")
            self.stdout.flush()
            sys.stdout.flush()
            raise CommandError(f"{earlier} and {later} differ in {len(found)} places.")
        self.stdout.write(
            f"{earlier} and {later} hold the same data ({years} years; only the export "
            "date differs)."
        )
