"""The goal actions the owner uses on the post: htmx fragments and plain form posts."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import partial

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from planner.forms import text_version
from planner.models import Goal, GoalUpdate
from tests.at_once import at_once
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

    from tests.factory import make_user

    owner = make_user("owner")
    goal = make_goal(make_year(owner, year=2025))
    clients = []
    for _ in range(6):
        client = Client()
        client.force_login(owner)
        clients.append(client)

    def tick(client: Client) -> int:
        return client.post(url("goal_toggle", goal.pk)).status_code

    statuses = at_once([partial(tick, client) for client in clients])

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


def test_a_corrected_step_moves_the_tick_with_the_figures(owner_client, year):
    goal = make_goal(year, title="Read 12 books", target=12, unit="books")
    log(owner_client, goal, "10", "2025-06-01")
    log(owner_client, goal, "2", "2025-09-01")
    goal.refresh_from_db()
    assert goal.done and not goal.ticked_by_hand
    wrong = goal.updates.get(value=2)

    form = owner_client.get(url("goal_update_edit", wrong.pk), **HTMX)
    response = owner_client.post(
        url("goal_update_edit", wrong.pk),
        {"value": "1", "recorded_on": "2025-09-01", "remark": "one was a comic"},
        **HTMX,
    )

    assert 'name="value"' in form.text and 'value="2' in form.text
    assert response.status_code == 200
    assert "11 / 12 books" in response.text
    assert f'data-focus="update-edit-{wrong.pk}"' in response.text
    assert "one was a comic" in response.text
    goal.refresh_from_db()
    assert goal.progress == Decimal(11) and not goal.done  # unticked: 11 of 12


def test_a_reading_back_above_the_target_unticks_the_goal(owner_client, year):
    goal = make_goal(
        year, target=76, unit="kg", progress_kind="latest", direction="at_most", start_value=78
    )
    log(owner_client, goal, "75.5", "2025-05-01")
    goal.refresh_from_db()
    assert goal.done

    log(owner_client, goal, "77", "2025-08-01")

    goal.refresh_from_db()
    assert not goal.done


def test_a_deleted_step_is_taken_out_of_the_figures(owner_client, year):
    goal = make_goal(year, target=3, unit="pieces")
    log(owner_client, goal, "2", "2025-02-01")
    log(owner_client, goal, "1", "2025-04-01")
    extra = goal.updates.get(value=1)
    goal.refresh_from_db()
    assert goal.done

    confirm = owner_client.get(url("goal_update_delete", extra.pk))
    response = owner_client.post(url("goal_update_delete", extra.pk), **HTMX)

    assert "April 1, 2025 — 1 pieces" in confirm.text
    assert "2 / 3 pieces" in response.text
    assert f'data-focus="log-{goal.pk}"' in response.text
    goal.refresh_from_db()
    assert goal.progress == Decimal(2) and not goal.done
    assert not GoalUpdate.objects.filter(pk=extra.pk).exists()


def test_a_tick_by_hand_stays_until_the_figures_are_let_decide(owner_client, year):
    goal = make_goal(year, title="Read 12 books", target=12, unit="books")
    log(owner_client, goal, "5", "2025-03-01")

    owner_client.post(url("goal_toggle", goal.pk), **HTMX)
    page = owner_client.post(
        url("goal_update_create", goal.pk), {"value": "1", "recorded_on": "2025-04-01"}, **HTMX
    )

    goal.refresh_from_db()
    assert goal.done and goal.ticked_by_hand  # 6 of 12, ticked as the owner said
    assert "ticked by hand" in page.text and "Let the figures decide" in page.text

    response = owner_client.post(url("goal_follow_figures", goal.pk), **HTMX)

    goal.refresh_from_db()
    assert not goal.done and not goal.ticked_by_hand
    assert "ticked by hand" not in response.text
    assert (
        'data-announce="“Read 12 books” follows its figures again: not reached."' in response.text
    )


def test_a_step_is_corrected_without_javascript_and_a_bad_value_is_refused(owner_client, year):
    goal = make_goal(year, target=10)
    log(owner_client, goal, "4", "2025-03-01")
    step = goal.updates.get()

    page = owner_client.get(url("goal_update_edit", step.pk))
    refused = owner_client.post(
        url("goal_update_edit", step.pk), {"value": "many", "recorded_on": "2025-03-01"}
    )
    saved = owner_client.post(
        url("goal_update_edit", step.pk), {"value": "5", "recorded_on": "2025-03-02"}
    )

    assert page.status_code == 200 and "Correct a step of" in page.text
    assert refused.status_code == 422 and "Enter a number." in refused.text
    assert saved.status_code == 302
    step.refresh_from_db()
    assert step.value == Decimal(5) and step.recorded_on == datetime.date(2025, 3, 2)


def test_nobody_else_corrects_or_deletes_a_step(client, reader, year):
    goal = make_goal(year, target=10)
    step = GoalUpdate.objects.create(goal=goal, value=4, recorded_on=datetime.date(2025, 3, 1))
    client.force_login(reader)

    assert client.get(url("goal_update_edit", step.pk)).status_code == 404
    assert client.post(url("goal_update_delete", step.pk)).status_code == 404
    assert client.post(url("goal_follow_figures", goal.pk)).status_code == 404
    assert GoalUpdate.objects.filter(pk=step.pk, value=4).exists()


def test_a_step_that_would_not_fit_or_adds_nothing_or_is_in_another_year_is_refused(
    owner_client, year
):
    goal = make_goal(year, target=10, unit="books")
    log(owner_client, goal, "2", "2025-02-01")

    too_much = log(owner_client, goal, "9999999999.99", "2025-03-01", **HTMX)
    nothing = log(owner_client, goal, "0", "2025-03-01", **HTMX)
    typo = log(owner_client, goal, "1", "2062-11-15", **HTMX)

    assert too_much.status_code == 422
    assert "the progress would be more than 9,999,999,999.99" in too_much.text
    assert nothing.status_code == 422 and "more than zero" in nothing.text
    assert typo.status_code == 422 and "Choose a day in 2025, the goal" in typo.text
    goal.refresh_from_db()
    assert goal.progress == Decimal(2) and goal.updates.count() == 1
    assert owner_client.get(year.get_absolute_url()).status_code == 200


def test_after_logging_the_focus_stays_in_the_log_and_a_refusal_keeps_what_was_typed(
    owner_client, year
):
    goal = make_goal(year, title="Read 12 books", target=12, unit="books")

    logged = log(owner_client, goal, "2", "2025-02-01", **HTMX)
    refused = owner_client.post(
        url("goal_update_create", goal.pk),
        {"value": "12345678901234", "recorded_on": "2025-03-01", "remark": "도서관 책"},
        **HTMX,
    )
    plain = owner_client.post(
        url("goal_update_create", goal.pk),
        {"value": "0", "recorded_on": "2025-03-01", "remark": "도서관 책"},
    )

    assert f'data-focus="log-value-{goal.pk}"' in logged.text
    assert 'data-announce="Logged for “Read 12 books”: 2 of 12."' in logged.text
    assert refused.status_code == 422
    assert 'value="12345678901234" aria-invalid="true"' in refused.text
    assert 'value="2025-03-01"' in refused.text and 'value="도서관 책"' in refused.text
    assert plain.status_code == 422 and 'value="도서관 책"' in plain.text
    assert goal.updates.count() == 1


def test_cancel_puts_the_step_back_in_place_of_its_form(owner_client, year):
    goal = make_goal(year, target=10, unit="km")
    log(owner_client, goal, "4", "2025-03-01")
    step = goal.updates.get()

    form = owner_client.get(url("goal_update_edit", step.pk), **HTMX)
    back = owner_client.get(url("goal_update_edit", step.pk) + "?cancel=1", **HTMX)

    assert f'id="update-form-{step.pk}"' in form.text and 'value="4"' in form.text
    assert "March 1, 2025" in back.text and "4 km" in back.text
    assert f'id="update-edit-{step.pk}"' in back.text and "data-autofocus" in back.text
    assert "<form" not in back.text
