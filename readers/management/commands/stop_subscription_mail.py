from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from readers.models import Subscription, normalized_email


class Command(BaseCommand):
    help = (
        "Stop all e-mail subscriptions of these addresses (after a bounce or a complaint the "
        "mail provider could not report): none is mailed again until it subscribes again "
        "and confirms."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("emails", nargs="+", help="the addresses to stop mailing")
        parser.add_argument(
            "--reason",
            choices=Subscription.StopReason.values,
            default=Subscription.StopReason.STAFF,
            help="why, as staff will see it in the admin (default: staff)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would stop; change nothing."
        )

    def handle(
        self, *args, emails: list[str], reason: str, dry_run: bool, verbosity: int = 1, **options
    ) -> None:
        addresses = [normalized_email(email) for email in emails]
        for email in addresses:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(f"Not an e-mail address: {email!r}") from None
        with transaction.atomic():
            if dry_run:
                live = Subscription.objects.filter(
                    email__in=addresses, status__in=["pending", "confirmed"]
                ).count()
            else:
                live = sum(Subscription.objects.stop(email, reason) for email in addresses)
        if verbosity:
            verb = "Would stop" if dry_run else "Stopped"
            self.stdout.write(f"{verb} {live} subscriptions of {len(addresses)} addresses.")
