"""Entries edited in place within their period: move, drag order, lock, delete and undo.

Every action answers htmx with the period's entries fragment and a plain post with a
redirect back to the period; the dashboard's quick box writes into the current period.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
import time_machine
from django.urls import reverse

from planner.models import Entry, Visibility
from tests.factory import make_entry, make_photo, make_year

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def year(owner):
    return make_year(owner, year=2025, visibility=Visibility.PUBLIC)


@pytest.fixture
def entries(year):
    return [
        make_entry(year, period=2, title=title, order=position)
        for position, title in enumerate(["Moved to Seoul", "Lake swim", "Piano recital"], 1)
    ]


def _post_url() -> str:
    return reverse("planner:year_detail", args=["owner", 2025])


def _login_url(next_url: str) -> str:
    return f"{reverse('login')}?{urlencode({'next': next_url}, safe='/')}"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _titles(period: int = 2) -> list[str]:
    return list(Entry.objects.filter(period__index=period).values_list("title", flat=True))


def _state() -> list[tuple]:
    return list(
        Entry.all_objects.order_by("pk").values_list("pk", "order", "is_private", "deleted_at")
    )


def _period_region(html: str, index: int = 2) -> str:
    start = html.index(f'id="period-{index}-entries"')
    return html[start : html.index(f'id="period-{index + 1}"', start) if index < 3 else None]


def _action(name: str, entries: list[Entry]) -> tuple[str, dict]:
    """The URL and form data of each in-place action, on the middle entry."""
    entry = entries[1]
    if name == "entry_restore":
        entry.soft_delete()
    if name == "entry_reorder":
        order = [str(e.pk) for e in reversed(entries)]
        return reverse("planner:entry_reorder", args=["owner", 2025, 2]), {"order": order}
    data = {"direction": "up"} if name == "entry_move" else {}
    return reverse(f"planner:{name}", args=[entry.pk]), data


ACTIONS = ["entry_move", "entry_reorder", "entry_privacy", "entry_delete", "entry_restore"]
POST_ONLY = ["entry_move", "entry_reorder", "entry_privacy", "entry_restore"]


# Who may use the actions


@pytest.mark.parametrize("name", ACTIONS)
def test_it_answers_the_owner_with_the_periods_entries_in_place(owner_client, entries, name):
    url, data = _action(name, entries)

    response = owner_client.post(url, data, headers=HTMX)

    assert response.status_code == 200
    assert response.templates[0].name == "planner/includes/period_entries.html"
    assert response.text.lstrip().startswith('<div id="period-2-entries"')
    assert 'data-hx-target="this"' in response.text
    assert "<html" not in response.text


@pytest.mark.parametrize("name", ACTIONS)
def test_it_sends_a_plain_post_back_to_the_period(owner_client, entries, name):
    url, data = _action(name, entries)

    response = owner_client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == _post_url() + "#period-2"


@pytest.mark.parametrize("name", ACTIONS)
def test_it_answers_404_to_another_user(reader_client, entries, name):
    url, data = _action(name, entries)
    before = _state()

    assert reader_client.post(url, data, headers=HTMX).status_code == 404
    assert reader_client.post(url, data).status_code == 404
    assert _state() == before


@pytest.mark.parametrize("name", ACTIONS)
def test_it_sends_visitors_to_log_in(client, entries, name):
    url, data = _action(name, entries)
    before = _state()

    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == _login_url(url)
    assert _state() == before


@pytest.mark.parametrize("name", POST_ONLY)
def test_it_only_acts_on_a_post(owner_client, entries, name):
    url, _data = _action(name, entries)
    before = _state()

    assert owner_client.get(url).status_code == 405
    assert _state() == before


# The owner's controls on the post


def test_it_gives_the_owner_controls_and_readers_none(client, owner, entries):
    reader_page = client.get(_post_url()).text
    client.force_login(owner)
    owner_page = client.get(_post_url()).text

    region = _period_region(owner_page)
    assert 'data-reorder-form="period-2-reorder-form"' in region
    assert region.count('draggable="true"') == 3
    first_up, last_down = f'id="entry-up-{entries[0].pk}"', f'id="entry-down-{entries[2].pk}"'
    assert re.search(first_up + r"[^>]*\sdisabled>", region)
    assert re.search(last_down + r"[^>]*\sdisabled>", region)
    assert not re.search(f'id="entry-up-{entries[1].pk}"' + r"[^>]*\sdisabled>", region)
    assert reverse("planner:entry_reorder", args=["owner", 2025, 2]) in region
    assert 'data-hx-confirm="Delete “Lake swim”? You can undo this for a week."' in region
    assert 'id="period-2-entries" class="period-entries">' in reader_page
    for control in ("draggable", "data-reorder-form", "/move/", "/privacy/", "/delete/"):
        assert control not in reader_page


# Order: move up and down, drag and drop


def test_it_moves_an_entry_up_and_down(owner_client, entries):
    recital = entries[2]
    url = reverse("planner:entry_move", args=[recital.pk])

    response = owner_client.post(url, {"direction": "up"}, headers=HTMX)

    assert _titles() == ["Moved to Seoul", "Piano recital", "Lake swim"]
    text = _text(response.text)
    assert text.index("Piano recital") < text.index("Lake swim")
    owner_client.post(url, {"direction": "up"})
    assert _titles() == ["Piano recital", "Moved to Seoul", "Lake swim"]
    owner_client.post(url, {"direction": "down"})
    assert _titles() == ["Moved to Seoul", "Piano recital", "Lake swim"]
    page = _text(owner_client.get(_post_url()).text)
    assert page.index("Moved to Seoul") < page.index("Piano recital") < page.index("Lake swim")


def test_it_leaves_the_first_and_last_entries_where_they_are(owner_client, entries):
    owner_client.post(reverse("planner:entry_move", args=[entries[0].pk]), {"direction": "up"})
    owner_client.post(reverse("planner:entry_move", args=[entries[2].pk]), {"direction": "down"})

    assert _titles() == ["Moved to Seoul", "Lake swim", "Piano recital"]


def test_it_moves_an_entry_only_within_its_period(owner_client, year, entries):
    make_entry(year, period=1, title="New year's walk")
    make_entry(year, period=3, title="Autumn talk")

    owner_client.post(reverse("planner:entry_move", args=[entries[0].pk]), {"direction": "up"})
    owner_client.post(reverse("planner:entry_move", args=[entries[2].pk]), {"direction": "down"})

    assert _titles(1) == ["New year's walk"]
    assert _titles(2) == ["Moved to Seoul", "Lake swim", "Piano recital"]
    assert _titles(3) == ["Autumn talk"]


def test_it_saves_the_order_from_drag_and_drop(owner_client, entries):
    order = [entries[2].pk, entries[0].pk, entries[1].pk]

    response = owner_client.post(
        reverse("planner:entry_reorder", args=["owner", 2025, 2]), {"order": order}, headers=HTMX
    )

    assert response.status_code == 200
    assert _titles() == ["Piano recital", "Moved to Seoul", "Lake swim"]
    assert [e.order for e in Entry.objects.filter(period__index=2)] == [1, 2, 3]


@pytest.mark.parametrize(
    "wrong",
    [
        pytest.param(lambda e, other: [e[0].pk, e[1].pk], id="one-missing"),
        pytest.param(lambda e, other: [e[0].pk, e[1].pk, e[2].pk, other.pk], id="one-too-many"),
        pytest.param(lambda e, other: [e[0].pk, e[1].pk, other.pk], id="from-another-period"),
        pytest.param(lambda e, other: [e[0].pk, e[0].pk, e[1].pk], id="twice"),
        pytest.param(lambda e, other: [e[0].pk, e[1].pk, "x"], id="not-an-id"),
        pytest.param(lambda e, other: [], id="none"),
    ],
)
def test_it_refuses_an_order_that_is_not_exactly_the_periods_entries(
    owner_client, year, entries, wrong
):
    other = make_entry(year, period=3, title="Autumn talk")
    url = reverse("planner:entry_reorder", args=["owner", 2025, 2])
    before = _state()

    in_place = owner_client.post(url, {"order": wrong(entries, other)}, headers=HTMX)
    plain = owner_client.post(url, {"order": wrong(entries, other)})

    assert in_place.status_code == 422
    assert "The entries changed meanwhile; here is their order now." in in_place.text
    assert 'id="period-2-entries"' in in_place.text
    assert plain.status_code == 422
    assert "The list changed meanwhile. Nothing was moved." in plain.text
    assert _state() == before


def test_it_refuses_an_order_that_leaves_out_a_private_entry(owner_client, year, entries):
    make_entry(year, period=2, title="Hospital week", is_private=True, order=4)
    url = reverse("planner:entry_reorder", args=["owner", 2025, 2])
    before = _state()

    order = [e.pk for e in reversed(entries)]
    response = owner_client.post(url, {"order": order}, headers=HTMX)

    assert response.status_code == 422
    assert _state() == before


# The lock


def test_it_makes_an_entry_private_and_visible_again(client, owner, reader, entries):
    lake = entries[1]
    url = reverse("planner:entry_privacy", args=[lake.pk])
    client.force_login(owner)

    response = client.post(url, headers=HTMX)

    lake.refresh_from_db()
    assert lake.is_private
    assert f'id="entry-lock-{lake.pk}" class="link-button" aria-pressed="true"' in response.text
    assert "Make visible" in _text(response.text)
    assert "Lake swim private" in _text(client.get(_post_url()).text)
    client.logout()
    assert "Lake swim" not in _text(client.get(_post_url()).text)
    client.force_login(reader)
    assert "Lake swim" not in _text(client.get(_post_url()).text)

    client.force_login(owner)
    client.post(url)
    lake.refresh_from_db()
    assert not lake.is_private
    client.logout()
    assert "Lake swim" in _text(client.get(_post_url()).text)


# Delete and undo


def test_it_asks_before_deleting_without_javascript(owner_client, entries):
    response = owner_client.get(reverse("planner:entry_delete", args=[entries[1].pk]))

    assert response.status_code == 200
    assert "Delete “Lake swim”?" in response.text
    assert "You can undo this for a week." in response.text
    assert Entry.objects.filter(pk=entries[1].pk).exists()


def test_it_deletes_an_entry_and_offers_to_undo(client, owner, reader, entries):
    lake = entries[1]
    client.force_login(owner)

    response = client.post(reverse("planner:entry_delete", args=[lake.pk]), headers=HTMX)

    assert response.status_code == 200
    assert f'id="entry-{lake.pk}"' not in response.text
    assert "Deleted “Lake swim”. Undo" in _text(response.text)
    assert reverse("planner:entry_restore", args=[lake.pk]) in response.text
    # Focus goes to the Undo, and a screen reader hears what happened.
    assert f'data-focus="entry-undo-{lake.pk}"' in response.text
    assert f'id="entry-undo-{lake.pk}"' in response.text
    assert 'data-announce="“Lake swim” deleted. You can undo this."' in response.text
    assert not Entry.objects.filter(pk=lake.pk).exists()
    owner_page = client.get(_post_url()).text
    assert f'id="entry-{lake.pk}"' not in owner_page
    assert "Deleted “Lake swim”. Undo" in _text(_period_region(owner_page))
    for viewer in (reader, None):
        client.logout()
        if viewer:
            client.force_login(viewer)
        page = client.get(_post_url()).text
        assert "Lake swim" not in page
        assert "Undo" not in page


def test_it_restores_an_entry_in_its_place(client, owner, reader, entries):
    lake = entries[1]
    client.force_login(owner)
    client.post(reverse("planner:entry_delete", args=[lake.pk]))
    client.post(reverse("planner:entry_create", args=["owner", 2025, 2]), {"title": "Later"})

    response = client.post(reverse("planner:entry_restore", args=[lake.pk]), headers=HTMX)

    assert response.status_code == 200
    assert "Deleted “Lake swim”" not in response.text
    assert _titles() == ["Moved to Seoul", "Lake swim", "Piano recital", "Later"]
    text = _text(response.text)
    assert text.index("Moved to Seoul") < text.index("Lake swim") < text.index("Piano recital")
    client.force_login(reader)
    page = _text(_period_region(client.get(_post_url()).text))
    assert page.index("Moved to Seoul") < page.index("Lake swim") < page.index("Piano recital")


def test_it_says_an_entry_is_back_after_a_plain_undo(owner_client, entries):
    entries[1].soft_delete()

    response = owner_client.post(
        reverse("planner:entry_restore", args=[entries[1].pk]), follow=True
    )

    assert "Entry “Lake swim” is back." in response.text
    assert "Deleted “Lake swim”" not in response.text


def test_it_restores_for_a_week_and_no_longer(client, owner, entries):
    lake, recital = entries[1], entries[2]
    with time_machine.travel("2026-03-01 09:00", tick=False):
        client.force_login(owner)
        client.post(reverse("planner:entry_delete", args=[lake.pk]))
        client.post(reverse("planner:entry_delete", args=[recital.pk]))

    with time_machine.travel("2026-03-07 21:00", tick=False):
        client.force_login(owner)
        assert client.post(reverse("planner:entry_restore", args=[recital.pk])).status_code == 302

    with time_machine.travel("2026-03-08 09:01", tick=False):
        client.force_login(owner)
        response = client.post(reverse("planner:entry_restore", args=[lake.pk]), headers=HTMX)
        page = _period_region(client.get(_post_url()).text)

    assert response.status_code == 404
    assert Entry.all_objects.get(pk=lake.pk).deleted_at is not None
    assert "Lake swim" not in page
    assert "Piano recital" in page


def test_it_cannot_restore_an_entry_that_was_not_deleted(owner_client, entries):
    response = owner_client.post(reverse("planner:entry_restore", args=[entries[0].pk]))

    assert response.status_code == 404


def test_it_cannot_edit_move_or_lock_a_deleted_entry(owner_client, entries):
    lake = entries[1]
    lake.soft_delete()

    for name in ("entry_move", "entry_privacy", "entry_delete"):
        assert owner_client.post(reverse(f"planner:{name}", args=[lake.pk])).status_code == 404
    # An edit sent meanwhile is shown again to be restored and saved (test_edit_conflicts.py).
    edit = owner_client.post(reverse("planner:entry_edit", args=[lake.pk]), {"title": "Changed"})
    assert edit.status_code == 409
    lake.refresh_from_db()
    assert lake.deleted_at is not None and lake.title != "Changed"


def test_it_keeps_a_deleted_entrys_photos_while_it_may_be_restored(owner_client, entries):
    photo = make_photo(entries[1], caption="Cold water")
    owner_client.post(reverse("planner:entry_delete", args=[entries[1].pk]))

    assert "Cold water" not in owner_client.get(_post_url()).text
    owner_client.post(reverse("planner:entry_restore", args=[entries[1].pk]))
    assert f'src="{photo.fallback_url}"' in owner_client.get(_post_url()).text


# The dashboard's quick "New entry" box


@pytest.fixture
def june_client(client, owner):
    with time_machine.travel("2026-06-15 12:00", tick=False):
        client.force_login(owner)
        yield client


def test_it_offers_a_quick_entry_box_for_the_current_period(june_client, owner):
    make_year(owner, year=2026, visibility=Visibility.PRIVATE)

    response = june_client.get(reverse("planner:home"))

    assert response.status_code == 200
    assert '<h2 id="quick-entry-title">New entry in May–August</h2>' in response.text
    create_url = reverse("planner:entry_create", args=["owner", 2026, 2])
    assert f'action="{create_url}" data-hx-post="{create_url}"' in response.text


def test_it_shows_no_quick_entry_box_without_a_current_year(june_client, owner):
    make_year(owner, year=2025)

    response = june_client.get(reverse("planner:home"))

    assert response.status_code == 200
    assert 'id="quick-entry"' not in response.text


def test_it_writes_a_quick_entry_in_place_into_the_current_period(june_client, owner):
    year = make_year(owner, year=2026, visibility=Visibility.PRIVATE)
    make_entry(year, period=2, title="Earlier", order=1)
    url = reverse("planner:entry_create", args=["owner", 2026, 2])

    response = june_client.post(url, {"title": "First swim", "body": "Cold!"}, headers=HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="quick-entry"')
    assert "Added “First swim” to May–August." in _text(response.text)
    assert 'name="title" maxlength="200" required value=""' in response.text
    assert "Cold!" not in response.text
    entry = Entry.objects.get(title="First swim")
    assert (entry.period.year, entry.period.index, entry.body) == (year, 2, "Cold!")
    assert not entry.is_private
    assert _titles(2) == ["Earlier", "First swim"]
    page = june_client.get(year.get_absolute_url()).text
    assert "First swim" in _text(_period_region(page))


def test_it_writes_a_quick_entry_without_javascript(june_client, owner):
    year = make_year(owner, year=2026, visibility=Visibility.PRIVATE)
    url = reverse("planner:entry_create", args=["owner", 2026, 2])

    response = june_client.post(url, {"title": "First swim", "body": "Cold!"})

    assert response.status_code == 302
    assert response["Location"] == year.get_absolute_url() + "#period-2"
    assert Entry.objects.get().title == "First swim"


def test_it_refuses_a_quick_entry_without_a_title_and_keeps_the_text(june_client, owner):
    make_year(owner, year=2026, visibility=Visibility.PRIVATE)
    url = reverse("planner:entry_create", args=["owner", 2026, 2])

    response = june_client.post(url, {"title": " ", "body": "Cold!"}, headers=HTMX)

    assert response.status_code == 422
    assert "This field is required." in response.text
    assert 'aria-invalid="true"' in response.text
    assert ">Cold!</textarea>" in response.text
    assert not Entry.objects.exists()


def test_it_answers_404_to_a_quick_entry_into_someone_elses_year(client, owner, reader):
    make_year(owner, year=2026)
    with time_machine.travel("2026-06-15 12:00", tick=False):
        client.force_login(reader)
        url = reverse("planner:entry_create", args=["owner", 2026, 2])
        response = client.post(url, {"title": "Hijack"}, headers=HTMX)

    assert response.status_code == 404
    assert not Entry.objects.exists()


def test_it_lists_what_was_deleted_with_the_period_it_belongs_to(owner_client, year, entries):
    make_entry(year, period=3, title="Autumn talk").soft_delete()
    entries[0].soft_delete()

    page = owner_client.get(_post_url()).text

    assert "Deleted “Moved to Seoul”" in _period_region(page, 2)
    assert "Deleted “Autumn talk”" not in _period_region(page, 2)
    assert "Deleted “Autumn talk”" in _period_region(page, 3)


def test_an_entry_moved_to_the_top_keeps_the_focus_on_move_down(client, owner, entries):
    client.force_login(owner)
    lake = entries[1]

    response = client.post(
        reverse("planner:entry_move", args=[lake.pk]), {"direction": "up"}, headers=HTMX
    )

    assert f'data-focus="entry-down-{lake.pk}"' in response.text
    assert 'data-announce="“Lake swim” is now 1 of' in response.text
