"""bench_data builds the writers make bench measures, and builds them again cleanly."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from planner.management.commands import bench_data
from planner.models import Comment, Entry, Goal, Photo, Year

SMALL = {
    "typical": bench_data.Size("typical", goals=3, entries=4, photos=5, comments=6, years=2),
    "large": bench_data.Size("large", goals=5, entries=6, photos=7, comments=9, years=3),
}


@pytest.fixture(autouse=True)
def _small_sizes(monkeypatch):
    monkeypatch.setattr(bench_data, "SIZES", SMALL)


def run(*args) -> str:
    out = StringIO()
    call_command("bench_data", *args, stdout=out)
    return out.getvalue()


def test_it_builds_both_writers_with_the_sizes_asked_for(db):
    run()
    for size in SMALL.values():
        post = Year.objects.get(owner__username=size.username, year=bench_data.POST_YEAR)
        assert Goal.objects.filter(year=post).count() == size.goals
        assert Entry.objects.filter(period__year=post).count() == size.entries
        assert Photo.objects.filter(entry__period__year=post).count() == size.photos
        assert Comment.objects.filter(year=post).count() == size.comments
        assert Year.objects.filter(owner__username=size.username).count() == size.years


def test_it_runs_photos_through_the_pipeline(db):
    run()
    photo = Photo.objects.filter(entry__period__year__owner__username="bench-typical").first()
    assert [r["width"] for r in photo.renditions] == [480, 720, 960, 1200]
    assert photo.image.storage.exists(photo.renditions[0]["name"])


def test_it_builds_afresh_when_run_again(db):
    run()
    first = set(User.objects.filter(username__startswith="bench-").values_list("pk", flat=True))
    out = run()
    again = set(User.objects.filter(username__startswith="bench-").values_list("pk", flat=True))
    assert len(again) == len(first) and not first & again
    assert "Replaced 12 earlier bench users" in out
    assert Comment.objects.count() == sum(size.comments for size in SMALL.values())


def test_it_changes_nothing_on_a_dry_run(db):
    out = run("--dry-run")
    assert "Would delete 0 bench users" in out
    assert not User.objects.exists()
