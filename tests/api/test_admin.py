"""Access tokens in the admin: listed without secrets, revoked by staff."""

from __future__ import annotations

import pytest

from api.models import AccessToken, Scope
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_staff_revoke_a_leaked_token(staff_client, owner, client):
    token, secret = AccessToken.issue(owner, name="leaked script", scope=Scope.WRITE)
    listing = staff_client.get("/admin/api/accesstoken/")
    assert "leaked script" in listing.content.decode()
    assert secret not in listing.content.decode()
    response = staff_client.post(
        "/admin/api/accesstoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    assert "1 token revoked." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert Api(client, secret).get("/years").status_code == 401


def test_staff_cannot_make_a_token(staff_client):
    assert staff_client.get("/admin/api/accesstoken/add/").status_code == 403


def test_a_tokens_page_in_the_admin_shows_no_secret(staff_client, owner):
    token, secret = AccessToken.issue(owner, name="phone", scope=Scope.READ)
    page = staff_client.get(f"/admin/api/accesstoken/{token.pk}/change/").content.decode()
    assert "phone" in page and token.prefix in page
    assert secret not in page and token.secret_hash not in page
