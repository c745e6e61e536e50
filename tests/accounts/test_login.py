from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse

from tests.factory import PASSWORD

LOGIN = reverse("login")
LOGOUT = reverse("logout")
PROFILE = reverse("accounts:profile_edit")


def is_logged_in(client) -> bool:
    return client.get(PROFILE).status_code == 200


def test_it_shows_the_login_form_with_ways_out(client, db):
    response = client.get(LOGIN)

    assert response.status_code == 200
    assert response.text.count("<h1") == 1
    assert '<label for="id_username">' in response.text
    assert '<label for="id_password">' in response.text
    assert f'href="{reverse("accounts:signup")}"' in response.text
    assert f'href="{reverse("password_reset")}"' in response.text


def test_it_logs_in_with_the_right_password(client, owner, reader, stranger):
    for person in (owner, reader, stranger):
        response = client.post(LOGIN, {"username": person.username, "password": PASSWORD})

        assert response.status_code == 302
        assert response.url == reverse("planner:home")
        assert client.get(PROFILE).context["user"] == person
        client.post(LOGOUT)


def test_it_accepts_the_username_in_any_case(client, owner):
    response = client.post(LOGIN, {"username": "OWNER", "password": PASSWORD})

    assert response.status_code == 302
    assert is_logged_in(client)


def test_it_shows_an_error_for_a_wrong_password(client, owner):
    response = client.post(LOGIN, {"username": "owner", "password": "not-my-password"})

    assert response.status_code == 422
    assert "Please enter a correct username and password." in response.text
    assert 'role="alert"' in response.text
    assert "<title>Error:" in response.text
    assert 'value="owner"' in response.text
    assert not is_logged_in(client)


def test_it_shows_the_same_error_for_an_unknown_username(client, db):
    response = client.post(LOGIN, {"username": "nobody", "password": PASSWORD})

    assert response.status_code == 422
    assert "Please enter a correct username and password." in response.text


def test_it_refuses_a_deactivated_account(client, stranger):
    stranger.is_active = False
    stranger.save(update_fields=["is_active"])

    response = client.post(LOGIN, {"username": "stranger", "password": PASSWORD})

    assert response.status_code == 422
    assert "Please enter a correct username and password." in response.text
    assert not is_logged_in(client)


def test_it_returns_to_the_page_asked_for(client, owner):
    asked = client.get(PROFILE)
    assert asked.status_code == 302
    assert asked.url == f"{LOGIN}?next={PROFILE}"

    form = client.get(asked.url)
    assert f'<input type="hidden" name="next" value="{PROFILE}">' in form.text

    response = client.post(LOGIN, {"username": "owner", "password": PASSWORD, "next": PROFILE})

    assert response.status_code == 302
    assert response.url == PROFILE


def test_it_does_not_follow_a_next_to_another_site(client, owner):
    response = client.post(
        LOGIN, {"username": "owner", "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response.url == reverse("planner:home")


def test_it_logs_out_with_a_post(owner_client):
    response = owner_client.post(LOGOUT)

    assert response.status_code == 302
    assert response.url == reverse("planner:home")
    assert not is_logged_in(owner_client)


def test_it_does_not_log_out_with_a_get(owner_client):
    response = owner_client.get(LOGOUT)

    assert response.status_code == 405
    assert is_logged_in(owner_client)


def test_it_offers_a_logout_button_to_people_logged_in(owner_client):
    response = owner_client.get(PROFILE)

    assert f'<form method="post" action="{LOGOUT}"' in response.text


def test_it_has_a_logged_out_page_for_when_no_redirect_is_set(rf):
    # LOGOUT_REDIRECT_URL makes logout redirect; the page is there should that change.
    html = render_to_string("registration/logged_out.html", request=rf.get(LOGOUT))

    assert html.count("<h1") == 1
    assert "You are logged out" in html
    assert f'href="{LOGIN}"' in html
