"""The installable app in Chromium: manifest, service worker, the offline page, logging out."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from planner.models import Entry
from tests.factory import PASSWORD, make_user, make_year


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
    sign_in(page, live_server)
    assert page.evaluate("caches.keys()") != []

    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()

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
