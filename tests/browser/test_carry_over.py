from __future__ import annotations

import pytest
from playwright.sync_api import expect

from planner.models import Visibility
from tests.factory import PASSWORD, make_goal, make_year

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_owner_carries_a_goal_over_to_next_year(
    page, live_server, owner, log_in, console_errors
):
    year = make_year(owner, year=2025, visibility=Visibility.PUBLIC)
    make_goal(year, title="Submit to CVPR", note="submitted, rejected")
    make_goal(year, title="Learn to swim")
    make_goal(year, title="Move to Seoul", done=True)
    log_in("owner", PASSWORD)
    page.goto(live_server.url + year.get_absolute_url())

    page.get_by_role("link", name="Carry unreached goals to 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Carry unreached goals to 2026")
    expect(page.get_by_label("Submit to CVPR")).to_be_checked()
    page.get_by_label("Learn to swim").uncheck()
    page.get_by_role("button", name="Carry over to 2026").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("2026 review and 2027 plan")
    expect(page.get_by_role("status")).to_contain_text("1 goal carried over to 2026.")
    goals = page.locator("#goals")
    expect(goals.locator(".goal-title")).to_have_text(["Submit to CVPR"])
    expect(goals.get_by_text("set again — 2nd try")).to_be_visible()

    goals.get_by_role("link", name="from 2025").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2025 review and 2026 plan")
    assert console_errors == []


def test_a_goal_next_year_has_already_is_offered_as_a_link_not_a_copy(
    page, live_server, owner, log_in, console_errors
):
    year = make_year(owner, year=2025, visibility=Visibility.PUBLIC)
    make_goal(year, title="Learn to swim")
    make_goal(year, title="Submit to CVPR")
    following = make_year(owner, year=2026)
    make_goal(following, title="Learn to swim", note="lessons booked")
    log_in("owner", PASSWORD)
    page.goto(live_server.url + year.get_absolute_url())

    page.get_by_role("link", name="Carry unreached goals to 2026").click()
    merge = page.get_by_role("group", name="Already in next year: link instead of copying")
    expect(merge.get_by_label("Learn to swim")).to_be_checked()
    expect(
        page.get_by_role("group", name="Goals to set again").get_by_label("Learn to swim")
    ).to_have_count(0)
    page.get_by_role("button", name="Carry over to 2026").click()

    goals = page.locator("#goals")
    expect(goals.locator(".goal-title")).to_have_text(["Learn to swim", "Submit to CVPR"])
    expect(
        goals.locator(".goal", has_text="Learn to swim").get_by_text("set again — 2nd try")
    ).to_be_visible()
    goals.get_by_role("link", name="from 2025").first.click()
    expect(
        page.locator("#goals .goal", has_text="Learn to swim").get_by_role(
            "link", name="carried to 2026"
        )
    ).to_be_visible()
    assert console_errors == []
