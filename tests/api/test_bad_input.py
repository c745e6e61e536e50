"""Junk thrown at every route: each answers 4xx with the error shape, never a 500."""

from __future__ import annotations

import re

import pytest

from tests.api.world import ROUTES, build
from tests.factory import image_upload

pytestmark = pytest.mark.django_db

HUGE = '{"title": "' + "x" * (3 * 1024 * 1024) + '"}'  # over DATA_UPLOAD_MAX_MEMORY_SIZE
JUNK = {
    "malformed JSON": '{"title": ',
    "a list for an object": "[1, 2, 3]",
    "wrong types": '{"title": [], "year": "soon", "value": {}, "done": "perhaps", '
    '"recorded_on": "yesterday", "order": "all", "text": 5, "body": null}',
    "unknown fields": '{"colour": "blue", "owner": 1, "id": 9}',
    "a huge body": HUGE,
    # PostgreSQL refuses NUL in text: the forms must refuse it first.
    "NUL characters": '{"title": "a\\u0000", "text": "\\u0000", "body": "\\u0000", '
    '"caption": "\\u0000", "remark": "\\u0000", "version": "\\u0000", "unit": "\\u0000"}',
    "not JSON at all": "\x00\xff binary",
}
BAD_IDS = ["abc", "-1", "0", "99999999999999999999999", "1.5"]
# Where a route's address holds an id, a year or a period's index.
NUMBERS = re.compile(r"\{\w+\}|/20\d\d|/[123]/entries")


def assert_refused_in_shape(response) -> None:
    assert 400 <= response.status_code < 500, response.content[:300]
    error = response.json()["error"]
    assert isinstance(error["code"], str) and error["message"]
    assert isinstance(error["fields"], dict)


@pytest.mark.parametrize("junk", list(JUNK))
@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if r[0] != "GET"])
def test_it_refuses_junk_bodies(method, path, junk, owner, owner_api):
    route = ROUTES[method, path]
    response = owner_api.call(
        method, route.url(build(owner)), JUNK[junk], content_type="application/json"
    )
    if method == "DELETE" or path.endswith("follow-figures"):
        # A route that reads no body: junk in it changes nothing.
        assert response.status_code in (200, 204)
    else:
        assert_refused_in_shape(response)


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if NUMBERS.search(ROUTES[r].path)])
def test_it_refuses_bad_ids(method, path, bad, owner, owner_api):
    route = ROUTES[method, path]
    url = NUMBERS.sub(lambda m: _bad(m.group(), bad), route.path)
    body = None if method in ("GET", "DELETE") else {}
    assert_refused_in_shape(owner_api.call(method, url.format(**build(owner)), body))


def _bad(part: str, bad: str) -> str:
    if part.endswith("/entries"):
        return f"/{bad}/entries"
    return f"/{bad}" if part.startswith("/") else bad


@pytest.mark.parametrize("query", ["?page=abc", "?page=0", "?page=99999999999999"])
def test_it_refuses_a_bad_page_of_comments(query, owner, owner_api):
    build(owner)
    assert_refused_in_shape(owner_api.get(f"/users/owner/years/2025/comments{query}"))


def test_it_refuses_a_text_that_is_not_an_image(owner, owner_api):
    world = build(owner)
    response = owner_api.call(
        "POST",
        f"/entries/{world['entry']}/photos",
        {"image": _text_file()},
        content_type=None,
    )
    assert_refused_in_shape(response)
    assert response.json()["error"]["fields"]["image"]


@pytest.mark.parametrize("username", ["nobody", "x" * 300, "%00"])
def test_it_answers_404_for_an_unknown_person(username, owner_api):
    assert_refused_in_shape(owner_api.get(f"/users/{username}/years"))


def _text_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")


TEXT_FIELDS = [
    (("POST", "/api/v1/years/{year}/goals"), "title"),
    (("PATCH", "/api/v1/goals/{goal_id}"), "unit"),
    (("PATCH", "/api/v1/goals/{goal_id}"), "note"),
    (("PATCH", "/api/v1/years/{year}"), "title"),
    (("PUT", "/api/v1/years/{year}/texts/{name}"), "text"),
    (("POST", "/api/v1/goals/{goal_id}/progress"), "remark"),
    (("PATCH", "/api/v1/progress/{update_id}"), "remark"),
    (("POST", "/api/v1/years/{year}/periods/{index}/entries"), "body"),
    (("PATCH", "/api/v1/entries/{entry_id}"), "title"),
    (("PATCH", "/api/v1/photos/{photo_id}"), "caption"),
    (("POST", "/api/v1/users/{username}/years/{year}/comments"), "body"),
]


@pytest.mark.parametrize(("route", "field"), TEXT_FIELDS)
def test_it_refuses_a_nul_character_in_a_text(route, field, owner, owner_api):
    method, _path = route
    entry = ROUTES[route]
    body = {**(entry.body or {}), field: "before\x00after"}
    response = owner_api.call(method, entry.url(build(owner)), body)
    assert_refused_in_shape(response)
    assert response.json()["error"]["fields"][field]


def test_it_refuses_a_nul_character_in_a_photos_caption(owner, owner_api):
    world = build(owner)
    response = owner_api.call(
        "POST",
        f"/entries/{world['entry']}/photos",
        {"image": image_upload(), "caption": "at\x00the bridge"},
        content_type=None,
    )
    assert_refused_in_shape(response)


@pytest.mark.parametrize(
    ("method", "path"),
    [("PUT", "/years"), ("OPTIONS", "/years"), ("POST", "/goals/1"), ("DELETE", "/years")],
)
def test_a_method_a_route_does_not_take_is_405_in_shape(method, path, owner_api):
    response = owner_api.call(method, path)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert response["Allow"]


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v1/years/", "/api/v2/years", "/api/"])
def test_an_unknown_api_address_is_404_in_shape(path, client):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/years/", "/api/v1/nothing", "/api/v2/years"])
def test_an_unsafe_request_to_an_unknown_address_is_404_in_shape(method, path, owner):
    from django.test import Client

    from tests.api.conftest import issue

    client = Client(enforce_csrf_checks=True)
    headers = {"Authorization": f"Bearer {issue(owner)}"}
    response = getattr(client, method)(path, "{}", content_type="application/json", headers=headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_api_root_answers_json_pointing_to_its_reference(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response.json() == {
        "version": "1",
        "docs": "/api/v1/docs",
        "openapi": "/api/v1/openapi.json",
    }


def test_an_unsafe_request_to_the_api_root_is_405_in_shape(owner):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/", "{}", content_type="application/json"
    )
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    "path",
    [
        "/goals/-1",
        "/goals/0",
        "/goals/99999999999999999999999",
        "/goals/abc",
        "/years/2025/periods/4/entries",
        "/years/1800",
        "/years/99999",
    ],
)
def test_an_id_no_address_can_have_is_404_like_nothing_there(path, owner, owner_api):
    build(owner)
    response = owner_api.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_texts_unknown_name_is_404(owner, owner_api):
    build(owner)
    response = owner_api.put("/years/2024/texts/nope", {"text": "x", "version": "x"})
    assert response.status_code == 404


def test_a_malformed_version_is_refused_under_its_own_name(owner, owner_api):
    build(owner)
    response = owner_api.put("/years/2024/texts/intro", {"text": "x", "version": "v" * 65})
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["version"]


def test_malformed_json_is_400_bad_request_as_documented(owner_api):
    response = owner_api.call("POST", "/years", '{"year": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"year": "2032"}, "year", "Enter a whole number."),
        ({"year": 2031.0}, "year", "Enter a whole number."),
        ({"year": True}, "year", "Enter a whole number."),
        ('{"year": 1e400}', "year", "Enter a whole number."),
        ({"year": 2031, "visibility": 1}, "visibility", "Choose one of the values the API offers."),
    ],
)
def test_a_year_is_a_json_whole_number(body, field, message, owner_api):
    from planner.models import Year

    response = owner_api.post("/years", body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][field] == [message]
    assert not Year.objects.exists()


@pytest.mark.parametrize("done", ["yes", "true", 1, "1"])
def test_a_goal_is_ticked_only_by_json_true(done, owner, owner_api):
    from planner.models import Goal

    ids = build(owner)
    for path in (f"/goals/{ids['goal']}", f"/goals/{ids['goal']}/tick"):
        method = "PATCH" if path.endswith(str(ids["goal"])) else "POST"
        response = owner_api.call(method, path, {"done": done})
        assert response.status_code == 422
        assert response.json()["error"]["fields"]["done"] == ["Enter true or false."]
    assert Goal.objects.get(pk=ids["goal"]).done is False


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_json_is_415(content_type, owner_api):
    from planner.models import Year

    response = owner_api.call("POST", "/years", '{"year": 2031}', content_type=content_type)
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert not Year.objects.exists()
