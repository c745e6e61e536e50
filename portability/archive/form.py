"""The form on the settings page that takes an archive to import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ArchiveImportForm(forms.Form):
    archive = forms.FileField(
        label=_("Archive (.zip)"),
        help_text=_(
            "A file from “Download everything”, here or on another Yearloop site. Importing "
            "the same archive again updates what it brought instead of adding copies."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
