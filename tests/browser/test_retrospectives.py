from __future__ import annotations

import pytest
from playwright.sync_api import expect

from planner.models import Period, Year
from tests.browser.waiting import eventually
from tests.factory import PASSWORD, make_entry, make_year

pytestmark = pytest.mark.django_db(transaction=True)

SUMMER = "Looking back on May–August"
WRITE = "Write the period's retrospective"


@pytest.fixture
def post(owner):
    year = make_year(owner, year=2025, intro="A year of papers and piano.")
    make_entry(year, period=2, title="Summer by the sea")
    return year


@pytest.fixture
def tab(browser, live_server):
    """Opens a page in a browser context of its own (its own cookies), logged in as the owner."""
    contexts, errors = [], []

    def open_tab(**context_args):
        context = browser.new_context(**context_args)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill("owner")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        return page

    # Chromium logs every 4xx answer; a 409 is how a conflict is meant to arrive.
    open_tab.errors = lambda: [e for e in errors if not e.endswith("status of 409 (Conflict)")]
    yield open_tab
    for context in contexts:
        context.close()


def open_editor(section, link: str, label: str):
    """Swap the editor in; it is ready for typing once focused (after htmx has set it up)."""
    section.get_by_role("link", name=link).click()
    box = section.get_by_label(label)
    expect(box).to_be_focused()
    return box


def retrospective(index: int = 2) -> str:
    return Period.objects.get(year__year=2025, index=index).retrospective


def test_a_retrospective_saves_itself_while_the_owner_types(
    page, live_server, post, log_in, console_errors
):
    log_in("owner", PASSWORD)
    page.goto(live_server.url + post.get_absolute_url())
    period = page.locator("#period-2")

    open_editor(period, WRITE, SUMMER).press_sequentially("Hot, slow and *good*.")

    expect(period.get_by_role("status")).to_have_text("Saved")
    # A pause in the typing saves what is there so far: the whole text follows.
    eventually(page, lambda: retrospective() == "Hot, slow and *good*.")
    page.reload()
    expect(page.locator("#period-2-retrospective em")).to_have_text("good")
    assert console_errors == []


def test_the_save_button_shows_the_text_again(page, live_server, post, log_in, console_errors):
    log_in("owner", PASSWORD)
    page.goto(live_server.url + post.get_absolute_url())
    intro = page.locator("#intro")

    open_editor(intro, "Edit — Intro", "Intro").fill("A year of **papers**, piano and a move.")
    intro.get_by_role("button", name="Save").click()

    expect(intro.locator("strong")).to_have_text("papers")
    expect(intro.locator("textarea")).to_have_count(0)
    expect(page).to_have_url(live_server.url + post.get_absolute_url())  # no reload
    assert console_errors == []


def test_the_status_says_when_a_save_did_not_reach_the_server(page, live_server, post, log_in):
    log_in("owner", PASSWORD)
    page.goto(live_server.url + post.get_absolute_url())
    intro = page.locator("#intro")
    box = open_editor(intro, "Edit — Intro", "Intro")
    page.route("**/autosave/", lambda route: route.abort())

    box.press_sequentially(" Offline.")

    # Kept on the device, to be sent when the server answers again (static/js/offline.js).
    expect(intro.get_by_role("status")).to_have_text("Kept on this device")
    expect(page.get_by_role("region", name="Changes waiting to be sent")).to_contain_text(
        "1 change waiting to be sent"
    )
    assert Year.objects.get(pk=post.pk).intro == "A year of papers and piano."


def test_leaving_with_text_not_saved_yet_asks_first(page, live_server, post, log_in):
    log_in("owner", PASSWORD)
    page.goto(live_server.url + post.get_absolute_url())
    intro = page.locator("#intro")
    box = open_editor(intro, "Edit — Intro", "Intro")
    held = []
    page.route("**/autosave/", lambda route: held.append(route))  # not saved, however slow

    box.press_sequentially(" And a move.")
    with page.expect_event("dialog") as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()

    page.unroute("**/autosave/")
    for route in held:
        route.continue_()
    wanted = "A year of papers and piano. And a move."
    eventually(page, lambda: Year.objects.get(pk=post.pk).intro == wanted)
    expect(intro.get_by_role("status")).to_have_text("Saved")
    with page.expect_event("close"):
        page.close(run_before_unload=True)


def test_two_tabs_never_overwrite_each_other_silently(tab, live_server, post):
    url = live_server.url + post.get_absolute_url()
    tab_a, tab_b = tab(), tab()
    for page in (tab_a, tab_b):
        page.goto(url)
        open_editor(page.locator("#period-2"), WRITE, SUMMER)

    tab_a.get_by_label(SUMMER).fill("Written in tab A")
    tab_a.get_by_role("button", name="Save").click()
    expect(tab_a.locator("#period-2-retrospective")).to_contain_text("Written in tab A")

    # Tab B was loaded before A saved; its autosave must not overwrite A's text.
    tab_b.get_by_label(SUMMER).press_sequentially("Written in tab B")
    conflict = tab_b.locator("#period-2-retrospective")
    expect(conflict.get_by_text("Changed elsewhere since you started")).to_be_visible()
    expect(conflict.locator(".text-theirs")).to_have_text("Written in tab A")
    expect(conflict.get_by_label("Yours, not saved yet")).to_have_value("Written in tab B")
    assert retrospective() == "Written in tab A"

    conflict.get_by_role("button", name="Keep mine").click()

    expect(conflict.locator("p", has_text="Written in tab B")).to_be_visible()
    expect(conflict.locator("textarea")).to_have_count(0)
    assert retrospective() == "Written in tab B"
    assert tab.errors() == []


def test_keep_theirs_drops_mine(tab, live_server, post):
    url = live_server.url + post.get_absolute_url()
    tab_a, tab_b = tab(), tab()
    for page in (tab_a, tab_b):
        page.goto(url)
        open_editor(page.locator("#intro"), "Edit — Intro", "Intro")
    tab_a.get_by_label("Intro").fill("Theirs")
    tab_a.get_by_role("button", name="Save").click()
    expect(tab_a.locator("#intro")).to_contain_text("Theirs")

    tab_b.get_by_label("Intro").fill("Mine")
    tab_b.get_by_role("button", name="Save").click()
    tab_b.get_by_role("link", name="Keep theirs").click()

    intro = tab_b.locator("#intro")
    expect(intro.get_by_role("link", name="Edit — Intro")).to_be_visible()
    expect(intro).to_contain_text("Theirs")
    expect(intro).not_to_contain_text("Mine")
    assert Year.objects.get(pk=post.pk).intro == "Theirs"
    assert tab.errors() == []


def test_a_retrospective_is_edited_without_javascript(tab, live_server, post):
    page = tab(java_script_enabled=False)
    page.goto(live_server.url + post.get_absolute_url())

    page.locator("#period-2").get_by_role("link", name=WRITE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SUMMER)
    page.get_by_label(SUMMER).fill("Written with *no* script.")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(live_server.url + post.get_absolute_url() + "#period-2-retrospective")
    expect(page.locator("#period-2-retrospective em")).to_have_text("no")
    assert retrospective() == "Written with *no* script."


def test_without_javascript_a_conflict_is_a_page_too(tab, live_server, post):
    page = tab(java_script_enabled=False)
    page.goto(live_server.url + post.get_absolute_url())
    page.locator("#period-1").get_by_role("link", name=WRITE).click()
    Period.objects.filter(year=post, index=1).update(retrospective="From my phone")

    page.get_by_label("Looking back on January–April").fill("From my laptop")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Changed elsewhere since you started")).to_be_visible()
    expect(page.locator(".text-theirs")).to_have_text("From my phone")
    assert retrospective(1) == "From my phone"
    page.get_by_role("button", name="Keep mine").click()
    expect(page.locator("#period-1-retrospective")).to_contain_text("From my laptop")
    assert retrospective(1) == "From my laptop"
