from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from planner.models import Entry, GoalUpdate, OwnQuestion, Photo, Visibility
from tests.factory import (
    image_upload,
    make_answer,
    make_entry,
    make_goal,
    make_photo,
    make_year,
)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def post(owner):
    year = make_year(
        owner,
        year=2025,
        intro="A year of **papers** and piano.",
        summary="All in all, a good year.",
    )
    make_goal(year, title="Submit to CVPR", note="submitted, rejected; became a technical report")
    make_goal(year, title="Move to Seoul", done=True, note="Done in March.")
    make_goal(year, title="Finish piano pieces", target=3, progress=1, unit="pieces")
    year.periods.filter(index=2).update(retrospective="Summer went by fast.")
    entry = make_entry(year, period=1, title="Snow in Seoul", body="It *snowed*.")
    make_photo(entry, caption="Me, pretending to be cold")
    make_entry(year, period=3, title="Autumn conference", body="Gave a talk.")
    return year


def test_it_shows_the_post_sections_in_the_order_readers_expect(client, post):
    response = client.get(post.get_absolute_url())

    assert response.status_code == 200
    text = text_of(response)
    order = [
        "2025 review and 2026 plan",
        "Olivia Owner",
        "Researcher, Developer, Student",
        "A year of papers and piano.",
        "Did I reach my goals?",
        "1 of 3 reached",
        "Submit to CVPR",
        "submitted, rejected; became a technical report",
        "January–April",
        "Snow in Seoul",
        "Me, pretending to be cold",
        "May–August",
        "Summer went by fast.",
        "September–December",
        "Autumn conference",
        "Looking back at it all",
        "All in all, a good year.",
        "Goals for 2026",
    ]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)


def test_it_shows_measurable_progress(client, post):
    response = client.get(post.get_absolute_url())

    assert "1 / 3 pieces" in text_of(response)
    assert '<progress max="100" value="33"' in response.content.decode()


def test_it_shows_photos_with_renditions_and_reserved_space(client, post):
    photo = Photo.objects.get()

    html = client.get(post.get_absolute_url()).content.decode()

    img = re.search(r'<img src="/photos/[^"]+"[^>]*>', html).group(0)
    assert f'src="{photo.fallback_url}"' in img
    assert f'srcset="{photo.file_url("64.webp")} 64w"' in img
    assert 'sizes="(max-width: 44rem) calc(100vw - 2rem), 42rem"' in img
    assert 'width="64" height="48"' in img
    assert 'decoding="async"' in img
    assert 'alt="Me, pretending to be cold"' in img


def test_it_loads_the_first_photo_at_once_and_the_others_lazily(client, post):
    autumn = Entry.objects.get(title="Autumn conference")
    later = make_photo(autumn, caption="On stage", upload=image_upload(size=(2000, 1500)))

    html = client.get(post.get_absolute_url()).content.decode()

    first, second = re.findall(r'<img src="/photos/[^"]+"[^>]*>', html)
    assert 'loading="eager" fetchpriority="high"' in first
    assert 'loading="lazy"' not in first
    assert 'loading="lazy"' in second
    assert "fetchpriority" not in second
    assert 'width="1600" height="1200"' in second
    assert later.srcset in second
    assert [r["width"] for r in later.renditions] == [480, 720, 960, 1600]


def test_it_never_lets_raw_html_or_script_through(client, owner):
    year = make_year(owner, intro="<script>alert('intro')</script>")
    make_entry(
        year,
        body=(
            "<img src=x onerror=alert(1)>\n\n[click](javascript:alert(2))\n\n"
            '<a href="https://example.com" onclick="steal()">x</a>'
        ),
    )
    make_goal(year, title="<b>bold</b> goal", note="<script>alert(3)</script>")

    html = client.get(year.get_absolute_url()).content.decode()

    tags = re.findall(r"<[a-z][^>]*>", html)
    assert not [tag for tag in tags if re.search(r"\son\w+=", tag)]
    assert not [tag for tag in tags if "javascript:" in tag]
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html
    assert "&lt;b&gt;bold&lt;/b&gt; goal" in html


def test_it_renders_markdown_links_safely(client, owner):
    year = make_year(owner)
    make_entry(year, body="See [my talk](https://example.com/talk).")

    html = client.get(year.get_absolute_url()).content.decode()

    assert (
        '<a href="https://example.com/talk" rel="nofollow noopener noreferrer ugc">my talk</a>'
        in html
    )


def test_it_shows_next_years_goals_when_readers_may_see_that_year(client, owner, post):
    next_post = make_year(owner, year=2026, visibility=Visibility.UNLISTED)
    make_goal(next_post, title="Submit to CVPR again")

    assert "Submit to CVPR again" in text_of(client.get(post.get_absolute_url()))


def test_it_keeps_a_private_next_year_to_its_owner(client, owner, post):
    next_post = make_year(owner, year=2026, visibility=Visibility.PRIVATE)
    make_goal(next_post, title="A secret plan")

    assert "A secret plan" not in text_of(client.get(post.get_absolute_url()))
    client.force_login(owner)
    owner_view = text_of(client.get(post.get_absolute_url()))
    assert "A secret plan" in owner_view
    assert "Readers see these goals once 2026 is unlisted or public." in owner_view


def test_it_hides_private_goals_and_entries_from_readers(client, owner, reader, post):
    make_goal(post, title="Quit my job", is_private=True)
    make_entry(post, period=2, title="Hospital week", is_private=True)

    for viewer in (None, reader):
        if viewer:
            client.force_login(viewer)
        text = text_of(client.get(post.get_absolute_url()))
        assert "Quit my job" not in text
        assert "Hospital week" not in text
        assert "1 of 3 reached" in text

    client.force_login(owner)
    text = text_of(client.get(post.get_absolute_url()))
    assert "Quit my job" in text
    assert "Hospital week" in text
    assert "1 of 4 reached" in text


def test_it_shows_the_series_position_and_neighbours(client, owner):
    for year in (2022, 2023, 2024):
        make_year(owner, year=year)
    make_year(owner, year=2025, visibility=Visibility.PRIVATE)

    response = client.get(reverse("planner:year_detail", args=["owner", 2023]))
    html = response.content.decode()

    assert "2 / 3" in text_of(response)
    assert 'rel="prev" href="/@owner/2022/"' in html
    assert 'rel="next" href="/@owner/2024/"' in html
    assert "/@owner/2025/" not in html

    client.force_login(owner)
    assert "2 / 4" in text_of(client.get(reverse("planner:year_detail", args=["owner", 2023])))


def test_it_counts_an_unlisted_post_in_its_own_series_position(client, owner):
    make_year(owner, year=2023)
    make_year(owner, year=2024, visibility=Visibility.UNLISTED)

    response = client.get(reverse("planner:year_detail", args=["owner", 2024]))

    assert "2 / 2" in text_of(response)


def test_it_shows_edit_controls_to_the_owner_only(client, owner, reader, post):
    edit_url = reverse("planner:year_edit", args=["owner", 2025])

    assert edit_url not in client.get(post.get_absolute_url()).content.decode()
    client.force_login(reader)
    assert edit_url not in client.get(post.get_absolute_url()).content.decode()
    client.force_login(owner)
    assert edit_url in client.get(post.get_absolute_url()).content.decode()


def _deadline_lines(html: str) -> list[str]:
    lines = re.findall(r'<p class="goal-deadline muted">(.*?)</p>', html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", line)).strip() for line in lines]


@time_machine.travel("2025-06-15 10:00", tick=False)
def test_it_marks_the_owner_s_unreached_goals_past_their_deadline_as_overdue(
    client, owner, reader, post
):
    make_goal(post, title="Pass the exam", deadline=datetime.date(2025, 3, 1))
    make_goal(post, title="Move out", deadline=datetime.date(2025, 3, 1), done=True)
    make_goal(post, title="Run 10K", deadline=datetime.date(2025, 10, 19))

    client.force_login(owner)
    own = client.get(post.get_absolute_url()).text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    own_in_korean = client.get(post.get_absolute_url()).text
    client.force_login(reader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    read = client.get(post.get_absolute_url()).text

    assert _deadline_lines(own) == [
        "Deadline March 1, 2025 overdue",
        "Deadline March 1, 2025",
        "Deadline Oct. 19, 2025",
    ]
    assert _deadline_lines(own_in_korean)[0] == "마감일 2025년 3월 1일 기한 지남"
    # Readers see the deadlines and what was reached, not a reminder meant for the owner.
    assert _deadline_lines(read)[0] == "Deadline March 1, 2025"
    assert "badge-overdue" not in read


BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/140.0 Safari/537.36"


def _grow(year, goals: int, entries: int) -> None:
    for i in range(goals):
        goal = make_goal(year, title=f"Goal {i}", done=i % 2 == 0, target=10)
        for day in (1, 2):
            GoalUpdate.objects.create(goal=goal, value=day, recorded_on=datetime.date(2025, 1, day))
    for i in range(entries):
        entry = make_entry(year, period=i % 3 + 1, title=f"Entry {i}")
        make_photo(entry)
    # Answers to guided questions at every place, built-in and own, shown and hidden.
    for i, place in enumerate(["period-1", "period-2", "period-3", "year", "plan"][: entries // 3]):
        own = OwnQuestion.objects.create(owner=year.owner, question_set="period", text=f"Q{i}")
        make_answer(year, place=place, own_question=own, shown_in_post=True)
        if place.startswith("period"):
            make_answer(year, place=place, question_key="period-learned", shown_in_post=i % 2)


@pytest.mark.parametrize("size", [(2, 2), (20, 15)])
def test_it_reads_a_post_in_a_fixed_number_of_queries(
    client, owner, django_assert_num_queries, size
):
    year = make_year(owner)
    make_goal(make_year(owner, year=2026), title="Next")
    _grow(year, *size)

    # 1 to look for the post's stored page (planner/post_cache.py), 8 to read the post, 1
    # for its like count, and 2 to count the view: make sure today's row exists, then add
    # one (planner/stats.py); 3 for the comments (a page of threads, their replies, the
    # count), however many there are (test_comments.py).
    with django_assert_num_queries(15):
        response = client.get(year.get_absolute_url(), headers={"user-agent": BROWSER})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [(2, 2), (20, 15)])
def test_it_shows_the_owner_their_post_in_a_fixed_number_of_queries(
    client, owner, django_assert_num_queries, size
):
    year = make_year(owner)
    _grow(year, *size)
    for entry in Entry.objects.filter(period__year=year)[::2]:
        entry.soft_delete()
    client.force_login(owner)

    # 1 to look for the page kept for the owner, 13 to read and edit the post (one of them
    # for where its goals were carried), 1 for its like count, 2 for the views the owner
    # sees (all-time total and the last 90 days), 1 for an import they may undo, 3 for the
    # comments, 1 for the bell; the owner's own view is not counted.
    with django_assert_num_queries(22):
        response = client.get(year.get_absolute_url(), headers={"user-agent": BROWSER})
    assert response.status_code == 200
    # Kept: the session, the user, the post's versions, the views and the bell.
    with django_assert_num_queries(6):
        again = client.get(year.get_absolute_url(), headers={"user-agent": BROWSER})
    assert again.content.count(b"Undo") == response.content.count(b"Undo") > 0
