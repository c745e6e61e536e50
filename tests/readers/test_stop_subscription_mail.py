from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from readers.models import Subscription

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("stop_subscription_mail", *args, stdout=out)
    return out.getvalue()


def test_it_stops_an_address_and_says_so(subscribed):
    assert run("--dry-run", "FAN@example.com") == "Would stop 1 subscriptions of 1 addresses.\n"
    subscribed.refresh_from_db()
    assert subscribed.status == "confirmed"

    assert run("--reason", "complaint", "fan@example.com") == (
        "Stopped 1 subscriptions of 1 addresses.\n"
    )
    subscribed.refresh_from_db()
    assert (subscribed.status, subscribed.stop_reason) == ("stopped", "complaint")


def test_it_refuses_something_that_is_no_address(subscribed):
    with pytest.raises(CommandError, match="Not an e-mail address"):
        run("nope")


def test_purge_forgets_addresses_never_confirmed_or_unsubscribed_after_30_days(owner, subscribed):
    old = timezone.now() - datetime.timedelta(days=31)
    Subscription.objects.create(
        writer=owner, email="never@example.com", language="en", requested_at=old
    )
    Subscription.objects.create(writer=owner, email="recent@example.com", language="en")
    Subscription.objects.create(
        writer=owner, email="left@example.com", language="en", status="unsubscribed", ended_at=old
    )
    out = io.StringIO()

    call_command("purge_deleted", stdout=out)

    assert "Deleted 2 e-mail subscriptions never confirmed or ended." in out.getvalue()
    assert sorted(Subscription.objects.values_list("email", flat=True)) == [
        "fan@example.com",
        "recent@example.com",
    ]
