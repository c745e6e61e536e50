"""What a task worker does beside running tasks: say it is alive, take over the tasks of a
worker that died, and start the daily jobs (planner/schedule.py).

django-tasks-db marks a task RUNNING while a worker runs it; a worker killed meanwhile
would leave it so for ever. Each worker records a heartbeat, and a RUNNING task whose
worker has not been seen for TASK_WORKER_LOST_AFTER seconds is made READY again, to run
once more on any worker.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat
from .schedule import start_due_jobs

logger = logging.getLogger(__name__)


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"last_seen": timezone.now()},
        create_defaults={
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "last_seen": timezone.now(),
        },
    )


def requeue_abandoned(now: datetime.datetime | None = None) -> int:
    """Make the tasks of workers lost from sight READY again; how many were."""
    now = now or timezone.now()
    alive_since = now - datetime.timedelta(seconds=settings.TASK_WORKER_LOST_AFTER)
    alive = set(
        WorkerHeartbeat.objects.filter(last_seen__gte=alive_since).values_list(
            "worker_id", flat=True
        )
    )
    requeued = 0
    for task in DBTaskResult.objects.running().only("id", "worker_ids"):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue
        # Only if still RUNNING: another worker may have requeued or finished it meanwhile.
        requeued += DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, worker_ids=task.worker_ids
        ).update(status=TaskResultStatus.READY, started_at=None)
    if requeued:
        logger.warning("Queued again %d task(s) of a worker that stopped.", requeued)
    WorkerHeartbeat.objects.filter(last_seen__lt=alive_since).delete()
    return requeued


def look_after(worker_id: str) -> None:
    """One round: the heartbeat, abandoned tasks, the daily jobs."""
    beat(worker_id)
    requeue_abandoned()
    for job in start_due_jobs():
        logger.info("Started the daily job %s.", job)


class Housekeeper(threading.Thread):
    """Runs `look_after` every few seconds beside the worker's loop, until stopped."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="housekeeper", daemon=True)
        self.worker_id = worker_id
        self.interval = max(1.0, settings.TASK_WORKER_LOST_AFTER / 4)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                look_after(self.worker_id)
            except DatabaseError:
                logger.exception("The worker's housekeeping failed; trying again shortly.")
            self.stopped.wait(self.interval)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)
