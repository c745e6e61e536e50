"""A post pasted as rich text (the clipboard's HTML) is read like a Markdown post.

The samples in html_samples/ are written in the shape of what a browser puts on the
clipboard when a post is selected on three platforms' pages (a Korean developer blog with
a series, a Korean portal blog with bold lines for headings and ✅ for ticks, an English
publishing platform): the post's markup, and around it the page's byline, buttons,
counters, author card and lists of other posts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from planner.models import Year
from portability.markdown_import import rich_text
from portability.markdown_import.parser import guess_year, parse

SAMPLES = Path(__file__).parent / "html_samples"

EXPECTED = {
    "ko_velog.html": {
        "year": 2024,
        "title": "2024년 회고와 2025년 계획",
        "intro": "올해도 한 해를 돌아본다. 회사 3년차, 많이 움직인 해였다.",
        "goals": [
            ("책 24권 읽기", True, "27권 읽었다"),
            ("하프 마라톤 완주", False, "10km까지만 뛰었다"),
            ("사이드 프로젝트 출시", True, "3월에 출시했다"),
        ],
        "entries": [["제주 한 달 살기", "첫 출시"], ["이사"], ["하프 마라톤 준비"]],
        "images": ["성산일출봉 [아침]"],
        "summary": "생각보다 많이 움직인 한 해였다. 목표의 절반 이상을 이뤘다.",
        "next_goals": ["하프 마라톤 완주", "책 30권 읽기"],
    },
    "ko_tistory.html": {
        "year": 2023,
        "title": "2023년을 보내며",
        "intro": "벌써 12월이다. 올해를 정리해 본다.",
        "goals": [
            ("매일 일기 쓰기", True, "300일 정도 썼다"),
            ("운전면허 따기", True, ""),
            ("영어 회화", False, "학원만 등록했다"),
        ],
        "entries": [["봄 소풍"], ["운전면허"], ["연말 정산"]],
        "images": ["여의도 벚꽃"],
        "summary": "작은 목표들을 꾸준히 이룬 해.",
        "next_goals": ["영어 회화 다시 시작", "주말마다 운전하기"],
    },
    "en_medium.html": {
        "year": 2024,
        "title": "My 2024 in review, and what comes next",
        "intro": "Every January I look back. This year I kept it short.",
        "goals": [("Read 20 books", True, "read 23"), ("Learn Spanish", False, "stopped in March")],
        "entries": [["Moving to Lisbon"], ["The garden"], ["Back to running"]],
        "images": ["The last box, in the new kitchen"],
        "summary": "A calmer year than planned, and a better one.",
        "next_goals": ["Run a half marathon", "Speak Spanish with the neighbours"],
    },
    # Copied by someone else from a Korean portal blog, whole page: the title in a small
    # heading, buttons in a row, hashtags, the category's other posts.
    "ko_naver.html": {
        "year": 2021,
        "title": "2021 회고 : 면허는 못 땄지만",
        "intro": "벌써 2021년이 끝났다. 올해도 회고를 남겨본다.",
        "goals": [
            ("토익 900점", True, "905점!"),
            ("운전면허 따기", False, "필기만 붙음"),
            ("유튜브 채널 개설", True, ""),
        ],
        "entries": [[], [], []],
        "images": [],
        "summary": "생각보다 많이 했다. 내년엔 꼭 면허!",
        "next_goals": ["운전면허 따기", "책 20권 읽기", "수영 배우기", "JLPT N3 합격"],
    },
}
CHROME = [
    "dev_haneul",
    "팔로우",
    "연간 회고",
    "목록 보기",
    "5/5",
    "공유하기",
    "기록하는 개발자",
    "댓글",
    "일상/회고",
    "by 나무",
    "공감",
    "구독하기",
    "2022년 회고",
    "Jane Park",
    "Follow",
    "min read",
    "124",
    "comments",
    "followers",
    "__APOLLO_STATE__",
    "color: red",
    "하나의 하루",
    "신고하기",
    "#연말결산",
    "크리스마스 케이크",
    "전체보기",
]


@pytest.mark.parametrize("name", list(EXPECTED))
def test_it_reads_a_pasted_page_without_any_mapping(name):
    markdown = rich_text.as_markdown((SAMPLES / name).read_text())
    expected = EXPECTED[name]

    year = guess_year(markdown)
    post = parse(markdown, year)

    assert year == expected["year"]
    assert post.title == expected["title"]
    assert post.intro == expected["intro"]
    assert [(goal.title, goal.done, goal.note) for goal in post.goals] == expected["goals"]
    assert [[entry.title for entry in period.entries] for period in post.periods] == (
        expected["entries"]
    )
    captions = [i.caption for p in post.periods for e in p.entries for i in e.images]
    assert captions == expected["images"]
    assert post.summary == expected["summary"]
    assert post.next_goals == expected["next_goals"]
    assert post.leftovers == []
    saved = [post.title, post.intro, post.summary, *post.next_goals]
    saved += [f"{goal.title} {goal.note}" for goal in post.goals]
    saved += [p.retrospective for p in post.periods]
    saved += [f"{e.title} {e.body}" for p in post.periods for e in p.entries]
    words = re.sub(r"\]\([^)]*\)", "]", "\n".join(saved))  # addresses may name the author
    assert not [chrome for chrome in CHROME if chrome in words]


def test_it_keeps_links_and_emphasis_and_drops_what_could_run():
    markdown = rich_text.as_markdown(
        '<p>A <strong>bold</strong> <a href="https://example.com/a">link</a>'
        '<a href="javascript:alert(1)">x</a><img src="x" onerror="alert(2)" alt="pic">'
        "<script>alert(3)</script><iframe src='https://evil.example'></iframe></p>"
    )
    assert "**bold**" in markdown and "[link](https://example.com/a)" in markdown
    assert "alert" not in markdown and "javascript" not in markdown and "evil" not in markdown


def test_nothing_useful_in_the_html_gives_nothing():
    assert rich_text.as_markdown("<button>Share</button><script>x()</script>") == ""


IMPORT = reverse("portability:markdown_import")
SAVE = reverse("portability:markdown_import_save")


def test_the_preview_reads_the_pasted_html_and_shows_it_as_markdown(owner_client):
    html = (SAMPLES / "ko_velog.html").read_text()
    plain = "2024년 회고와 2025년 계획\n\n목록 보기\n\n올해도 한 해를 돌아본다."

    response = owner_client.post(IMPORT, {"text": plain, "pasted_html": html})

    page = response.text
    assert response.status_code == 200
    assert "The formatting of the page you pasted was kept" in page
    assert "## 1월 ~ 4월" in page  # the box holds the Markdown now
    assert 'name="pasted_html" id="id_pasted_html"' in page
    assert "제주 한 달 살기" in page and "성산일출봉 [아침]" in page
    assert 'name="year" value="2024"' in page


def test_saving_the_preview_makes_the_year_from_the_markdown_it_showed(owner_client, owner):
    markdown = rich_text.as_markdown((SAMPLES / "en_medium.html").read_text())

    response = owner_client.post(SAVE, {"text": markdown, "year": "2024"})

    assert response.status_code == 302
    year = Year.objects.get(owner=owner, year=2024)
    assert year.title == "My 2024 in review, and what comes next"
    assert [e.title for e in year.periods.get(index=1).entries.all()] == ["Moving to Lisbon"]


def test_html_beyond_the_limit_leaves_the_plain_text_to_be_read(owner_client):
    html = "<p>" + "x" * (rich_text.MAX_CHARS + 1) + "</p>"
    text = "# 2024 review\n\n## Goals\n\n- [x] Swim\n"

    response = owner_client.post(IMPORT, {"text": text, "pasted_html": html})

    assert response.status_code == 200
    assert "Swim" in response.text
    assert "The formatting of the page you pasted was kept" not in response.text
