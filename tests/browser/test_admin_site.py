from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factory import PASSWORD, make_entry, make_goal, make_photo, make_year

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_edit_a_year_with_its_goals_and_periods_inline(
    page, live_server, owner, staff, console_errors
):
    year = make_year(owner, year=2025)
    make_goal(year, title="Run a half marathon")
    make_photo(make_entry(year, title="Spring trip"), caption="Rain, again")

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Years").click()
    page.locator("#result_list").get_by_role("link", name="2025").click()

    expect(page.locator("#goals-group")).to_contain_text("Goals")
    expect(page.locator("#id_goals-0-title")).to_have_value("Run a half marathon")
    expect(page.locator("#periods-group textarea").filter(visible=True)).to_have_count(3)
    page.locator("#id_goals-0-note").fill("Finished in 2:05")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert year.goals.get().note == "Finished in 2:05"
    assert console_errors == []
