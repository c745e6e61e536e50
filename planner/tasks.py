"""Background work through django.tasks: in-process by default, a worker in production.

Enqueue from `transaction.on_commit`, so nothing goes out for a write that was rolled back.
"""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task
def send_email(to: list[str], subject: str, text: str, html: str = "") -> None:
    """Send one e-mail from DEFAULT_FROM_EMAIL: plain text, with an HTML alternative if given."""
    message = EmailMultiAlternatives(subject, text, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
