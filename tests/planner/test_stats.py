from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from planner.models import DailyViews, Visibility
from tests.factory import make_goal, make_year

STATS = reverse("planner:stats")
TODAY = datetime.date(2025, 6, 30)
NOON = datetime.datetime(2025, 6, 30, 12, 0, tzinfo=datetime.UTC)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def add_views(year, days_ago: int, count: int) -> None:
    DailyViews.objects.create(year=year, day=TODAY - datetime.timedelta(days=days_ago), count=count)


@pytest.fixture
def posts(owner):
    """Three posts of the owner with views; the oldest was read long ago only."""
    read_most = make_year(owner, year=2024, title="The busy year")
    read_less = make_year(owner, year=2025, title="This year", visibility=Visibility.UNLISTED)
    read_long_ago = make_year(owner, year=2023, title="Long ago")
    add_views(read_most, 0, 5)
    add_views(read_most, 1, 10)
    add_views(read_most, 89, 2)  # the first day of the 90-day window
    add_views(read_most, 120, 3)
    add_views(read_less, 3, 4)
    add_views(read_long_ago, 90, 30)  # a day before the window
    return {"most": read_most, "less": read_less, "long_ago": read_long_ago}


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOON, tick=False):
        yield


def test_it_sends_visitors_to_log_in(client):
    response = client.get(STATS)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={STATS}"


def test_it_shows_the_owner_their_totals(owner_client, posts):
    response = owner_client.get(STATS)

    assert response.status_code == 200
    text = text_of(response)
    assert "54 views in all" in text
    assert "21 in the last 90 days" in text


def test_it_ranks_posts_by_views_all_time(owner_client, posts):
    response = owner_client.get(STATS)

    ranking = re.search(r'<ol class="most-read">(.*?)</ol>', response.text, re.DOTALL)[1]
    titles = re.findall(r"<a href=\"[^\"]+\">(\d{4}) · ", ranking)
    assert titles == ["2023", "2024", "2025"]
    assert re.findall(r"(\d+) views?", text_of_html(ranking)) == ["30", "20", "4"]


def text_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_it_draws_a_line_per_post_read_in_the_last_90_days(owner_client, posts):
    html = owner_client.get(STATS).text

    svg = re.search(r"<svg [^>]*role=\"img\".*?</svg>", html, re.DOTALL)[0]
    assert "Views per post and day over the last 90 days" in svg
    lines = re.findall(r'<polyline class="chart-line [^"]+" points="([^"]+)"', svg)
    assert len(lines) == 2  # the post read long ago has no line
    assert all(len(points.split()) == 90 for points in lines)
    assert "style=" not in svg  # the CSP allows no inline styles
    # Axis labels: the first and last day, and the scale.
    assert "April 2" in svg
    assert "June 30" in svg
    assert re.search(r'text-anchor="end"[^>]*>10</text>', svg)


def test_it_gives_the_figures_as_a_table(owner_client, posts):
    html = owner_client.get(STATS).text

    table = re.search(r'<details class="chart-figures">.*?</details>', html, re.DOTALL)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)
    header, *days = (text_of_html(row).split() for row in rows)
    assert header == ["Day", "2024", "2025"]
    assert days == [
        ["April", "2,", "2025", "2", "0"],
        ["June", "27,", "2025", "0", "4"],
        ["June", "29,", "2025", "10", "0"],
        ["June", "30,", "2025", "5", "0"],
    ]


def test_it_says_so_when_nothing_was_read_lately(owner_client, owner):
    make_year(owner, year=2025)

    response = owner_client.get(STATS)

    assert "No views in the last 90 days." in text_of(response)
    assert "<polyline" not in response.text
    assert "0 views in all" in text_of(response)


def test_it_shows_a_reader_only_their_own_figures(reader_client, posts, reader):
    make_year(reader, year=2025, title="Rae's year")

    response = reader_client.get(STATS)

    assert response.status_code == 200
    assert "Rae&#x27;s year" in response.text
    for post in posts.values():
        assert post.title not in response.text
    assert "0 views in all" in text_of(response)


def test_it_shows_one_posts_figures_alone(owner_client, posts):
    response = owner_client.get(STATS, {"year": 2024})

    assert response.status_code == 200
    assert "<h1>Statistics of 2024</h1>" in response.text
    text = text_of(response)
    assert "20 views in all" in text
    assert "17 in the last 90 days" in text
    assert len(re.findall(r'<polyline class="chart-line', response.text)) == 1
    assert 'class="most-read"' not in response.text
    assert f'<a href="{posts["most"].get_absolute_url()}">The busy year</a>' in response.text
    assert f'<a href="{STATS}">Statistics of all your posts</a>' in response.text


@pytest.mark.parametrize("year", ["2022", "0", "abc", "20244", ""])
def test_it_answers_404_for_a_year_without_a_post(owner_client, posts, year):
    assert owner_client.get(STATS, {"year": year}).status_code == 404


def test_it_shows_no_one_the_figures_of_anothers_post(reader_client, posts):
    assert reader_client.get(STATS, {"year": 2024}).status_code == 404


@pytest.mark.parametrize("extra_posts", [0, 12])
def test_it_reads_the_figures_in_a_fixed_number_of_queries(
    owner_client, owner, posts, django_assert_num_queries, extra_posts
):
    for year in range(2000, 2000 + extra_posts):
        add_views(make_year(owner, year=year), 2, 1)

    # The session, the user, the posts with their totals, the days of the window, the bell.
    with django_assert_num_queries(5):
        assert owner_client.get(STATS).status_code == 200
    with django_assert_num_queries(5):
        assert owner_client.get(STATS, {"year": 2024}).status_code == 200


def test_it_shows_the_owner_the_views_of_a_post_on_the_post(client, owner, reader, posts):
    url = posts["most"].get_absolute_url()

    client.force_login(owner)
    html = client.get(url).text

    views = re.search(r'<p class="post-views">.*?</p>', html, re.DOTALL)[0]
    assert "20 views" in text_of_html(views)
    assert 'aria-label="17 views in the last 90 days"' in views
    assert len(re.search(r'<polyline points="([^"]+)"', views)[1].split()) == 90
    assert f'href="{STATS}?year=2024"' in views

    for person in (reader, None):
        if person:
            client.force_login(person)
        else:
            client.logout()
        html = client.get(url).text
        assert "post-views" not in html
        assert "views in the last" not in html


def test_it_links_the_statistics_from_the_nav_and_the_dashboard(owner_client):
    html = owner_client.get(reverse("planner:home")).text

    assert html.count(f'href="{STATS}"') == 2


# The profile's chart of goals reached per year


@pytest.fixture
def series(owner):
    public = make_year(owner, year=2023, visibility=Visibility.PUBLIC)
    make_goal(public, title="Run", done=True)
    make_goal(public, title="Read", done=False)
    make_goal(public, title="Secret", done=True, is_private=True)
    deleted = make_goal(public, title="Gone", done=True)
    deleted.soft_delete()
    other = make_year(owner, year=2024, visibility=Visibility.PUBLIC)
    make_goal(other, title="Swim", done=True)
    hidden = make_year(owner, year=2025, visibility=Visibility.PRIVATE)
    make_goal(hidden, title="Private plan", done=True)
    return public


def chart_rows(html: str) -> list[list[str]]:
    chart = re.search(r'<figure class="goal-chart">.*?</figure>', html, re.DOTALL)[0]
    table = re.search(r"<tbody>(.*?)</tbody>", chart, re.DOTALL)[1]
    return [text_of_html(row).split() for row in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)]


@pytest.mark.parametrize("person", ["visitor", "reader"])
def test_it_charts_only_public_years_and_goals_for_others(client, reader, series, person):
    if person == "reader":
        client.force_login(reader)

    html = client.get(reverse("planner:profile", args=["owner"])).text

    assert chart_rows(html) == [["2023", "1", "2"], ["2024", "1", "1"]]
    assert ">1/2</text>" in html
    assert "2025" not in re.search(r'<figure class="goal-chart">.*?</figure>', html, re.DOTALL)[0]


def test_it_charts_everything_for_the_owner(owner_client, series):
    html = owner_client.get(reverse("planner:profile", args=["owner"])).text

    assert chart_rows(html) == [["2023", "2", "3"], ["2024", "1", "1"], ["2025", "1", "1"]]


def test_it_draws_the_goal_chart_as_bars_with_a_text_alternative(client, series):
    html = client.get(reverse("planner:profile", args=["owner"])).text

    chart = re.search(r'<figure class="goal-chart">.*?</figure>', html, re.DOTALL)[0]
    svg = re.search(r"<svg .*?</svg>", chart, re.DOTALL)[0]
    assert 'aria-hidden="true"' in svg
    assert len(re.findall(r'<rect class="goal-bar-reached"', svg)) == 2
    assert len(re.findall(r'<rect class="goal-bar-set"', svg)) == 2
    assert "style=" not in svg
    assert '<table class="visually-hidden">' in chart
    assert "<caption>Goals reached per year</caption>" in chart


def test_it_draws_no_goal_chart_without_years(client, owner):
    html = client.get(reverse("planner:profile", args=["owner"])).text

    assert "goal-chart" not in html


@pytest.mark.parametrize("extra_years", [0, 8])
def test_it_draws_the_goal_chart_without_a_query_per_year(
    client, owner, series, django_assert_num_queries, extra_years
):
    for year in range(2000, 2000 + extra_years):
        make_goal(make_year(owner, year=year))

    # The version of the page a visitor may get kept (planner/page_cache.py), the owner, the
    # years with their counts, the goals per life area and year, the followers.
    with django_assert_num_queries(5):
        assert client.get(reverse("planner:profile", args=["owner"])).status_code == 200
