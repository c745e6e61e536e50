"""What people write carries its own language where it differs from the interface's."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.urls import reverse

from planner.languages import text_language
from planner.models import Visibility
from tests.factory import make_comment, make_entry, make_goal, make_year

pytestmark = pytest.mark.django_db

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("매년 이맘때면 쓰는 회고 글.", "ko"),
        ("첫 논문 학회에 붙이기 (CVPR)", "ko"),
        ("CVPR 논문 submission 준비", "ko"),  # a few Hangul syllables say as much as many letters
        ("[사진](https://example.com/photos/one/two/three) 좋았다", "ko"),  # addresses don't count
        ("A year of papers and piano.", "en"),
        ("I ate 김치 today, and it was great", "en"),
        ("2024 → 2025", None),
        ("", None),
    ],
)
def test_it_tells_the_language_of_a_text(text, language):
    assert text_language(text) == language


@pytest.fixture
def korean_post(owner, reader):
    post = make_year(
        owner,
        year=2024,
        title="2024 회고",
        intro="대학원 첫해라 정신없었지만, 솔직하게 적어 본다.",
        summary="돌아보면 적응의 해였다.",
        visibility=Visibility.PUBLIC,
    )
    make_goal(post, title="책 12권 읽기", note="9권에서 멈췄다.")
    make_entry(post, title="제주 여행", body="바다를 보러 갔다.")
    english_comment = make_comment(post, reader, body="Lovely photos from Jeju!")
    korean_comment = make_comment(post, reader, body="사진 정말 좋네요!")
    return post, english_comment, korean_comment


def read(client, post, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response.text


def test_it_marks_a_korean_post_in_an_english_page(client, korean_post):
    post, english_comment, korean_comment = korean_post

    page = read(client, post, "en")

    assert '<html lang="en">' in page
    assert '<h1 id="post-title" lang="ko">2024 회고</h1>' in page
    assert '<div class="post-text-body" lang="ko"><p>대학원 첫해라' in page
    assert '<div class="post-text-body" lang="ko"><p>돌아보면' in page
    assert '<span lang="ko">책 12권 읽기</span>' in page
    assert '<p class="goal-note" lang="ko">9권에서 멈췄다.</p>' in page
    assert '<span lang="ko">제주 여행</span>' in page
    assert '<div class="prose" lang="ko">' in page
    assert re.search(
        rf'id="comment-{korean_comment.pk}".*?<div class="comment-body" lang="ko">', page, re.S
    )
    assert re.search(rf'id="comment-{english_comment.pk}".*?<div class="comment-body">', page, re.S)
    # The interface around them stays English.
    assert '<h2 id="goals-title">Did I reach my goals?</h2>' in page


def test_it_marks_only_what_differs_in_a_korean_page(client, korean_post):
    post, english_comment, _korean_comment = korean_post

    page = read(client, post, "ko")

    assert '<html lang="ko">' in page
    assert '<h1 id="post-title">2024 회고</h1>' in page
    assert '<div class="post-text-body"><p>대학원 첫해라' in page
    # Korean is said only by the page itself and by the language menu's 한국어.
    assert page.count(' lang="ko"') == 2
    assert re.search(
        rf'id="comment-{english_comment.pk}".*?<div class="comment-body" lang="en">', page, re.S
    )


def test_it_marks_a_korean_title_on_the_profile_and_the_home_page(client, korean_post):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    for url in (reverse("planner:profile", args=["owner"]), reverse("planner:home")):
        page = client.get(url).text
        assert '<span class="year-card-title" lang="ko">2024 회고</span>' in page


def test_it_leaves_an_untitled_posts_title_in_the_interfaces_language(client, owner):
    post = make_year(owner, year=2024, intro="솔직하게 적어 본다.", visibility=Visibility.PUBLIC)

    page = read(client, post, "en")

    assert '<h1 id="post-title">2024 review and 2025 plan</h1>' in page


def test_it_gives_each_feed_entry_its_language(client, owner):
    make_year(owner, year=2024, intro="돌아보면 적응의 해였다.", visibility=Visibility.PUBLIC)
    make_year(owner, year=2025, intro="A year of papers.", visibility=Visibility.PUBLIC)
    make_year(owner, year=2026, visibility=Visibility.PUBLIC)  # nothing written yet
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("planner:feed", args=["owner"]))

    feed = ET.fromstring(response.content)
    assert feed.get(XML_LANG) == "en"
    languages = {
        entry.find("{http://www.w3.org/2005/Atom}title").text[:4]: entry.get(XML_LANG)
        for entry in feed.iter("{http://www.w3.org/2005/Atom}entry")
    }
    assert languages == {"2024": "ko", "2025": "en", "2026": None}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("a" * 200_000, "en"),
        ("ㅋ" * 200_000, "ko"),
        ("(" * 100_000 + "a" * 100_000, None),
        (("(" + "b" * 1000) * 200, "en"),
    ],
)
def test_it_tells_the_language_of_a_long_unbroken_run_of_letters(text, language):
    # Read in time proportional to the text: a run of letters once took the square of it.
    assert text_language(text) == language
