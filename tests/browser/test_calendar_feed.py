"""The calendar feed's settings in the browser: the address is shown and copied, resetting
asks first and then shows a new address, and the old one answers 404 — with htmx in place
and with JavaScript off; axe finds nothing on the page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import axe_violations, describe
from tests.factory import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def feed_status(page, live_server, address: str) -> int:
    # The page shows the address on SITE_URL; the test server answers the same path.
    return page.request.get(live_server.url + urlsplit(address).path).status


def test_it_shows_the_address_and_resets_it_after_asking(
    page, live_server, owner, log_in, console_errors
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/accounts/profile/")
    page.get_by_role("link", name="Your calendar feed").click()

    field = page.get_by_label("Your calendar's secret address")
    old_address = field.input_value()
    assert old_address.endswith(".ics")
    assert feed_status(page, live_server, old_address) == 200
    page.get_by_role("button", name="Copy the address").click()
    expect(page.get_by_text("The address is copied.")).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == old_address
    assert describe("calendar settings", axe_violations(page)) == []

    confirm = page.get_by_role("button", name="Yes, make a new address")
    expect(confirm).to_be_hidden()  # asked first
    page.evaluate("() => { window.samePage = true; }")
    page.get_by_text("Reset the address").click()
    confirm.click()

    expect(page.get_by_text("the old one no longer works")).to_be_visible()
    assert page.evaluate("() => window.samePage") is True  # swapped in place, not reloaded
    expect(field).to_be_focused()  # on the new address, ready to copy
    new_address = field.input_value()
    assert new_address != old_address
    assert feed_status(page, live_server, old_address) == 404
    assert feed_status(page, live_server, new_address) == 200
    assert console_errors == []


def test_it_resets_the_address_with_javascript_off(
    page_without_javascript, live_server, owner, log_in
):
    page = page_without_javascript
    log_in("owner", PASSWORD, on=page)
    page.goto(f"{live_server.url}/calendar/")
    old_address = page.get_by_label("Your calendar's secret address").input_value()
    expect(page.get_by_role("button", name="Copy the address")).to_be_hidden()

    page.get_by_text("Reset the address").click()
    page.get_by_role("button", name="Yes, make a new address").click()

    expect(page.get_by_text("the old one no longer works")).to_be_visible()
    new_address = page.get_by_label("Your calendar's secret address").input_value()
    assert new_address != old_address
    assert feed_status(page, live_server, old_address) == 404
