"""Export → import into an empty site → export gives the same archive, for generated years."""

from __future__ import annotations

import datetime
import io
import zipfile

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from planner.models import Comment, Goal, GoalUpdate, Like, Visibility, Year
from portability.archive import differences, import_archive
from tests.factory import image_upload, make_entry, make_photo, make_user
from tests.portability.archive_helpers import document_of, export_bytes

LETTERS = "abcdefghij XYZ 가나다라마바사 결산계획 목표 .,!?-*_#"
line = st.text(alphabet=LETTERS, min_size=1, max_size=30).filter(str.strip)
text = st.text(alphabet=LETTERS + "\n", max_size=80)
IMAGES = [("red.png", "PNG", (40, 30)), ("tall.jpg", "JPEG", (30, 50)), ("dot.gif", "GIF", (8, 8))]

goals = st.lists(
    st.fixed_dictionaries(
        {
            "title": line,
            "done": st.booleans(),
            "note": text,
            "is_private": st.booleans(),
            "target": st.none() | st.decimals(min_value=1, max_value=9999, places=2),
            "updates": st.lists(st.decimals(min_value=0, max_value=500, places=2), max_size=3),
        }
    ),
    max_size=4,
)
entries = st.lists(
    st.fixed_dictionaries(
        {
            "period": st.integers(1, 3),
            "title": line,
            "body": text,
            "is_private": st.booleans(),
            "photos": st.lists(st.tuples(st.sampled_from(IMAGES), text), max_size=2),
        }
    ),
    max_size=3,
)
years = st.dictionaries(
    st.integers(2000, 2030),
    st.fixed_dictionaries(
        {
            "title": st.just("") | line,
            "intro": text,
            "summary": text,
            "visibility": st.sampled_from(Visibility.values),
            "retrospectives": st.lists(text, min_size=3, max_size=3),
            "goals": goals,
            "entries": entries,
            "comments": st.lists(st.tuples(line, st.booleans()), max_size=2),
            "liked": st.booleans(),
        }
    ),
    max_size=3,
)


def build(owner: User, reader: User, spec: dict) -> None:
    for number, data in spec.items():
        year = Year.objects.create(
            owner=owner,
            year=number,
            **{k: data[k] for k in ("title", "intro", "summary", "visibility")},
        )
        for period, retrospective in zip(year.periods.all(), data["retrospectives"], strict=True):
            period.retrospective = retrospective
            period.save()
        for order, item in enumerate(data["goals"]):
            goal = Goal.objects.create(
                year=year,
                order=order,
                **{k: item[k] for k in ("title", "done", "note", "is_private", "target")},
            )
            for day, value in enumerate(item["updates"], start=1):
                GoalUpdate.objects.create(
                    goal=goal, recorded_on=datetime.date(number, 1, day), value=value
                )
            goal.recompute_progress()
            goal.save()
        for order, item in enumerate(data["entries"]):
            entry = make_entry(
                year,
                item["period"],
                order=order,
                **{k: item[k] for k in ("title", "body", "is_private")},
            )
            for (name, fmt, size), caption in item["photos"]:
                make_photo(entry, upload=image_upload(name, fmt, size), caption=caption)
        for body, answered in data["comments"]:
            question = Comment.objects.create(year=year, author=reader, body=body)
            if answered:
                Comment.objects.create(year=year, author=owner, body="고마워요!", parent=question)
        if data["liked"]:
            Like.objects.create(year=year, user=reader)


@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=years)
def test_it_gives_back_the_same_archive_after_a_round_trip(db, spec):
    with transaction.atomic():
        owner = make_user("writer", display_name="글쓴이", bio="Researcher, 학생")
        reader = make_user("reader", display_name="Rae Reader")
        build(owner, reader, spec)
        first = export_bytes(owner)
        owner.delete()
        reader.delete()  # as on a site the reader never joined

        import_archive(User(username="writer"), io.BytesIO(first))
        second = export_bytes(User.objects.get(username="writer"))

        before, after = document_of(first), document_of(second)
        before.pop("exported_at"), after.pop("exported_at")
        assert differences(before, after) == []
        assert markdown_of(first) == markdown_of(second)
        assert len(after["years"]) == len(spec)
        transaction.set_rollback(True)


def markdown_of(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("years/")
        }
