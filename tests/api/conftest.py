from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from api.models import AccessToken, Scope


def issue(user, scope: str = Scope.WRITE, **kwargs) -> str:
    return AccessToken.issue(user, name=kwargs.pop("name", "script"), scope=scope, **kwargs)[1]


class Api:
    """The test client speaking JSON to /api/v1/ with a token (or none)."""

    def __init__(self, client, token: str | None = None) -> None:
        self.client, self.token = client, token

    def call(self, method: str, path: str, body=None, *, headers=None, **extra):
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        kwargs = {"headers": headers, **extra}
        if body is not None:
            kwargs["data"] = body
            kwargs.setdefault("content_type", "application/json")
        if kwargs.get("content_type", "") is None:  # multipart, the client's default
            del kwargs["content_type"]
        return getattr(self.client, method.lower())(f"/api/v1{path}", **kwargs)

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.call("POST", path, body if body is not None else {}, **kw)

    def patch(self, path, body=None, **kw):
        return self.call("PATCH", path, body if body is not None else {}, **kw)

    def put(self, path, body=None, **kw):
        return self.call("PUT", path, body if body is not None else {}, **kw)

    def delete(self, path, **kw):
        return self.call("DELETE", path, **kw)


@pytest.fixture
def owner_api(client, owner):
    return Api(client, issue(owner))


@pytest.fixture
def reader_api(client, reader):
    return Api(client, issue(reader))


@pytest.fixture
def visitor_api(client):
    return Api(client)


@pytest.fixture
def read_only_api(client, owner):
    return Api(client, issue(owner, Scope.READ))


@pytest.fixture
def revoked_api(client, owner):
    token, secret = AccessToken.issue(owner, name="old", scope=Scope.WRITE)
    token.revoke()
    return Api(client, secret)


@pytest.fixture
def expired_api(client, owner):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    return Api(client, issue(owner, expires_at=yesterday))
