from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.urls import reverse

from planner.models import Entry, Goal, Photo, Visibility
from planner.search import MAX_RESULTS, excerpt, highlight
from tests.factory import make_entry, make_goal, make_photo, make_year

pytestmark = pytest.mark.django_db

SEARCH = reverse("planner:search")


def search(client, q: str, status: int = 200):
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == status
    return response


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def hit_titles(response) -> list[str]:
    page = response.content.decode()
    titles = re.findall(r'class="search-hit-title" href="[^"]*">(.*?)</a>', page)
    return [html.unescape(re.sub(r"</?mark>", "", title)) for title in titles]


@pytest.fixture
def world(owner, reader):
    """The owner's years of each visibility, with private and deleted things in them."""
    public = make_year(owner, year=2025, title="Open year", visibility=Visibility.PUBLIC)
    make_goal(public, title="Run a half marathon", note="Finished in 2:05, xylophone music")
    make_goal(public, title="Secret xylophone plan", note="테스트 중", is_private=True)
    make_goal(public, title="Deleted xylophone goal").soft_delete()
    trip = make_entry(
        public, period=1, title="Spring trip", body="We went to the sea. 테스트합니다"
    )
    make_photo(trip, caption="Waves at sunset")
    make_entry(public, period=2, title="Diary xylophone entry", body="mine", is_private=True)
    make_entry(public, period=3, title="Deleted xylophone entry").soft_delete()
    public.periods.filter(index=2).update(retrospective="A summer of *xylophone* practice.")
    unlisted = make_year(owner, year=2024, title="Link year", visibility=Visibility.UNLISTED)
    make_goal(unlisted, title="Unlisted xylophone goal")
    private = make_year(
        owner, year=2023, title="Closed year", intro="xylophone diary", visibility="private"
    )
    make_goal(private, title="Private-year xylophone goal")
    theirs = make_year(reader, year=2025, title="Reader's year", visibility=Visibility.PUBLIC)
    make_goal(theirs, title="Reader's xylophone goal")
    return {"public": public, "unlisted": unlisted, "private": private, "theirs": theirs}


# Who finds what


def test_it_lets_the_owner_find_everything_of_their_own(owner_client, world):
    response = search(owner_client, "xylophone")

    assert set(hit_titles(response)) == {
        "Run a half marathon",
        "Secret xylophone plan",
        "Diary xylophone entry",
        "Looking back at May–August",
        "Unlisted xylophone goal",
        "Closed year",
        "Private-year xylophone goal",
        "Reader's xylophone goal",
    }
    assert response.context["results"].count == 8


@pytest.mark.parametrize("who", ["visitor", "reader", "stranger"])
def test_it_shows_others_public_posts_only(client, world, reader, stranger, who):
    if who != "visitor":
        client.force_login({"reader": reader, "stranger": stranger}[who])

    response = search(client, "xylophone")

    assert set(hit_titles(response)) == {
        "Run a half marathon",
        "Looking back at May–August",
        "Reader's xylophone goal",
    }
    assert response.context["results"].count == 3
    assert "3 results" in text_of(response)
    for hidden in ["Secret", "Diary", "Deleted", "Unlisted", "Private-year", "Closed year"]:
        assert hidden not in response.text


def test_it_never_finds_deleted_things_even_for_the_owner(owner_client, world):
    response = search(owner_client, "deleted")

    assert hit_titles(response) == []
    assert "Nothing found for “deleted”." in text_of(response)


def test_it_never_finds_the_words_of_private_things_for_others(client, world):
    # "테스트" is in a private goal's note and in a public entry's text.
    response = search(client, "테스트")

    assert hit_titles(response) == ["Spring trip"]


def test_it_leaves_out_public_posts_of_inactive_people(client, world, reader):
    reader.is_active = False
    reader.save()

    assert "Reader's xylophone goal" not in hit_titles(search(client, "xylophone"))


# How words match


def test_it_finds_a_korean_word_inside_a_longer_one(client, world):
    response = search(client, "테스트")

    assert hit_titles(response) == ["Spring trip"]
    assert "<mark>테스트</mark>합니다" in response.text


def test_it_finds_korean_for_the_owner_in_private_notes(owner_client, world):
    response = search(owner_client, "테스트")

    assert hit_titles(response) == ["Secret xylophone plan", "Spring trip"]


def test_it_needs_every_word_somewhere_in_the_same_item(client, world):
    assert hit_titles(search(client, "sea spring")) == ["Spring trip"]
    assert hit_titles(search(client, "SPRING   Sea")) == ["Spring trip"]
    assert hit_titles(search(client, "sea sunset")) == ["Spring trip"]  # text and caption
    assert hit_titles(search(client, "sea marathon")) == []  # two different items
    assert hit_titles(search(client, '"sea spring"')) == []  # words, not a phrase


def test_it_finds_photo_captions_and_shows_them(client, world):
    response = search(client, "sunset")

    assert hit_titles(response) == ["Spring trip"]
    assert "Waves at <mark>sunset</mark>" in response.text


def test_it_shows_year_and_period_and_links_to_the_place(client, world):
    response = search(client, "spring")

    page = response.content.decode()
    assert '<span class="search-year-number">2025</span> Open year' in page
    assert '<span class="search-period">January–April</span>' in page
    entry = world["public"].periods.get(index=1).entries.get()
    assert f'href="/entries/{entry.pk}/"' in page


def test_it_searches_the_posts_texts_as_plain_text(client, owner):
    make_year(owner, intro="A year of **papers** and [piano](https://example.com/piano).")

    response = search(client, "papers")

    assert "A year of <mark>papers</mark> and piano." in response.text
    assert hit_titles(search(client, "example.com")) == ["2025 review and 2026 plan"]


def test_it_groups_results_by_year_own_years_first_then_newest(owner_client, world):
    response = search(owner_client, "xylophone")

    years = re.findall(r'class="search-year-number">(\d+)</span> ([^<]+)</a>', response.text)
    assert [(number, html.unescape(title)) for number, title in years] == [
        ("2025", "Open year"),
        ("2024", "Link year"),
        ("2023", "Closed year"),
        ("2025", "Reader's year"),
    ]


# Highlighting


def test_it_shows_html_in_titles_as_text(client, owner):
    make_goal(make_year(owner), title="<b>x</b> bold <script>alert(1)</script>")

    response = search(client, "bold")

    assert "&lt;b&gt;x&lt;/b&gt; <mark>bold</mark> &lt;script&gt;" in response.text
    assert "<b>x</b>" not in response.text
    assert "<script>alert" not in response.text


def test_it_marks_a_searched_tag_as_escaped_text(client, owner):
    make_goal(make_year(owner), title="<b>x</b>")

    response = search(client, "<b>")

    assert "<mark>&lt;b&gt;</mark>x&lt;/b&gt;" in response.text


def test_highlight_escapes_and_marks_every_word_case_insensitively():
    assert (
        highlight("Tom & tom <i>", ["tom"]) == "<mark>Tom</mark> &amp; <mark>tom</mark> &lt;i&gt;"
    )
    assert highlight("abcd", ["abc", "bcd"]) == "<mark>abcd</mark>"
    assert highlight("a&b", ["amp"]) == "a&amp;b"


def test_excerpt_shows_the_text_around_the_first_match():
    text = "word " * 100 + "needle " + "after " * 100

    found = excerpt(text, ["NEEDLE"])

    assert found.startswith("…word")
    assert found.endswith("…")
    assert "needle" in found
    assert len(found) <= 182
    assert excerpt("short text", ["text"]) == "short text"
    assert excerpt("short text", ["missing"]) is None


# Bounds


@pytest.mark.parametrize("q", ["", " ", "a", "  a  ", "집"])
def test_it_asks_for_more_than_one_character_and_does_not_search(
    client, world, django_assert_num_queries, q
):
    with django_assert_num_queries(0):
        response = search(client, q)

    assert "Type at least 2 characters to search." in response.text
    assert response.context["results"] is None


def test_it_shows_an_empty_search_page_without_a_query(client):
    response = client.get(SEARCH)

    assert response.status_code == 200
    assert '<h1 id="search-title">Search</h1>' in response.text
    assert "Type at least" not in response.text


def test_it_refuses_too_many_words(client):
    response = search(client, " ".join(f"w{i}" for i in range(11)), status=422)

    assert "Use at most 10 words." in response.text


def test_it_refuses_a_very_long_query(client):
    response = search(client, "x" * 201, status=422)

    assert "at most 200 characters" in response.text


def test_it_shows_at_most_fifty_results(client, owner):
    year = make_year(owner)
    Goal.objects.bulk_create(
        Goal(year=year, title=f"Goal {i} with a needle", order=i) for i in range(MAX_RESULTS + 10)
    )

    response = search(client, "needle")

    assert len(hit_titles(response)) == MAX_RESULTS
    assert "The first 50 results. Add a word to narrow them down." in text_of(response)
    assert hit_titles(response)[0] == "Goal 0 with a needle"


def _grow(owner, reader, size: int) -> None:
    for n in range(size):
        year = make_year(owner, year=2000 + n, intro=f"needle intro {n}")
        make_goal(year, title=f"needle goal {n}")
        year.periods.filter(index=2).update(retrospective="needle retrospective")
        entry = make_entry(year, period=1, title=f"needle entry {n}")
        make_photo(entry, caption="needle caption")
        make_goal(make_year(reader, year=2000 + n), title=f"reader needle {n}")


@pytest.mark.parametrize("size", [1, 8])
def test_it_searches_in_a_fixed_number_of_queries(
    client, owner, reader, django_assert_num_queries, size
):
    _grow(owner, reader, size)

    # Years, goals, period retrospectives, entries and their photos' captions.
    with django_assert_num_queries(5):
        response = search(client, "needle")
    assert response.context["results"].count == 5 * size


@pytest.mark.parametrize("size", [1, 8])
def test_it_searches_for_the_owner_in_a_fixed_number_of_queries(
    client, owner, reader, django_assert_num_queries, size
):
    _grow(owner, reader, size)
    client.force_login(owner)

    # The same five, after the session and the user; and the bell's count.
    with django_assert_num_queries(8):
        response = search(client, "needle")
    assert response.context["results"].count == 5 * size


# The search box


def test_it_offers_a_search_box_on_every_page(client, owner):
    make_year(owner)

    for url in [reverse("planner:home"), reverse("planner:profile", args=["owner"])]:
        page = client.get(url).text
        assert (
            '<form class="site-search" method="get" action="/search/" role="search"'
            ' aria-label="Site search">'
        ) in page


def test_it_keeps_search_pages_out_of_search_engines(client):
    assert '<meta name="robots" content="noindex">' in search(client, "anything").text


@pytest.mark.postgresql
@pytest.mark.parametrize(
    ("model", "field", "index"),
    [
        (Goal, "title", "planner_goal_title_trgm"),
        (Entry, "body", "planner_entry_body_trgm"),
        (Photo, "caption", "planner_photo_caption_trgm"),
    ],
)
def test_it_lets_postgresql_use_a_trigram_index_for_icontains(model, field, index):
    query = model.objects.filter(**{f"{field}__icontains": "테스트"})

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()

    assert index in plan
