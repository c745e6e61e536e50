from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from planner.models import DailyViews, Like, Visibility
from tests.factory import PASSWORD, image_upload, make_entry, make_goal, make_photo, make_year
from tests.hostile_files import HOSTILE, HOSTILE_IDS


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def year(owner):
    year = make_year(owner, title="Olivia's year of the half marathon")
    period = year.periods.get(index=2)
    period.retrospective = "Summer went by in the lab."
    period.save(update_fields=["retrospective"])
    return year


@pytest.fixture
def goal(year):
    return make_goal(year, title="Run a half marathon", note="Finished in 2:05.")


@pytest.fixture
def entry(year):
    return make_entry(year, period=2, title="Jeju in July")


@pytest.fixture
def photo(entry):
    return make_photo(entry, caption="The crater, and my shoes")


def thumbnail_html(photo) -> str:
    return f'<img src="{photo.file_url(photo.renditions[0]["name"])}" alt="" width="80">'


def test_it_shows_the_admin_index_to_staff(staff_client):
    response = staff_client.get(reverse("admin:index"))

    assert response.status_code == 200
    for section in ("Accounts", "Users", "Years", "Goals", "Periods", "Entries", "Photos"):
        assert section in response.text


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:accounts_user_changelist",
        "admin:planner_year_changelist",
        "admin:planner_goal_changelist",
        "admin:planner_period_changelist",
        "admin:planner_entry_changelist",
        "admin:planner_photo_changelist",
    ],
)
def test_it_lists_each_kind_of_object(staff_client, goal, photo, url_name):
    response = staff_client.get(reverse(url_name))

    assert response.status_code == 200
    assert 'id="result_list"' in response.text


def test_it_lists_what_people_wrote(staff_client, goal, photo):
    pages = {
        "admin:accounts_user_changelist": "Olivia Owner",
        "admin:planner_year_changelist": "Olivia&#x27;s year of the half marathon",
        "admin:planner_goal_changelist": "Run a half marathon",
        "admin:planner_entry_changelist": "Jeju in July",
        "admin:planner_photo_changelist": "The crater, and my shoes",
    }
    for url_name, text in pages.items():
        assert text in staff_client.get(reverse(url_name)).text, url_name


def test_it_edits_a_user_with_their_profile(staff_client, owner):
    response = staff_client.get(reverse("admin:accounts_user_change", args=[owner.pk]))

    assert response.status_code == 200
    assert 'name="display_name" value="Olivia Owner"' in response.text
    assert 'name="bio" value="Researcher, Developer, Student"' in response.text
    assert 'name="avatar"' in response.text


def _user_change_data(user, **overrides) -> dict:
    data = {
        "username": user.username,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "10:00:00",
        "display_name": user.display_name,
        "bio": user.bio,
    }
    return {**data, **overrides}


def _media_files(settings) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_it_gives_a_user_an_avatar_through_the_photo_pipeline(staff_client, owner, settings):
    url = reverse("admin:accounts_user_change", args=[owner.pk])

    response = staff_client.post(
        url, _user_change_data(owner, avatar=image_upload(size=(600, 400)))
    )

    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.avatar.width, owner.avatar.height) == (256, 256)
    assert _media_files(settings) == [owner.avatar.name]


def test_it_links_a_users_current_avatar_where_it_is_served(staff_client, owner):
    staff_client.post(
        reverse("admin:accounts_user_change", args=[owner.pk]),
        _user_change_data(owner, avatar=image_upload()),
    )
    owner.refresh_from_db()

    page = staff_client.get(reverse("admin:accounts_user_change", args=[owner.pk])).text
    link = re.search(r'Currently: <a href="([^"]+)">', page).group(1)

    assert link == owner.avatar_url
    assert "/media/" not in page
    assert staff_client.get(link).status_code == 200


@pytest.mark.parametrize("hostile", HOSTILE, ids=HOSTILE_IDS)
def test_it_refuses_a_hostile_avatar_from_staff_and_stores_nothing(
    staff_client, owner, settings, hostile
):
    url = reverse("admin:accounts_user_change", args=[owner.pk])
    upload = SimpleUploadedFile(hostile.name, hostile.data, content_type="image/jpeg")

    response = staff_client.post(url, _user_change_data(owner, bio="Changed", avatar=upload))

    assert response.status_code == 422
    assert f"“{hostile.name}” {hostile.reason}" in response.text
    owner.refresh_from_db()
    assert owner.bio == "Researcher, Developer, Student"
    assert not owner.avatar
    assert _media_files(settings) == []


def test_it_takes_no_photo_file_from_staff(staff_client, entry, photo):
    """Photos come only through the pipeline: staff edit captions and order, not files."""
    add = staff_client.get(reverse("admin:planner_photo_add"))
    change = staff_client.get(reverse("admin:planner_photo_change", args=[photo.pk]))
    inline = staff_client.get(reverse("admin:planner_entry_change", args=[entry.pk]))

    assert add.status_code == 403
    assert change.status_code == inline.status_code == 200
    assert 'type="file"' not in change.text
    assert 'type="file"' not in inline.text
    assert 'name="photos-0-caption"' in inline.text


def test_it_adds_a_user(staff_client):
    password = "quiet-harbour-lantern-42"

    response = staff_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )

    assert response.status_code == 302
    assert User.objects.get(username="newcomer").check_password(password)


def test_it_holds_staff_to_the_username_rules(staff_client):
    response = staff_client.post(
        reverse("admin:accounts_user_add"),
        {"username": "new comer", "usable_password": "false"},
    )

    assert response.status_code == 422
    assert "Use 2 to 30 lowercase letters" in response.text
    assert not User.objects.filter(username="new comer").exists()


def test_it_edits_a_year_with_its_goals_and_periods(staff_client, year, goal):
    response = staff_client.get(reverse("admin:planner_year_change", args=[year.pk]))

    assert response.status_code == 200
    assert 'name="goals-0-title"' in response.text
    assert 'value="Run a half marathon"' in response.text
    for index in range(3):
        assert f'name="periods-{index}-retrospective"' in response.text
    assert "Summer went by in the lab." in response.text
    assert 'name="periods-3-retrospective"' not in response.text
    help_text = "Leave empty to name it for its year, as in “2025 review and 2026 plan”."
    assert help_text in response.text


def test_it_edits_a_goal(staff_client, goal):
    response = staff_client.get(reverse("admin:planner_goal_change", args=[goal.pk]))

    assert response.status_code == 200
    assert 'value="Run a half marathon"' in response.text
    assert "Finished in 2:05." in response.text


def test_it_edits_a_period_with_its_entries(staff_client, year, entry):
    period = year.periods.get(index=2)

    response = staff_client.get(reverse("admin:planner_period_change", args=[period.pk]))

    assert response.status_code == 200
    assert "Summer went by in the lab." in response.text
    assert 'name="entries-0-title"' in response.text
    assert 'value="Jeju in July"' in response.text


def test_it_edits_an_entry_with_its_photos_and_thumbnails(staff_client, entry, photo):
    response = staff_client.get(reverse("admin:planner_entry_change", args=[entry.pk]))

    assert response.status_code == 200
    assert 'value="Jeju in July"' in response.text
    assert 'name="photos-0-caption"' in response.text
    assert 'value="The crater, and my shoes"' in response.text
    assert thumbnail_html(photo) in response.text


def test_it_shows_no_thumbnail_for_an_entry_without_photos(staff_client, entry):
    response = staff_client.get(reverse("admin:planner_entry_change", args=[entry.pk]))

    assert response.status_code == 200
    assert 'name="photos-TOTAL_FORMS" value="0"' in response.text
    assert "<img src=" not in response.text.split('id="photos-group"', 1)[1]


def test_it_edits_a_photo_with_its_thumbnail(staff_client, photo):
    response = staff_client.get(reverse("admin:planner_photo_change", args=[photo.pk]))

    assert response.status_code == 200
    assert 'value="The crater, and my shoes"' in response.text
    assert thumbnail_html(photo) in response.text


def test_it_shows_thumbnails_in_the_photo_list(staff_client, photo):
    response = staff_client.get(reverse("admin:planner_photo_changelist"))

    assert thumbnail_html(photo) in response.text


def test_it_serves_staff_the_thumbnail_of_a_private_entry_in_a_private_year(
    staff_client, year, entry, photo
):
    year.visibility = Visibility.PRIVATE
    year.save(update_fields=["visibility"])
    entry.is_private = True
    entry.save(update_fields=["is_private"])

    response = staff_client.get(photo.file_url(photo.renditions[0]["name"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"].startswith("private,")


def test_it_lets_staff_change_their_password_from_the_admin(staff_client, staff):
    url = reverse("admin:password_change")
    new_password = "quiet-harbour-lantern-42"

    page = staff_client.get(url)
    response = staff_client.post(
        url,
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    assert page.status_code == 200
    assert f'action="{url}"' in page.text
    assert response.status_code == 302
    assert response.url == reverse("admin:password_change_done")
    staff.refresh_from_db()
    assert staff.check_password(new_password)


def test_it_filters_years_by_visibility(staff_client, year, reader):
    make_year(reader, year=2024, title="Rae's quiet year", visibility=Visibility.PRIVATE)
    url = reverse("admin:planner_year_changelist")

    public = staff_client.get(url, {"visibility": "public"})
    private = staff_client.get(url, {"visibility": "private"})

    assert public.status_code == private.status_code == 200
    assert "Olivia&#x27;s year" in public.text
    assert "Rae&#x27;s quiet year" not in public.text
    assert "Rae&#x27;s quiet year" in private.text
    assert "Olivia&#x27;s year" not in private.text


def test_it_finds_years_by_username(staff_client, year, reader):
    make_year(reader, year=2024, title="Rae's quiet year")
    url = reverse("admin:planner_year_changelist")

    response = staff_client.get(url, {"q": "reader"})

    assert response.status_code == 200
    assert "Rae&#x27;s quiet year" in response.text
    assert "Olivia&#x27;s year" not in response.text


def test_it_sends_people_who_are_not_staff_away(client, owner, reader, stranger):
    for person in (None, owner, reader, stranger):
        if person:
            client.force_login(person)

        response = client.get(reverse("admin:index"))

        assert response.status_code == 302
        assert response.url == f"{reverse('admin:login')}?next={reverse('admin:index')}"


def test_it_does_not_show_objects_to_people_who_are_not_staff(owner_client, year):
    response = owner_client.get(reverse("admin:planner_year_change", args=[year.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_it_shows_staff_deleted_goals_and_restores_them(client, staff, owner):
    year = make_year(owner)
    goal = make_goal(year, title="Deleted by a slip")
    goal.soft_delete()
    client.force_login(staff)

    listed = client.get("/admin/planner/goal/?deleted_at__isempty=0")
    client.post("/admin/planner/goal/", {"action": "restore", "_selected_action": [goal.pk]})

    assert "Deleted by a slip" in listed.text
    goal.refresh_from_db()
    assert goal.deleted_at is None


def test_it_lets_staff_read_likes_and_daily_views_but_not_edit_them(staff_client, year, reader):
    like = Like.objects.create(year=year, user=reader)
    views = DailyViews.objects.create(year=year, day="2025-03-10", count=7)

    likes = staff_client.get(reverse("admin:planner_like_changelist") + "?year__visibility=public")
    days = staff_client.get(reverse("admin:planner_dailyviews_changelist") + "?day__year=2025")

    assert likes.status_code == days.status_code == 200
    assert "reader" in likes.text
    assert 'class="field-count">7<' in days.text
    assert "By visibility" in likes.text
    assert staff_client.get(reverse("admin:planner_like_add")).status_code == 403
    detail = staff_client.get(reverse("admin:planner_dailyviews_change", args=[views.pk]))
    assert detail.status_code == 200
    assert 'name="count"' not in detail.text  # shown, not editable
    assert staff_client.get(reverse("admin:planner_like_delete", args=[like.pk])).status_code == 200
