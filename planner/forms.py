from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from .models import MAX_YEAR, MIN_YEAR, Entry, Goal, Period, Photo, Year
from .photos import process_photo, validate_image_upload


def next_order(queryset) -> int:
    return (queryset.aggregate(top=Max("order"))["top"] or 0) + 1


class YearCreateForm(forms.ModelForm):
    class Meta:
        model = Year
        fields = ["year", "visibility"]
        widgets = {"year": forms.NumberInput(attrs={"min": MIN_YEAR, "max": MAX_YEAR})}

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.owner = owner

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise forms.ValidationError(
                _("Choose a year between %(min)s and %(max)s."),
                params={"min": MIN_YEAR, "max": MAX_YEAR},
            )
        if Year.objects.filter(owner=self.instance.owner, year=year).exists():
            raise forms.ValidationError(_("You already have %(year)s."), params={"year": year})
        return year


class YearForm(forms.ModelForm):
    class Meta:
        model = Year
        fields = ["title", "visibility", "intro", "summary"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 5}),
            "summary": forms.Textarea(attrs={"rows": 10}),
        }


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "done", "note", "target", "progress", "unit", "deadline", "is_private"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        target, progress = cleaned.get("target"), cleaned.get("progress")
        if target is not None and target <= 0:
            self.add_error("target", _("A target must be more than zero."))
        if progress is not None and target is None:
            self.add_error("target", _("Set a target to track progress toward it."))
        return cleaned

    def save(self, commit: bool = True) -> Goal:
        goal = super().save(commit=False)
        if goal._state.adding:
            goal.order = next_order(Goal.objects.filter(year=goal.year))
        if commit:
            goal.save()
        return goal


class PeriodForm(forms.ModelForm):
    class Meta:
        model = Period
        fields = ["retrospective"]
        widgets = {"retrospective": forms.Textarea(attrs={"rows": 8})}


class CheckedImageField(forms.ImageField):
    """An image upload checked by its content and against a size limit from settings."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/*"})

    def __init__(self, *args, max_bytes_setting: str = "PHOTO_MAX_BYTES", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes_setting = max_bytes_setting

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial:
            validate_image_upload(upload, getattr(settings, self.max_bytes_setting))
        return upload


class EntryForm(forms.ModelForm):
    photo = CheckedImageField(label=_("Photo"), required=False)
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)

    class Meta:
        model = Entry
        fields = ["title", "body", "is_private"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, period: Period, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.period = period
        if self.instance.pk:
            del self.fields["photo"], self.fields["caption"]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("caption") and not cleaned.get("photo") and "photo" not in self.errors:
            self.add_error(
                "photo", _("Choose a photo for this caption, or leave the caption empty.")
            )
        return cleaned

    @transaction.atomic
    def save(self, commit: bool = True) -> Entry:
        entry = super().save(commit=False)
        if entry._state.adding:
            entry.order = next_order(Entry.objects.filter(period=entry.period))
        entry.save()
        if upload := self.cleaned_data.get("photo"):
            Photo.objects.create(
                entry=entry, image=process_photo(upload), caption=self.cleaned_data["caption"]
            )
        return entry


class PhotoForm(forms.ModelForm):
    image = CheckedImageField(label=_("Photo"))

    class Meta:
        model = Photo
        fields = ["image", "caption"]

    def __init__(self, *args, entry: Entry, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.entry = entry

    def save(self, commit: bool = True) -> Photo:
        photo = super().save(commit=False)
        photo.image = process_photo(self.cleaned_data["image"])
        photo.order = next_order(Photo.objects.filter(entry=photo.entry))
        photo.save()
        return photo


class CaptionForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = ["caption"]
