from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import expect

from planner.models import Goal
from tests.factory import PASSWORD, make_entry, make_goal, make_photo, make_user, make_year

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_person_downloads_everything_and_brings_it_into_another_account(
    page, live_server, owner, log_in, console_errors, tmp_path
):
    year = make_year(owner, year=2025, title="2025년 결산")
    make_goal(year, title="하프 마라톤", done=True, note="2시간 안에")
    make_photo(make_entry(year, 1, title="봄 여행"))
    make_user("second")
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/accounts/profile/")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download everything").click()
    archive = tmp_path / download.value.suggested_filename
    download.value.save_as(archive)
    assert archive.name.startswith("yearloop-owner-")
    assert "years/2025.md" in zipfile.ZipFile(archive).namelist()

    page.get_by_role("button", name="Log out").click()
    log_in("second", PASSWORD)
    page.goto(f"{live_server.url}/accounts/profile/")
    page.get_by_label("Archive (.zip)").set_input_files(archive)
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_text("The archive is imported")).to_be_visible()
    page.goto(f"{live_server.url}/@second/2025/")
    expect(page.get_by_role("heading", level=1)).to_have_text("2025년 결산")
    expect(page.locator("#goals").get_by_text("2시간 안에")).to_be_visible()
    assert Goal.objects.filter(year__owner__username="second").count() == 1
    assert console_errors == []


def test_a_bad_file_is_refused_with_its_reason(page, live_server, owner, log_in, console_errors):
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/accounts/profile/")

    page.get_by_label("Archive (.zip)").set_input_files(
        {"name": "notes.zip", "mimeType": "application/zip", "buffer": b"just text"}
    )
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_text("This file is not a .zip archive, or it is damaged.")).to_be_visible()
    assert [error for error in console_errors if "status of 422" not in error] == []
