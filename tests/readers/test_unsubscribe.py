"""Unsubscribing: one click from the mail program (RFC 8058), or a page with a button."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from readers.models import Subscription, SubscriptionStatus

pytestmark = pytest.mark.django_db


def unsubscribe_url(subscription: Subscription) -> str:
    return reverse("readers:unsubscribe", args=[subscription.unsubscribe_key])


def test_a_one_click_post_without_cookies_or_token_unsubscribes(subscribed):
    mail_program = Client(enforce_csrf_checks=True)

    response = mail_program.post(
        unsubscribe_url(subscribed),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    subscribed.refresh_from_db()
    assert subscribed.status == SubscriptionStatus.UNSUBSCRIBED
    assert subscribed.ended_at is not None


def test_opening_the_link_changes_nothing_and_offers_a_button(client, subscribed):
    response = client.get(unsubscribe_url(subscribed))

    assert response.status_code == 200
    assert (
        "Stop sending fan@example.com a mail when Olivia Owner publishes a post?" in response.text
    )
    assert '<button type="submit" class="button button-primary">Unsubscribe</button>' in (
        response.text
    )
    subscribed.refresh_from_db()
    assert subscribed.status == SubscriptionStatus.CONFIRMED


def test_the_button_unsubscribes_and_says_so(client, subscribed):
    response = client.post(unsubscribe_url(subscribed), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "fan@example.com gets no more mail about Olivia Owner" in response.text
    assert reverse("readers:subscribe", args=["owner"]) in response.text
    subscribed.refresh_from_db()
    assert subscribed.status == SubscriptionStatus.UNSUBSCRIBED


def test_unsubscribing_twice_is_fine(client, subscribed):
    client.post(unsubscribe_url(subscribed))
    response = client.post(unsubscribe_url(subscribed))

    assert response.status_code == 200
    assert Subscription.objects.get().status == SubscriptionStatus.UNSUBSCRIBED


def test_a_stopped_subscription_stays_stopped(client, subscribed):
    Subscription.objects.stop("fan@example.com", Subscription.StopReason.COMPLAINT)

    client.post(unsubscribe_url(subscribed))

    subscribed.refresh_from_db()
    assert (subscribed.status, subscribed.stop_reason) == (SubscriptionStatus.STOPPED, "complaint")


@pytest.mark.parametrize("key", ["unknown", "x" * 500])
def test_an_unknown_link_gets_a_clear_404(client, subscribed, key):
    url = reverse("readers:unsubscribe", args=[key])

    for response in (client.get(url), client.post(url, {"List-Unsubscribe": "One-Click"})):
        assert response.status_code == 404
        assert "This unsubscribe link is not known" in response.text
    subscribed.refresh_from_db()
    assert subscribed.status == SubscriptionStatus.CONFIRMED


def test_it_unsubscribes_from_one_writer_only(client, subscribed, reader):
    other = Subscription.objects.create(
        writer=reader, email="fan@example.com", language="en", status="confirmed"
    )

    client.post(unsubscribe_url(subscribed))

    other.refresh_from_db()
    assert other.status == SubscriptionStatus.CONFIRMED
