from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from planner.models import DailyViews, Like, Visibility, Year
from tests.factory import PASSWORD, make_user, make_year

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def post(owner):
    return make_year(owner, year=2025, title="A year of papers")


def test_a_reader_likes_and_unlikes_in_place(
    page, live_server, log_in, reader, post, console_errors
):
    log_in("reader", PASSWORD)
    page.goto(live_server.url + post.get_absolute_url())
    page.evaluate("() => { window.notReloaded = true; }")
    header, footer = page.locator("#like-header"), page.locator("#like-footer")
    expect(header.get_by_text("0 likes")).to_be_visible()

    like = header.get_by_role("button", name="Like — A year of papers")
    like.focus()
    page.keyboard.press("Enter")

    expect(header.get_by_text("1 like", exact=True)).to_be_visible()
    expect(footer.get_by_text("1 like", exact=True)).to_be_visible()
    expect(header.get_by_role("button")).to_have_attribute("aria-pressed", "true")
    expect(footer.get_by_role("button")).to_have_attribute("aria-pressed", "true")
    expect(header.get_by_role("button")).to_be_focused()
    assert Like.objects.filter(year=post, user=reader).count() == 1

    footer.get_by_role("button").click()

    expect(footer.get_by_text("0 likes")).to_be_visible()
    expect(header.get_by_text("0 likes")).to_be_visible()
    expect(header.get_by_role("button")).to_have_attribute("aria-pressed", "false")
    assert not Like.objects.exists()
    assert page.evaluate("() => window.notReloaded") is True
    assert console_errors == []


def test_a_reader_likes_with_javascript_off(browser, live_server, reader, post):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + post.get_absolute_url())

    page.locator("#like-footer").get_by_role("button").click()

    expect(page).to_have_url(live_server.url + post.get_absolute_url() + "#like-footer")
    expect(page.locator("#like-footer").get_by_text("1 like", exact=True)).to_be_visible()
    assert Like.objects.filter(year=post, user=reader).count() == 1
    context.close()


def test_a_visitor_sees_the_count_and_logs_in_to_like(page, live_server, post, reader):
    Like.objects.create(year=post, user=reader)

    page.goto(live_server.url + post.get_absolute_url())

    header = page.locator("#like-header")
    expect(header.get_by_text("1 like", exact=True)).to_be_visible()
    expect(header.get_by_role("button")).to_have_count(0)
    header.get_by_role("link", name="Log in to like").click()
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + post.get_absolute_url())


def test_the_owner_sees_the_statistics_chart(
    page, live_server, log_in, owner, post, console_errors
):
    older = make_year(owner, year=2024, title="The year before")
    today = timezone.localdate()
    for days_ago, count in ((0, 3), (1, 7), (5, 2)):
        DailyViews.objects.create(
            year=post, day=today - datetime.timedelta(days=days_ago), count=count
        )
    DailyViews.objects.create(year=older, day=today - datetime.timedelta(days=2), count=4)
    log_in("owner", PASSWORD)

    page.get_by_role("link", name="Statistics").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Statistics")
    chart = page.get_by_role("img", name="Views per post and day over the last 90 days")
    expect(chart).to_be_visible()
    expect(chart.locator("polyline")).to_have_count(2)
    box = chart.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 50
    expect(page.get_by_text("16 views in all")).to_be_visible()
    most_read = page.locator(".most-read li")
    expect(most_read.first).to_contain_text("A year of papers")
    expect(most_read.first).to_contain_text("12 views")

    page.get_by_text("The figures as a table").click()
    expect(page.get_by_role("table")).to_be_visible()
    assert console_errors == []


def test_an_action_on_a_post_made_private_meanwhile_says_so(page, live_server, log_in):
    writer = make_user("writer")
    post = make_year(writer, year=2025, visibility=Visibility.PUBLIC)
    make_user("fan")
    log_in("fan", PASSWORD)
    page.goto(live_server.url + post.get_absolute_url())
    Year.objects.filter(pk=post.pk).update(visibility=Visibility.PRIVATE)

    page.locator("#like-header").get_by_role("button").click()

    expect(page.get_by_role("alert")).to_contain_text("This is no longer there")


def test_the_owner_opens_the_figures_of_the_post_they_read(
    page, live_server, log_in, owner, post, console_errors
):
    older = make_year(owner, year=2024, title="The year before")
    today = timezone.localdate()
    DailyViews.objects.create(year=post, day=today, count=3)
    DailyViews.objects.create(year=older, day=today, count=4)
    log_in("owner", PASSWORD)
    page.goto(live_server.url + post.get_absolute_url())

    page.locator(".post-views").get_by_role("link", name="Statistics").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Statistics of 2025")
    expect(page.get_by_text("3 views in all")).to_be_visible()
    chart = page.get_by_role("img", name="Views per post and day over the last 90 days")
    expect(chart.locator("polyline")).to_have_count(1)
    page.get_by_role("link", name="Statistics of all your posts").click()
    expect(page.get_by_text("7 views in all")).to_be_visible()
    assert console_errors == []
