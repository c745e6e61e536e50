"""Waiting in browser tests for what the server does after the page has shown it."""

from __future__ import annotations

import time

# A round trip through a loaded CI machine (two suites at once on two cores) can take
# longer than Playwright's 5 s.
SLOW = 20


def eventually(page, check, seconds: float = SLOW):
    """What `check()` answers once it is truthy, polled in step with the page, or a failure
    with its last answer after `seconds` (a save the page shows before it is answered)."""
    deadline = time.monotonic() + seconds
    while not (answer := check()):
        assert time.monotonic() < deadline, f"Still {answer!r} after {seconds} s"
        page.wait_for_timeout(50)
    return answer
