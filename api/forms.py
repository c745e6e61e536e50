from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AccessToken, Scope


class AccessTokenForm(forms.Form):
    """A new token; the current password asked again, as a token opens the account to
    whatever holds it."""

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What uses it, to recognise it later: “running log script”."),
    )
    scope = forms.ChoiceField(
        label=_("What the token may do"),
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
    )
    expires_on = forms.DateField(
        label=_("Token expiry date"),
        required=False,
        help_text=_("Optional. The token stops working at the start of this day."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.owner.check_password(password):
            raise forms.ValidationError(_("This is not your current password."))
        return password

    def clean_expires_on(self) -> datetime.date | None:
        day = self.cleaned_data["expires_on"]
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError(_("Choose an expiry date after today."))
        return day

    def save(self) -> tuple[AccessToken, str]:
        day = self.cleaned_data["expires_on"]
        expires_at = None
        if day is not None:
            midnight = datetime.datetime.combine(day, datetime.time())
            expires_at = timezone.make_aware(midnight)
        return AccessToken.issue(
            self.owner,
            name=self.cleaned_data["name"],
            scope=self.cleaned_data["scope"],
            expires_at=expires_at,
        )
