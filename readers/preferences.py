"""The form of what a person hears of, in the app and by e-mail, on their profile page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .notifications import NotificationPreferences


class NotificationPreferencesForm(forms.ModelForm):
    class Meta:
        model = NotificationPreferences
        fields = [
            "in_app_comment",
            "email_comment",
            "in_app_reply",
            "email_reply",
            "in_app_like",
            "email_like",
            "in_app_new_post",
            "email_new_post",
        ]
        labels = {
            "in_app_comment": _("Comments on my posts, in the notification list"),
            "email_comment": _("Comments on my posts, by e-mail"),
            "in_app_reply": _("Replies to my comments, in the notification list"),
            "email_reply": _("Replies to my comments, by e-mail"),
            "in_app_like": _("Likes of my posts, in the notification list"),
            "email_like": _("Likes of my posts, by e-mail (at most once a day per post)"),
            "in_app_new_post": _("New posts by writers I follow, in the notification list"),
            "email_new_post": _("New posts by writers I follow, by e-mail"),
        }
        help_texts = {
            "email_comment": _("Also needs “e-mail me about comments” above."),
            "email_reply": _("Also needs “e-mail me about comments” above."),
        }
