from __future__ import annotations

import pytest
from django.urls import reverse

from planner.models import Visibility
from tests.factory import make_entry, make_year

pytestmark = pytest.mark.django_db

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/140"}


@pytest.fixture
def entry(owner):
    return make_entry(make_year(owner, year=2025, visibility=Visibility.PUBLIC), title="Long run")


def url(entry) -> str:
    return reverse("planner:entry_link", args=[entry.pk])


def test_it_shows_the_entry_in_its_place_on_the_post(client, entry):
    response = client.get(url(entry), headers=BROWSER)
    assert response["Location"] == f"/@owner/2025/#entry-{entry.pk}"


def test_it_counts_a_read_once_per_person_and_day(client, reader, owner, entry):
    client.get(url(entry), headers=BROWSER)
    client.get(url(entry), headers=BROWSER)
    client.force_login(reader)
    client.get(url(entry), headers=BROWSER)
    client.force_login(owner)
    client.get(url(entry), headers=BROWSER)
    entry.refresh_from_db()
    assert entry.reads == 3


def test_bots_are_not_counted(client, entry):
    client.get(url(entry), headers={"User-Agent": "Googlebot/2.1"})
    client.get(url(entry))
    entry.refresh_from_db()
    assert entry.reads == 0


def test_a_private_entry_is_its_owners_alone(client, owner, reader, entry):
    entry.is_private = True
    entry.save(update_fields=["is_private"])
    assert client.get(url(entry), headers=BROWSER).status_code == 404
    client.force_login(reader)
    assert client.get(url(entry), headers=BROWSER).status_code == 404
    client.force_login(owner)
    assert client.get(url(entry), headers=BROWSER).status_code == 302
    entry.refresh_from_db()
    assert entry.reads == 1


def test_an_entry_of_a_private_year_is_its_owners_alone(client, owner, stranger, entry):
    entry.period.year.visibility = Visibility.PRIVATE
    entry.period.year.save(update_fields=["visibility"])
    client.force_login(stranger)
    assert client.get(url(entry), headers=BROWSER).status_code == 404
    entry.refresh_from_db()
    assert entry.reads == 0


def test_search_links_to_the_entry_so_it_is_counted(client, entry):
    html = client.get("/search/?q=Long+run").content.decode()
    assert f'href="{url(entry)}"' in html
