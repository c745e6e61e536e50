from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import normalize_newlines
from django.utils.translation import gettext_lazy as _

from . import post_cache
from .areas import suggested_area
from .images import check_and_process, exif_time, process_photo
from .models import (
    MAX_YEAR,
    MIN_YEAR,
    Answer,
    Area,
    CalendarFeed,
    Comment,
    DefaultArea,
    Direction,
    Entry,
    Goal,
    GoalUpdate,
    OwnQuestion,
    Period,
    Photo,
    ProgressKind,
    Year,
    title_key,
)
from .reflection import built_in_questions, question_set_of


def text_version(text: str) -> str:
    """The version of a text as an editor loaded it: saving checks it is still current."""
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def save_if_unchanged(obj, field: str, stored: str, new: str, **also) -> bool:
    """Write a text (and the fields in `also`) only if it is still `stored`: compare and
    set in one statement.

    Of two saves in the same instant one wins and the other sees a conflict, on SQLite
    and PostgreSQL alike. True when the text now is `new`.
    """
    model = type(obj)
    changes = {field: new, **also}
    for model_field in model._meta.concrete_fields:
        if getattr(model_field, "auto_now", False):
            changes[model_field.attname] = model_field.pre_save(obj, add=False)
    if model._base_manager.filter(pk=obj.pk, **{field: stored}).update(**changes):
        for name, value in changes.items():
            setattr(obj, name, value)
        post_cache.changed(obj)
        return True
    obj.refresh_from_db(fields=[field])
    return getattr(obj, field) == new


class VersionChecked:
    """A ModelForm's text saved only if it is still the version the person started from.

    `base` carries that version (`text_version`). When the stored text has changed since
    and differs from what is sent, the form is invalid and `conflict` holds the stored
    text; `save_checked` writes with a compare-and-set (`save_if_unchanged`), so a change
    between the check and the write is a conflict too.
    """

    versioned_field: str

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stored = getattr(self.instance, self.versioned_field)
        self.fields["base"] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=text_version(self.stored)
        )
        self.conflict: str | None = None

    def clean(self) -> dict:
        cleaned = super().clean()
        changed_elsewhere = cleaned.get("base") != text_version(self.stored)
        if changed_elsewhere and cleaned.get(self.versioned_field) != self.stored:
            raise self._conflict_with(self.stored)
        return cleaned

    def save_checked(self, **also) -> bool:
        """Write the text (and `also`); False, with the conflict, if it changed meanwhile."""
        obj, field = self.instance, self.versioned_field
        if save_if_unchanged(obj, field, self.stored, self.cleaned_data[field], **also):
            return True
        self.add_error(None, self._conflict_with(getattr(obj, field)))
        return False

    @property
    def current_version(self) -> str:
        """The version to send next: the conflicting text's, once there is one."""
        return text_version(self.stored if self.conflict is None else self.conflict)

    def conflict_message(self) -> str:
        return _("This note was changed elsewhere since you opened it.")

    def _conflict_with(self, theirs: str) -> forms.ValidationError:
        self.conflict = theirs
        return forms.ValidationError(self.conflict_message(), code="conflict")


class ChangedElsewhere(Exception):
    """The row changed between a form's check and its write."""


def _fingerprint(value: Any) -> str:
    return text_version(json.dumps(value, default=str))[:8]


def _plain(value: Any) -> Any:
    """A field's value as compared and hashed: a row by its id, a number by its digits."""
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, datetime.date):
        return value.isoformat()
    return getattr(value, "pk", value)


class ChecksEdits:
    """A ModelForm that edits an existing row, merged field by field with what was changed
    elsewhere since the form was loaded (another tab, another device, the post page's lock
    or tick): a field only they changed keeps their value, a field only this form changed
    takes its value, and a field both changed differently is a conflict, not an overwrite.

    The page's form carries `base`, a fingerprint of each field as loaded. A refused form
    has `conflicts`: each clashing field's label and the value it has now. An edit without
    `base` (the API, which checks a `version` of its own) is saved as sent. The form calls
    `add_version_check` once its fields are made, `check_version` at the end of `clean`,
    and saves within `writing_checked`, which reads the row again under a lock.
    """

    def add_version_check(self) -> None:
        self.conflicts: list[tuple[str, str]] | None = None
        if self.instance.pk:
            self.stored = self._state_of(self.instance)
            self.fields["base"] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=self.current_version
            )

    @property
    def current_version(self) -> str:
        return ".".join(_fingerprint(value) for value in self.stored.values())

    def _state_of(self, row) -> dict:
        model_fields = {field.name for field in row._meta.concrete_fields}
        return {
            name: _plain(getattr(row, row._meta.get_field(name).attname))
            for name in self.fields
            if name in model_fields
        }

    def check_version(self, cleaned: dict) -> None:
        base = cleaned.get("base")
        if not base:
            return
        fingerprints = base.split(".")
        loaded = (
            dict(zip(self.stored, fingerprints, strict=True))
            if len(fingerprints) == len(self.stored)
            else {}
        )
        clashes = []
        for name, theirs in self.stored.items():
            if name not in cleaned:
                continue
            mine = _plain(cleaned[name])
            if loaded.get(name) == _fingerprint(theirs) or mine == theirs:
                continue  # nobody else changed it, or both made it the same
            if loaded.get(name) == _fingerprint(mine):
                cleaned[name] = getattr(self.instance, name)  # only they changed it
            else:
                clashes.append(name)
        if clashes:
            self._conflict_with(self.instance, clashes)

    @contextmanager
    def writing_checked(self):
        """Around the save's writes, in one transaction: the row read again and locked
        (on PostgreSQL), and refused if it changed since the check in a field this form
        would write otherwise. Without a version, the save as it was."""
        if not (self.instance.pk and self.cleaned_data.get("base")):
            yield
            return
        with transaction.atomic():
            rows = type(self.instance)._base_manager.select_for_update()
            now = rows.get(pk=self.instance.pk)
            state, sent = self._state_of(now), self.cleaned_data
            clashes = [
                name
                for name, value in state.items()
                if value != self.stored[name] and name in sent and _plain(sent[name]) != value
            ]
            if clashes:
                self._conflict_with(now, clashes)
                raise ChangedElsewhere
            yield

    def save_checked(self) -> bool:
        """Save, unless the row changed meanwhile: False then, with the conflicts."""
        try:
            self.save()
        except ChangedElsewhere:
            return False
        return True

    def _conflict_with(self, row, names: list[str]) -> None:
        self.conflicts = [(self.fields[name].label, shown_value(row, name)) for name in names]
        message = _("This was changed elsewhere since you opened it.")
        self.add_error(None, forms.ValidationError(message, code="conflict"))


def shown_value(row, name: str) -> str:
    """A field's value as a person reads it: a choice's label, a row's name, yes or no."""
    value = getattr(row, name)
    if hasattr(row, f"get_{name}_display"):
        return str(getattr(row, f"get_{name}_display")())
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if value is None or value == "":
        return str(_("(empty)"))
    return str(getattr(value, "label", value))


def rebased(form_class: type[ChecksEdits], data: QueryDict, instance, **kwargs) -> ChecksEdits:
    """After a conflict: the form again with what the person sent, now based on the row as
    it is (`instance`, read again), so that saving it keeps theirs over what is there."""
    form = form_class(data, instance=instance, **kwargs)
    form.data = data.copy()
    form.data["base"] = form.current_version
    return form


def offer_areas(form: forms.ModelForm, owner, text: str) -> None:
    """The optional life area of a goal or entry: one of its owner's, empty by default. An
    unbound form makes the default areas when the person has none yet; one for a thing
    without an area preselects the area its words clearly point to, to keep or clear."""
    field = form.fields["area"]
    if not form.is_bound:
        Area.objects.ensure_defaults(owner)
    field.queryset = Area.objects.filter(owner=owner)
    field.empty_label = _("No area")
    field.label_from_instance = lambda area: area.label
    field.help_text = _("Optional. Your list of areas is in your profile settings.")
    unsorted = not form.is_bound and form.instance.pk and form.instance.area_id is None
    if unsorted and (suggestion := suggested_area(text, field.queryset)):
        form.initial["area"] = suggestion.pk


class AreaForm(forms.ModelForm):
    """A life area added or renamed; two of a person's areas never share a name."""

    class Meta:
        model = Area
        fields = ["name"]

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.owner = owner
        field = self.fields["name"]
        field.required = True
        field.help_text = ""
        if self.instance.pk and not self.instance.name:
            field.initial = self.instance.label

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        others = Area.objects.filter(owner=self.instance.owner).exclude(pk=self.instance.pk)
        if any(area.label.casefold() == name.casefold() for area in others):
            raise forms.ValidationError(
                _("You already have an area named “%(name)s”."), params={"name": name}
            )
        return name

    def save(self, commit: bool = True) -> Area:
        area = super().save(commit=False)
        if area.default and area.name == DefaultArea(area.default).label:
            area.name = ""  # the default's name, unchanged: it keeps following the language
        if area._state.adding:
            area.order = Area.next_order(owner=area.owner)
        if commit:
            area.save()
        return area


def say_what_publishing_tells(form: forms.ModelForm) -> None:
    """Before a post's first publication: its followers and subscribers hear of it then."""
    if form.instance.published_at is None:
        form.fields["visibility"].help_text = _(
            "The first time this post is made public or unlisted, the people who follow you "
            "and the addresses subscribed to you by e-mail are told of it, once."
        )


class YearCreateForm(forms.ModelForm):
    class Meta:
        model = Year
        fields = ["year", "visibility"]
        widgets = {"year": forms.NumberInput(attrs={"min": MIN_YEAR, "max": MAX_YEAR})}

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.owner = owner
        say_what_publishing_tells(self)

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
    # The intro and the overall retrospective are edited in place, with a version
    # check (planner/texts.py); a form that wrote them blindly could undo a save.
    class Meta:
        model = Year
        fields = ["title", "visibility"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        year = self.instance.year
        self.fields["title"].help_text = _(
            "Leave empty for “%(year)s review and %(next)s plan”."
        ) % {"year": year, "next": year + 1}
        say_what_publishing_tells(self)


class GoalForm(ChecksEdits, forms.ModelForm):
    class Meta:
        model = Goal
        fields = [
            "title",
            "done",
            "note",
            "target",
            "unit",
            "progress_kind",
            "direction",
            "start_value",
            "deadline",
            "area",
            "is_private",
        ]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "progress_kind": forms.RadioSelect,
            "direction": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stored_kind = self.instance.progress_kind
        # A quick "title only" goal leaves these out; they keep their defaults.
        self.fields["progress_kind"].required = False
        self.fields["direction"].required = False
        if self.instance._state.adding:
            del self.fields["done"]  # a goal is reached after it is set, not as it is set
        year = self.instance.year.year
        self.fields["deadline"].widget.attrs.update(min=f"{year}-01-01", max=f"{year}-12-31")
        offer_areas(self, self.instance.year.owner, self.instance.title)
        self.add_version_check()

    def clean_deadline(self) -> datetime.date | None:
        deadline = self.cleaned_data["deadline"]
        year = self.instance.year.year
        if deadline and deadline.year != year:
            raise forms.ValidationError(
                _("Choose a deadline in %(year)s, the year of this goal."), params={"year": year}
            )
        return deadline

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["progress_kind"] = cleaned.get("progress_kind") or ProgressKind.COUNT
        cleaned["direction"] = cleaned.get("direction") or Direction.AT_LEAST
        target = cleaned.get("target")
        at_most = (
            cleaned.get("progress_kind") == ProgressKind.LATEST
            and cleaned.get("direction") == Direction.AT_MOST
        )
        if target is not None and (target < 0 or (target == 0 and not at_most)):
            self.add_error("target", _("A target must be more than zero."))
        if cleaned.get("start_value") is not None and target is None:
            self.add_error("target", _("Set a target to track progress toward it."))
        if self._sum_too_large(cleaned):
            self.add_error(
                "progress_kind",
                _("Added up, the logged steps would be more than %(max)s: check the numbers.")
                % {"max": f"{PROGRESS_MAX:,}"},
            )
        self.check_version(cleaned)
        return cleaned

    def _sum_too_large(self, cleaned: dict) -> bool:
        """Whether switching to a count makes a progress figure that does not fit."""
        goal = self.instance
        if goal._state.adding or cleaned.get("progress_kind") != ProgressKind.COUNT:
            return False
        if goal.progress_kind == ProgressKind.COUNT:
            return False
        total = sum((update.value for update in goal.updates.all()), Decimal(0))
        return abs(total) > PROGRESS_MAX

    def save(self, commit: bool = True) -> Goal:
        with self.writing_checked():
            return self._save(commit)

    def _save(self, commit: bool) -> Goal:
        goal = super().save(commit=False)
        if goal._state.adding:
            goal.order = Goal.next_order(year=goal.year)
        elif goal.progress_kind != self.stored_kind:
            # The figure is made again the new way: the sum of the steps, or the latest reading.
            goal.recompute_progress()
        if "done" in self.changed_data:
            goal.ticked_by_hand = True
        else:  # a new target may be reached already, or no longer
            goal.settle_tick()
        if commit:
            goal.save()
        return goal


class GoalNoteForm(VersionChecked, forms.ModelForm):
    """The outcome note, saved only if nobody changed it since it was loaded."""

    versioned_field = "note"

    class Meta:
        model = Goal
        fields = ["note"]

    def save(self, commit: bool = True) -> Goal:
        """Write the note unless it changed between the check and the write (see is_valid)."""
        self.save_checked()
        return self.instance


# The largest amount a goal's figures hold (twelve digits, two after the point).
PROGRESS_MAX = Decimal("9999999999.99")


class GoalUpdateForm(forms.ModelForm):
    class Meta:
        model = GoalUpdate
        fields = ["value", "recorded_on", "remark"]

    def __init__(self, *args, goal: Goal, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.goal = goal

    def clean_value(self) -> Decimal:
        value = self.cleaned_data["value"]
        goal = self.instance.goal
        if goal.progress_kind == ProgressKind.COUNT and value <= 0:
            raise forms.ValidationError(
                _("Log what was added, more than zero; a step that was wrong can be corrected.")
            )
        return value

    def clean_recorded_on(self) -> datetime.date:
        day = self.cleaned_data["recorded_on"]
        year = self.instance.goal.year.year
        if day.year != year:
            raise forms.ValidationError(
                _("Choose a day in %(year)s, the goal's year."), params={"year": year}
            )
        return day

    def clean(self) -> dict:
        cleaned = super().clean()
        if "value" in cleaned and "recorded_on" in cleaned and self._total_too_large(cleaned):
            self.add_error(
                "value",
                _("With this, the progress would be more than %(max)s: check the number.")
                % {"max": f"{PROGRESS_MAX:,}"},
            )
        return cleaned

    def _total_too_large(self, cleaned: dict) -> bool:
        """Whether the goal's progress, made again with this step, would not fit."""
        goal = self.instance.goal
        others = list(goal.updates.exclude(pk=self.instance.pk))
        step = GoalUpdate(value=cleaned["value"], recorded_on=cleaned["recorded_on"])
        if goal.progress_kind == ProgressKind.COUNT:
            total = sum((update.value for update in others), Decimal(0)) + step.value
        else:
            total = step.value
        return abs(total) > PROGRESS_MAX

    @transaction.atomic
    def save(self, commit: bool = True) -> GoalUpdate:
        update = super().save()
        figures_changed(update.goal)
        return update


@transaction.atomic
def delete_update(update: GoalUpdate) -> None:
    update.delete()
    figures_changed(update.goal)


def figures_changed(goal: Goal) -> None:
    """Progress made again from the logged updates, and the tick following it (unless the
    owner ticked by hand)."""
    goal.recompute_progress()
    goal.settle_tick()
    goal.save(update_fields=["progress", "done", "done_at"])


class CheckedImageField(forms.ImageField):
    """An image upload judged by its content, decoded in full, within limits from settings.

    What `processor` makes of it (a photo's renditions, by default) is attached to the
    upload as `upload.processed`, so that saving does not decode it a second time.
    """

    widget = forms.ClearableFileInput(attrs={"accept": "image/*"})
    default_validators = []  # the content decides, not the file name's extension

    def __init__(
        self,
        *args,
        max_bytes_setting: str = "PHOTO_MAX_BYTES",
        processor: Callable[[UploadedFile], Any] = process_photo,
        **kwargs,
    ) -> None:
        kwargs.setdefault("allow_empty_file", True)  # refused below, with the file's name
        super().__init__(*args, **kwargs)
        self.max_bytes_setting = max_bytes_setting
        self.processor = processor

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)  # not ImageField's: it only verifies
        if upload is not None:
            max_bytes = getattr(settings, self.max_bytes_setting)
            upload.processed = check_and_process(upload, max_bytes, self.processor)
        return upload


# An entry's text: far more than a long blog post, and a bound on what a page renders.
ENTRY_BODY_MAX = 50_000


class EntryForm(ChecksEdits, forms.ModelForm):
    photo = CheckedImageField(label=_("Photo"), required=False)
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    offers_area = True

    class Meta:
        model = Entry
        fields = ["title", "body", "area", "is_private"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, period: Period, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        body.max_length = ENTRY_BODY_MAX
        body.validators.append(MaxLengthValidator(ENTRY_BODY_MAX))
        body.widget.attrs["maxlength"] = ENTRY_BODY_MAX
        self.instance.period = period
        if self.offers_area:
            entry = self.instance
            offer_areas(self, period.year.owner, f"{entry.title}\n{entry.body}")
        else:
            del self.fields["area"]
        if self.instance.pk:
            del self.fields["photo"], self.fields["caption"]
            # Where "this photo was taken in another period" sends the owner to move it.
            self.fields["period"] = forms.ModelChoiceField(
                label=_("Period"),
                queryset=period.year.periods.all(),
                initial=period,
                required=False,
                empty_label=None,
            )
            self.fields["period"].label_from_instance = lambda choice: choice.label
        self.add_version_check()

    def clean(self) -> dict:
        cleaned = super().clean()
        self.check_version(cleaned)
        if cleaned.get("caption") and not cleaned.get("photo") and "photo" not in self.errors:
            self.add_error(
                "photo", _("Choose a photo for this caption, or leave the caption empty.")
            )
        if cleaned.get("photo"):
            try:
                self.instance.check_room_for_photos(1)
            except forms.ValidationError as error:
                self.add_error("photo", error)
        return cleaned

    @transaction.atomic
    def save(self, commit: bool = True) -> Entry:
        with self.writing_checked():
            return self._save()

    def _save(self) -> Entry:
        entry = super().save(commit=False)
        moved_to = self.cleaned_data.get("period")
        moved = moved_to is not None and moved_to.pk != entry.period_id
        if moved:
            entry.period = moved_to
        if entry._state.adding or moved:
            entry.order = Entry.next_order(period=entry.period)
        entry.save()
        if upload := self.cleaned_data.get("photo"):
            Photo.objects.create_from_upload(
                entry,
                upload,
                caption=self.cleaned_data["caption"],
                keep_original=entry.period.year.owner.keep_original_photos,
            )
        return entry


class SharedEntryForm(EntryForm):
    """A new entry from what was shared to the app: its text, then a caption per photo.

    Its year may not exist yet, so no life area is offered; one can be chosen later."""

    offers_area = False

    def __init__(self, *args, photos: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["photo"], self.fields["caption"]
        self.photo_names = photos
        for number, name in enumerate(photos, start=1):
            self.fields[f"caption_{name}"] = forms.CharField(
                label=_("Caption of photo %(number)s") % {"number": number},
                max_length=300,
                required=False,
            )

    @staticmethod
    def initial_from(shared: dict) -> dict:
        """The shared title and text as the entry's; a link shared on its own goes below."""
        text = shared.get("text", "").strip()
        title = shared.get("title", "").strip() or text.partition("\n")[0]
        link = shared.get("url", "").strip()
        if link and link not in text:
            text = f"{text}\n\n{link}".strip()
        return {"title": title[: Entry._meta.get_field("title").max_length], "body": text}

    def captions(self) -> list[tuple[str, forms.BoundField]]:
        return [(name, self[f"caption_{name}"]) for name in self.photo_names]


class MultipleImageInput(forms.FileInput):
    allow_multiple_selected = True


class PhotoUploadForm(forms.Form):
    """Photos added to an entry, several at once, each checked and stored on its own.

    A refused file costs only itself: the others are stored after the entry's photos in
    the order chosen, and `refused` names each refused file with the reason.
    """

    images = forms.Field(
        label=_("Photos"),
        widget=MultipleImageInput(attrs={"accept": "image/*"}),
        error_messages={"required": _("Choose one or more photos.")},
    )
    # Sent with a single photo by static/js/upload.js: the caption typed while it uploads,
    # and when it was taken, read before the browser made it smaller (which drops EXIF).
    caption = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    taken_at = forms.CharField(required=False, max_length=19, widget=forms.HiddenInput)

    def __init__(self, *args, entry: Entry, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.refused: list[tuple[str, str]] = []

    def clean_images(self) -> list:
        uploads = self.cleaned_data["images"]
        # Room first: photos that would not fit are not worth decoding.
        self.entry.check_room_for_photos(len(uploads))
        checked = CheckedImageField()
        accepted = []
        for upload in uploads:
            chosen_name = upload.name  # checking may correct the extension
            try:
                accepted.append(checked.clean(upload))
            except forms.ValidationError as error:
                self.refused.append((chosen_name, " ".join(error.messages)))
        return accepted

    def save(self) -> list[Photo]:
        photos = []
        alone = len(self.cleaned_data["images"]) == 1
        taken_at = self.cleaned_data.get("taken_at", "")
        for upload in self.cleaned_data["images"]:
            with transaction.atomic():
                # Uploads to one entry from two tabs wait here, so both cannot take the last place.
                Entry.all_objects.select_for_update().get(pk=self.entry.pk)
                try:
                    self.entry.check_room_for_photos(1)
                except forms.ValidationError as error:
                    self.refused.append((upload.name, " ".join(error.messages)))
                    continue
                if alone and upload.processed.taken_at is None:
                    upload.processed.taken_at = exif_time(taken_at)
                photo = Photo.objects.create_from_upload(
                    self.entry,
                    upload,
                    caption=self.cleaned_data.get("caption", "") if alone else "",
                    keep_original=self.entry.period.year.owner.keep_original_photos,
                )
                photos.append(photo)
        return photos


class CaptionForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = ["caption"]


class CarryOverForm(forms.Form):
    """Set a year's unreached goals again for the next year, each linked to where it came from."""

    goals = forms.ModelMultipleChoiceField(
        label=_("Goals to set again"),
        queryset=Goal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    merge = forms.ModelMultipleChoiceField(
        label=_("Already in next year: link instead of copying"),
        queryset=Goal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Next year has a goal of the same title. Ticked, the two are linked as one goal "
            "set again; nothing is copied."
        ),
    )

    def __init__(self, *args, post: Year, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.post = post
        self.next_year_number = post.year + 1
        # A goal let go in next year's steps (planner/next_year.py) is not offered again.
        unreached = Goal.objects.filter(year=post, done=False, let_go=False)
        carried = Goal.objects.filter(
            year__owner_id=post.owner_id,
            year__year=self.next_year_number,
            carried_from__isnull=False,  # NOT IN with a NULL in the list would match nothing
        ).values("carried_from")
        self.already_carried = unreached.filter(pk__in=carried)
        offered = unreached.exclude(pk__in=carried)
        # A goal that next year has already, by its title, but set there by hand (or by an
        # import): linking the two is offered instead of a copy.
        self.twins = self._twins(offered)
        twins = [goal.pk for goal in self.twins]
        self.fields["goals"].queryset = offered.exclude(pk__in=twins)
        self.fields["goals"].initial = lambda: list(self.fields["goals"].queryset)
        self.fields["merge"].queryset = offered.filter(pk__in=twins)
        self.fields["merge"].initial = twins
        self.fields["goals"].required = False

    def _twins(self, offered) -> dict[Goal, Goal]:
        """Unreached goals of this year, each with the goal of the same title next year."""
        later = {
            title_key(goal.title): goal
            for goal in Goal.objects.filter(
                year__owner_id=self.post.owner_id,
                year__year=self.next_year_number,
                carried_from__isnull=True,
            )
        }
        return {goal: later[key] for goal in offered if (key := title_key(goal.title)) in later}

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.next_year_number > MAX_YEAR:
            raise forms.ValidationError(
                _("Yearloop plans years up to %(max)s."), params={"max": MAX_YEAR}
            )
        if not cleaned.get("goals") and not cleaned.get("merge") and not self.errors:
            raise forms.ValidationError(_("Choose at least one goal to carry over."))
        return cleaned

    @transaction.atomic
    def save(self) -> tuple[Year, list[Goal]]:
        # A new year starts private (the model's default). Locking it makes a second
        # submit wait here and then find the goals the first one already carried.
        next_post = Year.objects.select_for_update().get_or_create(
            owner=self.post.owner, year=self.next_year_number
        )[0]
        chosen = self.fields["goals"].queryset.filter(
            pk__in=[goal.pk for goal in self.cleaned_data["goals"]]
        )
        order = Goal.next_order(year=next_post)
        copies = [goal.carry_over(next_post, order=order + i) for i, goal in enumerate(chosen)]
        for goal in self.cleaned_data.get("merge") or []:
            twin = Goal.objects.select_for_update().get(pk=self.twins[goal].pk)
            if twin.carried_from_id is None:  # not linked meanwhile by another tab
                twin.carried_from = goal
                twin.attempt = max(twin.attempt, goal.attempt + 1)
                twin.save(update_fields=["carried_from", "attempt"])
                copies.append(twin)
        return next_post, copies


COMMENT_MAX_LENGTH = 5000


class CommentTextField(forms.CharField):
    """A comment's text: 1 to 5,000 characters, a line break counted as one as browsers do."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            label=_("Comment"),
            max_length=COMMENT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={
                "required": _("Write something first: a comment cannot be empty."),
                "max_length": _(
                    "A comment can be at most %(limit_value)d characters long "
                    "(this one has %(show_value)d)."
                ),
            },
            **kwargs,
        )

    def to_python(self, value: Any) -> str:
        return normalize_newlines(super().to_python(value))


class CommentForm(forms.ModelForm):
    """A new comment, or a reply: `parent` is the thread's first comment, `reply_to` the
    reply it answers, if any (a reply sent with a reply as `parent` answers that reply)."""

    body = CommentTextField()
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A field people never see (hidden by CSS, out of the tab order, silent to screen
    # readers); a bot that fills it in is told its comment is posted and nothing is stored.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    class Meta:
        model = Comment
        fields = ["body"]

    def __init__(self, *args, post: Year, author, **kwargs) -> None:
        super().__init__(*args, instance=Comment(year=post, author=author), **kwargs)
        self.thread: Comment | None = None
        self.answered: Comment | None = None

    def _on_this_post(self, pk: int) -> Comment:
        comment = (
            Comment.objects.filter(year=self.instance.year, pk=pk)
            .select_related("parent", "author")
            .first()
        )
        if comment is None:
            raise forms.ValidationError(_("The comment you answered is no longer here."))
        return comment

    def clean_parent(self) -> Comment | None:
        parent_id = self.cleaned_data["parent"]
        if parent_id is None:
            return None
        parent = self._on_this_post(parent_id)
        self.thread = parent.parent or parent
        if parent.parent_id:
            self.answered = parent
        if parent.is_removed or self.thread.is_removed:
            raise forms.ValidationError(
                _("That comment was removed; it can no longer be answered.")
            )
        return self.thread

    def clean_reply_to(self) -> Comment | None:
        reply_to_id = self.cleaned_data["reply_to"]
        if reply_to_id is None or self.thread is None:
            if reply_to_id is not None and "parent" not in self.errors:
                raise forms.ValidationError(_("A reply to a reply needs the thread it belongs to."))
            return self.answered
        reply_to = self._on_this_post(reply_to_id)
        if reply_to.thread_id != self.thread.pk:
            raise forms.ValidationError(_("The comment you answered is not in this thread."))
        if reply_to.is_removed:
            raise forms.ValidationError(
                _("That comment was removed; it can no longer be answered.")
            )
        self.answered = reply_to if reply_to.parent_id else None
        return self.answered

    def clean(self) -> dict:
        if self.instance.year.comments_closed:
            raise forms.ValidationError(_("Comments are closed."), code="closed")
        return super().clean()

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def save(self, commit: bool = True) -> Comment | None:
        """Store the comment; None, with nothing stored, when the hidden field was filled."""
        if self.is_spam:
            return None
        self.instance.parent = self.cleaned_data["parent"]
        self.instance.reply_to = self.cleaned_data["reply_to"]
        return super().save(commit)


class CommentEditForm(VersionChecked, forms.ModelForm):
    """The author's new text, saved only if the comment is still the version they edited."""

    versioned_field = "body"
    body = CommentTextField()

    class Meta:
        model = Comment
        fields = ["body"]

    def clean(self) -> dict:
        if self.instance.year.comments_closed:
            raise forms.ValidationError(_("Comments are closed."), code="closed")
        return super().clean()

    def conflict_message(self) -> str:
        return _("This comment was changed elsewhere since you opened it.")

    def save(self, commit: bool = True) -> Comment:
        """Save a changed text and mark the comment edited; an unchanged one stays as it was."""
        comment = self.instance
        if self.cleaned_data["body"] != self.stored:
            self.save_checked(edited_at=timezone.now())
        return comment


class QuestionPickForm(forms.Form):
    """Guided questions picked for one place of a post: built-in ones, own ones kept from
    before, and a new own question, which is kept for later years too."""

    questions = forms.MultipleChoiceField(
        label=_("Questions to answer"), required=False, widget=forms.CheckboxSelectMultiple
    )
    new_question = forms.CharField(
        label=_("Or write your own question"),
        required=False,
        max_length=OwnQuestion._meta.get_field("text").max_length,
        help_text=_("Your own questions are offered again in later years."),
    )

    def __init__(self, *args, post: Year, place: str, picked: list[Answer], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.post, self.place = post, place
        self.question_set = question_set_of(place)
        picked_keys = {answer.question_key for answer in picked}
        picked_own = [answer.own_question for answer in picked if answer.own_question_id]
        self.picked_own_texts = {question.text for question in picked_own}
        own_questions = OwnQuestion.objects.filter(
            owner=post.owner, question_set=self.question_set
        ).exclude(pk__in=[question.pk for question in picked_own])
        self.own_questions = {question.pk: question for question in own_questions}
        self.fields["questions"].choices = [
            *(
                (f"built-in:{question.key}", question.text)
                for question in built_in_questions(self.question_set)
                if question.key not in picked_keys
            ),
            *((f"own:{pk}", question.text) for pk, question in self.own_questions.items()),
        ]
        # Picked meanwhile in another tab: still a valid choice, and already there.
        self.already_picked = {f"built-in:{key}" for key in picked_keys} | {
            f"own:{question.pk}" for question in picked_own
        }
        offered = self.fields["questions"].valid_value
        self.fields["questions"].valid_value = lambda value: (
            value in self.already_picked or offered(value)
        )
        if not self.fields["questions"].choices:  # every one is picked: only a new one is left
            del self.fields["questions"]

    def clean_new_question(self) -> str:
        text = " ".join(self.cleaned_data["new_question"].split())
        if text in self.picked_own_texts:
            raise forms.ValidationError(
                _("This question is already picked here."), code="already_picked"
            )
        return text

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors and not cleaned.get("questions") and not cleaned.get("new_question"):
            raise forms.ValidationError(
                _("Pick a question, or write your own."), code="nothing_picked"
            )
        return cleaned

    def save(self) -> bool:
        """Add an empty answer for each question picked, after those already there; False
        when one of them was picked here meanwhile (from another tab), and nothing is added."""
        picked: list[dict] = []
        for choice in self.cleaned_data.get("questions", []):
            if choice in self.already_picked:
                continue
            kind, _sep, value = choice.partition(":")
            if kind == "built-in":
                picked.append({"question_key": value})
            else:
                picked.append({"own_question": self.own_questions[int(value)]})
        try:
            with transaction.atomic():
                if text := self.cleaned_data["new_question"]:
                    own, _created = OwnQuestion.objects.get_or_create(
                        owner=self.post.owner, question_set=self.question_set, text=text
                    )
                    if {"own_question": own} not in picked:
                        picked.append({"own_question": own})
                order = Answer.next_order(year=self.post, place=self.place)
                Answer.objects.bulk_create(
                    Answer(year=self.post, place=self.place, order=order + number, **question)
                    for number, question in enumerate(picked)
                )
                # Empty and not shown: no post shows them yet, no cached rendering changes.
        except IntegrityError:
            self.add_error(None, _("One of these questions was picked here meanwhile."))
            return False
        return True


class AnswerShownForm(forms.ModelForm):
    """Whether readers see an answer: the button sends the state it sets, so a second tab's
    click does not turn it back."""

    class Meta:
        model = Answer
        fields = ["shown_in_post"]

    def save(self, commit: bool = True) -> Answer:
        self.instance.save(update_fields=["shown_in_post", "updated_at"])
        return self.instance


class CalendarFeedForm(forms.ModelForm):
    """What the person's calendar feed holds beyond what others may read."""

    class Meta:
        model = CalendarFeed
        fields = ["include_private"]
