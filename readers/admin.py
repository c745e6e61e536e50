from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .following import Follow
from .models import Subscription
from .notifications import Notification, NotificationPreferences

# --- E-mail subscriptions ----------------------------------------------------------------


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Read-only: addresses come and go through their owners' own links; staff may stop one."""

    list_display = ["email", "writer", "status", "stop_reason", "language", "requested_at"]
    list_filter = ["status", "stop_reason", "language"]
    search_fields = ["email", "writer__username"]
    list_select_related = ["writer"]
    date_hierarchy = "requested_at"
    actions = ["stop_mail"]
    fields = [
        "writer",
        "email",
        "language",
        "status",
        "stop_reason",
        "requested_at",
        "confirmed_at",
        "ended_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Stop all mail to these addresses"), permissions=["view"])
    def stop_mail(self, request, queryset) -> None:
        addresses = set(queryset.values_list("email", flat=True))
        stopped = sum(
            Subscription.objects.stop(email, Subscription.StopReason.STAFF) for email in addresses
        )
        count = len(addresses)
        self.message_user(
            request,
            ngettext(
                "Mail to %(count)d address is stopped (%(stopped)d subscriptions).",
                "Mail to %(count)d addresses is stopped (%(stopped)d subscriptions).",
                count,
            )
            % {"count": count, "stopped": stopped},
            messages.SUCCESS,
        )


# --- End of e-mail subscriptions ---------------------------------------------------------


# --- Following and notifications ---------------------------------------------------------


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["follower", "writer", "created_at"]
    search_fields = ["follower__username", "writer__username"]
    raw_id_fields = ["follower", "writer"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "post", "actor", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "actor__username"]
    raw_id_fields = ["recipient", "post", "actor", "comment", "like"]


@admin.register(NotificationPreferences)
class NotificationPreferencesAdmin(admin.ModelAdmin):
    list_display = ["user"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
