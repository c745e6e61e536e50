from __future__ import annotations

import pytest
from playwright.sync_api import expect

from planner.models import Visibility
from tests.factory import PASSWORD, make_entry, make_goal, make_year

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def post(owner):
    year = make_year(owner, year=2025, title="A year of running", visibility=Visibility.PUBLIC)
    make_goal(year, title="Run a half marathon", note="Finished in 2:05.")
    make_goal(year, title="Secret marathon diet", is_private=True)
    make_entry(year, period=2, title="여름 여행", body="바다에서 테스트합니다.")
    return year


def search_from_the_header(page, query: str) -> None:
    box = page.get_by_role("banner").get_by_role("searchbox", name="Search")
    box.fill(query)
    box.press("Enter")


def test_a_visitor_searches_from_the_header_and_sees_the_match_marked(
    page, live_server, post, console_errors
):
    goal = post.goals.get(title="Run a half marathon")
    page.goto(live_server.url + "/")

    search_from_the_header(page, "marathon")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("status")).to_have_text("1 result")
    hit = page.get_by_role("link", name="Run a half marathon")
    expect(hit.locator("mark")).to_have_text("marathon")
    expect(page.get_by_text("Secret marathon diet")).to_have_count(0)
    hit.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A year of running")
    assert page.url.endswith(f"/@owner/2025/#goal-{goal.pk}")
    assert console_errors == []


def test_a_korean_word_finds_the_longer_word_it_is_part_of(page, live_server, post):
    page.goto(live_server.url + post.get_absolute_url())

    search_from_the_header(page, "테스트")

    expect(page.get_by_role("link", name="여름 여행")).to_be_visible()
    expect(page.locator(".search-period")).to_have_text("May–August")
    excerpt = page.locator(".search-excerpt")
    expect(excerpt).to_have_text("바다에서 테스트합니다.")
    expect(excerpt.locator("mark")).to_have_text("테스트")


def test_the_owner_finds_their_private_goal_and_a_visitor_does_not(page, live_server, post, log_in):
    log_in("owner", PASSWORD)

    search_from_the_header(page, "diet marathon")

    expect(page.get_by_role("link", name="Secret marathon diet")).to_be_visible()
    expect(page.locator(".search-hit .badge-private")).to_have_text("private")
    page.get_by_role("button", name="Log out").click()
    search_from_the_header(page, "diet marathon")
    expect(page.get_by_text("Nothing found for “diet marathon”.")).to_be_visible()


def test_a_one_letter_search_asks_for_more(page, live_server, post):
    page.goto(live_server.url + "/search/?q=a")

    expect(page.get_by_text("Type at least 2 characters to search.")).to_be_visible()


def test_search_results_fit_a_phone(page, live_server, post):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")

    search_from_the_header(page, "marathon")

    expect(page.get_by_role("link", name="Run a half marathon")).to_be_visible()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
