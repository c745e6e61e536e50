from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from planner.models import Goal, Visibility, Year
from tests.factory import make_goal, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(owner):
    post = make_year(owner, year=2025)
    make_goal(post, title="Move to Seoul", done=True)
    make_goal(post, title="Submit to CVPR", note="Rejected.", target=Decimal(1), unit="paper")
    make_goal(post, title="Learn to swim")
    make_goal(post, title="Write a novel", note="Two chapters.")
    return post


def goal(post: Year, title: str) -> Goal:
    return post.goals.get(title=title)


def step_url(post: Year, title: str) -> str:
    return reverse("planner:next_year_goal", args=["owner", 2025, goal(post, title).pk])


START = reverse("planner:next_year", args=["owner", 2025])
NEW = reverse("planner:next_year_new", args=["owner", 2025])
FINISH = reverse("planner:next_year_finish", args=["owner", 2025])


def test_it_starts_on_the_first_unreached_goal(owner_client, post):
    assert owner_client.get(START)["Location"] == step_url(post, "Submit to CVPR")


def test_carrying_over_sets_the_goal_again_and_goes_on(owner_client, post):
    response = owner_client.post(
        step_url(post, "Submit to CVPR"), {"choice": "carry", "reason": "One more try."}
    )
    assert response["Location"] == step_url(post, "Learn to swim")
    following = Year.objects.get(owner__username="owner", year=2026)
    copy = following.goals.get()
    assert (copy.title, copy.attempt, copy.target) == ("Submit to CVPR", 2, Decimal(1))
    assert copy.carried_from == goal(post, "Submit to CVPR")
    assert following.visibility == Visibility.PRIVATE
    assert goal(post, "Submit to CVPR").note == "Rejected.\n\nOne more try."


def test_rewriting_gives_next_years_goal_a_new_title(owner_client, post):
    owner_client.post(step_url(post, "Learn to swim"), {"choice": "rewrite", "title": "Swim 1 km"})
    copy = Goal.objects.get(year__year=2026)
    assert (copy.title, copy.carried_from.title, copy.attempt) == ("Swim 1 km", "Learn to swim", 2)


def test_letting_go_keeps_the_reason_in_the_note(owner_client, post):
    response = owner_client.post(
        step_url(post, "Write a novel"), {"choice": "let_go", "reason": "Not this decade."}
    )
    assert response["Location"] == NEW
    novel = goal(post, "Write a novel")
    assert novel.let_go
    assert novel.note == "Two chapters.\n\nNot this decade."
    assert not Goal.objects.filter(year__year=2026).exists()


def test_going_back_shows_the_choice_and_changing_it_undoes_the_copy(owner_client, post):
    url = step_url(post, "Learn to swim")
    owner_client.post(url, {"choice": "rewrite", "title": "Swim 1 km"})
    html = owner_client.get(url).content.decode()
    assert 'value="rewrite"' in html and 'value="Swim 1 km"' in html
    owner_client.post(url, {"choice": "let_go", "reason": "Pool closed."})
    assert not Goal.objects.filter(year__year=2026).exists()
    owner_client.post(url, {"choice": "carry"})
    assert list(Goal.objects.filter(year__year=2026).values_list("title", flat=True)) == [
        "Learn to swim"
    ]


def test_a_decided_goal_is_skipped_when_starting_again(owner_client, post):
    owner_client.post(step_url(post, "Submit to CVPR"), {"choice": "carry"})
    assert owner_client.get(START)["Location"] == step_url(post, "Learn to swim")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose what becomes of this goal."),
        ({"choice": "rewrite", "title": ""}, "Write the goal&#x27;s new title."),
        ({"choice": "let_go", "reason": ""}, "Say in a line why you let it go."),
        ({"choice": "forget"}, "Select a valid choice."),
    ],
)
def test_a_refused_step_says_why_and_stores_nothing(owner_client, post, data, message):
    response = owner_client.post(step_url(post, "Learn to swim"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Year.objects.filter(year=2026).exists()
    assert not goal(post, "Learn to swim").let_go


def test_a_reached_goal_has_no_step(owner_client, post):
    assert owner_client.get(step_url(post, "Move to Seoul")).status_code == 404


def test_new_goals_are_added_to_next_year(owner_client, post):
    assert owner_client.post(NEW, {"title": "Run a marathon"})["Location"] == NEW
    assert owner_client.post(NEW, {"title": ""}).status_code == 422
    html = owner_client.get(NEW).content.decode()
    assert "Run a marathon" in html
    assert list(Goal.objects.filter(year__year=2026).values_list("title", flat=True)) == [
        "Run a marathon"
    ]


def test_finishing_opens_next_years_post_created_private(owner_client, post):
    response = owner_client.post(FINISH)
    assert response["Location"] == "/@owner/2026/#goals"
    assert Year.objects.get(year=2026).visibility == Visibility.PRIVATE


@pytest.mark.parametrize("url", ["start", "step", "new", "finish"])
def test_the_steps_are_the_owners_alone(client, reader, stranger, post, url):
    address = {"start": START, "step": step_url(post, "Learn to swim"), "new": NEW}.get(url, FINISH)
    method = client.post if url == "finish" else client.get
    assert method(address).status_code == 302
    for person in (reader, stranger):
        client.force_login(person)
        assert method(address).status_code == 404
        assert client.post(address, {"choice": "carry", "title": "x"}).status_code in (404, 405)
    assert not Year.objects.filter(year=2026).exists()


def test_a_goal_next_year_has_already_is_linked_not_copied(owner_client, post, owner):
    following = make_year(owner, year=2026)
    make_goal(following, title="learn  to SWIM")  # set there by hand

    owner_client.post(step_url(post, "Learn to swim"), {"choice": "carry"})

    twin = following.goals.get()
    assert (twin.title, twin.carried_from, twin.attempt) == (
        "Learn to swim",
        goal(post, "Learn to swim"),
        2,
    )


def test_a_goal_let_go_is_not_offered_on_the_carry_over_page(owner_client, post):
    owner_client.post(step_url(post, "Write a novel"), {"choice": "let_go", "reason": "Later."})

    page = owner_client.get(reverse("planner:carry_over", args=["owner", 2025]))

    assert "Learn to swim" in page.text
    assert "Write a novel" not in page.text
