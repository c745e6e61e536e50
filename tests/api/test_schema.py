"""The OpenAPI 3 description of the API, and its documentation page."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Yearloop API"
    assert schema["components"]["securitySchemes"]["ApiAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_every_error_answer_is_described_in_the_errors_shape(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for status in ("401", "404", "422"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/ErrorOut"}, (
                    method,
                    path,
                )


def test_the_docs_page_loads_its_scripts_from_this_site(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in html
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_docs_page_lets_a_signed_in_person_try_writes_with_csrf(owner_client):
    html = owner_client.get("/api/v1/docs").content.decode()
    assert 'data-api-csrf="true"' in html
    assert 'data-csrf-token=""' not in html


def _operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    return {
        (method.upper(), path.removeprefix("/api/v1")): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }


CREATIONS = [
    ("POST", "/years"),
    ("POST", "/years/{year}/goals"),
    ("POST", "/goals/{goal_id}/progress"),
    ("POST", "/years/{year}/periods/{index}/entries"),
    ("POST", "/entries/{entry_id}/photos"),
    ("POST", "/users/{username}/years/{year}/comments"),
]


def test_creations_declare_the_idempotency_key_header(client):
    operations = _operations(client)
    for route in CREATIONS:
        headers = [p for p in operations[route]["parameters"] if p["in"] == "header"]
        assert [h["name"] for h in headers] == ["Idempotency-Key"], route
        assert headers[0]["required"] is False
    tick = operations["POST", "/goals/{goal_id}/tick"]
    assert not [p for p in tick["parameters"] if p["in"] == "header"]


def test_open_routes_take_a_token_or_none(client):
    operations = _operations(client)
    for route in [
        ("GET", "/users/{username}/years"),
        ("GET", "/users/{username}/years/{year}"),
        ("GET", "/users/{username}/years/{year}/comments"),
    ]:
        assert operations[route]["security"] == [{"ApiAuth": []}, {}], route
    assert operations["GET", "/years"]["security"] == [{"ApiAuth": []}]


def test_path_parameters_say_what_they_take(client):
    operations = _operations(client)
    text = operations["PUT", "/years/{year}/texts/{name}"]["parameters"]
    params = {p["name"]: p["schema"] for p in text}
    assert params["name"]["enum"] == ["intro", "summary", "period-1", "period-2", "period-3"]
    assert (params["year"]["minimum"], params["year"]["maximum"]) == (1900, 2200)
