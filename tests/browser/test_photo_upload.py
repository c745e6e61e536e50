from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.waiting import SLOW, eventually
from tests.factory import PASSWORD, image_bytes, make_entry, make_photo, make_year

pytestmark = pytest.mark.django_db(transaction=True)

DROP_FILE = """([bytes, name, type]) => {
  const data = new DataTransfer();
  data.items.add(new File([new Uint8Array(bytes)], name, { type }));
  const zone = document.querySelector("[data-drop-zone]");
  for (const kind of ["dragenter", "dragover", "drop"]) {
    const event = new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: data });
    zone.dispatchEvent(event);
  }
}"""


@pytest.fixture
def entry(owner):
    year = make_year(owner, year=2025)
    return make_entry(year, period=2, title="Summer by the sea")


def jpeg(name: str, size=(800, 600)) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": image_bytes(size=size)}


def captions(page):
    return page.locator("#photo-list input[name=caption]")


def expect_captions(page, values: list[str]) -> None:
    expect(captions(page)).to_have_count(len(values))
    for position, value in enumerate(values):
        expect(captions(page).nth(position)).to_have_value(value)


def unexpected(errors: list[str]) -> list[str]:
    # Chromium logs every 4xx answer; the refused upload is one this test causes.
    return [error for error in errors if "status of 422" not in error]


def test_the_owner_uploads_captions_orders_and_deletes_photos_in_place(
    page, live_server, entry, log_in, console_errors
):
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/entries/{entry.pk}/edit/")
    page.evaluate("() => { window.notReloaded = true; }")
    expect(page.get_by_role("button", name="Upload")).to_have_count(0)  # starts on choosing

    page.locator("#photo-images").set_input_files([jpeg("pier.jpg"), jpeg("boat.jpg", (600, 800))])

    rows = page.locator(".upload-progress .upload-item")
    expect(rows).to_have_count(2)
    expect(rows.locator(".upload-name")).to_have_text(["pier.jpg", "boat.jpg"])
    expect(rows.locator("progress")).to_have_count(2)
    expect(rows.locator(".upload-status")).to_have_text(["Added", "Added"])
    expect(page.locator("#photo-list .photo-item")).to_have_count(2)
    expect(page.locator("#photo-list")).to_contain_text("2 photos, up to 30 per entry")
    # The two travelled together, so either may arrive first; then they are put in the
    # order chosen, on the page and in the database.
    expect(page.locator("#photo-list .photo-thumb")).to_have_count(2)
    expect(page.locator("#photo-list .photo-thumb").first).to_have_attribute("width", "800")
    assert [(p.width, p.height) for p in entry.photos.all()] == [(800, 600), (600, 800)]

    # A caption typed but not saved yet stays while the next upload finishes.
    captions(page).first.fill("The old pier")
    page.evaluate(DROP_FILE, [list(image_bytes(size=(640, 480))), "dive.jpg", "image/jpeg"])
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("dive.jpg")
    expect(rows.first.locator(".upload-status")).to_have_text("Added")
    expect(page.locator("#photo-list .photo-item")).to_have_count(3)
    expect(captions(page).first).to_have_value("The old pier")

    # A refused file says why beside its name; nothing of it is kept.
    page.evaluate(DROP_FILE, [list(b"not a photo at all"), "notes.jpg", "image/jpeg"])
    refused = rows.filter(has_text="notes.jpg")
    expect(refused.locator(".upload-status")).to_have_text(
        "“notes.jpg” is not a JPEG, PNG, WebP, GIF or HEIC photo."
    )
    expect(page.locator("#photo-list .photo-item")).to_have_count(3)
    expect(page.locator("#photo-list [data-upload-refusals]")).to_have_count(0)

    page.get_by_role("button", name="Save caption — photo 1").click()
    expect(page.locator("#photo-list .caption-saved")).to_have_text("Saved")
    expect(page.get_by_role("button", name="Save caption — photo 1")).to_be_focused()
    assert entry.photos.first().caption == "The old pier"

    page.get_by_role("button", name="Move down photo 1").click()
    expect_captions(page, ["", "The old pier", ""])

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Delete photo 3").click()
    expect(page.locator("#photo-list .photo-item")).to_have_count(2)
    expect(page.get_by_text("Photo deleted.")).to_be_visible()
    assert page.evaluate("() => window.notReloaded") is True
    assert entry.photos.count() == 2

    page.goto(live_server.url + entry.period.year.get_absolute_url())
    period = page.locator("#period-2")
    expect(period.locator("figure.photo")).to_have_count(2)
    expect(period.locator("figcaption")).to_have_text(["The old pier"])
    assert unexpected(console_errors) == []


def test_the_owner_drags_a_photo_by_its_thumbnail(page, live_server, entry, log_in, console_errors):
    for caption in ("Pier", "Boat", "Sunset"):
        make_photo(entry, caption=caption)
    page.set_viewport_size({"width": 1280, "height": 1800})  # no scrolling while dragging
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/entries/{entry.pk}/edit/")
    items = page.locator("#photo-list .photo-item")
    target = items.nth(2)
    bottom_half = {"x": 20, "y": target.bounding_box()["height"] - 8}

    with page.expect_response(lambda r: r.url.endswith("/photos/order/")) as saved:
        items.nth(0).locator("img").drag_to(target, target_position=bottom_half)

    assert saved.value.status == 200
    expect_captions(page, ["Boat", "Sunset", "Pier"])
    assert list(entry.photos.values_list("caption", flat=True)) == ["Boat", "Sunset", "Pier"]

    # A thumbnail dropped on the upload zone is not uploaded again, and a caption's text
    # is selected, not dragged.
    items.nth(0).locator("img").drag_to(page.locator("[data-drop-zone]"))
    captions(page).nth(1).drag_to(items.nth(2))
    expect(page.locator(".upload-progress .upload-item")).to_have_count(0)
    expect_captions(page, ["Boat", "Sunset", "Pier"])
    assert entry.photos.count() == 3
    assert console_errors == []


def test_photos_are_uploaded_and_refused_by_name_without_javascript(browser, live_server, entry):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/entries/{entry.pk}/edit/")

    bad = {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not a photo at all"}
    page.get_by_label("Add photos").set_input_files([jpeg("pier.jpg"), bad, jpeg("boat.jpg")])
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_text("2 photos added.")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text(
        "Not added: notes.jpg — “notes.jpg” is not a JPEG, PNG, WebP, GIF or HEIC photo."
    )
    expect(page.locator("#photo-list .photo-item")).to_have_count(2)

    page.get_by_label("Caption — photo 2").fill("A small boat")
    page.get_by_role("button", name="Save caption — photo 2").click()
    expect(page.get_by_text("Caption saved.")).to_be_visible()
    page.get_by_role("button", name="Move up photo 2").click()
    expect_captions(page, ["A small boat", ""])

    page.get_by_role("link", name="Delete photo 2").click()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Photo deleted.")).to_be_visible()
    expect_captions(page, ["A small boat"])
    assert entry.photos.count() == 1
    context.close()


def test_a_photo_the_disk_has_no_room_for_says_so_beside_its_name(
    page, live_server, entry, log_in, console_errors, small_media_disk
):
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/entries/{entry.pk}/edit/")
    small_media_disk.fill()

    page.locator("#photo-images").set_input_files([jpeg("pier.jpg")])

    status = page.locator(".upload-progress .upload-item .upload-status")
    expect(status).to_have_text(
        "Not added: the site has no room to store files right now. Try later."
    )
    expect(page.locator("#photo-list .photo-item")).to_have_count(0)
    assert entry.photos.count() == 0
    assert small_media_disk.files() == {}
    assert [error for error in console_errors if "status of 507" not in error] == []


def camera_jpeg(name: str, taken: str) -> dict:
    """A 6-megapixel JPEG of noise (several MB, as a phone's) saying when it was taken."""
    import io

    from PIL import ExifTags, Image

    image = Image.effect_noise((3000, 2000), 60).convert("RGB")
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=exif)
    return {"name": name, "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def test_two_photos_upload_at_once_smaller_with_their_captions_and_in_the_order_chosen(
    page, live_server, entry, log_in, console_errors
):
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/entries/{entry.pk}/edit/")
    files = [
        camera_jpeg("pier.jpg", "2025:07:14 09:30:00"),
        camera_jpeg("boat.jpg", "2025:07:15 18:05:00"),
        jpeg("dive.jpg", (640, 480)),
    ]
    held, sizes = [], []

    def hold(route):
        # The first two wait: one at a time would never send the second.
        sizes.append(len(route.request.post_data_buffer))
        held.append(route)
        if len(held) > 2:
            route.continue_()

    page.route("**/photos/new/", hold)
    page.locator("#photo-images").set_input_files(files)
    rows = page.locator(".upload-progress .upload-item")
    expect(rows).to_have_count(3)
    wait_for_held(page, held, 2)
    assert len(held) == 2  # both on their way at once
    # Captions typed while the files are on their way: the third waits its turn.
    rows.nth(0).get_by_label("Caption for pier.jpg").fill("The old pier")
    rows.nth(2).get_by_label("Caption for dive.jpg").fill("Into the blue")
    held[1].continue_()  # the second first, to see the order put right
    held[0].continue_()

    # Two 6-megapixel photos made smaller in the page, then decoded and resized in full.
    expect(rows.locator(".upload-status")).to_have_text(
        ["Added", "Added", "Added"], timeout=SLOW * 1000
    )
    expect(captions(page)).to_have_count(3)
    expect_captions(page, ["The old pier", "", "Into the blue"])
    # The first caption is saved on its own once its photo is in: shown as typed at once.
    wanted = ["The old pier", "", "Into the blue"]
    eventually(page, lambda: [photo.caption for photo in entry.photos.all()] == wanted)
    photos = list(entry.photos.all())
    assert [str(photo.taken_at.date()) for photo in photos[:2]] == ["2025-07-14", "2025-07-15"]
    # The 6-megapixel photos were sent at 2048 px: under half their size even as noise,
    # which compresses worst. (Made smaller side by side, they may leave in either order.)
    assert max(sizes[:2]) < min(len(files[0]["buffer"]), len(files[1]["buffer"])) / 2
    assert max(photos[0].width, photos[0].height) == 1600
    assert unexpected(console_errors) == []


def wait_for_held(page, held: list, count: int) -> None:
    """Until `count` uploads have reached the route that holds them (10 s at most)."""
    for _ in range(200):
        if len(held) >= count:
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"{count} upload(s) never left the page")


def uploaded_while_typing(page, edit_url: str, name: str, typed: str) -> None:
    """On the entry's edit page, a photo chosen and `typed` into its caption box while it
    is on its way; back once it is in, the typing not finished."""
    page.goto(edit_url)
    held = []
    page.route("**/photos/new/", lambda route: held.append(route))
    page.locator("#photo-images").set_input_files([jpeg(name)])
    page.get_by_label(f"Caption for {name}").click()
    page.keyboard.type(typed)
    wait_for_held(page, held, 1)  # resized in the page first, then sent: on a busy machine later
    held[0].continue_()
    expect(page.locator(".upload-status")).to_have_text("Added")


def test_a_caption_still_being_typed_when_its_photo_arrives_is_kept_whole(
    page, live_server, entry, log_in, console_errors
):
    log_in("owner", PASSWORD)
    uploaded_while_typing(
        page, f"{live_server.url}/entries/{entry.pk}/edit/", "night.jpg", "Typing a long caption"
    )

    page.keyboard.type(" while it finishes: 한강 야경")  # the typing goes on where it was
    page.keyboard.press("Tab")

    expect(captions(page).first).to_have_value("Typing a long caption while it finishes: 한강 야경")
    expect(page.locator(".caption-saved")).to_be_visible()
    assert entry.photos.get().caption == "Typing a long caption while it finishes: 한강 야경"
    assert unexpected(console_errors) == []


def answered_later(page) -> list:
    """Uploads the server takes at once, their answers handed to the page when the test says."""
    answers = []
    page.route("**/photos/new/", lambda route: answers.append((route, route.fetch())))
    return answers


def test_a_caption_saved_while_another_upload_is_answered_stays_in_view(
    page, live_server, entry, log_in, console_errors
):
    make_photo(entry, caption="")
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/entries/{entry.pk}/edit/")
    answers = answered_later(page)
    page.locator("#photo-images").set_input_files([jpeg("dive.jpg", (640, 480))])
    wait_for_held(page, answers, 1)
    captions(page).first.fill("The old pier")
    captions(page).first.press("Enter")
    expect(page.locator(".caption-saved")).to_be_visible()

    route, answer = answers[0]
    route.fulfill(response=answer)  # a list from before the caption was saved

    expect(page.locator(".upload-status")).to_have_text("Added")
    expect(page.locator("#photo-list .photo-item")).to_have_count(2)
    expect_captions(page, ["The old pier", ""])
    assert [photo.caption for photo in entry.photos.order_by("order")] == ["The old pier", ""]
    page.reload()
    expect_captions(page, ["The old pier", ""])
    assert unexpected(console_errors) == []


def test_a_caption_that_moved_to_its_photo_is_saved_when_left_without_more_typing(
    page, live_server, entry, log_in, console_errors
):
    log_in("owner", PASSWORD)
    uploaded_while_typing(
        page, f"{live_server.url}/entries/{entry.pk}/edit/", "harbour.jpg", "항구의 아침 🙂"
    )
    expect(captions(page).first).to_be_focused()  # the typing would go on here

    page.keyboard.press("Tab")

    expect(page.locator(".caption-saved")).to_be_visible()
    assert entry.photos.get().caption == "항구의 아침 🙂"
    page.reload()
    expect_captions(page, ["항구의 아침 🙂"])
    assert unexpected(console_errors) == []


def open_with_pier_and_boat(page, live_server, entry, log_in) -> None:
    """The owner on the entry's edit page, its photos captioned "Pier" and "Boat"."""
    make_photo(entry, caption="Pier")
    make_photo(entry, caption="Boat")
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/entries/{entry.pk}/edit/")


def test_a_photo_moved_while_an_upload_travels_stays_where_it_was_put(
    page, live_server, entry, log_in, console_errors
):
    open_with_pier_and_boat(page, live_server, entry, log_in)
    answers = answered_later(page)
    page.locator("#photo-images").set_input_files([jpeg("dive.jpg", (640, 480))])
    wait_for_held(page, answers, 1)

    page.get_by_role("button", name="Move down photo 1").click()
    expect_captions(page, ["Boat", "Pier", ""])  # the server holds the upload already
    route, answer = answers[0]
    route.fulfill(response=answer)  # its list was read before the move

    expect(page.locator(".upload-status")).to_have_text("Added")
    expect_captions(page, ["Boat", "Pier", ""])
    assert [photo.caption for photo in entry.photos.all()] == ["Boat", "Pier", ""]
    page.reload()
    expect_captions(page, ["Boat", "Pier", ""])
    assert unexpected(console_errors) == []


def test_photos_deleted_while_uploads_travel_leave_the_new_ones_in_the_order_chosen(
    page, live_server, entry, log_in, console_errors
):
    make_photo(entry, caption="Old")
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/entries/{entry.pk}/edit/")
    held = []
    page.route("**/photos/new/", lambda route: held.append(route))
    page.locator("#photo-images").set_input_files(
        [jpeg("first.jpg", (640, 480)), jpeg("second.jpg", (480, 640))]
    )
    wait_for_held(page, held, 2)
    first, second = sorted(held, key=lambda route: b"second.jpg" in route.request.post_data_buffer)
    second_answer = second.fetch()  # stored before the first, so the batch needs a reorder
    first_answer = first.fetch()
    second.fulfill(response=second_answer)
    rows = page.locator(".upload-progress .upload-item")
    expect(rows.nth(1).locator(".upload-status")).to_have_text("Added")

    # As on a loaded machine: the list the delete brings is not yet wired up by htmx (which
    # happens when it settles) when the upload's answer comes.
    page.evaluate("() => { htmx.config.defaultSettleDelay = 3000; }")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Delete photo 1").click()  # the old one
    expect(page.get_by_text("Photo deleted.")).to_be_visible()
    page.evaluate("() => { window.notReloaded = true; }")
    first.fulfill(response=first_answer)  # its list, read before the delete, still holds "Old"

    expect(page.locator("#photo-list .photo-thumb").first).to_have_attribute("width", "640")
    expect(page.locator("#photo-list .photo-item")).to_have_count(2)
    assert page.evaluate("() => window.notReloaded") is True, "the reorder left the page"
    expect(page.locator(".upload-status")).to_have_text(["Added", "Added"])
    assert [(p.width, p.height) for p in entry.photos.all()] == [(640, 480), (480, 640)]
    expect(page.locator("#photo-list [role=alert]")).to_have_count(0)
    assert unexpected(console_errors) == []


def test_moving_a_photo_by_keyboard_keeps_the_focus_on_a_button_that_still_moves_it(
    page, live_server, entry, log_in, console_errors
):
    pier = make_photo(entry, caption="Pier")
    make_photo(entry, caption="Boat")
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/entries/{entry.pk}/edit/")
    page.get_by_role("button", name="Move down photo 1").focus()

    page.keyboard.press("Enter")  # to the end: "Move down" cannot be used again

    expect_captions(page, ["Boat", "Pier"])
    expect(page.locator(f"#photo-up-{pier.pk}")).to_be_focused()
    expect(page.locator("#live-status")).to_have_text("“Pier” is now 2 of 2.")
    page.keyboard.press("Enter")
    expect_captions(page, ["Pier", "Boat"])
    expect(page.locator(f"#photo-down-{pier.pk}")).to_be_focused()
    assert [photo.caption for photo in entry.photos.all()] == ["Pier", "Boat"]
    assert unexpected(console_errors) == []


# A caption pasted from a travel blog, longer than a caption may be (300 characters).
LONG_CAPTION = (
    "We left Sokcho before dawn — the fish market was only half awake, the squid boats "
    "still lit like lanterns along the breakwater. By 7 a.m. the fog lifted off Seoraksan "
    "and we could finally see Ulsanbawi’s ridge, which looked close enough to touch but took "
    "us another four hours (and two bags of 호두과자 🌰) to reach. Worth every step, honestly."
)


def paste(page, live_server, box, text: str) -> None:
    """`text` pasted over what `box` holds, through the clipboard, as a person does."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    box.select_text()
    page.keyboard.press("ControlOrMeta+V")


def test_a_caption_pasted_longer_than_allowed_is_kept_whole_and_the_limit_said(
    page, live_server, entry, log_in, console_errors
):
    assert len(LONG_CAPTION) > 300
    make_photo(entry, caption="")
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/entries/{entry.pk}/edit/")
    box = captions(page).first
    paste(page, live_server, box, LONG_CAPTION)

    expect(box).to_have_value(LONG_CAPTION)
    note = page.locator(".length-note")
    expect(note).to_have_text(
        f"This box holds 300 characters and has {len(LONG_CAPTION)}: shorten it before saving."
    )
    box.press("Enter")
    expect(page.locator("#photo-list [role=alert]")).to_contain_text("at most 300 characters")
    expect(captions(page).first).to_have_value(LONG_CAPTION)
    assert entry.photos.get().caption == ""

    # The refused box still counts, and takes what is typed.
    captions(page).first.press("End")
    page.keyboard.type("!")
    expect(captions(page).first).to_have_value(LONG_CAPTION + "!")
    expect(note).to_contain_text(f"has {len(LONG_CAPTION) + 1}")
    captions(page).first.fill("Ulsanbawi at last, after two bags of 호두과자 🌰")
    expect(page.locator(".length-note")).to_have_count(0)
    captions(page).first.press("Enter")
    expect(page.locator(".caption-saved")).to_be_visible()
    assert entry.photos.get().caption == "Ulsanbawi at last, after two bags of 호두과자 🌰"
    assert unexpected(console_errors) == []


def test_a_refused_caption_stays_while_other_photos_move_and_arrive(
    page, live_server, entry, log_in, console_errors
):
    open_with_pier_and_boat(page, live_server, entry, log_in)
    paste(page, live_server, captions(page).first, LONG_CAPTION)
    captions(page).first.press("Enter")
    expect(page.locator("#photo-list [role=alert]")).to_contain_text("at most 300 characters")

    page.get_by_role("button", name="Move up photo 2").click()  # an htmx answer
    expect_captions(page, ["Boat", LONG_CAPTION])
    page.locator("#photo-images").set_input_files([jpeg("dive.jpg", (640, 480))])  # and not
    expect(page.locator(".upload-status")).to_have_text("Added")
    expect_captions(page, ["Boat", LONG_CAPTION, ""])
    expect(page.locator(".length-note")).to_contain_text(f"has {len(LONG_CAPTION)}")
    assert [photo.caption for photo in entry.photos.all()] == ["Boat", "Pier", ""]
    assert unexpected(console_errors) == []


def test_a_photo_uploads_with_a_caption_too_long_and_the_caption_waits_in_its_box(
    page, live_server, entry, log_in, console_errors
):
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/entries/{entry.pk}/edit/")
    held = []
    page.route("**/photos/new/", lambda route: held.append(route))
    page.locator("#photo-images").set_input_files(
        [jpeg("one.jpg", (640, 480)), jpeg("two.jpg", (640, 480)), jpeg("ridge.jpg", (480, 640))]
    )
    wait_for_held(page, held, 2)  # the third waits its turn, its caption not sent yet
    paste(page, live_server, page.locator(".upload-caption").nth(2), LONG_CAPTION)
    page.keyboard.press("Tab")
    for route in held[:2]:
        route.continue_()
    wait_for_held(page, held, 3)
    held[2].continue_()

    expect(page.locator(".upload-status")).to_have_text(["Added", "Added", "Added"])
    expect(captions(page).nth(2)).to_have_value(LONG_CAPTION)
    # The refusal's own message, or the count once the batch's reorder has answered after it.
    expect(page.locator("#photo-list")).to_contain_text(
        re.compile("at most 300 characters|holds 300 characters")
    )
    assert [photo.caption for photo in entry.photos.all()] == ["", "", ""]
    assert unexpected(console_errors) == []
