from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from planner.models import (
    APPLIED_CHANGE_KEPT,
    RESTORE_WINDOW,
    AppliedChange,
    Comment,
    Entry,
    Goal,
)
from portability.markdown_import import drafts as import_drafts
from readers.subscriptions import UNCONFIRMED_KEPT, purge_unconfirmed


class Command(BaseCommand):
    help = (
        f"Delete for good the goals and entries deleted more than {RESTORE_WINDOW.days} days "
        "ago (until then their owner can restore them), the comments removed as long ago "
        "(one stays while a reply under it is still kept), and the photos of Markdown imports "
        "left unsaved for a day, and the record of changes sent from the offline queue after "
        f"{APPLIED_CHANGE_KEPT.days} days, and e-mail subscriptions never confirmed, or "
        f"unsubscribed, {UNCONFIRMED_KEPT.days} days ago. Run it daily."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be deleted; delete nothing."
        )

    def handle(self, *args, dry_run: bool = False, verbosity: int = 1, **options) -> None:
        goals = Goal.all_objects.expired()
        entries = Entry.all_objects.expired()
        comments = Comment.objects.expired()
        counts = {
            "goals": goals.count(),
            "entries": entries.count(),
            "comments": comments.count(),
        }
        if not dry_run:
            with transaction.atomic():
                goals.delete()  # an entry's photos go with it, files included
                entries.delete()
                comments.delete()
        drafts = import_drafts.purge_stale(dry_run=dry_run)
        subscriptions = purge_unconfirmed(dry_run=dry_run)
        if not dry_run:
            AppliedChange.objects.filter(
                applied_at__lt=timezone.now() - APPLIED_CHANGE_KEPT
            ).delete()
        if verbosity:
            verb = "Would delete" if dry_run else "Deleted"
            self.stdout.write(
                f"{verb} {counts['goals']} goals, {counts['entries']} entries "
                f"and {counts['comments']} comments."
            )
            if drafts:
                self.stdout.write(f"{verb} the photos of {drafts} unsaved Markdown imports.")
            if subscriptions:
                self.stdout.write(
                    f"{verb} {subscriptions} e-mail subscriptions never confirmed or ended."
                )
