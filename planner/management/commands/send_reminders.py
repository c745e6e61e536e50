from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand
from django.utils import timezone

from planner.reminders import DEADLINE, DECEMBER, PERIOD_END, due_reminders, send_once


class Command(BaseCommand):
    help = (
        "E-mail the reminders due today: a period's retrospective after the period ends, the "
        "year's review on December 1, and goals due within a week. Run it daily; each "
        "reminder goes out once, to people with an e-mail address and reminders on."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the reminders that are due; send nothing and record nothing.",
        )

    def handle(self, *args, dry_run: bool = False, verbosity: int = 1, **options) -> None:
        counts = Counter()
        for reminder in due_reminders(timezone.localdate()):
            # Each one in its own transaction: a failure keeps what went out before it.
            if dry_run or send_once(reminder):
                counts[reminder.kind] += 1
                if verbosity >= 2 or (dry_run and verbosity):
                    self.stdout.write(f"  {reminder.key} to {reminder.user.username}")
        if verbosity:
            total = counts.total()
            verb = "Would send" if dry_run else "Sent"
            self.stdout.write(
                f"{verb} {total} reminder{'' if total == 1 else 's'}: "
                f"{counts[PERIOD_END]} period end, {counts[DECEMBER]} December, "
                f"{counts[DEADLINE]} deadline."
            )
