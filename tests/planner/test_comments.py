"""Comments on a post: who may write, reply, edit, delete and remove them; limits, e-mail, pages."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planner.models import Comment, Visibility
from planner.views.comments import THREADS_PER_PAGE
from tests.factory import PASSWORD, make_comment, make_user, make_year

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    settings.COMMENT_RATE_LIMITS = "1000/minute,1000/day"
    cache.clear()


@pytest.fixture
def post(owner):
    return make_year(owner, year=2025, visibility=Visibility.PUBLIC)


@pytest.fixture
def comment(post, reader):
    return make_comment(post, reader, body="Congratulations on the half marathon!")


def url(name: str, *args) -> str:
    return reverse(f"planner:{name}", args=args)


def create_url(post) -> str:
    return url("comment_create", post.owner.username, post.year)


def write(client, post, body: str = "What a year!", htmx: bool = False, **data):
    return client.post(create_url(post), {"body": body, **data}, **(HTMX if htmx else {}))


def log_in(client, request, person: str) -> None:
    if person != "visitor":
        client.force_login(request.getfixturevalue(person))


def page_text(client, post) -> str:
    return client.get(post.get_absolute_url()).content.decode()


# Who may write


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.UNLISTED, Visibility.PUBLIC])
@pytest.mark.parametrize("person", ["visitor", "reader", "owner", "staff"])
def test_it_lets_logged_in_readers_comment_on_shared_posts_only(
    client, request, owner, visibility, person
):
    post = make_year(owner, visibility=visibility)
    log_in(client, request, person)

    response = write(client, post)

    if person == "visitor":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")
        assert not Comment.objects.exists()
    elif visibility == Visibility.PRIVATE:
        assert response.status_code == 404
        assert not Comment.objects.exists()
    else:
        comment = Comment.objects.get()
        assert response.status_code == 302
        assert response.url == f"{post.get_absolute_url()}#comment-{comment.pk}"
        assert comment.author.username == person
        assert comment.body == "What a year!"


@pytest.mark.parametrize("visibility", [Visibility.UNLISTED, Visibility.PUBLIC])
def test_it_shows_visitors_the_comments_and_a_log_in_link_back_to_them(
    client, owner, reader, visibility
):
    post = make_year(owner, visibility=visibility)
    make_comment(post, reader, body="Lovely photos.")

    html = page_text(client, post)

    assert "Lovely photos." in html
    assert "1 comment" in html
    login = reverse("login") + "?next=" + "/%40owner/2025/%23comments"
    assert f'href="{login}"' in html
    assert 'name="body"' not in html


def test_it_returns_to_the_comments_after_logging_in(client, post, reader):
    response = client.post(
        reverse("login") + "?next=/%40owner/2025/%23comments",
        {"username": "reader", "password": PASSWORD, "next": "/@owner/2025/#comments"},
    )

    assert response.status_code == 302
    assert response.url == "/@owner/2025/#comments"


def test_it_gives_the_owner_of_a_private_post_no_comment_box(owner_client, owner):
    post = make_year(owner, visibility=Visibility.PRIVATE)

    html = page_text(owner_client, post)

    assert 'name="body"' not in html
    assert "Readers can comment once this post is unlisted or public." in html
    assert "comment-count-header" not in html


def test_it_hides_the_comments_of_a_post_made_private(client, owner, reader, post, comment):
    post.visibility = Visibility.PRIVATE
    post.save()
    client.force_login(owner)

    assert "Congratulations" not in page_text(client, post)
    client.force_login(reader)
    assert client.get(url("comment_edit", comment.pk)).status_code == 404
    assert client.get(url("comment_link", comment.pk)).status_code == 404


def test_it_shows_the_comment_box_to_logged_in_readers(reader_client, post):
    html = page_text(reader_client, post)

    assert 'name="body"' in html
    assert "Log in to comment" not in html
    assert "0 comments" in html


# Threads


def test_it_shows_replies_in_order_under_their_comment(client, post, owner, reader, comment):
    other = make_comment(post, owner, body="A second thread")
    make_comment(post, owner, parent=comment, body="Thank you, Rae!")
    make_comment(post, reader, parent=comment, body="You are welcome.")

    html = page_text(client, post)

    order = ["Congratulations", "Thank you, Rae!", "You are welcome.", "A second thread"]
    assert [html.index(text) for text in order] == sorted(html.index(text) for text in order)
    assert other.parent is None
    assert "4 comments" in html


def test_it_attaches_a_reply_to_a_reply_to_the_thread(reader_client, post, owner, comment):
    reply = make_comment(post, owner, parent=comment, body="Thanks!")

    response = write(reader_client, post, "And one more", parent=reply.pk)

    answer = Comment.objects.get(body="And one more")
    assert answer.parent == comment
    assert response.url == f"{post.get_absolute_url()}#comment-{answer.pk}"


def test_it_refuses_a_reply_to_a_comment_on_another_post(reader_client, owner, post, reader):
    elsewhere = make_comment(make_year(owner, year=2024), reader)

    response = write(reader_client, post, "Hello", parent=elsewhere.pk)

    assert response.status_code == 422
    assert "The comment you answered is no longer here." in response.text
    assert not Comment.objects.filter(body="Hello").exists()


def test_it_refuses_a_reply_to_a_removed_comment(reader_client, post, owner, comment):
    comment.remove(by=owner)

    response = write(reader_client, post, "Hello?", parent=comment.pk)

    assert response.status_code == 422
    assert "it can no longer be answered" in response.text


# The text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "a comment cannot be empty"),
        ("   \n  ", "a comment cannot be empty"),
        ("x" * 5001, "at most 5000 characters long (this one has 5001)"),
    ],
)
def test_it_refuses_an_empty_or_too_long_comment_with_a_clear_message(
    reader_client, post, body, message
):
    response = write(reader_client, post, body)

    assert response.status_code == 422
    assert message in response.text
    assert "<h1>" in response.text
    assert not Comment.objects.exists()


def test_it_keeps_the_refused_text_in_the_box(reader_client, post):
    response = write(reader_client, post, "y" * 5001)

    assert "y" * 5001 in response.text


def test_it_takes_5000_characters_counting_a_line_break_as_one(reader_client, post):
    body = "a" * 2499 + "\r\n" + "b" * 2500

    write(reader_client, post, body)

    assert Comment.objects.get().body == "a" * 2499 + "\n" + "b" * 2500


def test_it_shows_a_comment_as_text_with_links_and_line_breaks(client, post, reader):
    make_comment(
        post,
        reader,
        body="<script>alert(1)</script> <img src=x onerror=alert(1)>\n"
        "[x](javascript:alert(1)) javascript:alert(2)\nSee https://example.com/a?b=1&c=2.",
    )

    html = page_text(client, post)

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html
    assert 'href="javascript' not in html
    assert "[x](javascript:alert(1)) javascript:alert(2)<br>See " in html
    assert (
        '<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener noreferrer">'
        "https://example.com/a?b=1&amp;c=2</a>." in html
    )


# Editing


@pytest.mark.parametrize(
    ("person", "status"),
    [("visitor", 302), ("reader", 200), ("stranger", 404), ("owner", 404), ("staff", 404)],
)
def test_it_lets_only_the_author_edit_a_comment(client, request, comment, person, status):
    log_in(client, request, person)

    response = client.post(url("comment_edit", comment.pk), {"body": "Changed"})

    comment.refresh_from_db()
    if person == "reader":
        assert response.status_code == 302
        assert comment.body == "Changed"
    else:
        assert response.status_code == status
        assert comment.body.startswith("Congratulations")


def test_it_marks_an_edited_comment(reader_client, post, comment):
    reader_client.post(url("comment_edit", comment.pk), {"body": "Congratulations, truly!"})

    comment.refresh_from_db()
    assert comment.edited_at is not None
    html = page_text(reader_client, post)
    assert "Congratulations, truly!" in html
    assert '<span class="comment-edited muted">edited</span>' in html


def test_it_does_not_mark_a_comment_saved_unchanged(reader_client, comment):
    reader_client.post(url("comment_edit", comment.pk), {"body": comment.body})

    comment.refresh_from_db()
    assert comment.edited_at is None


def test_it_refuses_an_empty_edit_and_keeps_the_text(reader_client, comment):
    response = reader_client.post(url("comment_edit", comment.pk), {"body": " "})

    assert response.status_code == 422
    assert "a comment cannot be empty" in response.text
    comment.refresh_from_db()
    assert comment.body.startswith("Congratulations")


def test_it_edits_in_place_with_htmx(reader_client, comment):
    response = reader_client.post(url("comment_edit", comment.pk), {"body": "Edited"}, **HTMX)

    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith(f'<li id="thread-{comment.pk}"')
    assert "Edited" in html
    assert (
        'id="comment-count-header" class="comment-count" href="#comments" data-hx-swap-oob' in html
    )


def test_it_answers_a_refused_edit_in_place_with_the_editor_open(reader_client, comment):
    response = reader_client.post(url("comment_edit", comment.pk), {"body": ""}, **HTMX)

    assert response.status_code == 422
    assert '<details class="comment-edit" open>' in response.text
    assert "a comment cannot be empty" in response.text


# Deleting and removing


@pytest.mark.parametrize(
    ("person", "removed"),
    [("visitor", False), ("reader", True), ("stranger", False), ("owner", True), ("staff", False)],
)
def test_it_lets_the_author_delete_and_the_post_owner_remove(
    client, request, comment, person, removed
):
    log_in(client, request, person)

    response = client.post(url("comment_delete", comment.pk))

    comment.refresh_from_db()
    assert comment.is_removed is removed
    if removed:
        assert response.status_code == 302
        assert comment.removed_by.username == person
    elif person == "visitor":
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == 404


def test_it_asks_before_deleting_without_javascript(reader_client, comment):
    response = reader_client.get(url("comment_delete", comment.pk))

    assert response.status_code == 200
    assert "Delete “Congratulations on the half marathon!”?" in response.text
    comment.refresh_from_db()
    assert not comment.is_removed


def test_it_leaves_a_placeholder_for_a_removed_comment_with_replies(
    client, post, owner, reader, comment
):
    make_comment(post, owner, parent=comment, body="Thank you!")
    comment.remove(by=reader)

    html = page_text(client, post)

    assert "This comment was removed." in html
    assert "Congratulations" not in html
    assert "Thank you!" in html
    assert "1 comment" in html


def test_it_drops_a_removed_comment_without_replies(client, post, reader, comment):
    reply_thread = make_comment(post, reader, body="Another thought")
    removed_reply = make_comment(post, reader, parent=reply_thread, body="Second thoughts")
    removed_reply.remove(by=reader)
    comment.remove(by=reader)

    html = page_text(client, post)

    assert "This comment was removed." not in html
    assert "Congratulations" not in html
    assert "Second thoughts" not in html
    assert "Another thought" in html
    assert "1 comment" in html


def test_it_removes_in_place_and_updates_the_counts(owner_client, post, reader, comment):
    make_comment(post, reader, parent=comment, body="PS")

    response = owner_client.post(url("comment_delete", comment.pk), **HTMX)

    assert response.status_code == 200
    assert "This comment was removed." in response.text
    assert ">1 comment</a>" in response.text
    assert '<h2 id="comments-title" data-hx-swap-oob="true">1 comment</h2>' in response.text


def test_it_answers_with_no_thread_when_a_lone_comment_goes(reader_client, comment):
    response = reader_client.post(url("comment_delete", comment.pk), **HTMX)

    assert response.status_code == 200
    assert "thread-" not in response.text
    assert ">0 comments</a>" in response.text


def test_it_lets_staff_remove_and_restore_comments_in_the_admin(client, staff, comment):
    client.force_login(staff)
    changelist = reverse("admin:planner_comment_changelist")

    client.post(changelist, {"action": "remove", ACTION_CHECKBOX_NAME: [comment.pk]})
    comment.refresh_from_db()
    assert comment.is_removed
    assert comment.removed_by == staff

    response = client.get(changelist + "?removed=yes&q=half+marathon")
    assert response.status_code == 200
    assert "Congratulations" in response.text

    client.post(changelist, {"action": "restore", ACTION_CHECKBOX_NAME: [comment.pk]})
    comment.refresh_from_db()
    assert not comment.is_removed
    assert client.get(changelist + f"?year__year={comment.year.year}").status_code == 200


# Closing comments


def test_it_lets_the_owner_close_and_reopen_comments(owner_client, client, post, reader):
    toggle = url("comments_toggle", "owner", 2025)

    owner_client.post(toggle, {"closed": "1"})
    post.refresh_from_db()
    assert post.comments_closed
    client.force_login(reader)
    html = page_text(client, post)
    assert "Comments are closed." in html
    assert 'name="body"' not in html

    client.force_login(post.owner)
    client.post(toggle, {"closed": "0"})
    post.refresh_from_db()
    assert not post.comments_closed


@pytest.mark.parametrize(("person", "status"), [("reader", 404), ("visitor", 302)])
def test_it_lets_no_one_else_close_comments(client, request, post, person, status):
    log_in(client, request, person)

    response = client.post(url("comments_toggle", "owner", 2025), {"closed": "1"})

    assert response.status_code == status
    post.refresh_from_db()
    assert not post.comments_closed


def test_it_refuses_comments_on_a_closed_post(reader_client, post, comment):
    post.comments_closed = True
    post.save()

    response = write(reader_client, post, "Too late?")
    reply = write(reader_client, post, "Too late?", parent=comment.pk)

    assert response.status_code == reply.status_code == 422
    assert "Comments are closed." in response.text
    assert "Too late?" in response.text
    assert Comment.objects.count() == 1


def test_it_tells_visitors_comments_are_closed(client, post):
    post.comments_closed = True
    post.save()

    html = page_text(client, post)

    assert "Comments are closed." in html
    assert "Log in to comment" not in html


# htmx


def test_it_answers_a_new_comment_in_place_with_the_section(reader_client, post):
    response = write(reader_client, post, "In place", htmx=True)

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#comments"
    comment = Comment.objects.get()
    assert f'id="comment-{comment.pk}"' in response.text
    assert 'id="comment-count-header" class="comment-count" href="#comments" data-hx-swap-oob' in (
        response.text
    )


def test_it_answers_a_reply_in_place_with_the_thread(reader_client, post, comment):
    response = write(reader_client, post, "A reply", parent=comment.pk, htmx=True)

    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<li id="thread-{comment.pk}"')
    assert "A reply" in response.text
    assert ">2 comments</a>" in response.text


def test_it_answers_refused_input_in_place(reader_client, post, comment):
    new = write(reader_client, post, "", htmx=True)
    reply = write(reader_client, post, "", parent=comment.pk, htmx=True)

    assert new.status_code == reply.status_code == 422
    assert new.text.lstrip().startswith('<div id="comment-new"')
    assert reply.text.lstrip().startswith(f'<li id="thread-{comment.pk}"')
    assert '<details class="comment-reply" open>' in reply.text


def test_it_sends_an_expired_session_to_log_in_from_a_fragment(client, post):
    response = write(client, post, htmx=True)

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login"))


# Abuse


def test_it_limits_how_fast_a_person_comments(reader_client, post, settings):
    settings.COMMENT_RATE_LIMITS = "5/minute,50/day"

    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, 0, 5, tzinfo=datetime.UTC)):
        statuses = [write(reader_client, post, f"Comment {i}").status_code for i in range(5)]
        refused = write(reader_client, post, "One too many")
        in_place = write(reader_client, post, "One too many", htmx=True)

    assert statuses == [302] * 5
    assert refused.status_code == in_place.status_code == 429
    assert "You are commenting very fast. Please wait a little and try again." in refused.text
    assert "One too many" in refused.text
    assert in_place.text.lstrip().startswith('<div id="comment-new"')
    assert Comment.objects.count() == 5

    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, 1, 5, tzinfo=datetime.UTC)):
        assert write(reader_client, post, "A minute later").status_code == 302


def test_it_limits_comments_per_day_and_per_person(reader_client, client, post, settings):
    settings.COMMENT_RATE_LIMITS = "2/day"
    write(reader_client, post, "One")
    write(reader_client, post, "Two")

    assert write(reader_client, post, "Three").status_code == 429
    client.force_login(make_user("another"))
    assert write(client, post, "Someone else").status_code == 302


def test_it_pretends_to_post_when_the_honeypot_is_filled(reader_client, post, owner):
    response = write(reader_client, post, "Buy cheap watches", website="http://spam.example")

    assert response.status_code == 302
    assert response.url == f"{post.get_absolute_url()}#comments"
    assert not Comment.objects.exists()
    assert mail.outbox == []


def test_it_hides_the_honeypot_from_people(reader_client, post):
    html = page_text(reader_client, post)

    assert '<div class="hp-field" aria-hidden="true">' in html
    assert 'name="website" tabindex="-1" autocomplete="off"' in html


# E-mail


def test_it_tells_the_owner_of_a_new_comment_after_it_commits(
    reader_client, post, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        write(reader_client, post, "Inspiring year!")
    assert mail.outbox == []

    for callback in callbacks:
        callback()

    comment = Comment.objects.get()
    [message] = mail.outbox
    assert message.to == ["owner@example.com"]
    assert message.subject == "Rae Reader commented on “2025 review and 2026 plan”"
    assert "Inspiring year!" in message.body
    assert f"/comments/{comment.pk}/" in message.body


def test_it_tells_the_post_owner_and_the_comment_author_of_a_reply(
    client, post, comment, stranger, django_capture_on_commit_callbacks
):
    client.force_login(stranger)

    with django_capture_on_commit_callbacks(execute=True):
        write(client, post, "Agreed!", parent=comment.pk)

    by_address = {message.to[0]: message.subject for message in mail.outbox}
    assert by_address == {
        "reader@example.com": "stranger replied to your comment on “2025 review and 2026 plan”",
        "owner@example.com": "stranger commented on “2025 review and 2026 plan”",
    }


def test_it_never_mails_the_commenter(
    owner_client, post, comment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        write(owner_client, post, "Thanks, Rae!", parent=comment.pk)
        write(owner_client, post, "A note to all readers")

    assert [message.to for message in mail.outbox] == [["reader@example.com"]]


def test_it_respects_the_choice_not_to_get_comment_mail(
    client, post, owner, reader, comment, stranger, django_capture_on_commit_callbacks
):
    owner.email_on_comments = False
    owner.save()
    reader.email_on_comments = False
    reader.save()
    client.force_login(stranger)

    with django_capture_on_commit_callbacks(execute=True):
        write(client, post, "Hello", parent=comment.pk)

    assert mail.outbox == []


def test_it_sends_nothing_for_refused_comments(
    reader_client, post, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        write(reader_client, post, "")

    assert mail.outbox == []


def test_it_links_a_comment_to_its_place_on_the_post(client, post, comment):
    response = client.get(url("comment_link", comment.pk))

    assert response.status_code == 302
    assert response.url == f"{post.get_absolute_url()}#comment-{comment.pk}"


# Pages


@pytest.fixture
def long_thread(post, reader):
    comments = Comment.objects.bulk_create(
        Comment(year=post, author=reader, body=f"Thread number {i}")
        for i in range(1, THREADS_PER_PAGE * 2 + 21)
    )
    return comments


def test_it_shows_the_first_50_threads_and_a_link_to_more(client, post, long_thread):
    html = page_text(client, post)

    assert "Thread number 50<" in html
    assert "Thread number 51<" not in html
    assert "120 comments" in html
    assert 'href="/@owner/2025/?comments_page=2#comments"' in html
    assert 'data-hx-get="/@owner/2025/comments/?comments_page=2"' in html


def test_it_shows_a_later_page_without_javascript(client, post, long_thread):
    html = client.get(post.get_absolute_url() + "?comments_page=3").content.decode()

    assert "Thread number 101<" in html
    assert "Thread number 100<" not in html
    assert "Show more comments" not in html
    assert "Earlier comments" in html


def test_it_loads_more_threads_in_place(client, post, long_thread):
    response = client.get(url("comment_list", "owner", 2025) + "?comments_page=2", **HTMX)

    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<li id="thread-')
    assert "Thread number 51<" in html
    assert "Thread number 100<" in html
    assert "Thread number 101<" not in html
    assert "?comments_page=3" in html


def test_it_sends_a_plain_request_for_more_to_the_post(client, post):
    response = client.get(url("comment_list", "owner", 2025) + "?comments_page=2")

    assert response.status_code == 302
    assert response.url == "/@owner/2025/?comments_page=2#comments"


def test_it_takes_a_new_comment_to_the_page_that_shows_it(reader_client, post, long_thread):
    response = write(reader_client, post, "The newest")

    comment = Comment.objects.get(body="The newest")
    assert response.url == f"{post.get_absolute_url()}?comments_page=3#comment-{comment.pk}"


def test_it_reads_a_thread_of_replies_on_its_page(client, post, owner, long_thread):
    make_comment(post, owner, parent=long_thread[60], body="A late reply")

    html = client.get(post.get_absolute_url() + "?comments_page=2").content.decode()

    assert "A late reply" in html


@pytest.mark.parametrize("person", ["visitor", "reader", "owner"])
def test_it_reads_a_post_in_the_same_queries_with_0_or_500_comments(
    client, request, owner, reader, person
):
    empty = make_year(owner, year=2020)  # neither has a next year: only comments differ
    busy = make_year(owner, year=2025)
    threads = Comment.objects.bulk_create(
        Comment(year=busy, author=reader, body=f"Comment {i}") for i in range(250)
    )
    Comment.objects.bulk_create(
        Comment(year=busy, author=owner, parent=thread, body="Thanks") for thread in threads
    )
    log_in(client, request, person)
    for post in (empty, busy):  # the first view of a day is counted: both have had theirs
        client.get(post.get_absolute_url())

    with CaptureQueriesContext(connection) as empty_queries:
        assert client.get(empty.get_absolute_url()).status_code == 200
    with CaptureQueriesContext(connection) as busy_queries:
        assert client.get(busy.get_absolute_url()).status_code == 200

    assert len(busy_queries) == len(empty_queries)
    assert Comment.objects.filter(year=busy).count() == 500
