from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from planner.models import Goal, ProgressKind, Visibility, Year
from tests.factory import make_goal, make_year

pytestmark = pytest.mark.django_db

CARRY_URL = reverse("planner:carry_over", args=["owner", 2025])


@pytest.fixture
def year(owner):
    return make_year(owner, year=2025)


def _offered(html: str) -> dict[str, bool]:
    """The goals the page offers as checkboxes, by title, and whether each is ticked."""
    offered = {}
    for attrs, title in re.findall(r"<label[^>]*>\s*<input ([^>]*)>\s*(.*?)</label>", html, re.S):
        if 'name="goals"' in attrs:
            offered[title.strip()] = " checked" in attrs
    return offered


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _next_post(owner) -> Year:
    return Year.objects.get(owner=owner, year=2026)


# Who may use it


def test_it_sends_visitors_to_log_in(client, year):
    for response in (client.get(CARRY_URL), client.post(CARRY_URL)):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")


def test_it_answers_404_to_other_users(reader_client, year):
    goal = make_goal(year)

    assert reader_client.get(CARRY_URL).status_code == 404
    assert reader_client.post(CARRY_URL, {"goals": [goal.pk]}).status_code == 404
    assert not Year.objects.filter(year=2026).exists()


def test_it_answers_404_for_a_year_that_does_not_exist(owner_client, year):
    response = owner_client.get(reverse("planner:carry_over", args=["owner", 2019]))

    assert response.status_code == 404


def test_it_answers_405_to_other_methods(owner_client, year):
    assert owner_client.put(CARRY_URL).status_code == 405


# GET: what it offers


def test_it_offers_the_unreached_goals_all_ticked(owner_client, year):
    make_goal(year, title="Submit to CVPR")
    make_goal(year, title="Move to Seoul", done=True)
    make_goal(year, title="Learn to swim", is_private=True)
    make_goal(year, title="Deleted idea", deleted_at=timezone.now())

    response = owner_client.get(CARRY_URL)

    assert response.status_code == 200
    assert "<h1>Carry unreached goals to 2026</h1>" in response.text
    assert _offered(response.text) == {"Submit to CVPR": True, "Learn to swim": True}
    assert "Move to Seoul" not in response.text
    assert "Deleted idea" not in response.text


def test_it_says_so_when_nothing_is_left_to_carry(owner_client, year):
    make_goal(year, title="Move to Seoul", done=True)

    response = owner_client.get(CARRY_URL)

    assert response.status_code == 200
    assert "No unreached goal of 2025 is left to carry over." in response.text
    assert _offered(response.text) == {}


# POST: carrying over


def test_it_carries_goals_into_a_new_private_year(owner_client, owner, year):
    cvpr = make_goal(
        year,
        title="Submit to CVPR",
        note="submitted, rejected",
        deadline=datetime.date(2025, 11, 14),
    )
    piano = make_goal(
        year, title="Finish piano pieces", target=3, progress=1, unit="pieces", is_private=True
    )
    skipped = make_goal(year, title="Learn to swim")

    response = owner_client.post(CARRY_URL, {"goals": [cvpr.pk, piano.pk]})

    assert response.status_code == 302
    assert response["Location"] == reverse("planner:year_detail", args=["owner", 2026]) + "#goals"
    next_post = _next_post(owner)
    assert next_post.visibility == Visibility.PRIVATE
    assert next_post.periods.count() == 3
    copies = list(next_post.goals.all())
    assert [copy.title for copy in copies] == ["Submit to CVPR", "Finish piano pieces"]
    first, second = copies
    assert (first.carried_from, first.attempt) == (cvpr, 2)
    assert (first.note, first.deadline, first.done, first.is_private) == ("", None, False, False)
    assert (second.carried_from, second.attempt) == (piano, 2)
    assert (second.target, second.unit, second.progress) == (Decimal(3), "pieces", None)
    assert second.is_private
    assert not skipped.carried_to.exists()
    cvpr.refresh_from_db()
    assert (cvpr.year, cvpr.note, cvpr.attempt) == (year, "submitted, rejected", 1)
    page = owner_client.get(response["Location"]).text
    assert "2 goals carried over to 2026." in page


def test_it_counts_one_goal_in_the_singular(owner_client, year):
    goal = make_goal(year)

    response = owner_client.post(CARRY_URL, {"goals": [goal.pk]}, follow=True)

    assert "1 goal carried over to 2026." in response.text


def test_it_appends_to_next_year_and_keeps_what_is_there(owner_client, owner, year):
    next_post = make_year(owner, year=2026, visibility=Visibility.PUBLIC)
    make_goal(next_post, title="Run a marathon", order=1)
    make_goal(next_post, title="Read 20 books", order=2)
    goal = make_goal(year, title="Submit to CVPR")

    response = owner_client.post(CARRY_URL, {"goals": [goal.pk]})

    assert response.status_code == 302
    next_post.refresh_from_db()
    assert next_post.visibility == Visibility.PUBLIC
    assert list(next_post.goals.values_list("title", "order")) == [
        ("Run a marathon", 1),
        ("Read 20 books", 2),
        ("Submit to CVPR", 3),
    ]


def test_it_counts_the_attempts_up(owner_client, owner, year):
    first_try = make_goal(make_year(owner, year=2024), title="Submit to CVPR")
    second_try = make_goal(year, title="Submit to CVPR", carried_from=first_try, attempt=2)

    owner_client.post(CARRY_URL, {"goals": [second_try.pk]})

    third_try = _next_post(owner).goals.get()
    assert (third_try.carried_from, third_try.attempt) == (second_try, 3)


def test_it_starts_a_reading_where_the_last_year_ended(owner_client, owner, year):
    weight = make_goal(
        year,
        title="Reach 78 kg",
        target=78,
        unit="kg",
        progress_kind=ProgressKind.LATEST,
        direction="at_most",
        start_value=98,
        progress=85,
    )

    owner_client.post(CARRY_URL, {"goals": [weight.pk]})

    copy = _next_post(owner).goals.get()
    assert (copy.start_value, copy.progress, copy.target) == (Decimal(85), None, Decimal(78))
    assert (copy.progress_kind, copy.direction) == (ProgressKind.LATEST, "at_most")


def test_it_does_not_carry_a_goal_twice(owner_client, owner, year):
    cvpr = make_goal(year, title="Submit to CVPR")
    make_goal(year, title="Learn to swim")
    owner_client.post(CARRY_URL, {"goals": [cvpr.pk]})

    page = owner_client.get(CARRY_URL)
    again = owner_client.post(CARRY_URL, {"goals": [cvpr.pk]})

    assert _offered(page.text) == {"Learn to swim": True}
    assert "Submit to CVPR — already set for 2026" in _text(page.text)
    assert again.status_code == 422
    assert _next_post(owner).goals.count() == 1


def test_it_offers_a_goal_again_once_its_copy_is_deleted(owner_client, owner, year):
    cvpr = make_goal(year, title="Submit to CVPR")
    owner_client.post(CARRY_URL, {"goals": [cvpr.pk]})
    _next_post(owner).goals.get().soft_delete()

    page = owner_client.get(CARRY_URL)

    assert _offered(page.text) == {"Submit to CVPR": True}


def test_it_refuses_an_empty_choice(owner_client, owner, year):
    make_goal(year, title="Submit to CVPR")

    response = owner_client.post(CARRY_URL, {})

    assert response.status_code == 422
    assert "Choose at least one goal to carry over." in response.text
    assert _offered(response.text) == {"Submit to CVPR": False}
    assert not Year.objects.filter(owner=owner, year=2026).exists()


@pytest.mark.parametrize("which", ["reached", "other_year", "other_person"])
def test_it_refuses_goals_it_does_not_offer(owner_client, owner, reader, year, which):
    goal = {
        "reached": lambda: make_goal(year, done=True),
        "other_year": lambda: make_goal(make_year(owner, year=2024)),
        "other_person": lambda: make_goal(make_year(reader, year=2025)),
    }[which]()

    response = owner_client.post(CARRY_URL, {"goals": [goal.pk]})

    assert response.status_code == 422
    assert not Year.objects.filter(owner=owner, year=2026).exists()
    assert not goal.carried_to.exists()


# The link on the post


def test_it_links_the_owner_to_carry_over_from_the_post(owner_client, client, year):
    make_goal(year, title="Submit to CVPR")

    owner_page = owner_client.get(year.get_absolute_url()).text
    client.logout()
    reader_page = client.get(year.get_absolute_url()).text

    assert f'href="{CARRY_URL}"' in owner_page
    assert "Carry unreached goals to 2026" in owner_page
    assert CARRY_URL not in reader_page


def test_it_offers_no_carry_over_when_every_goal_was_reached(owner_client, year):
    make_goal(year, title="Move to Seoul", done=True)

    page = owner_client.get(year.get_absolute_url()).text

    assert CARRY_URL not in page


# Lineage on next year's post


def test_it_shows_the_lineage_on_next_years_post(owner_client, owner, year):
    goal = make_goal(year, title="Submit to CVPR")
    owner_client.post(CARRY_URL, {"goals": [goal.pk]})

    page = owner_client.get(reverse("planner:year_detail", args=["owner", 2026])).text

    assert "set again — 2nd try" in page
    assert f'href="{year.get_absolute_url()}#goal-{goal.pk}">from 2025</a>' in page


@pytest.mark.parametrize(
    ("visibility", "linked"), [(Visibility.PUBLIC, True), (Visibility.PRIVATE, False)]
)
def test_it_tells_readers_the_lineage_only_if_they_may_read_the_earlier_year(
    reader_client, owner, visibility, linked
):
    first = make_year(owner, year=2025, visibility=visibility)
    original = make_goal(first, title="Submit to CVPR")
    second = make_year(owner, year=2026)
    make_goal(second, title="Submit to CVPR", carried_from=original, attempt=2)

    page = reader_client.get(second.get_absolute_url()).text

    assert ("set again — 2nd try" in page) is linked
    assert (first.get_absolute_url() in page) is linked


def test_it_keeps_the_lineage_when_the_first_try_is_gone(owner_client, owner, year):
    next_post = make_year(owner, year=2026)
    make_goal(next_post, title="Submit to CVPR", carried_from=None, attempt=3)

    page = owner_client.get(next_post.get_absolute_url()).text

    assert "set again — 3rd try" in page
    assert "from 2025" not in page


@pytest.mark.parametrize(
    ("attempt", "ordinal"),
    [(2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (21, "21st"), (22, "22nd")],
)
def test_it_names_the_attempt_as_an_ordinal(attempt, ordinal):
    assert Goal(attempt=attempt).attempt_ordinal == ordinal


@pytest.mark.parametrize("size", [2, 15])
def test_it_reads_a_post_of_carried_goals_in_a_fixed_number_of_queries(
    client, owner, django_assert_num_queries, size
):
    first = make_year(owner, year=2024)
    second = make_year(owner, year=2025)
    make_goal(make_year(owner, year=2026), title="Next")
    for i in range(size):
        original = make_goal(first, title=f"Goal {i}")
        make_goal(second, title=f"Goal {i}", carried_from=original, attempt=2)

    # 1 to look for its stored page, 7 to read the post, 1 for its like count and 3 for the
    # comments (test_year_detail.py); no view is counted, as the test client sends no user
    # agent.
    with django_assert_num_queries(12):
        response = client.get(second.get_absolute_url())

    assert response.status_code == 200
    assert response.text.count("set again — 2nd try") == size


def test_it_refuses_to_carry_past_the_last_year(owner_client, owner):
    last = make_year(owner, year=2200)
    goal = make_goal(last)

    response = owner_client.post(
        reverse("planner:carry_over", args=["owner", 2200]), {"goals": [goal.pk]}
    )

    assert response.status_code == 422
    assert "Yearloop plans years up to 2200." in response.text
    assert not goal.carried_to.exists()


# A goal next year has already


def test_a_goal_next_year_has_already_is_linked_not_copied(owner_client, owner, year):
    goal = make_goal(year, title="Learn to swim")
    other = make_goal(year, title="Read 12 books")
    following = make_year(owner, year=2026, visibility=Visibility.PRIVATE)
    twin = make_goal(following, title="learn  to Swim", note="planned in January")

    page = owner_client.get(CARRY_URL).text
    response = owner_client.post(CARRY_URL, {"goals": [other.pk], "merge": [goal.pk]})

    assert "Already in next year: link instead of copying" in page
    assert f'name="merge" value="{goal.pk}"' in page and "checked" in page
    assert "Learn to swim" not in _offered(page)  # not offered as a copy
    assert response.status_code == 302
    titles = list(following.goals.values_list("title", flat=True))
    assert titles == ["learn  to Swim", "Read 12 books"]  # no second "Learn to swim"
    twin.refresh_from_db()
    assert twin.carried_from == goal and twin.attempt == 2
    assert twin.note == "planned in January"
    source_page = owner_client.get(year.get_absolute_url()).text
    assert "carried to 2026" in _text(source_page)
    assert twin.get_absolute_url() in source_page


def test_only_the_twin_can_be_chosen_and_nothing_is_copied(owner_client, owner, year):
    goal = make_goal(year, title="Learn to swim")
    following = make_year(owner, year=2026, visibility=Visibility.PRIVATE)
    make_goal(following, title="Learn to swim")

    response = owner_client.post(CARRY_URL, {"merge": [goal.pk]})

    assert response.status_code == 302
    assert following.goals.count() == 1
    assert following.goals.get().carried_from == goal


def test_nothing_chosen_is_refused(owner_client, owner, year):
    goal = make_goal(year, title="Learn to swim")
    following = make_year(owner, year=2026, visibility=Visibility.PRIVATE)
    make_goal(following, title="Learn to swim")

    response = owner_client.post(CARRY_URL, {})

    assert response.status_code == 422
    assert "Choose at least one goal to carry over." in response.text
    assert following.goals.get().carried_from is None
    assert goal.carried_to.count() == 0


def test_readers_do_not_see_where_a_goal_was_carried(client, owner, year):
    year.visibility = Visibility.PUBLIC
    year.save()
    goal = make_goal(year, title="Learn to swim")
    goal.carry_over(make_year(owner, year=2026, visibility=Visibility.PRIVATE), order=1)

    assert "carried to 2026" not in _text(client.get(year.get_absolute_url()).text)
