from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from planner.models import Comment, Visibility
from tests.browser.waiting import eventually
from tests.factory import PASSWORD, make_comment, make_user, make_year

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
    expect(thread.locator("form")).to_have_count(1)  # the Edit form only: no reply box yet
    thread.get_by_role("link", name="Reply — to Rae Reader").click()
    box = thread.get_by_label("Your reply to Rae Reader")
    expect(box).to_be_focused()
    box.fill("PS: and the piano!")
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
    expect(page.get_by_role("heading", name="0 comments")).to_be_focused()  # not the page's start
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
    # A visitor, without editing.js: focus still moves to the first thread that came in.
    expect(page.locator(".comment-thread").nth(50)).to_be_focused()
    expect(page.get_by_role("link", name="Show more comments")).to_have_count(0)
    assert page.evaluate("() => window.notReloaded") is True
    assert console_errors == []


def test_more_comments_skip_none_when_one_goes_meanwhile(
    page, live_server, post, owner, reader, console_errors
):
    threads = Comment.objects.bulk_create(
        Comment(year=post, author=reader, body=f"Thread number {i}") for i in range(1, 56)
    )
    page.goto(live_server.url + post.get_absolute_url())
    expect(page.get_by_text("Thread number 50", exact=True)).to_be_visible()
    Comment.objects.get(pk=threads[9].pk).remove(by=owner)  # in another tab, meanwhile

    page.get_by_role("link", name="Show more comments").click()

    expect(page.get_by_text("Thread number 55", exact=True)).to_be_visible()
    expect(page.get_by_text("Thread number 51", exact=True)).to_be_visible()
    expect(page.locator(".comment-thread")).to_have_count(55)  # number 10 still on the page
    expect(page.locator(".comment-thread", has_text="Thread number 50")).to_have_count(1)
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
    thread.get_by_role("link", name="Reply — to Rae Reader").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply to Rae Reader")
    page.get_by_label("Your reply to Rae Reader").fill("x" * 5000)
    page.get_by_role("button", name="Reply", exact=True).click()

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


def test_a_reply_to_a_reply_tells_the_person_replied_to(
    page, live_server, log_in, owner, reader, post, console_errors
):
    post.visibility = Visibility.PUBLIC
    post.save()
    friend = make_user("friend", display_name="Frida Friend")
    thread = make_comment(post, reader, body="Which paper was it?")
    answered = make_comment(post, friend, parent=thread, body="The one on sea ice, I think.")
    mail.outbox.clear()
    log_in("owner", PASSWORD)
    page.goto(live_server.url + post.get_absolute_url())
    item = page.locator(f"#comment-{answered.pk}")

    item.get_by_role("link", name="Reply — to Frida Friend").click()
    page.get_by_label("Your reply to Frida Friend").fill("Right, and it got in!")
    page.get_by_role("button", name="Reply", exact=True).click()

    reply = page.locator(".comment", has_text="Right, and it got in!")
    expect(reply).to_be_visible()
    link = reply.get_by_role("link", name="in reply to Frida Friend")
    expect(link).to_have_attribute("href", f"#comment-{answered.pk}")
    answer = Comment.objects.get(body="Right, and it got in!")
    assert (answer.parent, answer.reply_to) == (thread, answered)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["friend@example.com"],
            "Olivia Owner replied to your comment on “A year of papers”",
        )
    ]
    assert console_errors == []

    # In the app too: the person answered hears of it, the thread's first author does not.
    friends_tab = page.context.browser.new_context().new_page()
    log_in("friend", PASSWORD, on=friends_tab)
    expect(friends_tab.get_by_role("link", name=re.compile("Notifications.*1"))).to_be_visible()
    friends_tab.goto(live_server.url + "/notifications/")
    expect(
        friends_tab.get_by_text("Olivia Owner replied to your comment on A year of papers")
    ).to_be_visible()
    readers_tab = page.context.browser.new_context().new_page()
    log_in("reader", PASSWORD, on=readers_tab)
    readers_tab.goto(live_server.url + "/notifications/")
    expect(readers_tab.get_by_text("Frida Friend replied to your comment")).to_be_visible()
    expect(readers_tab.get_by_text("Olivia Owner replied to your comment")).to_have_count(0)
    friends_tab.context.close()
    readers_tab.context.close()


def test_a_stale_edit_in_a_second_tab_shows_both_texts(
    page, live_server, log_in, reader, post, console_errors
):
    comment = make_comment(post, reader, body="First thoughts")
    log_in("reader", PASSWORD)
    url = live_server.url + post.get_absolute_url()
    page.goto(url)
    second = page.context.new_page()
    second.goto(url)
    for tab, text in ((page, "Saved in the first tab"), (second, "Typed in the second tab")):
        item = tab.locator(f"#comment-{comment.pk}")
        item.locator("summary", has_text="Edit").click()
        item.get_by_label("Change your comment").fill(text)
        item.get_by_role("button", name="Save").click()
        if tab is page:
            expect(item.locator(".comment-body")).to_have_text(text)

    conflict = second.locator(f"#thread-{comment.pk} .comment-conflict")
    expect(conflict.get_by_role("alert")).to_contain_text("Changed elsewhere since you started")
    expect(conflict.locator(".text-theirs")).to_have_text("Saved in the first tab")
    expect(conflict.get_by_label("Yours, not saved yet")).to_have_value("Typed in the second tab")
    comment.refresh_from_db()
    assert comment.body == "Saved in the first tab"

    conflict.get_by_role("button", name="Keep mine").click()

    expect(second.locator(f"#comment-{comment.pk} > .comment-body")).to_have_text(
        "Typed in the second tab"
    )
    comment.refresh_from_db()
    assert comment.body == "Typed in the second tab"
    assert console_errors == []


@pytest.fixture
def two_threads(page, live_server, log_in, owner, reader, post):
    """Two threads on a public post, the owner looking at them; the later one returned."""
    post.visibility = Visibility.PUBLIC
    post.save()
    make_comment(post, reader, body="The first thread")
    later = make_comment(post, reader, body="The best question")
    log_in("owner", PASSWORD)
    page.goto(live_server.url + post.get_absolute_url())
    page.evaluate("() => { window.notReloaded = true; }")
    return later


def test_the_owner_pins_and_unpins_a_comment_in_place(page, two_threads, console_errors):
    later = two_threads
    threads = page.locator(".comment-thread")
    expect(threads.first).to_contain_text("The first thread")

    page.locator(f"#comment-{later.pk}").get_by_role("button", name="Pin to the top").click()

    expect(threads.first).to_contain_text("Pinned by Olivia Owner")
    expect(threads.first).to_contain_text("The best question")
    threads.first.get_by_role("button", name="Unpin").click()

    expect(threads.first).to_contain_text("The first thread")
    expect(page.get_by_text("Pinned by Olivia Owner")).to_have_count(0)
    assert page.evaluate("() => window.notReloaded") is True
    assert console_errors == []


def test_the_owner_pins_a_comment_with_javascript_off(
    page_without_javascript, live_server, log_in, owner, reader, post
):
    page = page_without_javascript
    post.visibility = Visibility.PUBLIC
    post.save()
    make_comment(post, reader, body="The first thread")
    later = make_comment(post, reader, body="The best question")
    log_in("owner", PASSWORD, on=page)
    page.goto(live_server.url + post.get_absolute_url())

    page.locator(f"#comment-{later.pk}").get_by_role("button", name="Pin to the top").click()

    expect(page).to_have_url(f"{live_server.url}{post.get_absolute_url()}#comment-{later.pk}")
    expect(page.locator(".comment-thread").first).to_contain_text("Pinned by Olivia Owner")
    expect(page.locator(".comment-thread").first).to_contain_text("The best question")


def test_a_stale_edit_without_javascript_shows_both_texts(
    page_without_javascript, live_server, log_in, reader, post
):
    page = page_without_javascript
    comment = make_comment(post, reader, body="First thoughts")
    log_in("reader", PASSWORD, on=page)
    second = page.context.new_page()
    for tab in (page, second):
        tab.goto(live_server.url + post.get_absolute_url())
        tab.locator(f"#comment-{comment.pk}").locator("summary", has_text="Edit").click()
    for tab, text in ((page, "Saved in the first tab"), (second, "Typed in the second tab")):
        tab.get_by_label("Change your comment").fill(text)
        tab.get_by_role("button", name="Save").click()

    expect(second.get_by_role("heading", level=1)).to_have_text("Edit your comment")
    expect(second.get_by_role("alert")).to_contain_text("Changed elsewhere since you started")
    expect(second.locator(".text-theirs")).to_have_text("Saved in the first tab")
    expect(second.get_by_label("Yours, not saved yet")).to_have_value("Typed in the second tab")
    second.get_by_role("link", name="Keep theirs").click()

    expect(second).to_have_url(f"{live_server.url}{post.get_absolute_url()}#comment-{comment.pk}")
    expect(second.locator(f"#comment-{comment.pk} > .comment-body")).to_have_text(
        "Saved in the first tab"
    )


def test_a_reply_to_a_comment_removed_meanwhile_keeps_its_text_and_says_why(
    reader_page, owner, reader, post, console_errors
):
    page = reader_page
    comment = make_comment(post, owner, body="Ask me anything")
    page.reload()
    thread = page.locator(f"#thread-{comment.pk}")
    thread.get_by_role("link", name="Reply — to Olivia Owner").click()
    box = thread.get_by_label("Your reply to Olivia Owner")
    box.fill("What was the hardest month?")
    comment.remove(by=owner)  # in another tab, meanwhile

    thread.get_by_role("button", name="Reply", exact=True).click()

    expect(thread.get_by_text("it can no longer be answered")).to_be_visible()
    expect(thread.get_by_text("This comment was removed.")).to_be_visible()
    expect(thread.get_by_label("Your reply to Olivia Owner")).to_have_value(
        "What was the hardest month?"
    )
    assert not Comment.objects.filter(body="What was the hardest month?").exists()
    # Chromium logs every 4xx answer; a 422 is how refused input is meant to arrive.
    assert [e for e in console_errors if "status of 422" not in e] == []


def test_a_half_written_reply_survives_a_further_reply_and_cancel_asks_first(
    reader_page, owner, reader, post, console_errors
):
    page = reader_page
    comment = make_comment(post, owner, body="Ask me anything")
    reply = make_comment(post, reader, parent=comment, body="Anything?")
    page.reload()
    thread = page.locator(f"#thread-{comment.pk}")
    thread.get_by_role("link", name="Reply — to Olivia Owner").click()
    box = thread.locator("textarea[name=body]").last
    expect(box).to_be_focused()
    box.fill("What was the hardest month?")

    thread.get_by_role("link", name="Reply — to Rae Reader").click()  # the box answers Rae now
    expect(thread.get_by_label("Your reply to Rae Reader")).to_have_value(
        "What was the hardest month?"
    )
    thread.get_by_role("link", name="Reply — to Olivia Owner").dblclick()

    expect(thread.get_by_label("Your reply to Olivia Owner")).to_have_value(
        "What was the hardest month?"
    )
    expect(box).to_be_focused()
    page.once("dialog", lambda dialog: dialog.dismiss())
    thread.get_by_role("button", name="Cancel").click()
    expect(box).to_have_value("What was the hardest month?")
    page.once("dialog", lambda dialog: dialog.accept())
    box.press("Escape")  # as Cancel
    expect(thread.locator(".comment-reply textarea")).to_have_count(0)
    thread.locator(f"#comment-{reply.pk}").get_by_role("link", name="Reply — to Rae Reader").click()
    expect(thread.get_by_label("Your reply to Rae Reader")).to_be_focused()
    thread.get_by_role("link", name="Reply — to Olivia Owner").click()
    thread.get_by_label("Your reply to Olivia Owner").fill("To Rae after all")
    thread.get_by_role("link", name="Reply — to Rae Reader").click()
    thread.get_by_label("Your reply to Rae Reader").press("Tab")
    thread.get_by_role("button", name="Reply", exact=True).click()
    expect(thread.locator(".comment-replies li").last).to_contain_text("in reply to Rae Reader")
    assert Comment.objects.get(body="To Rae after all").reply_to_id == reply.pk
    assert console_errors == []


def test_a_reply_box_that_comes_late_leaves_the_focus_where_the_person_types(
    page, two_threads, console_errors
):
    later = two_threads
    held = []
    page.route("**/reply/", lambda route: held.append((route, route.fetch())))
    thread = page.locator(f"#thread-{later.pk}")
    thread.get_by_role("link", name="Reply — to Rae Reader").click()
    eventually(page, lambda: held)
    comment_box = page.get_by_label("Your comment", exact=True)
    comment_box.click()
    page.keyboard.type("A word to ")

    route, answer = held[0]
    route.fulfill(response=answer)
    expect(thread.get_by_label("Your reply to Rae Reader")).to_be_visible()
    page.keyboard.type("everyone")

    expect(comment_box).to_be_focused()
    expect(comment_box).to_have_value("A word to everyone")
    expect(thread.get_by_label("Your reply to Rae Reader")).to_have_value("")
    assert console_errors == []


def begin_reply(thread, name: str, text: str) -> None:
    thread.get_by_role("link", name=f"Reply — to {name}").click()
    thread.get_by_label(f"Your reply to {name}").fill(text)


def post_comment(page, text: str) -> None:
    page.get_by_label("Your comment", exact=True).fill(text)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comment-thread", has_text=text)).to_be_visible()


def test_a_half_written_reply_survives_a_new_comment_and_a_pin(page, two_threads, console_errors):
    later = two_threads
    thread = page.locator(f"#thread-{later.pk}")
    begin_reply(thread, "Rae Reader", "Thank you, here is why")

    post_comment(page, "A word to everyone")
    expect(thread.get_by_label("Your reply to Rae Reader")).to_have_value("Thank you, here is why")
    expect(page.locator("article.comment", has_text="A word to everyone")).to_be_focused()

    thread.get_by_role("button", name="Pin to the top").click()
    expect(page.locator(".comment-thread").first).to_contain_text("Pinned by Olivia Owner")
    expect(thread.get_by_label("Your reply to Rae Reader")).to_have_value("Thank you, here is why")

    thread.get_by_role("button", name="Reply", exact=True).click()
    expect(thread.locator(".comment-replies")).to_contain_text("Thank you, here is why")
    expect(thread.locator(".comment-reply textarea")).to_have_count(0)
    assert page.evaluate("() => window.notReloaded") is True
    assert console_errors == []


def test_a_half_written_reply_stays_when_a_new_comment_brings_a_later_page(
    page, live_server, log_in, post, owner, reader, console_errors
):
    post.visibility = Visibility.PUBLIC
    post.save()
    Comment.objects.bulk_create(
        Comment(year=post, author=owner, body=f"Thread number {i}") for i in range(1, 51)
    )
    second = Comment.objects.get(body="Thread number 2")
    log_in("reader", PASSWORD)
    page.goto(live_server.url + post.get_absolute_url())
    page.evaluate("() => { window.notReloaded = true; }")
    thread = page.locator(f"#thread-{second.pk}")
    begin_reply(thread, "Olivia Owner", "Number two was my favourite")

    post_comment(page, "Fifty-one, and counting")  # the 51st thread: the second page comes back
    expect(page.get_by_text("Thread number 50", exact=True)).to_have_count(0)

    expect(thread.get_by_label("Your reply to Olivia Owner")).to_have_value(
        "Number two was my favourite"
    )
    thread.get_by_role("button", name="Reply", exact=True).click()
    expect(thread.locator(".comment-replies")).to_contain_text("Number two was my favourite")
    assert second.replies.get().body == "Number two was my favourite"
    assert page.evaluate("() => window.notReloaded") is True
    assert console_errors == []


def test_an_unsaved_edit_of_a_comment_stays_open_when_a_new_comment_comes_in(
    reader_page, reader, post, console_errors
):
    page = reader_page
    comment = make_comment(post, reader, body="Teh best year so far")
    page.reload()
    item = page.locator(f"#comment-{comment.pk}")
    item.locator("summary", has_text="Edit").click()
    item.get_by_label("Change your comment").fill("The best year so far — 정말로!")

    post_comment(page, "And one more thing")

    expect(item.get_by_label("Change your comment")).to_be_visible()
    expect(item.get_by_label("Change your comment")).to_have_value("The best year so far — 정말로!")
    item.get_by_label("Change your comment").press("ControlOrMeta+Enter")
    expect(item.locator(".comment-body")).to_have_text("The best year so far — 정말로!")
    comment.refresh_from_db()
    assert comment.body == "The best year so far — 정말로!"
    assert console_errors == []
