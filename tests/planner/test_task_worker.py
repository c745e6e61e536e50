"""E-mail and the daily jobs through the task worker, as in production: queued in the
database, sent by `run_worker`, tried again while the mail server says "later", and sent
once even when workers run side by side or one is killed."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.files.storage import default_storage
from django.db import connection
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from planner.models import ScheduledRun, Visibility, WorkerHeartbeat
from planner.schedule import start_due_jobs
from planner.tasks import EMAIL_RETRY_DELAYS, queue_email
from planner.worker import requeue_abandoned
from tests.factory import make_comment, make_entry, make_goal, make_photo, make_user, make_year
from tests.mail_server import MailServer
from tests.test_production import PRODUCTION, manage

ROOT = Path(__file__).resolve().parent.parent.parent
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SEND_EMAIL = "planner.tasks.send_email"


@pytest.fixture
def queued(settings, monkeypatch):
    """Tasks go to the database, as in production, instead of running in the request.

    The worker closes connections between tasks, as a request does; here that would close
    the test's own transaction under it.
    """
    settings.TASKS = DATABASE_TASKS
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture
def smtp(settings):
    """A mail server on loopback that the app sends to; tests set its answer."""
    with MailServer() as server:
        settings.MAILERS = server.mailers()
        yield server


def run_queued_tasks() -> None:
    """What one worker does with the tasks that are ready now; returns when none is left."""
    db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def statuses() -> list[tuple[str, str]]:
    return list(DBTaskResult.objects.order_by("enqueued_at").values_list("task_path", "status"))


# Production settings


def test_production_settings_queue_tasks_in_the_database():
    shown = manage(
        "shell",
        "-v0",
        "-c",
        "from django.conf import settings; print(settings.TASKS)",
        **PRODUCTION,
    )

    assert shown.returncode == 0, shown.stderr
    assert "'django_tasks_db.DatabaseBackend'" in shown.stdout


@pytest.mark.django_db
def test_no_mail_is_sent_inside_a_request(
    queued, client, owner, reader, django_capture_on_commit_callbacks
):
    post = make_year(owner, year=2025, visibility=Visibility.PUBLIC)
    make_comment(post, owner, body="A first word")
    client.force_login(reader)

    with django_capture_on_commit_callbacks(execute=True):
        commented = client.post(
            reverse("planner:comment_create", args=[owner.username, 2025]), {"body": "Bravo!"}
        )
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "reader@example.com"})

    assert commented.status_code == 302
    assert mail.outbox == []
    assert statuses() == [(SEND_EMAIL, "READY"), (SEND_EMAIL, "READY")]

    run_queued_tasks()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "owner@example.com",
        "reader@example.com",
    ]
    assert statuses() == [(SEND_EMAIL, "SUCCESSFUL"), (SEND_EMAIL, "SUCCESSFUL")]


@pytest.mark.django_db
def test_a_deleted_photos_files_are_removed_by_the_worker(
    queued, owner, django_capture_on_commit_callbacks
):
    photo = make_photo(make_entry(make_year(owner)))
    names = photo.stored_names()

    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    kept_until_the_worker_runs = all(default_storage.exists(name) for name in names)
    run_queued_tasks()

    assert kept_until_the_worker_runs
    assert not any(default_storage.exists(name) for name in names)


@pytest.mark.django_db
def test_a_sent_mail_leaves_no_text_in_the_task_list(
    queued, client, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "owner@example.com"})
    queued_text = DBTaskResult.objects.get().args_kwargs["kwargs"]["text"]

    run_queued_tasks()

    [message] = mail.outbox
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    assert link in queued_text  # needed until it is sent, and not after
    stored = DBTaskResult.objects.get().args_kwargs
    assert "reset" not in str(stored)
    assert stored["kwargs"]["to"] == ["owner@example.com"]
    assert stored["kwargs"]["subject"] == message.subject


# Retries


def queue_one(capture) -> None:
    with capture(execute=True):
        queue_email(["owner@example.com"], "Hello", "Just a note.")


@pytest.mark.django_db
def test_a_mail_the_server_defers_is_tried_again_later_then_recorded_as_failed(
    queued, smtp, django_capture_on_commit_callbacks
):
    smtp.answer = "451 4.3.0 Try again later"
    with time_machine.travel("2026-03-02 10:00", tick=False) as clock:
        queue_one(django_capture_on_commit_callbacks)
        for delay in (*EMAIL_RETRY_DELAYS, None):
            run_queued_tasks()
            if delay:
                clock.shift(datetime.timedelta(seconds=delay - 1))
                run_queued_tasks()  # a second early: the next try still waits
                assert DBTaskResult.objects.filter(status="READY").count() == 1
                clock.shift(datetime.timedelta(seconds=1))

    # A retry is queued in the same instant its attempt fails: the attempt orders them.
    tries = sorted(DBTaskResult.objects.all(), key=attempt_of)
    assert [attempt_of(task) for task in tries] == [1, 2, 3, 4, 5, 6]
    assert [task.status for task in tries] == ["FAILED"] * 6
    assert [task.exception_class_path for task in tries] == ["planner.tasks.SendingFailed"] * 5 + [
        "smtplib.SMTPDataError"
    ]
    assert "Attempt 1 failed" in tries[0].traceback
    assert smtp.messages == []


def attempt_of(task: DBTaskResult) -> int:
    return task.args_kwargs["kwargs"].get("attempt", 1)


@pytest.mark.django_db
def test_a_retried_mail_arrives_once_with_its_first_message_id(
    queued, smtp, django_capture_on_commit_callbacks
):
    smtp.answer = "451 4.3.0 Try again later"
    queue_one(django_capture_on_commit_callbacks)
    message_id = DBTaskResult.objects.get().args_kwargs["kwargs"]["message_id"]
    with time_machine.travel(timezone.now(), tick=False) as clock:
        run_queued_tasks()
        smtp.answer = "250 OK"
        clock.shift(datetime.timedelta(seconds=EMAIL_RETRY_DELAYS[0]))
        run_queued_tasks()

    assert smtp.message_ids() == [message_id]
    assert [task.status for task in sorted(DBTaskResult.objects.all(), key=attempt_of)] == [
        "FAILED",
        "SUCCESSFUL",
    ]


@pytest.mark.django_db
def test_a_mail_the_server_refuses_is_not_tried_again(
    queued, smtp, django_capture_on_commit_callbacks
):
    smtp.answer = "550 5.1.1 No such mailbox"
    queue_one(django_capture_on_commit_callbacks)
    run_queued_tasks()

    [task] = DBTaskResult.objects.all()
    assert (task.status, task.exception_class_path) == ("FAILED", "smtplib.SMTPDataError")


@pytest.mark.django_db
def test_staff_see_a_failed_mail_in_the_admin(
    queued, smtp, client, staff, django_capture_on_commit_callbacks
):
    smtp.answer = "550 5.1.1 No such mailbox"
    queue_one(django_capture_on_commit_callbacks)
    run_queued_tasks()
    client.force_login(staff)

    listed = client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    task = DBTaskResult.objects.get()
    shown = client.get(f"/admin/django_tasks_database/dbtaskresult/{task.pk}/change/")

    assert listed.status_code == 200
    assert "send_email" in listed.text
    assert "owner@example.com" in listed.text and "Hello" in listed.text
    assert "5.1.1 No such mailbox" in shown.text


# The daily jobs


@pytest.mark.django_db
def test_the_daily_jobs_start_once_a_day_at_their_hour(
    settings, queued, django_capture_on_commit_callbacks
):
    settings.DAILY_JOBS_HOUR = 7
    ScheduledRun.objects.create(job="send_reminders", day=datetime.date(2026, 3, 1))
    ScheduledRun.objects.create(job="purge_deleted", day=datetime.date(2026, 3, 1))

    with django_capture_on_commit_callbacks(execute=True):
        early = start_due_jobs(datetime.datetime(2026, 3, 2, 6, 59, tzinfo=datetime.UTC))
        on_time = start_due_jobs(datetime.datetime(2026, 3, 2, 7, 0, tzinfo=datetime.UTC))
        again = start_due_jobs(datetime.datetime(2026, 3, 2, 18, 0, tzinfo=datetime.UTC))

    assert (early, on_time, again) == ([], ["send_reminders", "purge_deleted"], [])
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_a_day_missed_is_caught_up_at_once(settings, queued):
    settings.DAILY_JOBS_HOUR = 7
    ScheduledRun.objects.create(job="send_reminders", day=datetime.date(2026, 2, 27))

    started = start_due_jobs(datetime.datetime(2026, 3, 2, 0, 30, tzinfo=datetime.UTC))

    assert started == ["send_reminders", "purge_deleted"]


# A worker that died


@pytest.mark.django_db
def test_the_task_of_a_worker_no_longer_seen_is_queued_again(settings):
    settings.TASK_WORKER_LOST_AFTER = 60
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="alive", host="a", pid=1, last_seen=now)
    WorkerHeartbeat.objects.create(
        worker_id="silent", host="b", pid=2, last_seen=now - datetime.timedelta(seconds=61)
    )
    running = {"status": TaskResultStatus.RUNNING, "backend_name": "default", "run_after": now}
    kept = DBTaskResult.objects.create(
        task_path=SEND_EMAIL, args_kwargs={}, worker_ids=["alive"], **running
    )
    lost = DBTaskResult.objects.create(
        task_path=SEND_EMAIL, args_kwargs={}, worker_ids=["alive", "silent"], **running
    )

    assert requeue_abandoned(now) == 1

    kept.refresh_from_db()
    lost.refresh_from_db()
    assert (kept.status, lost.status) == ("RUNNING", "READY")
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]


# Real worker processes


def start_worker(server: MailServer) -> subprocess.Popen:
    """`manage.py run_worker` against the test database, sending to `server`."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{database['NAME']}"
    else:
        url = (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        )
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(server.port),
        "EMAIL_USE_TLS": "0",
        "TASK_WORKER_LOST_AFTER": "5",
        "DAILY_JOBS_HOUR": "0",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "manage.py", "run_worker", "--interval", "0.2", "-v0"]
    return subprocess.Popen(command, cwd=ROOT, env=environment)


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def all_done() -> bool:
    unfinished = [TaskResultStatus.READY, TaskResultStatus.RUNNING]
    return (
        DBTaskResult.objects.exists()
        and not DBTaskResult.objects.filter(status__in=unfinished).exists()
    )


def stop(*workers: subprocess.Popen) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_a_reminder_once():
    owner = make_user("owner", email="owner@example.com")
    today = timezone.localdate()
    make_goal(make_year(owner, year=today.year), title="Run a 10K", deadline=today)

    with MailServer() as server:
        workers = [start_worker(server), start_worker(server)]
        try:
            wait_for(lambda: WorkerHeartbeat.objects.count() == 2)
            wait_for(lambda: ScheduledRun.objects.count() == 2 and all_done() and server.messages)
            time.sleep(2)  # several more rounds of both workers
        finally:
            stop(*workers)

    # The deadline's mail, and in early December the year's review too: each once.
    sent = [(message["To"], message["Subject"]) for message in server.messages]
    assert len(sent) == len(set(sent))
    assert [subject for _to, subject in sent if "Run a 10K" in subject] == ["Due today: Run a 10K"]
    assert sorted(ScheduledRun.objects.values_list("job", flat=True)) == [
        "purge_deleted",
        "send_reminders",
    ]
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()


@pytest.mark.django_db(transaction=True)
def test_mail_queued_when_the_worker_is_killed_is_sent_once_after_a_restart(settings):
    settings.TASKS = DATABASE_TASKS
    ScheduledRun.objects.bulk_create(
        ScheduledRun(job=job, day=timezone.localdate())
        for job in ("send_reminders", "purge_deleted")
    )
    for number in range(8):
        queue_email([f"reader{number}@example.com"], f"Note {number}", "Hello.")
    queued_ids = {task.args_kwargs["kwargs"]["message_id"] for task in DBTaskResult.objects.all()}

    with MailServer(delay=0.4) as server:
        first = start_worker(server)
        try:
            wait_for(lambda: len(server.messages) >= 2 and server.receiving.is_set())
            first.send_signal(signal.SIGKILL)  # in the middle of a message
            first.wait(timeout=10)
        finally:
            first.kill()
        interrupted = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
        sent_before = len(server.messages)

        second = start_worker(server)
        try:
            wait_for(all_done)
        finally:
            stop(second)

    assert interrupted == 1
    assert 2 <= sent_before < 8
    assert sorted(server.message_ids()) == sorted(queued_ids)  # each once, none lost
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
