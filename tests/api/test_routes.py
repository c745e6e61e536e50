"""Every route of the API × every kind of requester: the owner's token, another person's, no
token, a revoked and an expired one, and a read-only token on writes."""

from __future__ import annotations

import pytest

from api.api import api
from planner.models import Goal
from tests.api.conftest import Api
from tests.api.world import EXPECTED, ROUTES, build

pytestmark = pytest.mark.django_db

WRITES = ("POST", "PUT", "PATCH", "DELETE")


def call(requester: Api, method: str, route, world: dict):
    body = route.data()
    if body == "order":  # every goal of the year, last first
        body = {"order": list(Goal.objects.filter(year__year=2024).values_list("pk", flat=True))}
    content_type = None if route.multipart else "application/json"
    if method in ("GET", "DELETE"):
        return requester.call(method, route.url(world))
    return requester.call(method, route.url(world), body, content_type=content_type)


def test_the_table_lists_every_route_of_the_schema():
    schema = api.get_openapi_schema()
    in_schema = {
        (method.upper(), path) for path, item in schema["paths"].items() for method in item
    }
    assert in_schema == set(ROUTES)


@pytest.mark.parametrize(("method", "path"), list(ROUTES))
def test_the_owner_may(method, path, owner, owner_api):
    route = ROUTES[method, path]
    response = call(owner_api, method, route, build(owner))
    assert response.status_code == route.status, response.content


@pytest.mark.parametrize("requester", ["other", "visitor", "revoked", "expired"])
@pytest.mark.parametrize(("method", "path"), list(ROUTES))
def test_others_get_what_the_route_gives_them(method, path, requester, request, owner):
    route = ROUTES[method, path]
    world = build(owner)
    api_client = request.getfixturevalue(
        {"other": "reader_api", "visitor": "visitor_api"}.get(requester, f"{requester}_api")
    )
    response = call(api_client, method, route, world)
    expected = EXPECTED[route.kind].get(requester, route.status)
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert set(response.json()["error"]) >= {"code", "message", "fields"}


@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if r[0] in WRITES])
def test_a_read_only_token_may_not_write(method, path, owner, read_only_api):
    response = call(read_only_api, method, ROUTES[method, path], build(owner))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only_token"


@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if r[0] == "GET"])
def test_a_read_only_token_may_read(method, path, owner, read_only_api):
    route = ROUTES[method, path]
    assert call(read_only_api, method, route, build(owner)).status_code == 200
