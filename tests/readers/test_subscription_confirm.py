"""The confirmation link: a page with a button, then subscribed; expired or altered links."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from readers.models import Subscription, SubscriptionStatus
from readers.subscriptions import confirm_token, request_subscription, unsubscribe
from tests.factory import make_user

from .conftest import link_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(owner, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_subscription(owner, "fan@example.com", "en")
    return Subscription.objects.get()


def confirm_url(subscription: Subscription, username: str = "owner") -> str:
    return reverse("readers:subscription_confirm", args=[username, confirm_token(subscription)])


def test_opening_the_link_changes_nothing_until_the_button_is_pressed(client, pending, outbox):
    url = link_in(outbox[0], "/subscribe/confirm/")

    page = client.get(url)

    assert page.status_code == 200
    assert "Send fan@example.com a mail whenever Olivia Owner publishes a post?" in page.text
    pending.refresh_from_db()
    assert pending.status == SubscriptionStatus.PENDING

    confirmed = client.post(url, follow=True)

    assert confirmed.status_code == 200
    assert "You are subscribed" in confirmed.text
    pending.refresh_from_db()
    assert pending.status == SubscriptionStatus.CONFIRMED
    assert pending.confirmed_at is not None


def test_a_second_press_keeps_it_confirmed(client, pending):
    url = confirm_url(pending)
    client.post(url)
    response = client.post(url, follow=True)

    assert "You are subscribed" in response.text
    assert Subscription.objects.get().status == SubscriptionStatus.CONFIRMED


def test_an_expired_link_offers_to_subscribe_again(client, pending):
    url = confirm_url(pending)
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=4)):
        response = client.get(url)
        pressed = client.post(url)

    assert response.status_code == pressed.status_code == 410
    assert "The link has expired" in response.text
    assert f'action="{reverse("readers:subscribe", args=["owner"])}"' in response.text
    assert Subscription.objects.get().status == SubscriptionStatus.PENDING


@pytest.mark.parametrize(
    "change",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "x" * 40,
        lambda token: "not:a:token",
    ],
)
def test_an_altered_link_is_refused_with_an_offer_to_subscribe(client, pending, change):
    url = reverse("readers:subscription_confirm", args=["owner", change(confirm_token(pending))])

    response = client.post(url)

    assert response.status_code == 404
    assert "This confirmation link does not work" in response.text
    assert f'action="{reverse("readers:subscribe", args=["owner"])}"' in response.text
    assert Subscription.objects.get().status == SubscriptionStatus.PENDING


def test_a_link_for_another_writer_is_refused(client, pending):
    make_user("other")
    response = client.post(confirm_url(pending, "other"))

    assert response.status_code == 404
    assert Subscription.objects.get().status == SubscriptionStatus.PENDING


def test_unsubscribing_voids_an_earlier_confirmation_link(client, pending):
    url = confirm_url(pending)
    unsubscribe(pending)

    response = client.post(url)

    assert response.status_code == 404
    assert Subscription.objects.get().status == SubscriptionStatus.UNSUBSCRIBED


def test_a_stopped_address_needs_a_fresh_confirmation(
    client, owner, pending, outbox, django_capture_on_commit_callbacks
):
    old_url = confirm_url(pending)
    Subscription.objects.stop("fan@example.com", Subscription.StopReason.BOUNCE)
    assert client.post(old_url).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        request_subscription(owner, "fan@example.com", "ko")
    pending.refresh_from_db()
    assert pending.status == SubscriptionStatus.PENDING
    assert client.post(link_in(outbox[-1], "/subscribe/confirm/")).status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.language) == (SubscriptionStatus.CONFIRMED, "ko")
