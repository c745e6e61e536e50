from __future__ import annotations

import contextlib
import datetime
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from yearloop.storage import delete_files

from .images import process_photo
from .languages import text_language
from .markdown import render_plain_text
from .publication import post_published
from .reflection import BUILT_IN_BY_KEY, Place, QuestionSet, period_place, question_set_of

MIN_YEAR = 1900
MAX_YEAR = 2200

PERIOD_MONTHS = {1: (1, 4), 2: (5, 8), 3: (9, 12)}
PERIOD_LABELS = {
    1: pgettext_lazy("period", "January–April"),
    2: pgettext_lazy("period", "May–August"),
    3: pgettext_lazy("period", "September–December"),
}


def period_index_for(month: int) -> int:
    return (month - 1) // 4 + 1


def title_key(title: str) -> str:
    """A goal's title as compared for sameness: the same words, whatever case and spacing."""
    return " ".join(title.split()).casefold()


def period_bounds(year: int, index: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of one of a year's three periods."""
    first_month, last_month = PERIOD_MONTHS[index]
    first = datetime.date(year, first_month, 1)
    if last_month == 12:
        return first, datetime.date(year, 12, 31)
    return first, datetime.date(year, last_month + 1, 1) - datetime.timedelta(days=1)


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private — only you")
    UNLISTED = "unlisted", _("Unlisted — anyone with the link")
    PUBLIC = "public", _("Public — listed on your profile")


class YearQuerySet(models.QuerySet):
    def readable_by(self, user) -> YearQuerySet:
        """Years a person may open: their own, and anyone's unlisted or public ones."""
        shared = Q(visibility__in=[Visibility.PUBLIC, Visibility.UNLISTED])
        if user.is_authenticated:
            return self.filter(shared | Q(owner=user))
        return self.filter(shared)

    def listed_for(self, user, owner) -> YearQuerySet:
        """An owner's years as their profile lists them: all for themselves, public for others."""
        years = self.filter(owner=owner)
        if user != owner:
            years = years.filter(visibility=Visibility.PUBLIC)
        return years

    def public(self) -> YearQuerySet:
        return self.filter(visibility=Visibility.PUBLIC)


class Year(models.Model):
    """One person's year: the goals set for it, its three periods, its retrospective."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="years",
        verbose_name=_("owner"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to name it for its year, as in “2025 review and 2026 plan”."),
    )
    intro = models.TextField(_("intro"), blank=True)
    summary = models.TextField(_("overall retrospective"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility, default=Visibility.PRIVATE
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    comments_closed = models.BooleanField(
        _("comments closed"), default=False, help_text=_("Readers can no longer comment.")
    )
    imported_likes = models.PositiveIntegerField(
        _("likes from an imported archive"),
        default=0,
        help_text=_("Likes the post had on the site it was exported from; added to its count."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    render_version = models.UUIDField(
        _("rendering version"),
        default=uuid.uuid4,
        editable=False,
        help_text=_("Changes with anything the post shows; names its cached rendering."),
    )
    discussion_version = models.UUIDField(
        _("discussion version"),
        default=uuid.uuid4,
        editable=False,
        help_text=_("Changes with the post's comments and likes; names their cached rendering."),
    )

    objects = YearQuerySet.as_manager()

    class Meta:
        ordering = ["owner", "year"]
        verbose_name = _("year")
        verbose_name_plural = _("years")
        constraints = [
            models.UniqueConstraint(fields=["owner", "year"], name="year_unique_per_owner"),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR),
                name="year_in_sane_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} · {self.year}"

    def save(self, *args, **kwargs) -> None:
        first_published = self.visibility != Visibility.PRIVATE and self.published_at is None
        if first_published:
            self.published_at = timezone.now()
        if self._state.adding:
            with transaction.atomic():
                super().save(*args, **kwargs)
                Period.objects.bulk_create(Period(year=self, index=i) for i in PERIOD_MONTHS)
        else:
            super().save(*args, **kwargs)
        if first_published:
            # Only once the row is written: outside a transaction on_commit runs at once, and
            # a receiver (a task reading the post back) must find it published.
            transaction.on_commit(lambda: post_published.send(sender=Year, post=self))

    def get_absolute_url(self) -> str:
        return reverse("planner:year_detail", args=[self.owner.username, self.year])

    def is_empty(self) -> bool:
        """Nothing written in it: no title, texts, goals (deleted ones too), entries or comments."""
        return not (
            self.title
            or self.intro.strip()
            or self.summary.strip()
            or Goal.all_objects.filter(year=self).exists()
            or Entry.all_objects.filter(period__year=self).exists()
            or self.periods.exclude(retrospective="").exists()
            or self.comments.exists()
            or self.answers.exists()
        )

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return _("%(year)s review and %(next)s plan") % {"year": self.year, "next": self.year + 1}

    @property
    def is_private(self) -> bool:
        return self.visibility == Visibility.PRIVATE

    @cached_property
    def content_language(self) -> str | None:
        """The language the post is written in, from its title, intro and summary."""
        return text_language(self.title, self.intro, self.summary)

    @property
    def comments_open(self) -> bool:
        """Readers may write: the post is shared and its owner has not closed comments."""
        return not self.is_private and not self.comments_closed

    def current_period_index(self, today: datetime.date) -> int | None:
        return period_index_for(today.month) if today.year == self.year else None


RESTORE_WINDOW = datetime.timedelta(days=7)


class VisibleToQuerySet(models.QuerySet):
    def visible_to(self, user, owner) -> VisibleToQuerySet:
        """Everything for the owner; for anyone else, what is not marked private."""
        return self if user == owner else self.filter(is_private=False)

    def recently_deleted(self) -> VisibleToQuerySet:
        """Deleted, and still within the time the owner may restore it."""
        return self.filter(deleted_at__gte=timezone.now() - RESTORE_WINDOW)

    def expired(self) -> VisibleToQuerySet:
        return self.filter(deleted_at__lt=timezone.now() - RESTORE_WINDOW)


class NotDeletedManager(models.Manager):
    """Leaves out what the owner deleted and may still restore for a while."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class Ordered(models.Model):
    """A row with an `order` among its siblings (goals in a year, entries in a period, photos
    in an entry); moving and reordering them is planner/ordering.py."""

    class Meta:
        abstract = True

    @classmethod
    def next_order(cls, **siblings) -> int:
        """The order that puts a new row after its siblings, deleted ones included."""
        top = cls._base_manager.filter(**siblings).aggregate(top=Max("order"))["top"]
        return (top or 0) + 1


class Restorable(models.Model):
    """A thing the owner can delete and, for a while, restore (goals and entries)."""

    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)

    objects = NotDeletedManager.from_queryset(VisibleToQuerySet)()
    all_objects = models.Manager.from_queryset(VisibleToQuerySet)()

    class Meta:
        abstract = True

    def soft_delete(self) -> None:
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at"])

    def restore(self) -> None:
        self.deleted_at = None
        self.save(update_fields=["deleted_at"])


class DefaultArea(models.TextChoices):
    """The life areas a person starts with; their names follow the reader's language until
    the owner renames them (docs/decisions/life-areas.md)."""

    CAREER = "career", _("Career and studies")
    HEALTH = "health", _("Health")
    RELATIONSHIPS = "relationships", _("Relationships")
    HOBBIES = "hobbies", _("Hobbies and creativity")
    MONEY = "money", _("Money")
    MIND = "mind", _("Mind")


class AreaManager(models.Manager):
    def ensure_defaults(self, owner) -> None:
        """Give a person the default areas, once: after that the list is theirs to empty."""
        if owner.life_areas_created:
            return
        with transaction.atomic():
            user_model = owner._meta.model  # the request's user is a lazy stand-in
            locked = user_model.objects.select_for_update().get(pk=owner.pk)
            if not locked.life_areas_created:
                self.bulk_create(
                    Area(owner=owner, default=default, order=order)
                    for order, default in enumerate(DefaultArea.values, start=1)
                )
                # update(), not save(): the person's pages show nothing of this yet.
                user_model.objects.filter(pk=owner.pk).update(life_areas_created=True)
        owner.life_areas_created = True


class Area(Ordered):
    """A part of life a person sorts goals and entries into (career, health, …)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="areas",
        verbose_name=_("owner"),
    )
    default = models.CharField(
        _("started as"), max_length=20, choices=DefaultArea, blank=True, editable=False
    )
    name = models.CharField(
        _("name"), max_length=60, blank=True, help_text=_("Empty: the default name, translated.")
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = AreaManager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("life area")
        verbose_name_plural = _("life areas")

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return label_of(self.name, self.default)


def label_of(name: str, default: str) -> str:
    """An area's name as shown: its own, or its default's in the reader's language."""
    if name or not default:
        return name
    return str(DefaultArea(default).label)


class ProgressKind(models.TextChoices):
    COUNT = "count", _("Count up — each update adds (pieces, books)")
    LATEST = "latest", _("Latest value — each update is a new reading (body weight)")


class Direction(models.TextChoices):
    AT_LEAST = "at_least", _("reach at least the target")
    AT_MOST = "at_most", _("get down to at most the target")


class Goal(Restorable, Ordered):
    """Something set for a year; at its end it is ticked or not, with a frank note."""

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="goals", verbose_name=_("year")
    )
    key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    title = models.CharField(_("goal"), max_length=200)
    done = models.BooleanField(_("reached"), default=False)
    done_at = models.DateTimeField(_("reached on"), null=True, blank=True)
    note = models.TextField(
        _("outcome note"),
        blank=True,
        help_text=_("How it went, in a line: “submitted, rejected; became a technical report”."),
    )
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    progress = models.DecimalField(
        _("progress so far"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True, help_text=_("kg, pieces, books…"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    progress_kind = models.CharField(
        _("progress adds up as"), max_length=10, choices=ProgressKind, default=ProgressKind.COUNT
    )
    start_value = models.DecimalField(
        _("start value"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For a latest value: where you started, e.g. 98 (kg)."),
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction, default=Direction.AT_LEAST
    )
    is_private = models.BooleanField(
        _("private"), default=False, help_text=_("Only you see a private goal.")
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("life area"),
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("carried over from"),
    )
    attempt = models.PositiveSmallIntegerField(
        _("attempt"), default=1, help_text=_("2 when a goal is set again for a second year.")
    )
    # A measurable goal is ticked by its figures until the owner ticks or unticks it.
    ticked_by_hand = models.BooleanField(_("ticked by hand"), default=False)
    let_go = models.BooleanField(
        _("let go"), default=False, help_text=_("Not reached, and not set again for next year.")
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=True)
                | Q(target__gt=0)
                | Q(target=0, progress_kind="latest", direction="at_most"),
                name="goal_target_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self.done and self.done_at is None:
            self.done_at = timezone.now()
        elif not self.done:
            self.done_at = None
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.year.get_absolute_url()}#goal-{self.pk}"

    @property
    def is_measurable(self) -> bool:
        return self.target is not None

    @property
    def is_overdue(self) -> bool:
        """Not reached, and its deadline has passed."""
        return not self.done and self.deadline is not None and self.deadline < timezone.localdate()

    @property
    def content_language(self) -> str | None:
        return text_language(self.title, self.note)

    @property
    def attempt_ordinal(self) -> str:
        """Which try this is, as a word to put in a sentence: “2nd”, “3rd”, “11th”."""
        n = self.attempt
        if n % 100 in (11, 12, 13):
            pattern = pgettext_lazy("ordinal 11, 12, 13", "{}th")
        else:
            pattern = {
                1: pgettext_lazy("ordinal 1", "{}st"),
                2: pgettext_lazy("ordinal 2", "{}nd"),
                3: pgettext_lazy("ordinal 3", "{}rd"),
            }.get(n % 10, pgettext_lazy("ordinal 0, 4-9", "{}th"))
        return str(pattern).format(n)

    @property
    def target_met(self) -> bool:
        if self.target is None or self.progress is None:
            return False
        if self.direction == Direction.AT_MOST:
            return self.progress <= self.target
        return self.progress >= self.target

    @property
    def percent(self) -> int:
        """How far along the way to the target, 0 to 100."""
        if self.target is None:
            return 100 if self.done else 0
        if self.progress is None:
            return 0
        start = self.start_value
        if start is None:
            start = Decimal(0) if self.direction == Direction.AT_LEAST else None
        if start is None or start == self.target:
            return 100 if self.target_met else 0
        share = (self.progress - start) / (self.target - start) * 100
        return max(0, min(100, int(share)))

    def settle_tick(self) -> None:
        """After its figures or its target changed: a measurable goal is reached when they
        say so, unless the owner ticked or unticked it by hand."""
        if self.is_measurable and not self.ticked_by_hand:
            self.done = self.target_met

    @transaction.atomic
    def tick(self, done: bool | None = None) -> None:
        """Tick (True) or untick (False) by hand; flip it with None. Asking for a state rather
        than a flip makes a tick sent twice (the offline queue, a double click) stay put. A
        tick given by hand stays whatever the figures do, until the owner lets them decide."""
        locked = type(self).objects.select_for_update().get(pk=self.pk)
        self.done = (not locked.done) if done is None else done
        self.ticked_by_hand = self.is_measurable
        self.save(update_fields=["done", "done_at", "ticked_by_hand"])

    def follow_figures(self) -> None:
        """A goal ticked by hand goes back to being ticked by its figures."""
        self.ticked_by_hand = False
        self.settle_tick()
        self.save(update_fields=["done", "done_at", "ticked_by_hand"])

    @property
    def tick_differs_from_figures(self) -> bool:
        return self.is_measurable and self.done != self.target_met

    def recompute_progress(self) -> None:
        """Set progress from the logged updates: their sum, or the latest reading."""
        updates = list(self.updates.order_by("recorded_on", "created_at"))
        if not updates:
            self.progress = None
        elif self.progress_kind == ProgressKind.COUNT:
            self.progress = sum((update.value for update in updates), Decimal(0))
        else:
            self.progress = updates[-1].value

    def carry_over(self, post: Year, *, order: int) -> Goal:
        """Set this goal again for another year: same aim, fresh progress, linked back here."""
        start = self.start_value
        if self.progress_kind == ProgressKind.LATEST and self.progress is not None:
            # A reading such as body weight picks up where the last year ended.
            start = self.progress
        return Goal.objects.create(
            year=post,
            title=self.title,
            target=self.target,
            unit=self.unit,
            progress_kind=self.progress_kind,
            direction=self.direction,
            start_value=start,
            is_private=self.is_private,
            area_id=self.area_id,
            carried_from=self,
            attempt=self.attempt + 1,
            order=order,
        )


class GoalUpdate(models.Model):
    """One logged step toward a measurable goal: a date, a value and a remark."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="updates", verbose_name=_("goal")
    )
    key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    recorded_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    remark = models.CharField(_("remark"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["recorded_on", "created_at"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.goal} · {self.recorded_on}: {self.value}"


class Period(models.Model):
    """One of the three four-month chapters of a year, with its own retrospective."""

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="periods", verbose_name=_("year")
    )
    index = models.PositiveSmallIntegerField(_("period"), choices=PERIOD_LABELS.items())
    retrospective = models.TextField(_("retrospective"), blank=True)

    class Meta:
        ordering = ["year", "index"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [
            models.UniqueConstraint(fields=["year", "index"], name="period_unique_per_year"),
            models.CheckConstraint(
                condition=Q(index__gte=1) & Q(index__lte=3), name="period_index_1_to_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.label}"

    def get_absolute_url(self) -> str:
        return f"{self.year.get_absolute_url()}#period-{self.index}"

    @property
    def label(self) -> str:
        return PERIOD_LABELS[self.index]

    @property
    def place(self) -> str:
        """Where its answers to guided questions are (planner/reflection.py)."""
        return period_place(self.index)


class Entry(Restorable, Ordered):
    """Something that happened in a period, told in Markdown with photos."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="entries", verbose_name=_("period")
    )
    key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown: **bold**, [links](…)."))
    is_private = models.BooleanField(
        _("private"), default=False, help_text=_("Only you see a private entry.")
    )
    # Opened on its own (from search, "on this day", a link), once per person and day.
    reads = models.PositiveIntegerField(_("reads"), default=0, editable=False)
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("life area"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")

    def __str__(self) -> str:
        return self.title

    @property
    def content_language(self) -> str | None:
        return text_language(self.title, self.body)

    def check_room_for_photos(self, count: int) -> None:
        """Refuse adding `count` photos to this entry if it would then hold more than the limit."""
        limit = settings.PHOTO_MAX_PER_ENTRY
        held = Photo.objects.filter(entry=self).count() if self.pk else 0
        if held + count <= limit:
            return
        room = max(0, limit - held)
        if room == 0:
            message = ngettext(
                "This entry already has %(limit)s photo, the most an entry can hold.",
                "This entry already has %(limit)s photos, the most an entry can hold.",
                limit,
            )
        else:
            message = ngettext(
                "This entry has room for %(room)s more photo (an entry holds at most "
                "%(limit)s); you chose %(count)s.",
                "This entry has room for %(room)s more photos (an entry holds at most "
                "%(limit)s); you chose %(count)s.",
                room,
            )
        raise ValidationError(
            message, code="too_many_photos", params={"limit": limit, "room": room, "count": count}
        )


def photo_upload_to(photo: Photo, filename: str) -> str:
    return f"{photo.folder}/{filename}"


def original_upload_to(photo: Photo, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"originals/{photo.key.hex}/original.{suffix}"


class PhotoManager(models.Manager):
    def create_from_upload(
        self,
        entry: Entry,
        upload,
        *,
        caption: str = "",
        keep_original: bool = False,
        key: uuid.UUID | None = None,
    ) -> Photo:
        """Process an upload and store its renditions; the one way a photo comes to be."""
        processed = getattr(upload, "processed", None) or process_photo(upload)
        photo = self.model(
            entry=entry,
            caption=caption,
            order=Photo.next_order(entry=entry),
            taken_at=processed.taken_at,
        )
        if key is not None:
            photo.key = key  # an imported photo keeps the id it had in its archive
        try:
            self._store(photo, processed, upload if keep_original else None)
            photo.width, photo.height = processed.width, processed.height
            photo.save()
        except BaseException:
            # A full disk, or a failed insert: no file of a photo that does not exist stays.
            delete_files(photo.image.storage, photo.stored_names())
            raise
        return photo

    @staticmethod
    def _store(photo: Photo, processed, original) -> None:
        """Write the photo's files, each named on `photo` as soon as it is stored."""
        photo.renditions = []
        for rendition in processed.renditions:
            stored = photo.image.storage.save(
                f"{photo.folder}/{rendition['name']}", processed.files[rendition["name"]]
            )
            photo.renditions.append({**rendition, "name": stored})
        photo.image.save("fallback.jpg", processed.files["fallback.jpg"], save=False)
        if original is not None:
            original.seek(0)
            photo.original.save(original.name, original, save=False)


class Photo(Ordered):
    """A picture in an entry, stored as clean renditions: WebP widths and a JPEG fallback."""

    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="photos", verbose_name=_("entry")
    )
    key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    image = models.ImageField(
        _("photo"), upload_to=photo_upload_to, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    renditions = models.JSONField(
        _("renditions"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("WebP files by width: [{width, height, name}], narrowest first."),
    )
    taken_at = models.DateTimeField(_("taken on"), null=True, blank=True)
    original = models.FileField(
        _("original upload"), upload_to=original_upload_to, blank=True, editable=False
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PhotoManager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or self.image.name

    @property
    def folder(self) -> str:
        return f"photos/{self.key.hex}"

    def file_url(self, name: str) -> str:
        """The address of one of this photo's files, served after a permission check."""
        return reverse("planner:photo_file", args=[self.pk, name.rsplit("/", 1)[-1]])

    @property
    def fallback_url(self) -> str:
        return self.file_url(self.image.name)

    @property
    def srcset(self) -> str:
        return ", ".join(
            f"{self.file_url(rendition['name'])} {rendition['width']}w"
            for rendition in self.renditions
        )

    def rendition(self, width: int | None = None) -> dict:
        """One file of the photo as {name, width, height}: the WebP `width` px wide, or the widest
        when it has none that wide; the narrowest without `width`; the JPEG when it has no WebP."""
        if not self.renditions:
            return {"name": self.image.name, "width": self.width, "height": self.height}
        if width is None:
            return self.renditions[0]
        return next((r for r in self.renditions if r["width"] == width), self.renditions[-1])

    @property
    def thumbnail_url(self) -> str:
        """The narrowest rendition (480 px wide at most), for lists of photos."""
        return self.file_url(self.rendition()["name"])

    def stored_name(self, basename: str) -> str | None:
        """The storage name of this photo's file called `basename` ("480.webp"), if any."""
        public = [self.image.name, *(rendition["name"] for rendition in self.renditions)]
        return next((name for name in public if name.rsplit("/", 1)[-1] == basename), None)

    def stored_names(self) -> list[str]:
        """Every file of this photo in storage."""
        names = [rendition["name"] for rendition in self.renditions]
        return [name for name in [self.image.name, self.original.name, *names] if name]

    def period_taken_in(self) -> str | None:
        """The label of the other period of the entry's year in which the photo was taken."""
        if self.taken_at is None:
            return None
        taken = timezone.localtime(self.taken_at)
        period = self.entry.period
        index = period_index_for(taken.month)
        if taken.year != period.year.year or index == period.index:
            return None
        return PERIOD_LABELS[index]


class CommentQuerySet(models.QuerySet):
    def threads(self) -> CommentQuerySet:
        """Top-level comments, oldest first; replies hang under them."""
        return self.filter(parent__isnull=True)

    def live(self) -> CommentQuerySet:
        """Comments not removed: what the count counts."""
        return self.filter(removed_at__isnull=True)

    def shown(self) -> CommentQuerySet:
        """What a post shows: live comments, and removed ones that still have live replies."""
        live_replies = Comment.objects.live().filter(parent=models.OuterRef("pk"))
        return self.filter(Q(removed_at__isnull=True) | Q(models.Exists(live_replies)))

    def on_shared_posts(self) -> CommentQuerySet:
        """Comments exist for readers only on unlisted and public posts."""
        return self.exclude(year__visibility=Visibility.PRIVATE).filter(year__owner__is_active=True)

    def in_post_order(self) -> CommentQuerySet:
        """The pinned thread first, then the others oldest first."""
        return self.order_by(models.F("pinned_at").desc(nulls_last=True), "created_at", "id")

    def expired(self) -> CommentQuerySet:
        """What `purge_deleted` deletes for good: removed longer ago than the time to undo,
        and not standing above a reply that is live or may still be restored."""
        cutoff = timezone.now() - RESTORE_WINDOW
        kept_replies = Comment.objects.filter(parent=models.OuterRef("pk")).exclude(
            removed_at__lt=cutoff
        )
        return self.filter(removed_at__lt=cutoff).exclude(models.Exists(kept_replies))


class Comment(models.Model):
    """A reader's comment on a post, or a reply to one (one level deep)."""

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="comments", verbose_name=_("post")
    )
    key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    # Empty only for a comment brought in by an archive from a reader who has no account
    # here: it keeps the name it was written under, and belongs to no one on this site.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("author"),
    )
    imported_author_username = models.CharField(
        _("author's username where it was written"), max_length=150, blank=True
    )
    imported_author_name = models.CharField(
        _("author's name where it was written"), max_length=150, blank=True
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    # Replies hang one level deep under their thread's first comment (`parent`); a reply to
    # a reply keeps the comment it answers here, so its author is the one who hears of it.
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answers"),
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    removed_at = models.DateTimeField(
        _("removed"),
        null=True,
        blank=True,
        help_text=_("A removed comment shows as “removed” so its replies still read."),
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    # Set by the post's owner on one thread of the post, which then shows first.
    pinned_at = models.DateTimeField(_("pinned to the top"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["year", "created_at"], name="comment_year_created")]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(pinned_at__isnull=False),
                name="comment_one_pin_per_post",
            )
        ]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.year}: {self.body[:40]}"

    @property
    def author_name(self) -> str:
        if self.author is None:
            return self.imported_author_name or self.imported_author_username
        return self.author.name

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def thread_id(self) -> int:
        return self.parent_id or self.pk

    @property
    def body_html(self) -> SafeString:
        return render_plain_text(self.body)

    @property
    def content_language(self) -> str | None:
        return text_language(self.body)

    @property
    def is_pinned(self) -> bool:
        return self.pinned_at is not None

    def remove(self, by) -> None:
        """Take the comment down, and its pin with it; its replies stay, under a "removed"
        placeholder."""
        self.removed_at = timezone.now()
        self.removed_by = by
        self.pinned_at = None
        self.save(update_fields=["removed_at", "removed_by", "pinned_at"])

    def pin(self) -> None:
        """Show this thread first on its post, in place of any other pinned before."""
        with transaction.atomic():
            # Two pins at once on one post wait for each other, rather than the second
            # running into the one-pin constraint.
            list(Year.objects.select_for_update().filter(pk=self.year_id).values_list("pk"))
            others = Comment.objects.filter(year_id=self.year_id, pinned_at__isnull=False)
            others.exclude(pk=self.pk).update(pinned_at=None)
            self.pinned_at = timezone.now()
            self.save(update_fields=["pinned_at"])

    def unpin(self) -> None:
        self.pinned_at = None
        self.save(update_fields=["pinned_at"])


class LikeQuerySet(models.QuerySet):
    def summary(self, post: Year, user) -> tuple[int, bool]:
        """How many readers like a post, and whether `user` is one of them, in one query."""
        figures = self.filter(year=post).aggregate(
            count=models.Count("pk"), mine=models.Count("pk", filter=Q(user_id=user.pk))
        )
        return figures["count"] + post.imported_likes, figures["mine"] > 0

    def set(self, post: Year, user, *, liked: bool) -> None:
        """Like a post or take the like back; sending the same twice changes nothing.

        The unique constraint settles a race: get_or_create inserts in its own transaction,
        and a second insert fails and is read back as the like that won, so double clicks
        and parallel requests leave at most one row. No wider transaction: the page sends
        the state it wants, so nothing is read first to decide what to write (and SQLite
        would refuse to turn such a read into a write under contention).
        """
        if not liked:
            self.filter(year=post, user=user).delete()
            return
        # IntegrityError: liked, and taken back, by parallel requests in between.
        with contextlib.suppress(IntegrityError):
            self.get_or_create(year=post, user=user)


class Like(models.Model):
    """One reader's like of a post; the database allows one per reader and post."""

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="likes", verbose_name=_("post")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="likes",
        verbose_name=_("reader"),
    )
    created_at = models.DateTimeField(_("liked"), auto_now_add=True)

    objects = LikeQuerySet.as_manager()

    class Meta:
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        constraints = [
            models.UniqueConstraint(fields=["year", "user"], name="like_once_per_reader"),
        ]

    def __str__(self) -> str:
        return f"{self.user} likes {self.year}"


class DailyViews(models.Model):
    """How many readers opened a post on a day; nothing about who they were."""

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="daily_views", verbose_name=_("post")
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        ordering = ["day"]
        verbose_name = _("daily views")
        verbose_name_plural = _("daily views")
        constraints = [
            models.UniqueConstraint(fields=["year", "day"], name="daily_views_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.day}: {self.count}"


class SentReminder(models.Model):
    """A reminder e-mail that went out, so each one is sent at most once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sent_reminders",
        verbose_name=_("user"),
    )
    key = models.CharField(
        _("reminder"), max_length=100, help_text=_("e.g. period-end:2026-2, deadline:<goal id>")
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="reminder_sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.key}"


class ScheduledRun(models.Model):
    """A daily job started on a day: one row per job and day, so it runs once whatever the
    number of workers (planner/schedule.py)."""

    job = models.CharField(_("job"), max_length=50)
    day = models.DateField(_("day"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-day", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="job_runs_once_a_day")]

    def __str__(self) -> str:
        return f"{self.job} · {self.day}"


class WorkerHeartbeat(models.Model):
    """A task worker that is alive, as last seen: the tasks of a worker that stopped being
    seen are handed to another (planner/worker.py)."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class Import(models.Model):
    """A year made by the Markdown importer, kept so the import can be undone for a while.

    Undoing deletes the year and the goals the import added to the year after it (and that
    year too when the import created it and nothing else is in it).
    """

    post = models.OneToOneField(
        Year, on_delete=models.CASCADE, related_name="import_record", verbose_name=_("post")
    )
    next_post = models.ForeignKey(
        Year,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("next year, if the import created it"),
    )
    added_goal_ids = models.JSONField(_("goals added to next year"), default=list, blank=True)
    # The years of a series imported in one go share it, and are undone together.
    batch = models.UUIDField(_("imported together as"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.post} · {self.created_at:%Y-%m-%d}"

    @property
    def undoable_until(self) -> datetime.datetime:
        return self.created_at + RESTORE_WINDOW

    @property
    def can_be_undone(self) -> bool:
        return timezone.now() < self.undoable_until

    def together(self) -> list[Import]:
        """This import and the others of its series, oldest year first."""
        if self.batch is None:
            return [self]
        records = Import.objects.filter(batch=self.batch, post__owner_id=self.post.owner_id)
        return list(records.select_related("post", "next_post").order_by("post__year"))

    def undo(self) -> None:
        """Delete what the import made (with the rest of its series), in one transaction."""
        with transaction.atomic():
            records = self.together()
            owner_years = Year.objects.filter(owner_id=self.post.owner_id)
            added = [pk for record in records for pk in record.added_goal_ids]
            Goal.all_objects.filter(pk__in=added, year__in=owner_years).delete()
            next_posts = [record.next_post for record in records if record.next_post]
            for record in records:
                record.post.delete()
            for next_post in next_posts:
                if next_post.is_empty():
                    next_post.delete()


class OwnQuestion(models.Model):
    """A question a person wrote for one of the sets, offered again in every later year."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="own_questions",
        verbose_name=_("owner"),
    )
    question_set = models.CharField(_("question set"), max_length=10, choices=QuestionSet)
    text = models.CharField(_("question"), max_length=300)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("own question")
        verbose_name_plural = _("own questions")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "question_set", "text"], name="own_question_once_per_set"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def content_language(self) -> str | None:
        return text_language(self.text)


class AnswerQuerySet(models.QuerySet):
    def shown(self) -> AnswerQuerySet:
        """What readers see: the answers their writer chose to show in the post."""
        return self.filter(shown_in_post=True)


class Answer(Ordered):
    """A person's answer to one question at one place of a post (a period, the year, the plan).

    The question is either a built-in one, by its key, or one of the person's own.
    """

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="answers", verbose_name=_("post")
    )
    place = models.CharField(_("place"), max_length=10, choices=Place)
    question_key = models.CharField(_("built-in question"), max_length=40, blank=True)
    own_question = models.ForeignKey(
        OwnQuestion,
        # An own question goes only with its writer (whose answers go too), never alone.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("own question"),
    )
    text = models.TextField(_("answer"), blank=True)
    shown_in_post = models.BooleanField(
        _("shown in the post"), default=False, help_text=_("Readers see this answer.")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=(Q(question_key="") & Q(own_question__isnull=False))
                | (~Q(question_key="") & Q(own_question__isnull=True)),
                name="answer_to_one_question",
            ),
            models.UniqueConstraint(
                fields=["year", "place", "question_key"],
                condition=~Q(question_key=""),
                name="built_in_question_once_per_place",
            ),
            models.UniqueConstraint(
                fields=["year", "place", "own_question"],
                condition=Q(own_question__isnull=False),
                name="own_question_once_per_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.place} · {self.question_text}"

    @property
    def question_text(self) -> str:
        """The question in the reader's language (a built-in one), or as its writer wrote it."""
        if self.own_question_id:
            return self.own_question.text
        return str(BUILT_IN_BY_KEY[self.question_key].text)

    @property
    def content_language(self) -> str | None:
        return text_language(self.text)

    @property
    def question_language(self) -> str | None:
        """The language an own question is written in; None for a built-in one (the page's)."""
        return self.own_question.content_language if self.own_question_id else None

    @property
    def question_set(self) -> QuestionSet:
        return question_set_of(self.place)

    @property
    def period_index(self) -> int | None:
        return int(self.place.removeprefix("period-")) if self.place.startswith("period-") else None


# How long the record of a change sent from the installed app's queue is kept: a change
# resent after that (a phone offline for months) would be applied a second time.
APPLIED_CHANGE_KEPT = datetime.timedelta(days=90)


class AppliedChange(models.Model):
    """A change sent with an Idempotency-Key (the installed app's offline queue) and applied:
    the same key sent again is answered from here instead of being applied twice
    (planner/idempotency.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(_("key"), max_length=64)
    path = models.CharField(_("address"), max_length=500)
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)

    class Meta:
        verbose_name = _("applied change")
        verbose_name_plural = _("applied changes")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="change_applied_once")]

    def __str__(self) -> str:
        return f"{self.key} · {self.path}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)  # 43 characters, 256 random bits


class CalendarFeedManager(models.Manager):
    def for_owner(self, owner) -> CalendarFeed:
        """The person's calendar feed, made the first time it is asked for."""
        return self.get_or_create(owner=owner)[0]


class CalendarFeed(models.Model):
    """A person's calendar of deadlines and retrospectives, at a secret address: whoever
    holds the token reads it (a calendar service has no session), so resetting the token
    is how the person takes it back (docs/decisions/calendar-feed.md)."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("owner"),
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    include_private = models.BooleanField(
        _("include what only you see"),
        default=True,
        help_text=_(
            "Private goals, and the goals of private years. Leave it off if you share the "
            "calendar with others."
        ),
    )
    created_at = models.DateTimeField(_("address made"), default=timezone.now, editable=False)

    objects = CalendarFeedManager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.owner} · calendar"

    def get_absolute_url(self) -> str:
        return reverse("planner:calendar_feed", args=[self.token])

    def reset(self) -> None:
        """A new address; the old one answers 404 from now on."""
        self.token = new_calendar_token()
        self.created_at = timezone.now()
        self.save(update_fields=["token", "created_at"])
