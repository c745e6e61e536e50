from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from tests.factory import make_user

VALIDATOR_MESSAGE = (
    "Use 2 to 30 lowercase letters, digits, hyphens or underscores, "
    "starting with a letter or digit."
)
INVALID_USERNAMES = ["a b", "ab/c", "-x", "x" * 31, "x", "bob!"]
PASSWORD = "quiet-harbour-lantern-42"


def signup(client, username: str):
    return client.post(
        reverse("accounts:signup"),
        {
            "username": username,
            "email": f"{username}@example.com",
            "display_name": "",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def test_it_lowercases_the_username_when_saved(db):
    user = make_user("MixedCase")

    user.refresh_from_db()
    assert user.username == "mixedcase"


def test_it_finds_a_person_by_username_in_any_case(db):
    make_user("casey")

    assert User.objects.get_by_natural_key("CaSeY").username == "casey"


@pytest.mark.parametrize("username", INVALID_USERNAMES)
def test_it_refuses_invalid_usernames_with_the_validator_message(db, username):
    user = User(username=username, email="someone@example.com", password="x")

    with pytest.raises(ValidationError) as caught:
        user.full_clean()

    assert VALIDATOR_MESSAGE in caught.value.message_dict["username"]


@pytest.mark.parametrize("username", ["a b", "ab/c", "-x", "x", "bob!"])
def test_it_refuses_invalid_usernames_on_signup(client, db, username):
    response = signup(client, username)

    assert response.status_code == 422
    assert VALIDATOR_MESSAGE in response.text
    assert not User.objects.exists()


def test_it_refuses_a_username_longer_than_30_characters_on_signup(client, db):
    response = signup(client, "x" * 31)

    assert response.status_code == 422
    assert "Ensure this value has at most 30 characters (it has 31)." in response.text
    assert not User.objects.exists()


@pytest.mark.parametrize("username", ["ok", "x" * 30, "kim-2026", "dev_lee", "7seas"])
def test_it_accepts_valid_usernames_on_signup(client, db, username):
    response = signup(client, username)

    assert response.status_code == 302
    assert User.objects.filter(username=username).exists()


@pytest.mark.parametrize("taken", ["owner", "OWNER", "Owner"])
def test_it_refuses_a_taken_username_whatever_its_case(client, owner, taken):
    response = signup(client, taken)

    assert response.status_code == 422
    assert "That username is taken" in response.text
    assert User.objects.filter(username__iexact="owner").count() == 1


def test_it_names_a_person_by_display_name_then_username(owner, stranger):
    assert owner.name == "Olivia Owner"
    assert stranger.name == "stranger"
    assert str(owner) == "owner"


def test_it_lives_at_its_profile_address(owner):
    assert owner.get_absolute_url() == "/@owner/"
