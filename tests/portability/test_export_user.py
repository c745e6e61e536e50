from __future__ import annotations

import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factory import make_entry, make_goal, make_photo, make_year


@pytest.fixture
def year(owner):
    year = make_year(owner, year=2025)
    make_goal(year, title="Read 20 books")
    make_photo(make_entry(year))
    return year


def test_it_writes_the_archive_to_a_file(tmp_path, owner, year):
    target = tmp_path / "owner.zip"
    out = StringIO()

    call_command("export_user", "owner", output=str(target), stdout=out)

    assert f"Wrote {target}" in out.getvalue()
    with zipfile.ZipFile(target) as archive:
        document = json.loads(archive.read("yearloop.json"))
        assert "years/2025.md" in archive.namelist()
    assert document["years"][0]["goals"][0]["title"] == "Read 20 books"


def test_it_says_when_two_exports_hold_the_same_data(tmp_path, owner, year):
    call_command("export_user", "owner", output=str(tmp_path / "a.zip"), stdout=StringIO())
    out = StringIO()

    call_command(
        "export_user",
        "owner",
        output=str(tmp_path / "b.zip"),
        compare=str(tmp_path / "a.zip"),
        stdout=out,
    )

    assert "hold the same data (1 years" in out.getvalue()


def test_it_fails_when_two_exports_differ(tmp_path, owner, year):
    call_command("export_user", "owner", output=str(tmp_path / "a.zip"), stdout=StringIO())
    year.goals.update(title="Read 30 books")
    out = StringIO()

    with pytest.raises(CommandError, match="differ in 2 places"):
        call_command(
            "export_user",
            "owner",
            output=str(tmp_path / "b.zip"),
            compare=str(tmp_path / "a.zip"),
            stdout=out,
        )

    assert "years[0].goals[0].title: 'Read 20 books' → 'Read 30 books'" in out.getvalue()


def test_it_refuses_an_unknown_user(tmp_path, db):
    with pytest.raises(CommandError, match="no user 'nobody'"):
        call_command("export_user", "nobody", output=str(tmp_path / "x.zip"))
