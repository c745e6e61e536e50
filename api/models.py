"""Personal access tokens for the JSON API, and the answers kept for retried creations."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from planner.models import AppliedChange

# A token reads "yl_<prefix>_<secret>": the prefix finds its row, the secret proves it.
TOKEN_START = "yl_"
PREFIX_LENGTH = 8


class Scope(models.TextChoices):
    READ = "read", _("Read: look, never change")
    WRITE = "write", _("Read and write: also add, change and delete")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class AccessTokenQuerySet(models.QuerySet):
    def live(self) -> AccessTokenQuerySet:
        """Neither revoked nor expired."""
        now = timezone.now()
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now), revoked_at=None)


class AccessToken(models.Model):
    """A personal access token: its secret is shown once and only its SHA-256 is kept.

    The secret has 256 bits of entropy, so a plain hash is enough: there is nothing to guess
    that a slow password hash would protect.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_tokens",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, unique=True, editable=False)
    secret_hash = models.CharField(_("secret's SHA-256"), max_length=64, editable=False)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope, default=Scope.READ)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({TOKEN_START}{self.prefix}_…)"

    @classmethod
    def issue(cls, owner, *, name: str, scope: str, expires_at=None) -> tuple[AccessToken, str]:
        """A new token and its full text, which is never stored and so shown only now."""
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        secret = secrets.token_urlsafe(32)
        token = cls.objects.create(
            owner=owner,
            name=name,
            prefix=prefix,
            secret_hash=digest(secret),
            scope=scope,
            expires_at=expires_at,
        )
        return token, f"{TOKEN_START}{prefix}_{secret}"

    @classmethod
    def find(cls, text: str) -> AccessToken | None:
        """The token this text is, revoked and expired ones included; None for no token."""
        start, _sep, rest = text.partition(TOKEN_START)
        prefix, _sep, secret = rest.partition("_")
        if start or len(prefix) != PREFIX_LENGTH or not secret:
            return None
        token = cls.objects.select_related("owner").filter(prefix=prefix).first()
        if token is None or not hmac.compare_digest(token.secret_hash, digest(secret)):
            return None
        return token

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def may_write(self) -> bool:
        return self.scope == Scope.WRITE

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


class KeptReply(models.Model):
    """What a creation sent with an Idempotency-Key answered, to answer its retries the same.

    The key itself is the offline queue's record (planner's AppliedChange): one per person.
    """

    change = models.OneToOneField(
        AppliedChange, on_delete=models.CASCADE, related_name="kept_reply", primary_key=True
    )
    status = models.PositiveSmallIntegerField(_("status"))
    body = models.JSONField(_("answer sent"))
    # SHA-256 of the method, the address and the body: a retry sends the same request.
    request_hash = models.CharField(_("request fingerprint"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("kept reply")
        verbose_name_plural = _("kept replies")

    def __str__(self) -> str:
        return f"{self.status} · {self.change}"
