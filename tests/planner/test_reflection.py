"""Guided questions: picking them for a place of a post, answering them with the texts'
editor, showing or hiding each answer in the post, removing a question."""

from __future__ import annotations

import pytest
from django.urls import reverse

from planner.forms import text_version
from planner.models import Answer, OwnQuestion, Visibility
from tests.factory import make_answer, make_year

pytestmark = pytest.mark.django_db

PAGE = "/@owner/2025/questions/period-1/"
HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver" + PAGE}


@pytest.fixture
def post(owner):
    return make_year(owner, year=2025, visibility=Visibility.PUBLIC)


def url(name: str, answer: Answer) -> str:
    return reverse(f"planner:{name}", args=[answer.pk])


def test_it_offers_the_built_in_questions_of_the_place(owner_client, post):
    response = owner_client.get(PAGE)

    assert response.status_code == 200
    assert "Questions for January–April 2025" in response.text
    assert "What did you learn?" in response.text
    assert "Which moment are you proudest of?" not in response.text  # the year's set


def test_it_shows_the_questions_in_korean_for_a_korean_reader(owner_client, post):
    response = owner_client.get(PAGE, headers={"accept-language": "ko"})

    assert "무엇을 배웠나요?" in response.text
    assert "2025년 1월 ~ 4월 질문" in response.text


def test_it_adds_the_questions_picked(owner_client, post):
    response = owner_client.post(
        PAGE, {"questions": ["built-in:period-learned", "built-in:period-hard"]}
    )

    assert response.status_code == 302
    assert response.url == PAGE
    picked = Answer.objects.filter(year=post, place="period-1")
    assert [a.question_key for a in picked] == ["period-learned", "period-hard"]
    assert all(a.text == "" and not a.shown_in_post for a in picked)
    page = owner_client.get(PAGE).text
    assert 'value="built-in:period-learned"' not in page  # picked once per place


def test_it_adds_them_in_place_for_htmx(owner_client, post):
    response = owner_client.post(PAGE, {"questions": ["built-in:period-learned"]}, headers=HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="reflection"')
    assert "Write an answer" in response.text


def test_a_place_holds_a_question_once(owner_client, post):
    make_answer(post, question_key="period-learned")

    response = owner_client.post(PAGE, {"questions": ["built-in:period-learned"]})

    assert response.status_code == 302  # picked already (another tab): nothing to add
    assert Answer.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [{}, {"questions": ["built-in:year-proudest"]}, {"questions": ["own:999"]}],
    ids=["nothing", "another set's question", "someone else's question"],
)
def test_it_refuses_what_cannot_be_picked(owner_client, post, data):
    response = owner_client.post(PAGE, data)

    assert response.status_code == 422
    assert "errorlist" in response.text
    assert not Answer.objects.exists()


def test_an_own_question_is_kept_for_later_years(owner_client, owner, post):
    owner_client.post(PAGE, {"new_question": "  Which   song was on repeat? "})
    make_year(owner, year=2026)

    question = OwnQuestion.objects.get()
    assert question.text == "Which song was on repeat?"
    assert Answer.objects.get().own_question == question
    later = owner_client.get("/@owner/2026/questions/period-2/")
    assert f'value="own:{question.pk}"' in later.text
    response = owner_client.post(
        "/@owner/2026/questions/period-2/", {"questions": [f"own:{question.pk}"]}
    )
    assert response.status_code == 302
    assert Answer.objects.filter(year__year=2026, own_question=question).exists()


def test_an_own_question_is_not_offered_to_others_nor_in_another_set(
    client, owner_client, post, reader
):
    owner_client.post(PAGE, {"new_question": "Which song was on repeat?"})
    question = OwnQuestion.objects.get()

    assert f"own:{question.pk}" not in owner_client.get("/@owner/2025/questions/year/").text
    make_year(reader, year=2025)
    client.force_login(reader)
    response = client.post(
        "/@reader/2025/questions/period-1/", {"questions": [f"own:{question.pk}"]}
    )
    assert response.status_code == 422


def test_writing_the_same_own_question_twice_at_a_place_is_refused(owner_client, post):
    owner_client.post(PAGE, {"new_question": "Which song was on repeat?"})

    response = owner_client.post(PAGE, {"new_question": "Which song was on repeat?"})

    assert response.status_code == 422
    assert "already picked here" in response.text
    assert Answer.objects.count() == 1


def test_an_unknown_place_is_not_found(owner_client, post):
    assert owner_client.get("/@owner/2025/questions/period-4/").status_code == 404


def test_the_answer_saves_with_the_texts_version_check(owner_client, post):
    answer = make_answer(post, text="")
    edit = url("answer_edit", answer)

    saved = owner_client.post(edit, {"text": "Patience.", "base": text_version("")})
    stale = owner_client.post(edit, {"text": "Something else.", "base": text_version("")})

    assert saved.status_code == 302
    assert saved.url == f"{PAGE}#answer-{answer.pk}"
    assert stale.status_code == 409
    assert "Changed elsewhere since you started" in stale.text
    answer.refresh_from_db()
    assert answer.text == "Patience."


def test_the_answer_autosaves_in_place(owner_client, post):
    answer = make_answer(post, text="")

    response = owner_client.post(
        url("answer_autosave", answer),
        {"text": "Patience.", "base": text_version("")},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "Saved" in response.text
    answer.refresh_from_db()
    assert answer.text == "Patience."


def test_saving_in_place_shows_the_answer_again(owner_client, post):
    answer = make_answer(post, text="")

    response = owner_client.post(
        url("answer_edit", answer),
        {"text": "**Patience.**", "base": text_version("")},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "<strong>Patience.</strong>" in response.text
    assert "Show in the post" in response.text


def test_it_shows_an_answer_in_the_post_and_hides_another(client, owner_client, post):
    shown = make_answer(post, question_key="period-learned", text="Patience.")
    hidden = make_answer(post, question_key="period-hard", text="The move in March.")

    response = owner_client.post(url("answer_shown", shown), {"shown_in_post": "true"})

    assert response.status_code == 302
    shown.refresh_from_db()
    assert shown.shown_in_post
    page = client.get(post.get_absolute_url()).text
    assert "What did you learn?" in page
    assert "Patience." in page
    assert "What was hard" not in page
    assert "The move in March." not in page
    assert hidden.text not in owner_client.get(post.get_absolute_url()).text


def test_hiding_an_answer_again_takes_it_out_of_the_cached_post(client, owner_client, post):
    answer = make_answer(post, text="Patience.", shown_in_post=True)
    assert "Patience." in client.get(post.get_absolute_url()).text

    owner_client.post(url("answer_shown", answer), {"shown_in_post": "false"}, headers=HTMX)

    assert "Patience." not in client.get(post.get_absolute_url()).text


def test_a_built_in_question_shows_in_the_readers_language(client, post):
    make_answer(post, place="year", question_key="year-lesson", text="Sleep.", shown_in_post=True)

    english = client.get(post.get_absolute_url()).text
    korean = client.get(post.get_absolute_url(), headers={"accept-language": "ko"}).text

    assert "What was the biggest lesson of the year?" in english
    assert "올해 얻은 가장 큰 교훈은 무엇인가요?" in korean
    assert "Sleep." in korean


def test_an_own_question_and_its_answer_show_as_written(client, owner, post):
    question = OwnQuestion.objects.create(owner=owner, question_set="plan", text="올해의 노래는?")
    make_answer(post, place="plan", own_question=question, text="Abbey Road", shown_in_post=True)

    page = client.get(post.get_absolute_url()).text

    assert '<h3 class="answer-question" lang="ko">올해의 노래는?</h3>' in page
    assert "Looking ahead to 2025" in page
    assert "Abbey Road" in page


def test_removing_an_empty_question_needs_no_confirmation(owner_client, post):
    answer = make_answer(post, text="")

    response = owner_client.post(url("answer_remove", answer))

    assert response.status_code == 302
    assert not Answer.objects.exists()


def test_removing_a_question_with_an_answer_asks_first(owner_client, post):
    answer = make_answer(post, text="Patience.")

    asked = owner_client.post(url("answer_remove", answer), headers=HTMX)

    assert asked.status_code == 200
    assert "with its answer?" in asked.text
    assert Answer.objects.exists()
    confirmed = owner_client.post(
        url("answer_remove", answer), {"confirm": text_version("Patience.")}, headers=HTMX
    )
    assert confirmed.status_code == 200
    assert confirmed.headers["HX-Retarget"] == "#reflection"
    assert not Answer.objects.exists()


def test_removing_asks_again_when_the_answer_changed_meanwhile(owner_client, post):
    answer = make_answer(post, text="Patience.")
    Answer.objects.filter(pk=answer.pk).update(text="Patience, and sleep.")

    response = owner_client.post(
        url("answer_remove", answer), {"confirm": text_version("Patience.")}
    )

    assert response.status_code == 409
    assert "Patience, and sleep." in response.text
    assert Answer.objects.exists()


@pytest.mark.parametrize("name", ["answer_edit", "answer_shown", "answer_remove"])
def test_other_people_do_not_find_an_answer(client, reader, post, name):
    answer = make_answer(post)
    client.force_login(reader)

    response = client.post(url(name, answer), {"shown_in_post": "true", "text": "x", "base": ""})

    assert response.status_code == 404
    answer.refresh_from_db()
    assert answer.text == "To rest before I am tired." and not answer.shown_in_post


def test_a_private_post_shows_its_answers_to_no_one_else(client, post):
    post.visibility = Visibility.PRIVATE
    post.save()
    make_answer(post, text="Patience.", shown_in_post=True)

    assert client.get(post.get_absolute_url()).status_code == 404
    assert client.get(PAGE).status_code == 302  # to log in


def test_a_question_picked_meanwhile_in_another_tab_is_kept_once_with_the_others(
    owner_client, post
):
    owner_client.post(PAGE, {"questions": ["built-in:period-learned"]})  # the first tab

    response = owner_client.post(  # the second, still showing both as not picked
        PAGE, {"questions": ["built-in:period-learned", "built-in:period-surprise"]}
    )

    assert response.status_code == 302
    assert sorted(post.answers.values_list("question_key", flat=True)) == [
        "period-learned",
        "period-surprise",
    ]
