"""Drafting the overall retrospective from the demo's year, and setting next year's goals."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from planner.models import Year
from tests.browser.test_accessibility import axe_violations, describe
from tests.factory import PASSWORD, make_goal, make_year

pytestmark = pytest.mark.django_db(transaction=True)


def test_draft_my_review_fills_an_empty_editor_and_leaves_a_written_text_alone(
    page, live_server, demo_year, log_in, console_errors
):
    log_in("demo", "demo")
    post = Year.objects.get(owner__username="demo", year=demo_year)
    written = post.summary
    page.goto(live_server.url + post.get_absolute_url())

    summary = page.locator("#summary")
    summary.get_by_role("link", name="Draft my review").click()
    expect(page.locator("#summary-text")).to_have_value(written)
    draft = page.locator("#summary-draft")
    expect(draft).to_contain_text("Submit to ECCV")  # the reached goal
    expect(draft).to_contain_text("**Long run: 18 km** (14 reads)")  # the most-read entry
    assert describe("draft beside a text", axe_violations(page)) == []
    post.refresh_from_db()
    assert post.summary == written

    Year.objects.filter(pk=post.pk).update(summary="")
    page.goto(live_server.url + post.get_absolute_url())
    page.locator("#summary").get_by_role("link", name="Draft my review").click()
    editor = page.locator("#summary-text")
    expect(editor).to_contain_text("**Submit to ECCV**")
    expect(editor).to_contain_text("**Long run: 18 km** (14 reads)")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#summary .post-text-body")).to_contain_text("Long run: 18 km")
    post.refresh_from_db()
    assert "Submit to ECCV" in post.summary
    assert console_errors == []


def test_setting_next_years_goals_step_by_step(page, live_server, owner, log_in, console_errors):
    year = make_year(owner, year=2025)
    make_goal(year, title="Move to Seoul", done=True)
    make_goal(year, title="Submit to CVPR", note="Rejected.")
    make_goal(year, title="Learn to swim")
    make_goal(year, title="Write a novel", note="Two chapters.")
    log_in("owner", PASSWORD)
    page.goto(live_server.url + year.get_absolute_url())

    page.get_by_role("link", name="Set your 2026 goals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit to CVPR")
    assert describe("a goal's step", axe_violations(page)) == []
    page.get_by_label("Carry it over as it is").check()
    page.get_by_label("Why").fill("Third time lucky.")
    page.get_by_role("button", name="Save and go on").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Learn to swim")
    page.get_by_label("Rewrite it").check()
    page.get_by_role("button", name="Save and go on").click()
    expect(page.get_by_text("Write the goal's new title.").first).to_be_visible()
    page.get_by_label("New title, when rewritten").fill("Swim 1 km without stopping")
    page.get_by_role("button", name="Save and go on").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Write a novel")
    page.get_by_role("link", name="Back").click()
    expect(page.get_by_label("New title, when rewritten")).to_have_value(
        "Swim 1 km without stopping"
    )
    page.get_by_role("button", name="Save and go on").click()
    page.get_by_label("Let it go").check()
    page.get_by_label("Why").fill("Not this decade.")
    page.get_by_role("button", name="Save and go on").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("New goals for 2026")
    assert describe("the new goals' step", axe_violations(page)) == []
    page.get_by_label("New goal").fill("Run a marathon")
    page.get_by_role("button", name="Add the goal").click()
    page.get_by_role("button", name="Done: open 2026").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("2026 review and 2027 plan")
    goals = page.locator("#goals")
    expect(goals.locator(".goal-title")).to_have_text(
        ["Submit to CVPR", "Swim 1 km without stopping", "Run a marathon"]
    )
    expect(goals.get_by_text("set again — 2nd try")).to_have_count(2)
    page.goto(live_server.url + year.get_absolute_url())
    expect(page.locator("#goals .goal", has_text="Write a novel")).to_contain_text(
        "Not this decade."
    )
    # The refused step answered 422, as meant; the browser logs that, and nothing else.
    assert [error for error in console_errors if "422" not in error] == []
