"""Importing a series of yearly posts in one go: each post its own year, oldest first.

The posts come as files, or pasted one per box. Each is read exactly as a post imported
alone (a `MarkdownImportForm` with the prefix `post-<n>`, so each keeps its own choices
in the preview), and then they are joined: the goals one post plans for the next year
are the goals the next post reviews — the same goals, so a goal in both is not made
twice, and one planned but not reviewed is added as not reached — and a goal set again
after a year in which it was not reached is linked back to it. All the years are saved
in one transaction, and undone together.
"""

from __future__ import annotations

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from planner.models import Year, title_key

from .form import ImportUploads, MarkdownImportForm, read_markdown_file, save_posts

MAX_POSTS = 10
_POST_TEXT = re.compile(r"post-(\d{1,3})-text")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class SeriesImportForm(ImportUploads):
    files = forms.Field(
        label=_("The posts as .md or .txt files"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".md,.markdown,.txt,text/markdown"}),
        help_text=_("Choose several at once; they are put in order by their years."),
    )

    field_order = ["files", "images", "visibility"]

    def __init__(self, *args, request: HttpRequest, saving: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visibility"].label = _("Who can read the years")
        self.fields["visibility"].help_text = _(
            "Private until you choose otherwise: only you see them."
        )
        self.fields["images"].label = _("Photos used in the posts")
        self.request = request
        self.saving = saving
        self.posts: list[MarkdownImportForm] = []

    def clean_files(self) -> list[str]:
        texts, errors = [], []
        for upload in self.files.getlist("files") if self.files else []:
            try:
                texts.append(read_markdown_file(upload))
            except ValidationError as error:
                errors.extend(f"{upload.name}: {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return texts

    def clean(self) -> dict:
        cleaned = super().clean()
        # What was written in the boxes is read even when a file is refused, so it stays.
        self.posts = self._post_forms(cleaned.get("files") or [])
        if not self.posts:
            if "files" not in self.errors:
                raise ValidationError(_("Paste your posts, or choose their files."))
            return cleaned
        if len(self.posts) > MAX_POSTS:
            raise ValidationError(
                _("A series is imported at most %(count)s posts at a time."),
                params={"count": MAX_POSTS},
            )
        for post in self.posts:
            seen = bool(post._sent("read_as"))
            post.is_valid()  # each says what is wrong with it, under its own text
            if self.saving and not post.errors and not seen:
                post.add_error("text", _("This post was not in the preview yet: look at it first."))
        self._check_years()
        self.posts.sort(key=_by_year)
        if any(post.errors for post in self.posts):
            raise ValidationError(_("Some posts need a look: see below."))
        self._join()
        return cleaned

    def _post_forms(self, file_texts: list[str]) -> list[MarkdownImportForm]:
        """A form for each box with text in it, then one for each new file."""
        data = self.data.copy()
        numbers = sorted(
            int(match[1])
            for key in data
            if (match := _POST_TEXT.fullmatch(key)) and data[key].strip()
        )
        following = max(numbers, default=0) + 1
        for offset, text in enumerate(file_texts):
            data[f"post-{following + offset}-text"] = text
            numbers.append(following + offset)
        return [self._post_form(number, data) for number in numbers]

    def _post_form(self, number: int, data=None) -> MarkdownImportForm:
        return MarkdownImportForm(
            data,
            prefix=f"post-{number}",
            request=self.request,
            saving=self.saving,
            in_series=True,
        )

    def _check_years(self) -> None:
        seen: dict[int, MarkdownImportForm] = {}
        for post in self.posts:
            year = post.cleaned_data.get("year") if post.post else None
            if year is None:
                continue
            if year in seen:
                post.add_error(
                    "year",
                    _("Another post of the series is about %(year)s too: change the year of one.")
                    % {"year": year},
                )
            seen[year] = post

    def _join(self) -> None:
        """The posts in order of their years, each one's plan for the next year joined to
        that year's review."""
        for before, after in zip(self.posts, self.posts[1:], strict=False):
            if after.cleaned_data["year"] != before.cleaned_data["year"] + 1:
                continue
            before.next_in_series = True
            after.goals_before = before.post.goals
            reviewed = {title_key(goal.title) for goal in after.post.goals}
            for title in before.post.next_goals:
                if title_key(title) not in reviewed:
                    after.carried_in.append(title)
                    reviewed.add(title_key(title))

    # The page ----------------------------------------------------------------------------

    def keep_images(self) -> None:
        token = self.keep_uploads()
        for post in self.posts:
            if post.post is not None:
                post.cleaned_data.update(
                    draft=token,
                    visibility=self.cleaned_data.get("visibility") or "",
                )
                post.keep_images()

    @property
    def posts_with_errors(self) -> list[MarkdownImportForm]:
        return [post for post in self.posts if post.errors]

    @property
    def empty_boxes(self) -> list[MarkdownImportForm]:
        """Boxes for more posts: three to begin with, then one more at each preview."""
        following = max((_number(post) for post in self.posts), default=0) + 1
        count = 3 if not self.posts else int(len(self.posts) < MAX_POSTS)
        return [self._post_form(following + offset) for offset in range(count)]

    def save(self) -> list[Year]:
        return save_posts(self.posts, batch=uuid.uuid4())


def _number(post: MarkdownImportForm) -> int:
    return int(post.prefix.removeprefix("post-"))


def _by_year(post: MarkdownImportForm) -> tuple[int, int]:
    year = post.cleaned_data.get("year") if post.post else None
    return (year or 10_000, _number(post))
