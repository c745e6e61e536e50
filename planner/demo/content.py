"""The demo's people and posts, as plain data that planner/demo/build.py writes.

Years are given relative to the current year ("offset"), so the demo stays fresh, and each
post knows only what had happened by the time it was published (January of the next year).
A goal's deadline is (month, day) in its own year, and so is the day it was reached
("reached", else its deadline, else December 20); a photo is (scene, caption), its scene
one of planner/demo/pictures.py's SCENES; visibilities, progress kinds and directions are
the stored values of the models' choices; "reads" is how often an entry was opened on its own.
"""

from __future__ import annotations

DEMO_YEARS = [
    {
        "offset": -2,
        "visibility": "public",
        "intro": (
            "매년 이맘때면 쓰는 회고 글. 작년 이맘때 세운 목표를 하나씩 다시 꺼내 보니 민망한 "
            "것도 있고, 생각보다 잘한 것도 있다. 대학원 첫해라 정신없었지만, 솔직하게 적어 본다."
        ),
        "summary": (
            "돌아보면 **적응의 해**였다. 목표 일곱 개 중 세 개를 이뤘으니 숫자만 보면 아쉽지만, "
            "연구실에 자리를 잡았고 첫 논문을 처음부터 끝까지 써서 냈다는 것만으로도 의미가 "
            "있었다.\n\n"
            "내년에는 목표를 더 작게 쪼개고, 분기마다 한 번씩 이 페이지를 열어 보기로 한다. "
            "논문 결과는 2월에 나온다. 떨어지면 다시 낸다. 두 번째 도전이다. 그리고 내년 회고는 "
            "영어로 써 보기로 했다. 영어 글쓰기 연습 겸."
        ),
        "goals": [
            {
                "title": "첫 논문 학회에 붙이기 (CVPR)",
                "note": "11월에 제출했다. 결과는 내년 2월에 나오니, 올해 안에 붙이지는 못했다.",
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
                "reached": (12, 31),
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
                    "마감, 마감, 그리고 또 마감. 논문은 냈고 결과는 해가 바뀌어야 나오지만, "
                    "처음부터 끝까지 써 본 경험은 남았다."
                ),
                "entries": [
                    {
                        "title": "CVPR 제출",
                        "body": (
                            "마감 **11분 전**에 제출 버튼을 눌렀다. 그 뒤로 이틀 동안 잠만 "
                            "잤다.\n\n"
                            "결과는 2월에 나온다. 기다리는 동안 "
                            "[테크니컬 리포트](https://arxiv.org/)로 먼저 공개했다."
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
        "visibility": "unlisted",
        "intro": (
            "Second year of the PhD, and the first review I'm writing in English — partly as "
            "practice, partly so my labmates can read it. Same format as always: last year's "
            "goals first, graded honestly, then the year in three parts."
        ),
        "summary": (
            "A year of **second tries**. The paper was rejected in February and went in again "
            "in November, a much better paper now; the verdict comes in February. I ran faster "
            "than I thought I could, read more than ever, and learned that 78 kg is a number I "
            "can reach, and not one I can keep without sleep.\n\n"
            "Four of eight is my best score so far. Next year: fewer goals, each one smaller, "
            "and a third try if February says no."
        ),
        "goals": [
            {
                "title": "Get the paper accepted (CVPR)",
                "again": "첫 논문 학회에 붙이기 (CVPR)",
                "note": "Resubmitted in November; the answer comes in February, not this year.",
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
                    "Slow start. The rejection came in February and the rewrite took the spring; "
                    "the running habit started in March, mostly out of spite."
                ),
                "entries": [
                    {
                        "title": "Rewriting the paper",
                        "body": (
                            "The reviews of November's submission came in February. They were "
                            "fair, which was the worst part. The plan for the rewrite:\n\n"
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
                    "went away. Then December, a cold, and a lot of soup."
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
                            "The decision comes in February. The "
                            "[technical report](https://arxiv.org/) is updated meanwhile, and if "
                            "it's a no, ECCV's deadline is in March."
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
        "visibility": "private",
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
                        "reads": 6,
                        "body": (
                            "CVPR said no in February, so: third try, new venue. Submitted **two "
                            "days before the deadline**, which for me is practically a month.\n\n"
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
                        "reads": 3,
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
                        "reads": 14,
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
        "visibility": "private",
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
        "visibility": "public",
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


# The conversation under each shared post of the demo, by the post's offset: (who, text,
# who answers, the answer). Each speaks of its own year only, and is dated in the days
# after the post was published (planner/demo/build.py).
CONVERSATIONS = {
    -2: [
        (
            "reader",
            "도로주행 세 번째에 합격하신 거 축하해요! 저는 정지선에서 한 번 떨어졌어요.",
            "demo",
            "감사합니다! 정지선은 아직도 무서워요. 강릉 갈 때도 엄청 긴장했어요.",
        ),
        (
            "reader",
            "12월 31일 밤 11시에 올린 마지막 글, 저도 읽었어요. 열두 편을 다 채우다니 대단해요.",
            "demo",
            "마감 11분 전 제출이 습관이 된 것 같아요. 올해는 좀 더 일찍 써 볼게요.",
        ),
    ],
    -1: [
        (
            "reader",
            "How did you keep the Sunday calls going all year? I always drop mine by March.",
            "demo",
            "A recurring alarm and low expectations: ten minutes counts.",
        ),
        (
            "reader",
            "53:41 for a 10K! At that pace you'll beat my half marathon time if you run one.",
            "demo",
            "Only if you pace me for the first ten. I start too fast, as you read.",
        ),
    ],
}
