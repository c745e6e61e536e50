"""Setting next year's goals, one step at a time: each unreached goal of a year is carried
over, rewritten for next year or let go (with a reason that goes into its note), then new
goals are added. Every step is saved as it is taken; see docs/decisions/review-draft.md.
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Goal, Year, title_key
from .permissions import MAX_YEAR


class Choice:
    CARRY = "carry"
    REWRITE = "rewrite"
    LET_GO = "let_go"


def unreached(post: Year) -> list[Goal]:
    """The goals a year's next-year steps go through, in the post's order."""
    return list(Goal.objects.filter(year=post, done=False))


def next_year_post(post: Year) -> Year | None:
    return Year.objects.filter(owner_id=post.owner_id, year=post.year + 1).first()


def copy_of(goal: Goal, next_post: Year | None) -> Goal | None:
    """The goal it became next year, if it was set again."""
    if next_post is None:
        return None
    return Goal.objects.filter(year=next_post, carried_from=goal).first()


def is_decided(goal: Goal, next_post: Year | None) -> bool:
    return goal.let_go or copy_of(goal, next_post) is not None


class NextYearGoalForm(forms.Form):
    """What becomes of one unreached goal next year, and why."""

    choice = forms.ChoiceField(
        label=_("For next year"),
        choices=[
            (Choice.CARRY, _("Carry it over as it is")),
            (Choice.REWRITE, _("Rewrite it")),
            (Choice.LET_GO, _("Let it go")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what becomes of this goal.")},
    )
    title = forms.CharField(
        label=_("New title, when rewritten"),
        max_length=200,
        required=False,
    )
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Added to the goal's note. Needed to let a goal go."),
    )

    def __init__(self, *args, goal: Goal, **kwargs) -> None:
        self.goal = goal
        self.next_year_number = goal.year.year + 1
        self.copy = copy_of(goal, next_year_post(goal.year))
        kwargs.setdefault("initial", self._current())
        super().__init__(*args, **kwargs)

    def _current(self) -> dict:
        if self.goal.let_go:
            return {"choice": Choice.LET_GO}
        if self.copy is not None and self.copy.title != self.goal.title:
            return {"choice": Choice.REWRITE, "title": self.copy.title}
        return {"choice": Choice.CARRY}

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.next_year_number > MAX_YEAR:
            raise forms.ValidationError(
                _("Yearloop plans years up to %(max)s."), params={"max": MAX_YEAR}
            )
        choice = cleaned.get("choice")
        if choice == Choice.REWRITE and not cleaned.get("title"):
            self.add_error("title", _("Write the goal's new title."))
        if choice == Choice.LET_GO and not cleaned.get("reason"):
            self.add_error("reason", _("Say in a line why you let it go."))
        return cleaned

    @transaction.atomic
    def save(self) -> Year:
        # Locked like the carry-over's: a second submit waits and finds the first one's copy.
        next_post = Year.objects.select_for_update().get_or_create(
            owner=self.goal.year.owner, year=self.next_year_number
        )[0]
        goal = Goal.objects.select_for_update().get(pk=self.goal.pk)
        copy = copy_of(goal, next_post)
        choice = self.cleaned_data["choice"]
        if choice == Choice.LET_GO:
            if copy is not None:
                copy.soft_delete()
        else:
            title = self.cleaned_data["title"] if choice == Choice.REWRITE else goal.title
            copy = copy or self._twin(next_post, goal, title)
            if copy is None:
                copy = goal.carry_over(next_post, order=Goal.next_order(year=next_post))
            copy.title = title
            copy.save(update_fields=["title"])
        goal.let_go = choice == Choice.LET_GO
        reason = " ".join(self.cleaned_data["reason"].split())
        if reason and reason not in goal.note:
            goal.note = f"{goal.note}\n\n{reason}" if goal.note else reason
        goal.save(update_fields=["let_go", "note"])
        return next_post

    @staticmethod
    def _twin(next_post: Year, goal: Goal, title: str) -> Goal | None:
        """A goal of that title that next year has already, set there by hand: linked to this
        one as its next try instead of getting a copy beside it (as the carry-over does)."""
        twin = next(
            (
                later
                for later in Goal.objects.select_for_update().filter(
                    year=next_post, carried_from__isnull=True
                )
                if title_key(later.title) == title_key(title)
            ),
            None,
        )
        if twin is not None:
            twin.carried_from = goal
            twin.attempt = max(twin.attempt, goal.attempt + 1)
            twin.save(update_fields=["carried_from", "attempt"])
        return twin


class NewGoalForm(forms.ModelForm):
    """A new goal for next year, added at the end of its goals."""

    class Meta:
        model = Goal
        fields = ["title"]
        labels = {"title": _("New goal")}
        error_messages = {"title": {"required": _("Write the goal first.")}}

    def __init__(self, *args, post: Year, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.post = post
        self.next_year_number = post.year + 1

    def clean(self) -> dict:
        if self.next_year_number > MAX_YEAR:
            raise forms.ValidationError(
                _("Yearloop plans years up to %(max)s."), params={"max": MAX_YEAR}
            )
        return super().clean()

    @transaction.atomic
    def save(self, commit: bool = True) -> Goal:
        next_post = Year.objects.select_for_update().get_or_create(
            owner=self.post.owner, year=self.next_year_number
        )[0]
        self.instance.year = next_post
        self.instance.order = Goal.next_order(year=next_post)
        return super().save(commit=commit)
