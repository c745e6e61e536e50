"""An entry or a goal edited in two tabs (or on two devices, or locked or ticked on the post
page meanwhile): saving the older form keeps what only the other side changed, and shows
what both changed instead of overwriting it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from planner.forms import EntryForm
from tests.factory import make_entry, make_goal, make_user, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(owner):
    return make_entry(make_year(owner), period=2, title="Summer at the lake", body="Cold water.")


@pytest.fixture
def goal(owner):
    return make_goal(make_year(owner, year=2026), title="Swim 50 km", note="Went well.")


def loaded(client, url: str) -> dict:
    """The fields of an edit form as the page gives them."""
    page = client.get(url).text
    fields = dict(
        re.findall(r'<input type="(?:hidden|text|number|date)" name="(\w+)" value="([^"]*)"', page)
    )
    fields.update(re.findall(r'<textarea name="(\w+)"[^>]*>\n?([^<]*)</textarea>', page))
    fields.update(
        (name, "on")
        for name in re.findall(r'<input type="checkbox" name="(\w+)"[^>]*checked', page)
    )
    for name, value in re.findall(
        r'<select name="(\w+)".*?<option value="([^"]*)"[^>]*selected', page, re.S
    ):
        fields[name] = value
    for name, value in re.findall(
        r'<input type="radio" name="(\w+)" value="([^"]*)"[^>]*checked', page
    ):
        fields[name] = value
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def entry_url(entry) -> str:
    return reverse("planner:entry_edit", args=[entry.pk])


def goal_url(goal) -> str:
    return reverse("planner:goal_edit", args=[goal.pk])


def test_an_edit_of_an_older_body_shows_theirs_and_overwrites_nothing(owner_client, entry):
    laptop = loaded(owner_client, entry_url(entry))
    phone = {**laptop, "body": "Written on the phone."}
    assert owner_client.post(entry_url(entry), phone).status_code == 302

    response = owner_client.post(entry_url(entry), {**laptop, "body": "Written on the laptop."})

    assert response.status_code == 409
    assert "This entry was changed elsewhere since you opened it." in response.text
    assert '<dd class="conflict-theirs">Written on the phone.</dd>' in response.text
    assert ">\nWritten on the laptop.</textarea>" in response.text  # yours, still editable
    entry.refresh_from_db()
    assert entry.body == "Written on the phone."

    # Saving again (the form now based on theirs) keeps yours.
    again = {**laptop, "body": "Written on the laptop.", **loaded_from(response.text)}
    assert owner_client.post(entry_url(entry), again).status_code == 302
    entry.refresh_from_db()
    assert entry.body == "Written on the laptop."


def loaded_from(page: str) -> dict:
    return {"base": re.search(r'name="base" value="([0-9a-f.]+)"', page).group(1)}


def test_a_lock_set_on_the_post_page_is_not_undone_by_an_older_form(owner_client, entry):
    form = loaded(owner_client, entry_url(entry))
    assert "is_private" not in form
    owner_client.post(reverse("planner:entry_privacy", args=[entry.pk]))

    response = owner_client.post(entry_url(entry), {**form, "body": "One more line."})

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.is_private and entry.body == "One more line."


def test_titles_changed_differently_in_both_tabs_are_a_conflict(owner_client, entry):
    form = loaded(owner_client, entry_url(entry))
    owner_client.post(entry_url(entry), {**form, "title": "Title from tab A"})

    response = owner_client.post(entry_url(entry), {**form, "title": "Title from tab B"})

    assert response.status_code == 409
    assert "<dt>Title</dt>" in response.text
    assert '<dd class="conflict-theirs">Title from tab A</dd>' in response.text
    entry.refresh_from_db()
    assert entry.title == "Title from tab A"


def test_a_title_changed_in_one_tab_and_the_text_in_the_other_are_both_kept(owner_client, entry):
    form = loaded(owner_client, entry_url(entry))
    owner_client.post(entry_url(entry), {**form, "title": "Title from tab A"})

    response = owner_client.post(entry_url(entry), {**form, "body": "Text from tab B."})

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.body) == ("Title from tab A", "Text from tab B.")


def test_a_change_between_the_check_and_the_write_is_a_conflict_too(owner, entry):
    data = {"title": entry.title, "body": "Mine.", "period": entry.period_id}
    form = EntryForm(
        {**data, "base": EntryForm(instance=entry, period=entry.period).current_version},
        instance=entry,
        period=entry.period,
    )
    assert form.is_valid()
    type(entry).objects.filter(pk=entry.pk).update(body="Theirs, saved a moment ago.")

    assert form.save_checked() is False
    assert form.conflicts == [("Text", "Theirs, saved a moment ago.")]
    entry.refresh_from_db()
    assert entry.body == "Theirs, saved a moment ago."


def test_an_edit_without_a_version_is_saved_as_sent(owner_client, entry):
    response = owner_client.post(entry_url(entry), {"title": entry.title, "body": "From a script."})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.body == "From a script."


def test_a_goal_ticked_on_the_post_page_is_not_unticked_by_an_older_form(owner_client, goal):
    form = loaded(owner_client, goal_url(goal))
    assert "done" not in form
    owner_client.post(reverse("planner:goal_toggle", args=[goal.pk]), {"done": "1"})

    response = owner_client.post(goal_url(goal), {**form, "note": "Went well, 52 km."})

    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.done and goal.note == "Went well, 52 km."


def test_a_goal_edit_of_an_older_note_shows_theirs_and_keeps_mine_on_request(owner_client, goal):
    form = loaded(owner_client, goal_url(goal))
    owner_client.post(goal_url(goal), {**form, "note": "Written in the other tab."})

    response = owner_client.post(
        goal_url(goal), {**form, "note": "Went well, 52 km.", "title": "Swim 52 km"}
    )

    assert response.status_code == 409
    assert "This goal was changed elsewhere since you opened it." in response.text
    assert '<dd class="conflict-theirs">Written in the other tab.</dd>' in response.text
    assert 'value="Swim 52 km"' in response.text
    goal.refresh_from_db()
    assert (goal.title, goal.note) == ("Swim 50 km", "Written in the other tab.")

    again = {
        **form,
        "note": "Went well, 52 km.",
        "title": "Swim 52 km",
        **loaded_from(response.text),
    }
    assert owner_client.post(goal_url(goal), again).status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.note) == ("Swim 52 km", "Went well, 52 km.")


def test_an_entry_deleted_in_another_tab_keeps_what_was_written_and_can_be_restored(
    owner_client, entry
):
    form = loaded(owner_client, entry_url(entry))
    owner_client.post(reverse("planner:entry_delete", args=[entry.pk]))
    mine = {**form, "body": "Written while it was being deleted."}

    response = owner_client.post(entry_url(entry), mine)

    assert response.status_code == 409
    assert "This entry was deleted elsewhere since you opened it." in response.text
    assert ">\nWritten while it was being deleted.</textarea>" in response.text
    assert 'name="restore" value="1"' in response.text

    assert owner_client.post(entry_url(entry), {**mine, "restore": "1"}).status_code == 302
    entry.refresh_from_db()
    assert entry.deleted_at is None and entry.body == "Written while it was being deleted."


def test_a_deleted_entry_has_no_edit_page_and_a_stranger_gets_404(owner_client, client, entry):
    owner_client.post(reverse("planner:entry_delete", args=[entry.pk]))
    assert owner_client.get(entry_url(entry)).status_code == 404
    client.force_login(make_user("stranger"))
    assert client.post(entry_url(entry), {"title": "x", "restore": "1"}).status_code == 404
    entry.refresh_from_db()
    assert entry.deleted_at is not None
