"""E-mail subscriptions to a writer: asking, confirming, the mails, stopping.

Double opt-in: an address gets nothing but the confirmation mail until its link is
followed; the link is signed and expires. Every mail carries a one-click unsubscribe
(RFC 8058). See docs/decisions/email-subscriptions.md.
"""

from __future__ import annotations

import datetime
import hashlib

from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from planner.markdown import plain_excerpt
from planner.models import Year
from planner.tasks import one_line, queue_email
from yearloop.site import absolute_url

from .models import Subscription, SubscriptionStatus, new_confirm_nonce

CONFIRM_MAX_AGE = datetime.timedelta(days=3)  # a confirmation link works this long
CONFIRM_SALT = "readers.subscription-confirm"
UNCONFIRMED_KEPT = datetime.timedelta(days=30)  # then purge_deleted forgets the address
EXCERPT_CHARS = 280


def confirm_token(subscription: Subscription) -> str:
    return signing.dumps([subscription.pk, subscription.confirm_nonce], salt=CONFIRM_SALT)


class LinkExpired(Exception):
    """A genuine confirmation link, older than CONFIRM_MAX_AGE."""


def subscription_to_confirm(writer: User, token: str) -> Subscription | None:
    """The subscription to `writer` a confirmation link is for; None for an altered link, or
    one that mail stopping (unsubscribe, bounce) made void. Raises LinkExpired."""
    try:
        pk, nonce = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not isinstance(nonce, str) or not nonce:
        return None
    return Subscription.objects.filter(pk=pk, writer=writer, confirm_nonce=nonce).first()


def request_subscription(writer: User, email: str, language: str) -> None:
    """Ask `email` to confirm a subscription to `writer`, unless it is confirmed already.

    The page says the same either way: nothing tells whether an address subscribes.
    """
    with transaction.atomic():
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            writer=writer, email=email, defaults={"language": language}
        )
        if created:
            queue_email(**confirmation_email(subscription))
            return
        if subscription.is_confirmed:
            return
        if subscription.status != SubscriptionStatus.PENDING or not subscription.confirm_nonce:
            subscription.confirm_nonce = new_confirm_nonce()
        subscription.status = SubscriptionStatus.PENDING
        subscription.stop_reason = ""
        subscription.language = language
        subscription.requested_at = timezone.now()
        subscription.save()
        queue_email(**confirmation_email(subscription))


def confirm(subscription: Subscription) -> None:
    if not subscription.is_confirmed:
        subscription.status = SubscriptionStatus.CONFIRMED
        subscription.confirmed_at = timezone.now()
        subscription.ended_at = None
        subscription.save(update_fields=["status", "confirmed_at", "ended_at"])


def unsubscribe(subscription: Subscription) -> None:
    """No more mail to this address from this writer; an earlier confirmation link dies."""
    if subscription.status in (SubscriptionStatus.PENDING, SubscriptionStatus.CONFIRMED):
        subscription.status = SubscriptionStatus.UNSUBSCRIBED
        subscription.ended_at = timezone.now()
        subscription.confirm_nonce = ""
        subscription.save(update_fields=["status", "ended_at", "confirm_nonce"])


def rate_key(email: str) -> str:
    """An address as a cache key's part: fixed length, nothing a cache could refuse."""
    return hashlib.sha256(email.encode()).hexdigest()[:32]


# --- The mails -------------------------------------------------------------------------


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute_url(reverse("readers:unsubscribe", args=[subscription.unsubscribe_key]))


def unsubscribe_headers(subscription: Subscription) -> dict:
    """RFC 2369 and RFC 8058: a mail program's own "Unsubscribe", one POST, no browser."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscription)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def confirmation_email(subscription: Subscription) -> dict:
    """The arguments of `queue_email`: the link that confirms, in the subscriber's language."""
    writer = subscription.writer
    with translation.override(subscription.language):
        subject = one_line(
            _("Confirm your subscription to %(name)s on Yearloop") % {"name": writer.name}
        )
        context = {
            "subject": subject,
            "writer": writer,
            "email": subscription.email,
            "confirm_url": absolute_url(
                reverse(
                    "readers:subscription_confirm",
                    args=[writer.username, confirm_token(subscription)],
                )
            ),
            "profile_url": absolute_url(writer.get_absolute_url()),
            "unsubscribe_url": unsubscribe_url(subscription),
            "days": CONFIRM_MAX_AGE.days,
        }
        return {
            "to": [subscription.email],
            "subject": subject,
            "text": render_to_string("readers/email/subscription_confirm.txt", context),
            "html": render_to_string("readers/email/subscription_confirm.html", context),
            "headers": unsubscribe_headers(subscription),
        }


def announcement_email(subscription: Subscription, post: Year) -> dict:
    """The arguments of `queue_email`: a post was published, in the subscriber's language."""
    writer = post.owner
    with translation.override(subscription.language):
        title = post.display_title
        subject = one_line(
            _("%(name)s published “%(title)s”") % {"name": writer.name, "title": title}
        )
        context = {
            "subject": subject,
            "writer": writer,
            "title": title,
            "excerpt": plain_excerpt(post.intro, EXCERPT_CHARS),
            "post_url": absolute_url(post.get_absolute_url()),
            "unsubscribe_url": unsubscribe_url(subscription),
        }
        return {
            "to": [subscription.email],
            "subject": subject,
            "text": render_to_string("readers/email/post_announcement.txt", context),
            "html": render_to_string("readers/email/post_announcement.html", context),
            "headers": unsubscribe_headers(subscription),
        }


def confirmed_count(writer: User) -> int:
    return Subscription.objects.filter(writer=writer, status=SubscriptionStatus.CONFIRMED).count()


def purge_unconfirmed(dry_run: bool = False) -> int:
    """Forget addresses that never confirmed, or left, over UNCONFIRMED_KEPT ago."""
    cutoff = timezone.now() - UNCONFIRMED_KEPT
    stale = Subscription.objects.filter(
        status=SubscriptionStatus.PENDING, requested_at__lt=cutoff
    ) | Subscription.objects.filter(status=SubscriptionStatus.UNSUBSCRIBED, ended_at__lt=cutoff)
    count = stale.count()
    if not dry_run:
        stale.delete()
    return count
