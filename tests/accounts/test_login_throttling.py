from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from tests.factory import PASSWORD

LOGIN = reverse("login")


def without_nonce(html: str) -> str:
    return re.sub(r'nonce="[^"]+"', "", html)


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def fail(client, username: str, times: int, address: str = "203.0.113.7"):
    for _ in range(times):
        response = client.post(
            LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=address
        )
    return response


def test_it_pauses_log_ins_after_repeated_failures_with_a_clear_message(client, owner):
    assert fail(client, "owner", 2).status_code == 422

    locked = fail(client, "owner", 1)

    assert locked.status_code == 429
    assert "Too many log-in attempts" in locked.text
    assert "try again in 15 minutes" in locked.text
    right = client.post(LOGIN, {"username": "owner", "password": PASSWORD})
    assert right.status_code == 429


def test_it_locks_a_username_tried_from_many_addresses(client, owner):
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        fail(client, "owner", 1, address)

    response = client.post(
        LOGIN, {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="198.51.100.9"
    )

    assert response.status_code == 429


def test_it_answers_an_unknown_username_exactly_like_a_real_one(client, owner):
    real = fail(client, "owner", 3, "203.0.113.10")
    unknown = fail(client, "nobody-here", 3, "203.0.113.20")

    assert real.status_code == unknown.status_code == 429
    assert without_nonce(real.text) == without_nonce(unknown.text)


def test_it_lets_the_person_in_again_after_the_pause(client, owner):
    start = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        fail(client, "owner", 3)
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        response = client.post(LOGIN, {"username": "owner", "password": PASSWORD})

    assert response.status_code == 302
