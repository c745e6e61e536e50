"""Bounces and complaints reported by the mail provider: which addresses to stop mailing.

Accepted, as JSON posted to /subscriptions/mail-events/ with the shared secret
(MAIL_EVENTS_SECRET) as a bearer token or as the password of HTTP Basic authentication:

- this site's own form: {"type": "bounce" | "complaint", "email": "…"}, or a list of them;
- Postmark's bounce and spam-complaint webhooks (RecordType "Bounce" or "SpamComplaint");
- Amazon SES notifications through SNS (Type "Notification", its Message a "Bounce" or
  "Complaint"), and SES notifications posted as they are.

A bounce stops mail only when it is permanent (a hard bounce, an unknown mailbox); a
transient one (a full mailbox, a server down) does not. Anything else is ignored.
"""

from __future__ import annotations

import json
import logging

from .models import Subscription

logger = logging.getLogger(__name__)

BOUNCE, COMPLAINT = Subscription.StopReason.BOUNCE, Subscription.StopReason.COMPLAINT
POSTMARK_PERMANENT = {"HardBounce", "BadEmailAddress", "ManuallyDeactivated", "SpamComplaint"}


class UnknownEvent(ValueError):
    """Not a notification this site reads."""


def stops_in(payload: object) -> list[tuple[str, str]]:
    """(address, reason) for each address a notification says to stop mailing."""
    if isinstance(payload, list):
        return [stop for item in payload for stop in stops_in(item)]
    if not isinstance(payload, dict):
        raise UnknownEvent
    if "type" in payload and "email" in payload:
        return _own(payload)
    if "RecordType" in payload:
        return _postmark(payload)
    if payload.get("Type") in ("Notification", "SubscriptionConfirmation"):
        return _sns(payload)
    if "notificationType" in payload or "eventType" in payload:
        return _ses(payload)
    raise UnknownEvent


def _address(value: object) -> str:
    if not isinstance(value, str) or "@" not in value or len(value) > 254:
        raise UnknownEvent
    return value


def _own(payload: dict) -> list[tuple[str, str]]:
    kind = payload["type"]
    if kind not in (BOUNCE, COMPLAINT):
        raise UnknownEvent
    return [(_address(payload["email"]), kind)]


def _postmark(payload: dict) -> list[tuple[str, str]]:
    if payload["RecordType"] == "SpamComplaint":
        return [(_address(payload.get("Email")), COMPLAINT)]
    if payload["RecordType"] == "Bounce" and payload.get("Type") in POSTMARK_PERMANENT:
        return [(_address(payload.get("Email")), BOUNCE)]
    return []


def _sns(payload: dict) -> list[tuple[str, str]]:
    if payload["Type"] == "SubscriptionConfirmation":
        # Amazon asks once that the endpoint be confirmed: an operator opens this address.
        logger.warning(
            "Confirm the SNS subscription of mail events: %s", payload.get("SubscribeURL")
        )
        return []
    try:
        message = json.loads(payload.get("Message", ""))
    except (TypeError, ValueError):
        raise UnknownEvent from None
    return _ses(message) if isinstance(message, dict) else []


def _ses(message: dict) -> list[tuple[str, str]]:
    kind = message.get("notificationType") or message.get("eventType")
    if kind == "Bounce":
        bounce = message.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":
            return []
        recipients, reason = bounce.get("bouncedRecipients") or [], BOUNCE
    elif kind == "Complaint":
        recipients = (message.get("complaint") or {}).get("complainedRecipients") or []
        reason = COMPLAINT
    else:
        return []
    return [
        (_address(r.get("emailAddress") if isinstance(r, dict) else None), reason)
        for r in recipients
    ]
