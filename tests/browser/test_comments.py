from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from planner.models import Comment
from tests.factory import PASSWORD, make_comment, make_year

pytestmark = pytest.mark.django_db(transaction=True)

HOSTILE = (
    "<script>alert(1)</script>\n"
    "<img src=x onerror=alert(1)>\n"
    "[x](javascript:alert(1)) javascript:alert(1)"
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def post(owner):
    return make_year(owner, year=2025, title="A year of papers")


@pytest.fixture
def reader_page(page, live_server, log_in, reader, post):
    log_in("reader", PASSWORD)
    page.goto(live_server.url + post.get_absolute_url())
    page.evaluate("() => { window.notReloaded = true; }")
    return page


def test_a_reader_comments_and_replies_in_place(reader_page, console_errors):
    page = reader_page
    comments = page.locator("#comments")
    expect(comments.get_by_role("heading", name="0 comments")).to_be_visible()

    page.get_by_label("Your comment", exact=True).fill(
        "What a year!\nCongratulations on the paper."
    )
    page.get_by_role("button", name="Post comment").click()

    comment = comments.locator(".comment", has_text="What a year!")
    expect(comment).to_be_visible()
    expect(comment.locator(".comment-body br")).to_have_count(1)
    expect(comments.get_by_role("heading", name="1 comment")).to_be_visible()
    expect(page.locator("#comment-count-header")).to_have_text("1 comment")
    expect(page.get_by_label("Your comment", exact=True)).to_have_value("")
    first = Comment.objects.get()
    expect(page.locator(f"#comment-{first.pk}")).to_be_focused()

    thread = page.locator(f"#thread-{first.pk}")
    thread.locator("summary", has_text="Reply").click()
    thread.get_by_label("Your reply to Rae Reader").fill("PS: and the piano!")
    thread.get_by_role("button", name="Reply", exact=True).click()

    expect(thread.locator(".comment-replies")).to_contain_text("PS: and the piano!")
    expect(comments.get_by_role("heading", name="2 comments")).to_be_visible()
    expect(page.locator("#comment-count-header")).to_have_text("2 comments")
    assert Comment.objects.get(body="PS: and the piano!").parent == first
    assert page.evaluate("() => window.notReloaded") is True
    assert console_errors == []


def test_the_author_edits_and_deletes_in_place(
    page, live_server, log_in, reader, post, console_errors
):
    comment = make_comment(post, reader, body="Frist!")
    log_in("reader", PASSWORD)
    page.goto(live_server.url + post.get_absolute_url())
    page.evaluate("() => { window.notReloaded = true; }")
    item = page.locator(f"#comment-{comment.pk}")

    item.locator("summary", has_text="Edit").click()
    item.get_by_label("Change your comment").fill("First!")
    item.get_by_role("button", name="Save").click()

    expect(item.locator(".comment-body")).to_have_text("First!")
    expect(item.get_by_text("edited")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    item.get_by_role("link", name="Delete — comment by Rae Reader").click()

    expect(page.locator(f"#thread-{comment.pk}")).to_have_count(0)
    expect(page.locator("#comment-count-header")).to_have_text("0 comments")
    comment.refresh_from_db()
    assert comment.is_removed
    assert page.evaluate("() => window.notReloaded") is True
    assert console_errors == []


def test_the_owner_removes_a_comment_and_its_replies_still_read(
    page, live_server, log_in, owner, reader, post, console_errors
):
    comment = make_comment(post, reader, body="Something rude")
    make_comment(post, owner, parent=comment, body="Let us keep it kind.")
    log_in("owner", PASSWORD)
    page.goto(live_server.url + post.get_absolute_url())

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Remove — comment by Rae Reader").click()

    thread = page.locator(f"#thread-{comment.pk}")
    expect(thread.get_by_text("This comment was removed.")).to_be_visible()
    expect(thread.get_by_text("Something rude")).to_have_count(0)
    expect(thread.locator(".comment-body", has_text="Let us keep it kind.")).to_be_visible()
    expect(page.locator("#comment-count-header")).to_have_text("1 comment")
    assert console_errors == []


def test_a_hostile_comment_shows_as_harmless_text(reader_page, live_server, post, console_errors):
    page = reader_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.get_by_label("Your comment", exact=True).fill(HOSTILE)
    page.get_by_role("button", name="Post comment").click()

    for body in (page.locator(".comment-body"), None):
        if body is None:  # and once more, as the page renders it on a fresh load
            page.goto(live_server.url + post.get_absolute_url())
            body = page.locator(".comment-body")
        expect(body).to_contain_text("<script>alert(1)</script>")
        expect(body).to_contain_text("<img src=x onerror=alert(1)>")
        expect(body).to_contain_text("[x](javascript:alert(1)) javascript:alert(1)")
        expect(body.locator("script, img, a")).to_have_count(0)
        expect(page.locator('img[src="x"], a[href^="javascript"]')).to_have_count(0)
    assert dialogs == []
    assert Comment.objects.get().body == HOSTILE
    assert console_errors == []


def test_more_comments_load_in_place(page, live_server, post, reader, console_errors):
    Comment.objects.bulk_create(
        Comment(year=post, author=reader, body=f"Thread number {i}") for i in range(1, 56)
    )
    page.goto(live_server.url + post.get_absolute_url())
    page.evaluate("() => { window.notReloaded = true; }")
    expect(page.get_by_text("Thread number 50", exact=True)).to_be_visible()
    expect(page.get_by_text("Thread number 51", exact=True)).to_have_count(0)

    page.get_by_role("link", name="Show more comments").click()

    expect(page.get_by_text("Thread number 55", exact=True)).to_be_visible()
    expect(page.locator(".comment-thread")).to_have_count(55)
    expect(page.get_by_role("link", name="Show more comments")).to_have_count(0)
    assert page.evaluate("() => window.notReloaded") is True
    assert console_errors == []


def test_a_visitor_logs_in_to_comment_and_comes_back_to_the_comments(
    page, live_server, reader, post
):
    page.goto(live_server.url + post.get_absolute_url())

    page.get_by_role("link", name="Log in to comment").click()
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(live_server.url + post.get_absolute_url() + "#comments")
    expect(page.get_by_label("Your comment", exact=True)).to_be_visible()


def test_a_reader_comments_and_replies_with_javascript_off(browser, live_server, reader, post):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + post.get_absolute_url())

    page.get_by_label("Your comment", exact=True).fill("Written without JavaScript")
    page.get_by_role("button", name="Post comment").click()

    comment = Comment.objects.get()
    expect(page).to_have_url(f"{live_server.url}{post.get_absolute_url()}#comment-{comment.pk}")
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Written without JavaScript")

    thread = page.locator(f"#thread-{comment.pk}")
    thread.locator("summary", has_text="Reply").click()
    thread.get_by_label("Your reply to Rae Reader").fill("x" * 5000)
    thread.get_by_role("button", name="Reply", exact=True).click()

    reply = Comment.objects.get(parent=comment)
    expect(page).to_have_url(f"{live_server.url}{post.get_absolute_url()}#comment-{reply.pk}")
    expect(page.locator("#comment-count-header")).to_have_text("2 comments")
    context.close()


def test_after_a_refused_comment_without_javascript_the_language_menu_returns_to_the_post(
    page_without_javascript, live_server, post, reader, log_in
):
    page = page_without_javascript
    log_in("reader", PASSWORD, on=page)
    page.goto(live_server.url + post.get_absolute_url())
    page.get_by_label("Your comment").fill("   ")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("alert")).to_be_visible()

    page.get_by_role("button", name="한국어").click()

    assert page.url == live_server.url + post.get_absolute_url()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
