"""A whole site backed up and restored into an empty one: every person's archive is the same.

The site is built through the models and the real photo pipeline, each person's archive is
exported, `backup` runs, and `restore` and the second exports run in subprocesses against a
new database of the same engine (a new SQLite file, or a new PostgreSQL database) and an
empty media root, as on a new machine.
"""

from __future__ import annotations

import datetime
import json

from django.core.management import call_command
from django.db import connection

from planner.models import Comment, GoalUpdate, Like, Visibility
from tests.factory import (
    image_upload,
    make_comment,
    make_entry,
    make_goal,
    make_photo,
    make_user,
    make_year,
)
from tests.portability.backup_helpers import files_in

PHOTOS = [
    ("red.png", "PNG", (40, 30)),
    ("tall.jpg", "JPEG", (30, 50)),
    ("wide.gif", "GIF", (60, 20)),
]


def build_site() -> list[str]:
    """Two writers with years, goals, progress, entries, photos, comments and likes; a reader."""
    writer = make_user("writer", display_name="Olivia Owner", keep_original_photos=True)
    korean_writer = make_user("geulssni", display_name="글쓴이", bio="연구자, 학생")
    reader = make_user("reader", display_name="Rae Reader")
    for person in (writer, korean_writer):
        for number, visibility in ((2025, Visibility.PUBLIC), (2026, Visibility.PRIVATE)):
            post = make_year(person, year=number, visibility=visibility, intro=f"{number}, 한 해")
            make_goal(post, title="Submit the paper", done=True, note="Rejected; a report.")
            measured = make_goal(post, title="Piano pieces", target=3, unit="pieces")
            GoalUpdate.objects.create(
                goal=measured, recorded_on=datetime.date(number, 3, 1), value=1
            )
            measured.recompute_progress()
            measured.save()
            make_goal(post, title="비밀 목표", is_private=True)
            for period, (name, fmt, size) in enumerate(PHOTOS, start=1):
                entry = make_entry(post, period, title=f"Entry {period}", body="**Sea** 바다")
                make_photo(
                    entry,
                    upload=image_upload(name, fmt, size),
                    caption=f"{name} 사진",
                    keep_original=person.keep_original_photos,
                )
            question = make_comment(post, reader, body="What a year!")
            Comment.objects.create(year=post, author=person, body="고마워요!", parent=question)
            Like.objects.create(year=post, user=reader)
    return ["writer", "geulssni", "reader"]


def test_it_restores_a_site_whose_every_archive_matches_the_one_before(
    transactional_db, tmp_path, settings, make_empty_site
):
    usernames = build_site()
    for username in usernames:
        call_command("export_user", username, output=str(tmp_path / f"{username}.zip"), verbosity=0)
    call_command("backup", output=str(tmp_path / "backup"), verbosity=0)
    site = make_empty_site()

    restored = site.manage("restore", str(tmp_path / "backup"))

    assert restored.returncode == 0, restored.stderr
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"] == connection.vendor
    for username in usernames:
        before = tmp_path / f"{username}.zip"
        again = site.manage(
            "export_user", username, "--output", f"{before}.again", "--compare", str(before)
        )
        assert again.returncode == 0, again.stdout + again.stderr
        assert "only the export date differs" in again.stdout
    assert site.media_files() == files_in(settings.MEDIA_ROOT)
    originals = [name for name in site.media_files() if name.startswith("originals/")]
    assert len(originals) == 6  # the writer keeps originals; 12 photos, each in several sizes
