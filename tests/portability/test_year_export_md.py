from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

from planner.models import Visibility
from portability.markdown_export import year_markdown
from tests.factory import make_entry, make_goal, make_photo, make_year


def export_url(username: str = "owner", year: int = 2025) -> str:
    return reverse("portability:year_export_md", args=[username, year])


@pytest.fixture
def post(owner):
    year = make_year(owner, year=2025, intro="A year of *running*.\n", summary="Good year.")
    make_goal(year, title="Run a half marathon", done=True, note="1:58, in the rain\nSlow start")
    make_goal(year, title="Learn Korean")
    make_goal(year, title="Secret goal", is_private=True)
    year.periods.filter(index=2).update(retrospective="A quiet spring.")
    trip = make_entry(year, 1, title="Spring trip", body="We went to the sea.")
    make_photo(trip, caption="Me [left] at the top")
    make_entry(year, 3, title="Private diary", body="Nobody reads this.", is_private=True)
    following = make_year(owner, year=2026)
    make_goal(following, title="Run a marathon")
    make_goal(following, title="Hidden plan", is_private=True)
    return year


def test_it_writes_the_post_in_the_blog_layout(client, owner, post):
    response = client.get(export_url())

    photo = post.periods.get(index=1).entries.get().photos.get()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert 'filename="owner-2025.md"' in response["Content-Disposition"]
    assert response.content.decode() == (
        "# 2025 review and 2026 plan\n\n"
        "*by Olivia Owner · Researcher, Developer, Student*\n\n"
        "A year of *running*.\n\n"
        "## 2025 goals\n\n"
        "*1 of 2 reached*\n\n"
        "- [x] Run a half marathon — 1:58, in the rain\n"
        "  Slow start\n"
        "- [ ] Learn Korean\n\n"
        "## January–April\n\n"
        "### Spring trip\n\n"
        "We went to the sea.\n\n"
        f"![Me \\[left\\] at the top]({settings.SITE_URL}{photo.fallback_url})\n\n"
        "## May–August\n\n"
        "### Looking back\n\n"
        "A quiet spring.\n\n"
        "## September–December\n\n"
        "## Overall\n\n"
        "Good year.\n\n"
        "## 2026 goals\n\n"
        "- Run a marathon\n\n"
        "*1 / 2 in the series*\n"
    )


def test_it_gives_the_owner_what_readers_get_unless_they_ask_for_the_private_items(
    owner_client, post
):
    shared = owner_client.get(export_url()).content.decode()
    whole = owner_client.get(export_url(), {"private": "1"}).content.decode()

    assert "Secret" not in shared and "Private diary" not in shared and "Hidden" not in shared
    assert "- [ ] Secret goal *(private)*" in whole
    assert "### Private diary *(private)*\n\nNobody reads this." in whole
    assert "- Hidden plan *(private)*" in whole
    assert "Run a marathon *(private)*" not in whole and "- Run a marathon" in whole


def test_the_owner_gets_the_private_items_marked_in_their_language(owner_client, post):
    whole = owner_client.get(
        export_url(), {"private": "1"}, HTTP_ACCEPT_LANGUAGE="ko"
    ).content.decode()
    assert "- [ ] Secret goal *(비공개)*" in whole


def test_a_reader_asking_for_private_items_gets_none(reader_client, post):
    text = reader_client.get(export_url(), {"private": "1"}).content.decode()
    assert "Secret" not in text and "Private diary" not in text and "Hidden" not in text


def test_it_leaves_private_goals_and_entries_out_for_readers(reader_client, post):
    text = reader_client.get(export_url()).content.decode()

    assert "Secret" not in text
    assert "Private diary" not in text
    assert "Hidden plan" not in text


def test_it_answers_404_for_a_private_year_to_everyone_but_its_owner(client, owner, reader, post):
    post.visibility = Visibility.PRIVATE
    post.save()

    assert client.get(export_url()).status_code == 404
    client.force_login(reader)
    assert client.get(export_url()).status_code == 404
    client.force_login(owner)
    assert client.get(export_url()).status_code == 200


def test_it_leaves_out_next_years_goals_while_that_year_is_private(reader_client, owner, post):
    owner.years.filter(year=2026).update(visibility=Visibility.PRIVATE)

    text = reader_client.get(export_url()).content.decode()

    assert "2026 goals" not in text
    assert "Run a marathon" not in text


def test_it_keeps_only_the_three_period_headings_of_an_empty_year(owner):
    year = make_year(owner, year=2024, title="Quiet")

    text = year_markdown(year, owner, lambda photo: "")

    assert text == (
        "# Quiet\n\n*by Olivia Owner · Researcher, Developer, Student*\n\n"
        "## January–April\n\n## May–August\n\n## September–December\n"
    )


def test_it_is_linked_from_the_post(reader_client, post):
    response = reader_client.get(post.get_absolute_url())

    assert f'href="{export_url()}"' in response.content.decode()


def test_it_needs_a_fixed_number_of_queries(client, owner, post, django_assert_max_num_queries):
    for index in range(5):
        entry = make_entry(post, 2, title=f"More {index}")
        make_photo(entry)
        make_goal(post, title=f"Goal {index}")

    with django_assert_max_num_queries(9):
        client.get(export_url())


def zip_url(username: str = "owner", year: int = 2025) -> str:
    return reverse("portability:year_export_zip", args=[username, year])


def bundle(client, query: dict | None = None) -> zipfile.ZipFile:
    response = client.get(zip_url(), query or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="owner-2025.zip"'
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_zip_holds_the_markdown_and_every_photo_it_links_to_by_a_readable_name(
    reader_client, post
):
    summer = make_entry(post, 2, title="여름 바다")
    make_photo(summer, caption="파도")
    make_photo(summer, caption="Sunset")

    archive = bundle(reader_client)

    text = archive.read("owner-2025.md").decode()
    links = re.findall(r"!\[(?:\\.|[^\]\\])*\]\(([^)]+)\)", text)
    assert links == [
        "photos/01-spring-trip.jpg",
        "photos/02-여름-바다.jpg",
        "photos/03-여름-바다.jpg",
    ]
    assert sorted(archive.namelist()) == sorted(["owner-2025.md", *links])
    for link in links:
        with Image.open(archive.open(link)) as image:
            assert image.format == "JPEG"
    assert "Private diary" not in text


def test_the_zip_leaves_out_private_entries_and_their_photos_unless_the_owner_asks(
    owner_client, post
):
    diary = post.periods.get(index=3).entries.get(title="Private diary")
    make_photo(diary, caption="Only mine")

    shared = bundle(owner_client)
    whole = bundle(owner_client, {"private": "1"})

    assert "Only mine" not in shared.read("owner-2025.md").decode()
    assert len(shared.namelist()) == 2  # the text and the spring trip's photo
    assert "### Private diary *(private)*" in whole.read("owner-2025.md").decode()
    assert "![Only mine](photos/02-private-diary.jpg)" in whole.read("owner-2025.md").decode()
    assert "photos/02-private-diary.jpg" in whole.namelist()


def test_the_zip_of_a_private_year_is_not_found_by_others(reader_client, owner, post):
    post.visibility = Visibility.PRIVATE
    post.save()
    assert reader_client.get(zip_url()).status_code == 404


def test_the_zip_needs_a_fixed_number_of_queries(client, post, django_assert_max_num_queries):
    for index in range(5):
        make_photo(make_entry(post, 2, title=f"More {index}"))

    with django_assert_max_num_queries(10):
        client.get(zip_url())


def test_the_zip_is_linked_from_the_post(reader_client, post):
    assert f'href="{zip_url()}"' in reader_client.get(post.get_absolute_url()).content.decode()
