"""An entry's photos on its edit page: upload several at once, caption, order, delete.

Every action answers htmx with the photo list fragment and a plain post with a redirect
back to the entry's photos; an upload stores each good file and names each refused one.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from planner.models import Photo, Visibility
from tests.factory import image_upload, make_entry, make_photo, make_year
from tests.hostile_files import HOSTILE, HOSTILE_IDS

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def year(owner):
    return make_year(owner, year=2025, visibility=Visibility.PUBLIC)


@pytest.fixture
def entry(year):
    return make_entry(year, period=2, title="Summer at the lake")


@pytest.fixture
def photos(entry):
    return [make_photo(entry, caption=caption) for caption in ["Pier", "Boat", "Sunset"]]


def _edit_url(entry) -> str:
    return reverse("planner:entry_edit", args=[entry.pk]) + "#photos"


def _create_url(entry) -> str:
    return reverse("planner:photo_create", args=[entry.pk])


def _login_url(next_url: str) -> str:
    return f"{reverse('login')}?{urlencode({'next': next_url}, safe='/')}"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _captions(entry) -> list[str]:
    return list(entry.photos.values_list("caption", flat=True))


def _state() -> list[tuple]:
    return list(Photo.objects.order_by("pk").values_list("pk", "entry", "order", "caption"))


def _files_in_storage(settings) -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def _files_of_photos() -> set[str]:
    return {name for photo in Photo.objects.all() for name in photo.stored_names()}


def _not_an_image(name: str = "notes.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"a shopping list, not a photo", content_type="image/jpeg")


def _action(name: str, entry, photos) -> tuple[str, dict]:
    """The URL and form data of each photo action, on the middle photo."""
    photo = photos[1]
    if name == "photo_create":
        return _create_url(entry), {"images": [image_upload("new.jpg")]}
    if name == "photo_reorder":
        order = [p.pk for p in reversed(photos)]
        return reverse("planner:photo_reorder", args=[entry.pk]), {"order": order}
    data = {"photo_edit": {"caption": "Changed"}, "photo_move": {"direction": "up"}}
    return reverse(f"planner:{name}", args=[photo.pk]), data.get(name, {})


ACTIONS = ["photo_create", "photo_edit", "photo_move", "photo_reorder", "photo_delete"]
POST_ONLY = ["photo_create", "photo_edit", "photo_move", "photo_reorder"]


# Who may use the actions


@pytest.mark.parametrize("name", ACTIONS)
def test_it_answers_the_owner_with_the_photo_list_in_place(owner_client, entry, photos, name):
    url, data = _action(name, entry, photos)

    response = owner_client.post(url, data, headers=HTMX)

    assert response.status_code == 200
    assert response.templates[0].name == "planner/includes/photo_list.html"
    assert response.text.lstrip().startswith('<div id="photo-list"')
    assert 'data-hx-target="this"' in response.text
    assert "<html" not in response.text


@pytest.mark.parametrize("name", ACTIONS)
def test_it_sends_a_plain_post_back_to_the_entrys_photos(owner_client, entry, photos, name):
    url, data = _action(name, entry, photos)

    response = owner_client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == _edit_url(entry)


@pytest.mark.parametrize("name", ACTIONS)
def test_it_answers_404_to_another_user(reader_client, entry, photos, name, settings):
    url, data = _action(name, entry, photos)
    before, files = _state(), _files_in_storage(settings)

    assert reader_client.post(url, data, headers=HTMX).status_code == 404
    url, data = _action(name, entry, photos)  # a fresh upload for the second try
    assert reader_client.post(url, data).status_code == 404
    assert reader_client.get(url).status_code in (404, 405)
    assert _state() == before
    assert _files_in_storage(settings) == files


@pytest.mark.parametrize("name", ACTIONS)
def test_it_sends_visitors_to_log_in(client, entry, photos, name, settings):
    url, data = _action(name, entry, photos)
    before, files = _state(), _files_in_storage(settings)

    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == _login_url(url)
    assert _state() == before
    assert _files_in_storage(settings) == files


@pytest.mark.parametrize("name", ACTIONS)
def test_it_reloads_an_htmx_visitor_to_log_in(client, entry, photos, name):
    url, data = _action(name, entry, photos)
    page = reverse("planner:entry_edit", args=[entry.pk])
    before = _state()

    response = client.post(
        url, data, headers={**HTMX, "HX-Current-URL": "http://testserver" + page}
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == _login_url(page)
    assert _state() == before


@pytest.mark.parametrize("name", POST_ONLY)
def test_it_only_acts_on_a_post(owner_client, entry, photos, name):
    url, _data = _action(name, entry, photos)
    before = _state()

    assert owner_client.get(url).status_code == 405
    assert _state() == before


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_it_deletes_only_by_post_and_asks_by_get(owner_client, photos, method):
    url = reverse("planner:photo_delete", args=[photos[1].pk])

    assert getattr(owner_client, method)(url).status_code == 405
    assert Photo.objects.filter(pk=photos[1].pk).exists()


def test_it_answers_404_for_the_photos_of_a_deleted_entry(owner_client, entry, photos):
    entry.soft_delete()
    before = _state()

    for name in ACTIONS:
        url, data = _action(name, entry, photos)
        assert owner_client.post(url, data, headers=HTMX).status_code == 404
    assert _state() == before


# The photo list on the entry's edit page


def test_it_shows_the_photos_with_small_thumbnails_and_their_controls(owner_client, entry):
    wide = make_photo(entry, caption="Wide", upload=image_upload(size=(1200, 800)))
    small = make_photo(entry, caption="Small")

    response = owner_client.get(reverse("planner:entry_edit", args=[entry.pk]))

    assert response.status_code == 200
    html = response.text
    assert f'src="{wide.file_url(wide.renditions[0]["name"])}"' in html
    assert wide.renditions[0]["name"].endswith("/480.webp")
    assert f'src="{small.thumbnail_url}"' in html
    assert 'data-reorder-form="photo-reorder-form"' in html
    assert html.count('draggable="true"') == 2
    assert re.search(f'id="photo-up-{wide.pk}"' + r"[^>]*\sdisabled>", html)
    assert re.search(f'id="photo-down-{small.pk}"' + r"[^>]*\sdisabled>", html)
    assert 'value="Wide"' in html
    assert 'data-hx-confirm="Delete this photo? This cannot be undone."' in html
    assert "2 photos, up to 30 per entry" in _text(html)


def test_it_offers_to_upload_several_photos_by_picker_or_drop(owner_client, entry):
    html = owner_client.get(reverse("planner:entry_edit", args=[entry.pk])).text

    assert f'action="{_create_url(entry)}" enctype="multipart/form-data"' in html
    assert '<input type="file" id="photo-images" name="images" multiple accept="image/*"' in html
    assert "data-drop-zone" in html
    assert "/static/js/upload.js" in html
    assert "No photos yet." in html


def test_it_says_when_a_photo_was_taken(owner_client, entry):
    photo = make_photo(entry)
    photo.taken_at = timezone.make_aware(datetime.datetime(2025, 6, 14, 10, 30))
    photo.save(update_fields=["taken_at"])
    undated = make_photo(entry)

    html = owner_client.get(reverse("planner:entry_edit", args=[entry.pk])).text

    assert '<time datetime="2025-06-14T10:30:00' in html
    assert "taken on June 14, 2025" in _text(html)
    assert _text(html).count("taken on") == 1
    assert undated.taken_at is None


# Upload


def test_it_adds_several_photos_at_once_after_the_ones_there(owner_client, entry, photos):
    uploads = [image_upload(name) for name in ("one.jpg", "two.png", "three.jpg")]

    response = owner_client.post(_create_url(entry), {"images": uploads}, follow=True)

    assert response.redirect_chain == [(_edit_url(entry), 302)]
    assert "3 photos added." in response.text
    added = list(entry.photos.all())[3:]
    assert [photo.order for photo in entry.photos.all()] == [1, 2, 3, 4, 5, 6]
    assert _captions(entry) == ["Pier", "Boat", "Sunset", "", "", ""]
    assert all(default_storage.exists(name) for p in added for name in p.stored_names())
    text = _text(response.text)
    assert "6 photos, up to 30 per entry" in text


def test_it_keeps_the_order_the_files_were_chosen_in(owner_client, entry):
    sizes = [(60, 40), (40, 60), (50, 50)]
    uploads = [image_upload(f"{n}.jpg", size=size) for n, size in enumerate(sizes)]

    owner_client.post(_create_url(entry), {"images": uploads})

    assert [(p.width, p.height) for p in entry.photos.all()] == sizes


def test_it_stores_the_good_files_and_names_each_refused_one(owner_client, entry, settings):
    uploads = [image_upload("lake.jpg"), _not_an_image("notes.jpg"), image_upload("hill.png")]

    response = owner_client.post(_create_url(entry), {"images": uploads})

    assert response.status_code == 422
    assert entry.photos.count() == 2
    assert _files_in_storage(settings) == _files_of_photos()
    text = _text(response.text)
    assert "2 photos added." in text
    assert "Not added: notes.jpg — “notes.jpg” is not a JPEG, PNG, WebP, GIF or HEIC photo." in text
    assert "lake.jpg" not in text
    assert 'role="alert"' in response.text
    assert "<h1>Edit entry</h1>" in response.text
    assert "2 photos, up to 30 per entry" in text


def test_it_refuses_an_htmx_upload_with_its_reason_and_the_list(owner_client, entry, photos):
    empty = SimpleUploadedFile("blank.jpg", b"", content_type="image/jpeg")

    response = owner_client.post(_create_url(entry), {"images": [empty]}, headers=HTMX)

    assert response.status_code == 422
    assert response.text.lstrip().startswith('<div id="photo-list"')
    assert "<html" not in response.text
    assert "data-upload-refusals" in response.text
    assert '<span class="upload-name">blank.jpg</span>' in response.text
    assert "“blank.jpg” is empty." in response.text
    assert entry.photos.count() == 3


def test_it_answers_an_htmx_upload_with_the_new_photo_in_the_list(owner_client, entry, photos):
    response = owner_client.post(
        _create_url(entry), {"images": [image_upload("dive.jpg")]}, headers=HTMX
    )

    assert response.status_code == 200
    new = entry.photos.last()
    assert new.order == 4
    assert f'id="photo-{new.pk}"' in response.text
    assert f'src="{new.thumbnail_url}"' in response.text
    assert response.text.index('value="Sunset"') < response.text.index(f'id="photo-{new.pk}"')
    assert "data-upload-refusals" not in response.text


def test_it_asks_for_a_file_when_none_was_chosen(owner_client, entry):
    in_place = owner_client.post(_create_url(entry), {}, headers=HTMX)
    plain = owner_client.post(_create_url(entry), {})

    for response in (in_place, plain):
        assert response.status_code == 422
        assert "Choose one or more photos." in response.text
    assert not Photo.objects.exists()


def test_it_refuses_photos_past_the_limit_per_entry(owner_client, entry, photos, settings):
    settings.PHOTO_MAX_PER_ENTRY = 4
    files = _files_in_storage(settings)

    both = owner_client.post(
        _create_url(entry), {"images": [image_upload("a.jpg"), image_upload("b.jpg")]}
    )

    assert both.status_code == 422
    assert "This entry has room for 1 more photo" in _text(both.text)
    assert entry.photos.count() == 3
    assert _files_in_storage(settings) == files

    one = owner_client.post(_create_url(entry), {"images": [image_upload("a.jpg")]}, headers=HTMX)
    assert one.status_code == 200
    assert "4 photos, up to 4 per entry" in _text(one.text)

    more = owner_client.post(_create_url(entry), {"images": [image_upload("b.jpg")]}, headers=HTMX)
    assert more.status_code == 422
    assert "This entry already has 4 photos, the most an entry can hold." in _text(more.text)
    assert entry.photos.count() == 4
    assert _files_in_storage(settings) == _files_of_photos()


def test_it_keeps_the_original_only_when_the_owner_asks(owner_client, owner, entry):
    owner.keep_original_photos = True
    owner.save(update_fields=["keep_original_photos"])

    owner_client.post(_create_url(entry), {"images": [image_upload("kept.jpg")]})

    photo = entry.photos.get()
    assert photo.original.name
    assert default_storage.exists(photo.original.name)


# Captions in place


def test_it_saves_a_caption_in_place_and_says_so(owner_client, entry, photos):
    boat = photos[1]

    response = owner_client.post(
        reverse("planner:photo_edit", args=[boat.pk]),
        {"caption": "A very small boat"},
        headers=HTMX,
    )

    assert response.status_code == 200
    boat.refresh_from_db()
    assert boat.caption == "A very small boat"
    assert 'value="A very small boat"' in response.text
    assert _text(response.text).count("Saved") == 1
    item = response.text[response.text.index(f'id="photo-{boat.pk}"') :]
    assert item.index("Saved") < item.index("</li>")


def test_it_saves_a_caption_without_javascript(owner_client, year, entry, photos):
    response = owner_client.post(
        reverse("planner:photo_edit", args=[photos[0].pk]), {"caption": "The old pier"}, follow=True
    )

    assert response.redirect_chain == [(_edit_url(entry), 302)]
    assert "Caption saved." in response.text
    assert "<figcaption>The old pier</figcaption>" in owner_client.get(year.get_absolute_url()).text


def test_it_empties_a_caption(owner_client, photos):
    owner_client.post(reverse("planner:photo_edit", args=[photos[0].pk]), {"caption": ""})

    photos[0].refresh_from_db()
    assert photos[0].caption == ""


def test_it_refuses_a_caption_that_is_too_long(owner_client, entry, photos):
    url = reverse("planner:photo_edit", args=[photos[1].pk])
    long = "x" * 301

    in_place = owner_client.post(url, {"caption": long}, headers=HTMX)
    plain = owner_client.post(url, {"caption": long})

    message = "Ensure this value has at most 300 characters (it has 301)."
    assert in_place.status_code == 422
    assert in_place.text.lstrip().startswith('<div id="photo-list"')
    assert message in in_place.text
    assert f'value="{long}" aria-invalid="true"' in in_place.text
    assert plain.status_code == 422
    assert message in plain.text
    assert "<h1>Edit entry</h1>" in plain.text
    assert _captions(entry) == ["Pier", "Boat", "Sunset"]


# Order


def test_it_moves_a_photo_up_and_down(owner_client, entry, photos):
    url = reverse("planner:photo_move", args=[photos[2].pk])

    response = owner_client.post(url, {"direction": "up"}, headers=HTMX)

    assert _captions(entry) == ["Pier", "Sunset", "Boat"]
    assert response.text.index('value="Sunset"') < response.text.index('value="Boat"')
    owner_client.post(url, {"direction": "up"})
    assert _captions(entry) == ["Sunset", "Pier", "Boat"]
    owner_client.post(url, {"direction": "down"})
    assert _captions(entry) == ["Pier", "Sunset", "Boat"]


def test_it_leaves_the_first_and_last_photos_where_they_are(owner_client, entry, photos):
    owner_client.post(reverse("planner:photo_move", args=[photos[0].pk]), {"direction": "up"})
    owner_client.post(reverse("planner:photo_move", args=[photos[2].pk]), {"direction": "down"})

    assert _captions(entry) == ["Pier", "Boat", "Sunset"]


def test_it_saves_the_order_from_drag_and_drop(owner_client, entry, photos):
    order = [photos[2].pk, photos[0].pk, photos[1].pk]

    response = owner_client.post(
        reverse("planner:photo_reorder", args=[entry.pk]), {"order": order}, headers=HTMX
    )

    assert response.status_code == 200
    assert _captions(entry) == ["Sunset", "Pier", "Boat"]
    assert [photo.order for photo in entry.photos.all()] == [1, 2, 3]


@pytest.mark.parametrize(
    "wrong",
    [
        pytest.param(lambda p, other: [p[0].pk, p[1].pk], id="one-missing"),
        pytest.param(lambda p, other: [p[0].pk, p[1].pk, p[2].pk, other.pk], id="one-too-many"),
        pytest.param(lambda p, other: [p[0].pk, p[1].pk, other.pk], id="from-another-entry"),
        pytest.param(lambda p, other: [p[0].pk, p[0].pk, p[1].pk], id="twice"),
        pytest.param(lambda p, other: [p[0].pk, p[1].pk, "x"], id="not-an-id"),
        pytest.param(lambda p, other: [], id="none"),
    ],
)
def test_it_refuses_an_order_that_is_not_exactly_the_entrys_photos(
    owner_client, year, entry, photos, wrong
):
    other = make_photo(make_entry(year, period=3, title="Autumn"))
    url = reverse("planner:photo_reorder", args=[entry.pk])
    before = _state()

    in_place = owner_client.post(url, {"order": wrong(photos, other)}, headers=HTMX)
    plain = owner_client.post(url, {"order": wrong(photos, other)})

    assert in_place.status_code == 422
    assert "The photos changed meanwhile; here is their order now." in in_place.text
    assert 'id="photo-list"' in in_place.text
    assert plain.status_code == 422
    assert "The list changed meanwhile. Nothing was moved." in plain.text
    assert _state() == before


# Delete


def test_it_asks_before_deleting_a_photo_without_javascript(owner_client, entry, photos):
    response = owner_client.get(reverse("planner:photo_delete", args=[photos[1].pk]))

    assert response.status_code == 200
    assert "Delete “Boat”?" in response.text
    assert "This cannot be undone." in response.text
    assert f'href="{_edit_url(entry)}"' in response.text
    assert Photo.objects.filter(pk=photos[1].pk).exists()


def test_it_deletes_a_photo_and_all_its_files(
    owner_client, owner, entry, photos, settings, django_capture_on_commit_callbacks
):
    owner.keep_original_photos = True
    owner.save(update_fields=["keep_original_photos"])
    boat = make_photo(entry, caption="Boat with an original", keep_original=True)
    names = boat.stored_names()
    assert len(names) >= 3 and boat.original.name in names
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("planner:photo_delete", args=[boat.pk]), headers=HTMX)

    assert response.status_code == 200
    assert f'id="photo-{boat.pk}"' not in response.text
    assert "Photo deleted." in response.text
    assert not Photo.objects.filter(pk=boat.pk).exists()
    assert not any(default_storage.exists(name) for name in names)
    assert _captions(entry) == ["Pier", "Boat", "Sunset"]
    assert _files_in_storage(settings) == _files_of_photos()


def test_it_deletes_a_photo_without_javascript(
    owner_client, year, entry, photos, django_capture_on_commit_callbacks
):
    names = photos[2].stored_names()

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("planner:photo_delete", args=[photos[2].pk]), follow=True
        )

    assert response.redirect_chain == [(_edit_url(entry), 302)]
    assert "Photo deleted." in response.text
    assert not any(default_storage.exists(name) for name in names)
    page = owner_client.get(year.get_absolute_url()).text
    assert "Sunset" not in page
    assert "<figcaption>Boat</figcaption>" in page


def test_it_leaves_no_file_behind_when_a_person_leaves(owner, django_capture_on_commit_callbacks):
    from planner.images import process_avatar

    photo = make_photo(make_entry(make_year(owner)))
    owner.avatar = process_avatar(image_upload())
    owner.save()
    names = [*photo.stored_names(), owner.avatar.name]
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        owner.delete()

    assert not any(default_storage.exists(name) for name in names)


@pytest.mark.parametrize("hostile", HOSTILE, ids=HOSTILE_IDS)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_it_refuses_every_hostile_file_with_its_reason_and_stores_nothing(
    owner_client, entry, photos, settings, hostile, headers
):
    before, files = _state(), _files_in_storage(settings)
    upload = SimpleUploadedFile(hostile.name, hostile.data, content_type="image/jpeg")

    response = owner_client.post(_create_url(entry), {"images": [upload]}, headers=headers)

    assert response.status_code == 422
    assert f"“{hostile.name}” {hostile.reason}" in _text(response.text)
    assert _state() == before
    assert _files_in_storage(settings) == files


def test_a_photo_comes_with_the_caption_typed_while_it_uploaded_and_its_capture_time(
    owner_client, entry
):
    response = owner_client.post(
        _create_url(entry),
        {
            "images": [image_upload("pier.jpg")],
            "caption": "The old pier",
            "taken_at": "2025:07:14 09:30:00",
        },
        headers=HTMX,
    )

    photo = entry.photos.get()
    assert response.status_code == 200
    assert response["X-Photo-Ids"] == str(photo.pk)
    assert photo.caption == "The old pier"
    assert timezone.localtime(photo.taken_at).replace(tzinfo=None) == datetime.datetime(
        2025, 7, 14, 9, 30
    )


def test_a_caption_and_time_sent_with_several_photos_go_to_none_and_bad_values_are_refused(
    owner_client, entry
):
    owner_client.post(
        _create_url(entry),
        {
            "images": [image_upload("a.jpg"), image_upload("b.jpg")],
            "caption": "Both?",
            "taken_at": "2025:07:14 09:30:00",
        },
        headers=HTMX,
    )
    assert [(p.caption, p.taken_at) for p in entry.photos.all()] == [("", None), ("", None)]

    long_caption = owner_client.post(
        _create_url(entry), {"images": [image_upload("c.jpg")], "caption": "x" * 301}, headers=HTMX
    )
    bad_time = owner_client.post(
        _create_url(entry),
        {"images": [image_upload("d.jpg")], "taken_at": "yesterday"},
        headers=HTMX,
    )
    assert long_caption.status_code == 422
    assert "Ensure this value has at most 300 characters" in long_caption.text
    assert bad_time.status_code == 200
    assert entry.photos.count() == 3 and entry.photos.get(order=3).taken_at is None
