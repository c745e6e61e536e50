"""Nothing a person writes runs in a reader's browser: well-known XSS vectors in every text."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from planner.models import GoalUpdate, ProgressKind
from tests.factory import (
    PASSWORD,
    make_comment,
    make_entry,
    make_goal,
    make_photo,
    make_user,
    make_year,
)

pytestmark = pytest.mark.django_db(transaction=True)

VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '"><script>alert(1)</script>',
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<iframe src=javascript:alert(1)>",
    "<details open ontoggle=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<style>body{display:none}</style>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
]
ALL = "\n\n".join(VECTORS)
UNIT_MAX = 30  # Goal.unit

# Elements a vector would inject, anywhere in the page.
INJECTED = (
    "img[src=x], svg[onload], iframe, details[ontoggle], [onerror], [onload], [ontoggle], "
    "main script, main style, style:not([nonce])"
)

# Every link, frame, image and form the page has whose URL runs script or is a data: URL.
# The browser's own URL parser decides (it drops the tab in "jav\tascript:").
DANGEROUS_URLS = """() => {
    const bad = [];
    const check = (el, attr) => {
        const raw = el.getAttribute(attr);
        if (raw === null) return;
        let scheme;
        try { scheme = new URL(raw, document.baseURI).protocol; } catch { scheme = ""; }
        if (["javascript:", "data:", "vbscript:"].includes(scheme)) bad.push(el.outerHTML);
    };
    document.querySelectorAll("a[href], area[href]").forEach((el) => check(el, "href"));
    document.querySelectorAll("iframe, frame, embed, img, source")
        .forEach((el) => check(el, "src"));
    document.querySelectorAll("form[action]").forEach((el) => check(el, "action"));
    document.querySelectorAll("object[data]").forEach((el) => check(el, "data"));
    return bad;
}"""

FOREIGN_SCRIPTS = """() => [...document.scripts]
    .filter((s) => !s.src || new URL(s.src).origin !== location.origin)
    .map((s) => s.outerHTML)"""


@pytest.fixture(autouse=True)
def _mid_2025():
    # The dashboard shows the year of "today": the post's year.
    with time_machine.travel(datetime.datetime(2025, 6, 15, 12, tzinfo=datetime.UTC), tick=True):
        yield


@pytest.fixture
def hostile(owner):
    """One post with every vector in every text a person writes, and people named by them."""
    owner.display_name = VECTORS[0]
    owner.bio = VECTORS[1]
    owner.save()
    post = make_year(owner, year=2025, title=VECTORS[2], intro=ALL, summary=ALL)
    post.periods.update(retrospective=ALL)
    # Earlier public years show in the post's series, on the profile and the dashboard.
    for number, vector in enumerate(VECTORS[3:], start=2013):
        make_year(owner, year=number, title=vector)
    commenters = []
    for index, vector in enumerate(VECTORS):
        goal = make_goal(
            post,
            title=vector,
            note=vector,
            unit=vector[:UNIT_MAX],
            target=10,
            progress=3,
            progress_kind=ProgressKind.COUNT,
        )
        GoalUpdate.objects.create(
            goal=goal, recorded_on=datetime.date(2025, 3, 1), value=3, remark=vector
        )
        entry = make_entry(post, period=1 + index % 3, title=vector, body=vector)
        make_photo(entry, caption=vector)
        person = make_user(f"person{index}", display_name=vector[:60], bio=vector)
        make_comment(post, person, body=vector)
        commenters.append(person)
    return {"post": post, "entry": entry, "commenters": commenters}


@pytest.fixture
def dialogs(page):
    opened: list[str] = []

    def record(dialog):
        opened.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", record)
    return opened


def assert_nothing_ran(page, dialogs):
    page.wait_for_load_state("load")
    expect(page.locator("main")).to_be_visible()  # <style>body{display:none}</style> did not apply
    expect(page.locator(INJECTED)).to_have_count(0)
    assert page.evaluate(DANGEROUS_URLS) == []
    assert page.evaluate(FOREIGN_SCRIPTS) == []
    assert dialogs == []


def shows_literally(scope, text: str):
    expect(scope.get_by_text(text, exact=True).first).to_be_visible()


def test_a_hostile_post_shows_its_texts_as_text_to_a_visitor(page, live_server, hostile, dialogs):
    page.goto(live_server.url + hostile["post"].get_absolute_url())

    assert_nothing_ran(page, dialogs)
    main = page.locator("main")
    for vector in VECTORS:
        shows_literally(main.locator(".goal-title"), vector)
        shows_literally(main.locator(".comment"), vector)
    shows_literally(main, VECTORS[2])  # the title
    expect(page.locator("h1")).to_have_text(VECTORS[2])
    # Markdown texts: raw HTML stays text, unsafe links are not made.
    expect(main).to_contain_text("<script>alert(1)</script>")
    expect(main).to_contain_text("<details open ontoggle=alert(1)>")
    expect(main).to_contain_text("[x](javascript:alert(1))")


def test_a_hostile_profile_shows_its_name_and_bio_as_text(page, live_server, hostile, dialogs):
    page.goto(live_server.url + reverse("planner:profile", args=["owner"]))

    assert_nothing_ran(page, dialogs)
    main = page.locator("main")
    shows_literally(main, VECTORS[0])
    shows_literally(main.locator(".author-bio"), VECTORS[1])
    for vector in VECTORS[2:]:
        expect(main).to_contain_text(vector)  # the years' titles

    for person, vector in zip(hostile["commenters"], VECTORS, strict=True):
        page.goto(live_server.url + reverse("planner:profile", args=[person.username]))
        assert_nothing_ran(page, dialogs)
        expect(page.locator("main .author-bio")).to_have_text(vector)


def test_the_owners_pages_show_hostile_texts_as_text(page, live_server, log_in, hostile, dialogs):
    log_in("owner", PASSWORD)
    expect(page.locator("h1")).to_be_visible()
    assert_nothing_ran(page, dialogs)  # the dashboard
    main = page.locator("main")
    for vector in VECTORS:
        expect(main).to_contain_text(vector)  # goal titles

    page.goto(live_server.url + hostile["post"].get_absolute_url())
    assert_nothing_ran(page, dialogs)
    page.locator("details.goal-log").first.locator("summary").click()
    expect(main.locator(".goal-history").first).to_contain_text(VECTORS[0])  # the remark

    page.goto(live_server.url + reverse("planner:search") + "?q=alert")
    assert_nothing_ran(page, dialogs)
    for vector in VECTORS:
        if "alert" in vector:  # the data: URL hides its alert in base64
            shows_literally(main, vector)  # a goal's, entry's or year's title

    page.goto(live_server.url + reverse("planner:entry_edit", args=[hostile["entry"].pk]))
    assert_nothing_ran(page, dialogs)
    expect(page.get_by_label("Title")).to_have_value(VECTORS[-1])
