"""Who may ask: tokens (revoked, expired, read-only, unknown), the site's session with its
CSRF check, per-token rate limits, the language of the answers, and no CORS."""

from __future__ import annotations

import pytest
from django.test import Client

from api.models import AccessToken, Scope, digest
from tests.api.conftest import Api, issue
from tests.factory import make_year

pytestmark = pytest.mark.django_db


def test_a_revoked_token_gets_401_saying_so(revoked_api, owner):
    make_year(owner)
    response = revoked_api.get("/years")
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "invalid_token",
        "message": "This access token was revoked.",
        "fields": {},
    }


def test_an_expired_token_gets_401_saying_so(expired_api):
    response = expired_api.get("/years")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "This access token has expired."


@pytest.mark.parametrize(
    "header",
    ["Bearer yl_00000000_nope", "Bearer", "Basic b3duZXI6cGFzcw==", "Bearer " + "x" * 5000],
)
def test_an_unknown_token_gets_401(client, owner, header):
    issue(owner)
    response = client.get("/api/v1/years", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_a_token_of_a_closed_account_gets_401(client, owner):
    api = Api(client, issue(owner))
    owner.is_active = False
    owner.save()
    assert api.get("/years").status_code == 401


def test_a_read_only_token_reads_but_may_not_write(read_only_api, owner):
    make_year(owner)
    assert read_only_api.get("/years").status_code == 200
    response = read_only_api.post("/years", {"year": 2030})
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "This token may only read."


def test_the_secret_is_not_stored_only_its_hash(owner):
    token, secret = AccessToken.issue(owner, name="phone", scope=Scope.WRITE)
    stored = AccessToken.objects.filter(pk=token.pk).values().get()
    assert secret not in str(stored)
    assert stored["secret_hash"] == digest(secret[len(f"yl_{token.prefix}_") :])
    assert AccessToken.find(secret) == token
    assert AccessToken.find(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None


def test_it_notes_when_a_token_was_last_used(owner_api, owner):
    token = AccessToken.objects.get(owner=owner)
    assert token.last_used_at is None
    owner_api.get("/years")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_session_reads_and_writes_with_its_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.get("/api/v1/years").status_code == 200
    refused = client.post("/api/v1/years", {"year": 2030}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf"
    client.get("/accounts/tokens/")  # any page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    made = client.post(
        "/api/v1/years",
        {"year": 2030},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert made.status_code == 201


def test_nobody_gets_401_on_a_persons_own_routes(client):
    response = client.get("/api/v1/years")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_it_sends_no_cors_headers(owner_api, owner):
    response = owner_api.get("/years", headers={"Origin": "https://elsewhere.example"})
    assert response.status_code == 200
    assert not [name for name in response.headers if name.lower().startswith("access-control")]
    preflight = owner_api.call("OPTIONS", "/years", headers={"Origin": "https://elsewhere.example"})
    assert "Access-Control-Allow-Origin" not in preflight.headers


def test_it_limits_requests_per_token(client, owner, reader, settings):
    settings.API_RATE_LIMITS = "3/minute"
    api, other = Api(client, issue(owner)), Api(client, issue(reader))
    assert [api.get("/years").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/years")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert other.get("/years").status_code == 200  # another token counts on its own


def test_it_answers_in_the_language_asked_for(owner_api):
    response = owner_api.post("/years", {"yaer": 2030}, headers={"Accept-Language": "ko"})
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert fields["year"] == ["필수 항목입니다."]
    assert response.headers["Content-Language"] == "ko"


def test_without_a_language_asked_it_answers_in_the_owners(client, owner):
    owner.language = "ko"
    owner.save()
    response = Api(client, issue(owner)).post("/years", {})
    assert response.json()["error"]["fields"]["year"] == ["필수 항목입니다."]
    english = Api(client, issue(owner)).post("/years", {}, headers={"Accept-Language": "en"})
    assert english.json()["error"]["fields"]["year"] == ["This field is required."]


def test_a_refusal_of_a_token_is_said_in_korean_when_asked(revoked_api):
    response = revoked_api.get("/years", headers={"Accept-Language": "ko-KR"})
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "폐기된 액세스 토큰입니다."


def test_it_limits_requests_without_a_token_per_client_address(client, owner, settings):
    settings.API_ANONYMOUS_RATE_LIMITS = "3/minute"
    make_year(owner, visibility="public")
    visitor = Api(client)
    statuses = [visitor.get("/users/owner/years").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = visitor.get("/years")  # a 401 counts too
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    other = client.get("/api/v1/users/owner/years", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200  # another address counts on its own


def test_it_limits_failed_token_attempts_per_client_address(client, owner, settings):
    settings.API_FAILED_TOKEN_RATE_LIMITS = "3/minute"
    guesser = Api(client, "yl_00000000_guess")
    assert [guesser.get("/years").status_code for _ in range(3)] == [401, 401, 401]
    refused = guesser.get("/years")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert Api(client, issue(owner)).get("/years").status_code == 200  # a working token is not


def test_a_401_says_how_to_authenticate(client, visitor_api, revoked_api):
    assert visitor_api.get("/years")["WWW-Authenticate"] == "Bearer"
    assert revoked_api.get("/years")["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_basic_authentication_is_told_to_send_a_bearer_token(client, owner):
    response = client.get("/api/v1/years", headers={"Authorization": "Basic b3duZXI6cHc="})
    assert response.status_code == 401
    message = response.json()["error"]["message"]
    assert message == "Send the token as Authorization: Bearer <token>; Basic is not taken."
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_head_answers_as_get_without_a_body(owner_api, owner):
    make_year(owner)
    got = owner_api.get("/years")
    head = owner_api.call("HEAD", "/years")
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == got["Content-Type"]
    assert int(head["Content-Length"]) == len(got.content)
    refused = owner_api.call("HEAD", "/goals/1/tick")
    assert refused.status_code == 405
    assert "HEAD" not in refused["Allow"]
    assert "HEAD" in owner_api.call("PUT", "/years")["Allow"]
