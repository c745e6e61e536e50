from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import normalized_email


class SubscribeForm(forms.Form):
    """An address to hear of a writer's new posts; the address alone, no account."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter the e-mail address that should get the mail."),
            "invalid": _("Enter an e-mail address such as name@example.com."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "subscribe-%s")
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = normalized_email(self.cleaned_data["email"])
        # Django's validator takes "localhost" (its allowlist): no mail of ours reaches it.
        if "." not in email.rpartition("@")[2]:
            raise ValidationError(
                _(
                    "Enter a whole address: the part after the @ needs a dot, "
                    "as in name@example.com."
                ),
                code="no_dot",
            )
        return email
