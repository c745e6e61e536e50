from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from planner.models import Entry, Goal, Period, Photo, Visibility, Year
from portability.markdown_import import drafts as import_drafts
from portability.markdown_import.form import MARKDOWN_MAX_CHARS
from tests.factory import image_upload, make_entry, make_goal, make_photo, make_year
from tests.hostile_files import HOSTILE, HOSTILE_IDS

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "md_samples"
IMPORT = reverse("portability:markdown_import")
SAVE = reverse("portability:markdown_import_save")
CANCEL = reverse("portability:markdown_import_cancel")


def sample(name: str) -> str:
    return (SAMPLES / name).read_text()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Year, Period, Goal, Entry, Photo)}


def test_it_shows_the_import_form(owner_client):
    response = owner_client.get(IMPORT)

    assert response.status_code == 200
    assert "<h1>Import a post written in Markdown</h1>" in response.text
    assert 'name="text"' in response.text
    assert 'name="images"' in response.text


def test_it_links_to_the_import_from_the_dashboard_and_the_new_year_page(owner_client):
    assert IMPORT in owner_client.get(reverse("planner:home")).text
    assert IMPORT in owner_client.get(reverse("planner:year_create")).text


def test_it_previews_without_creating_anything(owner_client):
    before = counts()

    response = owner_client.post(IMPORT, {"text": sample("ko_bold.md")})

    assert response.status_code == 200
    assert counts() == before
    page = response.text
    assert "Preview — nothing is saved yet" in page
    assert "토익 900점" in page and "920점으로 달성" in page
    assert "졸업식" in page and "여름 휴가" in page and "이사" in page
    assert "바빴지만 의미 있는 한 해였다." in page
    assert "일본어 공부" in page
    # The year came from the title, and the form carries it on.
    assert 'name="year" value="2023"' in page
    assert "Your 2024 does not exist yet: it will be created, private" in page
    assert 'formaction="/years/import/save/"' in page


def test_it_saves_the_year_with_goals_periods_entries_and_next_years_goals(owner_client, owner):
    response = owner_client.post(SAVE, {"text": sample("ko_headings.md"), "year": "2023"})

    year = Year.objects.get(owner=owner, year=2023)
    assert response.status_code == 302
    assert response["Location"] == year.get_absolute_url()
    assert year.title == "2023 회고"
    assert year.visibility == Visibility.PRIVATE
    assert year.intro == "회사 2년차의 한 해를 돌아본다."
    assert year.summary == "전체적으로 변화가 많은 해였다."
    goals = list(year.goals.values_list("title", "done", "note"))
    assert goals == [
        ("블로그 글 12개 쓰기", True, "한 달에 하나씩, 겨우 지켰다."),
        ("사이드 프로젝트 출시", False, "기획만 하다 끝났다.\n내년에는 꼭."),
        ("체중 70kg", False, ""),
        ("마라톤 완주", True, ""),
    ]
    assert all(goal.done_at for goal in year.goals.filter(done=True))
    periods = {period.index: period for period in year.periods.all()}
    assert periods[1].retrospective == "계획은 많았지만 실행은 적었다."
    assert [entry.title for entry in periods[1].entries.all()] == ["새해 첫 여행"]
    assert [entry.title for entry in periods[2].entries.all()] == ["이직 준비"]
    assert [entry.title for entry in periods[3].entries.all()] == ["새 회사"]
    next_post = Year.objects.get(owner=owner, year=2024)
    assert next_post.visibility == Visibility.PRIVATE
    assert list(next_post.goals.values_list("title", flat=True)) == [
        "사이드 프로젝트 출시",
        "영어 회화",
    ]
    page = owner_client.get(response["Location"]).text
    assert "2023 was imported." in page
    assert "블로그 글 12개 쓰기" in page


def test_it_adds_nothing_to_a_published_next_year_unless_asked(owner_client, owner):
    next_post = make_year(owner, year=2024, visibility=Visibility.PUBLIC)
    make_goal(next_post, title="Already there")

    preview = owner_client.post(IMPORT, {"text": sample("ko_headings.md"), "year": "2023"})
    owner_client.post(SAVE, {"text": sample("ko_headings.md"), "year": "2023"})

    asked = "Your 2024 exists already (Public — listed on your profile). Add these goals to it?"
    assert asked in preview.text
    assert 'name="next_goals" value="leave" checked' in preview.text
    assert Year.objects.filter(owner=owner, year=2023).exists()
    assert list(next_post.goals.values_list("title", flat=True)) == ["Already there"]


def test_it_adds_next_years_goals_to_a_published_year_when_asked(owner_client, owner):
    next_post = make_year(owner, year=2024, visibility=Visibility.PUBLIC)
    make_goal(next_post, title="Already there")
    chosen = {"text": sample("ko_headings.md"), "year": "2023", "next_goals": "add"}

    again = owner_client.post(IMPORT, chosen)
    owner_client.post(SAVE, chosen)

    assert 'name="next_goals" value="add" checked' in again.text
    assert "Add them after the 1 goal it has" in again.text
    next_post.refresh_from_db()
    assert next_post.visibility == Visibility.PUBLIC
    assert list(next_post.goals.values_list("title", flat=True)) == [
        "Already there",
        "사이드 프로젝트 출시",
        "영어 회화",
    ]


def test_a_goal_already_in_next_year_is_not_added_twice(owner_client, owner):
    next_post = make_year(owner, year=2024, visibility=Visibility.PRIVATE)  # added by default
    make_goal(next_post, title="사이드  프로젝트 출시")  # the same goal, spaced apart

    preview = owner_client.post(IMPORT, {"text": sample("ko_headings.md"), "year": "2023"})
    owner_client.post(SAVE, {"text": sample("ko_headings.md"), "year": "2023"})

    assert 'name="next_goals" value="add" checked' in preview.text
    assert "1 of them is in your 2024 already and is not added again." in preview.text
    assert list(next_post.goals.values_list("title", flat=True)) == [
        "사이드  프로젝트 출시",
        "영어 회화",
    ]


def test_it_honours_a_changed_mapping_in_the_preview_and_the_save(owner_client, owner):
    text = sample("en_loose.md")
    first = owner_client.post(IMPORT, {"text": text})
    # "Q1" (line 15) is not a period: it is asked about, and its select offers the periods.
    assert "“Q1” is not one of the three periods" in first.text
    assert 'name="section_15"' in first.text
    chosen = {"text": text, "year": "2024", "section_15": "period1", "section_45": "drop"}

    again = owner_client.post(IMPORT, chosen)

    assert again.status_code == 200
    assert '<option value="period1" selected>' in again.text
    owner_client.post(SAVE, chosen)
    year = Year.objects.get(owner=owner, year=2024)
    first_period = year.periods.get(index=1)
    assert [entry.title for entry in first_period.entries.all()] == ["Q1", "Launch"]
    assert first_period.entries.first().body.startswith("A few words about the first quarter")
    assert year.summary == ""  # "Summary" was dropped
    assert "first quarter" not in year.intro


def test_it_drops_a_leftover_or_adds_it_to_the_intro_as_chosen(owner_client, owner):
    text = sample("en_loose.md")

    owner_client.post(SAVE, {"text": text, "year": "2024", "leftover_13": "drop"})

    intro = Year.objects.get(owner=owner, year=2024).intro
    assert "Some goals were too ambitious" not in intro
    assert intro.startswith("Hi all! As every year, a look back.")
    assert "A few words about the first quarter" in intro


def test_it_refuses_a_year_the_person_already_has(owner_client, owner):
    make_year(owner, year=2023, intro="Mine")
    before = counts()

    preview = owner_client.post(IMPORT, {"text": sample("ko_bold.md")})
    save = owner_client.post(SAVE, {"text": sample("ko_bold.md"), "year": "2023"})

    for response in (preview, save):
        assert response.status_code == 422
        assert "You already have 2023." in response.text
    assert 'formaction="/years/import/save/"' not in preview.text
    assert counts() == before
    assert Year.objects.get(owner=owner, year=2023).intro == "Mine"


def test_it_lets_another_person_import_the_same_year(owner_client, stranger):
    make_year(stranger, year=2023)

    response = owner_client.post(SAVE, {"text": sample("ko_bold.md"), "year": "2023"})

    assert response.status_code == 302


def test_it_refuses_an_oversized_paste(owner_client):
    before = counts()

    response = owner_client.post(IMPORT, {"text": "가" * (MARKDOWN_MAX_CHARS + 1), "year": "2025"})

    assert response.status_code == 422
    assert "A post can be at most 200,000 characters long (this one has 200,001)." in response.text
    assert counts() == before


def test_it_asks_for_the_year_when_the_title_has_none(owner_client):
    response = owner_client.post(IMPORT, {"text": "# My year\n\n## Goals\n\n- [x] Rest"})

    assert response.status_code == 422
    assert "Which year is this post about?" in response.text


def test_it_reads_an_uploaded_markdown_file(owner_client):
    upload = SimpleUploadedFile("post.md", sample("en_export.md").encode("utf-8-sig"))

    response = owner_client.post(IMPORT, {"file": upload})

    assert response.status_code == 200
    assert "Run a half marathon" in response.text
    # The file's text is in the form now, so previewing again needs no file.
    assert "## January–April" in response.text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("post.pdf", b"%PDF-1.4", "Choose a Markdown (.md) or text (.txt) file."),
        (
            "post.md",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "This file is not text that can be read.",
        ),
        ("post.md", b"\xff\xfe\x00\xd8", "Save it again as UTF-8 text"),
    ],
)
def test_it_refuses_a_file_that_is_not_markdown_text(owner_client, name, content, message):
    response = owner_client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})

    assert response.status_code == 422
    assert message in response.text


def test_it_makes_a_photo_of_an_image_uploaded_with_the_post(owner_client, owner):
    text = sample("ko_bold.md")
    preview = owner_client.post(
        IMPORT, {"text": text, "images": [image_upload("graduation.jpg", size=(800, 600))]}
    )
    assert preview.status_code == 200
    assert Photo.objects.count() == 0
    assert "a photo, from the file “graduation.jpg”" in preview.text
    token = owner_client.session[import_drafts.SESSION_KEY][-1]
    assert import_drafts.names(token) == ["graduation.jpg"]
    assert f'name="draft" value="{token}"' in preview.text
    assert "Photos kept for this import: graduation.jpg" in preview.text

    response = owner_client.post(SAVE, {"text": text, "year": "2023", "draft": token})

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.caption == "졸업 사진"
    assert photo.entry.title == "졸업식"
    assert photo.width == 800
    assert "graduation.jpg" not in photo.entry.body
    assert default_storage.exists(photo.image.name)
    assert import_drafts.names(token) == []  # the draft is gone once saved


def test_an_image_without_a_file_stays_as_its_caption_and_file_name(owner_client, owner):
    preview = owner_client.post(IMPORT, {"text": sample("ko_bold.md"), "year": "2023"})
    response = owner_client.post(SAVE, {"text": sample("ko_bold.md"), "year": "2023"})

    assert "stays in the text as its caption and file name" in preview.text
    assert response.status_code == 302
    entry = Entry.objects.get(title="졸업식")
    # "graduation.jpg" meant something only beside the post it came from: no dead link.
    assert entry.body == "드디어 졸업했다.\n\n졸업 사진 (graduation.jpg)"
    assert Photo.objects.count() == 0


def test_an_image_on_the_web_without_a_file_stays_a_link(owner_client, owner):
    url = "https://blog.example.com/files/2023/snow_day.jpg"
    text = f"# 2023\n\n## Jan–Apr\n\n### Snow\n\nDeep.\n\n![Snow *day*]({url})\n"

    preview = owner_client.post(IMPORT, {"text": text})
    owner_client.post(SAVE, {"text": text})

    assert "stays a link (no file of that name was uploaded)" in preview.text
    assert Entry.objects.get(title="Snow").body == f"Deep.\n\n[Snow \\*day\\*]({url})"


def test_it_refuses_a_bad_image_and_keeps_nothing_of_it(owner_client):
    broken = SimpleUploadedFile("graduation.jpg", b"this is no photo", content_type="image/jpeg")

    response = owner_client.post(IMPORT, {"text": sample("ko_bold.md"), "images": [broken]})

    assert response.status_code == 422
    assert "“graduation.jpg” is not a JPEG, PNG, WebP, GIF or HEIC photo." in response.text
    assert not owner_client.session.get(import_drafts.SESSION_KEY)
    assert counts()["Photo"] == 0


def test_it_copies_a_photo_of_this_site_that_the_person_may_read(owner_client, owner):
    old = make_year(owner, year=2022, visibility=Visibility.PRIVATE)
    original = make_photo(make_entry(old), upload=image_upload(size=(300, 200)))
    url = "http://testserver" + original.fallback_url
    text = f"# 2023\n\n## 1~4월\n\n### 옛 사진\n\n다시 본다.\n\n![그때]({url})\n"

    response = owner_client.post(SAVE, {"text": text})

    assert response.status_code == 302
    copy = Photo.objects.exclude(pk=original.pk).get()
    assert copy.entry.title == "옛 사진"
    assert copy.caption == "그때"
    assert (copy.width, copy.height) == (300, 200)
    assert copy.image.name != original.image.name


def test_it_does_not_copy_someone_elses_private_photo(owner_client, stranger):
    private = make_photo(make_entry(make_year(stranger, year=2022, visibility=Visibility.PRIVATE)))
    text = f"# 2023\n\n## 1~4월\n\n### 남의 사진\n\n![몰래]({private.fallback_url})\n"

    preview = owner_client.post(IMPORT, {"text": text})
    owner_client.post(SAVE, {"text": text})

    assert "stays in the text as its caption and file name" in preview.text
    assert Photo.objects.count() == 1
    name = private.fallback_url.rsplit("/", 1)[-1]
    assert Entry.objects.get(title="남의 사진").body == f"몰래 ({name})"


def test_it_cancels_and_deletes_the_draft_images(owner_client):
    owner_client.post(IMPORT, {"text": sample("ko_bold.md"), "images": [image_upload("a.jpg")]})
    token = owner_client.session[import_drafts.SESSION_KEY][-1]

    response = owner_client.post(CANCEL, {"draft": token})

    assert response.status_code == 302
    assert import_drafts.names(token) == []
    assert counts()["Year"] == 0


def test_it_ignores_a_draft_of_another_session(owner_client, client, reader):
    owner_client.post(IMPORT, {"text": sample("ko_bold.md"), "images": [image_upload("a.jpg")]})
    token = owner_client.session[import_drafts.SESSION_KEY][-1]
    client.force_login(reader)

    client.post(CANCEL, {"draft": token})
    preview = client.post(IMPORT, {"text": sample("ko_bold.md"), "draft": token})

    assert import_drafts.names(token) == ["a.jpg"]
    assert "a.jpg" not in preview.text


def test_it_gives_back_the_same_post_from_the_export_layout(client, owner, reader):
    """A post in the layout of the site's Markdown export comes back as the same post."""
    source = make_year(owner, year=2025, intro="Another year.", summary="A good one.")
    make_goal(source, title="Run a half marathon", done=True, note="Finished in 2:05.\nSlowly.")
    make_goal(source, title="Read 24 books", note="Read 11.")
    spring = make_entry(source, 1, title="Snow in Sapporo", body="We walked.\n\n**Cold**, very.")
    photo = make_photo(spring, caption="Me, [frozen]", upload=image_upload(size=(400, 300)))
    make_entry(source, 3, title="Half marathon", body="2:05.")
    source.periods.filter(index=2).update(retrospective="The thesis.")
    text = f"""# 2025 review and 2026 plan

Another year.

## 2025 goals

- [x] Run a half marathon — Finished in 2:05.
  Slowly.
- [ ] Read 24 books — Read 11.

## January–April

### Snow in Sapporo

We walked.

**Cold**, very.

![Me, \\[frozen\\]](http://testserver{photo.fallback_url})

## May–August

The thesis.

## September–December

### Half marathon

2:05.

## Overall

A good one.

## 2026 goals

- Run a full marathon
"""
    client.force_login(reader)

    response = client.post(SAVE, {"text": text})

    assert response.status_code == 302
    copy = Year.objects.get(owner=reader, year=2025)
    assert (copy.title, copy.intro, copy.summary) == ("", "Another year.", "A good one.")

    def goals(year):
        return list(year.goals.values_list("title", "done", "note"))

    def periods(year):
        return [
            (
                period.retrospective,
                [
                    (entry.title, entry.body, [(p.caption, p.width) for p in entry.photos.all()])
                    for entry in period.entries.all()
                ],
            )
            for period in year.periods.all()
        ]

    assert goals(copy) == goals(source)
    assert periods(copy) == periods(source)
    assert list(Year.objects.get(owner=reader, year=2026).goals.values_list("title")) == [
        ("Run a full marathon",)
    ]
    assert reader.years.get(year=2025).visibility == Visibility.PRIVATE


def test_it_matches_an_archives_relative_photo_path_to_an_uploaded_file(owner_client, owner):
    text = "# 2025\n\n## Jan–Apr\n\n### Snow\n\n![Cold](photos/5f0c2d8e.jpg)\n"
    upload = image_upload("5f0c2d8e.jpg")

    owner_client.post(SAVE, {"text": text, "images": [upload]})

    assert Photo.objects.get().caption == "Cold"
    assert Entry.objects.get().body == ""


def test_it_matches_a_file_by_the_name_it_was_chosen_with(owner_client):
    # A JPEG named .png is accepted as a photo, and still matches "![…](shot.png)".
    text = "# 2025\n\n## Jan–Apr\n\n### Screen\n\n![Shot](shot.png)\n"

    owner_client.post(SAVE, {"text": text, "images": [image_upload("shot.png", fmt="JPEG")]})

    assert Photo.objects.get().caption == "Shot"


def test_it_refuses_a_bad_image_sent_with_save_and_saves_nothing(owner_client):
    before = counts()
    truncated = SimpleUploadedFile("graduation.jpg", image_upload(size=(400, 300)).read()[:300])

    response = owner_client.post(
        SAVE, {"text": sample("ko_bold.md"), "year": "2023", "images": [truncated]}
    )

    assert response.status_code == 422
    assert "“graduation.jpg” could not be read as a photo — it may be damaged." in response.text
    assert counts() == before


@pytest.mark.parametrize("copies", [1, 20])
def test_it_previews_in_a_fixed_number_of_queries(
    owner_client, django_assert_max_num_queries, copies
):
    periods = "".join(
        f"### Trip {n}\n\nText {n}.\n\n![photo {n}](trip{n}.jpg)\n\n" for n in range(copies)
    )
    text = f"# 2025\n\n## Goals\n\n- [x] Rest\n\n## Jan–Apr\n\n{periods}## 2026 goals\n\n- More\n"

    # Session, user, the year and the year after, last year's goals not reached, the bell.
    with django_assert_max_num_queries(6):
        response = owner_client.post(IMPORT, {"text": text})

    assert response.status_code == 200
    assert response.text.count("stays in the text as its caption and file name") == copies


def test_it_leaves_as_links_the_photos_an_entry_has_no_room_for(owner_client, settings):
    settings.PHOTO_MAX_PER_ENTRY = 1
    text = "# 2025\n\n## Jan–Apr\n\n### Sea\n\n![One](one.jpg)\n\n![Two](two.jpg)\n"
    files = {"images": [image_upload("one.jpg"), image_upload("two.jpg")]}

    preview = owner_client.post(IMPORT, {"text": text, **files})
    token = owner_client.session[import_drafts.SESSION_KEY][-1]
    owner_client.post(SAVE, {"text": text, "draft": token})

    assert "stays a link: an entry holds at most 1 photo" in preview.text
    assert Photo.objects.get().caption == "One"
    assert Entry.objects.get().body == "Two (two.jpg)"


@pytest.mark.parametrize("hostile", HOSTILE, ids=HOSTILE_IDS)
@pytest.mark.parametrize("url", [IMPORT, SAVE], ids=["preview", "save"])
def test_it_refuses_every_hostile_image_and_keeps_nothing(owner_client, settings, hostile, url):
    text = f"# 2023 결산\n\n## 1월 ~ 4월\n\n### 졸업\n\n![졸업식]({hostile.name})\n"
    upload = SimpleUploadedFile(hostile.name, hostile.data, content_type="image/jpeg")
    before = counts()

    response = owner_client.post(url, {"text": text, "year": "2023", "images": [upload]})

    assert response.status_code == 422
    assert f"“{hostile.name}” {hostile.reason}" in response.text
    assert counts() == before
    assert not owner_client.session.get(import_drafts.SESSION_KEY)
    assert not any(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*"))


def test_text_copied_from_a_blog_page_is_previewed_and_saved_without_its_chrome(
    owner_client, owner
):
    text = (Path(__file__).parent / "page_samples" / "ko_velog.txt").read_text()

    preview = owner_client.post(IMPORT, {"text": text})
    response = owner_client.post(SAVE, {"text": text, "year": "2024"})

    assert preview.status_code == 200
    assert 'name="year" value="2024"' in preview.text
    assert preview.text.count("목록 보기") == 1  # in the pasted text only, not the preview
    post = Year.objects.get(owner=owner, year=2024)
    assert response.status_code == 302
    assert post.title == "2024년 회고와 2025년 계획"
    assert post.summary == "생각보다 많이 움직인 한 해였다. 목표의 절반 이상을 이뤘다."
    assert "목록 보기" not in post.intro and "0개의 댓글" not in post.intro
    assert list(post.goals.values_list("title", "done")) == [
        ("책 24권 읽기", True),
        ("하프 마라톤 완주", False),
        ("사이드 프로젝트 출시", True),
    ]
    assert Entry.objects.filter(period__year=post).count() == 4
    assert list(
        Goal.objects.filter(year__owner=owner, year__year=2025).values_list("title", flat=True)
    ) == ["하프 마라톤 완주", "책 30권 읽기"]


def test_the_preview_says_the_year_is_saved_private_and_another_choice_is_kept(owner_client, owner):
    form = owner_client.get(IMPORT)
    chosen = {"text": sample("ko_headings.md"), "year": "2023", "visibility": "public"}
    preview = owner_client.post(IMPORT, chosen)

    assert "Who can read it" in form.text
    assert '<option value="private" selected>' in form.text
    assert '<option value="public" selected>' in preview.text
    owner_client.post(SAVE, chosen)
    post = Year.objects.get(owner=owner, year=2023)
    assert post.visibility == Visibility.PUBLIC and post.published_at is not None


def test_an_unknown_visibility_is_refused_with_a_message_and_nothing_saved(owner_client):
    before = counts()

    response = owner_client.post(
        SAVE, {"text": sample("ko_headings.md"), "year": "2023", "visibility": "everyone"}
    )

    assert response.status_code == 422
    assert "Select a valid choice" in response.text
    assert counts() == before


def undo_url(year: int = 2023) -> str:
    return reverse("portability:markdown_import_undo", args=["owner", year])


def test_an_import_is_undone_in_one_step_with_what_it_added_to_next_year(owner_client, owner):
    next_post = make_year(owner, year=2024, visibility=Visibility.PRIVATE)
    make_goal(next_post, title="Mine from before")
    owner_client.post(SAVE, {"text": sample("ko_headings.md"), "year": "2023"})
    imported = Year.objects.get(owner=owner, year=2023)
    page = owner_client.get(imported.get_absolute_url()).text
    assert "Undo this import" in page and undo_url() in page

    confirm = owner_client.get(undo_url())
    assert "Undo the import of “2023 회고”?" in confirm.text
    assert "The 2 goals it added to 2024 are deleted." in confirm.text
    response = owner_client.post(undo_url())

    assert response.status_code == 302
    assert not Year.objects.filter(owner=owner, year=2023).exists()
    assert not Entry.objects.filter(period__year__owner=owner, period__year__year=2023).exists()
    assert list(next_post.goals.values_list("title", flat=True)) == ["Mine from before"]
    assert "The import of 2023 was undone." in owner_client.get(response["Location"]).text


def test_undo_deletes_the_next_year_it_created_only_while_nothing_else_is_in_it(
    owner_client, owner
):
    owner_client.post(SAVE, {"text": sample("ko_headings.md"), "year": "2023"})
    owner_client.post(undo_url())
    assert not Year.objects.filter(owner=owner).exists()

    owner_client.post(SAVE, {"text": sample("ko_headings.md"), "year": "2023"})
    make_goal(Year.objects.get(owner=owner, year=2024), title="Written after the import")
    owner_client.post(undo_url())
    assert list(Year.objects.filter(owner=owner).values_list("year", flat=True)) == [2024]
    assert list(Goal.objects.filter(year__owner=owner).values_list("title", flat=True)) == [
        "Written after the import"
    ]


def test_only_the_owner_can_undo_an_import_and_only_for_a_week(
    owner_client, owner, reader, time_machine
):
    reader_client = Client()
    reader_client.force_login(reader)
    time_machine.move_to("2026-03-01 09:00:00+00:00")
    owner_client.post(SAVE, {"text": sample("ko_headings.md"), "year": "2023"})
    imported = Year.objects.get(owner=owner, year=2023)
    imported.visibility = Visibility.PUBLIC
    imported.save()
    assert reader_client.get(undo_url()).status_code == 404
    assert reader_client.post(undo_url()).status_code == 404
    assert "Undo this import" not in reader_client.get(imported.get_absolute_url()).text

    time_machine.move_to("2026-03-08 08:59:00+00:00")
    assert "Undo this import" in owner_client.get(imported.get_absolute_url()).text
    time_machine.move_to("2026-03-08 09:01:00+00:00")
    assert "Undo this import" not in owner_client.get(imported.get_absolute_url()).text
    assert owner_client.post(undo_url()).status_code == 404
    assert Year.objects.filter(owner=owner, year=2023).exists()


def test_a_year_made_by_hand_has_no_import_to_undo(owner_client, owner):
    post = make_year(owner, year=2023)
    assert "Undo this import" not in owner_client.get(post.get_absolute_url()).text
    assert owner_client.post(undo_url()).status_code == 404
    assert Year.objects.filter(pk=post.pk).exists()


def test_the_preview_offers_every_place_for_a_leftover_and_the_save_puts_it_there(
    owner_client, owner
):
    text = sample("en_loose.md")
    chosen = {"text": text, "year": "2024", "leftover_13": "period3"}

    preview = owner_client.post(IMPORT, chosen)
    owner_client.post(SAVE, chosen)

    for label in (
        "Add to the intro",
        "Add to the overall retrospective",
        "Add to the retrospective of January–April",
        "Add to the retrospective of September–December",
        "Drop",
    ):
        assert label in preview.text
    assert 'name="leftover_13" value="period3" checked' in preview.text
    year = Year.objects.get(owner=owner, year=2024)
    assert "too ambitious" in year.periods.get(index=3).retrospective
    assert "too ambitious" not in year.intro


def test_an_edit_after_the_preview_never_applies_its_choices_to_other_lines(owner_client, owner):
    text = sample("en_loose.md")
    q1 = "section_15"
    first = owner_client.post(IMPORT, {"text": text, "year": "2024", q1: "period1"})
    read_as = re.search(r'name="read_as" value="([0-9a-f]+)"', first.text)[1]
    edited = "A new first paragraph.\n\nAnd another.\n\n" + text
    sent = {"text": edited, "year": "2024", q1: "period1", "read_as": read_as}

    again = owner_client.post(IMPORT, sent)
    saved = owner_client.post(SAVE, sent)

    assert again.status_code == 200
    assert "The text changed since the last preview" in again.text
    assert saved.status_code == 422
    assert "The text changed since the preview" in saved.text
    assert not Year.objects.filter(owner=owner, year=2024).exists()
    fresh = re.search(r'name="read_as" value="([0-9a-f]+)"', saved.text)[1]
    done = owner_client.post(SAVE, {**sent, "read_as": fresh})
    assert done.status_code == 302


def test_a_page_copied_with_no_empty_lines_is_spaced_in_the_box_and_saved_right(
    owner_client, owner
):
    dense = (Path(__file__).parent / "page_samples" / "ko_tistory_dense.txt").read_text()

    preview = owner_client.post(IMPORT, {"text": dense})
    form = preview.context["form"]
    response = owner_client.post(SAVE, {"text": form.data["text"], "read_as": form.data["read_as"]})

    assert "one was put between every two lines" in preview.text
    assert "필기 시험\n\n두 달 동안" in form.data["text"]
    assert response.status_code == 302
    year = Year.objects.get(owner=owner, year=2022)
    assert year.title == "2022년 회고"
    assert list(year.goals.values_list("title", "done")) == [
        ("자격증 따기", True),
        ("다이어트", False),
        ("부모님과 여행", True),
    ]
    assert year.summary == "하나씩 해낸 해였다."
    assert "방명록" not in year.intro and "저작권자" not in year.intro


def test_the_day_a_copied_page_was_published_is_kept_not_the_day_of_the_import(owner_client, owner):
    text = (Path(__file__).parent / "page_samples" / "en_blog.txt").read_text()

    preview = owner_client.post(IMPORT, {"text": text})
    owner_client.post(SAVE, {"text": text, "visibility": Visibility.PUBLIC})

    assert "First published: <strong>Jan. 3, 2025</strong>" in preview.text
    post = Year.objects.get(owner=owner, year=2024)
    assert post.published_at.date() == datetime.date(2025, 1, 3)
    page = owner_client.get(post.get_absolute_url()).text
    assert 'datetime="2025-01-03' in page


def test_a_post_that_does_not_say_when_it_was_published_is_published_on_the_day(
    owner_client, owner
):
    owner_client.post(SAVE, {"text": sample("ko_headings.md"), "visibility": Visibility.PUBLIC})

    post = Year.objects.get(owner=owner, year=2023)
    assert post.published_at.date() == timezone.localdate()


def test_a_caption_taken_for_an_entrys_title_is_read_as_text_when_chosen(owner_client, owner):
    text = (
        "My 2024\n\nGoals\n\n-[v] Swim\n\nJan–Apr\n\nThe lake\n\n"
        "We swam every morning before work.\n\nSunrise over the water\n\n"
        "It was cold, and it was worth it.\n"
    )
    preview = owner_client.post(IMPORT, {"text": text})
    form = preview.context["form"]
    caption = next(e.entry for e in form.periods[0].entries if e.entry.title.startswith("Sunrise"))
    assert "“Sunrise over the water” is" in preview.text

    choice = {"text": form.data["text"], "read_as": form.data["read_as"]}
    choice[f"entry_{caption.line}"] = "text"
    again = owner_client.post(IMPORT, choice)
    owner_client.post(SAVE, choice)

    assert 'value="text" selected' in again.text  # the choice is shown, and can be undone
    entry = Entry.objects.get(period__year__owner=owner)
    assert entry.title == "The lake"
    assert entry.body == (
        "We swam every morning before work.\n\nSunrise over the water\n\n"
        "It was cold, and it was worth it."
    )


def test_a_request_too_large_to_read_says_what_to_do_with_413(owner_client, owner):
    response = owner_client.post(IMPORT, {"text": "가" * 1_000_000})  # 3 MB of UTF-8

    assert response.status_code == 413
    assert "Too much at once" in response.text
    assert "can be imported in parts" in response.text
    assert not Year.objects.filter(owner=owner).exists()


@pytest.mark.parametrize("encoding", ["cp949", "utf-16", "utf-8-sig"])
def test_a_file_saved_by_a_windows_or_korean_editor_is_read(owner_client, encoding):
    text = "# 2023 회고\n\n## 목표\n\n- [x] 이사하기 : 드디어\n"

    response = owner_client.post(
        IMPORT, {"file": SimpleUploadedFile("회고.md", text.encode(encoding))}
    )

    assert response.status_code == 200
    assert "이사하기" in response.text and "드디어" in response.text


def test_an_edit_keeps_the_choices_made_on_the_words_it_left_alone(owner_client, owner):
    text = (
        "# 2023\n\n## Goals\n\n- [x] Move\n\n## Side notes\n\nA list of films.\n\n"
        "## Jan–Apr\n\n### Boxes\n\nSo many.\n\n### Sunrise over the river\n\nCold.\n"
    )
    first = owner_client.post(IMPORT, {"text": text}).context["form"]
    side = next(s.line for s in first.post.sections if s.heading == "Side notes")
    sunrise = next(e.line for e in first.post.periods[0].entries if e.title.startswith("Sunrise"))
    page = owner_client.post(IMPORT, {"text": text}).text
    assert f'name="section_said_{side}" value="Side notes"' in page
    assert f'name="entry_said_{sunrise}" value="Sunrise over the river"' in page
    chosen = {
        "read_as": first.data["read_as"],
        f"section_said_{side}": "Side notes",
        f"section_{side}": "drop",
        f"entry_said_{sunrise}": "Sunrise over the river",
        f"entry_{sunrise}": "text",
    }

    edited = "Written in January.\n\n" + text  # every line moves down by two
    again = owner_client.post(IMPORT, {"text": edited, **chosen})

    form = again.context["form"]
    assert "the choices made on headings and pieces you left as they were are kept" in again.text
    assert "A list of films." not in form.post.intro  # still dropped
    assert [e.title for e in form.post.periods[0].entries] == ["Boxes"]
    assert "Sunrise over the river" in form.post.periods[0].entries[0].body
