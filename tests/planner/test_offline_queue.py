"""Changes sent from the installed app's offline queue: applied once however often they are
sent, refused ones left for the person, and the pages the app keeps to write offline."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import partial

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from planner.forms import text_version
from planner.models import APPLIED_CHANGE_KEPT, AppliedChange, Entry, GoalUpdate
from tests.at_once import at_once
from tests.factory import image_upload, make_goal, make_user, make_year

KEY = "3f9c2d1e8b7a4c5d9e0f1a2b3c4d5e6f"


def send(client, path, data, key=KEY):
    return client.post(path, data, headers={"idempotency-key": key})


@pytest.fixture
def post(owner):
    return make_year(owner, year=2026, title="Owner's 2026")


def test_a_new_entry_sent_twice_is_stored_once(owner_client, post):
    path = "/@owner/2026/periods/2/entries/new/"
    change = {"title": "Ferry to Jeju", "body": "Calm sea.", "photo": image_upload("IMG_1.jpg")}

    first = send(owner_client, path, change)
    change["photo"] = image_upload("IMG_1.jpg")
    second = send(owner_client, path, change)

    assert (first.status_code, first["Idempotency-Status"]) == (204, "applied")
    assert (second.status_code, second["Idempotency-Status"]) == (204, "already-applied")
    entry = Entry.objects.get()
    assert (entry.title, entry.period.index, entry.photos.count()) == ("Ferry to Jeju", 2, 1)


def test_progress_sent_twice_counts_once_and_the_same_key_of_another_person_is_theirs(
    owner_client, post, owner
):
    goal = make_goal(post, title="Run 300 km", target=300, unit="km")
    path = f"/goals/{goal.pk}/updates/"
    change = {"value": "21.1", "recorded_on": "2026-05-03", "remark": ""}

    send(owner_client, path, change)
    send(owner_client, path, change)
    other = make_user("other")
    owner_client.force_login(other)
    refused = send(owner_client, path, change)

    assert refused.status_code == 404
    assert GoalUpdate.objects.filter(goal=goal).count() == 1
    goal.refresh_from_db()
    assert goal.progress == Decimal("21.1")
    assert AppliedChange.objects.filter(user=other).count() == 0


def test_a_refused_change_is_not_recorded_and_may_be_sent_again(owner_client, post):
    path = "/@owner/2026/periods/1/entries/new/"

    refused = send(owner_client, path, {"title": "", "body": "No title yet."})
    accepted = send(owner_client, path, {"title": "Now with a title", "body": "No title yet."})

    assert refused.status_code == 422
    assert "This field is required." in refused.text
    assert accepted["Idempotency-Status"] == "applied"
    assert list(Entry.objects.values_list("title", flat=True)) == ["Now with a title"]


def test_a_text_written_against_an_older_version_answers_with_both(owner_client, post):
    post.summary = "Written on the laptop."
    post.save()

    response = send(
        owner_client,
        "/@owner/2026/texts/summary/edit/",
        {"text": "Written on the ferry.", "base": text_version("")},
    )

    assert response.status_code == 409
    assert "Written on the laptop." in response.text
    assert "Written on the ferry." in response.text
    post.refresh_from_db()
    assert post.summary == "Written on the laptop."
    assert not AppliedChange.objects.exists()


def test_a_change_for_a_text_applies_over_the_version_it_was_written_on(owner_client, post):
    response = send(
        owner_client,
        "/@owner/2026/periods/1/edit/",
        {"text": "Winter was long.", "base": text_version("")},
    )

    assert response["Idempotency-Status"] == "applied"
    assert post.periods.get(index=1).retrospective == "Winter was long."


@pytest.mark.parametrize("key", ["short", "x" * 65, "has spaces in it, sixteen+", "ключ" * 5])
def test_a_key_that_is_not_one_is_refused_and_nothing_saved(owner_client, post, key):
    response = send(owner_client, "/@owner/2026/periods/1/entries/new/", {"title": "A"}, key=key)

    assert response.status_code == 400
    assert "not valid" in response.text
    assert not Entry.objects.exists()


def test_a_change_sent_without_a_session_waits_for_the_log_in(client, post):
    response = send(client, "/@owner/2026/periods/1/entries/new/", {"title": "A"})

    assert response.status_code == 401
    assert response.text == "Log in again to send this change."
    assert not Entry.objects.exists()


def test_the_csrf_check_still_applies(owner, post):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)

    response = send(strict, "/@owner/2026/periods/1/entries/new/", {"title": "Forged"})

    assert response.status_code == 403
    assert not Entry.objects.exists()
    assert not AppliedChange.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_copies_sent_at_the_same_moment_are_applied_once():
    owner = make_user("owner")
    make_year(owner, year=2026)
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(owner)

    def send_copy(client) -> str:
        response = send(client, "/@owner/2026/periods/1/entries/new/", {"title": "Once"})
        return response["Idempotency-Status"]

    answers = at_once([partial(send_copy, client) for client in clients])

    assert sorted(answers) == ["already-applied", "applied"]
    assert Entry.objects.filter(title="Once").count() == 1


def test_the_record_of_applied_changes_is_purged_after_its_time(owner_client, post, owner):
    send(owner_client, "/@owner/2026/periods/1/entries/new/", {"title": "Kept"})
    old = AppliedChange.objects.create(user=owner, key="o" * 32, path="/old/")
    AppliedChange.objects.filter(pk=old.pk).update(
        applied_at=timezone.now() - APPLIED_CHANGE_KEPT - datetime.timedelta(days=1)
    )

    call_command("purge_deleted", verbosity=0)

    assert list(AppliedChange.objects.values_list("key", flat=True)) == [KEY]


@pytest.mark.parametrize(
    "path",
    [
        "/@owner/2026/",
        "/@owner/2026/periods/2/entries/new/",
        "/@owner/2026/periods/2/edit/",
        "/@owner/2026/texts/summary/edit/",
    ],
)
def test_the_pages_to_write_offline_are_kept_for_their_owner_only(
    client, owner, reader, post, path
):
    post.visibility = "public"
    post.save()
    client.force_login(owner)
    own = client.get(path)
    client.force_login(reader)
    others = client.get(path)

    assert own["X-Offline-Copy"] == "owner"
    assert "X-Offline-Copy" not in others


def test_a_form_that_was_posted_is_not_kept(owner_client, post):
    response = owner_client.post("/@owner/2026/periods/2/entries/new/", {"title": ""})

    assert response.status_code == 422
    assert "X-Offline-Copy" not in response


def test_the_dashboard_names_the_pages_to_keep_and_the_forms_that_work_offline(owner_client, owner):
    year = timezone.localdate().year
    make_goal(make_year(owner, year=year), title="Run 300 km", target=300)

    dashboard = owner_client.get("/").text
    post_page = owner_client.get(f"/@owner/{year}/").text

    assert f'data-keep-offline="/@owner/{year}/ /@owner/{year}/periods/' in dashboard
    assert 'data-offline-label="New entry" data-offline-detail="title"' in dashboard
    assert 'data-offline-label="Mark “Run 300 km” as reached"' in post_page
    assert 'data-offline-label="Progress on “Run 300 km”"' in post_page


def test_a_tick_sent_twice_stays_ticked(owner_client, post):
    goal = make_goal(post, title="Defend the thesis proposal")
    tick = {"done": "1", "next": "/@owner/2026/"}

    send(owner_client, f"/goals/{goal.pk}/toggle/", tick, key="a" * 32)
    send(owner_client, f"/goals/{goal.pk}/toggle/", tick, key="b" * 32)  # tapped again

    goal.refresh_from_db()
    assert goal.done


def test_the_tick_form_asks_for_the_state_it_shows_next(owner_client, post):
    goal = make_goal(post, title="Defend the thesis proposal")

    page = owner_client.get("/@owner/2026/").text
    owner_client.post(f"/goals/{goal.pk}/toggle/", {"done": "1"})
    after = owner_client.get("/@owner/2026/").text

    assert '<input type="hidden" name="done" value="1">' in page
    assert '<input type="hidden" name="done" value="0">' in after


def test_every_answer_says_who_is_signed_in_for_the_kept_pages(client, owner, post):
    assert client.get("/accounts/login/")["X-Offline-Owner"] == "-"
    client.force_login(owner)
    assert client.get("/")["X-Offline-Owner"] == f"u{owner.pk}"
