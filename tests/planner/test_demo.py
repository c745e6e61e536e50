from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from planner.models import (
    Comment,
    DailyViews,
    Entry,
    Goal,
    GoalUpdate,
    Like,
    Period,
    Photo,
    Visibility,
    Year,
)

DEMO_DAY = "2026-06-15 12:00"
MD5_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
# The date is frozen before any fixture runs, so the demo is built "in June 2026".
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(DEMO_DAY, tick=False)]


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (User, Year, Goal, Period, Entry, Photo)
    return {model.__name__: model.objects.count() for model in models}


def test_it_leaves_an_existing_user_alone(db):
    User.objects.create_user(username="demo", password="something-else")
    run_demo()
    demo = User.objects.get(username="demo")
    assert not demo.years.exists()
    assert authenticate(username="demo", password="demo") is None
    assert authenticate(username="reader", password="reader") is not None


def test_it_reports_what_it_created(db):
    output = run_demo()
    assert "Created demo" in output
    assert "Created reader" in output
    assert "Created superuser admin" in output


def test_it_is_quiet_at_verbosity_0(db):
    assert run_demo("--verbosity", "0") == ""
    assert User.objects.filter(username="demo").exists()


def test_it_creates_nothing_in_a_dry_run(db):
    output = run_demo("--dry-run")
    assert "Would create" in output
    assert not User.objects.exists()


@pytest.mark.time_machine("2026-01-01 09:00", tick=False)
def test_it_works_on_new_years_day(db):
    run_demo()
    current = Year.objects.get(owner__username="demo", year=2026)
    assert not current.periods.get(index=2).entries.exists()
    published = Year.objects.get(owner__username="demo", year=2025).published_at
    assert published.date().isoformat() <= "2026-01-01"
    # Nothing is dated after today, and no post was read before it was published.
    now, today = timezone.now(), timezone.localdate()
    assert not GoalUpdate.objects.filter(recorded_on__gt=today).exists()
    assert not Goal.objects.filter(done_at__gt=now).exists()
    assert not Comment.objects.filter(created_at__gt=now).exists()
    assert not DailyViews.objects.filter(day__lt=F("year__published_at__date")).exists()


@pytest.fixture(scope="class")
def built_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, built once for the tests that only look at it; removed after them.

    Building it draws and resizes every photo, so it is built once rather than per test.
    It is committed (a test's own changes still roll back), so it is deleted afterwards.
    """
    media = tmp_path_factory.mktemp("demo-media")
    # What tests/conftest.py sets for each test, set here for the build.
    build_settings = override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=[MD5_HASHER])
    with django_db_blocker.unblock():
        with build_settings, time_machine.travel(DEMO_DAY, tick=False):
            run_demo()
        try:
            yield media
        finally:
            User.objects.all().delete()  # and with them everything the demo made


@pytest.fixture
def demo_data(built_demo, settings):
    settings.MEDIA_ROOT = built_demo
    return User.objects.get(username="demo")


class TestTheBuiltDemo:
    def test_it_creates_three_log_ins_that_work(self, demo_data):
        for name in ("demo", "reader", "admin"):
            assert authenticate(username=name, password=name) is not None
        admin = User.objects.get(username="admin")
        assert admin.is_superuser and admin.is_staff
        assert admin.email == "admin@example.com"

    def test_it_gives_people_a_name_bio_and_avatar(self, demo_data):
        for name in ("demo", "reader"):
            person = User.objects.get(username=name)
            assert person.display_name and person.bio
            assert person.avatar.storage.exists(person.avatar.name)
        assert demo_data.bio == "Researcher, Developer, Student"

    def test_it_creates_three_years_for_demo_and_next_years_goals(self, demo_data):
        years = dict(demo_data.years.values_list("year", "visibility"))
        assert years == {
            2024: Visibility.PUBLIC,
            2025: Visibility.UNLISTED,
            2026: Visibility.PRIVATE,
            2027: Visibility.PRIVATE,
        }
        assert all(not year.title for year in demo_data.years.all())
        next_post = demo_data.years.get(year=2027)
        assert next_post.goals.count() >= 3
        assert not Entry.objects.filter(period__year=next_post).exists()

    def test_it_publishes_past_years_in_the_following_january(self, demo_data):
        for number in (2024, 2025):
            year = demo_data.years.get(year=number)
            assert year.published_at.year == number + 1
            assert year.intro and year.summary
        assert demo_data.years.get(year=2026).published_at is None

    def test_it_fills_past_years_with_goals_reached_and_not_and_photos(self, demo_data):
        for number in (2024, 2025):
            year = demo_data.years.get(year=number)
            goals = year.goals.all()
            assert 5 <= len(goals) <= 8
            assert any(goal.done for goal in goals)
            assert any(not goal.done and goal.note for goal in goals)
            assert any(goal.target and goal.unit for goal in goals)
            assert any(goal.deadline for goal in goals)
            for period in year.periods.all():
                assert period.retrospective
                assert 2 <= period.entries.count() <= 4
            photos = Photo.objects.filter(entry__period__year=year)
            assert photos.exists()
            for photo in photos:
                assert photo.caption
                assert photo.image.storage.exists(photo.image.name)
                assert photo.width <= 1600

    def test_it_writes_the_oldest_year_in_korean(self, demo_data):
        oldest = demo_data.years.get(year=2024)
        assert "회고" in oldest.intro
        assert all(
            any("\uac00" <= c <= "\ud7a3" for c in goal.title) for goal in oldest.goals.all()
        )

    def test_it_keeps_the_current_year_in_progress(self, demo_data):
        current = demo_data.years.get(year=2026)
        # June: the second period is under way, the third has not begun.
        periods = {period.index: period for period in current.periods.all()}
        assert periods[1].entries.exists() and periods[1].retrospective
        assert periods[2].entries.exists() and not periods[2].retrospective
        assert not periods[3].entries.exists()
        goals = list(current.goals.all())
        assert any(goal.done for goal in goals) and not all(goal.done for goal in goals)

    def test_it_sets_goals_again_with_their_lineage(self, demo_data, client):
        eccv = Goal.objects.get(year__owner__username="demo", title="Submit to ECCV")

        assert eccv.attempt == 3
        assert eccv.carried_from.carried_from.year.year == 2024
        client.login(username="demo", password="demo")
        assert "set again — 3rd try" in client.get("/@demo/2026/").text

    def test_it_logs_progress_as_a_history(self, demo_data):
        weight = Goal.objects.get(year__owner__username="demo", title="Reach 76 kg")

        assert [str(update.value) for update in weight.updates.all()] == ["77.80", "77.20", "77.50"]
        assert str(weight.progress) == "77.50"
        assert weight.percent == 25
        books = Goal.objects.get(
            year__owner__username="demo", year__year=2025, title="Read 12 books"
        )
        assert books.updates.count() == 14
        assert books.done

    def test_it_gives_reader_one_public_year(self, demo_data):
        reader = User.objects.get(username="reader")
        year = reader.years.get()
        assert (year.year, year.visibility) == (2025, Visibility.PUBLIC)
        assert year.goals.exists()
        assert Entry.objects.filter(period__year=year).exists()

    def test_it_changes_nothing_when_run_again(self, demo_data):
        before = counts()
        demo = User.objects.get(username="demo")
        output = run_demo()
        assert counts() == before
        assert User.objects.get(username="demo").password == demo.password
        assert "nothing to do" in output

    def test_it_shows_the_public_post_to_anyone(self, demo_data, client):
        response = client.get("/@demo/2024/")
        assert response.status_code == 200
        assert "2024 review and 2025 plan" in response.content.decode()

    def test_it_hides_the_private_year_from_anonymous_and_reader(self, demo_data, client):
        assert client.get("/@demo/2026/").status_code == 404
        client.force_login(User.objects.get(username="reader"))
        assert client.get("/@demo/2026/").status_code == 404

    def test_it_shows_the_private_year_to_demo(self, demo_data, client):
        client.force_login(demo_data)
        response = client.get("/@demo/2026/")
        assert response.status_code == 200
        assert "2026 review and 2027 plan" in response.content.decode()

    def test_it_gives_demo_likes_and_views_to_look_at(self, demo_data, client):
        shared = Year.objects.filter(owner=demo_data).exclude(visibility=Visibility.PRIVATE)
        assert set(Like.objects.values_list("year", flat=True)) == set(
            shared.values_list("pk", flat=True)
        )
        assert not DailyViews.objects.filter(year__visibility=Visibility.PRIVATE).exists()
        client.force_login(demo_data)
        response = client.get("/stats/")
        assert response.status_code == 200
        assert "<polyline" in response.content.decode()

    def test_it_starts_a_conversation_under_each_shared_post(self, demo_data, client):
        shared = Year.objects.filter(owner=demo_data).exclude(visibility=Visibility.PRIVATE)

        for year in shared:
            assert year.comments.filter(parent=None, author__username="reader").count() == 2
            assert year.comments.exclude(parent=None).filter(author=demo_data).count() == 2
        assert not Comment.objects.filter(year__visibility=Visibility.PRIVATE).exists()
        page = client.get(shared.order_by("year").first().get_absolute_url()).text
        assert "4 comments" in page
        assert "정지선은 아직도 무서워요." in page

    def test_it_dates_each_comment_in_the_days_after_its_post_was_published(self, demo_data):
        for comment in Comment.objects.select_related("year", "parent"):
            published = comment.year.published_at
            assert published < comment.created_at <= timezone.now()
            assert comment.created_at - published < datetime.timedelta(days=14)
            if comment.parent:
                assert comment.created_at > comment.parent.created_at

    def test_it_keeps_each_conversation_to_its_own_year(self, demo_data):
        """The 2024 post's readers speak of 2024: not of the piano's bar 14 (2026), the
        Sunday calls or the 10K (2025)."""
        said = " ".join(Comment.objects.filter(year__year=2024).values_list("body", flat=True))
        assert "도로주행" in said
        for later in ("bar 14", "Bach", "Sunday", "10K", "53:41"):
            assert later.lower() not in said.lower()
        later_said = Comment.objects.filter(year__year=2025).values_list("body", flat=True)
        assert "Sunday" in " ".join(later_said)
