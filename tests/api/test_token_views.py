"""The access tokens page of the profile settings: create, see the secret once, revoke."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from api.models import AccessToken, Scope
from tests.api.conftest import Api, issue
from tests.factory import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_profile_settings_link_to_the_tokens_page(owner_client):
    response = owner_client.get("/accounts/profile/")
    assert 'href="/accounts/tokens/"' in response.content.decode()


def test_it_shows_a_new_token_once_and_keeps_only_its_hash(owner_client, owner, client):
    response = owner_client.post(
        "/accounts/tokens/",
        {"name": "running log", "scope": "write", "expires_on": "", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/tokens/"
    response = owner_client.get("/accounts/tokens/")
    html = response.content.decode()
    secret = re.search(r'id="new-token-field"[^>]* value="([^"]+)"', html).group(1)
    token = AccessToken.objects.get(owner=owner)
    assert (token.name, token.scope, token.expires_at) == ("running log", Scope.WRITE, None)
    assert secret not in str(AccessToken.objects.values().get())
    assert response["Cache-Control"] == "no-store"
    again = owner_client.get("/accounts/tokens/").content.decode()
    assert secret not in again
    assert "running log" in again and "Never used" in again
    assert Api(client, secret).get("/years").status_code == 200


def test_it_refuses_an_expiry_in_the_past(owner_client, owner):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = owner_client.post(
        "/accounts/tokens/",
        {"name": "old", "scope": "read", "expires_on": yesterday, "password": PASSWORD},
    )
    assert response.status_code == 422
    assert "Choose an expiry date after today." in response.content.decode()
    assert not AccessToken.objects.exists()


def test_a_token_expires_at_the_start_of_its_day(owner_client, owner, client):
    day = timezone.localdate() + datetime.timedelta(days=3)
    owner_client.post(
        "/accounts/tokens/",
        {"name": "trip", "scope": "read", "expires_on": day, "password": PASSWORD},
    )
    token = AccessToken.objects.get()
    midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    assert token.expires_at == midnight
    with time_machine.travel(token.expires_at + datetime.timedelta(seconds=1)):
        assert token.is_expired
        page = owner_client.get("/accounts/tokens/").content.decode()
        assert "Expired on" in page


def test_it_revokes_a_token_which_then_gets_401(owner_client, owner, client):
    secret = issue(owner, name="phone shortcut")
    token = AccessToken.objects.get()
    asked = owner_client.get(f"/accounts/tokens/{token.pk}/revoke/")
    assert asked.status_code == 200
    assert "Revoke the token “phone shortcut”?" in asked.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # asking changes nothing
    response = owner_client.post(f"/accounts/tokens/{token.pk}/revoke/", follow=True)
    assert "The token “phone shortcut” is revoked." in response.content.decode()
    assert "Revoked on" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Api(client, secret).get("/years").status_code == 401


def test_another_person_cannot_revoke_a_token(reader_client, owner):
    issue(owner)
    token = AccessToken.objects.get()
    assert reader_client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_list_shows_when_a_token_was_last_used(owner_client, owner, client):
    Api(client, issue(owner, name="watch")).get("/years")
    client.force_login(owner)
    page = client.get("/accounts/tokens/").content.decode()
    assert "watch" in page and "Never used" not in page


def test_visitors_are_sent_to_log_in(client):
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_creating_a_token_asks_for_the_current_password(owner_client, owner):
    response = owner_client.post(
        "/accounts/tokens/", {"name": "stolen session", "scope": "write", "password": "guess"}
    )
    assert response.status_code == 422
    assert "This is not your current password." in response.content.decode()
    assert not AccessToken.objects.exists()


def test_the_owner_is_told_by_mail_of_a_new_token(
    owner_client, owner, mailoutbox, django_capture_on_commit_callbacks
):
    owner.language = "ko"
    owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            "/accounts/tokens/", {"name": "watch", "scope": "read", "password": PASSWORD}
        )
    assert [message.to for message in mailoutbox] == [[owner.email]]
    message = mailoutbox[0]
    assert "watch" in message.body
    assert "/accounts/tokens/" in message.body
    assert message.subject == "Yearloop 계정에 새 API 액세스 토큰이 만들어졌습니다"


def test_a_reload_after_creating_makes_no_second_token(owner_client, owner):
    data = {"name": "once", "scope": "read", "password": PASSWORD}
    response = owner_client.post("/accounts/tokens/", data, follow=True)
    html = response.content.decode()
    assert re.search(r'<tr id="token-\d+" class="token-new">\s*<th scope="row">once', html)
    assert 'data-copy="new-token-field"' in html
    assert "js/copy.js" in html
    owner_client.get("/accounts/tokens/")  # the reload: a GET of the page it was sent to
    assert AccessToken.objects.filter(owner=owner).count() == 1
    assert "new-token-field" not in owner_client.get("/accounts/tokens/").content.decode()


def test_the_list_asks_before_revoking(owner_client, owner):
    issue(owner, name="watch")
    token = AccessToken.objects.get()
    html = owner_client.get("/accounts/tokens/").content.decode()
    assert f'href="/accounts/tokens/{token.pk}/revoke/"' in html
    assert f'action="/accounts/tokens/{token.pk}/revoke/"' not in html


def test_a_write_refused_to_a_read_token_counts_as_its_use(owner, client):
    secret = issue(owner, scope=Scope.READ)
    assert Api(client, secret).post("/years", {"year": 2030}).status_code == 403
    assert AccessToken.objects.get().last_used_at is not None
