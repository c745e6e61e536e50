"""Readers who come back: who follows whom, e-mail subscriptions, notifications."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .following import Follow  # noqa: F401
from .notifications import Notification, NotificationPreferences  # noqa: F401

# --- E-mail subscriptions (docs/decisions/email-subscriptions.md) ------------------------


def new_unsubscribe_key() -> str:
    return secrets.token_urlsafe(24)


def new_confirm_nonce() -> str:
    return secrets.token_urlsafe(12)


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
    STOPPED = "stopped", _("stopped by a bounce or complaint")


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self) -> SubscriptionQuerySet:
        """Subscriptions that get mail: confirmed, to a writer whose account is active."""
        return self.filter(status=SubscriptionStatus.CONFIRMED, writer__is_active=True)

    def stop(self, email: str, reason: str) -> int:
        """Stop every subscription of an address (a bounce, a complaint, staff): none is
        mailed again until the person subscribes again and confirms. How many were live."""
        live = ~Q(status=SubscriptionStatus.STOPPED) & ~Q(status=SubscriptionStatus.UNSUBSCRIBED)
        subscriptions = self.filter(email=normalized_email(email))
        count = subscriptions.filter(live).count()
        subscriptions.exclude(status=SubscriptionStatus.UNSUBSCRIBED).update(
            status=SubscriptionStatus.STOPPED,
            stop_reason=reason,
            ended_at=timezone.now(),
            confirm_nonce="",
        )
        return count


def normalized_email(email: str) -> str:
    """One spelling per address, so that one person is one subscriber of a writer."""
    return email.strip().lower()


class Subscription(models.Model):
    """An e-mail address that hears when a writer publishes a post, once confirmed.

    The address is never shown to the writer; staff see it in the admin.
    """

    class StopReason(models.TextChoices):
        BOUNCE = "bounce", _("the mail bounced")
        COMPLAINT = "complaint", _("marked as spam")
        STAFF = "staff", _("stopped by staff")

    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_subscriptions",
        verbose_name=_("writer"),
    )
    email = models.EmailField(_("subscriber's e-mail address"))
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        help_text=_("The language the address subscribed in: its mail is written in it."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SubscriptionStatus,
        default=SubscriptionStatus.PENDING,
    )
    stop_reason = models.CharField(
        _("why mail stopped"), max_length=10, choices=StopReason, blank=True
    )
    # In the link of the latest confirmation mail; emptied when mail stops, so that an old
    # confirmation link cannot start it again.
    confirm_nonce = models.CharField(max_length=32, default=new_confirm_nonce, editable=False)
    unsubscribe_key = models.CharField(
        max_length=64, unique=True, default=new_unsubscribe_key, editable=False
    )
    requested_at = models.DateTimeField(_("confirmation asked"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail subscription")
        verbose_name_plural = _("e-mail subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["writer", "email"], name="subscription_unique_email"),
        ]
        indexes = [models.Index(fields=["email"], name="subscription_email")]

    def __str__(self) -> str:
        return f"{self.email} → {self.writer}"

    def save(self, *args, **kwargs) -> None:
        self.email = normalized_email(self.email)
        super().save(*args, **kwargs)

    @property
    def is_confirmed(self) -> bool:
        return self.status == SubscriptionStatus.CONFIRMED


class Delivery(models.Model):
    """One announcement of one post to one subscription: written in the transaction that
    queues the mail, and unique, so a subscriber hears of a post once whatever happens."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    post = models.ForeignKey(
        "planner.Year", on_delete=models.CASCADE, related_name="email_deliveries"
    )
    run = models.UUIDField(editable=False)  # the task run that wrote it
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)

    class Meta:
        verbose_name = _("announcement sent")
        verbose_name_plural = _("announcements sent")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "post"], name="delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.post} → {self.subscription.email}"


# --- End of e-mail subscriptions ---------------------------------------------------------
