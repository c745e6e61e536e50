"""The goal actions the owner uses on the post: htmx fragments and plain form posts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from planner.forms import text_version
from planner.models import Goal, GoalUpdate
from tests.factory import make_goal, make_year

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def year(owner):
    return make_year(owner, year=2025)


@pytest.fixture
def goals(year):
    return [make_goal(year, title=title) for title in ("First", "Second", "Third")]


def url(name: str, *args) -> str:
    return reverse(f"planner:{name}", args=args)


def titles(year) -> list[str]:
    return list(Goal.objects.filter(year=year).values_list("title", flat=True))


def test_it_ticks_a_goal_in_place_and_updates_the_count(owner_client, goals):
    response = owner_client.post(url("goal_toggle", goals[0].pk), **HTMX)

    assert response.status_code == 200
    assert '<div id="goal-list"' in response.text
    assert "1 of 3 reached" in response.text
    assert "<html" not in response.text
    goals[0].refresh_from_db()
    assert goals[0].done and goals[0].done_at is not None


def test_it_sends_plain_posts_from_a_swapped_list_back_to_the_page(owner_client, goals):
    response = owner_client.post(
        url("goal_toggle", goals[0].pk), HTTP_HX_CURRENT_URL="http://testserver/", **HTMX
    )

    assert 'name="next" value="/"' in response.text
    assert f'value="{url("goal_toggle", goals[0].pk)}"' not in response.text


def test_it_unticks_and_clears_when_it_was_reached(owner_client, year):
    goal = make_goal(year, done=True)

    response = owner_client.post(url("goal_toggle", goal.pk), **HTMX)

    assert "0 of 1 reached" in response.text
    goal.refresh_from_db()
    assert not goal.done and goal.done_at is None


def test_it_ticks_from_the_dashboard_and_returns_there_without_javascript(owner_client, goals):
    response = owner_client.post(url("goal_toggle", goals[1].pk), {"next": "/"})

    assert response.status_code == 302
    assert response["Location"] == f"/#goal-{goals[1].pk}"


# The outcome note


def test_it_opens_the_note_editor_in_place(owner_client, goals):
    response = owner_client.get(url("goal_note_edit", goals[0].pk), **HTMX)

    assert response.status_code == 200
    assert "<form" in response.text and "<html" not in response.text
    assert f'value="{text_version("")}"' in response.text
    assert "Ctrl+Enter" in response.text


def test_it_saves_a_note_in_place(owner_client, goals):
    response = owner_client.post(
        url("goal_note_edit", goals[0].pk),
        {"note": "submitted, rejected; became a technical report", "base": text_version("")},
        **HTMX,
    )

    assert response.status_code == 200
    assert "submitted, rejected; became a technical report" in response.text
    # The goal's menu now offers to edit the note, not to add one.
    assert 'data-hx-swap-oob="true">Edit note' in response.text
    goals[0].refresh_from_db()
    assert goals[0].note == "submitted, rejected; became a technical report"


def test_it_saves_a_note_without_javascript(owner_client, goals):
    page = owner_client.get(url("goal_note_edit", goals[0].pk))
    assert page.status_code == 200 and "<h1>First</h1>" in page.text

    response = owner_client.post(
        url("goal_note_edit", goals[0].pk), {"note": "Done.", "base": text_version("")}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/@owner/2025/#goal-{goals[0].pk}"
    goals[0].refresh_from_db()
    assert goals[0].note == "Done."


def test_it_shows_a_conflict_instead_of_overwriting_a_note_changed_elsewhere(owner_client, goals):
    loaded = text_version("")
    Goal.objects.filter(pk=goals[0].pk).update(note="Written in the other tab")

    response = owner_client.post(
        url("goal_note_edit", goals[0].pk), {"note": "Written here", "base": loaded}, **HTMX
    )

    assert response.status_code == 409
    assert "changed elsewhere" in response.text
    assert "Written in the other tab" in response.text
    assert ">Written here</textarea>" in response.text
    assert f'value="{text_version("Written in the other tab")}"' in response.text
    goals[0].refresh_from_db()
    assert goals[0].note == "Written in the other tab"

    kept_mine = owner_client.post(
        url("goal_note_edit", goals[0].pk),
        {"note": "Written here", "base": text_version("Written in the other tab")},
        **HTMX,
    )
    assert kept_mine.status_code == 200
    goals[0].refresh_from_db()
    assert goals[0].note == "Written here"


def test_it_cancels_the_note_editor_back_to_the_note(owner_client, year):
    goal = make_goal(year, note="As it was")

    response = owner_client.get(url("goal_note", goal.pk), **HTMX)

    assert response.status_code == 200
    assert "As it was" in response.text


# Progress toward a target


def log(client, goal, value, day="2025-03-01", **extra):
    data = {"value": value, "recorded_on": day, "remark": ""}
    return client.post(url("goal_update_create", goal.pk), data, **extra)


def test_it_counts_progress_up_and_ticks_the_goal_when_the_target_is_met(owner_client, year):
    goal = make_goal(year, title="Finish piano pieces", target=3, unit="pieces")

    log(owner_client, goal, "1", "2025-02-01", **HTMX)
    response = log(owner_client, goal, "1", "2025-05-01", **HTMX)
    assert "2 / 3 pieces" in response.text
    goal.refresh_from_db()
    assert not goal.done

    response = log(owner_client, goal, "1", "2025-09-01", **HTMX)

    assert "3 / 3 pieces" in response.text
    assert "1 of 1 reached" in response.text
    assert '<svg class="sparkline"' in response.text
    goal.refresh_from_db()
    assert goal.done and goal.progress == Decimal(3)
    assert goal.updates.count() == 3


@pytest.mark.parametrize(
    ("language", "shown", "deadline"),
    [("en", "Sept. 1, 2025", "Dec. 3, 2025"), ("ko", "2025년 9월 1일", "2025년 12월 3일")],
)
def test_it_dates_the_progress_history_as_the_deadline_is_dated(
    owner_client, year, language, shown, deadline
):
    goal = make_goal(
        year, title="Finish piano pieces", target=3, deadline=datetime.date(2025, 12, 3)
    )
    log(owner_client, goal, "1", "2025-09-01")
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = owner_client.get(year.get_absolute_url()).text

    assert f'<time datetime="2025-09-01">{shown}</time>' in page
    assert f'<time datetime="2025-12-03">{deadline}</time>' in page


def test_it_takes_the_latest_reading_toward_an_at_most_target(owner_client, year):
    goal = make_goal(
        year,
        title="Reach 78 kg",
        target=78,
        unit="kg",
        progress_kind="latest",
        direction="at_most",
        start_value=98,
    )

    log(owner_client, goal, "88", "2025-03-01")
    goal.refresh_from_db()
    assert goal.progress == Decimal(88)
    assert goal.percent == 50
    assert not goal.done

    log(owner_client, goal, "90", "2025-01-01")  # an older reading does not count as latest
    goal.refresh_from_db()
    assert goal.progress == Decimal(88)

    log(owner_client, goal, "77.5", "2025-10-01")
    goal.refresh_from_db()
    assert goal.done and goal.progress == Decimal("77.5")


def test_it_lets_the_owner_untick_a_goal_whose_target_was_met(owner_client, year):
    goal = make_goal(year, target=1)
    log(owner_client, goal, "1")

    owner_client.post(url("goal_toggle", goal.pk))
    log(owner_client, goal, "0")

    goal.refresh_from_db()
    assert not goal.done


def test_it_refuses_a_progress_update_without_a_number(owner_client, year):
    goal = make_goal(year, target=3)

    response = log(owner_client, goal, "lots", **HTMX)

    assert response.status_code == 422
    assert "Enter a number." in response.text
    assert not GoalUpdate.objects.exists()

    plain = log(owner_client, goal, "")
    assert plain.status_code == 422
    assert "This field is required." in plain.text


# Order


def test_it_moves_a_goal_up_and_down(owner_client, year, goals):
    owner_client.post(url("goal_move", goals[2].pk), {"direction": "up"}, **HTMX)
    assert titles(year) == ["First", "Third", "Second"]

    owner_client.post(url("goal_move", goals[0].pk), {"direction": "down"})
    assert titles(year) == ["Third", "First", "Second"]

    owner_client.post(url("goal_move", goals[2].pk), {"direction": "up"})
    assert titles(year) == ["Third", "First", "Second"]


def test_it_saves_a_dragged_order(owner_client, year, goals):
    order = [goals[1].pk, goals[2].pk, goals[0].pk]

    response = owner_client.post(url("goal_reorder", "owner", 2025), {"order": order}, **HTMX)

    assert response.status_code == 200
    assert titles(year) == ["Second", "Third", "First"]
    assert response.text.index("Second") < response.text.index("First")


def test_it_refuses_an_order_that_does_not_match_the_goals(owner_client, reader, year, goals):
    foreign = make_goal(make_year(reader, year=2025))

    response = owner_client.post(
        url("goal_reorder", "owner", 2025), {"order": [goals[1].pk, foreign.pk]}, **HTMX
    )

    assert response.status_code == 422
    assert "The goals changed meanwhile" in response.text
    assert titles(year) == ["First", "Second", "Third"]


# Private goals


def test_it_locks_a_goal_away_from_readers(owner_client, client, reader, year, goals):
    response = owner_client.post(url("goal_privacy", goals[0].pk), **HTMX)

    assert "Make visible" in response.text
    client.force_login(reader)
    page = client.get(year.get_absolute_url()).text
    assert "First" not in page
    assert "0 of 2 reached" in page


# Deleting and restoring


def test_it_deletes_a_goal_in_place_with_an_undo(owner_client, client, year, goals):
    response = owner_client.post(url("goal_delete", goals[1].pk), **HTMX)

    assert response.status_code == 200
    assert "Deleted “Second”." in response.text
    assert "0 of 2 reached" in response.text
    assert "Undo" in response.text
    assert "Second" not in Client().get(year.get_absolute_url()).text

    restored = owner_client.post(url("goal_restore", goals[1].pk), **HTMX)

    assert "0 of 3 reached" in restored.text
    assert titles(year) == ["First", "Second", "Third"]


def test_it_keeps_a_deleted_goal_restorable_for_a_week_only(owner, client, goals):
    with time_machine.travel(datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC), tick=False):
        client.force_login(owner)
        client.post(url("goal_delete", goals[0].pk))
    with time_machine.travel(datetime.datetime(2025, 3, 9, tzinfo=datetime.UTC), tick=False):
        client.force_login(owner)
        assert "Deleted “First”." not in client.get(goals[0].year.get_absolute_url()).text
        assert client.post(url("goal_restore", goals[0].pk)).status_code == 404


# Who may


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("goal_toggle", "post"),
        ("goal_note", "get"),
        ("goal_note_edit", "get"),
        ("goal_note_edit", "post"),
        ("goal_update_create", "post"),
        ("goal_move", "post"),
        ("goal_privacy", "post"),
        ("goal_delete", "post"),
    ],
)
def test_it_answers_404_to_others_and_sends_visitors_to_log_in(client, reader, goals, name, method):
    target = url(name, goals[0].pk)

    visitor = getattr(client, method)(target, **HTMX)
    client.force_login(reader)
    other = getattr(client, method)(target, {"note": "x", "value": "1"}, **HTMX)

    assert visitor["HX-Redirect"].startswith("/accounts/login/?next=")
    assert other.status_code == 404
    goals[0].refresh_from_db()
    assert (goals[0].done, goals[0].note, goals[0].is_private) == (False, "", False)


def test_it_answers_404_to_others_restoring_or_reordering(client, reader, year, goals):
    goals[0].soft_delete()
    client.force_login(reader)

    assert client.post(url("goal_restore", goals[0].pk)).status_code == 404
    assert client.post(url("goal_reorder", "owner", 2025), {"order": []}).status_code == 404


def test_it_refuses_a_note_changed_between_the_check_and_the_write(goals):
    from planner.forms import GoalNoteForm

    form = GoalNoteForm({"note": "Mine", "base": text_version("")}, instance=goals[0])
    assert form.is_valid()
    Goal.objects.filter(pk=goals[0].pk).update(note="Theirs, a moment ago")

    form.save()

    assert form.conflict == "Theirs, a moment ago"
    goals[0].refresh_from_db()
    assert goals[0].note == "Theirs, a moment ago"


def test_it_refuses_a_wrong_order_from_a_plain_form_with_a_page(owner_client, year, goals):
    response = owner_client.post(url("goal_reorder", "owner", 2025), {"order": [goals[0].pk]})

    assert response.status_code == 422
    assert "The order was not saved" in response.text
    assert titles(year) == ["First", "Second", "Third"]


@pytest.mark.django_db(transaction=True)
def test_it_loses_no_tick_when_clicks_arrive_at_once():
    import threading

    from django.db import connection

    from tests.factory import make_user

    owner = make_user("owner")
    goal = make_goal(make_year(owner, year=2025))
    clients = []
    for _ in range(6):
        client = Client()
        client.force_login(owner)
        clients.append(client)
    start = threading.Barrier(len(clients))
    statuses: list[int] = []

    def tick(client: Client) -> None:
        try:
            start.wait()
            statuses.append(client.post(url("goal_toggle", goal.pk)).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=tick, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * 6
    goal.refresh_from_db()
    assert goal.done is False  # six flips: back where it started


def test_after_a_move_the_focus_stays_on_a_move_button_that_still_leads_somewhere(
    owner_client, goals
):
    second = goals[1]

    up = owner_client.post(url("goal_move", second.pk), {"direction": "up"}, **HTMX)
    # Now first: "Move up" leads nowhere, so "Move down" gets the focus.
    assert f'data-focus="down-{second.pk}"' in up.text
    assert 'data-announce="“Second” is now 1 of 3."' in up.text

    down = owner_client.post(url("goal_move", second.pk), {"direction": "down"}, **HTMX)
    assert f'data-focus="down-{second.pk}"' in down.text
    assert 'data-announce="“Second” is now 2 of 3."' in down.text


def test_a_lone_goal_moved_keeps_the_focus_on_its_menu(owner_client, year):
    only = make_goal(year, title="Only")

    response = owner_client.post(url("goal_move", only.pk), {"direction": "up"}, **HTMX)

    assert f'data-focus="menu-{only.pk}"' in response.text


def test_delete_focuses_the_undo_and_undo_focuses_the_goal_again(owner_client, goals):
    deleted = owner_client.post(url("goal_delete", goals[0].pk), **HTMX)
    restored = owner_client.post(url("goal_restore", goals[0].pk), **HTMX)

    assert f'data-focus="goal-undo-{goals[0].pk}"' in deleted.text
    assert f'id="goal-undo-{goals[0].pk}"' in deleted.text
    assert 'data-announce="“First” deleted. You can undo this."' in deleted.text
    assert f'data-focus="menu-{goals[0].pk}"' in restored.text
    assert 'data-announce="Goal “First” is back."' in restored.text


def test_every_action_on_a_goal_waits_in_its_menu(owner_client, year, goals):
    page = owner_client.get(year.get_absolute_url()).text

    menu = page[page.index(f'id="goal-{goals[0].pk}-menu"') :]
    menu = menu[: menu.index("</details>")]
    assert 'aria-label="Actions for “First”"' in menu
    for action in ("Edit", "Add a note", "Make private", "Move down", "Delete"):
        assert f">{action}<" in menu
