"""The Markdown import: one form behind both the preview and the save.

The preview reads the post (`parser.py`) with the owner's choices, keeps the
uploaded images as a draft (`drafts.py`) and creates nothing. Saving reads
it again the same way and creates the year, its goals, periods, entries and photos, and
next year's goals, in one transaction.
"""

from __future__ import annotations

import codecs
import datetime
import hashlib
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.text import normalize_newlines
from django.utils.translation import gettext_lazy as _

from planner.forms import MultipleImageInput
from planner.images import check_and_process, process_photo
from planner.models import (
    MAX_YEAR,
    MIN_YEAR,
    PERIOD_LABELS,
    Direction,
    Entry,
    Goal,
    GoalUpdate,
    Import,
    Period,
    Photo,
    ProgressKind,
    Visibility,
    Year,
    title_key,
)
from planner.permissions import get_photo_to_read
from yearloop.storage import delete_files

from . import drafts, page_text, parser, rich_text

MARKDOWN_MAX_CHARS = 200_000
# A file may hold the longest text in the widest UTF-8 (four bytes a character).
MARKDOWN_MAX_BYTES = MARKDOWN_MAX_CHARS * 4
MARKDOWN_EXTENSIONS = (".md", ".markdown", ".txt")
IMPORT_MAX_IMAGES = 100
# A year's review has a few dozen sections at most; each gets a control in the preview.
IMPORT_MAX_SECTIONS = 300

ROLE_LABELS = {
    parser.Role.LEFTOVER: _("Not recognised (see below)"),
    parser.Role.GOALS: _("This year's goals"),
    parser.Role.PERIOD_1: PERIOD_LABELS[1],
    parser.Role.PERIOD_2: PERIOD_LABELS[2],
    parser.Role.PERIOD_3: PERIOD_LABELS[3],
    parser.Role.SUMMARY: _("Overall retrospective"),
    parser.Role.NEXT_GOALS: _("Next year's goals"),
    parser.Role.INTRO: _("Intro"),
    parser.Role.DROP: _("Drop"),
}


@dataclass
class PlacedImage:
    """An image of the post and what it becomes: a photo from an upload or from this site,
    or a link left in the entry's text."""

    image: parser.ParsedImage
    upload: str = ""
    photo: Photo | None = None
    full: bool = False

    @property
    def becomes_photo(self) -> bool:
        return bool(self.upload or self.photo) and not self.full


@dataclass
class EntryPreview:
    entry: parser.ParsedEntry
    images: list[PlacedImage] = field(default_factory=list)

    @property
    def body_with_links(self) -> str:
        """The entry's text, with the images that stay links added at its end."""
        links = [parser.image_link(p.image) for p in self.images if not p.becomes_photo]
        return "\n\n".join(part for part in [self.entry.body, *links] if part)


@dataclass
class PeriodPreview:
    index: int
    label: str
    period: parser.ParsedPeriod
    entries: list[EntryPreview]


class ImportUploads(forms.Form):
    """The photos an import brings, kept as a draft between its previews and its save,
    and who can read what it makes."""

    images = forms.Field(
        label=_("Photos used in the post"),
        required=False,
        widget=MultipleImageInput(attrs={"accept": "image/*"}),
        help_text=_("An image in the post becomes a photo when a file of the same name is here."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        required=False,
        help_text=_("Private until you choose otherwise: only you see it."),
    )
    draft = forms.CharField(required=False, widget=forms.HiddenInput)

    request: HttpRequest

    def _sent(self, name: str) -> str:
        """A value the preview's own controls sent (they carry the form's prefix too)."""
        return self.data.get(self.add_prefix(name), "")

    def clean_draft(self) -> str:
        token = self.cleaned_data["draft"]
        return token if drafts.is_owned(self.request.session, token) else ""

    def clean_images(self) -> list:
        uploads = self.cleaned_data["images"] or []
        kept = len(drafts.names(self._sent("draft"))) if uploads else 0
        if kept + len(uploads) > IMPORT_MAX_IMAGES:
            raise ValidationError(
                _("An import takes at most %(limit)s photos."), params={"limit": IMPORT_MAX_IMAGES}
            )
        errors = []
        for upload in uploads:
            chosen_name = upload.name  # the post names the file as it was chosen
            try:
                check_and_process(upload, settings.PHOTO_MAX_BYTES, process_photo)
            except ValidationError as error:
                errors.extend(error.messages)
            upload.name = chosen_name
        if errors:
            raise ValidationError(errors)
        return uploads

    @property
    def kept_images(self) -> list[str]:
        token = self._sent("draft")
        return drafts.names(token) if drafts.is_owned(self.request.session, token) else []

    def keep_uploads(self) -> str:
        """Keep the new uploads (valid ones only) in the draft, started if need be."""
        token = self.cleaned_data.get("draft", "")
        uploads = [] if "images" in self.errors else self.cleaned_data.get("images") or []
        if uploads and not token:
            token = drafts.start(self.request.session)
        for upload in uploads:
            drafts.add(token, upload)
        self.cleaned_data["draft"] = token
        self.data = self.data.copy()
        self.data[self.add_prefix("draft")] = token
        return token


class MarkdownImportForm(ImportUploads):
    text = forms.CharField(
        label=_("Your post in Markdown"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "data-rich-paste": ""}),
    )
    # The clipboard's HTML when the whole text was pasted from a page (static/js/rich_paste.js).
    pasted_html = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("…or a .md or .txt file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.markdown,.txt,text/markdown"}),
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        help_text=_("Left empty, it is taken from the post: its title, its dates or its goals."),
    )
    # Which text the preview's choices were made on (`_read`).
    read_as = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["text", "pasted_html", "file", "year", "images", "visibility"]

    def __init__(
        self,
        *args,
        request: HttpRequest,
        saving: bool = False,
        in_series: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        if in_series:
            # The series form takes the files, the photos and who can read the years.
            for name in ("file", "images", "visibility", "draft"):
                del self.fields[name]
            self.fields["text"].label = _("The post")
        self.fields["text"].widget.attrs["data-rich-paste"] = self.add_prefix("pasted_html")
        self.in_series = in_series
        self.saving = saving
        self.request = request
        self.owner = request.user
        self.post: parser.ParsedPost | None = None
        self.periods: list[PeriodPreview] = []
        self.next_post: Year | None = None
        self.kept_formatting = False
        self.spaced = False
        self.text_changed = False
        # In a series (`series.py`): goals that the post before planned for this year and
        # this post does not review, and whether the year after is a post of the series.
        self.carried_in: list[str] = []
        self.next_in_series = False
        self.goals_before: list[parser.ParsedGoal] | None = None

    # Reading what was sent -------------------------------------------------------------

    def clean_text(self) -> str:
        text = normalize_newlines(self.cleaned_data["text"])
        self._check_length(text)
        return text

    def clean_pasted_html(self) -> str:
        html = self.cleaned_data["pasted_html"]
        if len(html) > rich_text.MAX_CHARS:
            return ""  # the plain text that came with it is read instead
        return html

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        return read_markdown_file(upload) if upload else ""

    def _check_length(self, text: str) -> None:
        check_length(text)

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("file") and (html := cleaned.get("pasted_html")):
            self._read_pasted_html(html, cleaned)
        text = cleaned.get("file") or cleaned.get("text") or ""
        if "text" in self.errors or "file" in self.errors:
            return cleaned
        if (spaced := page_text.spaced(text)) != text:
            text, self.spaced = spaced, True
        if not text.strip():
            self.add_error("text", _("Paste your post here, or choose its file."))
            return cleaned
        year = cleaned.get("year") or parser.guess_year(text)
        if "year" in self.errors:
            return cleaned
        if year is None:
            self.add_error("year", _("Which year is this post about?"))
            return cleaned
        cleaned["year"] = year
        self._show_on_the_form(text=text, year=year)
        self._read(text, year)
        if Year.objects.filter(owner=self.owner, year=year).exists():
            self.add_error(
                "year",
                _("You already have %(year)s. Choose another year, or delete yours first.")
                % {"year": year},
            )
        if max(len(self.post.sections), len(self.post.leftovers)) > IMPORT_MAX_SECTIONS:
            self.add_error(
                "text",
                _(
                    "This text has %(count)s headings or pieces that are not a year's review "
                    "(at most %(limit)s): is it the right text? Import it in parts, or shorten it."
                )
                % {
                    "count": max(len(self.post.sections), len(self.post.leftovers)),
                    "limit": IMPORT_MAX_SECTIONS,
                },
            )
        if self.post.next_goals and year + 1 > MAX_YEAR:
            self.add_error("year", _("Yearloop plans years up to %(max)s.") % {"max": MAX_YEAR})
        if self.text_changed and self.saving:
            self.add_error(
                "text",
                _(
                    "The text changed since the preview, so it was read again: the choices made on "
                    "what you left as it was are kept, the rest guessed afresh. Check the "
                    "preview before saving."
                ),
            )
        return cleaned

    def _read_pasted_html(self, html: str, cleaned: dict) -> None:
        """Rich text pasted from a page becomes the text, as Markdown, shown in the box so
        that what is read is what the person sees and may change; its plain text is left
        when nothing is made of the HTML."""
        if (markdown := rich_text.as_markdown(html)) and len(markdown) <= MARKDOWN_MAX_CHARS:
            cleaned["text"] = markdown
            self.kept_formatting = True
        self._show_on_the_form(text=cleaned["text"], pasted_html="")

    def _show_on_the_form(self, **values) -> None:
        # The preview's form carries on what was read from a file or guessed.
        self.data = self.data.copy()
        for name, value in values.items():
            self.data[self.add_prefix(name)] = value

    @property
    def field_prefix(self) -> str:
        return self.add_prefix("")

    def _numbered(self, name: str) -> dict[int, str]:
        prefix = self.add_prefix(name)
        chosen = {}
        for key, value in self.data.items():
            number = key.removeprefix(prefix)
            if key.startswith(prefix) and number.isdigit():
                chosen[int(number)] = value
        return chosen

    def _read(self, text: str, year: int) -> None:
        """Read the post with the choices made in the preview, when they were made on this
        very text: they name lines by number, and an edit moves the lines."""
        read_as = hashlib.sha256(text.encode()).hexdigest()[:32]
        roles, choices = self._numbered("section_"), self._numbered("leftover_")
        as_text = {line for line, read in self._numbered("entry_").items() if read == "text"}
        if self._sent("read_as") not in ("", read_as):
            self.text_changed = True
            roles, choices, as_text = self._carried_over(text, year, roles, choices, as_text)
        self._show_on_the_form(read_as=read_as)
        self.post = parser.parse(text, year, roles=roles, choices=choices, as_text=as_text)
        self.next_post = Year.objects.filter(owner=self.owner, year=year + 1).first()

    def _carried_over(
        self, text: str, year: int, roles: dict, choices: dict, as_text: set
    ) -> tuple[dict, dict, set]:
        """The choices made on the text before an edit, moved to where the same words are
        now: a heading, a piece of text or an entry's title that the edit left as it was
        keeps its choice; the rest is guessed afresh."""
        moved_roles = _moved(
            roles, self._numbered("section_said_"), _lines_of(parser.parse(text, year).sections)
        )
        post = parser.parse(text, year, roles=moved_roles)
        moved_choices = _moved(choices, self._numbered("leftover_said_"), _lines_of(post.leftovers))
        entries = [e for period in post.periods for e in period.entries if e.line]
        texts = {line: "text" for line in as_text}
        moved_as_text = _moved(texts, self._numbered("entry_said_"), _lines_of(entries))
        return moved_roles, moved_choices, set(moved_as_text)

    # Next year's goals ---------------------------------------------------------------

    @property
    def adds_next_goals(self) -> bool:
        """Whether next year's goals go in: the preview asks when that year exists already,
        and by default adds nothing to one that others can read."""
        if self.next_in_series:
            return False  # they are the goals the next post of the series reviews
        choice = self._sent("next_goals")
        if choice in ("add", "leave"):
            return choice == "add"
        return self.next_post is None or self.next_post.visibility == Visibility.PRIVATE

    def new_next_goals(self) -> list[str]:
        """Next year's goals that the year does not have yet: the same title (whatever its
        case and spacing) is the same goal, carried on, not a second one."""
        return self._sorted_next_goals()[0]

    def repeated_next_goals(self) -> list[str]:
        return self._sorted_next_goals()[1]

    def _sorted_next_goals(self) -> tuple[list[str], list[str]]:
        have = (
            {title_key(goal.title) for goal in self.next_post.goals.all()}
            if self.next_post
            else set()
        )
        new, repeated = [], []
        for title in self.post.next_goals:
            (repeated if title_key(title) in have else new).append(title)
            have.add(title_key(title))
        return new, repeated

    @property
    def goals_to_create(self) -> list[parser.ParsedGoal]:
        """The post's goals, then those the post before planned for this year and this
        one does not review."""
        return self.post.goals + [parser.ParsedGoal(title=title) for title in self.carried_in]

    @property
    def set_again(self) -> list[str]:
        """Goals of this post that were not reached the year before: the earlier post's of
        the series, or the owner's year before."""
        if self.post is None:
            return []
        if self.goals_before is not None:
            before = [goal.title for goal in self.goals_before if not goal.done]
        else:
            before = Goal.objects.filter(
                year__owner=self.owner, year__year=self.post.year - 1, done=False
            ).values_list("title", flat=True)
        not_reached = {title_key(title) for title in before}
        return [goal.title for goal in self.goals_to_create if title_key(goal.title) in not_reached]

    # Images ----------------------------------------------------------------------------

    def keep_images(self) -> None:
        """Keep the new uploads in the draft (valid ones only), then place the post's images."""
        token = self.keep_uploads()
        if self.post is not None:
            self._place_images(token)

    def _place_images(self, token: str) -> None:
        uploaded = {drafts.file_key(name): name for name in drafts.names(token)}
        self.periods = []
        for index, period in enumerate(self.post.periods, start=1):
            entries = []
            for entry in period.entries:
                placed = [self._place(image, uploaded) for image in entry.images]
                for extra in [p for p in placed if p.becomes_photo][settings.PHOTO_MAX_PER_ENTRY :]:
                    extra.full = True
                entries.append(EntryPreview(entry, placed))
            self.periods.append(PeriodPreview(index, PERIOD_LABELS[index], period, entries))

    def _place(self, image: parser.ParsedImage, uploaded: dict[str, str]) -> PlacedImage:
        if name := uploaded.get(drafts.file_key(image.url)):
            return PlacedImage(image, upload=name)
        return PlacedImage(image, photo=self._site_photo(image.url))

    def _site_photo(self, url: str) -> Photo | None:
        """A photo of this site, by its address, that the importer may read."""
        parts = urlsplit(url)
        hosts = {self.request.get_host().lower(), urlsplit(settings.SITE_URL).netloc.lower()}
        if parts.scheme not in ("", "http", "https") or (parts.netloc.lower() not in hosts | {""}):
            return None
        try:
            match = resolve(parts.path)
        except Resolver404:
            return None
        if match.view_name != "planner:photo_file":
            return None
        try:
            return get_photo_to_read(self.request, match.kwargs["photo_id"])
        except Http404:
            return None

    # What the preview shows --------------------------------------------------------------

    def role_choices(self) -> list[tuple[str, str]]:
        return [(role.value, label) for role, label in ROLE_LABELS.items()]

    @property
    def leftover_choices(self) -> list[tuple[str, str]]:
        """Where text that fits no section may go, as the preview offers it."""
        periods = [
            (choice.value, _("Add to the retrospective of %(period)s") % {"period": label})
            for choice, label in zip(parser.PERIOD_CHOICES, PERIOD_LABELS.values(), strict=True)
        ]
        return [
            (parser.LeftoverChoice.INTRO.value, _("Add to the intro")),
            (parser.LeftoverChoice.SUMMARY.value, _("Add to the overall retrospective")),
            *periods,
            (parser.LeftoverChoice.DROP.value, _("Drop")),
        ]

    @property
    def photo_limit(self) -> int:
        return settings.PHOTO_MAX_PER_ENTRY

    @property
    def links(self) -> list[parser.ParsedImage]:
        """Images that stay links: in entries without a file, and outside entries."""
        in_entries = [
            p.image
            for period in self.periods
            for entry in period.entries
            for p in entry.images
            if not p.becomes_photo
        ]
        return in_entries + (self.post.loose_images if self.post else [])

    # Saving ----------------------------------------------------------------------------

    def save(self) -> Year:
        """Create the year and everything in it; a photo that cannot be read refuses it all."""
        return save_posts([self])[0]

    def _save_post(self, ready: dict, created: list[Photo], batch: uuid.UUID | None) -> Year:
        post = self._create_year()
        self._create_periods(post, ready, created)
        next_post, added = self._create_next_goals(post)
        Import.objects.create(
            post=post,
            next_post=next_post,
            added_goal_ids=[goal.pk for goal in added],
            batch=batch,
        )
        return post

    def _process_photos(self) -> dict[int, File]:
        """Each image to become a photo, opened and processed before anything is written."""
        token = self.cleaned_data["draft"]
        ready = {}
        try:
            for placed in (p for period in self.periods for e in period.entries for p in e.images):
                if placed.becomes_photo:
                    file = self._open(token, placed)
                    ready[id(placed)] = file
                    file.processed = check_and_process(
                        file, settings.PHOTO_MAX_BYTES, process_photo
                    )
        except BaseException:
            self._close(ready)
            raise
        return ready

    def _open(self, token: str, placed: PlacedImage) -> File:
        if placed.upload:
            return drafts.open_file(token, placed.upload)
        photo = placed.photo
        own = photo.entry.period.year.owner_id == self.owner.pk
        stored = photo.original if own and photo.original else photo.image
        return File(stored.storage.open(stored.name), name=stored.name.rsplit("/", 1)[-1])

    @staticmethod
    def _close(files: dict[int, File]) -> None:
        for file in files.values():
            file.close()

    def _default_titles(self, year: int) -> set[str]:
        """The title a year shows when left empty, in every language of the site."""
        untitled = Year(year=year)
        titles = set()
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                titles.add(str(untitled.display_title))
        return titles

    def _create_year(self) -> Year:
        parsed, number = self.post, self.cleaned_data["year"]
        title = "" if parsed.title in self._default_titles(number) else parsed.title
        post = Year.objects.create(
            owner=self.owner,
            year=number,
            title=title,
            intro=parsed.intro,
            summary=parsed.summary,
            visibility=self.cleaned_data.get("visibility") or Visibility.PRIVATE,
            published_at=_first_published(parsed.published),
        )
        goals = [
            Goal(
                year=post,
                title=goal.title,
                done=goal.done,
                done_at=post.created_at if goal.done else None,
                note=goal.note,
                is_private=goal.private,
                target=goal.target,
                unit=goal.unit,
                deadline=goal.deadline,
                attempt=goal.attempt,
                start_value=goal.start,
                progress_kind=ProgressKind.LATEST if goal.start is not None else ProgressKind.COUNT,
                direction=_direction(goal),
                progress=goal.progress,
                order=order,
            )
            for order, goal in enumerate(self.goals_to_create, start=1)
        ]
        for goal in goals:
            # A post's tick that says otherwise than its figures was given by hand.
            goal.ticked_by_hand = goal.tick_differs_from_figures
        goals = Goal.objects.bulk_create(goals)
        # The figures come as one logged update, so that logging more adds to them.
        on = min(timezone.localdate(), datetime.date(number, 12, 31))
        GoalUpdate.objects.bulk_create(
            GoalUpdate(goal=goal, value=parsed_goal.progress, recorded_on=on)
            for goal, parsed_goal in zip(goals, self.goals_to_create, strict=True)
            if parsed_goal.target is not None and parsed_goal.progress
        )
        return post

    def _create_periods(self, post: Year, ready: dict, created: list[Photo]) -> None:
        keep_originals = self.owner.keep_original_photos
        for preview in self.periods:
            period = Period.objects.get(year=post, index=preview.index)
            if preview.period.retrospective:
                period.retrospective = preview.period.retrospective
                period.save(update_fields=["retrospective"])
            for order, item in enumerate(preview.entries, start=1):
                entry = Entry.objects.create(
                    period=period,
                    title=item.entry.title,
                    body=item.body_with_links,
                    is_private=item.entry.private,
                    order=order,
                )
                for placed in item.images:
                    if placed.becomes_photo:
                        created.append(
                            Photo.objects.create_from_upload(
                                entry,
                                ready[id(placed)],
                                caption=placed.image.caption,
                                keep_original=keep_originals and bool(placed.upload),
                            )
                        )

    def _create_next_goals(self, post: Year) -> tuple[Year | None, list[Goal]]:
        """Next year's goals added; and next year, when it was created for them."""
        titles = self.new_next_goals()
        if not titles or not self.adds_next_goals:
            return None, []
        # A new year starts private (the model's default).
        next_post, created = Year.objects.get_or_create(owner=self.owner, year=post.year + 1)
        start = Goal.next_order(year=next_post)
        added = Goal.objects.bulk_create(
            Goal(year=next_post, title=title, order=start + i) for i, title in enumerate(titles)
        )
        return (next_post if created else None), added

    @staticmethod
    def _delete_photo_files(photos: list[Photo]) -> None:
        for photo in photos:
            delete_files(photo.image.storage, photo.stored_names())


def read_markdown_file(upload) -> str:
    """The text of an uploaded Markdown or text file, or a ValidationError saying why not."""
    if not upload.name.lower().endswith(MARKDOWN_EXTENSIONS):
        raise ValidationError(_("Choose a Markdown (.md) or text (.txt) file."))
    if upload.size > MARKDOWN_MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s."),
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MARKDOWN_MAX_BYTES),
            },
        )
    text = normalize_newlines(_decoded(upload.read()))
    check_length(text)
    return text


def _decoded(data: bytes) -> str:
    """A text file as Windows and Korean editors save it too: UTF-8 (with or without a
    byte order mark), UTF-16 with one, or CP949 (EUC-KR) Korean text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\0" not in data:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        try:
            text = data.decode("cp949")
        except UnicodeDecodeError:
            pass
        else:
            if any("가" <= char <= "힣" for char in text):
                return text
    raise ValidationError(
        _(
            "This file is not text that can be read. Save it again as UTF-8 text (in "
            "Notepad: Save As, Encoding: UTF-8) and choose it again."
        )
    )


def check_length(text: str) -> None:
    if len(text) > MARKDOWN_MAX_CHARS:
        raise ValidationError(
            _(
                "A post can be at most %(limit)s characters long (this one has %(count)s). "
                "Import it in parts, or shorten it."
            ),
            params={"limit": f"{MARKDOWN_MAX_CHARS:,}", "count": f"{len(text):,}"},
        )


def _lines_of(items: list) -> list[tuple[int, str]]:
    """(line, words) of each section, leftover or entry, as the preview names them."""
    return [(item.line, _said(item)) for item in items]


def _said(item) -> str:
    words = getattr(item, "heading", None) or getattr(item, "title", None) or item.text
    return " ".join(words.split())[:200]


def _moved(
    chosen: dict[int, str], said: dict[int, str], now: list[tuple[int, str]]
) -> dict[int, str]:
    """Choices by line, moved to the line that now holds the words theirs held."""
    free = list(now)
    moved = {}
    for line, value in chosen.items():
        words = " ".join(said.get(line, "").split())[:200]
        match = next((item for item in free if item[1] == words), None) if words else None
        if match is not None:
            moved[match[0]] = value
            free.remove(match)
    return moved


def save_posts(forms: list[MarkdownImportForm], batch: uuid.UUID | None = None) -> list[Year]:
    """Save valid import forms, oldest year first, in one transaction; a photo that cannot
    be read, or a year that came into being meanwhile, refuses them all."""
    forms = sorted(forms, key=lambda form: form.cleaned_data["year"])
    ready: dict[int, File] = {}
    created: list[Photo] = []
    try:
        for form in forms:
            ready |= form._process_photos()
        with transaction.atomic():
            posts = [form._save_post(ready, created, batch) for form in forms]
            link_goals_set_again(forms[0].owner, [post.year for post in posts])
    except IntegrityError:
        MarkdownImportForm._delete_photo_files(created)
        years = ", ".join(str(form.cleaned_data["year"]) for form in forms)
        raise ValidationError(_("You already have %(year)s.") % {"year": years}) from None
    except BaseException:
        MarkdownImportForm._delete_photo_files(created)
        raise
    finally:
        MarkdownImportForm._close(ready)
    drafts.discard(forms[0].request.session, forms[0].cleaned_data["draft"])
    return posts


def link_goals_set_again(owner, numbers: list[int]) -> None:
    """A goal of an imported year (or one it added to the year after) that has the title
    of a goal not reached the year before is that goal set again: linked back to it, and
    counted as its next try. Goals that were in a year before the import are left alone."""
    touched = set(numbers) | {number + 1 for number in numbers}
    years = {
        post.year: post
        for post in Year.objects.filter(
            owner=owner, year__in=touched | {number - 1 for number in numbers}
        )
    }
    new_goal_ids = {
        pk
        for added in Import.objects.filter(post__owner=owner, post__year__in=numbers).values_list(
            "added_goal_ids", flat=True
        )
        for pk in added
    }
    for number in sorted(touched):
        before, post = years.get(number - 1), years.get(number)
        if before is None or post is None:
            continue
        not_reached = {
            title_key(goal.title): goal for goal in Goal.objects.filter(year=before, done=False)
        }
        for goal in Goal.objects.filter(year=post, carried_from__isnull=True):
            origin = not_reached.get(title_key(goal.title))
            if origin is None or not (number in numbers or goal.pk in new_goal_ids):
                continue
            goal.carried_from = origin
            goal.attempt = max(goal.attempt, origin.attempt + 1)
            goal.save(update_fields=["carried_from", "attempt"])


class JournalImportForm(forms.Form):
    """A journal app's export, for `portability.journal_import`."""

    file = forms.FileField(
        label=_("Export from Day One or Journey (.zip)"),
        help_text=_(
            "Day One: Export, JSON. Journey: Export, ZIP. Each year of the journal becomes a "
            "year here; a year you have already is left as it is."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    visibility = forms.ChoiceField(
        label=_("Who can read the years"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        help_text=_("Private until you choose otherwise: only you see them."),
    )


def _first_published(day: datetime.date | None) -> datetime.datetime | None:
    """The day a post was first published where it came from, kept so that it is not shown
    as new (midday, so the date reads the same in most time zones)."""
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _direction(goal: parser.ParsedGoal) -> str:
    """A reading that must come down ("78 → 77.5 / 76 kg") aims at most at its target."""
    down = goal.start is not None and goal.target is not None and goal.target < goal.start
    return Direction.AT_MOST if down else Direction.AT_LEAST
