"""Guided questions in the browser: picking them for a period, answering with autosave,
showing one answer in the post and keeping another out of it; axe on the new pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from planner.models import Answer
from tests.browser.test_accessibility import axe_violations, describe, session_cookie
from tests.browser.waiting import eventually
from tests.factory import PASSWORD, make_year

pytestmark = pytest.mark.django_db(transaction=True)

LEARNED = "What did you learn?"
HARD = "What was hard, and what helped you through it?"


@pytest.fixture
def post(owner):
    return make_year(owner, year=2025, intro="A year of papers and piano.")


def answer(page, question: str):
    return page.locator("section.answer-item", has=page.get_by_role("heading", name=question))


def write(page, question: str, text: str) -> None:
    answer(page, question).get_by_role("link", name=f"Write an answer — {question}").click()
    box = page.get_by_role("textbox", name=question)
    expect(box).to_be_focused()
    box.press_sequentially(text)
    expect(page.locator("section:has(textarea[name=text])").get_by_role("status")).to_have_text(
        "Saved"
    )
    # A pause in the typing saves what is there so far: the whole text follows.
    eventually(page, lambda: Answer.objects.filter(text=text).exists())


def test_the_owner_picks_answers_and_shows_one_answer_in_the_post(
    page, browser, live_server, post, log_in, console_errors
):
    log_in("owner", PASSWORD)
    page.goto(live_server.url + post.get_absolute_url())
    page.get_by_role("link", name="Guided questions — January–April").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questions for January–April 2025")
    questions_page = page.url

    page.get_by_role("checkbox", name=LEARNED).check()
    page.get_by_role("checkbox", name=HARD).check()
    page.get_by_role("button", name="Add").click()

    expect(page.get_by_role("heading", name=LEARNED)).to_be_visible()
    expect(page.get_by_role("checkbox", name=LEARNED)).to_have_count(0)  # no longer offered here
    write(page, LEARNED, "To rest *before* I am tired.")
    page.reload()
    write(page, HARD, "The move in March.")
    assert Answer.objects.get(question_key="period-learned").text == "To rest *before* I am tired."
    assert Answer.objects.get(question_key="period-hard").text == "The move in March."

    page.reload()
    answer(page, LEARNED).get_by_role("button", name=f"Show in the post — {LEARNED}").click()
    expect(answer(page, LEARNED).get_by_text("In the post")).to_be_visible()
    expect(answer(page, HARD).get_by_text("Only you see it")).to_be_visible()
    expect(page).to_have_url(questions_page)  # in place
    assert console_errors == []

    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.goto(post.get_absolute_url())
    period = visitor.locator("#period-1")
    expect(period.get_by_role("heading", name=LEARNED)).to_be_visible()
    expect(period.locator("em")).to_have_text("before")
    expect(visitor.get_by_text(HARD)).to_have_count(0)
    expect(visitor.get_by_text("The move in March.")).to_have_count(0)
    visitor.context.close()


def test_removing_an_answered_question_asks_first(page, live_server, post, log_in):
    Answer.objects.create(year=post, place="year", question_key="year-lesson", text="Sleep.")
    log_in("owner", PASSWORD)
    page.goto(live_server.url + "/@owner/2025/questions/year/")
    question = "What was the biggest lesson of the year?"

    answer(page, question).get_by_role("button", name=f"Remove — {question}").click()

    expect(page.get_by_text(f"Remove “{question}” with its answer?")).to_be_visible()
    page.get_by_role("link", name="Keep it").click()
    expect(answer(page, question)).to_contain_text("Sleep.")
    answer(page, question).get_by_role("button", name=f"Remove — {question}").click()
    page.get_by_role("button", name="Remove it with its answer").click()
    expect(page.get_by_text("No question picked yet.")).to_be_visible()
    expect(page.get_by_role("checkbox", name=question)).to_be_visible()  # offered again
    assert not Answer.objects.exists()


def test_picking_works_without_javascript(page_without_javascript, live_server, post):
    page = page_without_javascript
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/@owner/2025/questions/plan/")

    song = "올해의 노래는?"
    page.get_by_label("Or write your own question").fill(song)
    page.get_by_role("button", name="Add").click()
    answer(page, song).get_by_role("link", name=f"Write an answer — {song}").click()
    page.get_by_role("textbox", name=song).fill("Abbey Road")
    page.get_by_role("button", name="Save").click()
    answer(page, song).get_by_role("button", name=f"Show in the post — {song}").click()

    page.goto(live_server.url + post.get_absolute_url())
    plan = page.locator("#plan-answers")
    expect(plan.get_by_role("heading", name="Looking ahead to 2025")).to_be_visible()
    expect(plan).to_contain_text("Abbey Road")


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
def test_the_questions_page_and_the_post_have_no_axe_violations(browser, live_server, post, locale):
    Answer.objects.create(year=post, place="period-2", question_key="period-learned", text="x")
    Answer.objects.create(
        year=post, place="year", question_key="year-lesson", text="Sleep.", shown_in_post=True
    )
    Answer.objects.create(
        year=post, place="plan", question_key="plan-word", text="Slow.", shown_in_post=True
    )
    context = browser.new_context(locale=locale, base_url=live_server.url)
    context.add_cookies([session_cookie("owner", live_server.url)])
    page = context.new_page()
    found = []
    for url in ["/@owner/2025/questions/period-2/", post.get_absolute_url()]:
        page.goto(url)
        found += describe(url, axe_violations(page))
    answer_id = Answer.objects.get(place="period-2").pk
    page.goto("/@owner/2025/questions/period-2/")
    page.locator(f"#answer-{answer_id} a[href$='/edit/']").click()
    page.locator("textarea[name=text]").wait_for()
    found += describe("the answer's editor", axe_violations(page))
    page.goto(f"/answers/{answer_id}/remove/")
    found += describe("the removal's question", axe_violations(page))
    context.close()
    assert not found, "\n".join(found)
