from __future__ import annotations

from django.urls import reverse

from tests.factory import PASSWORD

URL = reverse("password_change")
DONE = reverse("password_change_done")
NEW_PASSWORD = "quiet-harbour-lantern-42"


def change_data(**overrides) -> dict[str, str]:
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    return {**data, **overrides}


def test_it_sends_anonymous_visitors_to_log_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={URL}"


def test_it_shows_the_form(owner_client):
    response = owner_client.get(URL)

    assert response.status_code == 200
    assert response.text.count("<h1") == 1
    assert "Change your password" in response.text
    assert '<label for="id_old_password">' in response.text
    assert '<label for="id_new_password1">' in response.text
    assert '<label for="id_new_password2">' in response.text


def test_it_changes_the_password_and_keeps_the_person_logged_in(owner_client, owner):
    response = owner_client.post(URL, change_data())

    assert response.status_code == 302
    assert response.url == DONE
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    assert owner_client.get(reverse("accounts:profile_edit")).status_code == 200
    done = owner_client.get(DONE)
    assert done.status_code == 200
    assert "Your password is changed" in done.text
    assert done.text.count("<h1") == 1


def test_it_lets_the_person_log_in_with_the_new_password_only(owner_client, client, owner):
    owner_client.post(URL, change_data())
    owner_client.post(reverse("logout"))

    assert not client.login(username="owner", password=PASSWORD)
    assert client.login(username="owner", password=NEW_PASSWORD)


def test_it_refuses_a_wrong_old_password(owner_client, owner):
    response = owner_client.post(URL, change_data(old_password="not-my-password"))

    assert response.status_code == 422
    assert "Your old password was entered incorrectly." in response.text
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_it_refuses_new_passwords_that_do_not_match(owner_client, owner):
    response = owner_client.post(URL, change_data(new_password2="something-else-entirely"))

    assert response.status_code == 422
    assert "The two password fields didn’t match." in response.text
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_it_changes_only_the_password_of_the_person_logged_in(reader_client, owner, reader):
    reader_client.post(URL, change_data())

    owner.refresh_from_db()
    reader.refresh_from_db()
    assert owner.check_password(PASSWORD)
    assert reader.check_password(NEW_PASSWORD)


def test_changing_the_password_revokes_every_access_token(owner_client, owner, client):
    from api.models import AccessToken
    from tests.api.conftest import Api, issue

    secret = issue(owner)
    owner_client.post(URL, change_data())
    assert AccessToken.objects.get().revoked_at is not None
    assert Api(client, secret).get("/years").status_code == 401
