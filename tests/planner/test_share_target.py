"""“Share → Yearloop”: what a phone's share sheet sends becomes a new entry once confirmed."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planner.models import Entry, Year
from tests.factory import PASSWORD, image_upload, make_year

SHARE = reverse("planner:share_receive")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_fresh_rate_limits")]


@pytest.fixture
def _fresh_rate_limits():
    cache.clear()


def share(client, *photos, **fields):
    data = {"title": "", "text": "", "url": "", **fields, "photos": list(photos)}
    return client.post(SHARE, data)


def token_of(response) -> str:
    return re.fullmatch(r"/share/([\w-]+)/", response["Location"]).group(1)


@time_machine.travel("2026-06-14 12:00", tick=False)
def test_shared_photos_and_text_become_an_entry_of_the_current_period(client, owner):
    client.force_login(owner)
    sent = share(
        client,
        image_upload("IMG_0001.jpg"),
        image_upload("IMG_0001.jpg", size=(80, 60)),
        text="Summit of Hallasan\nCold wind, clear sky.",
        url="https://maps.example/hallasan",
    )
    page = client.get(sent["Location"])

    assert sent.status_code == 302
    assert page.status_code == 200
    assert 'value="Summit of Hallasan"' in page.text
    assert "Cold wind, clear sky.\n\nhttps://maps.example/hallasan</textarea>" in page.text
    assert page.text.count('alt="Photo ') == 2

    names = page.context["form"].photo_names
    saved = client.post(
        sent["Location"],
        {
            "title": "Hallasan",
            "body": "Cold wind.",
            f"caption_{names[0]}": "The crater lake",
            f"caption_{names[1]}": "",
        },
    )

    entry = Entry.objects.get()
    assert saved.status_code == 302
    assert (entry.period.year.year, entry.period.index, entry.title) == (2026, 2, "Hallasan")
    assert entry.period.year.visibility == "private"
    assert [photo.caption for photo in entry.photos.order_by("order")] == ["The crater lake", ""]
    assert client.get(sent["Location"]).status_code == 404  # used up


def test_shared_files_survive_the_log_in(client, owner):
    sent = share(client, image_upload("beach.jpg"), text="Jeju")
    asked = client.get(sent["Location"])
    logged_in = client.post(
        f"{reverse('login')}?next={sent['Location']}",
        {"username": owner.username, "password": PASSWORD},
        follow=True,
    )

    assert asked.status_code == 302 and asked["Location"].startswith(reverse("login"))
    assert logged_in.status_code == 200
    assert logged_in.context["form"].photo_names == ["01-beach.jpg"]
    assert 'value="Jeju"' in logged_in.text


def test_a_word_about_a_file_left_out_waits_for_the_new_entry_page(client, owner):
    not_a_photo = SimpleUploadedFile("notes.pdf", b"%PDF-1.4", content_type="image/jpeg")
    sent = share(client, image_upload("beach.jpg"), not_a_photo, text="Jeju")
    login_page = client.get(sent["Location"], follow=True)
    entry_page = client.post(
        f"{reverse('login')}?next={sent['Location']}",
        {"username": owner.username, "password": PASSWORD},
        follow=True,
    )
    again = client.get(sent["Location"])

    assert "notes.pdf" not in login_page.text
    assert "notes.pdf" in entry_page.text
    assert "notes.pdf" not in again.text  # said once


def test_a_share_belongs_to_its_session_only(client, owner, reader):
    client.force_login(owner)
    sent = share(client, image_upload(), text="Mine")
    name = client.get(sent["Location"]).context["form"].photo_names[0]
    client.logout()
    client.force_login(reader)

    assert client.get(sent["Location"]).status_code == 404
    assert client.get(f"{sent['Location']}{name}").status_code == 404


def test_the_sender_sees_each_shared_photo(client, owner):
    client.force_login(owner)
    sent = share(client, image_upload())
    name = client.get(sent["Location"]).context["form"].photo_names[0]

    photo = client.get(f"{sent['Location']}{name}")

    assert photo.status_code == 200
    assert photo["Cache-Control"] == "private, no-store"


def test_a_file_that_is_not_a_photo_is_left_out_with_a_word(client, owner):
    client.force_login(owner)
    sent = share(
        client,
        image_upload("ok.jpg"),
        SimpleUploadedFile("notes.pdf", b"%PDF-1.4 not an image", content_type="image/jpeg"),
    )
    page = client.get(sent["Location"])

    assert page.context["form"].photo_names == ["01-ok.jpg"]
    assert "notes.pdf" in page.text


def test_an_entry_refused_saves_nothing_not_even_its_year(client, owner):
    client.force_login(owner)
    sent = share(client, image_upload(), text="")

    refused = client.post(sent["Location"], {"title": "", "body": "Words"})

    assert refused.status_code == 422
    assert "Words</textarea>" in refused.text
    assert not Year.objects.exists()
    assert not Entry.objects.exists()


def test_an_existing_year_gets_the_entry(client, owner):
    post = make_year(owner, year=2026)
    client.force_login(owner)
    with time_machine.travel("2026-11-02 09:00", tick=False):
        sent = share(client, text="Autumn")
        client.post(sent["Location"], {"title": "Autumn", "body": ""})

    assert Entry.objects.get().period == post.periods.get(index=3)


def test_too_many_shares_at_once_are_refused(client, owner):
    client.force_login(owner)
    answers = [share(client, text=f"{number}").status_code for number in range(11)]

    assert answers == [302] * 10 + [429]
