"""Life areas in the browser: the profile's area chart says what the data says, to the owner
and to visitors, and the areas page is used with the keyboard; axe finds nothing on either."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from planner.models import Area, DefaultArea, Goal, Visibility
from tests.browser.test_accessibility import axe_violations, describe
from tests.factory import PASSWORD, make_goal, make_year

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = ".area-row input[maxlength]"  # each area's name field


@pytest.fixture
def series(owner):
    Area.objects.ensure_defaults(owner)
    health = Area.objects.get(owner=owner, default=DefaultArea.HEALTH)
    career = Area.objects.get(owner=owner, default=DefaultArea.CAREER)
    years = [make_year(owner, year=year) for year in (2023, 2024, 2025)]
    years.append(make_year(owner, year=2022, visibility=Visibility.PRIVATE))
    for post in years:  # health goals failed every year
        make_goal(post, title="Run a half marathon", area=health)
    make_goal(years[1], title="Sleep before midnight", area=health, done=True)
    make_goal(years[1], title="Lose 5 kg, quietly", area=health, is_private=True, done=True)
    make_goal(years[2], title="Submit to CVPR", area=career, done=True)
    make_goal(years[2], title="A private career plan", area=career, is_private=True)
    return years


def expected_figures(viewer_is_owner: bool) -> dict[str, dict[str, str]]:
    """The chart's figures computed from the rows: per area, per year, "reached/set"."""
    goals = (
        Goal.objects.filter(area__isnull=False)
        .select_related("year", "area")
        .order_by("area__order", "year__year")
    )
    if not viewer_is_owner:
        goals = goals.filter(is_private=False, year__visibility=Visibility.PUBLIC)
    years = sorted({goal.year.year for goal in goals})
    figures: dict[str, dict[str, list[int]]] = {}
    for goal in goals:
        row = figures.setdefault(goal.area.label, {str(year): [0, 0] for year in years})
        row[str(goal.year.year)][0] += goal.done
        row[str(goal.year.year)][1] += 1
    return {area: {y: f"{r}/{s}" for y, (r, s) in row.items()} for area, row in figures.items()}


def figures_on(page) -> dict[str, dict[str, str]]:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.area-chart-table tbody tr')]
            .map(tr => [tr.querySelector('th').textContent.trim(), Object.fromEntries(
                [...tr.querySelectorAll('td')].map(td =>
                    [td.dataset.year, `${td.dataset.reached}/${td.dataset.set}`]))]))"""
    )


def bar_labels_on(page) -> list[str]:
    """The reached/set labels drawn above the bars, area after area."""
    return page.locator(".area-chart-row svg text").filter(has_text="/").all_text_contents()


def test_the_owner_sees_the_numbers_of_every_goal(page, live_server, series, log_in):
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/@owner/")

    expected = expected_figures(viewer_is_owner=True)
    assert figures_on(page) == expected
    assert expected["Health"] == {"2022": "0/1", "2023": "0/1", "2024": "2/3", "2025": "0/1"}
    assert bar_labels_on(page) == [
        value for row in expected.values() for value in row.values() if not value.endswith("/0")
    ]
    page.get_by_text("The figures as a table").click()
    table = page.get_by_role("table", name="Goals reached of goals set, per life area and year")
    expect(table.get_by_role("row", name="Health")).to_contain_text("2 of 3")
    found = describe("profile, owner", axe_violations(page))
    assert not found, "\n".join(found)


def test_a_visitor_sees_no_private_goal_nor_private_year(page, live_server, series):
    page.goto(f"{live_server.url}/@owner/")

    expected = expected_figures(viewer_is_owner=False)
    assert figures_on(page) == expected
    assert expected == {
        "Career and studies": {"2023": "0/0", "2024": "0/0", "2025": "1/1"},
        "Health": {"2023": "0/1", "2024": "1/2", "2025": "0/1"},
    }
    page.get_by_text("The figures as a table").click()
    found = describe("profile, visitor", axe_violations(page))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
def test_the_owner_renames_moves_and_removes_areas(browser, live_server, owner, locale):
    context = browser.new_context(locale=locale, base_url=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("owner")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.goto("/accounts/profile/")
    page.locator("a[href='/areas/']").click()

    rows = page.locator(NAMES)
    expect(rows).to_have_count(6)
    first_default = "Career and studies" if locale == "en-US" else "일과 공부"
    expect(rows.first).to_have_value(first_default)
    found = describe(f"areas ({locale})", axe_violations(page))

    rows.nth(1).fill("Body")
    with page.expect_navigation():
        rows.nth(1).press("Enter")
    expect(page.locator(NAMES).nth(1)).to_have_value("Body")
    with page.expect_navigation():
        page.locator(".area-row").nth(1).locator("button[value='up']").click()
    expect(page.locator(NAMES).first).to_have_value("Body")
    with page.expect_navigation():  # to the question, a page of its own
        page.locator(".area-row").first.locator("a.link-danger").click()
    found += describe(f"remove ({locale})", axe_violations(page))
    page.locator("form button.button-danger").click()
    expect(page.locator(NAMES)).to_have_count(5)
    expect(page.locator(NAMES).first).to_have_value(first_default)

    context.close()
    assert not found, "\n".join(found)
    assert errors == []
