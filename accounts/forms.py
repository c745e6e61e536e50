from __future__ import annotations

import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm, UsernameField
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from planner.forms import CheckedImageField
from planner.images import process_avatar
from planner.tasks import queue_email
from yearloop.storage import delete_file_on_commit

from .models import User

# Characters that reorder or hide the text around them: a name shown in pages and mails
# beside others' words must read as typed.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def one_line_name(name: str) -> str:
    """A display name on one line: no control characters, no direction overrides."""
    printable = "".join(" " if unicodedata.category(c) == "Cc" else c for c in name)
    return " ".join(printable.translate(BIDI_CONTROLS).split())


class DisplayNameCleaning:
    def clean_display_name(self) -> str:
        return one_line_name(self.cleaned_data["display_name"])


class SignupForm(DisplayNameCleaning, UserCreationForm):
    class Meta:
        model = User
        fields = ["username", "email", "display_name"]
        field_classes = {"username": UsernameField}
        # Browsers and password managers fill these in (the passwords say so in Django's form).
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _("Where a password reset link is sent.")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this e-mail address exists. Log in or reset its password."),
                code="email_taken",
            )
        return email

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].lower()
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(
                _("That username is taken. Please choose another."), code="taken"
            )
        return username


class ServedAvatar:
    """The stored avatar as the file input shows it: linked where the site serves it."""

    def __init__(self, file) -> None:
        self.name = file.name
        self.url = reverse("planner:avatar_file", args=[file.name.rsplit("/", 1)[-1]])

    def __str__(self) -> str:
        return self.name


class AvatarInput(forms.ClearableFileInput):
    # Media is never served from its storage address (/media/…), only through the app's views.
    def format_value(self, value):
        return ServedAvatar(value) if self.is_initial(value) else None


def avatar_field() -> CheckedImageField:
    return CheckedImageField(
        label=_("Avatar"),
        required=False,
        max_bytes_setting="AVATAR_MAX_BYTES",
        processor=process_avatar,  # decoded in full when checked; stored by save()
        widget=AvatarInput(attrs={"accept": "image/*"}),
    )


def apply_avatar(form: forms.ModelForm, user: User) -> None:
    """Give `user` the avatar the form checked, or none if cleared; the old file goes on commit."""
    if "avatar" not in form.changed_data:
        return
    if user.pk:
        delete_file_on_commit(User.objects.get(pk=user.pk).avatar)
    if upload := form.cleaned_data.get("avatar"):
        user.avatar = upload.processed


class ProfileForm(DisplayNameCleaning, forms.ModelForm):
    avatar = avatar_field()

    class Meta:
        model = User
        fields = [
            "display_name",
            "bio",
            "avatar",
            "email",
            "email_on_comments",
            "email_reminders",
            "keep_original_photos",
            "language",
        ]
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "language": forms.Select(attrs={"autocomplete": "language"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each language in its own name, so it can be found whatever the page's language.
        self.fields["language"].choices = [
            ("", _("Follow my browser")),
            *((code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES),
        ]

    @transaction.atomic
    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        apply_avatar(self, user)
        user.save()
        return user


class LocalizedPasswordResetForm(PasswordResetForm):
    """Password reset mail in the account's chosen language, else in the page's."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Queue the mail for the worker rather than wait for the mail server here."""
        language = context["user"].language or translation.get_language()
        with translation.override(language):
            subject = render_to_string(subject_template_name, context)
            text = render_to_string(email_template_name, context)
            html = ""
            if html_email_template_name:
                html = render_to_string(html_email_template_name, context)
        queue_email([to_email], subject, text, html)
