"""What the API's writes share with the pages: version checks, retries applied once, rules."""

from __future__ import annotations

import datetime

import pytest

from planner.forms import text_version
from planner.models import Entry, Goal, GoalUpdate, Visibility, Year
from tests.factory import make_entry, make_goal, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(owner):
    return make_year(owner, year=2025, visibility=Visibility.PRIVATE, intro="First words.")


def test_it_saves_a_text_based_on_its_current_version(owner_api, post):
    response = owner_api.put(
        "/years/2025/texts/intro",
        {"text": "Better words.", "version": text_version("First words.")},
    )
    assert response.status_code == 200
    assert response.json() == {"text": "Better words.", "version": text_version("Better words.")}
    post.refresh_from_db()
    assert post.intro == "Better words."


def test_it_answers_409_with_both_versions_when_the_text_changed_since(owner_api, post):
    Year.objects.filter(pk=post.pk).update(intro="Changed on the page.")
    response = owner_api.put(
        "/years/2025/texts/intro", {"text": "Mine.", "version": text_version("First words.")}
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert error["current"] == {
        "text": "Changed on the page.",
        "version": text_version("Changed on the page."),
    }
    assert error["sent"]["text"] == "Mine."
    post.refresh_from_db()
    assert post.intro == "Changed on the page."


def test_it_writes_a_periods_retrospective(owner_api, post):
    response = owner_api.put(
        "/years/2025/texts/period-3", {"text": "Calm.", "version": text_version("")}
    )
    assert response.status_code == 200
    assert post.periods.get(index=3).retrospective == "Calm."


def test_it_refuses_an_entry_body_changed_since(owner_api, post):
    entry = make_entry(post, body="Old")
    Entry.objects.filter(pk=entry.pk).update(body="Edited on the page")
    response = owner_api.patch(
        f"/entries/{entry.pk}", {"body": "Mine", "version": text_version("Old")}
    )
    assert response.status_code == 409
    assert response.json()["error"]["current"]["text"] == "Edited on the page"


def test_a_retried_creation_creates_once_and_answers_the_same(owner_api, post):
    goal = make_goal(post, target=10)
    headers = {"Idempotency-Key": "run-2025-03-01-abcdef"}
    body = {"value": "3", "recorded_on": "2025-03-01"}
    first = owner_api.post(f"/goals/{goal.pk}/progress", body, headers=headers)
    again = owner_api.post(f"/goals/{goal.pk}/progress", body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert GoalUpdate.objects.filter(goal=goal).count() == 1
    goal.refresh_from_db()
    assert goal.progress == 3


def test_a_key_used_for_another_address_is_refused(owner_api, post):
    headers = {"Idempotency-Key": "the-same-key-for-both"}
    assert owner_api.post("/years/2025/goals", {"title": "A"}, headers=headers).status_code == 201
    refused = owner_api.post("/years", {"year": 2026}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "idempotency_key_reused"
    assert not Year.objects.filter(year=2026).exists()


def test_a_refused_keyed_creation_may_be_sent_again(owner_api, post):
    headers = {"Idempotency-Key": "entry-after-a-refusal"}
    refused = owner_api.post("/years/2025/periods/1/entries", {"title": ""}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"]["title"]
    created = owner_api.post("/years/2025/periods/1/entries", {"title": "Now"}, headers=headers)
    assert created.status_code == 201
    assert Entry.objects.get().title == "Now"


def test_it_moves_an_entry_to_another_period(owner_api, post):
    entry = make_entry(post, period=1)
    response = owner_api.patch(f"/entries/{entry.pk}", {"period": 2})
    assert response.status_code == 200
    assert response.json()["period"] == 2
    entry.refresh_from_db()
    assert entry.period.index == 2


def test_it_reorders_goals_and_refuses_an_incomplete_order(owner_api, post):
    first, second = make_goal(post, title="A"), make_goal(post, title="B")
    response = owner_api.put("/years/2025/goals/order", {"order": [second.pk, first.pk]})
    assert [goal["title"] for goal in response.json()] == ["B", "A"]
    refused = owner_api.put("/years/2025/goals/order", {"order": [second.pk]})
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"]["order"]


def test_a_change_to_a_goal_keeps_what_it_does_not_name(owner_api, post):
    goal = make_goal(post, title="Swim", target=20, unit="km", is_private=True)
    response = owner_api.patch(f"/goals/{goal.pk}", {"title": "Swim far"})
    assert response.status_code == 200
    goal.refresh_from_db()
    assert (goal.title, goal.target, goal.unit, goal.is_private) == ("Swim far", 20, "km", True)


def test_the_forms_rules_apply(owner_api, post):
    response = owner_api.post("/years/2025/goals", {"title": "Lift", "target": "-5"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["target"] == ["A target must be more than zero."]
    goal = make_goal(post, target=10)
    day = owner_api.post(f"/goals/{goal.pk}/progress", {"value": "1", "recorded_on": "2024-12-31"})
    assert day.json()["error"]["fields"]["recorded_on"] == [
        "Choose a day in 2025, the goal's year."
    ]


def test_a_tick_by_hand_stays(owner_api, post):
    goal = make_goal(post, target=10)
    response = owner_api.post(f"/goals/{goal.pk}/tick", {"done": True})
    assert response.json()["done"] is True
    assert response.json()["ticked_by_hand"] is True
    again = owner_api.post(f"/goals/{goal.pk}/tick", {"done": True})
    assert again.json()["done"] is True


def test_deleting_progress_makes_the_figures_again(owner_api, post):
    goal = make_goal(post, target=5)
    step = GoalUpdate.objects.create(goal=goal, value=5, recorded_on=datetime.date(2025, 1, 2))
    owner_api.patch(f"/progress/{step.pk}", {"value": "5"})
    assert Goal.objects.get(pk=goal.pk).done is True
    assert owner_api.delete(f"/progress/{step.pk}").status_code == 204
    goal.refresh_from_db()
    assert (goal.progress, goal.done) == (None, False)


def test_a_deleted_goal_is_gone_from_the_api(owner_api, post):
    goal = make_goal(post)
    owner_api.delete(f"/goals/{goal.pk}")
    assert owner_api.get(f"/goals/{goal.pk}").status_code == 404
    assert Goal.all_objects.get(pk=goal.pk).deleted_at is not None  # restorable on the page


def test_changing_the_kind_of_progress_makes_the_figure_again(owner_api, post):
    goal = make_goal(post, target=10)
    for day, value in ((2, "4"), (3, "3")):
        owner_api.post(
            f"/goals/{goal.pk}/progress", {"value": value, "recorded_on": f"2025-01-0{day}"}
        )
    assert Goal.objects.get(pk=goal.pk).progress == 7
    response = owner_api.patch(f"/goals/{goal.pk}", {"progress_kind": "latest", "target": "5"})
    assert response.status_code == 200
    assert response.json()["progress"] == "3.00"
    assert response.json()["done"] is False
    goal.refresh_from_db()
    assert (goal.progress, goal.done) == (3, False)
    back = owner_api.patch(f"/goals/{goal.pk}", {"progress_kind": "count"})
    assert (back.json()["progress"], back.json()["done"]) == ("7.00", True)


def test_a_key_sent_again_with_another_body_is_refused(owner_api, post):
    goal = make_goal(post, target=10)
    headers = {"Idempotency-Key": "run-2025-03-02-abcdef"}
    first = owner_api.post(
        f"/goals/{goal.pk}/progress", {"value": "3", "recorded_on": "2025-03-02"}, headers=headers
    )
    assert first.status_code == 201
    other = owner_api.post(
        f"/goals/{goal.pk}/progress", {"value": "5", "recorded_on": "2025-03-02"}, headers=headers
    )
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert "different body" in other.json()["error"]["message"]
    assert GoalUpdate.objects.filter(goal=goal).count() == 1


def test_a_retry_after_the_object_was_deleted_answers_what_the_first_did(owner_api, post):
    goal = make_goal(post, target=10)
    headers = {"Idempotency-Key": "run-2025-03-03-abcdef"}
    body = {"value": "3", "recorded_on": "2025-03-03"}
    first = owner_api.post(f"/goals/{goal.pk}/progress", body, headers=headers)
    owner_api.delete(f"/progress/{first.json()['id']}")
    again = owner_api.post(f"/goals/{goal.pk}/progress", body, headers=headers)
    assert (again.status_code, again.json()) == (201, first.json())
    assert not GoalUpdate.objects.filter(goal=goal).exists()


def test_a_text_has_the_pages_length_limit(owner_api, post):
    version = text_version("First words.")
    response = owner_api.put("/years/2025/texts/intro", {"text": "x" * 200_000, "version": version})
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["text"]
    post.refresh_from_db()
    assert post.intro == "First words."


def test_a_goal_ticked_by_hand_follows_its_figures_again_when_asked(owner_api, post):
    goal = make_goal(post, target=5)
    owner_api.post(f"/goals/{goal.pk}/progress", {"value": "5", "recorded_on": "2025-01-02"})
    unticked = owner_api.post(f"/goals/{goal.pk}/tick", {"done": False})
    assert (unticked.json()["done"], unticked.json()["ticked_by_hand"]) == (False, True)
    owner_api.post(f"/goals/{goal.pk}/progress", {"value": "1", "recorded_on": "2025-01-03"})
    assert owner_api.get(f"/goals/{goal.pk}").json()["done"] is False  # stays unticked
    response = owner_api.post(f"/goals/{goal.pk}/follow-figures")
    assert response.status_code == 200
    assert (response.json()["done"], response.json()["ticked_by_hand"]) == (True, False)
