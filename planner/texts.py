"""A post's five long texts — intro, overall retrospective, three period retrospectives —
and the answers to guided questions, with the one form that writes them all without ever
overwriting a change made elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .forms import ENTRY_BODY_MAX, save_if_unchanged, text_version
from .languages import text_language
from .models import Answer, Period, Year

YEAR_TEXT_FIELDS = ("intro", "summary")


@dataclass(frozen=True)
class PostText:
    """One editable text of a post: a Year's intro or summary, or a Period's retrospective."""

    obj: Year | Period
    field: str

    @property
    def post(self) -> Year:
        return self.obj if isinstance(self.obj, Year) else self.obj.year

    @property
    def kind(self) -> str:
        return self.field if isinstance(self.obj, Year) else "period"

    @property
    def value(self) -> str:
        return getattr(self.obj, self.field)

    @property
    def language(self) -> str | None:
        return text_language(self.value)

    @property
    def version(self) -> str:
        return text_version(self.value)

    @property
    def dom_id(self) -> str:
        return f"period-{self.obj.index}-retrospective" if self.kind == "period" else self.field

    @property
    def label(self) -> str:
        """How the text is headed on the post."""
        return {
            "intro": _("Intro"),
            "summary": _("Looking back at it all"),
            "period": _("Looking back on these months"),
        }[self.kind]

    @property
    def heading_level(self) -> int | None:
        """The heading the text sits under on the post, if any: the summary's is a section's."""
        if self.kind == "summary":
            return 2
        return 4 if self.kind == "period" and self.value else None

    @property
    def title(self) -> str:
        """How the editor names the text, alone on its own page too."""
        if self.kind == "period":
            return _("Looking back on %(period)s") % {"period": self.obj.label}
        return self.label

    @property
    def write_prompt(self) -> str:
        return {
            "intro": _("Write an intro"),
            "summary": _("Write the overall retrospective"),
            "period": _("Write the period's retrospective"),
        }[self.kind]

    @property
    def markdown_top(self) -> int:
        """The heading level a "# Heading" in the text becomes."""
        return 5 if self.kind == "period" else 3

    @property
    def rows(self) -> int:
        return {"intro": 5, "summary": 12, "period": 8}[self.kind]

    def _url(self, action: str) -> str:
        owner, year = self.post.owner.username, self.post.year
        if self.kind == "period":
            return reverse(f"planner:period_{action}", args=[owner, year, self.obj.index])
        return reverse(f"planner:year_text_{action}", args=[owner, year, self.field])

    @property
    def edit_url(self) -> str:
        return self._url("edit")

    @property
    def place_url(self) -> str:
        """The page where the text is edited in place (htmx swaps its editor there)."""
        return self.post.get_absolute_url()

    @property
    def display_template(self) -> str:
        """What an in-place save shows again."""
        return "planner/includes/text_display.html"

    @property
    def autosave_url(self) -> str:
        return self._url("autosave")

    @property
    def page_url(self) -> str:
        """Where the text is read: its place on the post."""
        return f"{self.post.get_absolute_url()}#{self.dom_id}"


@dataclass(frozen=True)
class AnswerText(PostText):
    """An answer to a guided question, edited in place on its place's questions page."""

    obj: Answer
    field: str = "text"

    @property
    def post(self) -> Year:
        return self.obj.year

    @property
    def kind(self) -> str:
        return "answer"

    @property
    def dom_id(self) -> str:
        return f"answer-{self.obj.pk}"

    @property
    def label(self) -> str:
        return self.obj.question_text

    @property
    def heading_level(self) -> int | None:
        return None

    @property
    def title(self) -> str:
        return self.obj.question_text

    @property
    def write_prompt(self) -> str:
        return _("Write an answer")

    @property
    def markdown_top(self) -> int:
        return 4

    @property
    def rows(self) -> int:
        return 6

    def _url(self, action: str) -> str:
        return reverse(f"planner:answer_{action}", args=[self.obj.pk])

    @property
    def place_url(self) -> str:
        return reflection_url(self.post, self.obj.place)

    @property
    def page_url(self) -> str:
        return f"{self.place_url}#{self.dom_id}"

    @property
    def display_template(self) -> str:
        return "planner/includes/answer_item.html"


def reflection_url(post: Year, place: str) -> str:
    """The page where the questions of one place of a post are picked and answered."""
    return reverse("planner:reflection", args=[post.owner.username, post.year, place])


TEXT_MAX = ENTRY_BODY_MAX


class TextForm(forms.Form):
    """A post text, saved only if it is still the version the editor was loaded from.

    `base` carries that version. When the stored text has changed since, and differs
    from what is submitted, nothing is written and `conflict` holds the stored text.
    """

    # The same bound as an entry's body: far more than a long retrospective.
    text = forms.CharField(required=False, strip=False, widget=forms.Textarea, max_length=TEXT_MAX)
    base = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, text: PostText, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.post_text = text
        self.stored = text.value
        self.fields["text"].label = text.title
        self.fields["text"].initial = self.stored
        self.fields["base"].initial = text_version(self.stored)
        self.conflict: str | None = None

    def clean_text(self) -> str:
        # A plain form sends line breaks as CRLF, htmx as LF: store one kind.
        return self.cleaned_data["text"].replace("\r\n", "\n")

    def clean(self) -> dict:
        cleaned = super().clean()
        if "text" in cleaned and "base" in cleaned:
            changed_elsewhere = cleaned["base"] != text_version(self.stored)
            if changed_elsewhere and cleaned["text"] != self.stored:
                raise self._conflict_with(self.stored)
        return cleaned

    def save(self) -> bool:
        """Write the text; False if it changed between the check and the write."""
        obj, field, new = self.post_text.obj, self.post_text.field, self.cleaned_data["text"]
        if save_if_unchanged(obj, field, self.stored, new):
            return True
        self.add_error(None, self._conflict_with(getattr(obj, field)))
        return False

    def _conflict_with(self, theirs: str) -> forms.ValidationError:
        self.conflict = theirs
        return forms.ValidationError(_("Changed elsewhere since you started."), code="conflict")
