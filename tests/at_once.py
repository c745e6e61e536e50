"""Running requests or tasks at the same moment, to show that a race has one outcome."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def at_once(actions: list[Callable[[], Any]], seconds: float = 60) -> list[Any]:
    """What each action answers, in order, when all are started together, each in a thread
    with its own database connection. An action that raised fails the caller with its
    error; one still running after `seconds` fails it too."""
    start = threading.Barrier(len(actions))
    answers: list[Any] = [None] * len(actions)
    errors: list[BaseException] = []

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            start.wait()
            answers[index] = action()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [
        threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds)
    if errors:
        raise errors[0]
    assert not any(thread.is_alive() for thread in threads), f"Still running after {seconds} s"
    return answers
