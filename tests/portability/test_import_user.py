from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from planner.models import Goal, Photo
from tests.factory import make_entry, make_goal, make_photo, make_year
from tests.hostile_files import HOSTILE, HOSTILE_IDS
from tests.portability.archive_helpers import document_of, rewritten, stored_files, with_avatar


@pytest.fixture
def archive(tmp_path, owner):
    year = make_year(owner, year=2025)
    make_goal(year, title="Read 20 books")
    make_photo(make_entry(year))
    path = tmp_path / "owner.zip"
    call_command("export_user", "owner", output=str(path), stdout=StringIO())
    return path


def test_it_restores_into_a_new_account(archive, owner):
    owner.delete()
    out = StringIO()

    call_command("import_user", "restored", str(archive), stdout=out)

    user = User.objects.get(username="restored")
    assert not user.has_usable_password()
    assert user.email == "owner@example.com"
    assert Goal.objects.get(year__owner=user).title == "Read 20 books"
    assert Photo.objects.filter(entry__period__year__owner=user).count() == 1
    assert "created accounts: 1, years: 1, goals: 1, entries: 1, photos: 1" in out.getvalue()


def test_it_updates_instead_of_duplicating(archive, owner):
    out = StringIO()

    call_command("import_user", "owner", str(archive), stdout=out)

    assert Goal.objects.count() == 1
    assert "created nothing; updated years: 1, goals: 1, entries: 1, photos: 1" in out.getvalue()


def test_it_keeps_nothing_in_a_dry_run(archive, owner):
    owner.delete()
    files = stored_files()
    out = StringIO()

    call_command("import_user", "restored", str(archive), dry_run=True, stdout=out)

    assert "Would import" in out.getvalue()
    assert not User.objects.filter(username="restored").exists()
    assert stored_files() == files


def test_it_refuses_a_bad_archive_with_its_reason(tmp_path, db):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")

    with pytest.raises(CommandError, match=r"not a \.zip archive"):
        call_command("import_user", "someone", str(bad))

    assert not User.objects.filter(username="someone").exists()


def test_it_refuses_an_invalid_username(archive):
    with pytest.raises(CommandError, match="lowercase letters"):
        call_command("import_user", "no spaces allowed", str(archive))


@pytest.mark.parametrize("hostile", HOSTILE, ids=HOSTILE_IDS)
def test_it_refuses_an_archive_with_a_hostile_photo_and_keeps_nothing(
    archive, owner, tmp_path, hostile
):
    data = archive.read_bytes()
    photo = document_of(data)["years"][0]["periods"][0]["entries"][0]["photos"][0]["file"]
    bad = tmp_path / "bad.zip"
    bad.write_bytes(rewritten(data, {photo: hostile.data}))
    owner.delete()
    files = stored_files()

    with pytest.raises(CommandError) as refused:
        call_command("import_user", "restored", str(bad), stdout=StringIO())

    assert refused.value.returncode != 0
    where = "Photo 1 of entry “Spring trip” (2025, January–April)"
    assert str(refused.value) == f"{bad} was not imported: {where} {hostile.reason}"
    assert not User.objects.filter(username="restored").exists()
    assert not Photo.objects.exists()
    assert stored_files() == files


@pytest.mark.parametrize("hostile", HOSTILE, ids=HOSTILE_IDS)
def test_it_refuses_an_archive_with_a_hostile_profile_photo(archive, owner, tmp_path, hostile):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(with_avatar(archive.read_bytes(), hostile.data))
    owner.delete()
    files = stored_files()

    reason = re.escape(f"was not imported: The profile photo {hostile.reason}")
    with pytest.raises(CommandError, match=reason):
        call_command("import_user", "restored", str(bad), stdout=StringIO())

    assert not User.objects.filter(username="restored").exists()
    assert stored_files() == files
