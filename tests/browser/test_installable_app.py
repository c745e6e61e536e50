"""The installable app in Chromium: manifest, service worker, the offline page, logging out."""

from __future__ import annotations

import contextlib
import re
import time
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from planner.models import Entry, GoalUpdate, Year, period_index_for
from tests.browser.waiting import eventually
from tests.factory import (
    PASSWORD,
    image_upload,
    make_entry,
    make_goal,
    make_photo,
    make_user,
    make_year,
)
from tests.planner.test_photo_pipeline import phone_jpeg

# Changes made offline are sent in the background once the network is back: on a busy
# machine that can take longer than an assertion's usual five seconds.
SENDING = 20_000


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "service_workers": "allow"}


@pytest.fixture
def writer(db):
    return make_user("writer")


def sign_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("writer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.evaluate("navigator.serviceWorker.ready")


def test_chromium_finds_the_app_installable(
    browser_type, browser_type_launch_args, tmp_path, live_server, writer
):
    # An installable app is never one in an incognito window, which every Playwright context
    # is: a profile on disk, as a person's browser has.
    context = browser_type.launch_persistent_context(
        tmp_path / "profile", **browser_type_launch_args
    )
    try:
        page = context.new_page()
        sign_in(page, live_server)
        devtools = context.new_cdp_session(page)

        manifest = devtools.send("Page.getAppManifest")
        installability = devtools.send("Page.getInstallabilityErrors")
    finally:
        context.close()

    assert manifest["errors"] == []
    assert installability["installabilityErrors"] == []


def test_a_page_that_cannot_be_fetched_offline_shows_the_offline_page(
    page, live_server, writer, console_errors
):
    sign_in(page, live_server)
    page.reload()  # now under the service worker

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/@writer/")

    assert page.get_by_role("heading", name="You are offline").is_visible()
    page.context.set_offline(False)
    assert console_errors == []


def test_logging_out_empties_the_caches(page, live_server, writer):
    # Once the pages named by the dashboard are kept (one still on its way: further down).
    make_year(writer, year=timezone.localdate().year, title="Writer's year")
    under_the_service_worker(page, live_server)
    assert page.evaluate("caches.keys()") != []

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Log in")).to_be_visible()

    assert page.evaluate("caches.keys()") == []
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)") == 0


def test_photos_shared_from_the_phone_become_an_entry(page, live_server, writer, tmp_path):
    sign_in(page, live_server)
    photos = []
    for number, colour in enumerate(["#2f6f5e", "#d9822b"], start=1):
        path = tmp_path / f"IMG_000{number}.jpg"
        Image.new("RGB", (640, 480), colour).save(path)
        photos.append(path)
    # What the share sheet sends: a multipart POST to the manifest's share_target.
    page.evaluate(
        """() => {
            const form = document.createElement("form");
            form.method = "post"; form.action = "/share/"; form.enctype = "multipart/form-data";
            form.innerHTML = '<input type="file" name="photos" multiple>'
                + '<textarea name="text">Sunrise at Seongsan\\nWe climbed before dawn.</textarea>';
            form.id = "share-sheet";
            document.body.append(form);
        }"""
    )
    page.set_input_files("#share-sheet input[type=file]", photos)
    page.evaluate("document.getElementById('share-sheet').submit()")

    expect(page.get_by_role("heading", name=re.compile(r"A new entry in \d{4}"))).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Sunrise at Seongsan")
    expect(page.get_by_role("img", name="Photo 2")).to_be_visible()
    page.get_by_label("Caption of photo 1").fill("The crater at first light")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Entry “Sunrise at Seongsan” added.")).to_be_visible()
    entry = Entry.objects.get()
    assert [photo.caption for photo in entry.photos.order_by("order")] == [
        "The crater at first light",
        "",
    ]
    expect(page.get_by_role("img", name="The crater at first light")).to_be_visible()


def test_the_owners_own_pages_open_offline_as_last_seen_and_nobody_elses(
    page, live_server, writer, reader
):
    this_year = timezone.localdate().year
    make_year(writer, year=this_year, title="Writer's year")
    make_year(reader, year=this_year, title="Reader's year", visibility="public")
    sign_in(page, live_server)
    page.reload()  # now under the service worker
    own_post, others_post = (
        f"{live_server.url}/@writer/{this_year}/",
        f"{live_server.url}/@reader/{this_year}/",
    )
    for address in (own_post, others_post, f"{live_server.url}/"):
        page.goto(address)
    expect(page.locator("#offline-banner")).to_be_hidden()

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("status").filter(has_text="You are offline")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(own_post)
    expect(page.get_by_role("heading", name="Writer's year")).to_be_visible()
    page.goto(others_post)
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()

    page.context.set_offline(False)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#offline-banner")).to_be_hidden()


def under_the_service_worker(page, live_server) -> None:
    """Signed in, with the dashboard seen under the worker: the pages to write offline kept."""
    sign_in(page, live_server)
    page.reload()  # now under the service worker, which keeps what the dashboard names
    year = timezone.localdate().year
    index = period_index_for(timezone.localdate().month)
    kept = [
        f"{live_server.url}{path}"
        for path in (
            "/",
            f"/@writer/{year}/",
            f"/@writer/{year}/periods/{index}/entries/new/",
            f"/@writer/{year}/periods/{index}/edit/",
            f"/@writer/{year}/texts/summary/edit/",
        )
    ]
    wait_until(
        page,
        """async (kept) => {
            const pages = await caches.open("yearloop-pages");
            const urls = (await pages.keys()).map((request) => request.url);
            return kept.every((url) => urls.includes(url));
        }""",
        kept,
    )


def wait_until(page, check: str, arg=None, seconds: float = 30) -> None:
    """Wait until an asynchronous check in the page answers true. (`wait_for_function`
    takes the promise such a check returns for a true answer and does not wait at all.)"""
    deadline = time.monotonic() + seconds
    while not page.evaluate(check, arg):
        assert time.monotonic() < deadline, f"Still not true after {seconds} s: {check}"
        page.wait_for_timeout(100)


def waiting_changes(page):
    return page.get_by_role("region", name="Changes waiting to be sent")


def test_an_entry_with_a_photo_and_progress_made_offline_are_stored_once(
    page, live_server, writer, tmp_path, console_errors
):
    this_year = timezone.localdate().year
    post = make_year(writer, year=this_year, title="Writer's year")
    goal = make_goal(post, title="Run 300 km", target=300, unit="km")
    photo = tmp_path / "IMG_2041.JPG"
    photo.write_bytes(phone_jpeg())
    under_the_service_worker(page, live_server)

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("status").filter(has_text="You are offline")).to_be_visible()
    page.get_by_role("link", name="With a photo, or private…").click()
    page.get_by_label("Title").fill("Hallasan at dawn")
    page.get_by_label("Text", exact=True).fill("Up at four, on top by eight.")
    page.get_by_label("Photo").set_input_files(photo)
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("status").filter(has_text="Kept on this device: it will")
    ).to_be_visible()
    expect(page.locator("form").get_by_text("Kept on this device")).to_be_visible()  # by the form
    expect(waiting_changes(page)).to_contain_text("1 change waiting to be sent")

    page.goto(f"{live_server.url}/@writer/{this_year}/")
    page.get_by_text("Log progress").click()
    page.get_by_label("Amount to add").fill("21.1")
    page.get_by_role("button", name="Log", exact=True).click()
    expect(waiting_changes(page)).to_contain_text("2 changes waiting to be sent")
    waiting_changes(page).get_by_text("2 changes waiting").click()
    expect(waiting_changes(page).get_by_role("listitem")).to_have_text(
        [re.compile("New entry: Hallasan at dawn"), re.compile("Progress on “Run 300 km”: 21.1")]
    )

    page.context.set_offline(False)
    expect(page.get_by_text("2 changes made offline were sent.")).to_be_visible(timeout=SENDING)
    expect(waiting_changes(page)).to_be_hidden()
    for _again in range(2):  # every chance to send them twice
        page.reload()
        page.evaluate("navigator.serviceWorker.ready")
    entry = Entry.objects.get()
    assert (entry.title, entry.body, entry.period.index) == (
        "Hallasan at dawn",
        "Up at four, on top by eight.",
        period_index_for(timezone.localdate().month),
    )
    assert entry.photos.count() == 1
    assert [update.value for update in GoalUpdate.objects.filter(goal=goal)] == [Decimal("21.1")]
    page.goto(f"{live_server.url}/@writer/{this_year}/")
    expect(page.get_by_role("heading", name="Hallasan at dawn")).to_be_visible()
    expect(page.locator(f"#goal-{goal.pk} .goal-figures")).to_contain_text("21.1 / 300 km")
    assert console_errors == []


def test_a_text_written_offline_against_a_newer_one_ends_in_the_conflict_view(
    page, live_server, writer
):
    this_year = timezone.localdate().year
    post = make_year(writer, year=this_year, title="Writer's year")
    post.summary = "The year in one line."
    post.save()
    under_the_service_worker(page, live_server)

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/@writer/{this_year}/texts/summary/edit/")
    page.get_by_role("textbox").fill("Written on the ferry, without a signal.")
    expect(page.get_by_text("Kept on this device", exact=True)).to_be_visible()
    expect(waiting_changes(page)).to_contain_text("1 change waiting to be sent")
    page.goto(f"{live_server.url}/")
    # Meanwhile, on the laptop:
    post.summary = "Written at home, on the laptop."
    post.save()

    page.context.set_offline(False)
    queue = waiting_changes(page)
    expect(queue).to_contain_text("not accepted: open it to see why", timeout=SENDING)
    queue.get_by_role("button", name="Open").click()

    expect(page.get_by_text("Written at home, on the laptop.")).to_be_visible()
    expect(page.get_by_role("textbox")).to_have_value("Written on the ferry, without a signal.")
    post.refresh_from_db()
    assert post.summary == "Written at home, on the laptop."
    expect(waiting_changes(page)).to_be_hidden()


def test_a_waiting_change_can_be_discarded_and_logging_out_empties_the_queue(
    page, live_server, writer
):
    this_year = timezone.localdate().year
    post = make_year(writer, year=this_year, title="Writer's year")
    make_goal(post, title="Read 12 books")
    under_the_service_worker(page, live_server)

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/")
    for title in ("Ferry to Jeju", "Lunch at the market"):
        page.get_by_label("Title").fill(title)
        page.get_by_role("button", name="Add entry").click()
        expect(page.get_by_label("Title")).to_have_value("")
    page.goto(f"{live_server.url}/@writer/{this_year}/")
    page.get_by_role("button", name="Mark “Read 12 books” as reached").click()
    expect(
        page.get_by_role("button", name="Mark “Read 12 books” as not reached")
    ).to_have_attribute("aria-pressed", "true")
    queue = waiting_changes(page)
    queue.get_by_text("3 changes waiting to be sent").click()
    page.once("dialog", lambda dialog: dialog.accept())
    queue.get_by_role("listitem").filter(has_text="Lunch at the market").get_by_role(
        "button", name="Discard"
    ).click()
    expect(queue).to_contain_text("2 changes waiting to be sent")

    page.context.set_offline(False)
    expect(page.get_by_text("2 changes made offline were sent.")).to_be_visible(timeout=SENDING)
    assert list(Entry.objects.values_list("title", flat=True)) == ["Ferry to Jeju"]
    assert post.goals.get().done

    # A change the server refuses stays until the person decides; logging out asks first.
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/@writer/{this_year}/texts/summary/edit/")
    page.get_by_role("textbox").fill("A year of ferries.")
    expect(page.get_by_text("Kept on this device", exact=True)).to_be_visible()
    page.goto(f"{live_server.url}/")
    post.summary = "A year of trains."
    post.save()
    page.context.set_offline(False)
    expect(queue).to_contain_text("not accepted: open it to see why", timeout=SENDING)
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Log out").click()
    assert questions == [
        "Changes made offline have not been sent yet. Logging out discards them. Log out anyway?"
    ]
    expect(queue).to_contain_text("1 change waiting to be sent")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("navigation").get_by_role("link", name="Log in")).to_be_visible()
    assert page.evaluate("indexedDB.databases().then((found) => found.length)") == 0


def test_an_editor_still_open_when_the_network_returns_saves_its_latest_words(
    page, live_server, writer
):
    this_year = timezone.localdate().year
    post = make_year(writer, year=this_year, title="Writer's year")
    under_the_service_worker(page, live_server)
    page.goto(f"{live_server.url}/@writer/{this_year}/")
    page.get_by_role("link", name="Write the overall retrospective").click()
    editor = page.get_by_role("textbox", name="Looking back at it all")
    expect(editor).to_be_focused()

    page.context.set_offline(True)
    editor.fill("On the ferry: the sea was calm.")
    expect(page.get_by_text("Kept on this device", exact=True)).to_be_visible()
    page.context.set_offline(False)
    expect(page.get_by_text("Saved", exact=True)).to_be_visible(timeout=SENDING)
    expect(waiting_changes(page)).to_be_hidden()
    post.refresh_from_db()
    assert post.summary == "On the ferry: the sea was calm."

    editor.press_sequentially(" Then it rained.")  # no conflict with its own words
    wanted = "On the ferry: the sea was calm. Then it rained."
    eventually(page, lambda: Year.objects.get(pk=post.pk).summary == wanted)
    expect(page.get_by_text("Changed elsewhere")).to_have_count(0)


def test_pages_kept_for_one_person_are_not_shown_offline_to_the_next(
    page, live_server, writer, reader
):
    this_year = timezone.localdate().year
    make_year(writer, year=this_year, title="Writer's private year")
    under_the_service_worker(page, live_server)
    page.context.clear_cookies()  # the writer's session ran out; nobody logged out

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The log-in may wait for the worker to drop the last person's pages: more than 5 s on a
    # loaded machine.
    expect(page.get_by_role("heading", name=re.compile(r"^Your \d{4}$"))).to_be_visible(
        timeout=30_000
    )
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/@writer/{this_year}/")

    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.get_by_text("Writer's private year")).to_have_count(0)
    page.context.set_offline(False)


def test_a_kept_post_shows_its_photos_offline_at_any_width(page, live_server, writer):
    this_year = timezone.localdate().year
    post = make_year(writer, year=this_year, title="Writer's year")
    large = image_upload("IMG_0420.jpg", size=(2000, 1500))
    make_photo(make_entry(post, title="Jeju"), caption="The crater at first light", upload=large)
    under_the_service_worker(page, live_server)  # the post kept in the background, unseen
    wait_until(
        page, """async () => (await (await caches.open("yearloop-media")).keys()).length >= 1"""
    )
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")  # the HTTP cache

    page.context.set_offline(True)
    page.set_viewport_size({"width": 390, "height": 800})  # a phone, asking for another size
    page.goto(f"{live_server.url}/@writer/{this_year}/")

    photo = page.get_by_role("img", name="The crater at first light")
    photo.scroll_into_view_if_needed()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
    )
    page.context.set_offline(False)


def test_a_change_is_not_opened_into_an_ended_session(page, live_server, writer):
    this_year = timezone.localdate().year
    post = make_year(writer, year=this_year, title="Writer's year")
    under_the_service_worker(page, live_server)
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/@writer/{this_year}/texts/summary/edit/")
    page.get_by_role("textbox").fill("Written in the tunnel.")
    expect(page.get_by_text("Kept on this device", exact=True)).to_be_visible()
    page.goto(f"{live_server.url}/")
    post.summary = "Written at the desk."
    post.save()
    page.context.set_offline(False)
    queue = waiting_changes(page)
    expect(queue).to_contain_text("not accepted: open it to see why", timeout=SENDING)

    session = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    page.context.clear_cookies(name="sessionid")
    queue.get_by_role("button", name="Open").click()

    expect(page.get_by_text("Your session has ended: log in again, then open it.")).to_be_visible()
    expect(queue).to_contain_text("1 change waiting to be sent")
    page.context.add_cookies(session)
    queue.get_by_role("button", name="Open").click()
    expect(page.get_by_text("Written at the desk.")).to_be_visible()
    expect(page.get_by_role("textbox")).to_have_value("Written in the tunnel.")


def test_pages_dropped_when_a_session_ended_are_kept_again_at_the_next_log_in(
    page, live_server, writer
):
    make_year(writer, year=timezone.localdate().year, title="Writer's year")
    under_the_service_worker(page, live_server)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/")  # nobody signed in: the kept pages go
    assert (
        page.evaluate(
            "caches.open('yearloop-pages').then((pages) => pages.keys()).then((k) => k.length)"
        )
        == 0
    )

    under_the_service_worker(page, live_server)  # within the ten minutes


@pytest.mark.parametrize("keeping_tab", ["the same tab", "another tab"])
def test_a_page_still_being_kept_when_logging_out_is_not_kept_after_it(
    page, live_server, writer, keeping_tab
):
    this_year = timezone.localdate().year
    make_year(writer, year=this_year, title="Writer's year")
    under_the_service_worker(page, live_server)
    dashboard = page
    if keeping_tab == "another tab":  # which knows nothing of the log-out
        dashboard = page.context.new_page()
        dashboard.goto(f"{live_server.url}/")
    answer_later = keeping_held_back(dashboard, f"{live_server.url}/@writer/{this_year}/")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Log in")).to_be_visible()
    wait_until(page, "async () => (await caches.keys()).length === 0")
    answer_later()

    assert page.evaluate("caches.keys()") == []


def keeping_held_back(page, address: str):
    """Have the dashboard keep its pages again, the answer for `address` (the server's, given
    at once) held back; returns what hands it on, then waits as long as keeping it takes."""
    held = []

    def hold(route):
        if route.request.headers.get("x-keep-offline"):
            held.append((route, route.fetch()))
        else:
            route.continue_()

    page.context.route(address, hold)
    page.evaluate("localStorage.clear()")  # the ten minutes are over: every page again
    page.reload()
    for _tenth in range(300):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, f"{address} was not fetched to be kept."

    def answer_later() -> None:
        route, answer = held[0]
        with contextlib.suppress(PlaywrightError):  # the request was given up: no answer
            route.fulfill(response=answer)
        page.wait_for_timeout(2000)  # long enough for an answer that arrived to be kept

    return answer_later
