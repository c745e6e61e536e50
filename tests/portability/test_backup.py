from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from portability.backup import BackupError
from portability.backup.manifest import sha256_of
from tests.factory import make_entry, make_photo, make_year
from tests.portability.backup_helpers import files_in


@pytest.fixture
def photo(transactional_db, owner):
    return make_photo(make_entry(make_year(owner)))


def test_it_writes_the_database_the_media_and_a_manifest(tmp_path, settings, photo):
    target = tmp_path / "backup"
    out = StringIO()

    call_command("backup", output=str(target), stdout=out)

    manifest = json.loads((target / "manifest.json").read_text())
    dump = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}[connection.vendor]
    media = {f"media/{name}" for name in files_in(settings.MEDIA_ROOT)}
    assert media  # the photo's renditions
    assert {entry["path"] for entry in manifest["files"]} == {dump, *media}
    assert set(files_in(target)) == {dump, *media, "manifest.json"}
    for entry in manifest["files"]:
        assert entry["sha256"] == sha256_of(target / entry["path"])
        assert entry["size"] == (target / entry["path"]).stat().st_size
    assert manifest["database"] == connection.vendor
    applied = MigrationRecorder(connection).applied_migrations()
    assert sum(len(names) for names in manifest["migrations"].values()) == len(applied)
    assert "0001_year_goal_period_entry_photo" in manifest["migrations"]["planner"]
    assert f"Backed up the {connection.vendor} database and {len(media)} media files" in (
        out.getvalue()
    )


def test_it_writes_to_a_folder_named_for_the_time_by_default(
    tmp_path, settings, transactional_db, time_machine
):
    time_machine.move_to("2026-12-31 23:59:58+00:00", tick=False)
    settings.VAR_DIR = tmp_path

    call_command("backup", verbosity=0)

    assert (tmp_path / "backups" / "20261231T235958Z" / "manifest.json").is_file()


def test_it_refuses_a_folder_that_exists(tmp_path):
    (tmp_path / "backup").mkdir()

    with pytest.raises(CommandError, match="backup already exists"):
        call_command("backup", output=str(tmp_path / "backup"))


def test_it_leaves_nothing_that_looks_like_a_backup_when_it_fails(
    tmp_path, transactional_db, monkeypatch
):
    def fail(source, target):
        raise BackupError("the disk is full")

    monkeypatch.setattr("portability.backup.making.copy_media", fail)

    with pytest.raises(CommandError, match="No backup was made: the disk is full"):
        call_command("backup", output=str(tmp_path / "backup"))

    assert list(tmp_path.iterdir()) == []


def test_it_refuses_to_run_inside_a_transaction(tmp_path, db):
    with pytest.raises(CommandError, match="outside any transaction"):
        call_command("backup", output=str(tmp_path / "backup"))

    assert list(tmp_path.iterdir()) == []
