"""The interface in the reader's language: chosen from the browser, or from the menu."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from planner.models import Like
from tests.factory import make_comment, make_goal, make_user, make_year

pytestmark = pytest.mark.django_db

KOREAN = {"HTTP_ACCEPT_LANGUAGE": "ko-KR,ko;q=0.9,en;q=0.5"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


@pytest.fixture
def post(owner, reader):
    year = make_year(
        owner,
        year=2023,
        published_at=timezone.make_aware(datetime.datetime(2024, 1, 5, 9)),
    )
    make_goal(year, title="Submit to CVPR", done=True)
    make_goal(year, title="Run a half marathon")
    make_goal(year, title="Learn to swim")
    make_comment(year, reader)
    Like.objects.create(year=year, user=reader)
    return year


def read(client, post, headers: dict) -> str:
    response = client.get(post.get_absolute_url(), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_it_answers_in_the_browsers_language(client, post):
    korean = read(client, post, KOREAN)
    english = read(client, post, ENGLISH)

    assert '<html lang="ko">' in korean
    assert "목표를 이뤘을까?" in korean
    assert '<html lang="en">' in english
    assert "Did I reach my goals?" in english


def test_it_names_the_periods_in_the_readers_language(client, post):
    korean = read(client, post, KOREAN)
    english = read(client, post, ENGLISH)

    for label in ("1월 ~ 4월", "5월 ~ 8월", "9월 ~ 12월"):
        assert f'class="period-title">{label}</h3>' in korean
    for label in ("January–April", "May–August", "September–December"):
        assert f'class="period-title">{label}</h3>' in english
        assert label not in korean


def test_it_counts_in_the_plural_forms_of_each_language(client, post, owner):
    make_comment(post, owner, body="Thank you!")

    korean = read(client, post, KOREAN)
    english = read(client, post, ENGLISH)

    assert "댓글 2개" in korean and "좋아요 1개" in korean and "3개 중 1개 달성" in korean
    assert "2 comments" in english and "1 like" in english and "1 of 3 reached" in english
    Like.objects.all().delete()
    assert "1 like" not in read(client, post, ENGLISH)
    assert "0 likes" in read(client, post, ENGLISH)
    assert "좋아요 0개" in read(client, post, KOREAN)


def test_it_titles_an_untitled_post_in_the_readers_language(client, post):
    korean = read(client, post, KOREAN)
    english = read(client, post, ENGLISH)

    assert '<h1 id="post-title">2023년 결산 및 2024년 계획</h1>' in korean
    assert "<title>2023년 결산 및 2024년 계획 · Yearloop</title>" in korean
    assert '<h1 id="post-title">2023 review and 2024 plan</h1>' in english


def test_it_keeps_a_title_the_owner_wrote(client, post):
    post.title = "My 2023"
    post.save()

    assert '<h1 id="post-title" lang="en">My 2023</h1>' in read(client, post, KOREAN)


def test_it_writes_dates_in_the_locales_format(client, post):
    assert ">2024년 1월 5일</time>" in read(client, post, KOREAN)
    assert ">Jan. 5, 2024</time>" in read(client, post, ENGLISH)


def test_it_translates_form_errors_and_labels(client):
    response = client.post("/accounts/signup/", {"username": "X!"}, **KOREAN)

    html = response.content.decode()
    assert response.status_code == 422
    assert "사용자 이름" in html and "표시 이름" in html
    assert "소문자, 숫자, 하이픈(-), 밑줄(_)로 2~30자를 입력하세요." in html
    assert "필수 항목입니다." in html  # Django's own catalogue


def test_it_keeps_the_address_the_same_in_both_languages(client, post):
    korean = client.get(post.get_absolute_url(), **KOREAN)
    english = client.get(post.get_absolute_url(), **ENGLISH)

    assert korean.status_code == english.status_code == 200
    assert korean["Content-Language"] == "ko"
    assert english["Content-Language"] == "en"


def test_it_offers_the_language_menu_on_every_page(client, post):
    for path in ("/", post.get_absolute_url(), "/accounts/login/", "/search/?q=run"):
        html = client.get(path, **KOREAN).content.decode()

        assert 'action="/i18n/setlang/"' in html
        assert f'name="next" value="{path}"' in html
        assert '<button type="submit" name="language" value="en" lang="en"' in html
        assert '<button type="submit" name="language" value="ko" lang="ko"' in html
        assert ' aria-current="true">한국어</button>' in html


def test_it_translates_the_admin_customisations(client):
    staff = make_user("boss", is_staff=True, is_superuser=True)
    client.force_login(staff)

    html = client.get("/admin/planner/", **KOREAN).content.decode()

    assert "플래너" in html and "목표" in html and "기록" in html


def test_it_puts_the_time_of_day_where_korean_does(client, post, owner):
    comment = post.comments.get()
    comment.created_at = timezone.make_aware(datetime.datetime(2024, 1, 5, 21, 5))
    comment.save()

    assert ">2024년 1월 5일 오후 9:05</time>" in read(client, post, KOREAN)
    assert ">Jan. 5, 2024, 9:05 p.m.</time>" in read(client, post, ENGLISH)
