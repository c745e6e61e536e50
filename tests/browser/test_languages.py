"""The demo in a Korean browser and in an English one: every page in the browser's language,
with no interface text left in the other, and the language menu switching it."""

from __future__ import annotations

import re

import polib
import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.test_translations import PO_PATH

pytestmark = pytest.mark.django_db(transaction=True)

PERIODS = {
    "ko": ["1월 ~ 4월", "5월 ~ 8월", "9월 ~ 12월"],
    "en": ["January–April", "May–August", "September–December"],
}
PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])|%[sd]|\{\}")
# Placeholders that always stand for a number; any other may be a name or a title.
NUMBERS = {"count", "counter", "days", "limit", "max", "minutes", "number", "reached", "total"}
# What a person reads, and what a screen reader says: the rendered text and the labels.
INTERFACE_TEXT = """() => [
    document.title,
    document.body.innerText,
    ...Array.from(document.querySelectorAll("[aria-label], [placeholder], [title], [alt]"))
        .flatMap(e => ["aria-label", "placeholder", "title", "alt"].map(a => e.getAttribute(a))),
].filter(Boolean).join("\\n")"""


def pattern(text: str) -> re.Pattern | None:
    """A catalogue text as it shows on a page (placeholders filled in, tags dropped), or None
    when its own words are fewer than two, too few to tell the interface from content."""
    text = " ".join(re.sub(r"<[^>]+>", "", text).split())
    if len(PLACEHOLDER.sub(" ", text).split()) < 2:
        return None
    pieces = []
    for number, piece in enumerate(PLACEHOLDER.split(text)):
        if number % 3 == 0 and piece.strip():  # words between placeholders
            pieces.append(r"\s+".join(map(re.escape, piece.split())))
        elif number % 3 == 1:  # a placeholder's name (the split also gives its type)
            pieces.append(r"[\d.,]+" if piece in NUMBERS else ".{1,120}?")
    # What fills a placeholder at either end cannot be told from what surrounds it: left out.
    while pieces[0] in (r"[\d.,]+", ".{1,120}?"):
        pieces.pop(0)
    while pieces[-1] in (r"[\d.,]+", ".{1,120}?"):
        pieces.pop()
    # Whole words only: "on Yearloop" is not in "…Registration Yearloop".
    return re.compile(r"(?<!\w)" + r"\s*".join(pieces) + r"(?!\w)")


def catalogue_texts(side: str) -> list[tuple[str, re.Pattern]]:
    """The English msgids (side "en") or their Korean translations (side "ko") of the entries
    whose translation differs from the English."""
    texts = []
    for entry in polib.pofile(str(PO_PATH)).translated_entries():
        english = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        korean = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if set(english) & set(korean):  # the same in both, such as "%(position)s / %(total)s"
            continue
        for text in english if side == "en" else korean:
            if found := pattern(text):
                texts.append((text, found))
    return texts


def pages(year: int, logged_in: bool) -> list[str]:
    public, unlisted, current = f"/@demo/{year - 2}/", f"/@demo/{year - 1}/", f"/@demo/{year}/"
    if logged_in:
        return [
            "/",
            "/@demo/",
            public,
            unlisted,
            current,
            f"{current}edit/",
            "/stats/",
            "/search/?q=run",
            "/accounts/profile/",
        ]
    return [
        "/",
        "/@demo/",
        public,
        unlisted,
        "/search/?q=run",
        "/accounts/login/",
        "/accounts/signup/",
    ]


def log_in(page, url: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.locator("#id_username").fill("demo")
    page.locator("#id_password").fill("demo")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("form[action='/accounts/logout/']")).to_have_count(1)


def leftovers(page, texts: list[tuple[str, re.Pattern]]) -> list[str]:
    shown = " ".join(page.evaluate(INTERFACE_TEXT).split())
    return [text for text, found in texts if found.search(shown)]


@pytest.mark.parametrize(("locale", "language"), [("ko-KR", "ko"), ("en-US", "en")])
def test_it_shows_the_demo_in_the_browsers_language(
    browser, live_server, demo_year, locale, language
):
    other_side = catalogue_texts("en" if language == "ko" else "ko")
    context = browser.new_context(locale=locale)
    page = context.new_page()
    problems = {}

    for logged_in in (False, True):
        if logged_in:
            log_in(page, live_server.url)
        for path in pages(demo_year, logged_in):
            page.goto(live_server.url + path)
            assert page.locator("html").get_attribute("lang") == language, path
            if path.startswith("/@demo/") and path.count("/") == 3:
                expect(page.locator(".period-title")).to_have_text(PERIODS[language])
            if found := leftovers(page, other_side):
                problems[f"{'demo' if logged_in else 'visitor'} {path}"] = found

    context.close()
    assert not problems, f"Text of the other language on {language} pages: {problems}"


def test_it_switches_language_from_the_menu_without_javascript(browser, live_server, demo_year):
    context = browser.new_context(locale="en-US", java_script_enabled=False)
    page = context.new_page()
    post = f"{live_server.url}/@demo/{demo_year - 2}/"
    page.goto(post)

    page.get_by_role("button", name="한국어").click()

    assert page.url == post
    assert page.locator("html").get_attribute("lang") == "ko"
    expect(page.locator(".period-title").first).to_have_text("1월 ~ 4월")
    expect(page.get_by_role("button", name="한국어")).to_have_attribute("aria-current", "true")

    log_in(page, live_server.url)  # a visitor's choice holds through logging in
    expect(page.get_by_role("link", name="대시보드")).to_be_visible()
    page.get_by_role("button", name="English").click()

    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    assert User.objects.get(username="demo").language == "en"

    # The stored choice comes back at the next log-in, whatever the browser says.
    context.close()
    context = browser.new_context(locale="ko-KR", java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server.url)
    assert page.locator("html").get_attribute("lang") == "en"
    context.close()
