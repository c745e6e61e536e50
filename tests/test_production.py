"""Production mode: settings that refuse to start unsafe, deploy checks, headers, health."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from tests.commands import run_manage

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-" + "a1b2c3d4e5" * 6,
    "ALLOWED_HOSTS": "yearloop.example",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The test run allows async-unsafe ORM calls for Playwright; a deployment never does.
    unset = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(env)
    return run_manage(*args, env=environment, timeout=120)


def test_it_passes_the_deploy_checks_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set when DEBUG is off"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set when DEBUG is off"),
    ],
)
def test_it_refuses_to_start_in_production_without(missing, message):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}

    result = manage("check", **env)

    assert result.returncode != 0
    assert message in result.stderr


def test_it_refuses_a_setting_that_is_not_a_boolean():
    result = manage("check", DEBUG="perhaps")

    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"DAILY_JOBS_HOUR": "25"}, "DAILY_JOBS_HOUR must be from 0 to 23, not 25."),
        ({"TASKS_BACKEND": "nonsense"}, "TASKS_BACKEND must be one of"),
        ({"TASK_WORKER_LOST_AFTER": "0"}, "TASK_WORKER_LOST_AFTER must be 5 or more"),
        ({"PROXY_COUNT": "-1"}, "PROXY_COUNT must be 0 or more, not -1."),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be one of DEBUG, INFO"),
        ({"REDIS_URL": "notaurl"}, "REDIS_URL must look like redis://"),
        ({"MEDIA_ACCEL_REDIRECT": "protected"}, "with a slash at each end"),
        ({"EMAIL_HOST": "smtp.example", "EMAIL_PORT": "0"}, "EMAIL_PORT must be from 1 to 65535"),
    ],
)
def test_a_setting_given_wrong_stops_start_up_with_one_line_naming_it(setting, message):
    result = manage("check", **setting)

    assert result.returncode == 1
    assert result.stderr.startswith("Configuration error: ")
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("path", ["/", "/@owner/", "/@owner/2025/", "/accounts/login/"])
def test_it_sends_the_security_headers(client, owner, path):
    from tests.factory import make_year

    make_year(owner, year=2025)

    response = client.get(path)

    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert len(response["X-Request-ID"]) == 32


def test_it_sends_readers_no_script_and_signed_in_people_htmx_from_the_site_only(client, owner):
    from tests.factory import make_year

    make_year(owner, year=2025, visibility="public")

    read = client.get("/@owner/2025/")
    client.force_login(owner)
    edit = client.get("/@owner/2025/")  # kept for the owner: no nonce in it
    dashboard = client.get("/")

    assert "<script" not in read.text
    assert "'nonce-" not in read["Content-Security-Policy"]
    assert "htmx" in edit.text
    assert re.findall(r"<script[^>]*>", edit.text) == re.findall(
        r'<script src="/static/[^"]+"(?: nonce="[^"]+")? defer>', edit.text
    )
    assert "script-src 'self'" in edit["Content-Security-Policy"]
    assert "unsafe-inline" not in edit["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in dashboard["Content-Security-Policy"]


def test_it_passes_on_a_request_id_from_the_proxy_only_if_it_looks_like_one(client, db):
    given = client.get("/", HTTP_X_REQUEST_ID="edge-4f9a2c71")
    forged = client.get("/", HTTP_X_REQUEST_ID="<script>x</script>")
    # `$` would let a trailing line break through, and a header cannot hold one.
    broken = client.get("/", HTTP_X_REQUEST_ID="edge-4f9a2c71\n")

    assert given["X-Request-ID"] == "edge-4f9a2c71"
    assert forged["X-Request-ID"] != "<script>x</script>"
    assert broken.status_code == 200
    assert broken["X-Request-ID"] != "edge-4f9a2c71"


def test_it_reports_health_with_one_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
