from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from planner.models import Area, DefaultArea, Direction, ProgressKind
from planner.review_draft import review_draft
from tests.factory import make_entry, make_goal, make_photo, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(owner):
    last = make_year(owner, year=2024)
    make_goal(last, title="Learn to swim", done=True)
    earlier = make_goal(last, title="Submit to CVPR")
    make_entry(last, title="Old entry")
    post = make_year(owner, year=2025)
    make_goal(post, title="Move to Seoul", done=True, note="Found a flat in June.")
    make_goal(post, title="Submit to CVPR", note="Rejected.", carried_from=earlier, attempt=2)
    make_goal(
        post,
        title="Reach 76 kg",
        target=Decimal(76),
        start_value=Decimal(80),
        progress=Decimal("77.5"),
        unit="kg",
        progress_kind=ProgressKind.LATEST,
        direction=Direction.AT_MOST,
    )
    make_goal(post, title="Pay off the loan", done=True, is_private=True)
    make_entry(post, period=1, title="Spring trip", reads=2)
    make_entry(post, period=2, title="Long run", reads=9)
    make_entry(post, period=2, title="Quiet week")
    make_entry(post, period=3, title="Secret diary", reads=50, is_private=True)
    return post


def test_it_names_reached_and_unreached_goals_with_their_notes(post):
    draft = review_draft(post)
    assert "### Goals: 1 of 3 reached" in draft
    assert "- **Move to Seoul** — Found a flat in June." in draft
    assert "Not reached:\n\n- **Submit to CVPR** — Rejected." in draft


def test_it_shows_measurable_goals_from_start_to_end(post):
    assert "- Reach 76 kg: 80 → 77.5 kg (target 76)" in review_draft(post)


def test_it_lists_the_most_read_entries_first(post):
    draft = review_draft(post)
    assert "### Most read\n\n- **Long run** (9 reads)\n- **Spring trip** (2 reads)" in draft
    assert "Quiet week" not in draft


def test_it_compares_the_year_with_the_last_one(post):
    draft = review_draft(post)
    assert "### 2025 next to 2024" in draft
    assert "- Goals reached: 1 of 3 (2024: 1 of 2)" in draft
    assert "- Entries written: 3 (2024: 1)" in draft


def test_it_leaves_areas_out_for_a_person_who_does_not_use_them(post):
    assert "Areas covered" not in review_draft(post)


@pytest.fixture
def areas(owner, post):
    """Health and Money (defaults) and Work (named), with goals and entries in both years."""
    health = Area.objects.create(owner=owner, default=DefaultArea.HEALTH, order=1)
    work = Area.objects.create(owner=owner, name="Work", order=2)
    money = Area.objects.create(owner=owner, default=DefaultArea.MONEY, order=3)
    last = owner.years.get(year=2024)
    last.goals.filter(title="Learn to swim").update(area=health)
    make_entry(last, title="A private budget", area=money, is_private=True)
    post.goals.filter(title="Move to Seoul").update(area=work)
    post.goals.filter(title="Pay off the loan").update(area=money)  # private: not counted
    make_entry(post, period=3, title="Swim club", area=health)
    deleted = make_goal(post, title="Deleted", area=money)
    deleted.soft_delete()
    return health, work, money


def test_it_names_the_areas_covered_this_year_and_last(post, areas):
    assert "- Areas covered: Health, Work (2024: Health)" in review_draft(post)


def test_private_and_deleted_items_cover_no_area(post, areas):
    assert "Money" not in review_draft(post)


def test_it_says_when_last_year_covered_no_area(post, areas):
    post.owner.years.get(year=2024).goals.update(area=None)
    assert "- Areas covered: Health, Work (2024: none)" in review_draft(post)


def test_it_names_the_areas_in_the_owners_language(post, areas, owner):
    owner.language = "ko"
    owner.save(update_fields=["language"])
    post.owner.refresh_from_db()
    assert "- 다룬 영역: 건강, Work (2024년: 건강)" in review_draft(post)


def test_it_names_goals_set_again_and_their_try(post):
    assert "### Set again\n\n- Submit to CVPR — 2nd try" in review_draft(post)


def test_it_leaves_private_goals_and_entries_out(post):
    draft = review_draft(post)
    assert "Pay off the loan" not in draft
    assert "Secret diary" not in draft


def test_it_gives_one_photo_per_period(post):
    entry = post.periods.get(index=2).entries.get(title="Long run")
    make_photo(entry, caption="Kilometre 15.")
    make_photo(entry, caption="The finish.")
    draft = review_draft(post)
    assert "- May–August: “Kilometre 15.” (from “Long run”)" in draft
    assert "The finish." not in draft


def test_it_is_the_same_text_every_time(post):
    assert review_draft(post) == review_draft(post)


def test_it_writes_in_the_owners_language(post, owner):
    owner.language = "ko"
    owner.save(update_fields=["language"])
    post.owner.refresh_from_db()
    assert "목표" in review_draft(post)


def test_it_loads_a_fixed_number_of_queries(post, areas, django_assert_num_queries):
    with django_assert_num_queries(10):
        review_draft(post)
    for n in range(5):
        make_entry(post, title=f"More {n}", reads=1, area=areas[n % 3])
        make_goal(post, title=f"More {n}", area=areas[n % 3])
    with django_assert_num_queries(10):
        review_draft(post)


DRAFT_URL = reverse("planner:summary_draft", args=["owner", 2025])


def test_it_fills_an_empty_editor_with_the_draft_without_saving(owner_client, post):
    response = owner_client.get(DRAFT_URL)
    assert response.status_code == 200
    assert "Move to Seoul" in response.content.decode()
    assert "nothing is saved until you save" in response.content.decode()
    post.refresh_from_db()
    assert post.summary == ""


def test_it_leaves_an_existing_text_as_it_is_and_offers_the_draft_beside_it(owner_client, post):
    post.summary = "My own words."
    post.save(update_fields=["summary"])
    html = owner_client.get(DRAFT_URL).content.decode()
    assert ">My own words.</textarea>" in html
    assert "A draft from your year" in html
    assert "Move to Seoul" in html
    post.refresh_from_db()
    assert post.summary == "My own words."


def test_the_draft_is_the_owners_alone(client, reader, stranger, post):
    assert client.get(DRAFT_URL).status_code == 302
    for person in (reader, stranger):
        client.force_login(person)
        assert client.get(DRAFT_URL).status_code == 404


def test_an_htmx_request_gets_the_editor_alone(owner_client, post):
    response = owner_client.get(DRAFT_URL, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith("<section") or "<html" not in html
    assert "Move to Seoul" in html


def test_the_owner_is_offered_the_draft_on_the_post(owner_client, post):
    html = owner_client.get(post.get_absolute_url()).content.decode()
    assert f'href="{DRAFT_URL}"' in html


def test_without_a_chosen_language_the_draft_speaks_the_page_language(client, owner):
    owner.language = ""
    owner.save()
    post = make_year(owner, year=2025)
    make_goal(post, title="매일 30분 운동하기", done=True)
    client.force_login(owner)

    page = client.get(
        reverse("planner:summary_draft", args=["owner", 2025]),
        headers={"accept-language": "ko"},
    )

    assert "### 목표" in page.text
