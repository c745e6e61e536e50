"""The client's address, read through PROXY_COUNT proxies, for axes and view counting alike."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from planner.models import DailyViews, Visibility
from tests.factory import make_year
from yearloop.addresses import client_address

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/140.0 Safari/537.36"
NGINX = "127.0.0.1"
MONDAY = datetime.datetime(2025, 3, 10, 10, 0, tzinfo=datetime.UTC)


def address(forwarded: str | None, remote: str = NGINX) -> str:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


def test_it_takes_the_connection_without_a_proxy(settings):
    settings.PROXY_COUNT = 0

    assert address(None, remote="203.0.113.5") == "203.0.113.5"


def test_it_ignores_a_forged_forwarded_for_without_a_proxy(settings):
    settings.PROXY_COUNT = 0

    assert address("198.51.100.1", remote="203.0.113.5") == "203.0.113.5"


def test_it_takes_the_address_the_proxy_added(settings):
    settings.PROXY_COUNT = 1

    assert address("203.0.113.5") == "203.0.113.5"


def test_it_ignores_what_the_client_put_before_the_proxy(settings):
    settings.PROXY_COUNT = 1

    assert address("198.51.100.1, 10.0.0.1, 203.0.113.5") == "203.0.113.5"


def test_it_counts_proxies_from_the_right(settings):
    settings.PROXY_COUNT = 2  # a CDN, then nginx: the CDN's address is the last entry

    assert address("198.51.100.1, 203.0.113.5, 192.0.2.10") == "203.0.113.5"


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", " , "])
def test_it_falls_back_to_the_connection_on_a_missing_or_odd_header(settings, forwarded):
    settings.PROXY_COUNT = 1

    assert address(forwarded) == NGINX


def test_it_normalises_ipv6(settings):
    settings.PROXY_COUNT = 1

    assert address("2001:DB8:0:0::1") == "2001:db8::1"


# --- View counting -----------------------------------------------------------------------


@pytest.fixture
def post(owner):
    return make_year(owner, year=2025, visibility=Visibility.PUBLIC)


def read(client, post, forwarded: str) -> None:
    response = client.get(
        post.get_absolute_url(),
        headers={"user-agent": BROWSER, "x-forwarded-for": forwarded},
        REMOTE_ADDR=NGINX,
    )
    assert response.status_code == 200


def counted(post) -> int:
    return sum(DailyViews.objects.filter(year=post).values_list("count", flat=True))


@time_machine.travel(MONDAY, tick=False)
def test_behind_a_proxy_two_visitors_count_twice(client, settings, post):
    settings.PROXY_COUNT = 1

    read(client, post, "203.0.113.1")
    read(client, post, "203.0.113.2")
    read(client, post, "198.51.100.9, 203.0.113.2")  # the second again, forging a hop

    assert counted(post) == 2


@time_machine.travel(MONDAY, tick=False)
def test_without_a_proxy_a_forged_header_does_not_count_again(client, settings, post):
    settings.PROXY_COUNT = 0

    read(client, post, "203.0.113.1")
    read(client, post, "203.0.113.2")

    assert counted(post) == 1


# --- Log-in throttling (django-axes) -----------------------------------------------------

LOGIN = reverse("login")


@pytest.fixture
def _axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def fail(client, username: str, forwarded: str):
    return client.post(
        LOGIN,
        {"username": username, "password": "wrong"},
        headers={"x-forwarded-for": forwarded},
        REMOTE_ADDR=NGINX,
    )


@pytest.mark.usefixtures("_axes_on")
def test_behind_a_proxy_a_lockout_holds_one_client_not_the_proxy(client, settings, db):
    settings.PROXY_COUNT = 1
    for n in range(3):
        response = fail(client, f"name{n}", "203.0.113.7")
    assert response.status_code == 429

    assert fail(client, "other", "198.51.100.1, 203.0.113.7").status_code == 429
    assert fail(client, "other", "203.0.113.8").status_code == 422


@pytest.mark.usefixtures("_axes_on")
def test_without_a_proxy_a_forged_header_does_not_escape_a_lockout(client, settings, db):
    settings.PROXY_COUNT = 0
    for n in range(3):
        fail(client, f"name{n}", f"203.0.113.{n}")

    assert fail(client, "other", "198.51.100.99").status_code == 429
