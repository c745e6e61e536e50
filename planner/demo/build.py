"""Writing the demo's content (planner/demo/content.py) into the database."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from planner.images import process_avatar
from planner.models import (
    Comment,
    DailyViews,
    Direction,
    Entry,
    Goal,
    GoalUpdate,
    Like,
    Period,
    Photo,
    ProgressKind,
    Visibility,
    Year,
    period_index_for,
)
from readers.following import Follow

from .content import CONVERSATIONS
from .pictures import SCENES, draw_avatar, draw_scene


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A time on that day, but never in the future: a demo doesn't publish tomorrow."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(moment, timezone.now())


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def create_person(spec: dict, today: datetime.date) -> User:
    initials, top, bottom = spec["avatar"]
    user = User.objects.create_user(
        username=spec["username"],
        email=spec["email"],
        password=spec["password"],
        display_name=spec["display_name"],
        bio=spec["bio"],
        avatar=process_avatar(_upload("avatar.jpg", draw_avatar(initials, top, bottom))),
    )
    previous = None
    for year_spec in sorted(spec["years"], key=lambda year_spec: year_spec["offset"]):
        previous = create_year(user, year_spec, today, previous)
    return user


def create_year(owner: User, spec: dict, today: datetime.date, previous: Year | None) -> Year:
    number = today.year + spec["offset"]
    published_at = None
    if spec["visibility"] != Visibility.PRIVATE:
        published_at = _moment(datetime.date(number + 1, *spec.get("published", (1, 2))))
    post = Year.objects.create(
        owner=owner,
        year=number,
        visibility=spec["visibility"],
        intro=spec.get("intro", ""),
        summary=spec.get("summary", ""),
        published_at=published_at,
    )
    for order, goal_spec in enumerate(spec["goals"], start=1):
        goal = create_goal(post, goal_spec, order, previous)
        log_progress(goal, goal_spec, min(today, datetime.date(number, 12, 20)))
    # The year in progress has lived only up to today's period; its retrospective comes after.
    current = period_index_for(today.month) if number == today.year else 4
    for period in post.periods.filter(index__lte=current):
        period_spec = spec.get("periods", {}).get(period.index, {})
        if period.index < current and period_spec.get("retrospective"):
            period.retrospective = period_spec["retrospective"]
            period.save(update_fields=["retrospective"])
        for order, entry_spec in enumerate(period_spec.get("entries", []), start=1):
            create_entry(period, entry_spec, order)
    return post


def create_goal(post: Year, spec: dict, order: int, previous: Year | None) -> Goal:
    deadline = datetime.date(post.year, *spec["deadline"]) if "deadline" in spec else None
    done = spec.get("done", False)
    reached = datetime.date(post.year, *spec.get("reached", (12, 20)))
    earlier = previous.goals.get(title=spec["again"]) if "again" in spec and previous else None
    return Goal.objects.create(
        year=post,
        title=spec["title"],
        note=spec.get("note", ""),
        target=spec.get("target"),
        unit=spec.get("unit", ""),
        progress_kind=spec.get("kind", ProgressKind.COUNT),
        direction=spec.get("direction", Direction.AT_LEAST),
        start_value=spec.get("start"),
        carried_from=earlier,
        attempt=earlier.attempt + 1 if earlier else 1,
        deadline=deadline,
        done=done,
        done_at=_moment(deadline or reached) if done else None,
        is_private=spec.get("private", False),
        order=order,
    )


def log_progress(goal: Goal, spec: dict, last_day: datetime.date) -> None:
    """Spread a goal's progress over the year as logged updates, so it has a history."""
    if "readings" in spec:
        values = [Decimal(reading) for reading in spec["readings"]]
    elif spec.get("progress"):
        progress = Decimal(spec["progress"])
        steps = int(progress) if progress == int(progress) and progress <= 14 else 1
        values = [progress / steps] * steps
    else:
        return
    first_day = min(datetime.date(goal.year.year, 1, 15), last_day)  # early January: today
    gap = max((last_day - first_day).days, 0) / max(len(values) - 1, 1)
    GoalUpdate.objects.bulk_create(
        GoalUpdate(goal=goal, value=value, recorded_on=first_day + datetime.timedelta(gap * i))
        for i, value in enumerate(values)
    )
    goal.recompute_progress()
    goal.save(update_fields=["progress"])


def create_entry(period: Period, spec: dict, order: int) -> Entry:
    entry = Entry.objects.create(
        period=period,
        title=spec["title"],
        body=spec["body"],
        is_private=spec.get("private", False),
        reads=spec.get("reads", 0),
        order=order,
    )
    for scene, caption in spec.get("photos", []):
        picture = _upload(f"{scene}.jpg", draw_scene(SCENES[scene]))
        Photo.objects.create_from_upload(entry, picture, caption=caption)
    return entry


def create_readership(writer: User, reader: User, today: datetime.date) -> None:
    """The reader follows the writer and likes their shared posts, read on the days of the
    last 90 since each was published."""
    Follow.objects.get_or_create(follower=reader, writer=writer)
    for post in Year.objects.readable_by(reader).filter(owner=writer):
        Like.objects.create(year=post, user=reader)
        rng = random.Random(post.year)
        days = [today - datetime.timedelta(days=n) for n in range(90)]
        DailyViews.objects.bulk_create(
            DailyViews(year=post, day=day, count=count)
            for n, day in enumerate(days)
            if day >= timezone.localdate(post.published_at)
            and (count := rng.choice([0, 0, 1, 2, 3, 5, 8]) * (2 if n < 14 else 1))
        )


def create_conversations(writer: User, reader: User, today: datetime.date) -> None:
    """The reader comments on the writer's shared posts in the days after each was
    published, and the writer answers the next morning."""
    people = {"demo": writer, "reader": reader}
    for post in Year.objects.readable_by(reader).filter(owner=writer):
        published = timezone.localdate(post.published_at)
        conversations = CONVERSATIONS.get(post.year - today.year, [])
        for n, (who, text, answerer, answer) in enumerate(conversations):
            asked = published + datetime.timedelta(days=3 + 5 * n)
            comment = _comment(post, people[who], text, _moment(asked, 21))
            answered = _moment(asked + datetime.timedelta(days=1), 8)
            _comment(post, people[answerer], answer, answered, parent=comment)


def _comment(post: Year, author: User, body: str, at: datetime.datetime, **kwargs) -> Comment:
    comment = Comment.objects.create(year=post, author=author, body=body, **kwargs)
    Comment.objects.filter(pk=comment.pk).update(created_at=at)  # created_at is set on save
    return comment


def describe(user: User) -> str:
    counts = {
        "year": Year.objects.filter(owner=user).count(),
        "goal": Goal.objects.filter(year__owner=user).count(),
        "entry": Entry.objects.filter(period__year__owner=user).count(),
        "photo": Photo.objects.filter(entry__period__year__owner=user).count(),
    }
    plurals = {"entry": "entries"}
    parts = [
        f"{n} {noun if n == 1 else plurals.get(noun, noun + 's')}" for noun, n in counts.items()
    ]
    return f"{user.username} ({', '.join(parts)})"
