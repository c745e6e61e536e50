from __future__ import annotations

from django.urls import reverse

from accounts.models import User

URL = reverse("accounts:signup")
NEW_PASSWORD = "quiet-harbour-lantern-42"


def signup_data(**overrides) -> dict[str, str]:
    data = {
        "username": "newcomer",
        "email": "newcomer@example.com",
        "display_name": "Nia Newcomer",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return {**data, **overrides}


def test_it_shows_the_signup_form(client, db):
    response = client.get(URL)

    assert response.status_code == 200
    assert response.text.count("<h1") == 1
    assert "Create your Yearloop account" in response.text
    assert '<label for="id_username">' in response.text
    assert '<label for="id_password1">' in response.text
    assert f'href="{reverse("login")}"' in response.text


def test_it_creates_the_account_and_logs_the_person_in(client, db):
    response = client.post(URL, signup_data())

    assert response.status_code == 302
    assert response.url == reverse("planner:home")
    user = User.objects.get(username="newcomer")
    assert user.display_name == "Nia Newcomer"
    assert user.email == "newcomer@example.com"
    assert user.check_password(NEW_PASSWORD)
    profile = client.get(reverse("accounts:profile_edit"))
    assert profile.status_code == 200
    assert 'value="Nia Newcomer"' in profile.text


def test_it_welcomes_the_new_person_by_name(client, db):
    client.post(URL, signup_data())

    profile = client.get(reverse("accounts:profile_edit"))

    assert "Welcome to Yearloop, Nia Newcomer." in profile.text


def test_it_stores_the_username_in_lowercase(client, db):
    response = client.post(URL, signup_data(username="NewComer"))

    assert response.status_code == 302
    assert User.objects.filter(username="newcomer").exists()
    assert client.login(username="newcomer", password=NEW_PASSWORD)


def test_it_refuses_passwords_that_do_not_match(client, db):
    response = client.post(URL, signup_data(password2="something-else-entirely"))

    assert response.status_code == 422
    assert "The two password fields didn’t match." in response.text
    assert not User.objects.filter(username="newcomer").exists()


def test_it_refuses_a_weak_password(client, db):
    response = client.post(URL, signup_data(password1="12345678", password2="12345678"))

    assert response.status_code == 422
    assert "This password is too common." in response.text
    assert not User.objects.filter(username="newcomer").exists()


def test_it_ties_each_error_to_its_input(client, db):
    response = client.post(URL, signup_data(username="a b"))

    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text
    assert 'aria-describedby="id_username_helptext id_username_error"' in response.text
    assert 'id="id_username_error"' in response.text
    assert 'id="id_username_helptext"' in response.text


def test_it_keeps_what_was_typed_after_an_error(client, db):
    response = client.post(URL, signup_data(password2="something-else-entirely"))

    assert 'value="newcomer"' in response.text
    assert 'value="Nia Newcomer"' in response.text
    assert NEW_PASSWORD not in response.text


def test_it_sends_people_who_are_logged_in_to_their_dashboard(client, owner, reader, stranger):
    for person in (owner, reader, stranger):
        client.force_login(person)

        response = client.get(URL)

        assert response.status_code == 302
        assert response.url == reverse("planner:home")
    assert User.objects.count() == 3


def test_it_requires_an_email_address_for_password_resets(client, db):
    response = client.post(reverse("accounts:signup"), signup_data(email=""))

    assert response.status_code == 422
    assert "This field is required." in response.text
    assert not User.objects.filter(username="newcomer").exists()


def test_it_refuses_an_email_address_that_already_has_an_account(client, owner):
    response = client.post(reverse("accounts:signup"), signup_data(email="OWNER@example.com"))

    assert response.status_code == 422
    assert "An account with this e-mail address exists." in response.text
    assert not User.objects.filter(username="newcomer").exists()
