from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .forms import apply_avatar, avatar_field
from .models import User


class AdminUserChangeForm(UserChangeForm):
    """An avatar set by staff goes through the photo pipeline, as the owner's own would."""

    avatar = avatar_field()

    @transaction.atomic
    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        apply_avatar(self, user)
        if commit:
            user.save()
        return user


class RefusedFormStatusAdmin(admin.ModelAdmin):
    """Answer a refused admin form with 422, like every other form of the site."""

    def render_change_form(self, request, context, *args, **kwargs):
        response = super().render_change_form(request, context, *args, **kwargs)
        if request.method == "POST" and context.get("errors"):
            response.status_code = 422
        return response


@admin.register(User)
class YearloopUserAdmin(RefusedFormStatusAdmin, UserAdmin):
    form = AdminUserChangeForm
    list_display = ["username", "display_name", "email", "is_staff", "is_active", "date_joined"]
    search_fields = ["username", "display_name", "email"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Profile"), {"fields": ["display_name", "bio", "avatar"]}),
    ]
