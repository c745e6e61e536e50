from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from planner.models import Area, DefaultArea
from tests.factory import make_entry, make_goal, make_year

pytestmark = pytest.mark.django_db

AREAS = reverse("planner:areas")


def labels(owner) -> list[str]:
    return [area.label for area in Area.objects.filter(owner=owner)]


def test_it_gives_the_owner_the_default_areas_once(owner_client, owner):
    response = owner_client.get(AREAS)

    assert response.status_code == 200
    assert labels(owner) == [
        "Career and studies",
        "Health",
        "Relationships",
        "Hobbies and creativity",
        "Money",
        "Mind",
    ]
    for area in Area.objects.filter(owner=owner):
        owner_client.post(reverse("planner:area_delete", args=[area.pk]))
    owner_client.get(AREAS)
    assert labels(owner) == []


def test_it_shows_default_names_in_the_readers_language_until_renamed(owner_client, owner):
    owner_client.get(AREAS)
    health = Area.objects.get(owner=owner, default=DefaultArea.HEALTH)

    with translation.override("ko"):
        assert health.label == "건강"
    owner_client.post(
        reverse("planner:area_rename", args=[health.pk]), {f"area-{health.pk}-name": "Body"}
    )
    health.refresh_from_db()
    with translation.override("ko"):
        assert health.label == "Body"


def test_it_adds_an_area_at_the_end(owner_client, owner):
    owner_client.get(AREAS)

    response = owner_client.post(AREAS, {"new-name": "  Garden  "}, follow=True)

    assert "“Garden” added." in response.text
    assert labels(owner)[-1] == "Garden"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required."),
        ("health", "You already have an area named “health”."),
        ("x" * 61, "Ensure this value has at most 60 characters (it has 61)."),
    ],
)
def test_it_refuses_a_bad_name_with_a_message(owner_client, owner, name, message):
    owner_client.get(AREAS)

    response = owner_client.post(AREAS, {"new-name": name})

    assert response.status_code == 422
    assert message in response.text
    assert len(labels(owner)) == 6


def test_it_refuses_renaming_to_another_areas_name(owner_client, owner):
    owner_client.get(AREAS)
    money = Area.objects.get(owner=owner, default=DefaultArea.MONEY)

    response = owner_client.post(
        reverse("planner:area_rename", args=[money.pk]), {f"area-{money.pk}-name": "Mind"}
    )

    assert response.status_code == 422
    assert "You already have an area named “Mind”." in response.text
    money.refresh_from_db()
    assert money.label == "Money"


def test_it_moves_an_area_up(owner_client, owner):
    owner_client.get(AREAS)
    health = Area.objects.get(owner=owner, default=DefaultArea.HEALTH)

    response = owner_client.post(
        reverse("planner:area_move", args=[health.pk]), {"direction": "up"}, follow=True
    )

    assert labels(owner)[:2] == ["Health", "Career and studies"]
    names = re.findall(r'<input id="area-\d+-name"[^>]* value="([^"]*)"', response.text)
    assert names[:2] == ["Health", "Career and studies"]


def test_it_asks_before_removing_an_area_in_use_and_keeps_its_goals(owner_client, owner):
    owner_client.get(AREAS)
    health = Area.objects.get(owner=owner, default=DefaultArea.HEALTH)
    post = make_year(owner)
    goal = make_goal(post, title="Run a half marathon", area=health)
    entry = make_entry(post, title="First 10 km", area=health)

    question = owner_client.get(reverse("planner:area_delete", args=[health.pk]))
    assert "Remove “Health”?" in question.text
    assert "1 goal is in this area." in question.text
    assert "1 entry is in this area." in question.text
    assert "They stay, without an area." in question.text
    owner_client.post(reverse("planner:area_delete", args=[health.pk]))

    goal.refresh_from_db()
    entry.refresh_from_db()
    assert goal.area is None
    assert entry.area is None
    assert "Health" not in labels(owner)


def test_it_answers_404_for_another_persons_area(reader_client, owner):
    area = Area.objects.create(owner=owner, name="Secret plans")
    for name in ("area_rename", "area_move", "area_delete"):
        response = reader_client.post(
            reverse(f"planner:{name}", args=[area.pk]), {f"area-{area.pk}-name": "Mine"}
        )
        assert response.status_code == 404
    assert Area.objects.filter(pk=area.pk, name="Secret plans").exists()


def test_it_sends_visitors_to_log_in(client):
    response = client.get(AREAS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_is_linked_from_the_profile_settings(owner_client):
    response = owner_client.get(reverse("accounts:profile_edit"))

    assert f'href="{AREAS}"' in response.text
