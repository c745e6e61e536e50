"""axe-core on every main page of the demo: logged out and in, English and Korean, wide and narrow.

axe comes from npm (package-lock.json; `make test` installs it) and is injected with
`page.evaluate`, which the strict CSP does not block (a `<script>` tag would be refused).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.models import User
from planner.models import Visibility, Year

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice"]
RUN_AXE = (
    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
    ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
    " targets: v.nodes.map(n => n.target.join(' '))})))"
)
WIDTHS = (1280, 390)
SCHEMES = ("light", "dark")
SEARCH = "/search/?q=CVPR"


# Each page as a visitor, then as the demo's owner; `{public}` is the earliest public post,
# `{year}` this year. The post's comments are audited with every reply box open.
VISITOR_PAGES = [
    "/",
    "{public}",
    "/@demo/",
    SEARCH,
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password_reset/",
]
OWNER_PAGES = [
    "/",
    "{public}",
    "{public}#comments",
    "/@demo/",
    "/@demo/{year}/edit/",
    "/@demo/{year}/texts/summary/draft/",
    "/@demo/{year}/next-year/",
    "/@demo/{year}/next-year/new/",
    "/years/new/",
    "/stats/",
    SEARCH,
    "/accounts/profile/",
    "/accounts/tokens/",
    "/notifications/",
    "/following/",
    "/@demo/followers/",
]
WALK = [("visitor", page) for page in VISITOR_PAGES] + [("demo", page) for page in OWNER_PAGES]


def axe_violations(page) -> list[dict]:
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    return page.evaluate(RUN_AXE, AXE_TAGS)


def describe(where: str, violations: list[dict]) -> list[str]:
    return [
        f"{where}: {v['id']} ({v['impact']}) {v['help']} -> {', '.join(v['targets'])}"
        for v in violations
    ]


def audit(page, url: str, found: list[str], before_each=None) -> None:
    """Open `url` at each width and run axe in light and dark mode; findings go into `found`."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        if before_each:
            before_each(page)
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            found += describe(f"{url} at {width} px, {scheme}", axe_violations(page))


def open_comment_forms(page) -> None:
    """A reader opens a reply box (the comment box itself is always open), then the rest;
    of the owner's item menus, one (only one opens at a time)."""
    page.locator(".comment-reply-link").first.click()
    expect(page.locator(".comment-reply form").first).to_be_visible()
    page.evaluate(
        "() => document.querySelectorAll('details:not(.item-menu)')"
        ".forEach(d => { d.open = true; })"
    )
    if page.locator("details.item-menu").count():
        page.locator("details.item-menu summary").first.click()


def expect_search_results(page) -> None:
    expect(page.locator(".search-hit").first).to_be_visible()


def session_cookie(username: str, url: str) -> dict:
    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value, "url": url}


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
@pytest.mark.parametrize(("who", "page_address"), WALK, ids=[f"{w}:{p}" for w, p in WALK])
def test_main_pages_have_no_axe_violations(
    browser, live_server, demo_year, locale, who, page_address
):
    shared = Year.objects.filter(owner__username="demo", visibility=Visibility.PUBLIC)
    url = page_address.format(public=shared.earliest("year").get_absolute_url(), year=demo_year)
    context = browser.new_context(locale=locale, base_url=live_server.url)
    if who != "visitor":
        context.add_cookies([session_cookie(who, live_server.url)])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    found: list[str] = []

    if url.endswith("#comments"):
        audit(page, url, found, before_each=open_comment_forms)
    else:
        audit(page, url, found, before_each=expect_search_results if url == SEARCH else None)

    expect(page.locator("html")).to_have_attribute("lang", locale[:2])
    expect(page.locator("form[action='/accounts/logout/']")).to_have_count(int(who != "visitor"))
    context.close()
    assert not found, f"axe violations ({locale}):\n" + "\n".join(found)
    assert not errors, f"console errors ({locale}):\n" + "\n".join(errors)
