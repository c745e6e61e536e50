"""In-app notifications and each person's choice of what they hear of, and how.

A notification is stored when its event happens and filtered when it is read: only what
the recipient may see now is listed or counted (a post made private, a comment removed, a
like taken back or a deactivated account drop out), and only the kinds they keep on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from planner.models import Comment, Like, Year
from planner.permissions import readable_by_others


class Kind(models.TextChoices):
    COMMENT = "comment", _("A comment on your post")
    REPLY = "reply", _("A reply to your comment")
    LIKE = "like", _("A like of your post")
    NEW_POST = "new_post", _("A new post by a writer you follow")


class NotificationQuerySet(models.QuerySet):
    def shown_to(self, user) -> NotificationQuerySet:
        """The person's notifications that they may see now, of the kinds they keep on."""
        kinds_on = Q()
        for kind in Kind:
            off = Q(**{f"recipient__notification_preferences__in_app_{kind}": False})
            kinds_on |= Q(kind=kind) & ~off
        return self.filter(
            kinds_on,
            readable_by_others("post"),
            Q(comment__isnull=True) | Q(comment__removed_at__isnull=True),
            ~Q(kind=Kind.LIKE) | Q(like__isnull=False),
            recipient_id=user.pk,
            actor__is_active=True,
        )

    def unread_count(self, user) -> int:
        """What the bell shows, in one query: unread items, a day's likes of a post as one."""
        return (
            self.shown_to(user)
            .filter(read_at__isnull=True)
            .aggregate(count=models.Count("group", distinct=True))["count"]
        )


class Notification(models.Model):
    """Something that happened that one person hears of: who did it, on which post."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    post = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="+", verbose_name=_("post")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("by"),
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comment"),
    )
    # Kept when the like is taken back (and then not shown), so that liking again on the
    # same day sends no second e-mail.
    like = models.ForeignKey(
        Like,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("like"),
    )
    # What the list shows as one item and the bell counts once: a post's likes of one day.
    group = models.CharField(_("shown together as"), max_length=64)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "-created_at"], name="notification_list")]
        constraints = [
            # A post is told to a follower once, however often the worker's task runs.
            models.UniqueConstraint(
                fields=["recipient", "post"],
                condition=models.Q(kind=Kind.NEW_POST),
                name="one_new_post_notice_per_follower",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"


class NotificationPreferences(models.Model):
    """What a person hears of in the app and by e-mail, per kind; no row means the defaults.

    E-mail about comments and replies also needs the account's older switch
    `email_on_comments` (docs/decisions/following-and-notifications.md).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    # The form's labels say more (readers/preferences.py); these name the columns in the admin.
    in_app_comment = models.BooleanField(_("comments, in the app"), default=True)
    email_comment = models.BooleanField(_("comments, by e-mail"), default=True)
    in_app_reply = models.BooleanField(_("replies, in the app"), default=True)
    email_reply = models.BooleanField(_("replies, by e-mail"), default=True)
    in_app_like = models.BooleanField(_("likes, in the app"), default=True)
    email_like = models.BooleanField(_("likes, by e-mail"), default=False)
    in_app_new_post = models.BooleanField(_("new posts, in the app"), default=True)
    email_new_post = models.BooleanField(_("new posts, by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def of(cls, user) -> NotificationPreferences:
        """The person's preferences, the defaults (unsaved) when they never chose."""
        return cls.objects.filter(user_id=user.pk).first() or cls(user_id=user.pk)

    def wants_email(self, kind: str) -> bool:
        return getattr(self, f"email_{kind}")
