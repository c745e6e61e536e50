"""Staff see e-mail subscriptions in the admin, read-only, and can stop an address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from readers.models import Subscription, SubscriptionStatus

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:readers_subscription_changelist")


def test_staff_see_the_addresses_and_cannot_edit_them(client, staff, subscribed):
    client.force_login(staff)

    listing = client.get(CHANGELIST)
    detail = client.get(reverse("admin:readers_subscription_change", args=[subscribed.pk]))
    changed = client.post(
        reverse("admin:readers_subscription_change", args=[subscribed.pk]),
        {"email": "other@example.com"},
    )

    assert listing.status_code == 200
    assert "fan@example.com" in listing.text
    assert detail.status_code == 200
    assert 'name="email"' not in detail.text
    assert changed.status_code == 403
    subscribed.refresh_from_db()
    assert subscribed.email == "fan@example.com"
    assert client.get(reverse("admin:readers_subscription_add")).status_code == 403


def test_staff_stop_all_mail_to_an_address(client, staff, subscribed, reader):
    other_writer = Subscription.objects.create(
        writer=reader, email="fan@example.com", language="en", status="confirmed"
    )
    client.force_login(staff)

    response = client.post(
        CHANGELIST,
        {"action": "stop_mail", "_selected_action": [subscribed.pk]},
        follow=True,
    )

    assert "Mail to 1 address is stopped (2 subscriptions)." in response.text
    for subscription in (subscribed, other_writer):
        subscription.refresh_from_db()
        assert (subscription.status, subscription.stop_reason) == (
            SubscriptionStatus.STOPPED,
            "staff",
        )


def test_others_do_not_get_in(client, reader, subscribed):
    client.force_login(reader)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
