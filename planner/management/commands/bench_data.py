"""Two writers whose posts `make bench` and the query budgets measure: typical and large."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from planner.demo.pictures import PHOTO_SIZE, SCENES, draw_avatar, draw_scene
from planner.images import ProcessedPhoto, process_avatar, process_photo
from planner.models import Comment, Entry, Goal, GoalUpdate, Like, Photo, Visibility, Year

PASSWORD = "bench-password"
READERS = 10
POST_YEAR = 2025


@dataclass(frozen=True)
class Size:
    """How much one writer has in the measured post, and how many years in the series."""

    name: str
    goals: int
    entries: int
    photos: int
    comments: int
    years: int

    @property
    def username(self) -> str:
        return f"bench-{self.name}"


SIZES = {
    "typical": Size("typical", goals=8, entries=12, photos=20, comments=30, years=2),
    "large": Size("large", goals=50, entries=120, photos=200, comments=2000, years=5),
    # A post whose comments pile up: the first page of threads, and the rest on demand.
    "comments": Size("comments", goals=8, entries=12, photos=20, comments=500, years=2),
}

ENTRY_BODY = """We finally went, after **three years** of saying "next spring".

- the early train, coffee from the station
- the long walk along the coast
- dinner at the place [everyone recommends](https://example.com/food)

> It rained on the second day, and that was the best day.

Next time: more time, fewer plans."""


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


class PhotoSource:
    """A few real photos run through the pipeline once; each stored photo reuses their files."""

    def __init__(self, size: tuple[int, int] = PHOTO_SIZE) -> None:
        self.processed = [
            process_photo(_upload(f"{name}.jpg", draw_scene(scene, size)))
            for name, scene in list(SCENES.items())[:4]
        ]
        self.contents = [
            {name: _read(content) for name, content in source.files.items()}
            for source in self.processed
        ]
        self.count = 0

    def upload(self) -> SimpleUploadedFile:
        """An upload that the photo manager stores as it is, without processing it again."""
        index = self.count % len(self.processed)
        self.count += 1
        source = self.processed[index]
        files = {name: ContentFile(data) for name, data in self.contents[index].items()}
        upload = _upload("photo.jpg", b"")
        upload.processed = ProcessedPhoto(
            files, source.renditions, source.width, source.height, source.taken_at
        )
        return upload


def _read(content: ContentFile) -> bytes:
    content.seek(0)
    return content.read()


def _spread(total: int, buckets: int) -> list[int]:
    """`total` items over `buckets` as evenly as possible: 20 over 12 → 2,2,…,1,1."""
    return [total // buckets + (1 if i < total % buckets else 0) for i in range(buckets)]


def build_writer(size: Size, readers: list[User], photos: PhotoSource, password: str) -> User:
    writer = User.objects.create(
        username=size.username,
        email=f"{size.username}@example.com",
        password=password,
        display_name=f"Bench {size.name.title()}",
        bio="Researcher, Developer, Student",
        avatar=process_avatar(_upload("avatar.jpg", draw_avatar("B", "#2b2d6e", "#f7a072"))),
    )
    # The series: earlier years, the measured post, and next year's plan after it.
    first = POST_YEAR - (size.years - 2)
    previous = None
    for number in range(first, POST_YEAR + 2):
        goals = size.goals if number == POST_YEAR else 6
        previous = build_year(writer, number, goals, previous)
    post = Year.objects.get(owner=writer, year=POST_YEAR)
    build_periods(post, size, photos)
    build_comments(post, size.comments, readers)
    Like.objects.bulk_create(Like(year=post, user=reader) for reader in readers)
    return writer


def build_year(writer: User, number: int, goals: int, previous: Year | None) -> Year:
    published = timezone.make_aware(datetime.datetime(number + 1, 1, 2, 10))
    post = Year.objects.create(
        owner=writer,
        year=number,
        visibility=Visibility.PUBLIC,
        published_at=min(published, timezone.now()),
        intro=f"My {number}: a look back at the year, goal by goal, and the plan for the next.",
        summary="All in all a good year: slower than planned, **better** than expected.",
    )
    earlier = list(previous.goals.all()) if previous else []
    for order in range(1, goals + 1):
        carried = earlier[order - 1] if order <= len(earlier) and order % 3 == 0 else None
        measurable = order % 2 == 0
        goal = Goal.objects.create(
            year=post,
            title=f"Goal {order} of {number}",
            note="Submitted, rejected; became a technical report." if order % 4 == 1 else "",
            done=order % 3 != 1,
            target=Decimal(12) if measurable else None,
            unit="books" if measurable else "",
            deadline=datetime.date(number, 6, 30) if order % 5 == 0 else None,
            carried_from=carried,
            attempt=carried.attempt + 1 if carried else 1,
            order=order,
        )
        if measurable:
            GoalUpdate.objects.bulk_create(
                GoalUpdate(goal=goal, recorded_on=datetime.date(number, month, 1), value=Decimal(2))
                for month in (2, 5, 9)
            )
            goal.recompute_progress()
            goal.save(update_fields=["progress"])
    return post


def build_periods(post: Year, size: Size, photos: PhotoSource) -> None:
    periods = list(post.periods.all())
    per_entry = _spread(size.photos, size.entries)
    for period, entries in zip(periods, _spread(size.entries, 3), strict=True):
        period.retrospective = f"Looking back at {period.label}: steady, with a good finish."
        period.save(update_fields=["retrospective"])
        for order in range(1, entries + 1):
            entry = Entry.objects.create(
                period=period,
                title=f"Entry {order} of {period.label}",
                body=ENTRY_BODY,
                order=order,
            )
            for _ in range(per_entry.pop()):
                Photo.objects.create_from_upload(entry, photos.upload(), caption="Worth the trip")


def build_comments(post: Year, count: int, readers: list[User]) -> None:
    """A third of the comments are replies, so threads have something under them."""
    threads = count - count // 3
    created = Comment.objects.bulk_create(
        Comment(year=post, author=readers[i % len(readers)], body=f"Comment {i}: what a year!")
        for i in range(threads)
    )
    Comment.objects.bulk_create(
        Comment(
            year=post,
            author=post.owner,
            parent=created[i % len(created)],
            body=f"Reply {i}: thank you!",
        )
        for i in range(count - threads)
    )


def build_readers(password: str) -> list[User]:
    return [
        User.objects.create(
            username=f"bench-reader{n}",
            email=f"bench-reader{n}@example.com",
            password=password,
            display_name=f"Reader {n}",
        )
        for n in range(READERS)
    ]


def bench_usernames() -> list[str]:
    return [size.username for size in SIZES.values()] + [f"bench-reader{n}" for n in range(READERS)]


class Command(BaseCommand):
    help = (
        "Create (or create again) the writers bench-typical and bench-large with their "
        f"{POST_YEAR} posts, and the readers who comment on them, for `make bench` and the "
        "query budgets. Re-running deletes them and builds them afresh. Log-in password: "
        f"{PASSWORD}."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be built; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, verbosity: int = 1, **options) -> None:
        existing = User.objects.filter(username__in=bench_usernames())
        if dry_run:
            self.stdout.write(
                f"Would delete {existing.count()} bench users and build: "
                + "; ".join(describe(size) for size in SIZES.values())
            )
            return
        photos = PhotoSource()
        with transaction.atomic():
            deleted = existing.count()
            existing.delete()
            # One slow password hash for all of them.
            password = make_password(PASSWORD)
            readers = build_readers(password)
            for size in SIZES.values():
                build_writer(size, readers, photos, password)
                if verbosity:
                    self.stdout.write(f"Built {size.username}: {describe(size)}.")
        if verbosity and deleted:
            self.stdout.write(f"Replaced {deleted} earlier bench users and their content.")


def describe(size: Size) -> str:
    return (
        f"{size.goals} goals, {size.entries} entries, {size.photos} photos and "
        f"{size.comments} comments in {POST_YEAR}, {size.years} years in the series"
    )
