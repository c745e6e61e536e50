"""The calendar feed: an .ics per person at a secret address, and the page to find and reset it.

Every feed is read back by two independent parsers: `icalendar` (which also writes it) and
`vobject`, which parses and validates it as a calendar program would on import.
"""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import vobject
from django.urls import reverse
from icalendar import Calendar

from accounts.models import User
from planner.models import CalendarFeed, Direction, Goal, Visibility
from portability.archive import import_archive
from tests.factory import make_goal, make_user, make_year
from tests.portability.archive_helpers import document_of, export_bytes
from yearloop.site import absolute_url

TODAY = datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC)
HOSTILE_TITLES = [
    "Run, jump; fly\nnow",
    "BEGIN:VEVENT",
    "END:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:injected",
    "Climb 🧗 a mountain 🏔️ and write about it at length, far past seventy-five octets per line",
    "하프 마라톤 완주하기, 그리고; 10km 기록 경신",
    'Backslash \\ and "quotes" and :colons:',
]


@pytest.fixture(autouse=True)
def _in_june(time_machine):
    time_machine.move_to(TODAY)


def feed_url(user) -> str:
    return CalendarFeed.objects.for_owner(user).get_absolute_url()


def read_feed(client, user) -> tuple[Calendar, str]:
    response = client.get(feed_url(user))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    vobject.readOne(text).validate()  # a second parser, as a calendar program would import it
    return Calendar.from_ical(text), text


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_it_holds_a_goal_deadline_as_an_all_day_event_with_its_progress(client, owner, settings):
    post = make_year(owner, year=2026)
    goal = make_goal(
        post,
        title="Run a half marathon",
        target=Decimal("21.1"),
        progress=Decimal("12.5"),
        unit="km",
        deadline=datetime.date(2026, 10, 4),
    )

    calendar, _text = read_feed(client, owner)

    event = events(calendar)["Run a half marathon"]
    assert event.decoded("DTSTART") == datetime.date(2026, 10, 4)
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event.decoded("DTEND") == datetime.date(2026, 10, 5)
    assert "12.5 / 21.1 km (59% of the way). Not reached yet." in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(f"/@owner/2026/#goal-{goal.pk}")
    assert str(event["UID"]) == f"goal-{goal.key}@{urlsplit(settings.SITE_URL).hostname}"
    assert "DTSTAMP" in event


def test_a_goal_on_its_way_down_reads_as_on_the_post(client, owner):
    make_goal(
        make_year(owner, year=2026),
        title="Get down to 70 kg",
        target=Decimal("70"),
        start_value=Decimal("80"),
        progress=Decimal("75"),
        unit="kg",
        direction=Direction.AT_MOST,
        progress_kind="latest",
        deadline=datetime.date(2026, 9, 1),
    )

    calendar, _text = read_feed(client, owner)

    description = str(events(calendar)["Get down to 70 kg"]["DESCRIPTION"])
    assert "80 → 75 / 70 kg (50% of the way). Not reached yet." in description
    assert "75 of 70" not in description


def test_it_keeps_a_reached_goal_marked_as_reached(client, owner):
    post = make_year(owner, year=2026)
    make_goal(post, title="Learn to swim", done=True, deadline=datetime.date(2026, 5, 1))

    calendar, _text = read_feed(client, owner)

    event = events(calendar)["✓ Learn to swim"]
    assert str(event["DESCRIPTION"]).startswith("Reached.")


def test_it_keeps_the_uid_of_a_goal_when_it_changes(client, owner):
    goal = make_goal(
        make_year(owner, year=2026), title="Before", deadline=datetime.date(2026, 7, 1)
    )
    before = events(read_feed(client, owner)[0])["Before"]["UID"]
    Goal.objects.filter(pk=goal.pk).update(title="After", deadline=datetime.date(2026, 8, 1))

    after = events(read_feed(client, owner)[0])["After"]

    assert after["UID"] == before
    assert after.decoded("DTSTART") == datetime.date(2026, 8, 1)


def test_it_holds_period_ends_with_a_morning_reminder_and_the_december_review(client, owner):
    calendar, _text = read_feed(client, owner)

    found = events(calendar)
    for year in (2025, 2026, 2027):
        for period, last_day in [
            ("January–April", datetime.date(year, 4, 30)),
            ("May–August", datetime.date(year, 8, 31)),
            ("September–December", datetime.date(year, 12, 31)),
        ]:
            event = found[f"Write the retrospective of {period} {year}"]
            assert event.decoded("DTSTART") == last_day
            (alarm,) = event.walk("VALARM")
            assert alarm["ACTION"] == "DISPLAY"
            assert alarm.decoded("TRIGGER") == datetime.timedelta(hours=9)
        review = found[f"Write the review of {year} and plan {year + 1}"]
        assert review.decoded("DTSTART") == datetime.date(year, 12, 1)
        assert len(review.walk("VALARM")) == 1
    assert "Write the retrospective of January–April 2028" not in found


def test_it_names_the_calendar_and_asks_to_be_fetched_again(client, owner):
    calendar, text = read_feed(client, owner)

    assert calendar["X-WR-CALNAME"] == "Yearloop: Olivia Owner"
    assert calendar.decoded("REFRESH-INTERVAL") == datetime.timedelta(hours=6)
    assert "X-PUBLISHED-TTL:PT6H" in text


def test_it_writes_in_the_owners_language(client, owner):
    owner.language = "ko"
    owner.save()
    make_goal(
        make_year(owner, year=2026),
        title="책 12권 읽기",
        target=12,
        progress=3,
        unit="권",
        deadline=datetime.date(2026, 12, 20),
    )

    calendar, _text = read_feed(client, owner)

    found = events(calendar)
    assert "2026년 1월 ~ 4월 회고 쓰기" in found
    assert "3 / 12 권 (25% 진행). 아직 이루지 못했어요." in str(
        found["책 12권 읽기"]["DESCRIPTION"]
    )


def test_it_leaves_out_control_characters_that_calendars_refuse(client, owner):
    title = "Bell\x07 vertical\x0b escape\x1b delete\x7f\r\nend\ttab"
    make_goal(make_year(owner, year=2026), title=title, deadline=datetime.date(2026, 9, 9))

    _calendar, text = read_feed(client, owner)

    assert "SUMMARY:Bell vertical escape delete\\nend\ttab\r\n" in text


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_it_carries_any_title_exactly(client, owner, title):
    make_goal(make_year(owner, year=2026), title=title, deadline=datetime.date(2026, 9, 9))

    calendar, text = read_feed(client, owner)

    goal_events = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("goal-")]
    assert [str(e["SUMMARY"]) for e in goal_events] == [title]
    assert text.count("\r\nBEGIN:VEVENT\r\n") == len(calendar.walk("VEVENT"))
    parsed = vobject.readOne(text)
    assert [e.summary.value for e in parsed.vevent_list if e.uid.value.startswith("goal-")] == [
        title
    ]


def test_it_never_holds_another_persons_goals(client, owner, reader):
    mine = make_year(owner, year=2026, visibility=Visibility.PUBLIC)
    make_goal(mine, title="Owner's public goal", deadline=datetime.date(2026, 7, 1))
    make_goal(
        mine, title="Owner's secret goal", is_private=True, deadline=datetime.date(2026, 7, 2)
    )
    hidden = make_year(owner, year=2027, visibility=Visibility.PRIVATE)
    make_goal(hidden, title="Goal of a private year", deadline=datetime.date(2027, 3, 1))
    theirs = make_year(reader, year=2026, visibility=Visibility.PUBLIC)
    make_goal(theirs, title="Reader's own goal", deadline=datetime.date(2026, 7, 3))

    _calendar, readers_feed = read_feed(client, reader)
    client.force_login(reader)  # the owner's address, leaked to someone signed in
    _calendar, owners_feed = read_feed(client, owner)

    assert "Reader's own goal" in readers_feed
    for title in ["Owner's public goal", "Owner's secret goal", "Goal of a private year"]:
        assert title not in readers_feed
        assert title in owners_feed
    assert "Reader's own goal" not in owners_feed


def test_it_leaves_out_what_only_the_owner_sees_when_asked(client, owner):
    public = make_year(owner, year=2026, visibility=Visibility.UNLISTED)
    make_goal(public, title="Shared goal", deadline=datetime.date(2026, 7, 1))
    make_goal(public, title="Secret goal", is_private=True, deadline=datetime.date(2026, 7, 2))
    hidden = make_year(owner, year=2027, visibility=Visibility.PRIVATE)
    make_goal(hidden, title="Goal of a private year", deadline=datetime.date(2027, 3, 1))
    client.force_login(owner)

    response = client.post(reverse("planner:calendar_settings"), {})
    client.logout()

    assert response.status_code == 302
    _calendar, text = read_feed(client, owner)
    assert "Shared goal" in text
    assert "Secret goal" not in text
    assert "Goal of a private year" not in text


def test_it_leaves_out_deleted_goals_and_goals_of_years_long_past(client, owner):
    make_goal(make_year(owner, year=2024), title="Old goal", deadline=datetime.date(2024, 5, 1))
    last_year = make_year(owner, year=2025)
    make_goal(last_year, title="Last year's goal", deadline=datetime.date(2025, 5, 1))
    make_goal(last_year, title="Deleted goal", deadline=datetime.date(2025, 6, 1)).soft_delete()

    _calendar, text = read_feed(client, owner)

    assert "Last year's goal" in text
    assert "Old goal" not in text
    assert "Deleted goal" not in text


def test_it_answers_404_to_an_unknown_address(client, owner):
    CalendarFeed.objects.for_owner(owner)

    assert client.get(reverse("planner:calendar_feed", args=["x" * 43])).status_code == 404
    assert client.get(reverse("planner:calendar_feed", args=["x" * 500])).status_code == 404
    assert client.get("/calendar/.ics").status_code == 404


def test_it_answers_404_once_its_owner_is_deactivated(client, owner):
    url = feed_url(owner)
    owner.is_active = False
    owner.save()

    assert client.get(url).status_code == 404


def test_it_is_cached_privately_for_a_short_time_and_answers_304_when_unchanged(client, owner):
    url = feed_url(owner)
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert set(first["Cache-Control"].split(", ")) == {"private", "max-age=300"}
    assert first["Content-Disposition"] == 'inline; filename="yearloop.ics"'
    assert again.status_code == 304
    make_goal(make_year(owner, year=2026), title="New", deadline=datetime.date(2026, 7, 1))
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_it_shows_the_address_on_the_settings_page(client, owner):
    client.force_login(owner)

    response = client.get(reverse("planner:calendar_settings"))

    feed = CalendarFeed.objects.get(owner=owner)
    assert response.status_code == 200
    assert f'value="{absolute_url(feed.get_absolute_url())}"' in response.text
    assert "Reset the address" in response.text
    assert "Google Calendar" in response.text


def test_it_links_the_calendar_page_from_the_profile_settings(client, owner):
    client.force_login(owner)

    response = client.get(reverse("accounts:profile_edit"))

    assert reverse("planner:calendar_settings") in response.text


def test_it_gives_each_person_their_own_address(owner, reader):
    assert feed_url(owner) != feed_url(reader)
    assert len(CalendarFeed.objects.get(owner=owner).token) >= 43


def test_resetting_changes_the_address_and_the_old_one_answers_404(client, owner):
    old_url = feed_url(owner)
    client.force_login(owner)

    response = client.post(reverse("planner:calendar_reset"))

    page = client.get(response.url)
    new_url = feed_url(owner)
    assert new_url != old_url
    assert new_url in page.text
    assert old_url not in page.text
    assert "the old one no longer works" in page.text
    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200


def test_resetting_in_place_answers_with_the_new_address(client, owner):
    old_url = feed_url(owner)
    client.force_login(owner)

    response = client.post(reverse("planner:calendar_reset"), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="calendar-address"')
    assert 'data-focus="calendar-url"' in response.text
    assert feed_url(owner) in response.text
    assert old_url not in response.text


def test_resetting_is_a_post_and_only_for_the_signed_in_person(client, owner):
    url = feed_url(owner)

    assert client.post(reverse("planner:calendar_reset")).status_code == 302  # to log in
    client.force_login(owner)
    assert client.get(reverse("planner:calendar_reset")).status_code == 405
    assert feed_url(owner) == url


def test_another_persons_reset_leaves_my_address_alone(client, owner, reader):
    url = feed_url(owner)
    client.force_login(reader)

    client.post(reverse("planner:calendar_reset"))

    assert feed_url(owner) == url
    assert client.get(url).status_code == 200


def test_it_makes_a_feed_for_a_new_person_once(client, db):
    person = make_user("newcomer")
    client.force_login(person)

    client.get(reverse("planner:calendar_settings"))
    client.get(reverse("planner:calendar_settings"))

    assert CalendarFeed.objects.filter(owner=person).count() == 1


def test_the_archive_leaves_the_secret_out_and_a_restored_account_gets_a_new_address(client, owner):
    make_goal(make_year(owner, year=2026), title="Kept goal", deadline=datetime.date(2026, 7, 1))
    old = CalendarFeed.objects.for_owner(owner)
    data = export_bytes(owner)
    owner.delete()
    fresh = User(username="owner")

    import_archive(fresh, io.BytesIO(data))

    assert old.token.encode() not in data
    assert old.token not in json.dumps(document_of(data))
    assert client.get(old.get_absolute_url()).status_code == 404
    _calendar, text = read_feed(client, User.objects.get(username="owner"))
    assert "Kept goal" in text
