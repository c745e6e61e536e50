from __future__ import annotations

import pytest
from playwright.sync_api import expect

from planner.models import Goal
from tests.browser.conftest import open_menu
from tests.factory import PASSWORD, make_goal, make_year

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def year(owner):
    year = make_year(owner, year=2025)
    make_goal(year, title="Submit to CVPR")
    make_goal(year, title="Move to Seoul")
    make_goal(year, title="Finish piano pieces", target=3, unit="pieces")
    return year


@pytest.fixture
def post_page(page, live_server, year, log_in):
    log_in("owner", PASSWORD)
    page.goto(live_server.url + year.get_absolute_url())
    return page


def goal_titles(page) -> list[str]:
    return page.locator("#goal-list .goal-title").all_inner_texts()


def test_the_owner_ticks_and_unticks_a_goal_in_place(post_page, console_errors):
    page = post_page
    page.evaluate("() => { window.notReloaded = true; }")

    page.get_by_role("button", name="Mark “Move to Seoul” as reached").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("1 of 3 reached")).to_be_visible()
    untick = page.get_by_role("button", name="Mark “Move to Seoul” as not reached")
    expect(untick).to_be_focused()

    untick.click()
    expect(page.get_by_text("0 of 3 reached")).to_be_visible()
    assert page.evaluate("() => window.notReloaded") is True
    assert console_errors == []


def test_the_owner_writes_a_note_with_the_keyboard(post_page, console_errors):
    page = post_page
    page.get_by_label("Actions for “Submit to CVPR”").focus()
    page.keyboard.press("Enter")  # opens the menu
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Add a note — Submit to CVPR")).to_be_focused()
    page.keyboard.press("Enter")

    box = page.get_by_label("Outcome note for “Submit to CVPR”")
    expect(box).to_be_focused()
    expect(page.get_by_text("Ctrl+Enter or ⌘+Enter saves, Esc cancels.")).to_be_visible()
    page.keyboard.type("submitted, rejected; became a technical report")
    page.keyboard.press("Control+Enter")

    expect(page.get_by_text("submitted, rejected; became a technical report")).to_be_visible()
    # Back on the goal's menu, which now offers to edit the note.
    menu = page.get_by_label("Actions for “Submit to CVPR”")
    expect(menu).to_be_focused()
    menu.click()
    page.get_by_role("link", name="Edit note — Submit to CVPR").click()
    expect(page.get_by_label("Outcome note for “Submit to CVPR”")).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(" (never mind)")
    page.keyboard.press("Escape")
    expect(page.get_by_text("became a technical report", exact=False)).to_be_visible()
    expect(page.get_by_text("never mind")).to_have_count(0)
    assert Goal.objects.get(title="Submit to CVPR").note == (
        "submitted, rejected; became a technical report"
    )
    assert console_errors == []


def test_progress_logged_until_the_goal_ticks_itself(post_page, console_errors):
    page = post_page
    goal = page.locator(".goal", has_text="Finish piano pieces")

    for expected in ("1 / 3 pieces", "2 / 3 pieces", "3 / 3 pieces"):
        if not goal.get_by_label("Amount to add").is_visible():
            goal.get_by_text("Log progress").click()
        goal.get_by_label("Amount to add").fill("1")
        goal.get_by_role("button", name="Log").click()
        expect(goal.get_by_text(expected)).to_be_visible()

    expect(page.get_by_text("1 of 3 reached")).to_be_visible()
    expect(
        page.get_by_role("button", name="Mark “Finish piano pieces” as not reached")
    ).to_be_visible()
    expect(goal.locator("svg.sparkline")).to_be_visible()
    assert console_errors == []


def test_the_owner_reorders_goals_with_buttons_and_the_order_stays(post_page):
    page = post_page

    open_menu(page, "Finish piano pieces")
    page.get_by_role("button", name="Move up Finish piano pieces").click()
    expect(page.locator("#goal-list .goal-title").nth(1)).to_have_text("Finish piano pieces")
    # The menu stays open on the goal moved, with the focus on the button used...
    up = page.get_by_role("button", name="Move up Finish piano pieces")
    expect(up).to_be_focused()
    expect(page.locator("#live-status")).to_have_text("“Finish piano pieces” is now 2 of 3.")
    page.keyboard.press("Enter")
    expect(page.locator("#goal-list .goal-title").first).to_have_text("Finish piano pieces")
    # ...and, at the top, where "Move up" leads nowhere, on "Move down".
    expect(page.get_by_role("button", name="Move down Finish piano pieces")).to_be_focused()
    expect(page.locator("#live-status")).to_have_text("“Finish piano pieces” is now 1 of 3.")

    page.reload()
    assert goal_titles(page) == ["Finish piano pieces", "Submit to CVPR", "Move to Seoul"]


def test_the_owner_drags_a_goal_to_a_new_place(post_page):
    page = post_page

    page.set_viewport_size({"width": 1280, "height": 1600})  # the pointer stays on the page
    source = page.locator(".goal", has_text="Submit to CVPR").bounding_box()
    target = page.locator(".goal", has_text="Finish piano pieces").bounding_box()
    page.mouse.move(source["x"] + 5, source["y"] + 5)
    page.mouse.down()
    bottom = target["y"] + target["height"] - 3
    page.mouse.move(target["x"] + 5, bottom, steps=20)
    for nudge in range(1, 4):  # the list rearranges under the pointer as it moves
        page.mouse.move(target["x"] + 5 + nudge, bottom)
    # The list rearranges in the browser at once; the reload waits for the server's answer.
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.mouse.up()

    expect(page.locator("#goal-list .goal-title").last).to_have_text("Submit to CVPR")
    page.reload()
    assert goal_titles(page) == ["Move to Seoul", "Finish piano pieces", "Submit to CVPR"]


def test_the_owner_deletes_a_goal_and_undoes_it(post_page):
    page = post_page
    page.once("dialog", lambda dialog: dialog.accept())

    open_menu(page, "Move to Seoul")
    page.get_by_role("link", name="Delete Move to Seoul").click()
    expect(page.get_by_text("Deleted “Move to Seoul”.")).to_be_visible()
    expect(page.get_by_text("0 of 2 reached")).to_be_visible()
    undo = page.get_by_role("button", name="Undo — restore “Move to Seoul”")
    expect(undo).to_be_focused()
    expect(page.locator("#live-status")).to_have_text("“Move to Seoul” deleted. You can undo this.")

    page.keyboard.press("Enter")
    expect(page.get_by_text("0 of 3 reached")).to_be_visible()
    assert goal_titles(page) == ["Submit to CVPR", "Move to Seoul", "Finish piano pieces"]
    expect(page.get_by_label("Actions for “Move to Seoul”")).to_be_focused()
    expect(page.locator("#live-status")).to_have_text("Goal “Move to Seoul” is back.")


def test_ticking_and_writing_a_note_work_without_javascript(browser, live_server, year):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + year.get_absolute_url())

    page.get_by_role("button", name="Mark “Submit to CVPR” as reached").click()
    expect(page.get_by_text("1 of 3 reached")).to_be_visible()

    open_menu(page, "Move to Seoul")
    page.get_by_role("link", name="Add a note — Move to Seoul").click()
    page.get_by_label("Outcome note for “Move to Seoul”").fill("Signed the lease in March.")
    # Without JavaScript the keys do nothing, so nothing says they do.
    expect(page.get_by_text("Ctrl+Enter or ⌘+Enter saves, Esc cancels.")).to_be_hidden()
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Signed the lease in March.")).to_be_visible()
    assert page.url.endswith(
        year.get_absolute_url() + f"#goal-{Goal.objects.get(title='Move to Seoul').pk}"
    )
    context.close()


def test_on_a_phone_the_goal_reads_as_the_post_until_its_menu_is_tapped(
    browser, live_server, year, log_in
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    log_in("owner", PASSWORD, on=page)
    page.goto(live_server.url + year.get_absolute_url())
    goal = page.locator(".goal", has_text="Move to Seoul")

    # Only the tick and the menu: no Edit, Move or Delete until asked for.
    expect(goal.get_by_role("button", name="Make private Move to Seoul")).to_be_hidden()
    expect(goal.get_by_role("link", name="Delete Move to Seoul")).to_be_hidden()
    page.get_by_label("Actions for “Move to Seoul”").tap()
    panel = goal.locator(".item-menu-panel")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    goal.get_by_role("button", name="Make private Move to Seoul").tap()

    expect(page.get_by_role("button", name="Make visible Move to Seoul")).to_be_focused()
    expect(goal.locator(".badge-private")).to_be_visible()
    context.close()


def test_a_wrong_step_is_corrected_and_another_deleted_and_the_tick_follows(
    post_page, console_errors
):
    page = post_page
    goal = page.locator(".goal", has_text="Finish piano pieces")
    for amount, figures in (("2", "2 / 3 pieces"), ("1", "3 / 3 pieces")):
        if not goal.get_by_label("Amount to add").is_visible():
            goal.get_by_text("Log progress").click()
        goal.get_by_label("Amount to add").fill(amount)
        goal.get_by_role("button", name="Log").click()
        expect(goal.get_by_text(figures)).to_be_visible()
    expect(page.get_by_text("1 of 3 reached")).to_be_visible()

    # The 2 was really 1: corrected in place, the goal is no longer reached.
    goal.locator(".goal-history li", has_text="2 pieces").get_by_role(
        "link", name="Correct"
    ).click()
    box = goal.get_by_label("Amount", exact=True)
    expect(box).to_be_focused()
    box.fill("1")
    box.press("Enter")
    expect(goal.get_by_text("2 / 3 pieces")).to_be_visible()
    expect(page.get_by_text("0 of 3 reached")).to_be_visible()
    expect(page.locator("#live-status")).to_have_text(
        "Progress of “Finish piano pieces” corrected."
    )

    page.once("dialog", lambda dialog: dialog.accept())
    goal.locator(".goal-history li").first.get_by_role("link", name="Delete").click()
    expect(goal.get_by_text("1 / 3 pieces")).to_be_visible()
    expect(goal.locator(".goal-history li")).to_have_count(1)
    assert console_errors == []


def test_a_goal_ticked_by_hand_says_so_until_the_figures_decide_again(post_page):
    page = post_page
    page.get_by_role("button", name="Mark “Finish piano pieces” as reached").click()
    goal = page.locator(".goal", has_text="Finish piano pieces")
    expect(goal.get_by_text("ticked by hand")).to_be_visible()

    goal.get_by_role("button", name="Let the figures decide — Finish piano pieces").click()

    expect(page.get_by_role("button", name="Mark “Finish piano pieces” as reached")).to_be_focused()
    expect(goal.get_by_text("ticked by hand")).to_have_count(0)
    expect(page.get_by_text("0 of 3 reached")).to_be_visible()
