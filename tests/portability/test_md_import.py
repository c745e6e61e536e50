"""The Markdown reader, against sample posts written in different loose styles."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from portability.markdown_import.parser import (
    LeftoverChoice,
    ParsedGoal,
    ParsedImage,
    QuestionKind,
    Role,
    guess_year,
    parse,
)

SAMPLES = Path(__file__).parent / "md_samples"


def read(name: str, year: int, **kwargs):
    return parse((SAMPLES / name).read_text(), year, **kwargs)


def entry_titles(post) -> list[list[str]]:
    return [[entry.title for entry in period.entries] for period in post.periods]


def test_it_reads_the_sites_own_export_layout():
    post = read("en_export.md", 2025)

    assert post.title == "2025 review and 2026 plan"
    assert post.intro == "Another year gone. Here is how it went."
    assert post.goals == [
        ParsedGoal(
            "Run a half marathon",
            True,
            "Finished in 2:05.\nMore note lines indented by two spaces",
        ),
        ParsedGoal("Read 24 books", False, "Read 11."),
        ParsedGoal("Learn to make bread", True, ""),
    ]
    assert [period.retrospective for period in post.periods] == [
        "A slow start, with a cold in February.",
        "Summer was all about the thesis.",
        "",
    ]
    assert entry_titles(post) == [
        ["Snow in Sapporo", "First 10 km"],
        ["The defence"],
        ["Half marathon"],
    ]
    snow = post.periods[0].entries[0]
    assert snow.body == "We walked for hours and ate too much."
    assert snow.images == [ParsedImage("Me, frozen", "photos/5f0c2d8e9a1b4c3d8e7f6a5b4c3d2e1f.jpg")]
    assert post.periods[1].entries[0].images == [
        ParsedImage("The committee, relieved", "https://yearloop.example/photos/12/fallback.jpg")
    ]
    assert post.summary == "A good year, and a tiring one."
    assert post.next_goals == ["Run a full marathon", "Read 12 books"]
    assert post.leftovers == []
    assert post.questions == []


def test_it_reads_a_loose_english_post_and_asks_about_a_quarter():
    post = read("en_loose.md", 2024)

    assert post.title == "My 2024 in review"
    assert post.goals == [
        ParsedGoal("Ship the side project", True, "launched in March"),
        ParsedGoal("Learn Spanish", False, "gave up after two months"),
        ParsedGoal("Move to a new flat", True, ""),
    ]
    assert entry_titles(post) == [["Launch"], ["Holidays", "Garden"], ["The move"]]
    assert post.periods[0].entries[0].images == [ParsedImage("launch day", "launch.png")]
    assert post.summary == "Busy, but happy."
    assert post.next_goals == ["Run a 10k", "Write every week"]
    assert [(left.where, left.text) for left in post.leftovers] == [
        ("Goals", "Some goals were too ambitious, honestly."),
        ("Q1", "## Q1\n\nA few words about the first quarter, which does not fit a period."),
    ]
    assert [(q.kind, q.heading) for q in post.questions] == [(QuestionKind.NOT_A_PERIOD, "Q1")]
    q1 = next(section for section in post.sections if section.heading == "Q1")
    assert q1.guess == Role.LEFTOVER
    # Leftovers go to the intro unless dropped.
    assert post.intro.startswith("Hi all! As every year, a look back.\n\nSome goals were too")


def test_it_reads_a_korean_post_with_bold_headings_and_emoji_goals():
    post = read("ko_bold.md", 2023)

    assert post.title == "2023년 결산 및 2024년 계획"
    assert post.intro == "올해도 어김없이 돌아온 결산 글."
    assert post.goals == [
        ParsedGoal("토익 900점", True, "920점으로 달성"),
        ParsedGoal("논문 제출", False, "제출했지만 떨어짐, 테크니컬 리포트로 공개"),
        ParsedGoal("매일 운동하기", True, ""),
        ParsedGoal("책 20권 읽기", False, "12권"),
    ]
    assert post.periods[0].retrospective == "졸업 준비로 정신없던 시기."
    assert entry_titles(post) == [["졸업식", "첫 출근"], ["여름 휴가"], ["이사"]]
    graduation = post.periods[0].entries[0]
    assert graduation.body == "드디어 졸업했다."
    assert graduation.images == [ParsedImage("졸업 사진", "graduation.jpg")]
    assert post.summary == "바빴지만 의미 있는 한 해였다."
    assert post.next_goals == ["운동 꾸준히 하기", "책 12권 읽기", "일본어 공부"]
    assert post.leftovers == []


def test_it_reads_a_korean_post_with_indented_notes_and_a_period_retrospective():
    post = read("ko_headings.md", 2023)

    assert post.title == "2023 회고"
    assert post.intro == "회사 2년차의 한 해를 돌아본다."  # from "들어가며"
    assert post.goals == [
        ParsedGoal("블로그 글 12개 쓰기", True, "한 달에 하나씩, 겨우 지켰다."),
        ParsedGoal("사이드 프로젝트 출시", False, "기획만 하다 끝났다.\n내년에는 꼭."),
        ParsedGoal("체중 70kg", False, ""),  # "-[ ]" without a space
        ParsedGoal("마라톤 완주", True, ""),  # "[v]"
    ]
    # "### 회고" inside a period is that period's retrospective, not an entry.
    assert post.periods[0].retrospective == "계획은 많았지만 실행은 적었다."
    assert entry_titles(post) == [["새해 첫 여행"], ["이직 준비"], ["새 회사"]]
    assert post.summary == "전체적으로 변화가 많은 해였다."
    assert post.next_goals == ["사이드 프로젝트 출시", "영어 회화"]
    assert post.leftovers == []


def test_it_reads_a_korean_post_with_top_level_headings_and_a_quarter():
    post = read("ko_mixed.md", 2023)

    assert post.goals == [
        ParsedGoal("자격증 취득", True, "정보처리기사 합격"),
        ParsedGoal("기타 배우기", False, "코드 몇 개만 익힘"),
        ParsedGoal("금연", True, ""),
    ]
    assert entry_titles(post) == [["봄 소풍"], [], ["연말 파티"]]
    assert post.periods[1].retrospective == "여름은 조용히 지나갔다."
    assert post.periods[2].entries[0].images == [
        ParsedImage("파티", "https://example.com/party.jpg")
    ]
    assert post.summary == "그럭저럭 괜찮은 해."
    assert post.next_goals == ["기타 코드 10개", "해외여행"]
    assert [(left.where, left.text) for left in post.leftovers] == [
        ("1분기", "# 1분기\n\n1분기는 따로 적어 둔다.")
    ]
    assert [q.kind for q in post.questions] == [QuestionKind.NOT_A_PERIOD]


@pytest.mark.parametrize(
    ("line", "done", "title", "note"),
    [
        ("- [x] Run : 2:05", True, "Run", "2:05"),
        ("- [ ] Read 24 books: read 11", False, "Read 24 books", "read 11"),
        ("-[ ] Swim", False, "Swim", ""),
        ("- [v] Bake — sourdough", True, "Bake", "sourdough"),
        ("* [X] Move - done in May", True, "Move", "done in May"),
        ("1. [x] Numbered", True, "Numbered", ""),
        ("✅ 토익 : 920점", True, "토익", "920점"),
        ("☑ 금연", True, "금연", ""),
        ("⬜ 기타 — 조금", False, "기타", "조금"),
        ("- Plain list item", False, "Plain list item", ""),
    ],
)
def test_it_reads_goal_lines_in_many_spellings(line, done, title, note):
    post = parse(f"## Goals\n\n{line}\n", 2025)

    assert post.goals == [ParsedGoal(title, done, note)]


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("1월 ~ 4월", Role.PERIOD_1),
        ("1~4월", Role.PERIOD_1),
        ("1월-4월", Role.PERIOD_1),
        ("5월 ~ 8월", Role.PERIOD_2),
        ("9~12월", Role.PERIOD_3),
        ("January – April", Role.PERIOD_1),
        ("January–April", Role.PERIOD_1),
        ("Jan–Apr", Role.PERIOD_1),
        ("Jan-Apr", Role.PERIOD_1),
        ("May–August", Role.PERIOD_2),
        ("Sep – Dec", Role.PERIOD_3),
        ("**September–December**", Role.PERIOD_3),
        ("Q1", Role.LEFTOVER),
        ("1~3월", Role.LEFTOVER),
        ("상반기", Role.LEFTOVER),
        ("Overall", Role.SUMMARY),
        ("Summary", Role.SUMMARY),
        ("Retrospective", Role.SUMMARY),
        ("정리", Role.SUMMARY),
        ("회고", Role.SUMMARY),
        ("총평", Role.SUMMARY),
        ("2023년 회고", Role.SUMMARY),
        ("🙏 정리하며", Role.SUMMARY),
        ("Overall thoughts", Role.SUMMARY),
        ("방 정리", Role.LEFTOVER),
        ("전반적인 정리", Role.SUMMARY),
        ("전반적 정리", Role.SUMMARY),
        ("한 해 정리", Role.SUMMARY),
        ("올해의 총평", Role.SUMMARY),
        ("2025년 전체 회고", Role.SUMMARY),
        ("Final thoughts", Role.SUMMARY),
        ("책상 정리", Role.LEFTOVER),
        ("Finally home", Role.LEFTOVER),
        ("2026 goals", Role.NEXT_GOALS),
        ("2026년 목표", Role.NEXT_GOALS),
        ("Next year", Role.NEXT_GOALS),
        ("내년 목표", Role.NEXT_GOALS),
        ("2025 goals", Role.GOALS),
        ("Goals", Role.GOALS),
        ("목표", Role.GOALS),
        ("올해 목표", Role.GOALS),
        ("Travels", Role.LEFTOVER),
        ("Planting the garden", Role.LEFTOVER),
        ("Plans for 2026", Role.NEXT_GOALS),
    ],
)
def test_it_recognises_section_headings(heading, role):
    post = parse(f"# 2025\n\n## {heading}\n\nSome text.\n", 2025)

    assert [section.guess for section in post.sections] == [role]


def test_it_accepts_bold_lines_as_headings_at_any_level():
    text = "**2025 goals**\n\n- [x] Rest\n\n## Jan–Apr\n\n**Trip**\n\nThe sea.\n"

    post = parse(text, 2025)

    assert post.goals == [ParsedGoal("Rest", True, "")]
    assert entry_titles(post) == [["Trip"], [], []]
    assert post.periods[0].entries[0].body == "The sea."


def test_it_asks_when_the_title_names_another_year():
    post = parse("# 2022 review\n\n## Goals\n\n- [x] Rest\n", 2025)

    assert [(q.kind, q.year) for q in post.questions] == [(QuestionKind.TITLE_YEAR, 2022)]


def test_it_follows_the_chosen_roles_and_leftover_choices():
    text = (SAMPLES / "en_loose.md").read_text()
    q1 = next(s.line for s in parse(text, 2024).sections if s.heading == "Q1")

    post = parse(text, 2024, roles={q1: "period2"}, choices={13: "drop"})

    # In the order of the post: "Q1" comes before "May-Aug".
    assert entry_titles(post)[1] == ["Q1", "Holidays", "Garden"]
    assert [left.choice for left in post.leftovers] == [LeftoverChoice.DROP]
    assert "too ambitious" not in post.intro


@pytest.mark.parametrize(
    ("choice", "where"),
    [
        ("summary", lambda post: post.summary),
        ("period2", lambda post: post.periods[1].retrospective),
        ("intro", lambda post: post.intro),
    ],
)
def test_a_leftover_goes_where_the_person_chooses(choice, where):
    text = "# 2024\n\n## Random thoughts\n\nThe year was kind.\n\n## May–Aug\n\nWarm.\n"
    line = parse(text, 2024).leftovers[0].line

    post = parse(text, 2024, choices={line: choice})

    assert "The year was kind." in where(post)
    assert [left.choice for left in post.leftovers] == [choice]
    others = [post.intro, post.summary, *(p.retrospective for p in post.periods)]
    assert sum("The year was kind." in text for text in others) == 1


def test_an_unknown_leftover_choice_keeps_the_text_in_the_intro():
    text = "# 2024\n\n## Random thoughts\n\nThe year was kind.\n"
    line = parse(text, 2024).leftovers[0].line
    assert "The year was kind." in parse(text, 2024, choices={line: "nowhere"}).intro


def test_it_ignores_headings_inside_code_blocks():
    post = parse("## Jan–Apr\n\n### Code\n\n```\n## 2026 goals\n- not a goal\n```\n", 2025)

    assert post.next_goals == []
    assert "## 2026 goals" in post.periods[0].entries[0].body


def test_it_turns_images_outside_entries_into_links_or_their_caption_and_file_name():
    web = "https://example.com/img/snow.jpg"
    post = parse(f"# 2025\n\nHello ![me](me.jpg)\n\n## Jan–Apr\n\n![snow]({web})\n", 2025)

    assert post.intro == "Hello me (me.jpg)"
    assert post.periods[0].retrospective == f"[snow]({web})"
    assert post.loose_images == [ParsedImage("me", "me.jpg"), ParsedImage("snow", web)]


def test_it_clips_overlong_titles_and_keeps_the_whole_text_in_the_note():
    long_title = "word " * 60

    post = parse(f"## Goals\n\n- [x] {long_title}\n", 2025)

    assert len(post.goals[0].title) == 200
    assert post.goals[0].note == long_title.strip()


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("# 2025 review and 2026 plan\n", 2025),
        ("# 2023년 결산 및 2024년 계획\n", 2023),
        # No year in the title: the dates inside, then goal headings a year apart, then the
        # only year it names.
        ("# My year\n\nWe moved on 2023-05-02 and again on 2023.11.20. In 2024, rest.", 2023),
        ("# 한 해\n\n2023년 3월에 입사, 2023년 9월에 이사. 2024년에는 쉬자.", 2023),
        ("# A year\n\nIt began on March 3, 2022 and ended in Dec 2022.", 2022),
        ("# My year\n\n## 2024 goals\n\n- [x] Run\n\n## 2025 goals\n\n- Swim\n", 2024),
        ("# 회고\n\n**2021년 목표**\n\n- [x] 운동\n\n**2022년 목표**\n\n- 독서\n", 2021),
        ("# My year\n\n2024 was long.", 2024),
        ("Intro first\n# 2024", 2024),
        # Nothing says, or it says too much: the form asks.
        ("# My year\n\nNothing dated here.", None),
        ("# My year\n\n2019 and 2024 were both hard.", None),
        ("# Trip\n\n![sea](https://cdn.example/2019/05/sea.jpg)", None),
    ],
)
def test_it_guesses_the_year_from_the_title_or_what_the_post_says(text, year):
    assert guess_year(text) == year


def test_it_keeps_bold_lines_and_deeper_headings_in_an_entrys_text():
    text = "## Jan–Apr\n\n### Trip\n\n**Day one**\n\nSea.\n\n#### Detail\n\nSand.\n\n### Home\n"

    post = parse(text, 2025)

    assert entry_titles(post) == [["Trip", "Home"], [], []]
    assert post.periods[0].entries[0].body == "**Day one**\n\nSea.\n\n#### Detail\n\nSand."


def test_it_reads_entries_with_any_headings_under_a_bold_period():
    text = "**1~4월**\n\n### 졸업\n\n끝.\n\n### 입사\n\n시작.\n\n## 2026년 목표\n\n- 쉬기\n"

    post = parse(text, 2025)

    assert entry_titles(post) == [["졸업", "입사"], [], []]
    assert post.next_goals == ["쉬기"]


def test_it_reads_escaped_brackets_in_captions():
    post = parse("## Jan–Apr\n\n### Trip\n\n![a \\[big\\] wave](wave.jpg)\n", 2025)

    assert post.periods[0].entries[0].images == [ParsedImage("a [big] wave", "wave.jpg")]


def test_it_reads_blank_lines_inside_a_goals_note():
    post = parse("## 2025 goals\n\n- [x] Run — first\n\n  second\n- [ ] Swim\n", 2025)

    assert post.goals == [ParsedGoal("Run", True, "first\n\nsecond"), ParsedGoal("Swim", False, "")]


def test_it_keeps_an_entry_whose_title_merely_contains_a_summary_word():
    post = parse("**9~12월**\n\n**방 정리**\n\n버렸다.\n\n**총평**\n\n좋았다.\n", 2025)

    assert entry_titles(post) == [[], [], ["방 정리"]]
    assert post.summary == "좋았다."


def test_it_reads_a_first_heading_that_names_a_section_as_that_section():
    post = parse("# 2025 goals\n\n- [x] Rest\n\n# Jan–Apr\n\nQuiet.\n", 2025)

    assert post.title == ""
    assert post.goals == [ParsedGoal("Rest", True, "")]
    assert post.periods[0].retrospective == "Quiet."


def test_it_does_not_take_a_line_with_two_bold_parts_for_a_heading():
    post = parse("## Jan–Apr\n\n### Trip\n\n**Sea** and **sand**\n", 2025)

    assert post.periods[0].entries[0].body == "**Sea** and **sand**"
    assert entry_titles(post) == [["Trip"], [], []]


def test_a_summary_headed_by_a_phrase_for_the_whole_year_is_the_summary_not_the_intro():
    text = (
        "# 2024 회고\n\n올해도 돌아본다.\n\n## 목표\n\n- [x] 토익 900점 : 920점\n\n"
        "## 1월 ~ 4월\n\n### 제주 여행\n\n바람이 많이 불었다.\n\n"
        "## 전반적인 정리\n\n생각보다 많이 움직인 한 해였다.\n"
    )

    post = parse(text, 2024)

    assert post.summary == "생각보다 많이 움직인 한 해였다."
    assert "생각보다" not in post.intro and post.intro == "올해도 돌아본다."
    assert entry_titles(post) == [["제주 여행"], [], []]


JEKYLL = """---
layout: post
title: "2014년 회고"
date: 2015-01-03 10:00:00 +0900
tags:
  - 회고
---

올해도 돌아본다.

## 2014년 목표

- [x] 운동
- [ ] 독서

## 2015년 목표

- 여행
"""


def test_a_file_from_a_static_site_generator_gives_its_title_not_its_publishing_year():
    year = guess_year(JEKYLL)
    post = parse(JEKYLL, year)

    assert year == 2014  # the title's, not the publishing date's
    assert post.title == "2014년 회고"
    assert post.intro == "올해도 돌아본다."
    assert [(goal.title, goal.done) for goal in post.goals] == [("운동", True), ("독서", False)]
    assert post.next_goals == ["여행"]
    assert post.questions == [] and post.leftovers == []


def test_a_heading_title_wins_over_the_front_matters_and_lines_keep_their_numbers():
    text = "---\ntitle: Old name\n---\n# 2020 in review\n\n## Goals\n\n- [x] Walk\n"
    post = parse(text, 2020)
    assert post.title == "2020 in review"
    assert post.sections[0].line == 6  # the same line as in the file


def test_a_post_that_opens_with_a_horizontal_rule_keeps_its_text():
    text = "---\nA line of my own.\n---\n\n## Goals\n\n- [x] Walk\n"
    post = parse(text, 2020)
    assert "A line of my own." in post.intro


def test_titles_are_plain_words_without_markdown_marks_or_images():
    text = (
        "# 2015년 결산 ![](https://example.com/x.png)\n\n"
        "## 2015 goals\n\n- [x] **일본어** JLPT N3 합격 — 한 번에\n"
        "- [ ] [Read](https://a.b/c) more\n\n"
        "## 2016 goals\n\n- **Swim** weekly\n"
    )
    post = parse(text, 2015)
    assert post.title == "2015년 결산"
    assert [goal.title for goal in post.goals] == ["일본어 JLPT N3 합격", "Read more"]
    assert post.goals[0].note == "한 번에"
    assert post.next_goals == ["Swim weekly"]


@pytest.mark.parametrize(
    ("name", "year", "intro", "published"),
    [
        # Saved from the pages by someone else: the byline, counters and buttons above
        # the post, the author's card, "More from" and the site's footer below it.
        (
            "en_medium_saved.md",
            2019,
            "It was my first year out of university. Here is how it went.",
            datetime.date(2019, 12, 29),
        ),
        ("ko_velog_saved.md", 2022, "> 매년 쓰는 회고, 올해도 씁니다.", datetime.date(2023, 1, 3)),
    ],
)
def test_markdown_saved_from_a_page_keeps_the_post_and_its_day_not_the_page(
    name, year, intro, published
):
    post = read(name, year)

    assert post.intro == intro
    assert post.published == published
    assert post.leftovers == []
    assert len(post.goals) >= 3 and len(post.next_goals) >= 3
    tail = "\n".join([post.summary, *post.next_goals, *(p.retrospective for p in post.periods)])
    for chrome in ("Follow", "min read", "Recommended from Medium", "Help", "프론트엔드 개발자"):
        assert chrome not in tail and chrome not in post.intro


def test_goals_marked_the_ways_people_mark_them():
    post = parse(
        "# 2024\n\n## 목표\n\n- O 운동\n- X 독서 : 못했다\n- 🔺 수영 : 절반\n- 영어 (완료)\n"
        "- ~~일본어~~ : 포기\n- Overall fitness\n",
        2024,
    )

    assert [(goal.title, goal.done, goal.note) for goal in post.goals] == [
        ("운동", True, ""),
        ("독서", False, "못했다"),
        ("수영", False, "절반"),
        ("영어", True, ""),
        ("일본어", False, "포기"),
        ("Overall fitness", False, ""),
    ]
