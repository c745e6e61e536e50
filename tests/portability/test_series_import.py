"""Importing a series of yearly posts in one go (portability/markdown_import/series.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planner.models import Entry, Goal, Import, Visibility, Year
from tests.factory import make_goal, make_year

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "series_samples"
SERIES = reverse("portability:series_import")
SAVE = reverse("portability:series_import_save")


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SAMPLES / name).read_bytes(), "text/markdown")


def pasted(*names: str) -> dict[str, str]:
    return {f"post-{n}-text": (SAMPLES / name).read_text() for n, name in enumerate(names, start=1)}


def as_previewed(response) -> dict[str, str]:
    """What the preview's form sends back: each post's text, year and choices."""
    form = response.context["form"]
    data = {"visibility": form.data.get("visibility", ""), "draft": form.data.get("draft", "")}
    for post in form.posts:
        data |= {key: value for key, value in post.data.items() if key.startswith(post.prefix)}
    return data


def goals_of(owner, year: int) -> list[tuple[str, bool, int]]:
    return [
        (goal.title, goal.done, goal.attempt)
        for goal in Goal.objects.filter(year__owner=owner, year__year=year)
    ]


def entries_of(owner, year: int) -> list[str]:
    return list(
        Entry.objects.filter(period__year__owner=owner, period__year__year=year)
        .order_by("period__index", "order")
        .values_list("title", flat=True)
    )


KO_FILES = ["ko_2024.md", "ko_2022.md", "ko_2023.txt"]  # newest first, as a folder may list them


def test_the_page_offers_files_and_two_boxes_and_links_from_the_single_import(owner_client):
    page = owner_client.get(SERIES).text

    assert "<h1>Import a series of yearly posts</h1>" in page
    assert 'name="files"' in page and "multiple" in page
    assert 'name="post-1-text"' in page and 'name="post-2-text"' in page
    assert SERIES in owner_client.get(reverse("portability:markdown_import")).text


def test_it_previews_files_sent_newest_first_in_the_order_of_their_years(owner_client, owner):
    response = owner_client.post(SERIES, {"files": [upload(name) for name in KO_FILES]})

    assert response.status_code == 200
    assert not Year.objects.filter(owner=owner).exists()
    page = response.text
    assert page.index("2022 — 2022 회고") < page.index("2023 — 2023년 회고")
    assert page.index("2023 — 2023년 회고") < page.index("2024 — 2024년 회고")
    assert "These are the goals your 2023 post reviews, imported with this one" in page
    assert "Planned in your 2022 post but not reviewed in this one" in page
    assert "Save all 3 years" in page
    # Each post's text is on the page to be changed, with its year.
    assert 'name="post-3-year" value="2023"' in page


def test_a_korean_series_is_saved_as_joined_years_oldest_first(owner_client, owner):
    preview = owner_client.post(SERIES, {"files": [upload(name) for name in KO_FILES]})

    response = owner_client.post(SAVE, as_previewed(preview))

    assert response.status_code == 302
    assert response["Location"] == Year.objects.get(owner=owner, year=2022).get_absolute_url()
    years = Year.objects.filter(owner=owner).order_by("year")
    assert [post.year for post in years] == [2022, 2023, 2024, 2025]
    assert {post.visibility for post in years} == {Visibility.PRIVATE}
    assert goals_of(owner, 2022) == [
        ("블로그 글 10개 쓰기", True, 1),
        ("운동 주 3회", False, 1),
        ("토익 900점", False, 1),
    ]
    # 2022's plan is what 2023 reviews: the same goals, the one not reviewed added, not reached;
    # and the goals not reached in 2022 are their second try.
    assert goals_of(owner, 2023) == [
        ("운동 주 3회", True, 2),
        ("토익 900점", False, 2),
        ("사이드 프로젝트 출시", False, 1),
    ]
    assert goals_of(owner, 2024) == [("토익 900점", True, 3), ("책 24권 읽기", False, 1)]
    assert goals_of(owner, 2025) == [("책 24권 읽기", False, 2), ("하프 마라톤 완주", False, 1)]
    toeic = Goal.objects.get(year__owner=owner, year__year=2024, title="토익 900점")
    assert toeic.carried_from.year.year == 2023
    assert toeic.carried_from.carried_from.year.year == 2022
    assert entries_of(owner, 2023) == ["헬스장 등록", "영어 스터디", "토익 시험"]
    middle = years.get(year=2023)
    assert middle.summary == "꾸준함을 배운 해였다."
    assert middle.intro == "두 번째 회고다. 작년에 세운 목표부터 돌아본다."
    assert years.get(year=2024).summary == "세 해에 걸친 목표 하나를 이뤘다."


def test_an_english_series_pasted_one_box_each_in_any_order(owner_client, owner):
    preview = owner_client.post(SERIES, pasted("en_2023.md", "en_2021.md", "en_2022.txt"))
    assert preview.status_code == 200

    owner_client.post(SAVE, as_previewed(preview))

    assert [post.year for post in Year.objects.filter(owner=owner).order_by("year")] == [
        2021,
        2022,
        2023,
    ]
    assert Year.objects.get(owner=owner, year=2022).title == "Looking back on 2022"
    assert goals_of(owner, 2022) == [("Learn to swim", True, 2), ("Cycle to work", False, 1)]
    assert goals_of(owner, 2023) == [("Cycle to work", True, 2), ("Bake bread weekly", True, 1)]
    assert entries_of(owner, 2022) == ["Swimming lessons", "The stolen bike", "A new bike"]
    assert Year.objects.get(owner=owner, year=2022).summary == "A year of small wins."
    assert "Follow" not in Year.objects.get(owner=owner, year=2022).intro


def test_the_whole_series_is_undone_in_one_step(owner_client, owner):
    preview = owner_client.post(SERIES, pasted("en_2021.md", "en_2022.txt", "en_2023.md"))
    owner_client.post(SAVE, as_previewed(preview))
    assert len({record.batch for record in Import.objects.all()}) == 1
    undo = reverse("portability:markdown_import_undo", args=[owner.username, 2022])

    question = owner_client.get(undo)
    response = owner_client.post(undo)

    assert "These years were imported together, and are undone together" in question.text
    assert response.status_code == 302
    assert not Year.objects.filter(owner=owner).exists()
    assert not Goal.all_objects.exists()


def test_two_posts_of_one_year_are_refused_and_nothing_is_saved(owner_client, owner):
    response = owner_client.post(
        SAVE, pasted("en_2021.md", "en_2021.md") | {"post-1-read_as": "x", "post-2-read_as": "x"}
    )

    assert response.status_code == 422
    assert "Another post of the series is about 2021 too" in response.text
    assert not Year.objects.filter(owner=owner).exists()


def test_a_year_the_person_has_is_refused_and_every_text_stays_on_the_page(owner_client, owner):
    make_year(owner, year=2022)

    response = owner_client.post(SERIES, pasted("en_2021.md", "en_2022.txt"))

    assert response.status_code == 422
    assert "You already have 2022" in response.text
    assert "Some posts need a look" in response.text
    assert "Potatoes and too many courgettes." in response.text
    assert "The bike was stolen in May".lower() in response.text.lower()
    assert Year.objects.filter(owner=owner).count() == 1


def test_a_post_not_yet_previewed_is_not_saved_unseen(owner_client, owner):
    preview = owner_client.post(SERIES, pasted("en_2021.md"))
    data = as_previewed(preview) | {"post-9-text": (SAMPLES / "en_2022.txt").read_text()}

    response = owner_client.post(SAVE, data)

    assert response.status_code == 422
    assert "This post was not in the preview yet" in response.text
    assert not Year.objects.filter(owner=owner).exists()


def test_a_post_without_a_year_is_asked_for_it_and_then_joined(owner_client, owner):
    undated = (SAMPLES / "en_2023.md").read_text().replace("# My 2023", "# My year")
    first = owner_client.post(SERIES, pasted("en_2022.txt") | {"post-2-text": undated})
    assert first.status_code == 422
    assert "Which year is this post about?" in first.text

    preview = owner_client.post(SERIES, as_previewed(first) | {"post-2-year": "2023"})
    response = owner_client.post(SAVE, as_previewed(preview))

    assert response.status_code == 302
    assert goals_of(owner, 2023) == [("Cycle to work", True, 2), ("Bake bread weekly", True, 1)]


def test_a_file_that_is_not_text_is_named_and_the_boxes_stay(owner_client, owner):
    bad = SimpleUploadedFile("photo.md", b"\xff\xd8\xff\xe0 not text", "text/markdown")

    response = owner_client.post(SERIES, pasted("en_2021.md") | {"files": [bad]})

    assert response.status_code == 422
    assert "photo.md: This file is not text that can be read." in response.text
    assert "Potatoes and too many courgettes." in response.text
    assert not Year.objects.filter(owner=owner).exists()


def test_nothing_sent_is_asked_for(owner_client):
    response = owner_client.post(SERIES, {"post-1-text": "  "})

    assert response.status_code == 422
    assert "Paste your posts, or choose their files." in response.text


def test_at_most_ten_posts_at_a_time(owner_client):
    posts = {f"post-{n}-text": f"# {2000 + n}\n\n## Goals\n\n- [x] Go\n" for n in range(1, 12)}

    response = owner_client.post(SERIES, posts)

    assert response.status_code == 422
    assert "A series is imported at most 10 posts at a time." in response.text


def test_the_series_pages_are_for_people_who_are_signed_in(client):
    assert client.get(SERIES).status_code == 302
    assert client.post(SAVE, pasted("en_2021.md")).status_code == 302
    assert not Year.objects.exists()


def test_a_single_import_links_a_goal_set_again_to_last_years_goal_not_reached(owner_client, owner):
    last = make_year(owner, year=2021)
    swim = make_goal(last, title="Learn to swim", done=False)
    make_goal(last, title="Cycle to work", done=True)

    preview = owner_client.post(
        reverse("portability:markdown_import"), {"text": (SAMPLES / "en_2022.txt").read_text()}
    )
    assert "1 goal was not reached in 2021 and is set again" in preview.text
    owner_client.post(
        reverse("portability:markdown_import_save"),
        {"text": (SAMPLES / "en_2022.txt").read_text()},
    )

    again = Goal.objects.get(year__owner=owner, year__year=2022, title="Learn to swim")
    assert again.carried_from == swim and again.attempt == 2
    # A goal reached last year and set again is a new goal, not a second try.
    cycle = Goal.objects.get(year__owner=owner, year__year=2022, title="Cycle to work")
    assert cycle.carried_from is None and cycle.attempt == 1
