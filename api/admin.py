"""Access tokens in the admin: staff see who holds which (never a secret) and revoke one
that leaked; they cannot make one for somebody."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import AccessToken


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "owner",
        "scope",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["scope"]
    search_fields = ["name", "owner__username", "prefix"]
    readonly_fields = ["owner", "prefix", "created_at", "last_used_at", "revoked_at"]
    fields = [
        "owner",
        "name",
        "prefix",
        "scope",
        "expires_at",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # a token is made by its owner, who alone sees its secret

    @admin.action(description=_("Revoke the chosen tokens"))
    def revoke(self, request, queryset) -> None:
        count = 0
        for token in queryset.filter(revoked_at=None):
            token.revoke()
            count += 1
        message = ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
