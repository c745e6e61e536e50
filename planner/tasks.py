"""Background work through django.tasks: in-process in development, a worker in production.

Mail is queued with `queue_email`, which enqueues once the surrounding transaction
commits, so nothing goes out for a write that was rolled back.
"""

from __future__ import annotations

import datetime
import email.policy
import io
import logging
import smtplib
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.core.management import call_command
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django_tasks_db import DatabaseBackend

logger = logging.getLogger(__name__)

# After a failed attempt the mail is tried again after these many seconds (about nine hours
# in all); after the last one it is recorded as failed for good, in the admin's task list.
EMAIL_RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 60 * 60, 6 * 60 * 60)


class SendingFailed(Exception):
    """One attempt failed and another is queued: the task row says when."""


def queue_email(
    to: list[str], subject: str, text: str, html: str = "", headers: dict | None = None
) -> None:
    """Send this mail from the worker once the current transaction commits.

    The Message-ID is fixed here, so every attempt sends the same message and a receiver
    can recognise one delivered twice (a worker killed between the mail server's answer
    and the record of it). `headers` are further header lines, such as List-Unsubscribe.
    """
    email = _email(to, subject, text, html, headers)
    transaction.on_commit(partial(send_email.enqueue, **email))


def queue_email_with_transaction(
    to: list[str], subject: str, text: str, html: str = "", headers: dict | None = None
) -> None:
    """As `queue_email`, but when the queue is this database the task row is written in the
    current transaction: it commits with the rows that record the mail as sent, or neither
    does, even if the process dies the instant after the commit. Elsewhere (the in-process
    backend, which would send at once) the mail still waits for the commit."""
    email = _email(to, subject, text, html, headers)
    if isinstance(send_email.get_backend(), DatabaseBackend):
        send_email.enqueue(**email)
    else:
        transaction.on_commit(partial(send_email.enqueue, **email))


def one_line(text: str) -> str:
    """A subject is one header line (and the mail's one-line title), whatever names and
    titles hold."""
    return " ".join(text.split())


def _email(to: list[str], subject: str, text: str, html: str, headers: dict | None) -> dict:
    message_id = make_msgid(domain=urlsplit(settings.SITE_URL).hostname)
    email = {
        "to": to,
        "subject": one_line(subject),
        "text": text,
        "html": html,
        "message_id": message_id,
    }
    if headers:
        email["headers"] = headers
    return email


@task
def send_email(
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    message_id: str = "",
    attempt: int = 1,
    headers: dict | None = None,
) -> None:
    """Send one e-mail from DEFAULT_FROM_EMAIL: plain text, with an HTML alternative if given."""
    lines = {**(headers or {}), **({"Message-ID": message_id} if message_id else {})}
    kind = UnfoldedHeadersEmail if headers else EmailMultiAlternatives
    message = kind(subject, text, to=to, headers=lines or None)
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        if not _worth_retrying(error) or attempt > len(EMAIL_RETRY_DELAYS):
            raise
        if not send_email.get_backend().supports_defer:
            raise  # the in-process backend of development cannot wait
        run_after = timezone.now() + datetime.timedelta(seconds=EMAIL_RETRY_DELAYS[attempt - 1])
        send_email.using(run_after=run_after).enqueue(
            to=to,
            subject=subject,
            text=text,
            html=html,
            message_id=message_id,
            attempt=attempt + 1,
            **({"headers": headers} if headers else {}),
        )
        raise SendingFailed(
            f"Attempt {attempt} failed ({error}); attempt {attempt + 1} is queued for "
            f"{run_after:%Y-%m-%d %H:%M:%S} UTC."
        ) from error


class UnfoldedHeadersEmail(EmailMultiAlternatives):
    """A mail whose header lines may run to RFC 5322's 998 characters before they fold.

    A header such as List-Unsubscribe holds one long address with no space to fold at;
    Python's email package would then write it as RFC 2047 encoded words (`=?utf-8?q?…`),
    which mail programs do not read in that header.
    """

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def forget_email_body(task_result) -> None:
    """Keep who a sent (or failed) mail went to and its subject, not its text: a password
    reset mail holds a link that logs in as its reader, and task rows stay in the admin."""
    db_result = getattr(task_result, "db_result", None)
    if db_result is None or task_result.task.func is not send_email.func:
        return
    arguments = task_result.kwargs  # queue_email and the retries pass keywords only
    kept = {
        key: arguments[key]
        for key in ("to", "subject", "message_id", "attempt")
        if key in arguments
    }
    type(db_result).objects.filter(pk=db_result.pk).update(args_kwargs={"args": [], "kwargs": kept})


def _worth_retrying(error: Exception) -> bool:
    """Connection trouble and the server's 4xx answers pass; a 5xx refusal stays a refusal."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return True


# The jobs the worker runs once a day (planner/schedule.py): management commands by name.
DAILY_JOBS = ("send_reminders", "purge_deleted")


@task
def run_daily_job(job: str) -> str:
    """Run one of the daily management commands; what it printed is the task's result."""
    if job not in DAILY_JOBS:
        raise ValueError(f"Not a daily job: {job!r}")
    output = io.StringIO()
    call_command(job, stdout=output)
    return output.getvalue().strip()
