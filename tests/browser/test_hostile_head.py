"""A post whose title and intro try to add a meta refresh stays where it is, in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.factory import PASSWORD, make_goal, make_year

pytestmark = pytest.mark.django_db(transaction=True)

# A refresh to a page of this same site, so one that happened is seen whatever the network.
AWAY = "0;url=/robots.txt"
TITLE = f"</title><meta http-equiv=refresh content={AWAY}><title>"
INTRO = "\n\n".join(
    [
        f'{AWAY}" http-equiv="refresh" data-x="',
        f"{AWAY}' http-equiv='refresh' data-x='",
        f'"><meta http-equiv="refresh" content="{AWAY}"><script>alert(1)</script>',
    ]
)


@pytest.fixture
def hostile_post(owner: User):
    owner.display_name = f'"><meta http-equiv="refresh" content="{AWAY}">'[:60]
    owner.save()
    post = make_year(owner, year=2025, title=TITLE, intro=INTRO, summary=INTRO)
    make_goal(post, title=TITLE, note=INTRO)
    return post


@pytest.fixture
def dialogs(page):
    opened: list[str] = []

    def record(dialog):
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return opened


@pytest.mark.parametrize("who", ["visitor", "reader", "owner"])
def test_a_post_with_a_hostile_head_stays_put(
    page, live_server, log_in, hostile_post, reader, dialogs, who
):
    if who != "visitor":
        log_in(who, PASSWORD)
        expect(page.locator("h1")).to_be_visible()
    address = live_server.url + hostile_post.get_absolute_url()

    for _ in range(2):  # the second answer may come from the post cache
        page.goto(address)
        page.wait_for_timeout(3000)

        assert page.url == address
        expect(page.locator("h1")).to_have_text(TITLE)
        expect(page).to_have_title(f"{TITLE} · Yearloop")
        expect(page.locator("meta[http-equiv]")).to_have_count(0)
        assert dialogs == []
