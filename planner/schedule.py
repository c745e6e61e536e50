"""The daily jobs, started by the task workers themselves: no cron needed.

Every worker calls `start_due_jobs` now and then. A job is due once the day's hour has come
(DAILY_JOBS_HOUR in TIME_ZONE), or at once when it did not run yesterday (the site was
down), so a missed day is caught up on start. The `ScheduledRun` row per job and day is the
lock: only the worker whose insert succeeds enqueues the job, however many run.
"""

from __future__ import annotations

import datetime
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledRun
from .tasks import DAILY_JOBS, run_daily_job


def start_due_jobs(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue each daily job that is due and not yet started today; the jobs it started."""
    now = timezone.localtime(now)
    started = []
    for job in DAILY_JOBS:
        if _is_due(job, now) and _claim(job, now.date()):
            started.append(job)
    return started


def _is_due(job: str, now: datetime.datetime) -> bool:
    runs = ScheduledRun.objects.filter(job=job)
    if runs.filter(day=now.date()).exists():
        return False
    missed_yesterday = not runs.filter(day=now.date() - datetime.timedelta(days=1)).exists()
    return now.hour >= settings.DAILY_JOBS_HOUR or missed_yesterday


def _claim(job: str, day: datetime.date) -> bool:
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job, day=day)
            transaction.on_commit(partial(run_daily_job.enqueue, job))
    except IntegrityError:
        return False  # another worker started it a moment ago
    return True
