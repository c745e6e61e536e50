"""A reader follows a writer and hears of next year's post: on the Following page and in the
notification list, with the bell's count going down once read; a post made private again
drops out of both."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from planner.models import Visibility
from readers.models import Follow
from tests.factory import PASSWORD, make_user, make_year

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def demo(db):
    writer = make_user("demo", display_name="Dana Demo")
    make_year(writer, year=2025, title="The year of the sea")
    make_year(writer, year=2026, title="Next year, written", visibility=Visibility.PRIVATE)
    return writer


@pytest.fixture
def reader(db):
    return make_user("reader", display_name="Rae Reader")


def bell(tab):
    return tab.locator("header .bell")


def test_a_reader_follows_demo_and_hears_of_next_years_post(
    browser, page, live_server, log_in, demo, reader, console_errors
):
    log_in("reader", PASSWORD)
    expect(page.locator("header .bell-count")).to_have_count(0)
    page.goto(f"{live_server.url}/@demo/")
    expect(page.get_by_text("0 followers")).to_be_visible()
    page.evaluate("() => { window.notReloaded = true; }")
    page.get_by_role("button", name="Follow — Dana Demo").click()
    expect(page.get_by_role("button", name="Follow — Dana Demo")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_text("You follow Dana Demo")).to_be_visible()
    assert page.evaluate("() => window.notReloaded") is True

    context = browser.new_context()
    writer = context.new_page()
    log_in("demo", PASSWORD, on=writer)
    writer.goto(f"{live_server.url}/@demo/2026/edit/")
    writer.get_by_label("Visibility").select_option("public")
    writer.get_by_role("button", name="Save").click()
    expect(writer.locator("h1")).to_contain_text("Next year, written")
    writer.goto(f"{live_server.url}/@demo/")
    expect(writer.get_by_role("link", name="1 follower")).to_be_visible()
    context.close()

    page.goto(f"{live_server.url}/following/")
    writers = page.locator(".following-list")
    expect(writers).to_contain_text("Dana Demo")
    expect(writers.get_by_role("link", name="Next year, written")).to_be_visible()
    expect(bell(page).locator(".bell-count")).to_have_text("1 unread")

    bell(page).click()
    item = page.locator(".notification", has_text="Dana Demo published Next year, written")
    expect(item).to_be_visible()
    expect(item.locator(".notification-new")).to_be_visible()
    expect(bell(page).locator(".bell-count")).to_have_count(0)
    page.reload()
    expect(item.locator(".notification-new")).to_have_count(0)
    item.get_by_role("link", name="Next year, written").click()
    expect(page.locator("h1")).to_contain_text("Next year, written")
    assert console_errors == []


def test_a_notification_about_a_post_made_private_disappears(
    page, live_server, log_in, demo, reader
):
    Follow.objects.create(follower=reader, writer=demo)
    post = demo.years.get(year=2026)
    post.visibility = Visibility.PUBLIC
    post.save()  # committed at once: the followers are told
    log_in("reader", PASSWORD)
    expect(bell(page).locator(".bell-count")).to_have_text("1 unread")

    post.visibility = Visibility.PRIVATE
    post.save()
    page.reload()

    expect(bell(page).locator(".bell-count")).to_have_count(0)
    bell(page).click()
    expect(page.locator(".notification-list")).to_have_count(0)
    expect(page.get_by_text("Next year, written")).to_have_count(0)
    expect(page.get_by_text("Nothing yet")).to_be_visible()


def test_a_reader_follows_and_unfollows_with_javascript_off(
    page_without_javascript, live_server, demo, reader
):
    page = page_without_javascript
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/@demo/2025/")

    page.get_by_role("button", name="Follow — Dana Demo").click()

    assert page.url.startswith(f"{live_server.url}/@demo/2025/")
    button = page.get_by_role("button", name="Follow — Dana Demo")
    expect(button).to_have_attribute("aria-pressed", "true")
    assert Follow.objects.filter(follower=reader, writer=demo).exists()
    button.click()
    expect(page.get_by_role("button", name="Follow — Dana Demo")).to_have_attribute(
        "aria-pressed", "false"
    )
    assert not Follow.objects.exists()


def test_a_reader_unfollows_from_the_following_page_and_can_undo_it(
    page, live_server, demo, reader, log_in, console_errors
):
    Follow.objects.create(follower=reader, writer=demo)
    log_in("reader", PASSWORD)
    page.goto(f"{live_server.url}/following/")
    button = page.get_by_role("button", name="Follow — Dana Demo")
    expect(button).to_have_attribute("aria-pressed", "true")

    button.click()

    expect(button).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_text("Dana Demo").first).to_be_visible()  # still there, to undo
    assert not Follow.objects.exists()
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_be_focused()
    assert Follow.objects.filter(follower=reader, writer=demo).exists()
    page.reload()
    expect(page.get_by_role("button", name="Follow — Dana Demo")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert console_errors == []


def test_going_back_to_the_following_page_shows_it_as_it_is_now(
    page, live_server, demo, reader, log_in
):
    Follow.objects.create(follower=reader, writer=demo)
    log_in("reader", PASSWORD)
    page.goto(f"{live_server.url}/following/")
    page.get_by_role("button", name="Follow — Dana Demo").click()
    expect(page.get_by_role("button", name="Follow — Dana Demo")).to_have_attribute(
        "aria-pressed", "false"
    )

    page.locator(".following-item").get_by_role("link").first.click()
    expect(page).to_have_url(f"{live_server.url}/@demo/")
    page.go_back()

    expect(page).to_have_url(f"{live_server.url}/following/")
    expect(page.get_by_text("You follow no one yet.")).to_be_visible()  # not the page as loaded
