"""Django's Redis cache, failing open: with Redis unreachable it acts as a cache that keeps
nothing, so pages are still served (rendered instead of kept) rather than failing with 500.

What each call answers while Redis is away: `get` its default, `get_many` nothing, `has_key`
False, `add` False (nothing was stored), `set`/`delete`/`touch` do nothing, `incr` raises
ValueError as for a missing key. So during an outage views go uncounted rather than counted
twice, and comment rate limits let comments through (planner/ratelimit.py). Why fail open:
docs/decisions/redis-outage.md.

A hung Redis (connections accepted, never answered) costs a call the socket timeout
(settings.py: 0.5 s). So that a page making several calls does not pay it several times,
and the next requests neither, a process that finds Redis away leaves it alone for
RETRY_AFTER seconds, answering as above without asking, then tries again: a warning each
time it finds Redis away, so at most one per RETRY_AFTER per process.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (ConnectionError, TimeoutError)
RETRY_AFTER = 5.0
_away_until = 0.0  # time.monotonic() before which this process does not ask Redis


def fail_open(method, answer):
    """`method` of RedisCache, answering `answer(*its arguments)` when Redis is away."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        global _away_until
        if time.monotonic() < _away_until:
            return answer(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as error:
            _away_until = time.monotonic() + RETRY_AFTER
            logger.warning(
                "The cache is unreachable (%s: %s); serving without it for %g s.",
                method.__name__,
                error,
                RETRY_AFTER,
            )
            return answer(*args, **kwargs)

    return wrapper


def key_missing(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found: the cache is unreachable.")


def nothing(*args, **kwargs):
    return None


def false(*args, **kwargs):
    return False


class FailOpenRedisCache(RedisCache):
    get = fail_open(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = fail_open(RedisCache.get_many, lambda *args, **kwargs: {})
    has_key = fail_open(RedisCache.has_key, false)
    add = fail_open(RedisCache.add, false)
    incr = fail_open(RedisCache.incr, key_missing)
    set = fail_open(RedisCache.set, nothing)
    set_many = fail_open(RedisCache.set_many, lambda data, *args, **kwargs: list(data))
    touch = fail_open(RedisCache.touch, false)
    delete = fail_open(RedisCache.delete, false)
    delete_many = fail_open(RedisCache.delete_many, nothing)
    clear = fail_open(RedisCache.clear, false)
