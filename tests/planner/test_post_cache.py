"""A visitor's post comes from the cache, and every change shown on it is seen at once."""

from __future__ import annotations

import datetime
import gzip
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planner import page_cache
from planner.forms import text_version
from planner.models import DailyViews, GoalUpdate, Like, Visibility, Year
from planner.permissions import public_year
from tests.factory import (
    image_upload,
    make_comment,
    make_entry,
    make_goal,
    make_photo,
    make_user,
    make_year,
)

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0"


@pytest.fixture
def post(owner, reader):
    year = make_year(owner, intro="The year of the sea.")
    make_goal(year, title="Swim a mile", target=Decimal(10), unit="km")
    entry = make_entry(year, title="Spring trip")
    make_photo(entry, caption="The view from the top")
    make_comment(year, reader, body="What a year!")
    return year


@pytest.fixture
def visitor():
    return Client(HTTP_USER_AGENT=BROWSER)


@pytest.fixture
def writer(owner):
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def commenter(reader):
    client = Client()
    client.force_login(reader)
    return client


def read(client: Client, post) -> str:
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def cached_read(client: Client, post, django_assert_max_num_queries) -> str:
    """Read twice; the second read must come from the cache (the permission check only)."""
    first = read(client, post)
    with django_assert_max_num_queries(1):
        second = read(client, post)
    assert without_nonce(second) == without_nonce(first)
    return second


def assert_rendered(client: Client, post, query: str = "") -> str:
    """Read, and check the page was rendered from the database, not taken from the cache."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(post.get_absolute_url() + query)
    assert response.status_code == 200
    assert len(queries) >= 5
    return response.content.decode()


def without_nonce(page: str) -> str:
    return re.sub(r' nonce="[^"]+"', "", page)


def test_it_serves_a_visitor_from_the_cache(post, visitor, django_assert_max_num_queries):
    page = cached_read(visitor, post, django_assert_max_num_queries)
    assert "Swim a mile" in page and "What a year!" in page and "The view from the top" in page


def test_a_visitor_gets_the_whole_page_from_the_cache_with_nothing_personal_in_it(
    post, visitor, reader, rf
):
    # A visitor gets htmx only on a post with more than one page of comments, and from the
    # cache too.
    for number in range(50):
        make_comment(post, reader, body=f"Comment {number}")
    first, second = visitor.get(post.get_absolute_url()), visitor.get(post.get_absolute_url())
    assert second.content == first.content
    assert "Show more comments" in second.content.decode()
    assert "htmx-2.min.js" in second.content.decode()
    assert "script-src 'self'" in second["Content-Security-Policy"]
    assert second["X-Request-ID"] != first["X-Request-ID"]
    assert not second.cookies
    post.refresh_from_db()
    request = rf.get(post.get_absolute_url())
    request.user, request.htmx = AnonymousUser(), False
    page = cache.get(page_cache._key(request, "post", page_cache.post_version(post)))[
        "plain"
    ].decode()
    assert "Swim a mile" in page and "og:title" in page
    assert "nonce" not in page and "csrfmiddlewaretoken" not in page


def test_a_visitor_who_takes_gzip_gets_the_same_page_compressed(post, visitor):
    plain = visitor.get(post.get_absolute_url()).content
    for _ in range(2):  # rendered, then from the cache
        response = visitor.get(post.get_absolute_url(), headers={"accept-encoding": "gzip, br"})
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert gzip.decompress(response.content) == plain


def message_cookie(text: str) -> str:
    storage = CookieStorage(RequestFactory().get("/"))
    return storage._encode([Message(constants.SUCCESS, text)])


def test_a_visitor_with_a_message_waiting_sees_it_and_nobody_else_does(post, visitor):
    waiting = Client(HTTP_USER_AGENT=BROWSER)
    waiting.cookies["messages"] = message_cookie("You have been logged out.")
    assert "You have been logged out." in read(waiting, post)
    assert "You have been logged out." not in read(visitor, post)  # rendered and stored now
    waiting.cookies["messages"] = message_cookie("Your language was changed.")
    assert "Your language was changed." in read(waiting, post)
    assert "Your language was changed." not in read(visitor, post)


def test_a_visitor_with_a_session_is_not_served_the_stored_page(post, visitor):
    read(visitor, post)
    with_session = Client(HTTP_USER_AGENT=BROWSER)
    session = with_session.session
    session["kept"] = "something"
    session.save()
    with_session.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert_rendered(with_session, post)


def test_a_visitor_gets_no_script_on_a_short_post_from_the_cache(post, visitor):
    visitor.get(post.get_absolute_url())
    cached = visitor.get(post.get_absolute_url()).content.decode()
    assert "What a year!" in cached and "<script" not in cached


def test_it_still_counts_views_from_the_cache(post, owner, django_assert_max_num_queries):
    read(Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="10.0.0.1"), post)
    read(Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="10.0.0.2"), post)
    read(Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="10.0.0.2"), post)
    assert DailyViews.objects.get(year=post).count == 2


def test_it_keeps_pages_of_comments_apart(post, visitor):
    assert "Earlier comments" not in read(visitor, post)
    page_two = visitor.get(post.get_absolute_url() + "?comments_page=2").content.decode()
    assert "Earlier comments" in page_two


def test_it_skips_the_cache_for_other_query_parameters(post, visitor):
    read(visitor, post)
    assert_rendered(visitor, post, "?utm_source=feed")


def test_it_never_serves_the_owner_from_it(post, visitor, writer):
    read(visitor, post)
    page = read(writer, post)
    assert "Edit title and visibility" in page


def test_it_never_serves_a_logged_in_reader_from_it(post, visitor, commenter):
    read(visitor, post)
    assert "Log in to like" not in read(commenter, post)


def test_logged_in_readers_get_the_page_kept_for_them_all_made_their_own(
    post, reader, commenter, stranger, django_assert_max_num_queries
):
    other = Client()
    other.force_login(stranger)
    read(other, post)  # the stranger fills the cache
    read(commenter, post)  # the reader's view of the day is counted
    # The session, the user, the post, whether they like it and follow its writer (one
    # query), and the bell's count.
    with django_assert_max_num_queries(5):
        page = read(commenter, post)
    assert "Swim a mile" in page and "The view from the top" in page
    assert "Log in to like" not in page
    assert '<a href="/@reader/">My years</a>' in page
    assert "/@stranger/" not in page and "stand-in" not in page
    assert 'href="/admin/"' not in page


def test_a_reader_who_likes_the_post_sees_it_liked_and_nobody_else_does(post, commenter, stranger):
    other = Client()
    other.force_login(stranger)
    read(other, post)
    Like.objects.create(year=post, user=post.comments.get().author)
    read(other, post)

    liked, not_liked = 'class="like-button" aria-pressed="true"', 'aria-pressed="false"'
    assert read(commenter, post).count(liked) == 2
    assert read(other, post).count(f'class="like-button" {not_liked}') == 2
    assert read(commenter, post).count(liked) == 2


def test_staff_see_their_own_header_on_a_kept_page(post, commenter, staff):
    read(commenter, post)
    admin = Client()
    admin.force_login(staff)
    assert 'href="/admin/"' in read(admin, post)
    assert 'href="/admin/"' not in read(commenter, post)


def test_a_reader_with_a_message_waiting_sees_it_and_nobody_else_does(post, reader, stranger):
    waiting = Client()
    waiting.force_login(reader)
    other = Client()
    other.force_login(stranger)
    read(other, post)
    waiting.cookies["messages"] = message_cookie("Your comment was posted.")
    assert "Your comment was posted." in read(waiting, post)
    assert "Your comment was posted." not in read(other, post)
    assert "Your comment was posted." not in read(waiting, post)  # shown once


def test_a_reader_who_changes_their_username_sees_the_new_address_at_once(post, reader, commenter):
    read(commenter, post)
    reader.username = "rae"
    reader.save()
    page = read(commenter, post)
    assert '<a href="/@rae/">My years</a>' in page and "/@reader/" not in page


def test_an_unlisted_post_is_kept_for_readers_and_a_private_one_is_not_found(
    post, commenter, stranger, django_assert_max_num_queries
):
    post.visibility = Visibility.UNLISTED
    post.save()
    other = Client()
    other.force_login(stranger)
    read(other, post)
    read(commenter, post)
    with django_assert_max_num_queries(5):  # and the bell's count
        assert "Swim a mile" in read(commenter, post)
    post.visibility = Visibility.PRIVATE
    post.save()
    assert commenter.get(post.get_absolute_url()).status_code == 404


def test_a_reader_page_carries_no_nonce_and_no_other_readers_token(post, commenter, stranger):
    other = Client(enforce_csrf_checks=True)
    other.force_login(stranger)
    read(other, post)  # kept with the stranger's request
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(post.comments.get().author)
    page = read(strict, post)
    assert "nonce=" not in page  # a kept nonce would be refused by the next page's policy
    assert '<script src="/static/' in page
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    response = strict.post(
        reverse("planner:post_like", args=[post.owner.username, post.year]),
        {"csrfmiddlewaretoken": tokens.pop(), "like": "1", "place": "header"},
    )
    assert response.status_code == 302
    assert Like.objects.filter(year=post, user=post.comments.get().author).exists()


def test_the_shared_part_is_the_same_whoever_filled_it(post, owner, commenter, settings):
    visitor = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="10.0.0.9")
    settings.POST_CACHE_SECONDS = 0
    fresh = {"visitor": read(visitor, post), "reader": read(commenter, post)}
    settings.POST_CACHE_SECONDS = 3600
    for first, second in (("reader", "visitor"), ("visitor", "reader")):
        cache.clear()
        clients = {"visitor": visitor, "reader": commenter}
        read(clients[first], post)
        assert comparable(read(clients[second], post)) == comparable(fresh[second])


def comparable(page: str) -> str:
    """A page without what differs on every response: the nonce and the CSRF token."""
    page = without_nonce(page)
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r'"x-csrftoken": "[^"]+"', "", page)


def test_it_never_caches_an_unlisted_post(post, visitor):
    post.visibility = Visibility.UNLISTED
    post.save()
    read(visitor, post)
    page = assert_rendered(visitor, post)
    assert '<meta name="robots" content="noindex">' in page


def test_a_post_made_unlisted_is_not_served_from_it(post, visitor, writer):
    read(visitor, post)
    edit = reverse("planner:year_edit", args=[post.owner.username, post.year])
    writer.post(edit, {"title": "", "visibility": Visibility.UNLISTED})
    assert '<meta name="robots" content="noindex">' in read(visitor, post)


def test_a_post_made_private_is_gone_at_once(post, visitor, writer):
    read(visitor, post)
    edit = reverse("planner:year_edit", args=[post.owner.username, post.year])
    writer.post(edit, {"title": "", "visibility": Visibility.PRIVATE})
    assert visitor.get(post.get_absolute_url()).status_code == 404


def test_a_deactivated_owner_is_gone_at_once(post, owner, visitor):
    read(visitor, post)
    owner.is_active = False
    owner.save()
    assert visitor.get(post.get_absolute_url()).status_code == 404


# --- Every change shown on the post is seen at once -----------------------------


def change_title(post, writer, commenter):
    edit = reverse("planner:year_edit", args=[post.owner.username, post.year])
    writer.post(edit, {"title": "A year by the sea", "visibility": Visibility.PUBLIC})
    return '<h1 id="post-title">A year by the sea</h1>'


def change_intro(post, writer, commenter):
    url = reverse("planner:year_text_autosave", args=[post.owner.username, post.year, "intro"])
    writer.post(url, {"text": "Rewritten intro", "base": text_version(post.intro)})
    return "<p>Rewritten intro</p>"


def change_period_retrospective(post, writer, commenter):
    url = reverse("planner:period_autosave", args=[post.owner.username, post.year, 1])
    writer.post(url, {"text": "Spring was slow", "base": text_version("")})
    return "Spring was slow"


def tick_goal(post, writer, commenter):
    goal = post.goals.get()
    writer.post(reverse("planner:goal_toggle", args=[goal.pk]))
    return "1 of 1"


def add_goal(post, writer, commenter):
    writer.post(
        reverse("planner:goal_create", args=[post.owner.username, post.year]),
        {"title": "Learn the cello"},
    )
    return "Learn the cello"


def log_progress(post, writer, commenter):
    goal = post.goals.get()
    writer.post(
        reverse("planner:goal_update_create", args=[goal.pk]),
        {"value": "7", "recorded_on": "2025-03-01", "remark": ""},
    )
    assert GoalUpdate.objects.filter(goal=goal).exists()
    return "7 / 10"


def add_entry(post, writer, commenter):
    writer.post(
        reverse("planner:entry_create", args=[post.owner.username, post.year, 2]),
        {"title": "Summer at the lake", "body": "Cold water."},
    )
    return "Summer at the lake"


def edit_entry(post, writer, commenter):
    entry = post.periods.get(index=1).entries.get()
    writer.post(
        reverse("planner:entry_edit", args=[entry.pk]),
        {"title": "Spring trip, retold", "body": "We went to the sea."},
    )
    return "Spring trip, retold"


def delete_entry(post, writer, commenter):
    entry = post.periods.get(index=1).entries.get()
    writer.post(reverse("planner:entry_delete", args=[entry.pk]))
    return "!Spring trip"


def add_photo(post, writer, commenter):
    entry = post.periods.get(index=1).entries.get()
    writer.post(
        reverse("planner:photo_create", args=[entry.pk]),
        {"images": image_upload("sea.jpg")},
    )
    return f"/photos/{entry.photos.latest('pk').pk}/"


def caption_photo(post, writer, commenter):
    photo = post.periods.get(index=1).entries.get().photos.get()
    writer.post(reverse("planner:photo_edit", args=[photo.pk]), {"caption": "Above the clouds"})
    return "Above the clouds"


def delete_photo(post, writer, commenter):
    photo = post.periods.get(index=1).entries.get().photos.get()
    writer.post(reverse("planner:photo_delete", args=[photo.pk]))
    return "!The view from the top"


def comment(post, writer, commenter):
    commenter.post(
        reverse("planner:comment_create", args=[post.owner.username, post.year]),
        {"body": "Congratulations on the mile!"},
    )
    return "Congratulations on the mile!"


def remove_comment(post, writer, commenter):
    only = post.comments.get()
    writer.post(reverse("planner:comment_delete", args=[only.pk]))
    return "!What a year!"


def like(post, writer, commenter):
    commenter.post(
        reverse("planner:post_like", args=[post.owner.username, post.year]), {"like": "1"}
    )
    assert Like.objects.filter(year=post).exists()
    return "1 like"


def rename_owner(post, writer, commenter):
    writer.post(
        reverse("accounts:profile_edit"),
        {"display_name": "Olivia Ocean", "bio": "Swimmer", "email_on_comments": "on"},
    )
    return "Olivia Ocean"


def change_avatar(post, writer, commenter):
    owner = post.owner
    owner.avatar.save("new-face.jpg", image_upload("face.jpg"), save=True)
    return owner.avatar_url


def rename_commenter(post, writer, commenter):
    commenter.post(
        reverse("accounts:profile_edit"),
        {"display_name": "Rae Renamed", "bio": "", "email_on_comments": "on"},
    )
    return "Rae Renamed"


def plan_next_year(post, writer, commenter):
    next_post = make_year(post.owner, year=post.year + 1)
    make_goal(next_post, title="Swim two miles")
    return "Swim two miles"


def publish_an_earlier_year(post, writer, commenter):
    make_year(post.owner, year=post.year - 1, visibility=Visibility.PRIVATE)
    earlier = post.owner.years.get(year=post.year - 1)
    earlier.visibility = Visibility.PUBLIC
    earlier.save()
    return f"← {post.year - 1}"


CHANGES = [
    change_title,
    change_intro,
    change_period_retrospective,
    tick_goal,
    add_goal,
    log_progress,
    add_entry,
    edit_entry,
    delete_entry,
    add_photo,
    caption_photo,
    delete_photo,
    comment,
    remove_comment,
    like,
    rename_owner,
    change_avatar,
    rename_commenter,
    plan_next_year,
    publish_an_earlier_year,
]


def assert_seen(expected: str, before: str, after: str) -> None:
    """The change shows: new text appears, or (with "!") removed text is gone."""
    if expected.startswith("!"):
        assert expected[1:] in before and expected[1:] not in after
    else:
        assert expected not in before and expected in after


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_a_visitor_sees_every_change_at_once(
    change, post, visitor, writer, commenter, django_assert_max_num_queries
):
    before = cached_read(visitor, post, django_assert_max_num_queries)
    expected = change(post, writer, commenter)
    after = read(visitor, post)
    assert_seen(expected, before, after)


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_a_logged_in_reader_sees_every_change_at_once(change, post, writer, stranger):
    reader = Client()
    reader.force_login(stranger)
    read(reader, post)
    before = read(reader, post)
    commenter = Client()
    commenter.force_login(post.comments.get().author)
    expected = change(post, writer, commenter)
    after = read(reader, post)
    assert_seen(expected, before, after)


@pytest.fixture
def owner_reading(owner):
    """The owner on a second device: no message from the writes reaches this session."""
    client = Client(HTTP_USER_AGENT=BROWSER)
    client.force_login(owner)
    return client


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_the_owner_sees_every_change_at_once(
    change, post, writer, owner_reading, django_assert_max_num_queries
):
    read(owner_reading, post)
    with django_assert_max_num_queries(6):  # kept; the bell's count is put in
        before = read(owner_reading, post)
    commenter = Client()
    commenter.force_login(post.comments.get().author)
    expected = change(post, writer, commenter)
    after = read(owner_reading, post)
    # The owner still sees what they deleted, with its Undo.
    assert_seen(OWNER_SEES.get(change, expected), before, after)


OWNER_SEES = {delete_entry: "Deleted “Spring trip”"}


def test_the_owner_sees_each_new_view_on_their_kept_page(post, owner_reading):
    read(owner_reading, post)
    assert "0 views" in read(owner_reading, post)
    read(Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="10.0.0.1"), post)
    assert "1 view" in read(owner_reading, post)
    read(Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="10.0.0.2"), post)
    assert "2 views" in read(owner_reading, post)


def test_undo_leaves_the_owners_kept_page_when_the_restore_window_closes(
    post, writer, owner_reading, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC))
    entry = post.periods.get(index=1).entries.get()
    writer.post(reverse("planner:entry_delete", args=[entry.pk]))
    read(owner_reading, post)
    assert f'id="entry-undo-{entry.pk}"' in read(owner_reading, post)
    time_machine.move_to(datetime.datetime(2026, 3, 8, 8, 59, tzinfo=datetime.UTC))
    assert f'id="entry-undo-{entry.pk}"' in read(owner_reading, post)
    time_machine.move_to(datetime.datetime(2026, 3, 8, 9, 1, tzinfo=datetime.UTC))
    assert f'id="entry-undo-{entry.pk}"' not in read(owner_reading, post)


def test_a_reload_after_the_restore_window_closes_is_no_longer_not_modified(
    post, writer, owner_reading, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC))
    entry = post.periods.get(index=1).entries.get()
    writer.post(reverse("planner:entry_delete", args=[entry.pk]))
    time_machine.move_to(datetime.datetime(2026, 3, 8, 8, 59, tzinfo=datetime.UTC))
    read(owner_reading, post)  # kept until 9:00, when the Undo must go
    tag = owner_reading.get(post.get_absolute_url())["ETag"]
    time_machine.move_to(datetime.datetime(2026, 3, 8, 9, 1, tzinfo=datetime.UTC))

    response = owner_reading.get(post.get_absolute_url(), HTTP_IF_NONE_MATCH=tag)

    assert response.status_code == 200
    assert f'id="entry-undo-{entry.pk}"' not in response.content.decode()


def test_the_owners_kept_page_is_theirs_alone(post, owner_reading, commenter, visitor):
    post.visibility = Visibility.PRIVATE
    post.save()
    read(owner_reading, post)
    assert "Edit title and visibility" in read(owner_reading, post)
    assert commenter.get(post.get_absolute_url()).status_code == 404
    assert visitor.get(post.get_absolute_url()).status_code == 404
    post.visibility = Visibility.PUBLIC
    post.save()
    read(owner_reading, post)
    assert "Edit title and visibility" not in read(commenter, post)
    assert "Edit title and visibility" not in read(visitor, post)


def test_the_owner_gets_a_message_waiting_and_their_own_token_on_a_kept_page(post, owner):
    strict = Client(HTTP_USER_AGENT=BROWSER, enforce_csrf_checks=True)
    strict.force_login(owner)
    read(strict, post)
    strict.cookies["messages"] = message_cookie("Saved.")
    assert "Saved." in read(strict, post)
    page = read(strict, post)
    assert "Saved." not in page and "nonce=" not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    goal = post.goals.get()
    response = strict.post(
        reverse("planner:goal_toggle", args=[goal.pk]), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.done


def test_a_change_to_another_persons_post_keeps_this_one_cached(
    post, visitor, django_assert_max_num_queries
):
    read(visitor, post)
    someone = make_user("someone")
    other = make_year(someone)
    make_goal(other, title="Something else")
    with django_assert_max_num_queries(1):
        read(visitor, post)


def test_it_is_off_with_zero_seconds(post, visitor, settings):
    settings.POST_CACHE_SECONDS = 0
    read(visitor, post)
    assert_rendered(visitor, post)


def test_it_renders_again_the_next_day(post, visitor, time_machine):
    # Deadlines are worded relative to today.
    time_machine.move_to(datetime.datetime(2026, 3, 1, 23, 59, tzinfo=datetime.UTC))
    read(visitor, post)
    time_machine.move_to(datetime.datetime(2026, 3, 2, 0, 1, tzinfo=datetime.UTC))
    assert_rendered(visitor, post)


def test_a_comment_removed_in_the_admin_is_gone_at_once(post, visitor, staff):
    read(visitor, post)
    admin = Client()
    admin.force_login(staff)
    admin.post(
        reverse("admin:planner_comment_changelist"),
        {"action": "remove", "_selected_action": [post.comments.get().pk]},
    )
    assert "What a year!" not in read(visitor, post)


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("active", [True, False])
@pytest.mark.parametrize("address", ["owner", "OWNER", "someone"])
@pytest.mark.parametrize("unlisted", [False, True])
def test_the_quick_lookup_finds_exactly_the_shared_posts_a_visitor_may_read(
    owner, visibility, active, address, unlisted, rf
):
    post = make_year(owner, visibility=visibility)
    owner.is_active = active
    owner.save()
    request = rf.get("/")
    request.user = AnonymousUser()
    readable = Year.objects.readable_by(request.user).filter(
        owner__username=address.lower(), owner__is_active=True, year=post.year
    )

    found = public_year(address, post.year, unlisted=unlisted)

    shared = [Visibility.PUBLIC, Visibility.UNLISTED] if unlisted else [Visibility.PUBLIC]
    expected = readable.filter(visibility__in=shared).first()
    assert (found.pk if found else None) == (expected.pk if expected else None)
    if found:
        post.refresh_from_db()  # saving the owner gave it a new version
        assert (found.owner_id, found.render_version) == (owner.pk, post.render_version)
    assert public_year(address, post.year + 1) is None


def test_readers_share_the_threads_and_each_gets_actions_on_their_own_comments_only(
    post, reader, stranger, commenter, django_assert_max_num_queries
):
    theirs = make_comment(post, stranger, body="A stranger's word")
    other = Client()
    other.force_login(stranger)
    read(other, post)  # the stranger fills the cache

    page = read(commenter, post)

    mine = post.comments.get(author=reader, parent=None)
    assert f'action="/comments/{mine.pk}/edit/"' in page
    assert f'action="/comments/{theirs.pk}/edit/"' not in page
    assert "comment-actions-" not in page
    with django_assert_max_num_queries(9):  # none of them for the threads
        again = read(other, post)
    assert f'action="/comments/{theirs.pk}/edit/"' in again
    assert f'action="/comments/{mine.pk}/edit/"' not in again


def test_a_reply_box_carries_the_readers_own_token(post, reader, stranger):
    other = Client()
    other.force_login(stranger)
    read(other, post)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reader)
    read(strict, post)
    thread = post.comments.get(parent=None, author=reader)
    # The reply box is fetched when wanted, never kept: its token is the reader's own.
    box = strict.get(reverse("planner:comment_reply", args=[thread.pk]), HTTP_HX_REQUEST="true")
    assert f'name="parent" value="{thread.pk}"' in box.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', box.text)[1]

    response = strict.post(
        reverse("planner:comment_create", args=[post.owner.username, post.year]),
        {"csrfmiddlewaretoken": token, "parent": thread.pk, "body": "Replying from the cache"},
    )

    assert response.status_code == 302
    assert post.comments.filter(body="Replying from the cache", parent=thread).exists()


def test_a_reader_reloading_a_kept_page_gets_not_modified_until_it_changes(
    post, commenter, stranger
):
    read(commenter, post)
    tag = commenter.get(post.get_absolute_url())["ETag"]
    assert tag.startswith('W/"')
    assert commenter.get(post.get_absolute_url(), HTTP_IF_NONE_MATCH=tag).status_code == 304
    other = Client()
    other.force_login(stranger)
    read(other, post)
    assert other.get(post.get_absolute_url(), HTTP_IF_NONE_MATCH=tag).status_code == 200
    make_comment(post, stranger, body="Something new")
    again = commenter.get(post.get_absolute_url(), HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 200 and "Something new" in again.content.decode()


def test_the_owner_reloading_gets_not_modified_until_someone_reads_it(post, owner_reading):
    read(owner_reading, post)
    tag = owner_reading.get(post.get_absolute_url())["ETag"]
    assert owner_reading.get(post.get_absolute_url(), HTTP_IF_NONE_MATCH=tag).status_code == 304
    read(Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="10.0.0.3"), post)
    again = owner_reading.get(post.get_absolute_url(), HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 200 and "1 view" in again.content.decode()


def test_a_reader_edits_their_comment_without_javascript_from_a_kept_page(post, reader, stranger):
    other = Client()
    other.force_login(stranger)
    read(other, post)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reader)
    read(strict, post)
    page = read(strict, post)  # the kept page, made theirs
    mine = post.comments.get(author=reader, parent=None)
    form = page[page.index(f'action="/comments/{mine.pk}/edit/"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    base = re.search(r'name="base" value="([^"]+)"', form)[1]

    response = strict.post(
        reverse("planner:comment_edit", args=[mine.pk]),
        {"csrfmiddlewaretoken": token, "body": "What a year, truly!", "base": base},
    )

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.body == "What a year, truly!"


def test_a_comment_that_writes_a_marker_gets_no_actions_put_into_it(post, reader, stranger):
    mine = post.comments.get(author=reader, parent=None)
    make_comment(post, stranger, body=f"<!--comment-actions-{mine.pk}--> and more")
    other = Client()
    other.force_login(stranger)
    read(other, post)  # fills the cache
    writer_of_marker = read(other, post)
    commenter = Client()
    commenter.force_login(reader)
    page = read(commenter, post)

    assert page.count(f'action="/comments/{mine.pk}/edit/"') == 1
    assert "&lt;!--comment-actions-" in page and "&lt;!--comment-actions-" in writer_of_marker


@pytest.mark.parametrize("discussion", ["comment", "like"])
def test_a_new_comment_or_like_leaves_the_body_of_the_post_in_the_cache(
    post, reader, stranger, commenter, discussion
):
    read(commenter, post)
    if discussion == "comment":
        make_comment(post, stranger, body="Late to the party")
    else:
        Like.objects.create(year=post, user=stranger)

    with CaptureQueriesContext(connection) as queries:
        page = read(commenter, post)

    body_tables = ("planner_goal", "planner_period", "planner_entry", "planner_photo")
    assert not [q["sql"] for q in queries if any(table in q["sql"] for table in body_tables)]
    assert "Swim a mile" in page
    assert ("Late to the party" in page) == (discussion == "comment")
    assert ("1 like<" in page) == (discussion == "like")


def test_a_pin_and_an_unpin_reach_every_kept_page(post, owner, commenter, visitor, writer):
    thread = post.comments.get(parent=None)
    read(commenter, post), read(visitor, post)  # both kept

    writer.post(reverse("planner:comment_pin", args=[thread.pk]), {"pinned": "1"})
    pinned = [read(commenter, post), read(visitor, post)]
    writer.post(reverse("planner:comment_pin", args=[thread.pk]), {"pinned": "0"})
    unpinned = [read(commenter, post), read(visitor, post)]

    assert all("Pinned by Olivia Owner" in page for page in pinned)
    assert not any("Pinned by" in page for page in unpinned)
    # Pinning is the owner's alone, even on the pages kept for readers.
    assert not any("/pin/" in page for page in pinned + unpinned)


def test_an_edit_in_the_kept_threads_is_based_on_the_text_as_it_is_now(
    post, reader, commenter, stranger
):
    mine = post.comments.get(author=reader, parent=None)
    other = Client()
    other.force_login(stranger)
    read(other, post)  # kept, with the edit form only for the comment's author
    commenter.post(
        reverse("planner:comment_edit", args=[mine.pk]),
        {"body": "Rewritten once", "base": text_version(mine.body)},
    )

    page = read(commenter, post)
    stranger_page = read(other, post)

    assert f'name="base" value="{text_version("Rewritten once")}"' in page
    assert f'action="/comments/{mine.pk}/edit/"' not in stranger_page
    assert "Rewritten once" in stranger_page
    # Both get the same Reply, which fetches a box of their own.
    reply = reverse("planner:comment_reply", args=[mine.pk])
    assert f'href="{reply}"' in page and f'href="{reply}"' in stranger_page
