"""The Redis cache fails open: with Redis unreachable pages are served and writes accepted."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.urls import reverse
from redis.connection import Connection
from redis.exceptions import ConnectionError as RedisConnectionError

from planner import ratelimit
from planner.models import Comment, DailyViews, Visibility
from tests.factory import make_year
from yearloop.cache import RETRY_AFTER

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/140.0 Safari/537.36"


@pytest.fixture
def _redis_away(settings, monkeypatch):
    monkeypatch.setattr("yearloop.cache._away_until", 0.0)  # no earlier test's outage
    settings.CACHES = {
        "default": {
            "BACKEND": "yearloop.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }


@pytest.mark.usefixtures("_redis_away")
def test_it_answers_as_a_cache_that_keeps_nothing(caplog):
    with caplog.at_level(logging.WARNING, logger="yearloop.cache"):
        cache.set("a", 1)
        assert cache.get("a", "default") == "default"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.add("a", 1) is False
        assert cache.has_key("a") is False
        assert cache.delete("a") is False
        with pytest.raises(ValueError):
            cache.incr("a")

    assert "The cache is unreachable" in caplog.text


@pytest.mark.usefixtures("_redis_away")
def test_it_leaves_redis_alone_for_a_while_once_found_away(monkeypatch):
    attempts = []

    def refused(connection):
        attempts.append(connection)
        raise RedisConnectionError("refused")

    monkeypatch.setattr(Connection, "connect", refused)
    clock = [1000.0]
    monkeypatch.setattr("yearloop.cache.time.monotonic", lambda: clock[0])

    for _ in range(3):
        cache.get("a")
    assert len(attempts) == 1

    clock[0] += RETRY_AFTER + 0.1
    cache.get("a")
    assert len(attempts) == 2


@pytest.mark.usefixtures("_redis_away")
def test_it_lets_comments_through_the_rate_limit():
    assert all(ratelimit.allow("comment", 1, "1/minute") for _ in range(3))


@pytest.mark.usefixtures("_redis_away")
def test_a_reader_reads_and_comments_with_redis_away(reader_client, owner, settings):
    settings.COMMENT_RATE_LIMITS = "1/minute"
    post = make_year(owner, visibility=Visibility.PUBLIC, intro="Hello, readers")

    page = reader_client.get(post.get_absolute_url(), headers={"user-agent": BROWSER})
    url = reverse("planner:comment_create", args=[owner.username, post.year])
    statuses = [reader_client.post(url, {"body": f"Comment {n}"}).status_code for n in (1, 2)]

    assert page.status_code == 200
    assert "Hello, readers" in page.text
    assert statuses == [302, 302]
    assert Comment.objects.count() == 2
    assert not DailyViews.objects.filter(count__gt=0).exists()  # uncounted, never twice
