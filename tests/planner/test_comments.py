"""Comments on a post: who may write, reply, edit, delete and remove them; limits, e-mail, pages."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planner.forms import text_version
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


def edit(client, comment, body: str, htmx: bool = False, **data):
    """Send an edit based on the comment's text as it is stored."""
    data = {"body": body, "base": text_version(comment.body), **data}
    return client.post(url("comment_edit", comment.pk), data, **(HTMX if htmx else {}))


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


def test_it_keeps_a_reply_in_place_when_its_comment_is_gone_for_good(
    reader_client, post, owner, comment
):
    gone = comment.pk
    comment.delete()

    response = write(reader_client, post, "Hello?", parent=gone, htmx=True)

    assert response.status_code == 422
    assert response.text.lstrip().startswith(f'<li id="thread-{gone}"')
    assert 'id="comment-new"' not in response.text
    assert "The comment you answered is no longer here." in response.text
    assert ">Hello?</textarea>" in response.text
    assert f'<label for="reply-body-{gone}">Your reply</label>' in response.text


def test_it_refuses_a_reply_to_a_removed_comment(reader_client, post, owner, comment):
    comment.remove(by=owner)

    response = write(reader_client, post, "Hello?", parent=comment.pk)

    assert response.status_code == 422
    assert "it can no longer be answered" in response.text


def test_it_keeps_the_reply_box_in_place_when_the_thread_went_meanwhile(
    reader_client, post, owner, comment
):
    comment.remove(by=owner)

    response = write(reader_client, post, "Hello?", parent=comment.pk, htmx=True)

    assert response.status_code == 422
    assert f'id="thread-{comment.pk}"' in response.text
    assert "This comment was removed." in response.text
    assert "it can no longer be answered" in response.text
    assert ">Hello?</textarea>" in response.text


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

    response = edit(client, comment, "Changed")

    comment.refresh_from_db()
    if person == "reader":
        assert response.status_code == 302
        assert comment.body == "Changed"
    else:
        assert response.status_code == status
        assert comment.body.startswith("Congratulations")


def test_it_marks_an_edited_comment(reader_client, post, comment):
    edit(reader_client, comment, "Congratulations, truly!")

    comment.refresh_from_db()
    assert comment.edited_at is not None
    html = page_text(reader_client, post)
    assert "Congratulations, truly!" in html
    assert '<span class="comment-edited muted">edited</span>' in html


def test_it_does_not_mark_a_comment_saved_unchanged(reader_client, comment):
    edit(reader_client, comment, comment.body)

    comment.refresh_from_db()
    assert comment.edited_at is None


def test_it_refuses_an_empty_edit_and_keeps_the_text(reader_client, comment):
    response = edit(reader_client, comment, " ")

    assert response.status_code == 422
    assert "a comment cannot be empty" in response.text
    comment.refresh_from_db()
    assert comment.body.startswith("Congratulations")


def test_it_edits_in_place_with_htmx(reader_client, comment):
    response = edit(reader_client, comment, "Edited", htmx=True)

    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith(f'<li id="thread-{comment.pk}"')
    assert "Edited" in html
    assert (
        'id="comment-count-header" class="comment-count" href="#comments" data-hx-swap-oob' in html
    )


def test_it_answers_a_refused_edit_in_place_with_the_editor_open(reader_client, comment):
    response = edit(reader_client, comment, "", htmx=True)

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
    assert "Delete your comment?" in response.text
    assert "Congratulations on the half marathon!" in response.text
    assert "cannot be undone" not in response.text
    comment.refresh_from_db()
    assert not comment.is_removed


def test_it_asks_the_owner_as_in_place_before_removing_without_javascript(
    owner_client, reader, comment
):
    response = owner_client.get(url("comment_delete", comment.pk))

    assert response.status_code == 200
    assert f"Remove this comment by {reader.name}?" in response.text
    assert "cannot be undone" not in response.text
    assert ">Remove</button>" in response.text


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
    comment.pin()
    client.force_login(staff)
    changelist = reverse("admin:planner_comment_changelist")

    client.post(changelist, {"action": "remove", ACTION_CHECKBOX_NAME: [comment.pk]})
    comment.refresh_from_db()
    assert comment.is_removed
    assert comment.removed_by == staff
    assert not comment.is_pinned  # a removed comment cannot stay pinned

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
    box = reply.text[reply.text.index(f'id="reply-box-{comment.pk}"') :]
    assert 'aria-invalid="true"' in box
    assert 'name="parent"' in box


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
    fiftieth = long_thread[THREADS_PER_PAGE - 1].pk
    assert f'data-hx-get="/@owner/2025/comments/?after={fiftieth}&amp;pinned=0"' in html


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


def more_after(client, after: int, pinned: int | None = 0):
    query = f"?after={after}" + (f"&pinned={pinned}" if pinned is not None else "")
    return client.get(url("comment_list", "owner", 2025) + query, **HTMX)


def test_it_loads_the_threads_after_the_last_one_shown(client, post, long_thread):
    html = more_after(client, long_thread[49].pk).text

    assert html.lstrip().startswith(f'<li id="thread-{long_thread[50].pk}"')
    assert "Thread number 100<" in html
    assert "Thread number 101<" not in html
    assert f"?after={long_thread[99].pk}&amp;pinned=0" in html
    assert f'href="/comments/{long_thread[99].pk}/"' in html  # without JavaScript


def test_it_skips_no_thread_when_one_shown_before_goes_meanwhile(client, post, owner, long_thread):
    long_thread[10].remove(by=owner)  # after page 1 was loaded, before "Show more"

    html = more_after(client, long_thread[49].pk).text

    assert "Thread number 50<" not in html  # shown on page 1 already
    assert "Thread number 51<" in html
    assert "Thread number 100<" in html


def test_it_shows_a_thread_pinned_meanwhile_in_its_place_and_never_twice(client, post, long_thread):
    pinned_first = long_thread[80]
    pinned_first.pin()
    page_one = page_text(client, post)
    assert page_one.index("Thread number 81<") < page_one.index("Thread number 1<")
    assert f"?after={long_thread[48].pk}&amp;pinned={pinned_first.pk}" in page_one

    long_thread[60].pin()  # meanwhile, in place of the first
    html = more_after(client, long_thread[48].pk, pinned_first.pk).text

    assert "Thread number 81<" not in html  # it was shown first
    assert "Thread number 61<" in html  # not skipped for being pinned since
    assert "Thread number 49<" not in html
    assert "Thread number 50<" in html


def test_it_leaves_out_what_is_pinned_after_a_page_by_number(client, post, long_thread):
    long_thread[110].pin()

    html = client.get(post.get_absolute_url() + "?comments_page=2").content.decode()
    last = long_thread[98].pk  # page 2 holds 50 to 99: the pinned one took a place on page 1
    assert f'data-hx-get="/@owner/2025/comments/?after={last}"' in html
    html = more_after(client, last, pinned=None).text

    assert "Thread number 111<" not in html
    assert "Thread number 100<" in html


@pytest.mark.parametrize("query", ["?after=x", "?after=1&pinned=-1", "?after=" + "9" * 30])
def test_it_refuses_a_cursor_it_did_not_make(client, post, query):
    response = client.get(url("comment_list", "owner", 2025) + query, **HTMX)

    assert response.status_code == 400
    assert "could not be read" in response.text


def test_it_sends_a_plain_request_for_threads_after_one_to_that_one(client, post, comment):
    response = client.get(url("comment_list", "owner", 2025) + f"?after={comment.pk}")

    assert response.status_code == 302
    assert response.url == f"/comments/{comment.pk}/"


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


# Replies to replies


def test_it_keeps_whom_a_reply_to_a_reply_answers(client, post, owner, reader, stranger, comment):
    reply = make_comment(post, owner, parent=comment, body="Thanks, Rae!")
    client.force_login(stranger)

    response = write(client, post, "Me too!", parent=comment.pk, reply_to=reply.pk)

    answer = Comment.objects.get(body="Me too!")
    assert (answer.parent, answer.reply_to) == (comment, reply)
    assert response.url == f"{post.get_absolute_url()}#comment-{answer.pk}"
    html = page_text(client, post)
    assert (
        f'<a class="comment-answers muted" href="#comment-{reply.pk}">in reply to Olivia Owner</a>'
        in html
    )


def test_it_answers_a_reply_sent_as_the_parent_like_one_sent_as_reply_to(
    reader_client, post, owner, comment
):
    reply = make_comment(post, owner, parent=comment, body="Thanks!")

    write(reader_client, post, "And one more", parent=reply.pk)

    assert Comment.objects.get(body="And one more").reply_to == reply


@pytest.mark.parametrize("where", ["other thread", "other post", "missing", "no parent"])
def test_it_refuses_a_reply_to_a_comment_outside_the_thread(
    reader_client, post, owner, reader, comment, where
):
    other = {
        "other thread": lambda: make_comment(post, owner, body="Another thread").pk,
        "other post": lambda: make_comment(make_year(owner, year=2024), reader).pk,
        "missing": lambda: 999_999,
        "no parent": lambda: comment.pk,
    }[where]()
    parent = {} if where == "no parent" else {"parent": comment.pk}

    response = write(reader_client, post, "Hello", reply_to=other, **parent)

    assert response.status_code == 422
    message = {
        "other thread": "The comment you answered is not in this thread.",
        "other post": "The comment you answered is no longer here.",
        "missing": "The comment you answered is no longer here.",
        "no parent": "A reply to a reply needs the thread it belongs to.",
    }[where]
    assert message in response.text
    assert "Hello</textarea>" in response.text
    assert not Comment.objects.filter(body="Hello").exists()


def test_it_refuses_a_reply_to_a_removed_reply(reader_client, post, owner, comment):
    reply = make_comment(post, owner, parent=comment, body="Thanks!")
    reply.remove(by=owner)

    response = write(reader_client, post, "Hello?", parent=comment.pk, reply_to=reply.pk)

    assert response.status_code == 422
    assert "it can no longer be answered" in response.text


def test_it_tells_the_person_replied_to_of_a_reply_to_their_reply(
    client, post, owner, reader, stranger, comment, django_capture_on_commit_callbacks
):
    reply = make_comment(post, stranger, parent=comment, body="Same here.")
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        write(client, post, "Glad you both liked it", parent=comment.pk, reply_to=reply.pk)

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["stranger@example.com"],
            "Olivia Owner replied to your comment on “2025 review and 2026 plan”",
        )
    ]


# Reply boxes, fetched when wanted


def test_it_renders_no_reply_box_with_the_threads(reader_client, post, owner, comment):
    reply = make_comment(post, owner, parent=comment, body="Thanks!")

    html = page_text(reader_client, post)

    assert 'name="parent"' not in html
    for answered in (comment, reply):
        link = url("comment_reply", answered.pk)
        assert (
            f'href="{link}" data-hx-get="{link}" data-hx-target="#reply-box-{comment.pk}"' in html
        )


def test_it_offers_visitors_no_reply(client, post, comment):
    assert url("comment_reply", comment.pk) not in page_text(client, post)


def test_it_opens_a_reply_box_in_place(reader_client, post, owner, comment):
    reply = make_comment(post, owner, parent=comment, body="Thanks!")

    response = reader_client.get(url("comment_reply", reply.pk), **HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith("<form")
    assert f'name="parent" value="{comment.pk}"' in response.text
    assert f'name="reply_to" value="{reply.pk}"' in response.text
    assert "Your reply to Olivia Owner" in response.text
    assert "data-autofocus" in response.text


def test_it_opens_a_reply_box_as_a_page_without_javascript(reader_client, post, comment):
    response = reader_client.get(url("comment_reply", comment.pk))

    assert response.status_code == 200
    assert "<h1>Reply to Rae Reader</h1>" in response.text
    assert "Congratulations on the half marathon!" in response.text
    assert f'name="parent" value="{comment.pk}"' in response.text
    assert 'name="reply_to"' not in response.text


def test_it_says_why_a_closed_post_takes_no_reply(reader_client, post, comment):
    post.comments_closed = True
    post.save()

    response = reader_client.get(url("comment_reply", comment.pk), **HTMX)

    assert "Comments are closed." in response.text
    assert "<form" not in response.text


@pytest.mark.parametrize(("person", "status"), [("visitor", 302), ("stranger", 404)])
def test_it_opens_no_reply_box_on_a_private_post(client, request, post, comment, person, status):
    post.visibility = Visibility.PRIVATE
    post.save()
    log_in(client, request, person)

    assert client.get(url("comment_reply", comment.pk)).status_code == status


def test_it_shows_a_reply_box_in_place_to_none_but_the_one_who_opened_it(
    client, post, reader, stranger, comment
):
    client.force_login(reader)
    client.get(url("comment_reply", comment.pk), **HTMX)
    client.force_login(stranger)

    assert 'name="parent"' not in page_text(client, post)


# Editing against a version


def test_it_refuses_a_stale_edit_and_shows_both_texts(reader_client, comment):
    stale = text_version(comment.body)
    edit(reader_client, comment, "Saved in the first tab")
    comment.refresh_from_db()

    response = edit(reader_client, comment, "Typed in the second tab", base=stale)

    assert response.status_code == 409
    assert "Changed elsewhere since you started" in response.text
    assert "Saved in the first tab" in response.text
    assert ">Typed in the second tab</textarea>" in response.text
    assert f'name="base" value="{text_version("Saved in the first tab")}"' in response.text
    comment.refresh_from_db()
    assert comment.body == "Saved in the first tab"


def test_it_shows_a_stale_edit_in_place_and_keeps_mine_when_chosen(reader_client, comment):
    stale = text_version(comment.body)
    edit(reader_client, comment, "Saved in the first tab")

    conflict = edit(reader_client, comment, "Typed in the second tab", htmx=True, base=stale)
    base = re.search(r'name="base" value="([^"]+)"', conflict.text)[1]
    kept = edit(reader_client, comment, "Typed in the second tab", htmx=True, base=base)

    assert conflict.status_code == 409
    assert conflict.text.lstrip().startswith(f'<li id="thread-{comment.pk}"')
    assert "Theirs, saved elsewhere" in conflict.text
    assert "Saved in the first tab" in conflict.text
    assert kept.status_code == 200
    comment.refresh_from_db()
    assert comment.body == "Typed in the second tab"


def test_it_saves_an_edit_that_matches_what_changed_elsewhere(reader_client, comment):
    stale = text_version(comment.body)
    edit(reader_client, comment, "The same words")

    response = edit(reader_client, comment, "The same words", base=stale)

    assert response.status_code == 302


# Pinning


def test_it_lets_the_owner_pin_a_thread_to_the_top(owner_client, client, post, owner, comment):
    later = make_comment(post, owner, body="A later thread")

    response = owner_client.post(url("comment_pin", later.pk), {"pinned": "1"})

    assert response.status_code == 302
    assert response.url == f"{post.get_absolute_url()}#comment-{later.pk}"
    html = page_text(client, post)
    assert html.index("A later thread") < html.index("Congratulations")
    assert '<p class="comment-pinned">Pinned by Olivia Owner</p>' in html
    assert html.count("comment-pinned") == 1


def test_it_pins_one_thread_at_a_time_and_unpins(owner_client, post, owner, comment):
    other = make_comment(post, owner, body="Another")
    owner_client.post(url("comment_pin", comment.pk), {"pinned": "1"})
    owner_client.post(url("comment_pin", other.pk), {"pinned": "1"}, **HTMX)

    assert list(Comment.objects.filter(pinned_at__isnull=False)) == [other]
    owner_client.post(url("comment_pin", other.pk), {"pinned": "0"})
    assert not Comment.objects.filter(pinned_at__isnull=False).exists()


def test_it_pins_in_place_with_the_section(owner_client, post, owner, comment):
    later = make_comment(post, owner, body="A later thread")

    response = owner_client.post(url("comment_pin", later.pk), {"pinned": "1"}, **HTMX)

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#comments"
    html = response.text
    assert html.index("A later thread") < html.index("Congratulations")
    assert "Unpin" in html


@pytest.mark.parametrize(("person", "status"), [("reader", 404), ("visitor", 302), ("staff", 404)])
def test_it_lets_no_one_else_pin(client, request, post, comment, person, status):
    log_in(client, request, person)

    response = client.post(url("comment_pin", comment.pk), {"pinned": "1"})

    assert response.status_code == status
    comment.refresh_from_db()
    assert comment.pinned_at is None


def test_it_pins_no_reply(owner_client, post, owner, comment):
    reply = make_comment(post, owner, parent=comment, body="Thanks!")

    assert owner_client.post(url("comment_pin", reply.pk), {"pinned": "1"}).status_code == 404


def test_it_unpins_a_removed_comment(owner_client, client, post, owner, comment):
    owner_client.post(url("comment_pin", comment.pk), {"pinned": "1"})
    make_comment(post, owner, parent=comment, body="A reply that keeps the placeholder")

    owner_client.post(url("comment_delete", comment.pk))

    comment.refresh_from_db()
    assert comment.pinned_at is None
    assert "Pinned by" not in page_text(client, post)


def test_it_shows_the_pin_to_the_owner_alone(reader_client, post, comment):
    assert url("comment_pin", comment.pk) not in page_text(reader_client, post)


def test_it_takes_a_link_to_the_pinned_thread_to_the_first_page(client, post, owner, long_thread):
    last = long_thread[-1]
    last.pin()

    response = client.get(url("comment_link", last.pk))
    html = page_text(client, post)

    assert response.url == f"{post.get_absolute_url()}#comment-{last.pk}"
    assert html.index("Thread number 120<") < html.index("Thread number 1<")
    assert "Thread number 49<" in html
    assert "Thread number 50<" not in html


def test_it_takes_a_link_to_a_comment_on_a_later_page_there(client, post, long_thread):
    response = client.get(url("comment_link", long_thread[-1].pk))

    assert response.url == f"{post.get_absolute_url()}?comments_page=3#comment-{long_thread[-1].pk}"


def test_it_offers_no_reply_under_a_removed_thread(reader_client, post, owner, comment):
    reply = make_comment(post, owner, parent=comment, body="Thanks!")
    comment.remove(by=owner)

    html = page_text(reader_client, post)

    assert "Thanks!" in html
    assert url("comment_reply", reply.pk) not in html


def test_it_refuses_a_reply_to_that_is_no_number(reader_client, post, comment):
    response = write(reader_client, post, "Hello", parent=comment.pk, reply_to="x", htmx=True)

    assert response.status_code == 422
    assert "Enter a whole number." in response.text
    assert "Hello</textarea>" in response.text
    assert not Comment.objects.filter(body="Hello").exists()
