from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factory import PASSWORD, make_goal, make_year

pytestmark = pytest.mark.django_db(transaction=True)


def test_on_a_phone_the_first_screen_holds_what_matters_today(
    browser, live_server, owner, log_in, console_errors
):
    today = timezone.localdate()
    post = make_year(owner, year=today.year)
    for n in range(6):
        make_goal(post, title=f"Plain goal {n}")
    make_goal(post, title="Read 15 books", target=15, progress=5, unit="books")
    make_goal(post, title="Submit the thesis", deadline=today + datetime.timedelta(days=3))
    page = browser.new_page(viewport={"width": 390, "height": 844})
    log_in("owner", PASSWORD, on=page)
    page.goto(live_server.url + "/")

    first_screen = {"width": 390, "height": 844}
    for thing in (
        page.locator(".dashboard-today").get_by_role("link", name="Submit the thesis"),
        page.locator(".dashboard-today").get_by_role("link", name="Read 15 books"),
        page.get_by_text("5 / 15 books").first,
        page.locator("#quick-entry").get_by_label("Title"),
    ):
        box = thing.bounding_box()
        assert box is not None and box["y"] + box["height"] <= first_screen["height"], thing
    expect(page.locator(".dashboard-today .today-label").first).to_have_text("Next deadline")
    page.close()
