"""axe-core on every main page of the demo: logged out and in, English and Korean, wide and narrow.

axe comes from npm (package-lock.json; `make test` installs it) and is injected with
`page.evaluate`, which the strict CSP does not block (a `<script>` tag would be refused).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

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


def visitor_pages(public_post: str) -> list[str]:
    return [
        "/",
        public_post,
        "/@demo/",
        SEARCH,
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password_reset/",
    ]


def demo_pages(public_post: str, this_year: int) -> list[str]:
    return [
        "/",
        public_post,
        "/@demo/",
        f"/@demo/{this_year}/edit/",
        "/years/new/",
        "/stats/",
        SEARCH,
        "/accounts/profile/",
    ]


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
    """A reader opens a reply box (the comment box itself is always open), then the rest."""
    page.locator("details.comment-reply summary").first.click()
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")


def expect_search_results(page) -> None:
    expect(page.locator(".search-hit").first).to_be_visible()


def audit_all(page, urls: list[str], found: list[str]) -> None:
    for url in urls:
        audit(page, url, found, before_each=expect_search_results if url == SEARCH else None)


@pytest.fixture
def demo_site():
    call_command("demo", verbosity=0)
    shared = Year.objects.filter(owner__username="demo", visibility=Visibility.PUBLIC)
    return shared.earliest("year").get_absolute_url(), timezone.localdate().year


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
def test_main_pages_have_no_axe_violations(browser, live_server, demo_site, locale):
    public_post, this_year = demo_site
    found: list[str] = []
    errors: list[str] = []
    for logged_in in (False, True):
        context = browser.new_context(locale=locale, base_url=live_server.url)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto("/accounts/login/")
        expect(page.locator("html")).to_have_attribute("lang", locale[:2])
        if logged_in:
            page.locator("#id_username").fill("demo")
            page.locator("#id_password").fill("demo")
            page.locator("#id_password").press("Enter")
            page.wait_for_url(live_server.url + "/")
            audit_all(page, demo_pages(public_post, this_year), found)
            audit(page, public_post + "#comments", found, before_each=open_comment_forms)
        else:
            audit_all(page, visitor_pages(public_post), found)
        context.close()
    assert not found, f"axe violations ({locale}):\n" + "\n".join(found)
    assert not errors, f"console errors ({locale}):\n" + "\n".join(errors)
