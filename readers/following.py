"""Who follows whom: a reader follows a writer to hear of their next post."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.db import IntegrityError, models
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _


class FollowQuerySet(models.QuerySet):
    def set(self, follower, writer, *, following: bool) -> None:
        """Follow a writer or stop; sending the same twice changes nothing (the unique
        constraint settles parallel requests, as for likes)."""
        if not following:
            self.filter(follower=follower, writer=writer).delete()
            return
        # IntegrityError: followed, and unfollowed, by parallel requests in between.
        with contextlib.suppress(IntegrityError):
            self.get_or_create(follower=follower, writer=writer)

    def follows(self, follower, writer) -> bool:
        """Whether `follower` (anyone, a visitor too) follows `writer`."""
        if not follower.is_authenticated:
            return False
        return self.filter(follower_id=follower.pk, writer_id=writer.pk).exists()

    def summary(self, writer, viewer) -> tuple[int, bool]:
        """How many active people follow a writer, and whether `viewer` does, in one query."""
        figures = self.filter(writer=writer, follower__is_active=True).aggregate(
            count=Count("pk"), mine=Count("pk", filter=Q(follower_id=viewer.pk))
        )
        return figures["count"], figures["mine"] > 0


class Follow(models.Model):
    """One reader following one writer; nobody follows themself (the database refuses it)."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="following",
        verbose_name=_("follower"),
    )
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="followers",
        verbose_name=_("writer"),
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["follower", "writer"], name="follow_once"),
            models.CheckConstraint(condition=~Q(follower=F("writer")), name="follow_not_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.follower} → {self.writer}"
