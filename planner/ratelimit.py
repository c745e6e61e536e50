"""Per-person rate limits counted in Django's cache, so every process shares the count.

A limit such as "5/minute,50/day" is counted in fixed windows: one cache key per person,
action and window, created with `cache.add` and counted with `cache.incr`, both atomic in
Redis and in the local-memory cache.

With Redis unreachable the cache keeps nothing (yearloop/cache.py): `add` stores nothing
and `incr` finds no key, so every attempt counts as the first and is allowed. Comment
limits fail open during an outage (docs/decisions/redis-outage.md).
"""

from __future__ import annotations

import math
import time

from django.core.cache import cache

PERIODS = {"second": 1, "minute": 60, "hour": 60 * 60, "day": 24 * 60 * 60}


def parse_rates(text: str) -> list[tuple[int, int]]:
    """ "50/day,5/minute" as [(5, 60), (50, 86400)], shortest window first."""
    rates = []
    for rate in text.split(","):
        count, _slash, period = rate.strip().partition("/")
        rates.append((int(count), PERIODS[period]))
    return sorted(rates, key=lambda rate: rate[1])


def allow(action: str, who: object, rates: str) -> bool:
    """Count one attempt; False when it goes over any of the limits.

    Windows are checked shortest first and counting stops at the first one used up,
    so attempts refused by the minute limit do not eat into the day.
    """
    return wait(action, who, rates) == 0


def wait(action: str, who: object, rates: str) -> int:
    """Count one attempt as `allow` does; 0 when allowed, else the seconds until the window
    that refused it ends (for a Retry-After header)."""
    now = time.time()
    for limit, seconds in parse_rates(rates):
        key = f"rate:{action}:{who}:{seconds}:{int(now // seconds)}"
        cache.add(key, 0, timeout=seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the window ran out between add and incr
            cache.add(key, 1, timeout=seconds + 1)
            count = 1
        if count > limit:
            return max(1, math.ceil(seconds - now % seconds))
    return 0
