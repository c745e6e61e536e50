"""Sample people and years for a fresh site: `make run` calls this on every start.

The content is data in planner/demo/content.py; planner/demo/build.py writes it.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from planner.demo.build import create_conversations, create_person, create_readership, describe
from planner.demo.content import ADMIN, PEOPLE


class Command(BaseCommand):
    help = (
        "Create the demo log-ins — demo/demo with three years and next year's goals, "
        "reader/reader with one public year, and the superuser admin/admin — "
        "unless they already exist. Existing users and their content are left alone."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be created; create nothing."
        )

    def handle(self, *args, dry_run: bool = False, verbosity: int = 1, **options) -> None:
        self.verbosity = verbosity
        today = timezone.localdate()
        missing = []
        for name in [*(spec["username"] for spec in PEOPLE), ADMIN["username"]]:
            if User.objects.filter(username=name).exists():
                self.say(f"User {name} already exists; left as it is.", level=2)
            else:
                missing.append(name)
        if not missing:
            self.say("The demo users already exist; nothing to do.")
            return
        if dry_run:
            self.say(f"Would create: {', '.join(missing)}.")
            return
        with transaction.atomic():
            for spec in PEOPLE:
                if spec["username"] in missing:
                    user = create_person(spec, today)
                    self.say(f"Created {describe(user)}, password “{spec['password']}”.")
            if {"demo", "reader"} <= set(missing):
                people = User.objects.in_bulk(["demo", "reader"], field_name="username")
                create_readership(people["demo"], people["reader"], today)
                create_conversations(people["demo"], people["reader"], today)
            if ADMIN["username"] in missing:
                User.objects.create_superuser(**ADMIN)
                self.say(f"Created superuser {ADMIN['username']}, password “{ADMIN['password']}”.")

    def say(self, message: str, level: int = 1) -> None:
        if self.verbosity >= level:
            self.stdout.write(message)
