from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_itemcollected(item) -> None:
    # `pytest -m "not browser"` (make test-fast) leaves out every test that opens Chromium.
    if HERE in item.path.parents:
        item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # page.route() does not see requests that pass through a service worker (Playwright
    # says so), and many tests hold or fail requests with it: the app's worker is left out
    # here, as in a browser without one, and tested on its own (test_installable_app.py).
    return {**browser_context_args, "service_workers": "block"}


@pytest.fixture
def console_errors(page):
    """Errors the page logs (a CSP violation shows up here), collected during the test."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def log_in(page, live_server):
    def log_in_as(username: str, password: str, *, on=None) -> None:
        tab = on or page
        tab.goto(f"{live_server.url}/accounts/login/")
        tab.get_by_label("Username").fill(username)
        tab.get_by_label("Password").fill(password)
        tab.get_by_role("button", name="Log in").click()

    return log_in_as


@pytest.fixture
def page_without_javascript(browser):
    """A tab of its own with JavaScript turned off: forms post as plain HTML forms."""
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def open_menu(page, title: str):
    """Open the owner's menu of actions on the goal or entry titled `title`."""
    button = page.get_by_label(f"Actions for “{title}”", exact=True)
    button.click()
    return button
