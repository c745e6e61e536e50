"""Text copied from a published blog page is read like a Markdown post, its chrome left out.

The samples in page_samples/ are written in the shape of three platforms' pages as a
browser copies them (a Korean developer blog with a series, a Korean portal blog, an
English blog): no "#" headings, goal lines as "-[v] title : note", "•" lists, and the
page's counters, buttons, byline and author card around the post.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from portability.markdown_import.page_text import as_markdown, is_page_text, spaced
from portability.markdown_import.parser import guess_year, parse

SAMPLES = Path(__file__).parent / "page_samples"

EXPECTED = {
    "ko_velog.txt": {
        "year": 2024,
        "title": "2024년 회고와 2025년 계획",
        "goals": [
            ("책 24권 읽기", True, "27권 읽었다"),
            ("하프 마라톤 완주", False, "10km까지만 뛰었다"),
            ("사이드 프로젝트 출시", True, "3월에 출시했다"),
        ],
        "entries": [["제주 한 달 살기", "첫 출시"], ["이사"], ["하프 마라톤 준비"]],
        "summary": "생각보다 많이 움직인 한 해였다. 목표의 절반 이상을 이뤘다.",
        "next_goals": ["하프 마라톤 완주", "책 30권 읽기"],
    },
    "ko_naver.txt": {
        "year": 2023,
        "title": "[회고] 2023년을 보내며",
        "goals": [
            ("매일 일기 쓰기", True, "300일 정도 썼다"),
            ("운전면허 따기", True, ""),
            ("영어 회화", False, "학원만 등록했다"),
        ],
        "entries": [["봄 소풍"], ["운전면허"], ["연말 정산"]],
        "summary": "작은 목표들을 꾸준히 이룬 해.",
        "next_goals": ["영어 회화 다시 시작", "주말마다 운전하기"],
    },
    "en_blog.txt": {
        "year": 2024,
        "title": "My 2024 in review, and what comes next",
        "goals": [("Read 20 books", True, "read 23"), ("Learn Spanish", False, "stopped in March")],
        "entries": [["Moving to Lisbon"], ["The garden"], ["Back to running"]],
        "summary": "A calmer year than planned, and a better one.",
        "next_goals": ["Run a half marathon", "Speak Spanish with the neighbours"],
    },
    # Pages built of <div>s are copied with no empty line between their blocks, and with
    # the site's menu, the category and the footer around the post.
    "ko_tistory_dense.txt": {
        "year": 2022,
        "title": "2022년 회고",
        "goals": [
            ("자격증 따기", True, "정보처리기사 합격"),
            ("다이어트", False, "3kg 빠졌다가 다시 쪘다"),
            ("부모님과 여행", True, "경주에 다녀왔다"),
        ],
        "entries": [["필기 시험"], ["실기 시험", "경주 여행"], ["이직"]],
        "summary": "하나씩 해낸 해였다.",
        "next_goals": ["다이어트 다시 하기", "영어 공부"],
    },
    "en_wordpress_dense.txt": {
        "year": 2022,
        "title": "2022: how it went",
        "goals": [
            ("Run a 10k", True, "58 minutes in October"),
            ("Write a novel", False, "two chapters"),
        ],
        "entries": [["The new job"], ["Camping in Wales"], ["The race"]],
        "summary": "Less than planned, more than expected.",
        "next_goals": ["Finish the novel", "Run a half marathon"],
    },
    # Copied by someone else from four more platforms' pages, whole: menus, tags, series
    # boxes, previous and next posts, author cards, comment threads and footers included.
    "ko_velog_dense.txt": {
        "year": 2024,
        "title": "2024년 회고 — 버티는 한 해",
        "goals": [
            ("매일 1일 1커밋", True, "300일 정도 달성"),
            ("책 24권 읽기", False, "11권에서 멈춤"),
            ("하프 마라톤 완주", True, ""),
            ("이직하기", True, ""),
            ("영어 회화 주 2회", False, ""),
        ],
        "entries": [[], [], []],
        "summary": "올해는 버티는 해였다. 그래도 달리기라는 습관 하나를 얻었다.",
        "next_goals": ["책 24권 읽기 (재도전)", "풀 마라톤 도전", "블로그 월 2회 쓰기"],
    },
    "ko_tistory_footer.txt": {
        "year": 2023,
        "title": "2023 회고 - 이사, 수영, 그리고 책",
        "goals": [
            ("이사하기", True, "드디어 원룸 탈출"),
            ("책 20권 읽기", False, "이번에도 실패 (12권)"),
            ("수영 1km 쉬지 않고", True, ""),
        ],
        "entries": [[], [], []],
        "summary": "집이 생기니 마음이 편하다.",
        "next_goals": ["책 20권 읽기", "10km 마라톤"],
    },
    "en_wordpress_footer.txt": {
        "year": 2020,
        "title": "2020 Year in Review: The Pandemic Year",
        "goals": [
            ("Move to Seoul", True, ""),
            ("Get a driver's license", False, "postponed, covid"),
            ("Learn Python basics", True, ""),
        ],
        "entries": [[], [], []],
        "summary": "Strange year, but I grew.",
        "next_goals": ["TOEIC 900", "운전면허 따기", "Start a YouTube channel", "다이어트 5kg"],
    },
    "en_substack.txt": {
        "year": 2021,
        "title": "My 2021, in three parts",
        "goals": [
            ("TOEIC 900", True, "905!"),
            ("Get a driver's license", True, "third time lucky"),
            ("Read 20 books", False, "15, closer"),
            ("Start a YouTube channel", False, ""),
        ],
        "entries": [[], [], []],
        "summary": "Slow but steady.",
        "next_goals": ["Read 20 books", "Learn to swim"],
    },
}
CHROME = [
    "목록 보기",
    "5/5",
    "연간 회고",
    "0개의 댓글",
    "댓글 쓰기",
    "profile",
    "기록하는 개발자",
    "dev_haneul",
    "이웃추가",
    "공감",
    "신고하기",
    "2024. 1. 1.",
    "Share",
    "Follow",
    "12 comments",
    "Jane Park",
    "방명록",
    "일상",
    "저작권자 표시",
    "Skip to content",
    "Posted on",
    "Share this",
    "Leave a comment",
    "More from Jane Park",
    "Lisbon, six months in",
    "Related posts",
    "the first review",
    "이지은",
    "멋져요",
    "2023 회고",
    "프론트엔드 개발자",
    "게시글 관리",
    "카테고리",
    "Proudly powered",
    "Your email address",
    "Discussion about this post",
    "Substack is the home",
    "Sign in",
]


@pytest.mark.parametrize("name", list(EXPECTED))
def test_it_reads_copied_page_text_without_any_mapping(name):
    text = spaced((SAMPLES / name).read_text())
    expected = EXPECTED[name]

    year = guess_year(text)
    post = parse(text, year)

    assert year == expected["year"]
    assert post.title == expected["title"]
    assert [(goal.title, goal.done, goal.note) for goal in post.goals] == expected["goals"]
    assert [[entry.title for entry in period.entries] for period in post.periods] == (
        expected["entries"]
    )
    assert post.summary == expected["summary"]
    assert post.next_goals == expected["next_goals"]
    assert post.leftovers == []
    everything = "\n".join(
        [post.intro, post.summary, *post.next_goals]
        + [period.retrospective for period in post.periods]
        + [entry.body for period in post.periods for entry in period.entries]
    )
    assert not [chrome for chrome in CHROME if chrome in everything]


def test_an_entrys_paragraphs_stay_its_text():
    post = parse((SAMPLES / "ko_velog.txt").read_text(), 2024)

    first, second = post.periods[0].entries
    assert (
        first.body
        == "회사에 양해를 구하고 제주에서 한 달을 살았다. 바람이 많이 불었지만 매일 걸었다."
    )
    assert second.body == "사이드 프로젝트를 드디어 세상에 내놓았다. 사용자는 열 명이었다."


def test_it_keeps_the_lines_where_they_were():
    # The preview's choices are kept by line number: the reading must not move lines.
    text = (SAMPLES / "en_blog.txt").read_text()
    assert len(as_markdown(text, 2024).split("\n")) == len(text.split("\n"))


@pytest.mark.parametrize(
    "text",
    [
        "# 2024\n\n## Goals\n\n- [x] Read\n",
        "**2024 회고**\n\n본문\n",
        "  ## Goals\n\n- [ ] Swim\n",
    ],
)
def test_markdown_with_headings_is_left_as_it_is(text):
    assert not is_page_text(text)
    assert as_markdown(text, 2024) == text


def test_a_sentence_that_names_a_section_word_is_not_a_heading():
    text = "Goals\n\n-[v] Read\n\nJan–Apr\n\nTrip\n\n내년에 다시 도전한다.\n\nMore text.\n"
    post = parse(text, 2024)
    assert post.next_goals == []
    assert post.periods[0].entries[0].title == "Trip"


def test_text_with_empty_lines_or_markdown_headings_is_not_spaced():
    spaced_already = (SAMPLES / "ko_velog.txt").read_text()
    markdown = "# 2024\n## Goals\n- [x] a\n- [ ] b\n## Jan-Apr\n### Trip\nText\nMore text\n"

    assert spaced(spaced_already) == spaced_already
    assert spaced(markdown) == markdown
    assert spaced("2024\nshort\n") == "2024\nshort\n"


def test_dense_page_text_is_spaced_line_by_line():
    dense = (SAMPLES / "en_wordpress_dense.txt").read_text()

    lines = spaced(dense).split("\n")

    assert lines[0] == "Skip to content" and lines[1] == "" and lines[2].startswith("Posted on")
    assert len([line for line in lines if line]) == len(dense.strip().split("\n"))


def test_a_heading_like_recommended_inside_the_post_keeps_what_follows():
    text = (
        "My 2024\n\nGoals\n\n-[v] Read more\n\nLooking back\n\nRecommended reading\n\n"
        "Three books changed how I work, and I would give each of them to a friend without "
        "a second thought, which says more than any review.\n"
    )

    post = parse(text, 2024)

    assert "Three books changed how I work" in post.summary


@pytest.mark.parametrize(
    ("name", "published"),
    [
        ("ko_velog.txt", datetime.date(2024, 12, 30)),
        ("ko_naver.txt", datetime.date(2024, 1, 1)),
        ("ko_tistory_dense.txt", datetime.date(2023, 1, 2)),
        ("en_blog.txt", datetime.date(2025, 1, 3)),
        ("en_wordpress_dense.txt", datetime.date(2023, 1, 4)),
    ],
)
def test_it_reads_the_day_the_page_was_published_from_its_byline(name, published):
    text = spaced((SAMPLES / name).read_text())

    assert parse(text, guess_year(text)).published == published


def test_a_date_far_from_the_year_or_to_come_is_not_taken_for_the_publishing_day():
    assert parse("My 2020\n\nJane · Jan 3, 2025\n\nGoals\n\n-[v] Rest\n", 2020).published is None
    assert parse("My 2020\n\nJane · Jan 3, 2099\n\nGoals\n\n-[v] Rest\n", 2098).published is None
    front = "---\ntitle: Looking back\ndate: 2024-01-03T10:00:00+09:00\n---\n\n## Goals\n"
    assert parse(front, 2023).published == datetime.date(2024, 1, 3)


def test_goal_lines_that_name_goals_stay_goals():
    text = spaced(
        "My 2007\nGoals\n- [x] Ship the app\n- [x] Hit my savings goal: 10M won\n"
        "- [ ] Reach goal weight of 55kg\n- [ ] 목표 체중 55kg 달성\n- [x] 목표했던 자격증 취득\n"
        "✅ Goal: 12 books\nO 운동 목표 달성\nJan. – Apr.\nA quiet start, mostly reading.\n"
    )

    post = parse(text, 2007)

    assert [(goal.title, goal.done) for goal in post.goals] == [
        ("Ship the app", True),
        ("Hit my savings goal", True),
        ("Reach goal weight of 55kg", False),
        ("목표 체중 55kg 달성", False),
        ("목표했던 자격증 취득", True),
        ("Goal", True),
        ("운동 목표 달성", True),
    ]
    assert post.periods[0].retrospective == "A quiet start, mostly reading."
