"""Sample people and years for a fresh site: `make run` calls this on every start."""

from __future__ import annotations

import datetime
import io
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageColor, ImageDraw, ImageFont

from accounts.models import User
from planner.images import process_avatar
from planner.models import (
    Comment,
    DailyViews,
    Direction,
    Entry,
    Goal,
    GoalUpdate,
    Like,
    Period,
    Photo,
    ProgressKind,
    Visibility,
    Year,
    period_index_for,
)

PHOTO_SIZE = (1200, 800)
AVATAR_SIZE = 512


# --- Pictures ----------------------------------------------------------------


@dataclass(frozen=True)
class Scene:
    """A landscape drawn from a few shapes: sky, sun, mountain ridges, sea."""

    sky: tuple[str, str]  # top, horizon
    sun: tuple[str, float, float, float] | None = None  # colour, x, y, radius (fractions)
    ridges: tuple[str, ...] = ()  # colours, back to front
    sea: tuple[str, str] | None = None  # horizon, shore
    horizon: float = 0.62
    seed: int = 1


SCENES = {
    "jeju_sunset": Scene(
        sky=("#2b2d6e", "#f7a072"),
        sun=("#ffd27a", 0.68, 0.56, 0.07),
        ridges=("#6b4e71",),
        sea=("#3d5a80", "#1b2a41"),
        seed=3,
    ),
    "jeju_noon": Scene(
        sky=("#4aa3df", "#cdeefd"),
        sun=("#fffbe0", 0.2, 0.18, 0.05),
        sea=("#2ec4b6", "#0b6e70"),
        horizon=0.5,
        seed=4,
    ),
    "jirisan_ridge": Scene(
        sky=("#7fb3d5", "#eaf2f8"),
        sun=("#fff6d5", 0.8, 0.12, 0.05),
        ridges=("#a9b8c9", "#6c8a9e", "#3e5c48", "#1f3326"),
        horizon=0.45,
        seed=7,
    ),
    "jirisan_dawn": Scene(
        sky=("#1e2a5a", "#ff9a76"),
        sun=("#ffe29a", 0.45, 0.6, 0.06),
        ridges=("#8a6f8f", "#4f4566", "#2a2540"),
        horizon=0.6,
        seed=8,
    ),
    "gangneung_dawn": Scene(
        sky=("#41436a", "#fdc5a3"),
        sun=("#ffb36b", 0.3, 0.63, 0.05),
        sea=("#5c6f99", "#22304d"),
        horizon=0.64,
        seed=9,
    ),
    "river_blossom": Scene(
        sky=("#f6b7c8", "#fde9ef"),
        ridges=("#c98fa7", "#8f6f8f"),
        sea=("#9bb7d4", "#5b7ea6"),
        horizon=0.58,
        seed=11,
    ),
    "busan_morning": Scene(
        sky=("#86c5f0", "#fef6e4"),
        sun=("#fff3b0", 0.75, 0.35, 0.06),
        ridges=("#7b93a8",),
        sea=("#3a86c8", "#12436b"),
        horizon=0.55,
        seed=12,
    ),
    "busan_dusk": Scene(
        sky=("#3b1f4a", "#f28f3b"),
        sun=("#ffcf56", 0.55, 0.66, 0.08),
        sea=("#6b3f69", "#2d1b33"),
        horizon=0.68,
        seed=13,
    ),
    "first_snow": Scene(
        sky=("#9fb4c7", "#f4f6f8"),
        ridges=("#e9eef3", "#c5d1dc", "#8797a8"),
        horizon=0.5,
        seed=17,
    ),
    "still_lake": Scene(
        sky=("#5d8fc2", "#dce9f5"),
        sun=("#fffae6", 0.3, 0.22, 0.04),
        ridges=("#4f7a5a", "#2f4f3a"),
        sea=("#6f9fc9", "#2d4f6e"),
        horizon=0.52,
        seed=19,
    ),
    "summer_hills": Scene(
        sky=("#2f80ed", "#bfe3ff"),
        sun=("#fffde7", 0.15, 0.15, 0.06),
        ridges=("#9ccc65", "#689f38", "#33691e"),
        horizon=0.5,
        seed=23,
    ),
}


def _rgb(colour: str) -> tuple[int, int, int]:
    return ImageColor.getrgb(colour)[:3]


def _gradient(size: tuple[int, int], top: str, bottom: str) -> Image.Image:
    """A vertical gradient, built as one column and stretched: far faster than per-line drawing."""
    width, height = size
    (r1, g1, b1), (r2, g2, b2) = _rgb(top), _rgb(bottom)
    column = Image.new("RGB", (1, height))
    column.putdata(
        [
            (
                r1 + (r2 - r1) * y // max(height - 1, 1),
                g1 + (g2 - g1) * y // max(height - 1, 1),
                b1 + (b2 - b1) * y // max(height - 1, 1),
            )
            for y in range(height)
        ]
    )
    return column.resize((width, height))


def _ridge(rng: random.Random, width: int, base: int, rise: int) -> list[tuple[int, int]]:
    """A mountain skyline: two slow waves for the shape, a little jitter for the rock."""
    waves = [(rng.uniform(1.5, 3.5), rng.uniform(0, math.tau), 0.28), (7, rng.uniform(0, 6), 0.1)]
    points = []
    for x in range(0, width + 20, 20):
        t = x / width * math.tau
        shape = 0.55 + sum(size * math.sin(t * speed + phase) for speed, phase, size in waves)
        points.append((x, int(base - rise * (shape + rng.uniform(-0.04, 0.04)))))
    return points


def draw_scene(scene: Scene, size: tuple[int, int] = PHOTO_SIZE) -> bytes:
    """A JPEG landscape, as bytes a phone might have uploaded."""
    width, height = size
    rng = random.Random(scene.seed)
    horizon = int(height * scene.horizon)
    image = _gradient(size, *scene.sky)
    draw = ImageDraw.Draw(image)
    if scene.sun:
        colour, x, y, radius = scene.sun
        cx, cy, r = int(width * x), int(height * y), int(width * radius)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
    # Over the sea the ridges stand on the horizon; on land each nearer one stands lower.
    bottom = horizon if scene.sea else height
    for depth, colour in enumerate(scene.ridges):
        base = horizon if scene.sea else horizon + (height - horizon) * depth // len(scene.ridges)
        points = _ridge(rng, width, base, rise=int(height * 0.3 / (depth + 1)))
        draw.polygon([(0, bottom), *points, (width, bottom)], fill=colour)
    if scene.sea:
        image.paste(_gradient((width, height - horizon), *scene.sea), (0, horizon))
        if scene.sun:  # the sun's glitter on the water
            cx = int(width * scene.sun[1])
            for y in range(horizon + 8, height, 14):
                half = rng.randint(10, 60)
                draw.line((cx - half, y, cx + half, y), fill=scene.sun[0], width=3)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def draw_avatar(initials: str, top: str, bottom: str) -> bytes:
    image = _gradient((AVATAR_SIZE, AVATAR_SIZE), top, bottom)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=AVATAR_SIZE // 3)
    centre = AVATAR_SIZE // 2
    draw.text((centre, centre), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


# --- Content -----------------------------------------------------------------
# Years are given relative to the current year ("offset"), so the demo stays fresh.
# A goal's deadline is (month, day) in its own year.

DEMO_YEARS = [
    {
        "offset": -2,
        "visibility": Visibility.PUBLIC,
        "intro": (
            "매년 이맘때면 쓰는 회고 글. 작년 이맘때 세운 목표를 하나씩 다시 꺼내 보니 민망한 "
            "것도 있고, 생각보다 잘한 것도 있다. 대학원 첫해라 정신없었지만, 솔직하게 적어 본다."
        ),
        "summary": (
            "돌아보면 **적응의 해**였다. 목표 일곱 개 중 세 개를 이뤘으니 숫자만 보면 아쉽지만, "
            "연구실에 자리를 잡았고 첫 논문을 처음부터 끝까지 써서 냈다는 것만으로도 의미가 "
            "있었다.\n\n"
            "내년에는 목표를 더 작게 쪼개고, 분기마다 한 번씩 이 페이지를 열어 보기로 한다. "
            "리젝된 논문은 다시 낸다. 두 번째 도전이다. 그리고 내년 회고는 영어로 써 보기로 "
            "했다. 영어 글쓰기 연습 겸."
        ),
        "goals": [
            {
                "title": "첫 논문 학회에 붙이기 (CVPR)",
                "note": "제출했지만 리젝. 리뷰를 반영해서 테크니컬 리포트로 공개했다.",
                "deadline": (11, 15),
            },
            {
                "title": "체중 8kg 감량 (86kg → 78kg)",
                "note": "5kg 빼고 81kg에서 정체. 야식을 끊은 건 칭찬한다.",
                "target": 8,
                "progress": 5,
                "unit": "kg",
            },
            {
                "title": "책 12권 읽기",
                "note": "9권에서 멈췄다. 그래도 작년 4권보다는 두 배 넘게 읽었다.",
                "target": 12,
                "progress": 9,
                "unit": "권",
            },
            {
                "title": "피아노 곡 3개 완주하기",
                "note": "쇼팽 녹턴 20번 하나 완성. 나머지 두 곡은 반쯤 치다 멈췄다.",
                "target": 3,
                "progress": 1,
                "unit": "곡",
            },
            {
                "title": "블로그에 한 달에 한 편씩 쓰기",
                "note": "12편 완료! 12월 31일 밤 11시에 마지막 한 편을 올렸다.",
                "target": 12,
                "progress": 12,
                "unit": "편",
                "done": True,
            },
            {
                "title": "운전면허 따기",
                "note": "도로주행 두 번 떨어지고 세 번째에 합격.",
                "deadline": (6, 30),
                "done": True,
            },
            {
                "title": "오픈소스 프로젝트에 PR 머지시키기",
                "note": "문서 오타 수정이었지만, 머지는 머지다.",
                "done": True,
            },
        ],
        "periods": {
            1: {
                "retrospective": (
                    "새 연구실, 새 동네, 새 루틴. 목표는 거의 손도 못 댔지만 적응 자체가 "
                    "목표였다고 우기기로 한다."
                ),
                "entries": [
                    {
                        "title": "연구실 첫 학기",
                        "body": (
                            "대학원 첫 학기가 시작됐다. 생각보다 **읽어야 할 논문이 훨씬 "
                            "많다.**\n\n"
                            "이번 학기에 한 것:\n\n"
                            "- 세미나 발표 두 번 (둘 다 떨면서)\n"
                            "- 연구실 서버 사용법 익히기\n"
                            "- 지도교수님과 주제 정하기 — 결국 비디오 이해 쪽으로\n\n"
                            "새 논문은 [arXiv 목록](https://arxiv.org/list/cs.CV/recent)에서 "
                            "매일 아침 훑어보는 중."
                        ),
                    },
                    {
                        "title": "운전면허 학원 등록",
                        "body": (
                            "드디어 등록했다. **필기는 한 번에 합격.** 기능 시험은 다음 달. "
                            "주차가 제일 무섭다."
                        ),
                    },
                    {
                        "title": "제주도 졸업 여행",
                        "body": (
                            "친구들과 3박 4일. **하루 2만 보**를 걸었고 귤을 너무 많이 먹었다.\n\n"
                            "- 첫날: 협재 해변\n"
                            "- 둘째 날: 성산일출봉 (일출은 늦잠으로 실패)\n"
                            "- 셋째 날: 비, 그리고 카페 투어"
                        ),
                        "photos": [
                            ("jeju_sunset", "해 지는 걸 보러 갔는데 구름이 먼저 와 있었다."),
                            ("jeju_noon", "바다 색 보정 안 했습니다. 진짜로."),
                        ],
                    },
                ],
            },
            2: {
                "retrospective": (
                    "실험이 돌아가기 시작하면서 드디어 대학원생이 된 기분. 운전면허라는 확실한 "
                    "성취가 하나 있어서 버틸 수 있었다."
                ),
                "entries": [
                    {
                        "title": "첫 논문 실험 시작",
                        "body": (
                            "베이스라인 재현에만 **3주**. 논문에 적힌 숫자가 안 나와서 한참 "
                            "헤맸는데, 알고 보니 데이터 전처리 한 줄 차이였다.\n\n"
                            "교훈:\n\n"
                            "1. 시드를 고정하자\n"
                            "2. 설정 파일도 커밋하자\n"
                            "3. 남의 코드를 믿지 말자 (내 코드는 더 믿지 말자)"
                        ),
                    },
                    {
                        "title": "운전면허 합격!",
                        "body": (
                            "도로주행 **세 번째 만에 합격.** 첫 번째는 깜빡이, 두 번째는 "
                            "정지선. 세 번째는 아무것도 기억이 안 난다. 아무튼 합격."
                        ),
                    },
                    {
                        "title": "여름 지리산 종주",
                        "body": (
                            "2박 3일 종주. 장터목 대피소에서 라면을 먹으며 **논문 생각을 하나도 "
                            "안 했다.** 그게 이번 여행의 성과.\n\n"
                            "[국립공원 대피소 예약](https://reservation.knps.or.kr/)은 열리자마자 "
                            "마감되니 알람 필수."
                        ),
                        "photos": [
                            ("jirisan_ridge", "이 산은 내 마감일에 관심이 없었다."),
                            ("jirisan_dawn", "천왕봉 일출. 사진으로는 추위가 안 담긴다."),
                        ],
                    },
                ],
            },
            3: {
                "retrospective": (
                    "마감, 마감, 그리고 또 마감. 논문은 냈고 결과는 리젝이었지만, 처음부터 "
                    "끝까지 써 본 경험은 남았다."
                ),
                "entries": [
                    {
                        "title": "CVPR 제출",
                        "body": (
                            "마감 **11분 전**에 제출 버튼을 눌렀다. 그 뒤로 이틀 동안 잠만 "
                            "잤다.\n\n"
                            "결과는 리젝. 리뷰어 세 명 중 한 명은 꽤 호의적이었다. 리뷰를 "
                            "반영해서 [테크니컬 리포트](https://arxiv.org/)로 먼저 공개했다."
                        ),
                    },
                    {
                        "title": "쇼팽 녹턴 20번",
                        "body": (
                            "피아노를 다시 시작하고 처음으로 **한 곡을 끝까지** 쳤다. 틀린 "
                            "데는 있지만 멈추지 않았다는 게 중요하다.\n\n"
                            "연습하면서 들은 연주: "
                            "[유튜브](https://www.youtube.com/results?search_query=chopin+nocturne+20)"
                        ),
                    },
                    {
                        "title": "연말 가족 여행",
                        "body": (
                            "부모님과 강릉에. 오랜만에 **일 얘기 없이** 사흘을 보냈다. 아버지가 "
                            "운전을 맡기셨다. 면허 딴 보람이 있다."
                        ),
                        "photos": [
                            (
                                "gangneung_dawn",
                                "일출 보러 새벽 다섯 시에 일어났는데 해보다 갈매기가 먼저 나왔다.",
                            ),
                        ],
                    },
                ],
            },
        },
    },
    {
        "offset": -1,
        "visibility": Visibility.UNLISTED,
        "intro": (
            "Second year of the PhD, and the first review I'm writing in English — partly as "
            "practice, partly so my labmates can read it. Same format as always: last year's "
            "goals first, graded honestly, then the year in three parts."
        ),
        "summary": (
            "A year of **second tries**. The paper was rejected again, but it is a much better "
            "paper now and it's out there as a technical report. I ran faster than I thought I "
            "could, read more than ever, and learned that 78 kg is a number I can reach, and "
            "not one I can keep without sleep.\n\n"
            "Five of eight is my best score so far. Next year: the third try, and fewer goals, "
            "each one smaller."
        ),
        "goals": [
            {
                "title": "Get the paper accepted (CVPR)",
                "again": "첫 논문 학회에 붙이기 (CVPR)",
                "note": "Submitted, rejected; became a technical report. Kinder reviews this time.",
                "deadline": (11, 14),
            },
            {
                "title": "Lose the last 3 kg (to 78 kg)",
                "note": "78.4 kg on December 1st. I'm calling it.",
                "target": 3,
                "progress": 3,
                "unit": "kg",
                "done": True,
            },
            {
                "title": "Read 12 books",
                "note": "14 — audiobooks on the commute count, I've decided.",
                "target": 12,
                "progress": 14,
                "unit": "books",
                "done": True,
            },
            {
                "title": "Finish 3 piano pieces",
                "again": "피아노 곡 3개 완주하기",
                "note": "1 / 3 again. Gymnopédie No. 1 is done; the Bach invention is stuck.",
                "target": 3,
                "progress": 1,
                "unit": "pieces",
            },
            {
                "title": "Run 10K under 55 minutes",
                "note": "53:41 at the autumn city race. Nearly threw up; worth it.",
                "deadline": (10, 19),
                "done": True,
            },
            {
                "title": "Cook 10 dishes from scratch",
                "note": "Six, and the kimchi stew is now actually good.",
                "target": 10,
                "progress": 6,
                "unit": "dishes",
            },
            {
                "title": "Call my parents every Sunday",
                "note": "Most Sundays. Honest count: about 40 of 52.",
            },
            {
                "title": "Give a talk at a meetup",
                "note": "Spoke at a Python meetup about data loaders. Shaky hands, good questions.",
                "done": True,
            },
        ],
        "periods": {
            1: {
                "retrospective": (
                    "Slow start. January went to rewriting the rejected paper; the running habit "
                    "started in March, mostly out of spite."
                ),
                "entries": [
                    {
                        "title": "Rewriting the paper",
                        "body": (
                            "Last year's reviews were fair, which was the worst part. The plan "
                            "for the rewrite:\n\n"
                            "- **new ablations** for the two things reviewer 2 asked about\n"
                            "- a real related-work section, not a list\n"
                            "- figures a tired person can read\n\n"
                            "The [author guidelines](https://cvpr.thecvf.com/) turned out to be "
                            "a good writing checklist, too."
                        ),
                    },
                    {
                        "title": "Couch to 5K, week 1",
                        "body": (
                            "Ran for **one minute**, walked for ninety seconds, eight times. "
                            "Felt like dying. The app said “Great job!” The app lies.\n\n"
                            "Following the classic [Couch to 5K](https://www.nhs.uk/live-well/"
                            "exercise/running-and-aerobic-exercises/get-running-with-couch-to-5k/) "
                            "plan."
                        ),
                    },
                    {
                        "title": "Cherry blossoms by the river",
                        "body": (
                            "A Saturday walk along the river with the lab. **Two hours, four "
                            "coffees**, zero talk about work (almost)."
                        ),
                        "photos": [
                            (
                                "river_blossom",
                                "The blossoms are just out of frame. So is the crowd.",
                            ),
                        ],
                    },
                ],
            },
            2: {
                "retrospective": (
                    "The best four months of the year: the talk, the running, and a week by the "
                    "sea without opening the laptop once."
                ),
                "entries": [
                    {
                        "title": "My first meetup talk",
                        "body": (
                            "Twenty minutes on **why your data loader is the bottleneck** (it "
                            "usually is). About forty people; three questions; one person asked "
                            "for the code, which is [on GitHub](https://github.com/).\n\n"
                            "Next time:\n\n"
                            "1. fewer slides\n"
                            "2. one live demo, not three\n"
                            "3. drink water *before*, not during"
                        ),
                    },
                    {
                        "title": "A week in Busan",
                        "body": (
                            "Haeundae at 6 a.m. is a different beach from Haeundae at noon. "
                            "**Swam every morning**, ate milmyeon every afternoon."
                        ),
                        "photos": [
                            (
                                "busan_morning",
                                "The laptop stayed in the bag. The bag stayed in the hotel.",
                            ),
                            ("busan_dusk", "Ten minutes after this, the mosquitoes found us."),
                        ],
                    },
                    {
                        "title": "Budget check",
                        "body": "Spent too much in Busan. Fine. **No new gadgets until October.**",
                        "private": True,
                    },
                ],
            },
            3: {
                "retrospective": (
                    "Deadline season again. The paper went in, the 10K went well, the last kilos "
                    "went away. Then December, the rejection email, and a lot of soup."
                ),
                "entries": [
                    {
                        "title": "10K in 53:41",
                        "body": (
                            "The autumn city race. The goal was under 55, so **1:19 to spare**. "
                            "Splits were a mess — the first kilometre far too fast — but the "
                            "last two were the fastest I've ever run.\n\n"
                            "Next: a half marathon. Probably. Ask me again in March."
                        ),
                    },
                    {
                        "title": "Submitted, again",
                        "body": (
                            "The second CVPR submission felt completely different: **the paper "
                            "was done a week early**, and the last week was just polishing.\n\n"
                            "Rejected in the end, with two weak accepts. The "
                            "[technical report](https://arxiv.org/) is up and the third try is "
                            "planned."
                        ),
                    },
                    {
                        "title": "First snow on the mountain",
                        "body": (
                            "A short hike to celebrate the deadline. Snow on the top, **nobody "
                            "else there**, a thermos of barley tea."
                        ),
                        "photos": [
                            (
                                "first_snow",
                                "My legs' opinion of the last 200 metres is not printable.",
                            ),
                        ],
                    },
                ],
            },
        },
    },
    {
        "offset": 0,
        "visibility": Visibility.PRIVATE,
        "intro": (
            "This one is written as the year goes: notes first, the polished version in "
            "December. Third year of the PhD — the year I want to defend the proposal and stop "
            "collecting half-finished piano pieces."
        ),
        "summary": (
            "Draft, to finish in December. So far: the paper is in, running is a habit now, "
            "and the piano is still the weak spot."
        ),
        "goals": [
            {
                "title": "Submit to ECCV",
                "again": "Get the paper accepted (CVPR)",
                "note": "Submitted with two days to spare. Reviews arrive in May.",
                "deadline": (3, 7),
                "done": True,
            },
            {
                "title": "Reach 76 kg",
                "note": "Holding at 77.5. The year is long.",
                "kind": "latest",
                "direction": "at_most",
                "start": 78,
                "target": 76,
                "readings": ["77.8", "77.2", "77.5"],
                "unit": "kg",
            },
            {"title": "Read 15 books", "target": 15, "progress": 5, "unit": "books"},
            {
                "title": "Finish 3 piano pieces",
                "again": "Finish 3 piano pieces",
                "note": "The Bach invention, finally — bar 14 and all.",
                "target": 3,
                "progress": 1,
                "unit": "pieces",
            },
            {
                "title": "Run a half marathon",
                "note": "Signed up. The training plan starts in June.",
                "deadline": (10, 18),
            },
            {"title": "Defend the thesis proposal", "deadline": (11, 30)},
            {"title": "Pay off the student loan", "note": "Two payments left.", "private": True},
        ],
        "periods": {
            1: {
                "retrospective": (
                    "The paper went in, early for once. Spring was mostly reading, rain, and "
                    "bar 14."
                ),
                "entries": [
                    {
                        "title": "ECCV submitted",
                        "body": (
                            "Third try, new venue. Submitted **two days before the deadline**, "
                            "which for me is practically a month.\n\n"
                            "What changed:\n\n"
                            "- a co-author who reads drafts the same day\n"
                            "- writing the method section *first*\n"
                            "- the [ECCV checklist](https://eccv.ecva.net/) taped to the monitor"
                        ),
                    },
                    {
                        "title": "Piano: past bar 14",
                        "body": (
                            "Eighteen months stuck on bar 14 of **Bach's Invention No. 8**. "
                            "Tonight it went through cleanly three times in a row. The "
                            "neighbours may disagree that this is news."
                        ),
                    },
                    {
                        "title": "A weekend at the lake",
                        "body": "No signal, **two books finished**, one sunburn in April.",
                        "photos": [
                            ("still_lake", "The lake was this still for exactly one photo.")
                        ],
                    },
                ],
            },
            2: {
                "retrospective": (
                    "Reviews, rebuttal, and long runs. The half marathon suddenly feels possible."
                ),
                "entries": [
                    {
                        "title": "Reviews are in",
                        "body": (
                            "Two weak accepts and a borderline. **Rebuttal written in four "
                            "days.** Now we wait, again."
                        ),
                    },
                    {
                        "title": "Long run: 18 km",
                        "body": (
                            "Longest run ever. Training notes:\n\n"
                            "- **gels every 5 km**, not when it already hurts\n"
                            "- the hill at km 12 is worse than it looks\n"
                            "- new shoes, old socks: never again"
                        ),
                        "photos": [
                            ("summer_hills", "Kilometre 15. I said I stopped for the view.")
                        ],
                    },
                ],
            },
            3: {
                "entries": [
                    {
                        "title": "Proposal draft v3",
                        "body": (
                            "Version three of the thesis proposal went to the committee. "
                            "**Forty pages**, and the outline finally fits on one slide."
                        ),
                    },
                    {
                        "title": "Taper week",
                        "body": "Two weeks to go. Running less, eating more, sleeping **a lot**.",
                    },
                ],
            },
        },
    },
    {
        "offset": 1,
        "visibility": Visibility.PRIVATE,
        "goals": [
            {"title": "Graduate — or at least set the date"},
            {"title": "Run a full marathon", "deadline": (11, 1)},
            {"title": "Read 15 books", "target": 15, "progress": 0, "unit": "books"},
            {"title": "Play a piece at the studio's year-end recital", "deadline": (12, 14)},
            {"title": "One week fully offline"},
        ],
    },
]

READER_YEARS = [
    {
        "offset": -1,
        "visibility": Visibility.PUBLIC,
        "published": (1, 5),
        "intro": (
            "My first year writing one of these, after reading a friend's for three years "
            "running. Short and honest."
        ),
        "summary": (
            "Three goals, two reached. Not bad for a first try; next year I'll write during the "
            "year instead of all in one evening."
        ),
        "goals": [
            {
                "title": "Run a half marathon",
                "note": "2:07:12, walked at every water station.",
                "done": True,
            },
            {
                "title": "Read 20 books",
                "note": "Thirteen. The trains got faster, apparently.",
                "target": 20,
                "progress": 13,
                "unit": "books",
            },
            {
                "title": "Learn to swim properly",
                "note": "Front crawl, 400 m without stopping.",
                "done": True,
            },
        ],
        "periods": {
            1: {
                "entries": [
                    {
                        "title": "Swimming lessons",
                        "body": (
                            "Adult beginners' class, **Tuesdays and Thursdays at 7 a.m.** Cold "
                            "water, warm people."
                        ),
                    },
                ],
            },
            2: {
                "entries": [
                    {
                        "title": "Half marathon!",
                        "body": (
                            "Finished in **2:07:12**.\n\n"
                            "- km 1–10: fine\n"
                            "- km 10–18: less fine\n"
                            "- km 18–21: [this song](https://www.youtube.com/results?"
                            "search_query=eye+of+the+tiger) on repeat"
                        ),
                    },
                ],
            },
            3: {
                "entries": [
                    {
                        "title": "Reading slump",
                        "body": (
                            "September to November: **two books**. December: five. Holidays "
                            "are for reading."
                        ),
                    },
                ],
            },
        },
    },
]

PEOPLE = [
    {
        "username": "demo",
        "password": "demo",
        "email": "demo@example.com",
        "display_name": "Jiwoo Han",
        "bio": "Researcher, Developer, Student",
        "avatar": ("JH", "#ff9a76", "#5b3a8c"),
        "years": DEMO_YEARS,
    },
    {
        "username": "reader",
        "password": "reader",
        "email": "reader@example.com",
        "display_name": "Mina Park",
        "bio": "Teacher, runner, reads on trains",
        "avatar": ("MP", "#43cea2", "#185a9d"),
        "years": READER_YEARS,
    },
]

ADMIN = {"username": "admin", "password": "admin", "email": "admin@example.com"}


# --- Writing it --------------------------------------------------------------


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A time on that day, but never in the future: a demo doesn't publish tomorrow."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(moment, timezone.now())


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def create_person(spec: dict, today: datetime.date) -> User:
    initials, top, bottom = spec["avatar"]
    user = User.objects.create_user(
        username=spec["username"],
        email=spec["email"],
        password=spec["password"],
        display_name=spec["display_name"],
        bio=spec["bio"],
        avatar=process_avatar(_upload("avatar.jpg", draw_avatar(initials, top, bottom))),
    )
    previous = None
    for year_spec in sorted(spec["years"], key=lambda year_spec: year_spec["offset"]):
        previous = create_year(user, year_spec, today, previous)
    return user


def create_year(owner: User, spec: dict, today: datetime.date, previous: Year | None) -> Year:
    number = today.year + spec["offset"]
    published_at = None
    if spec["visibility"] != Visibility.PRIVATE:
        published_at = _moment(datetime.date(number + 1, *spec.get("published", (1, 2))))
    year = Year.objects.create(
        owner=owner,
        year=number,
        visibility=spec["visibility"],
        intro=spec.get("intro", ""),
        summary=spec.get("summary", ""),
        published_at=published_at,
    )
    for order, goal_spec in enumerate(spec["goals"], start=1):
        goal = create_goal(year, goal_spec, order, previous)
        log_progress(goal, goal_spec, min(today, datetime.date(number, 12, 20)))
    # The year in progress has lived only up to today's period; its retrospective comes after.
    current = period_index_for(today.month) if number == today.year else 4
    for period in year.periods.filter(index__lte=current):
        period_spec = spec.get("periods", {}).get(period.index, {})
        if period.index < current and period_spec.get("retrospective"):
            period.retrospective = period_spec["retrospective"]
            period.save(update_fields=["retrospective"])
        for order, entry_spec in enumerate(period_spec.get("entries", []), start=1):
            create_entry(period, entry_spec, order)
    return year


def create_goal(year: Year, spec: dict, order: int, previous: Year | None) -> Goal:
    deadline = datetime.date(year.year, *spec["deadline"]) if "deadline" in spec else None
    done = spec.get("done", False)
    earlier = previous.goals.get(title=spec["again"]) if "again" in spec and previous else None
    return Goal.objects.create(
        year=year,
        title=spec["title"],
        note=spec.get("note", ""),
        target=spec.get("target"),
        unit=spec.get("unit", ""),
        progress_kind=spec.get("kind", ProgressKind.COUNT),
        direction=spec.get("direction", Direction.AT_LEAST),
        start_value=spec.get("start"),
        carried_from=earlier,
        attempt=earlier.attempt + 1 if earlier else 1,
        deadline=deadline,
        done=done,
        done_at=_moment(deadline or datetime.date(year.year, 12, 20)) if done else None,
        is_private=spec.get("private", False),
        order=order,
    )


def log_progress(goal: Goal, spec: dict, last_day: datetime.date) -> None:
    """Spread a goal's progress over the year as logged updates, so it has a history."""
    if "readings" in spec:
        values = [Decimal(reading) for reading in spec["readings"]]
    elif spec.get("progress"):
        progress = Decimal(spec["progress"])
        steps = int(progress) if progress == int(progress) and progress <= 14 else 1
        values = [progress / steps] * steps
    else:
        return
    first_day = datetime.date(goal.year.year, 1, 15)
    gap = max((last_day - first_day).days, 0) / max(len(values) - 1, 1)
    GoalUpdate.objects.bulk_create(
        GoalUpdate(goal=goal, value=value, recorded_on=first_day + datetime.timedelta(gap * i))
        for i, value in enumerate(values)
    )
    goal.recompute_progress()
    goal.save(update_fields=["progress"])


def create_entry(period: Period, spec: dict, order: int) -> Entry:
    entry = Entry.objects.create(
        period=period,
        title=spec["title"],
        body=spec["body"],
        is_private=spec.get("private", False),
        order=order,
    )
    for scene, caption in spec.get("photos", []):
        picture = _upload(f"{scene}.jpg", draw_scene(SCENES[scene]))
        Photo.objects.create_from_upload(entry, picture, caption=caption)
    return entry


def create_readership(writer: User, reader: User, today: datetime.date) -> None:
    """The reader likes the writer's shared posts, and they were read over the last 90 days."""
    for year in Year.objects.readable_by(reader).filter(owner=writer):
        Like.objects.create(year=year, user=reader)
        rng = random.Random(year.year)
        DailyViews.objects.bulk_create(
            DailyViews(year=year, day=today - datetime.timedelta(days=n), count=count)
            for n in range(90)
            if (count := rng.choice([0, 0, 1, 2, 3, 5, 8]) * (2 if n < 14 else 1))
        )


# A conversation under each shared post: (who, text, who answers, the answer).
CONVERSATIONS = [
    (
        "reader",
        "The bit about bar 14 made me laugh out loud on the bus. Rooting for the Bach!",
        "demo",
        "Thank you! Bar 14 and I have an understanding now. Mostly.",
    ),
    (
        "reader",
        "How did you keep the Sunday calls going all year? I always drop mine by March.",
        "demo",
        "A recurring alarm and low expectations: ten minutes counts.",
    ),
]


def create_conversations(writer: User, reader: User) -> None:
    """The reader comments on the writer's shared posts, and the writer answers."""
    people = {"demo": writer, "reader": reader}
    for year in Year.objects.readable_by(reader).filter(owner=writer).order_by("year"):
        for who, text, answerer, answer in CONVERSATIONS:
            comment = Comment.objects.create(year=year, author=people[who], body=text)
            Comment.objects.create(year=year, author=people[answerer], parent=comment, body=answer)


def describe(user: User) -> str:
    counts = {
        "year": Year.objects.filter(owner=user).count(),
        "goal": Goal.objects.filter(year__owner=user).count(),
        "entry": Entry.objects.filter(period__year__owner=user).count(),
        "photo": Photo.objects.filter(entry__period__year__owner=user).count(),
    }
    plurals = {"entry": "entries"}
    parts = [
        f"{n} {noun if n == 1 else plurals.get(noun, noun + 's')}" for noun, n in counts.items()
    ]
    return f"{user.username} ({', '.join(parts)})"


class Command(BaseCommand):
    help = (
        "Create the demo log-ins — demo/demo with three years and next year's goals, "
        "reader/reader with one public year, and the superuser admin/admin — "
        "unless they already exist. Existing users and their content are left alone."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be created; create nothing."
        )

    def handle(self, *args, dry_run: bool = False, verbosity: int = 1, **options) -> None:
        self.verbosity = verbosity
        today = timezone.localdate()
        missing = []
        for name in [*(spec["username"] for spec in PEOPLE), ADMIN["username"]]:
            if User.objects.filter(username=name).exists():
                self.say(f"User {name} already exists; left as it is.", level=2)
            else:
                missing.append(name)
        if not missing:
            self.say("The demo users already exist; nothing to do.")
            return
        if dry_run:
            self.say(f"Would create: {', '.join(missing)}.")
            return
        with transaction.atomic():
            for spec in PEOPLE:
                if spec["username"] in missing:
                    user = create_person(spec, today)
                    self.say(f"Created {describe(user)}, password “{spec['password']}”.")
            if {"demo", "reader"} <= set(missing):
                people = User.objects.in_bulk(["demo", "reader"], field_name="username")
                create_readership(people["demo"], people["reader"], today)
                create_conversations(people["demo"], people["reader"])
            if ADMIN["username"] in missing:
                User.objects.create_superuser(**ADMIN)
                self.say(f"Created superuser {ADMIN['username']}, password “{ADMIN['password']}”.")

    def say(self, message: str, level: int = 1) -> None:
        if self.verbosity >= level:
            self.stdout.write(message)
