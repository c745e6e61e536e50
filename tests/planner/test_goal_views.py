from __future__ import annotations

import datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from planner.models import Goal
from tests.factory import make_goal, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(owner):
    return make_year(owner)


@pytest.fixture
def goal(year):
    return make_goal(year, title="Finish 3 piano pieces")


def _create_url() -> str:
    return reverse("planner:goal_create", args=["owner", 2025])


def _post_url() -> str:
    return reverse("planner:year_detail", args=["owner", 2025])


def _login_url(next_url: str) -> str:
    return f"{reverse('login')}?{urlencode({'next': next_url}, safe='/')}"


# goal_create


def test_it_shows_the_new_goal_form(owner_client, year):
    response = owner_client.get(_create_url())

    assert response.status_code == 200
    assert "New goal for 2025" in response.text


def test_it_asks_only_the_goal_being_edited_whether_it_is_reached(owner_client, year, goal):
    new = owner_client.get(_create_url()).text
    edit = owner_client.get(reverse("planner:goal_edit", args=[goal.pk])).text

    assert '<label for="id_title">Goal</label>' in new
    assert 'name="done"' not in new
    assert '<label for="id_done">Reached</label>' in edit
    assert 'name="done"' in edit


def test_it_adds_a_new_goal_as_not_reached_whatever_is_sent(owner_client, year):
    owner_client.post(_create_url(), {"title": "Learn to swim", "done": "on"})

    assert Goal.objects.get().done is False


def test_it_adds_goals_to_the_post_in_order(owner_client, year):
    first = owner_client.post(_create_url(), {"title": "Submit to CVPR"})
    owner_client.post(_create_url(), {"title": "Learn to swim"})

    assert first.status_code == 302
    assert first["Location"] == _post_url() + f"#goal-{Goal.objects.first().pk}"
    assert list(Goal.objects.values_list("title", "order")) == [
        ("Submit to CVPR", 1),
        ("Learn to swim", 2),
    ]
    page = owner_client.get(_post_url()).text
    assert page.index("Submit to CVPR") < page.index("Learn to swim")
    assert "0 of 2 reached" in page


def test_it_shows_a_measurable_goal_with_its_progress(owner_client, year):
    response = owner_client.post(
        _create_url(), {"title": "Finish piano pieces", "target": "3", "unit": "pieces"}
    )
    goal = Goal.objects.get()
    for _ in range(2):
        owner_client.post(
            reverse("planner:goal_update_create", args=[goal.pk]),
            {"value": "1", "recorded_on": "2025-03-01"},
        )

    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.target, goal.progress, goal.unit) == (Decimal(3), Decimal(2), "pieces")
    page = owner_client.get(_post_url()).text
    assert "2 / 3 pieces" in page
    assert '<progress max="100" value="66"' in page


def test_it_shows_a_deadline_on_the_post(owner_client, year):
    owner_client.post(_create_url(), {"title": "Submit the thesis", "deadline": "2025-11-14"})

    assert Goal.objects.get().deadline == datetime.date(2025, 11, 14)
    assert '<time datetime="2025-11-14">' in owner_client.get(_post_url()).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"title": "Reach 78 kg", "target": "0"}, "A target must be more than zero."),
        ({"title": "Reach 78 kg", "target": "-5"}, "A target must be more than zero."),
        (
            {"title": "Reach 78 kg", "progress_kind": "latest", "start_value": "98"},
            "Set a target to track progress toward it.",
        ),
    ],
)
def test_it_refuses_an_invalid_goal(owner_client, year, data, message):
    response = owner_client.post(_create_url(), data)

    assert response.status_code == 422
    assert message in response.text
    assert not Goal.objects.exists()


@pytest.mark.parametrize("deadline", ["2024-12-31", "2026-01-15"])
def test_it_refuses_a_new_goals_deadline_outside_its_year(owner_client, year, deadline):
    response = owner_client.post(
        _create_url(), {"title": "Submit the thesis", "deadline": deadline}
    )

    assert response.status_code == 422
    assert "Choose a deadline in 2025, the year of this goal." in response.text
    assert not Goal.objects.exists()


def test_it_refuses_to_move_a_deadline_out_of_the_goals_year(owner_client, goal):
    goal.deadline = datetime.date(2025, 11, 14)
    goal.save()
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"

    response = owner_client.post(
        reverse("planner:goal_edit", args=[goal.pk]),
        {"title": goal.title, "deadline": "2026-01-10"},
    )

    assert response.status_code == 422
    assert "마감일은 이 목표의 연도인 2025년 안에서 고르세요." in response.text
    goal.refresh_from_db()
    assert goal.deadline == datetime.date(2025, 11, 14)


def test_it_takes_the_last_day_of_the_year_as_a_deadline_and_offers_only_that_year(
    owner_client, year
):
    form = owner_client.get(_create_url()).text
    owner_client.post(_create_url(), {"title": "Submit the thesis", "deadline": "2025-12-31"})

    assert 'min="2025-01-01"' in form and 'max="2025-12-31"' in form
    assert Goal.objects.get().deadline == datetime.date(2025, 12, 31)


def test_it_answers_404_to_a_reader_adding_a_goal(reader_client, year):
    assert reader_client.get(_create_url()).status_code == 404
    assert reader_client.post(_create_url(), {"title": "Hijack"}).status_code == 404
    assert not Goal.objects.exists()


def test_it_sends_an_anonymous_visitor_to_log_in_to_add_a_goal(client, year):
    response = client.post(_create_url(), {"title": "Drive-by"})

    assert response.status_code == 302
    assert response["Location"] == _login_url(_create_url())
    assert not Goal.objects.exists()


# goal_edit


def test_it_shows_the_goal_form_filled_in(owner_client, goal):
    response = owner_client.get(reverse("planner:goal_edit", args=[goal.pk]))

    assert response.status_code == 200
    assert "Edit goal" in response.text
    assert 'value="Finish 3 piano pieces"' in response.text


def test_it_saves_an_edited_goal_with_its_outcome(owner_client, goal):
    response = owner_client.post(
        reverse("planner:goal_edit", args=[goal.pk]),
        {"title": "Finish 3 piano pieces", "done": "on", "note": "Two Chopin, one Satie."},
    )

    assert response.status_code == 302
    assert response["Location"] == _post_url() + f"#goal-{goal.pk}"
    goal.refresh_from_db()
    assert goal.done
    assert goal.done_at is not None
    assert goal.note == "Two Chopin, one Satie."
    page = owner_client.get(_post_url()).text
    assert "Two Chopin, one Satie." in page
    assert "1 of 1 reached" in page


def test_it_refuses_an_edit_with_a_start_value_but_no_target(owner_client, goal):
    response = owner_client.post(
        reverse("planner:goal_edit", args=[goal.pk]), {"title": "Renamed", "start_value": "98"}
    )

    assert response.status_code == 422
    assert "Set a target to track progress toward it." in response.text
    goal.refresh_from_db()
    assert goal.title == "Finish 3 piano pieces"
    assert goal.start_value is None


def test_it_answers_404_to_a_reader_editing_a_goal(reader_client, goal):
    url = reverse("planner:goal_edit", args=[goal.pk])

    assert reader_client.get(url).status_code == 404
    assert reader_client.post(url, {"title": "Hijacked"}).status_code == 404
    goal.refresh_from_db()
    assert goal.title == "Finish 3 piano pieces"


def test_it_sends_an_anonymous_visitor_to_log_in_to_edit_a_goal(client, goal):
    url = reverse("planner:goal_edit", args=[goal.pk])

    response = client.post(url, {"title": "Hijacked"})

    assert response.status_code == 302
    assert response["Location"] == _login_url(url)
    goal.refresh_from_db()
    assert goal.title == "Finish 3 piano pieces"


# goal_toggle


def test_it_toggles_only_by_post(owner_client, goal):
    response = owner_client.get(reverse("planner:goal_toggle", args=[goal.pk]))

    assert response.status_code == 405
    goal.refresh_from_db()
    assert not goal.done


def test_it_ticks_a_goal_then_unticks_it(owner_client, goal):
    url = reverse("planner:goal_toggle", args=[goal.pk])

    with time_machine.travel(datetime.datetime(2025, 6, 1, 9, 30, tzinfo=datetime.UTC), tick=False):
        ticked = owner_client.post(url)

    assert ticked.status_code == 302
    assert ticked["Location"] == _post_url() + f"#goal-{goal.pk}"
    goal.refresh_from_db()
    assert goal.done
    assert goal.done_at == datetime.datetime(2025, 6, 1, 9, 30, tzinfo=datetime.UTC)
    assert "1 of 1 reached" in owner_client.get(_post_url()).text

    unticked = owner_client.post(url)

    assert unticked.status_code == 302
    goal.refresh_from_db()
    assert not goal.done
    assert goal.done_at is None
    assert "0 of 1 reached" in owner_client.get(_post_url()).text


def test_it_goes_back_to_a_safe_next_page(owner_client, goal):
    response = owner_client.post(
        reverse("planner:goal_toggle", args=[goal.pk]), {"next": "/?tab=goals#top"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/?tab=goals#goal-{goal.pk}"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "https:///evil.example/"]
)
def test_it_ignores_an_external_next_page(owner_client, goal, next_url):
    response = owner_client.post(reverse("planner:goal_toggle", args=[goal.pk]), {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == _post_url() + f"#goal-{goal.pk}"
    assert "evil" not in response["Location"]


def test_it_answers_404_to_a_reader_ticking_a_goal(reader_client, goal):
    response = reader_client.post(reverse("planner:goal_toggle", args=[goal.pk]))

    assert response.status_code == 404
    goal.refresh_from_db()
    assert not goal.done


def test_it_sends_an_anonymous_visitor_to_log_in_to_tick_a_goal(client, goal):
    url = reverse("planner:goal_toggle", args=[goal.pk])

    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == _login_url(url)
    goal.refresh_from_db()
    assert not goal.done


# goal_delete


def test_it_asks_before_deleting_a_goal(owner_client, goal):
    response = owner_client.get(reverse("planner:goal_delete", args=[goal.pk]))

    assert response.status_code == 200
    assert "Delete “Finish 3 piano pieces”?" in response.text
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_it_deletes_a_goal(owner_client, goal):
    response = owner_client.post(reverse("planner:goal_delete", args=[goal.pk]))

    assert response.status_code == 302
    assert response["Location"] == _post_url() + "#goals"
    assert not Goal.objects.exists()
    page = owner_client.get(_post_url()).text
    assert "Goal “Finish 3 piano pieces” deleted. You can undo this for a week." in page
    assert f'id="goal-{goal.pk}"' not in page
    assert "No goals yet." in page


def test_it_answers_404_to_a_reader_deleting_a_goal(reader_client, goal):
    url = reverse("planner:goal_delete", args=[goal.pk])

    assert reader_client.get(url).status_code == 404
    assert reader_client.post(url).status_code == 404
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_it_sends_an_anonymous_visitor_to_log_in_to_delete_a_goal(client, goal):
    url = reverse("planner:goal_delete", args=[goal.pk])

    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == _login_url(url)
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_changing_the_kind_of_progress_on_the_page_makes_the_figure_again(owner_client, year):
    from planner.models import GoalUpdate

    goal = make_goal(year, title="Run", target=10)
    for day, value in ((2, 4), (3, 3)):
        GoalUpdate.objects.create(goal=goal, value=value, recorded_on=datetime.date(2025, 1, day))
    goal.recompute_progress()
    goal.save()
    response = owner_client.post(
        reverse("planner:goal_edit", args=[goal.pk]),
        {"title": "Run", "target": "5", "progress_kind": "latest", "direction": "at_least"},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.progress, goal.done) == (Decimal(3), False)


def test_it_refuses_a_change_to_a_count_whose_sum_would_not_fit(owner_client, year):
    from planner.models import GoalUpdate

    goal = make_goal(year, title="Save", target=10, progress_kind="latest")
    for day in (2, 3):
        GoalUpdate.objects.create(
            goal=goal, value=Decimal("9999999999"), recorded_on=datetime.date(2025, 1, day)
        )
    response = owner_client.post(
        reverse("planner:goal_edit", args=[goal.pk]),
        {"title": "Save", "target": "10", "progress_kind": "count"},
    )
    assert response.status_code == 422
    assert "Added up, the logged steps would be more than" in response.text
