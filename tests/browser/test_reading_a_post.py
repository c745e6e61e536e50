from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factory import PASSWORD, make_entry, make_goal, make_photo, make_year

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def post(owner):
    year = make_year(owner, year=2025, intro="A year of **papers** and piano.")
    make_goal(year, title="Submit to CVPR", note="submitted, rejected")
    make_goal(year, title="Move to Seoul", done=True)
    make_goal(year, title="Finish piano pieces", target=3, progress=1, unit="pieces")
    entry = make_entry(year, period=2, title="Summer by the sea", body="Swam **every** day.")
    make_photo(entry, caption="The sea was colder than it looks")
    return year


def test_it_reads_well_on_a_phone(page, live_server, post, console_errors):
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(live_server.url + post.get_absolute_url())

    expect(page.get_by_role("heading", level=1)).to_have_text("2025 review and 2026 plan")
    expect(page.get_by_text("1 of 3 reached")).to_be_visible()
    expect(page.get_by_role("heading", name="May–August")).to_be_visible()
    expect(page.get_by_text("The sea was colder than it looks")).to_be_visible()
    expect(page.get_by_role("img", name="The sea was colder than it looks")).to_be_visible()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert console_errors == []


def test_it_opens_the_list_of_the_authors_years(page, live_server, owner, post):
    make_year(owner, year=2024, title="The year before")

    page.goto(live_server.url + post.get_absolute_url())
    page.get_by_text("2 / 2").click()
    page.get_by_role("link", name="2024", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("The year before")


def test_it_follows_the_system_dark_mode(page, live_server, post):
    page.emulate_media(color_scheme="light")
    page.goto(live_server.url + post.get_absolute_url())
    light = page.evaluate("() => getComputedStyle(document.body).backgroundColor")

    page.emulate_media(color_scheme="dark")
    dark = page.evaluate("() => getComputedStyle(document.body).backgroundColor")

    assert light == "rgb(251, 250, 247)"
    assert dark == "rgb(21, 24, 22)"


def test_the_owner_ticks_a_goal_with_the_keyboard(page, live_server, post, log_in, console_errors):
    log_in("owner", PASSWORD)
    page.goto(live_server.url + post.get_absolute_url())

    tick = page.get_by_role("button", name="Mark “Submit to CVPR” as reached")
    tick.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("2 of 3 reached")).to_be_visible()
    expect(page.get_by_role("button", name="Mark “Submit to CVPR” as not reached")).to_be_visible()
    assert console_errors == []


def test_the_owner_writes_an_entry_with_a_photo(page, live_server, post, log_in, tmp_path):
    from tests.factory import image_bytes

    photo = tmp_path / "beach.jpg"
    photo.write_bytes(image_bytes(size=(1200, 800)))
    log_in("owner", PASSWORD)
    page.goto(live_server.url + post.get_absolute_url())

    page.locator("#period-3").get_by_role("link", name="Add an entry").click()
    page.get_by_label("Title").fill("Autumn hike")
    page.get_by_label("Text").fill("We climbed *Bukhansan*.")
    page.get_by_label("Photo").set_input_files(str(photo))
    page.get_by_label("Caption").fill("Proof that I reached the top")
    page.get_by_role("button", name="Save").click()

    period = page.locator("#period-3")
    expect(period.get_by_role("heading", name="Autumn hike")).to_be_visible()
    expect(period.get_by_text("Proof that I reached the top")).to_be_visible()
    image = period.get_by_role("img", name="Proof that I reached the top")
    # The 1280 px window's text column is 672 px wide: the 720 px rendition, shown at 672.
    expect(image).to_have_js_property("naturalWidth", 672)
    assert image.evaluate("img => img.currentSrc").endswith("/720.webp")
