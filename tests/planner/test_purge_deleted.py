from __future__ import annotations

import datetime
import io
import os

import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from planner.models import Comment, Entry, Goal, Visibility
from portability.markdown_import import drafts as import_drafts
from tests.factory import (
    image_upload,
    make_comment,
    make_entry,
    make_goal,
    make_photo,
    make_year,
)

LONG_AGO = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
RECENTLY = datetime.datetime(2025, 3, 20, tzinfo=datetime.UTC)
NOW = datetime.datetime(2025, 3, 22, tzinfo=datetime.UTC)


def purge(*args: str) -> str:
    out = io.StringIO()
    call_command("purge_deleted", *args, stdout=out)
    return out.getvalue()


def test_it_deletes_for_good_only_what_can_no_longer_be_restored(
    owner, django_capture_on_commit_callbacks
):
    year = make_year(owner)
    old_goal, new_goal, _ = (make_goal(year, title=t) for t in ("Old", "New", "Kept"))
    old_entry = make_entry(year, title="Old trip")
    photo = make_photo(old_entry)
    with time_machine.travel(LONG_AGO):
        old_goal.soft_delete()
        old_entry.soft_delete()
    with time_machine.travel(RECENTLY):
        new_goal.soft_delete()

    with time_machine.travel(NOW), django_capture_on_commit_callbacks(execute=True):
        output = purge()

    assert output == "Deleted 1 goals, 1 entries and 0 comments.\n"
    assert set(Goal.all_objects.values_list("title", flat=True)) == {"New", "Kept"}
    assert not Entry.all_objects.exists()
    assert not default_storage.exists(photo.image.name)


def test_it_deletes_removed_comments_once_nothing_under_them_is_kept(owner, reader):
    post = make_year(owner, visibility=Visibility.PUBLIC)
    lone = make_comment(post, reader, body="Removed long ago")
    recent = make_comment(post, reader, body="Removed lately")
    above_live = make_comment(post, reader, body="Above a live reply")
    make_comment(post, owner, parent=above_live, body="A live reply")
    above_recent = make_comment(post, reader, body="Above a reply removed lately")
    recent_reply = make_comment(post, owner, parent=above_recent, body="Reply removed lately")
    above_old = make_comment(post, reader, body="Above a reply removed long ago")
    old_reply = make_comment(post, owner, parent=above_old, body="Reply removed long ago")
    with time_machine.travel(LONG_AGO):
        for comment in (lone, above_live, above_recent, above_old, old_reply):
            comment.remove(by=owner)
    with time_machine.travel(RECENTLY):
        recent.remove(by=owner)
        recent_reply.remove(by=owner)

    with time_machine.travel(NOW):
        output = purge()

    assert output == "Deleted 0 goals, 0 entries and 3 comments.\n"
    assert set(Comment.objects.values_list("body", flat=True)) == {
        "Removed lately",
        "Above a live reply",
        "A live reply",
        "Above a reply removed lately",
        "Reply removed lately",
    }
    # The one above a live reply still shows, as the placeholder above it.
    assert list(Comment.objects.filter(year=post).threads().shown()) == [above_live]


def test_it_only_reports_in_a_dry_run(owner):
    goal = make_goal(make_year(owner))
    with time_machine.travel(LONG_AGO):
        goal.soft_delete()

    with time_machine.travel(NOW):
        output = purge("--dry-run")

    assert output == "Would delete 1 goals, 0 entries and 0 comments.\n"
    assert Goal.all_objects.filter(pk=goal.pk).exists()


def test_it_deletes_the_photos_of_markdown_imports_left_for_a_day(db):
    session = {}
    stale, fresh = import_drafts.start(session), import_drafts.start(session)
    import_drafts.add(stale, image_upload("old.jpg"))
    import_drafts.add(fresh, image_upload("new.jpg"))
    stale_file = default_storage.path(f"imports/{stale}/old.jpg")
    two_days_ago = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(stale_file, (two_days_ago, two_days_ago))

    dry = purge("--dry-run")
    assert import_drafts.names(stale) == ["old.jpg"]
    output = purge()

    assert dry.endswith("Would delete the photos of 1 unsaved Markdown imports.\n")
    assert output.endswith("Deleted the photos of 1 unsaved Markdown imports.\n")
    assert import_drafts.names(stale) == []
    assert not default_storage.exists(f"imports/{stale}")
    assert import_drafts.names(fresh) == ["new.jpg"]
