"""Bounces and complaints from the mail provider stop the mail to an address."""

from __future__ import annotations

import base64
import json

import pytest
from django.urls import reverse

from readers.models import Subscription, SubscriptionStatus

pytestmark = pytest.mark.django_db

URL = reverse("readers:mail_events")
SECRET = "s3cret-for-the-provider"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.MAIL_EVENTS_SECRET = SECRET


@pytest.fixture
def two_writers(owner, reader):
    for writer in (owner, reader):
        Subscription.objects.create(
            writer=writer, email="fan@example.com", language="en", status="confirmed"
        )
    Subscription.objects.create(
        writer=owner, email="other@example.com", language="en", status="confirmed"
    )


def post(client, payload, auth=f"Bearer {SECRET}"):
    headers = {"HTTP_AUTHORIZATION": auth} if auth else {}
    return client.post(URL, json.dumps(payload), content_type="application/json", **headers)


def statuses():
    return dict(
        Subscription.objects.values_list("writer__username", "status").filter(
            email="fan@example.com"
        )
    )


def test_a_bounce_stops_every_subscription_of_the_address(client, two_writers):
    response = post(client, {"type": "bounce", "email": "Fan@Example.com"})

    assert response.status_code == 200
    assert response.json() == {"stopped": 2}
    assert statuses() == {"owner": "stopped", "reader": "stopped"}
    assert Subscription.objects.get(email="other@example.com").status == "confirmed"
    assert set(
        Subscription.objects.filter(email="fan@example.com").values_list("stop_reason", flat=True)
    ) == {"bounce"}


def test_a_postmark_hard_bounce_with_basic_authentication(client, two_writers):
    basic = "Basic " + base64.b64encode(f"postmark:{SECRET}".encode()).decode()
    payload = {"RecordType": "Bounce", "Type": "HardBounce", "Email": "fan@example.com"}

    assert post(client, payload, basic).status_code == 200
    assert statuses() == {"owner": "stopped", "reader": "stopped"}


def test_a_postmark_soft_bounce_changes_nothing(client, two_writers):
    payload = {"RecordType": "Bounce", "Type": "SoftBounce", "Email": "fan@example.com"}

    assert post(client, payload).json() == {"stopped": 0}
    assert statuses() == {"owner": "confirmed", "reader": "confirmed"}


def test_an_ses_complaint_through_sns(client, two_writers):
    message = {
        "notificationType": "Complaint",
        "complaint": {"complainedRecipients": [{"emailAddress": "fan@example.com"}]},
    }
    payload = {"Type": "Notification", "Message": json.dumps(message)}

    assert post(client, payload).json() == {"stopped": 2}
    assert set(
        Subscription.objects.filter(stop_reason="complaint").values_list("email", flat=True)
    ) == {"fan@example.com"}


def test_an_ses_transient_bounce_changes_nothing(client, two_writers):
    message = {
        "notificationType": "Bounce",
        "bounce": {
            "bounceType": "Transient",
            "bouncedRecipients": [{"emailAddress": "fan@example.com"}],
        },
    }
    assert post(client, {"Type": "Notification", "Message": json.dumps(message)}).status_code == 200
    assert statuses() == {"owner": "confirmed", "reader": "confirmed"}


@pytest.mark.parametrize(
    "auth", [None, "Bearer wrong", "Basic !!!", "Basic " + base64.b64encode(b"x:wrong").decode()]
)
def test_it_refuses_a_request_without_the_secret(client, two_writers, auth):
    response = post(client, {"type": "bounce", "email": "fan@example.com"}, auth)

    assert response.status_code == 401
    assert statuses() == {"owner": "confirmed", "reader": "confirmed"}


@pytest.mark.parametrize(
    "body", ["not json", json.dumps({"what": 1}), json.dumps({"type": "bounce", "email": 3})]
)
def test_it_refuses_what_it_cannot_read_with_a_400(client, two_writers, body):
    response = client.post(
        URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {SECRET}"
    )

    assert response.status_code == 400
    assert statuses() == {"owner": "confirmed", "reader": "confirmed"}


def test_it_is_not_there_without_a_secret_set(client, settings, two_writers):
    settings.MAIL_EVENTS_SECRET = ""

    assert post(client, {"type": "bounce", "email": "fan@example.com"}).status_code == 404


def test_a_stopped_address_gets_no_announcement(
    client, owner, two_writers, outbox, django_capture_on_commit_callbacks
):
    from planner.models import Visibility
    from tests.factory import make_year

    post(client, {"type": "complaint", "email": "fan@example.com"})
    with django_capture_on_commit_callbacks(execute=True):
        make_year(owner, year=2025, visibility=Visibility.PUBLIC)

    assert [m.to for m in outbox] == [["other@example.com"]]
    assert SubscriptionStatus.STOPPED in Subscription.objects.values_list("status", flat=True)
