"""Small helpers that make the objects tests need, with readable defaults."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from planner.models import Answer, Comment, Entry, Goal, Photo, Visibility, Year

PASSWORD = "a-long-test-password"


def make_user(username: str, **kwargs) -> User:
    kwargs.setdefault("email", f"{username}@example.com")
    return User.objects.create_user(username=username, password=PASSWORD, **kwargs)


def make_year(owner: User, **kwargs) -> Year:
    kwargs.setdefault("year", 2025)
    kwargs.setdefault("visibility", Visibility.PUBLIC)
    return Year.objects.create(owner=owner, **kwargs)


def make_goal(post: Year, **kwargs) -> Goal:
    kwargs.setdefault("title", "Run a half marathon")
    kwargs.setdefault("order", post.goals.count() + 1)
    return Goal.objects.create(year=post, **kwargs)


def make_entry(post: Year, period: int = 1, **kwargs) -> Entry:
    kwargs.setdefault("title", "Spring trip")
    kwargs.setdefault("body", "We went to the sea.")
    return Entry.objects.create(period=post.periods.get(index=period), **kwargs)


def make_comment(post: Year, author: User, **kwargs) -> Comment:
    kwargs.setdefault("body", "What a year. Congratulations on the half marathon!")
    return Comment.objects.create(year=post, author=author, **kwargs)


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), **save_kwargs) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def image_upload(name: str = "photo.jpg", fmt: str = "JPEG", size=(64, 48), **kw):
    return SimpleUploadedFile(name, image_bytes(fmt, size, **kw), content_type="image/jpeg")


def make_photo(entry: Entry, **kwargs) -> Photo:
    kwargs.setdefault("caption", "The view from the top")
    upload = kwargs.pop("upload", None) or image_upload()
    return Photo.objects.create_from_upload(entry, upload, **kwargs)


def make_answer(post: Year, place: str = "period-1", **kwargs) -> Answer:
    """An answer to a built-in question (`question_key`) unless `own_question` is given."""
    if "own_question" not in kwargs:
        kwargs.setdefault("question_key", "period-learned" if place.startswith("period") else "")
    kwargs.setdefault("text", "To rest before I am tired.")
    kwargs.setdefault("order", post.answers.count() + 1)
    return Answer.objects.create(year=post, place=place, **kwargs)
