from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from readers.models import Subscription, SubscriptionStatus


def link_in(message, path_part: str) -> str:
    """The path of the first link in a mail's text that contains `path_part`."""
    for url in re.findall(r"https?://\S+", message.body):
        if path_part in url:
            return urlsplit(url).path
    raise AssertionError(f"No link with {path_part!r} in {message.body!r}")


@pytest.fixture
def subscribed(owner):
    """A confirmed subscriber of the owner, in Korean."""
    return Subscription.objects.create(
        writer=owner, email="fan@example.com", language="ko", status=SubscriptionStatus.CONFIRMED
    )


@pytest.fixture
def outbox():
    mail.outbox.clear()
    return mail.outbox
