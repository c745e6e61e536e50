from __future__ import annotations

import datetime
import zoneinfo
from functools import partial
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError, connection
from django.db.models import QuerySet
from django.test import Client, RequestFactory

from planner.models import DailyViews, Visibility
from planner.stats import reader_hash, seconds_until_tomorrow
from tests.at_once import at_once
from tests.factory import make_user, make_year

BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15"
MONDAY = datetime.datetime(2025, 3, 10, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def post(owner):
    return make_year(owner, year=2025, visibility=Visibility.PUBLIC)


def views(post) -> dict[datetime.date, int]:
    return dict(DailyViews.objects.filter(year=post).values_list("day", "count"))


def read(client, post, agent: str = BROWSER, **extra):
    return client.get(post.get_absolute_url(), headers={"user-agent": agent}, **extra)


@time_machine.travel(MONDAY, tick=False)
def test_it_counts_a_reader_once_a_day(reader_client, post):
    for _ in range(3):
        assert read(reader_client, post).status_code == 200

    assert views(post) == {datetime.date(2025, 3, 10): 1}


def test_it_counts_the_same_reader_again_the_next_day(reader_client, post):
    with time_machine.travel(MONDAY, tick=False):
        read(reader_client, post)
    with time_machine.travel(MONDAY.replace(hour=23, minute=59), tick=False):
        read(reader_client, post)
    with time_machine.travel(MONDAY + datetime.timedelta(days=1), tick=False):
        read(reader_client, post)
        read(reader_client, post)

    assert views(post) == {datetime.date(2025, 3, 10): 1, datetime.date(2025, 3, 11): 1}


@time_machine.travel(MONDAY, tick=False)
def test_it_counts_each_reader_and_each_visitor(client, post, reader, stranger):
    for person in (reader, stranger):
        client.force_login(person)
        read(client, post)
        read(client, post)
    client.logout()
    read(client, post)
    read(client, post)  # the same visitor: same address, same browser
    read(client, post, agent=BROWSER + " Firefox/140.0")
    read(client, post, REMOTE_ADDR="203.0.113.9")

    assert views(post) == {datetime.date(2025, 3, 10): 5}


@time_machine.travel(MONDAY, tick=False)
def test_it_counts_unlisted_posts(client, owner):
    post = make_year(owner, visibility=Visibility.UNLISTED)

    read(client, post)

    assert views(post) == {datetime.date(2025, 3, 10): 1}


@time_machine.travel(MONDAY, tick=False)
def test_it_never_counts_the_owner(owner_client, post):
    for _ in range(3):
        read(owner_client, post)

    assert views(post) == {}


@time_machine.travel(MONDAY, tick=False)
def test_it_never_counts_private_years(client, owner, reader, staff):
    post = make_year(owner, visibility=Visibility.PRIVATE)

    for person in (reader, staff):
        client.force_login(person)
        assert read(client, post).status_code == 404
    client.logout()
    assert read(client, post).status_code == 404
    client.force_login(owner)
    assert read(client, post).status_code == 200

    assert not DailyViews.objects.exists()


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "facebookexternalhit/1.1",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/140.0 Safari/537.36",
        "Mozilla/5.0 (compatible; SemrushBot/7; crawler)",
        "Baiduspider+(+http://www.baidu.com/search/spider.htm)",
        "WhatsApp link preview",
        "curl/8.5.0",
        "python-requests/2.32",
        "",
    ],
)
@time_machine.travel(MONDAY, tick=False)
def test_it_does_not_count_bots(client, post, agent):
    assert read(client, post, agent=agent).status_code == 200

    assert views(post) == {}


@pytest.mark.parametrize(
    "headers",
    [{"sec-purpose": "prefetch"}, {"sec-purpose": "prefetch;prerender"}, {"purpose": "prefetch"}],
)
@time_machine.travel(MONDAY, tick=False)
def test_it_does_not_count_prefetches(client, post, headers):
    response = client.get(post.get_absolute_url(), headers={"user-agent": BROWSER, **headers})

    assert response.status_code == 200
    assert views(post) == {}


@time_machine.travel(MONDAY, tick=False)
def test_it_does_not_count_head_requests(client, post):
    assert client.head(post.get_absolute_url(), headers={"user-agent": BROWSER}).status_code == 200

    assert views(post) == {}


@time_machine.travel(MONDAY, tick=False)
def test_it_counts_a_prefetched_page_when_it_is_really_opened(client, post):
    client.get(post.get_absolute_url(), headers={"user-agent": BROWSER, "sec-purpose": "prefetch"})
    read(client, post)

    assert views(post) == {datetime.date(2025, 3, 10): 1}


@time_machine.travel(MONDAY, tick=False)
def test_it_stores_only_a_number_per_post_and_day(client, post, reader):
    read(client, post, REMOTE_ADDR="198.51.100.23")
    client.force_login(reader)
    read(client, post)

    fields = {field.name for field in DailyViews._meta.get_fields()}
    assert fields == {"id", "year", "day", "count"}
    assert list(DailyViews.objects.values("year", "day", "count")) == [
        {"year": post.pk, "day": datetime.date(2025, 3, 10), "count": 2}
    ]


@time_machine.travel(MONDAY, tick=False)
def test_it_sets_no_cookie_on_a_visitor_to_count_them(client, post):
    response = read(client, post)

    # The CSRF cookie comes with every page that has forms; nothing else is set.
    assert set(response.cookies) <= {"csrftoken"}
    assert "sessionid" not in response.cookies


def test_it_hashes_readers_with_a_key_that_changes_every_day(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.23", HTTP_USER_AGENT=BROWSER)
    request.user = type("Visitor", (), {"is_authenticated": False})()
    monday, tuesday = datetime.date(2025, 3, 10), datetime.date(2025, 3, 11)

    first = reader_hash(request, monday)

    assert first == reader_hash(request, monday)
    assert first != reader_hash(request, tuesday)
    assert "198.51.100.23" not in first
    settings.SECRET_KEY = "another-secret-key-" + "y" * 40
    assert first != reader_hash(request, monday)


def test_it_forgets_readers_at_midnight_where_the_site_is():
    seoul = zoneinfo.ZoneInfo("Asia/Seoul")

    assert seconds_until_tomorrow(datetime.datetime(2025, 3, 10, 23, 0, tzinfo=seoul)) == 3600
    assert seconds_until_tomorrow(datetime.datetime(2025, 3, 10, 0, 0, tzinfo=seoul)) == 86400


@pytest.mark.django_db(transaction=True)
def test_it_counts_every_reader_when_they_arrive_at_once(caplog):
    owner = make_user("owner")
    post = make_year(owner)
    readers = 6

    def view(number: int) -> int:
        return read(Client(), post, agent=f"{BROWSER} reader/{number}").status_code

    statuses = at_once([partial(view, number) for number in range(readers)])

    assert statuses == [200] * readers
    # SQLite's shared in-memory test database may refuse a second writer outright; such a
    # view is left uncounted (and said so), never counted twice or lost in a race.
    uncounted = sum("was not counted" in record.message for record in caplog.records)
    counts = list(DailyViews.objects.filter(year=post).values_list("count", flat=True))
    assert counts == [readers - uncounted]
    if connection.vendor == "postgresql":
        assert uncounted == 0


@time_machine.travel(MONDAY, tick=False)
def test_it_shows_the_page_when_the_database_is_too_busy_to_count(client, post, caplog):
    with mock.patch.object(QuerySet, "update", side_effect=OperationalError("database is locked")):
        response = read(client, post)

    assert response.status_code == 200
    assert "was not counted" in caplog.text
    read(client, post)  # the reader was forgotten, so the next visit counts
    assert views(post) == {datetime.date(2025, 3, 10): 1}
