"""`restore` into an empty site (a subprocess with its own database and media root)."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from tests.factory import make_entry, make_photo, make_year


@pytest.fixture
def backup(transactional_db, tmp_path, owner):
    make_photo(make_entry(make_year(owner)))
    folder = tmp_path / "backup"
    call_command("backup", output=str(folder), verbosity=0)
    return folder


def first_photo_file(backup) -> str:
    return next(
        entry["path"]
        for entry in json.loads((backup / "manifest.json").read_text())["files"]
        if entry["path"].startswith("media/photos/")
    )


def flip_a_byte(path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damaged", ["database", "photo"])
def test_it_refuses_a_backup_with_a_flipped_byte_naming_the_file(backup, make_empty_site, damaged):
    name = first_photo_file(backup) if damaged == "photo" else next(backup.glob("database.*")).name
    flip_a_byte(backup / name)
    site = make_empty_site()

    result = site.manage("restore", str(backup))

    assert result.returncode == 1
    assert f"{backup / name} is damaged: its SHA-256 differs" in result.stderr
    assert site.tables() == []
    assert site.media_files() == {}


def test_it_refuses_a_backup_with_a_missing_file(backup, make_empty_site):
    (backup / first_photo_file(backup)).unlink()
    site = make_empty_site()

    result = site.manage("restore", str(backup))

    assert result.returncode == 1
    assert f"{backup / first_photo_file(backup)} is missing: the backup is incomplete" in (
        result.stderr
    )
    assert site.tables() == []


def test_it_refuses_a_folder_without_a_manifest(tmp_path, db):
    (tmp_path / "half-written").mkdir()

    with pytest.raises(CommandError, match=r"manifest\.json is missing: .* never finished"):
        call_command("restore", str(tmp_path / "half-written"))


def test_it_refuses_a_database_that_has_tables(backup, make_empty_site):
    site = make_empty_site()
    site.execute("CREATE TABLE notes (body text)")
    site.execute("INSERT INTO notes VALUES ('kept')")

    result = site.manage("restore", str(backup))

    assert result.returncode == 1
    assert "is not empty (1 tables): restore into an empty database" in result.stderr
    assert site.tables() == ["notes"]
    assert site.execute("SELECT body FROM notes") == [("kept",)]
    assert site.media_files() == {}


def test_it_refuses_a_media_root_that_holds_files(backup, make_empty_site):
    site = make_empty_site()
    (site.media_root / "photos").mkdir(parents=True)
    (site.media_root / "photos" / "kept.webp").write_bytes(b"someone's photo")

    result = site.manage("restore", str(backup))

    assert result.returncode == 1
    assert f"The media root {site.media_root} holds files" in result.stderr
    assert site.tables() == []
    assert site.media_files() == {"photos/kept.webp": b"someone's photo"}


def test_it_refuses_a_backup_made_by_newer_code(backup):
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["migrations"]["planner"].append("0999_from_the_future")
    (backup / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match=r"newer version .*planner\.0999_from_the_future"):
        call_command("restore", str(backup))


def test_it_checks_without_changing_anything_on_a_dry_run(backup, make_empty_site):
    site = make_empty_site()

    result = site.manage("restore", "--dry-run", str(backup))

    assert result.returncode == 0, result.stderr
    assert "can be restored here; nothing changed" in result.stdout
    assert site.tables() == []
    assert site.media_files() == {}


def test_it_migrates_an_older_backup_up_to_this_code(tmp_path, make_empty_site):
    older = make_empty_site()
    assert older.manage("migrate", "planner", "0011_goal_ticked_by_hand", "-v0").returncode == 0
    assert older.manage("backup", "--output", str(tmp_path / "older")).returncode == 0
    site = make_empty_site()

    result = site.manage("restore", str(tmp_path / "older"))

    assert result.returncode == 0, result.stderr
    assert "Applying planner.0012_year_title_help_text... OK" in result.stdout
    assert site.manage("migrate", "--check").returncode == 0
