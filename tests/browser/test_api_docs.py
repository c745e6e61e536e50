"""The API's documentation page renders in Chromium under the site's strict CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from planner.models import Year
from tests.factory import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_with_no_csp_violation(page, live_server, console_errors):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            not request.url.startswith(live_server.url)
            and not request.url.startswith("data:")
            and outside.append(request.url)
        ),
    )
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", name="Yearloop API")).to_be_visible()
    expect(page.get_by_text("Log progress").first).to_be_visible()
    page.get_by_text("/api/v1/goals/{goal_id}/progress").first.click()
    expect(page.get_by_text("recorded_on").first).to_be_visible()
    assert violations == []
    assert console_errors == []
    assert outside == []


def test_a_signed_in_person_tries_a_write_from_the_docs(page, live_server, log_in):
    """The docs page sends the session's CSRF token, which a write with the session needs."""
    make_user("owner")
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/api/v1/docs")
    block = page.locator("#operations-years-api_routes_years_year_create")
    block.get_by_text("Start a year").click()
    block.get_by_role("button", name="Try it out").click()
    block.locator("textarea.body-param__text").fill('{"year": 2031, "visibility": "private"}')
    block.get_by_role("button", name="Execute").click()
    status = block.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("201")
    assert Year.objects.filter(owner__username="owner", year=2031).exists()
