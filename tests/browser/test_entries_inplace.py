from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from planner.models import PERIOD_LABELS, Entry, period_index_for
from tests.browser.conftest import open_menu
from tests.factory import PASSWORD, make_entry, make_year

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def year(owner):
    year = make_year(owner, year=2025)
    for position, title in enumerate(["Moved to Seoul", "Lake swim", "Piano recital"], 1):
        make_entry(year, period=2, title=title, body=f"All about {title}.", order=position)
    return year


@pytest.fixture
def post_page(page, live_server, year, log_in):
    log_in("owner", PASSWORD)
    page.goto(live_server.url + year.get_absolute_url())
    return page


def entry_titles(page, index: int = 2):
    return page.locator(f"#period-{index}-entries .entry-title")


def test_the_owner_reorders_entries_with_buttons_and_the_order_stays(post_page, console_errors):
    page = post_page
    page.evaluate("() => { window.notReloaded = true; }")

    open_menu(page, "Piano recital")
    page.get_by_role("button", name="Move up Piano recital").click()
    expect(entry_titles(page)).to_have_text(["Moved to Seoul", "Piano recital", "Lake swim"])
    up = page.get_by_role("button", name="Move up Piano recital")
    expect(up).to_be_focused()
    up.click()
    expect(entry_titles(page)).to_have_text(["Piano recital", "Moved to Seoul", "Lake swim"])
    expect(page.get_by_role("button", name="Move down Piano recital")).to_be_focused()
    assert page.evaluate("() => window.notReloaded") is True

    page.reload()
    expect(entry_titles(page)).to_have_text(["Piano recital", "Moved to Seoul", "Lake swim"])
    assert console_errors == []


def test_the_owner_drags_an_entry_to_a_new_place(post_page, console_errors):
    page = post_page
    entries = page.locator("#period-2-entries .entry")

    target = entries.filter(has_text="Piano recital")
    bottom_half = {"x": 20, "y": target.bounding_box()["height"] - 8}

    # The list rearranges as the pointer moves; wait for the saved order before reloading.
    with page.expect_response(lambda r: r.url.endswith("/entries/order/")) as saved:
        entries.filter(has_text="Moved to Seoul").drag_to(target, target_position=bottom_half)

    assert saved.value.status == 200

    expect(entry_titles(page)).to_have_text(["Lake swim", "Piano recital", "Moved to Seoul"])
    page.reload()
    expect(entry_titles(page)).to_have_text(["Lake swim", "Piano recital", "Moved to Seoul"])
    assert console_errors == []


def test_the_owner_deletes_an_entry_and_undoes_it(post_page, console_errors):
    page = post_page
    page.once("dialog", lambda dialog: dialog.accept())

    open_menu(page, "Lake swim")
    page.get_by_role("link", name="Delete Lake swim").click()
    expect(page.locator("#period-2-entries").get_by_text("Deleted “Lake swim”.")).to_be_visible()
    expect(entry_titles(page)).to_have_text(["Moved to Seoul", "Piano recital"])
    undo = page.get_by_role("button", name="Undo — restore “Lake swim”")
    expect(undo).to_be_focused()

    page.keyboard.press("Enter")
    expect(entry_titles(page)).to_have_text(["Moved to Seoul", "Lake swim", "Piano recital"])
    expect(page.get_by_label("Actions for “Lake swim”")).to_be_focused()
    expect(page.locator("#live-status")).to_have_text("Entry “Lake swim” is back.")
    expect(page.get_by_text("Deleted “Lake swim”.")).to_have_count(0)
    page.reload()
    expect(entry_titles(page)).to_have_text(["Moved to Seoul", "Lake swim", "Piano recital"])
    assert console_errors == []


def test_the_owner_keeps_a_deletion_when_declining_to_confirm(post_page):
    page = post_page
    page.once("dialog", lambda dialog: dialog.dismiss())

    open_menu(page, "Lake swim")
    page.get_by_role("link", name="Delete Lake swim").click()

    expect(entry_titles(page)).to_have_text(["Moved to Seoul", "Lake swim", "Piano recital"])
    assert Entry.objects.filter(title="Lake swim").exists()


def test_the_owner_locks_an_entry(post_page, console_errors):
    page = post_page

    open_menu(page, "Lake swim")
    page.get_by_role("button", name="Make private Lake swim").click()

    lock = page.get_by_role("button", name="Make visible Lake swim")
    expect(lock).to_have_attribute("aria-pressed", "true")
    expect(lock).to_be_focused()
    expect(page.locator("#period-2-entries .badge-private")).to_have_count(1)
    assert Entry.objects.get(title="Lake swim").is_private
    assert console_errors == []


def test_the_owner_writes_an_entry_from_the_dashboard(
    page, live_server, owner, log_in, console_errors
):
    today = timezone.localdate()
    this_year = make_year(owner, year=today.year)
    label = str(PERIOD_LABELS[period_index_for(today.month)])
    log_in("owner", PASSWORD)
    page.goto(live_server.url + "/")

    box = page.locator("#quick-entry")
    box.get_by_label("Title").fill("First swim of the year")
    box.get_by_label("Text").fill("The water was **cold**.")
    box.get_by_role("button", name="Add entry").click()

    expect(box.get_by_text(f"Added “First swim of the year” to {label}.")).to_be_visible()
    expect(box.get_by_label("Title")).to_have_value("")
    expect(box.get_by_label("Title")).to_be_focused()
    box.get_by_role("link", name="See it in the post").click()
    period = page.locator(f"#period-{period_index_for(today.month)}")
    expect(period.get_by_role("heading", name="First swim of the year")).to_be_visible()
    expect(period.locator("strong", has_text="cold")).to_be_visible()
    assert page.url.startswith(live_server.url + this_year.get_absolute_url())
    assert console_errors == []


def test_entries_are_written_moved_deleted_and_restored_without_javascript(
    browser, live_server, year
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + year.get_absolute_url())

    page.locator("#period-2").get_by_role("link", name="Add an entry").click()
    page.get_by_label("Title").fill("Summer concert")
    page.get_by_label("Text").fill("Played *two* pieces.")
    page.get_by_role("button", name="Save").click()

    assert page.url.endswith(year.get_absolute_url() + "#period-2")
    expect(page.get_by_text("Entry “Summer concert” added.")).to_be_visible()
    expect(entry_titles(page)).to_have_text(
        ["Moved to Seoul", "Lake swim", "Piano recital", "Summer concert"]
    )

    open_menu(page, "Summer concert")
    page.get_by_role("button", name="Move up Summer concert").click()
    expect(entry_titles(page)).to_have_text(
        ["Moved to Seoul", "Lake swim", "Summer concert", "Piano recital"]
    )

    open_menu(page, "Lake swim")
    page.get_by_role("link", name="Delete Lake swim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete “Lake swim”?")
    page.get_by_role("button", name="Delete").click()
    expect(
        page.get_by_text("Entry “Lake swim” deleted. You can undo this for a week.")
    ).to_be_visible()
    expect(entry_titles(page)).to_have_text(["Moved to Seoul", "Summer concert", "Piano recital"])

    page.get_by_role("button", name="Undo — restore “Lake swim”").click()
    expect(page.get_by_text("Entry “Lake swim” is back.")).to_be_visible()
    expect(entry_titles(page)).to_have_text(
        ["Moved to Seoul", "Lake swim", "Summer concert", "Piano recital"]
    )
    context.close()


def test_an_entry_saved_in_a_second_tab_is_not_overwritten_by_the_first(
    page, live_server, year, log_in
):
    log_in("owner", PASSWORD)
    lake = Entry.objects.get(title="Lake swim")
    edit_url = f"{live_server.url}/entries/{lake.pk}/edit/"
    page.goto(edit_url)
    phone = page.context.new_page()
    phone.goto(edit_url)
    phone.get_by_label("Text", exact=True).fill("Written on the phone: the water was 14 degrees.")
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Entry saved.")).to_be_visible()

    page.get_by_label("Text", exact=True).fill("Written on the laptop, hours later.")
    page.get_by_role("button", name="Save").click()

    alert = page.get_by_role("alert").filter(has_text="changed elsewhere")
    expect(alert).to_contain_text("Written on the phone: the water was 14 degrees.")
    expect(page.get_by_label("Text", exact=True)).to_have_value(
        "Written on the laptop, hours later."
    )
    page.get_by_role("button", name="Save").click()  # keep mine
    expect(page.get_by_text("Entry saved.")).to_be_visible()
    lake.refresh_from_db()
    assert lake.body == "Written on the laptop, hours later."
