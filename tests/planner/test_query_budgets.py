"""Query budgets: every page and in-place action costs the same few queries however big a year is.

Two writers built as `manage.py bench_data` builds them, scaled down: "small" and "large"
(four times the goals, entries and photos, ten times the comments, more years). Each URL
is requested for both, and must stay within its budget and cost the same at both sizes,
so an N+1 shows as a difference.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

from accounts.models import User
from planner.forms import text_version
from planner.management.commands.bench_data import (
    POST_YEAR,
    PhotoSource,
    Size,
    build_readers,
    build_writer,
)
from planner.models import Answer, CalendarFeed, Comment, Entry, Goal, OwnQuestion, Photo, Year
from readers.models import Follow, Subscription
from readers.notify import notify_of_comment, notify_of_like
from readers.subscriptions import confirm_token
from tests.factory import PASSWORD, image_upload, make_answer, make_user, make_year

SIZES = {
    "small": Size("small", goals=3, entries=6, photos=6, comments=4, years=2),
    "large": Size("large", goals=12, entries=12, photos=12, comments=40, years=4),
}
SIZES_USERNAMES = [size.username for size in SIZES.values()]
# Writers the measured writer follows, and who follow it back, for each size.
FOLLOWED = {"small": 2, "large": 8}


@dataclass
class Writer:
    """One writer's post and the things in it that the requests act on."""

    user: User
    reader: User
    post: Year
    goal: Goal
    entry: Entry
    photo: Photo
    comment: Comment
    answer: Answer
    own: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.user.username

    def url(self, name: str, *args) -> str:
        return reverse(f"planner:{name}", args=args)


@pytest.fixture(scope="module")
def writers(django_db_setup, django_db_blocker) -> dict[str, Writer]:
    """Built once for the module; each test's own changes are rolled back after it."""
    with django_db_blocker.unblock():
        photos = PhotoSource(size=(96, 64))
        password = make_password(PASSWORD)
        readers = build_readers(password)
        built = {}
        for name, size in SIZES.items():
            user = build_writer(size, readers, photos, password)
            post = user.years.get(year=POST_YEAR)
            entries = Entry.objects.filter(period__year=post)
            entry = entries.select_related("period").order_by("period__index", "order").first()
            answer = add_answers(post, 2 if name == "small" else 8)
            add_subscribers(user, 2 if name == "small" else 20)
            add_readership(user, post, name)
            built[name] = Writer(
                user=user,
                reader=readers[0],
                post=post,
                goal=post.goals.filter(target__isnull=False).first(),
                entry=entry,
                photo=entry.photos.first(),
                comment=post.comments.filter(author=readers[0], parent=None).first(),
                answer=answer,
            )
        yield built
        User.objects.filter(
            username__in=[*SIZES_USERNAMES, *(r.username for r in readers)]
        ).delete()
        User.objects.filter(username__startswith="followed-").delete()


def add_readership(user: User, post: Year, size: str) -> None:
    """Notifications of the post's comments and likes (as many as it has), and writers the
    writer follows and who follow it, each with a public post."""
    for comment in post.comments.select_related("year", "parent__author", "reply_to"):
        notify_of_comment(comment)
    for like in post.likes.select_related("year__owner"):
        notify_of_like(like)
    for i in range(FOLLOWED[size]):
        other = make_user(f"followed-{size}-{i}")
        make_year(other, year=POST_YEAR)
        Follow.objects.create(follower=user, writer=other)
        Follow.objects.create(follower=other, writer=user)


def add_answers(post: Year, per_place: int) -> Answer:
    """Answers to own questions at every place of the post, half of them shown; the first."""
    answers = []
    for place in ["period-1", "period-2", "period-3", "year", "plan"]:
        set_name = "period" if place.startswith("period") else place
        for i in range(per_place):
            own, _ = OwnQuestion.objects.get_or_create(
                owner=post.owner, question_set=set_name, text=f"Question {i}"
            )
            answers.append(
                make_answer(post, place, own_question=own, text=f"Answer {i}", shown_in_post=i % 2)
            )
    return answers[0]


def add_subscribers(writer: User, count: int) -> None:
    Subscription.objects.bulk_create(
        Subscription(writer=writer, email=f"fan{i}@example.com", language="en", status="confirmed")
        for i in range(count)
    )


def new_subscriber(writer: Writer) -> Subscription:
    """One more address, waiting for its confirmation."""
    return Subscription.objects.create(writer=writer.user, email="new@example.com", language="ko")


def confirm_url(writer: Writer) -> str:
    token = confirm_token(new_subscriber(writer))
    return reverse("readers:subscription_confirm", args=[writer.name, token])


def unsubscribe_url(writer: Writer) -> str:
    return reverse("readers:unsubscribe", args=[new_subscriber(writer).unsubscribe_key])


@pytest.fixture(autouse=True)
def _in_june(time_machine):
    # The dashboard shows the current year: the year after the measured post.
    time_machine.move_to(datetime.datetime(POST_YEAR + 1, 6, 15, 12, tzinfo=datetime.UTC))


@dataclass(frozen=True)
class Call:
    """One request: who sends it, how, and the most queries it may cost."""

    name: str
    budget: int
    request: Callable[[Writer], tuple]  # method, URL and, optionally, data
    who: str = "owner"  # owner, reader or visitor
    htmx: bool = True


def calendar_url(writer: Writer) -> str:
    return CalendarFeed.objects.for_owner(writer.user).get_absolute_url()


def text_save(writer: Writer, url: str, stored: str) -> tuple:
    return ("post", url, {"text": "Rewritten", "base": text_version(stored)})


# The owner's goal lists also load where each goal was carried to: one query. The post loads
# the answers it shows in one. Every page for a signed-in person counts the bell's unread
# notifications (one query); the profile counts followers, the post whether a reader
# follows its writer; a comment or a like stores the notifications it makes.
CALLS = [
    # Pages
    Call("post, visitor", 12, lambda w: ("get", w.post.get_absolute_url()), "visitor", False),
    Call("post, reader", 16, lambda w: ("get", w.post.get_absolute_url()), "reader", False),
    Call("post, owner", 21, lambda w: ("get", w.post.get_absolute_url()), htmx=False),
    # The owner's profile counts their e-mail subscribers and followers, and the bell.
    Call("profile", 8, lambda w: ("get", w.url("profile", w.name)), htmx=False),
    Call("profile, visitor", 4, lambda w: ("get", w.url("profile", w.name)), "visitor", False),
    Call("dashboard", 12, lambda w: ("get", reverse("planner:home")), htmx=False),
    Call("notifications", 6, lambda w: ("get", reverse("readers:notifications")), htmx=False),
    Call("following", 6, lambda w: ("get", reverse("readers:following")), htmx=False),
    Call(
        "followers", 6, lambda w: ("get", reverse("readers:followers", args=[w.name])), htmx=False
    ),
    Call("feed", 2, lambda w: ("get", w.url("feed", w.name)), "visitor", False),
    # The feed and its owner in one query, the goals with their years in another.
    Call("calendar feed", 2, lambda w: ("get", calendar_url(w)), "visitor", False),
    # The first visit makes the feed: a savepoint, the insert and its release; and the bell.
    Call(
        "calendar settings", 7, lambda w: ("get", reverse("planner:calendar_settings")), htmx=False
    ),
    Call("stats", 5, lambda w: ("get", reverse("planner:stats")), htmx=False),
    Call("search", 7, lambda w: ("get", reverse("planner:search"), {"q": "Goal"}), htmx=False),
    Call(
        "carry_over",
        10,
        lambda w: ("get", w.url("carry_over", w.name, POST_YEAR)),
        htmx=False,
    ),
    # Goals
    Call("goal_toggle", 12, lambda w: ("post", w.url("goal_toggle", w.goal.pk))),
    Call("goal_note", 3, lambda w: ("get", w.url("goal_note", w.goal.pk))),
    Call(
        "goal_note_edit",
        5,
        lambda w: (
            "post",
            w.url("goal_note_edit", w.goal.pk),
            {"note": "Went well.", "base": text_version(w.goal.note)},
        ),
    ),
    Call(
        "goal_update_create",
        15,
        lambda w: (
            "post",
            w.url("goal_update_create", w.goal.pk),
            {"value": "1", "recorded_on": "2025-07-01", "remark": ""},
        ),
    ),
    Call(
        "goal_create",
        13,
        lambda w: ("post", w.url("goal_create", w.name, POST_YEAR), {"title": "New"}),
    ),
    Call(
        "goal_edit",
        8,
        lambda w: (
            "post",
            w.url("goal_edit", w.goal.pk),
            {"title": "Read books", "target": "12", "unit": "books"},
        ),
    ),
    Call(
        "goal_move",
        10,
        lambda w: ("post", w.url("goal_move", w.goal.pk), {"direction": "down"}),
    ),
    Call(
        "goal_reorder",
        10,
        lambda w: (
            "post",
            w.url("goal_reorder", w.name, POST_YEAR),
            {"order": [str(pk) for pk in w.post.goals.values_list("pk", flat=True)][::-1]},
        ),
    ),
    Call("goal_privacy", 9, lambda w: ("post", w.url("goal_privacy", w.goal.pk))),
    Call("goal_delete", 9, lambda w: ("post", w.url("goal_delete", w.goal.pk))),
    # Entries and photos
    Call(
        "entry_create",
        8,
        lambda w: (
            "post",
            w.url("entry_create", w.name, POST_YEAR, 1),
            {"title": "New", "body": "x"},
        ),
    ),
    Call(
        "entry_edit",
        7,
        lambda w: (
            "post",
            w.url("entry_edit", w.entry.pk),
            {"title": "Edited", "body": "Changed."},
        ),
    ),
    Call(
        "entry_move",
        9,
        lambda w: ("post", w.url("entry_move", w.entry.pk), {"direction": "down"}),
    ),
    Call(
        "entry_reorder",
        9,
        lambda w: (
            "post",
            w.url("entry_reorder", w.name, POST_YEAR, 1),
            {
                "order": [str(pk) for pk in w.entry.period.entries.values_list("pk", flat=True)][
                    ::-1
                ]
            },
        ),
    ),
    Call("entry_privacy", 8, lambda w: ("post", w.url("entry_privacy", w.entry.pk))),
    Call("entry_delete", 8, lambda w: ("post", w.url("entry_delete", w.entry.pk))),
    Call(
        "photo_edit",
        6,
        lambda w: ("post", w.url("photo_edit", w.photo.pk), {"caption": "Sea"}),
    ),
    Call(
        "photo_move",
        5,
        lambda w: ("post", w.url("photo_move", w.photo.pk), {"direction": "down"}),
    ),
    Call(
        "photo_reorder",
        5,
        lambda w: (
            "post",
            w.url("photo_reorder", w.entry.pk),
            {"order": [str(pk) for pk in w.entry.photos.values_list("pk", flat=True)]},
        ),
    ),
    Call(
        "photo_create",
        12,
        lambda w: ("post", w.url("photo_create", w.entry.pk), {"images": image_upload("new.jpg")}),
    ),
    Call("photo_delete", 6, lambda w: ("post", w.url("photo_delete", w.photo.pk))),
    # Texts
    Call(
        "year_text_autosave",
        5,
        lambda w: text_save(
            w, w.url("year_text_autosave", w.name, POST_YEAR, "intro"), w.post.intro
        ),
    ),
    Call(
        "year_text_edit",
        5,
        lambda w: text_save(
            w, w.url("year_text_edit", w.name, POST_YEAR, "summary"), w.post.summary
        ),
    ),
    Call(
        "period_autosave",
        5,
        lambda w: text_save(
            w, w.url("period_autosave", w.name, POST_YEAR, 1), w.entry.period.retrospective
        ),
    ),
    # Guided questions
    Call(
        "reflection",
        6,
        lambda w: ("get", w.url("reflection", w.name, POST_YEAR, "period-1")),
        htmx=False,
    ),
    Call(
        "reflection, pick",
        15,
        lambda w: (
            "post",
            w.url("reflection", w.name, POST_YEAR, "period-1"),
            {"questions": ["built-in:period-learned"], "new_question": "New?"},
        ),
    ),
    Call(
        "answer_autosave",
        5,
        lambda w: text_save(w, w.url("answer_autosave", w.answer.pk), w.answer.text),
    ),
    Call(
        "answer_shown",
        5,
        lambda w: ("post", w.url("answer_shown", w.answer.pk), {"shown_in_post": "true"}),
    ),
    Call(
        "answer_remove",
        7,
        lambda w: (
            "post",
            w.url("answer_remove", w.answer.pk),
            {"confirm": text_version(w.answer.text)},
        ),
    ),
    # Readers
    Call(
        "comment_list",
        4,
        lambda w: ("get", w.url("comment_list", w.name, POST_YEAR)),
        "visitor",
    ),
    Call(
        "comment_list, reader",
        6,
        lambda w: ("get", w.url("comment_list", w.name, POST_YEAR) + "?comments_page=2"),
        "reader",
    ),
    Call(
        "comment_list after a thread, reader",
        5,
        lambda w: (
            "get",
            w.url("comment_list", w.name, POST_YEAR) + f"?after={w.comment.pk}&pinned=0",
        ),
        "reader",
    ),
    Call(
        "comment_create",
        11,
        lambda w: ("post", w.url("comment_create", w.name, POST_YEAR), {"body": "Lovely."}),
        "reader",
    ),
    Call(
        "comment_edit",
        8,
        lambda w: (
            "post",
            w.url("comment_edit", w.comment.pk),
            {"body": "Edited.", "base": text_version(w.comment.body)},
        ),
        "reader",
    ),
    Call(
        "comment_delete",
        8,
        lambda w: ("post", w.url("comment_delete", w.comment.pk)),
        "reader",
    ),
    Call(
        "comment_reply",
        5,
        lambda w: ("get", w.url("comment_reply", w.comment.pk)),
        "reader",
    ),
    Call(
        "comment_reply in place",
        5,
        lambda w: ("get", w.url("comment_reply", w.comment.pk)),
        "reader",
        htmx=True,
    ),
    Call(
        "comment_pin",
        12,
        lambda w: ("post", w.url("comment_pin", w.comment.pk), {"pinned": "1"}),
        htmx=True,
    ),
    Call(
        "comments_toggle",
        8,
        lambda w: ("post", w.url("comments_toggle", w.name, POST_YEAR), {"closed": "1"}),
    ),
    Call(
        "follow",
        8,
        lambda w: ("post", reverse("readers:follow", args=[w.name]), {"follow": "1"}),
        "reader",
    ),
    Call(
        "post_like",
        8,
        lambda w: ("post", w.url("post_like", w.name, POST_YEAR), {"like": "0"}),
        "reader",
    ),
    # E-mail subscriptions
    Call(
        "subscribe page",
        1,
        lambda w: ("get", reverse("readers:subscribe", args=[w.name])),
        "visitor",
        False,
    ),
    Call(
        "subscribe",
        7,
        lambda w: ("post", reverse("readers:subscribe", args=[w.name]), {"email": "a@example.com"}),
        "visitor",
        False,
    ),
    Call("subscription_confirm page", 2, lambda w: ("get", confirm_url(w)), "visitor", False),
    Call("subscription_confirm", 3, lambda w: ("post", confirm_url(w)), "visitor", False),
    Call("unsubscribe page", 1, lambda w: ("get", unsubscribe_url(w)), "visitor", False),
    Call("unsubscribe", 2, lambda w: ("post", unsubscribe_url(w)), "visitor", False),
]


def client_for(writer: Writer, who: str) -> Client:
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0")
    if who != "visitor":
        client.force_login(writer.user if who == "owner" else writer.reader)
    return client


@pytest.mark.parametrize("call", CALLS, ids=[call.name for call in CALLS])
@pytest.mark.django_db
def test_it_keeps_to_the_query_budget(call, writers, settings, django_assert_max_num_queries):
    settings.POST_CACHE_SECONDS = 0  # the cost of rendering; the cached post has its test
    counts = {}
    for size, writer in writers.items():
        client = client_for(writer, call.who)
        if call.who != "owner":
            client.get(writer.post.get_absolute_url())  # today's view is counted already
        method, url, *data = call.request(writer)
        headers = {"HTTP_HX_REQUEST": "true"} if call.htmx else {}
        with django_assert_max_num_queries(call.budget) as queries:
            response = getattr(client, method)(url, *data, **headers)
        assert response.status_code < 400, (size, response.status_code)
        counts[size] = len(queries)
    assert counts["small"] == counts["large"], counts


@pytest.mark.django_db
def test_a_cached_post_costs_one_query(writers, django_assert_num_queries):
    for writer in writers.values():
        client = client_for(writer, "visitor")
        client.get(writer.post.get_absolute_url())
        with django_assert_num_queries(1):
            client.get(writer.post.get_absolute_url())


@pytest.mark.django_db
@pytest.mark.django_db
def test_the_large_writers_calendar_holds_more_deadlines(writers):
    sizes = {}
    for name, writer in writers.items():
        body = client_for(writer, "visitor").get(calendar_url(writer)).content.decode()
        sizes[name] = body.count("UID:goal-")
    assert 0 < sizes["small"] < sizes["large"], sizes


@pytest.mark.django_db
def test_the_large_writer_is_large(writers):
    small, large = writers["small"].post, writers["large"].post
    assert large.goals.count() == 4 * small.goals.count()
    assert large.comments.count() == 10 * small.comments.count()
    assert Photo.objects.filter(entry__period__year=large).count() == 12
    assert Entry.objects.filter(period__year=small).count() == 6
