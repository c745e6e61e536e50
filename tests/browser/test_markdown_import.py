from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from planner.models import Year
from tests.factory import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

POST = (Path(__file__).parents[1] / "portability" / "md_samples" / "ko_mixed.md").read_text()


def test_the_owner_imports_a_korean_post_through_the_preview(
    page, live_server, owner, log_in, console_errors
):
    log_in("owner", PASSWORD)
    page.goto(live_server.url + "/")

    page.get_by_role("link", name="Import a post you wrote in Markdown").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a post written in Markdown")
    page.get_by_label("Your post in Markdown").fill(POST)
    page.get_by_role("button", name="Preview", exact=True).click()

    expect(page.get_by_role("heading", name="Preview — nothing is saved yet")).to_be_visible()
    expect(page.get_by_label("Year")).to_have_value("2023")
    goals = page.locator(".import-goals li")
    expect(goals).to_have_count(3)
    expect(page.locator(".import-goals .goal-done .goal-title")).to_have_text(
        ["자격증 취득", "금연"]
    )
    expect(page.get_by_text("“1분기” is not one of the three periods")).to_be_visible()
    assert Year.objects.count() == 0

    page.get_by_label("1분기", exact=True).select_option(label="January–April")
    page.get_by_role("button", name="Preview again").click()
    expect(page.locator("#import-period-1 ~ .import-entry h4")).to_have_text(["1분기", "봄 소풍"])
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("2023년을 보내며")
    expect(page.get_by_role("status")).to_contain_text("2023 was imported.")
    expect(page.locator("#goals .goal-done .goal-title")).to_have_text(["자격증 취득", "금연"])
    expect(page.locator("#goals .goal-title")).to_have_count(3)
    expect(page.get_by_text("정보처리기사 합격")).to_be_visible()
    expect(page.locator("#period-1 .entry-title")).to_have_text(["1분기", "봄 소풍"])
    expect(page.locator("#period-2")).to_contain_text("여름은 조용히 지나갔다.")
    expect(page.locator("#period-3")).to_contain_text("연말 파티")
    expect(page.get_by_text("그럭저럭 괜찮은 해.")).to_be_visible()
    assert console_errors == []


def test_the_import_works_with_javascript_off(page_without_javascript, live_server, owner, log_in):
    page = page_without_javascript
    log_in("owner", PASSWORD, on=page)
    page.goto(f"{live_server.url}/years/import/")

    page.get_by_label("Your post in Markdown").fill(POST)
    page.get_by_role("button", name="Preview", exact=True).click()
    page.get_by_role("radio", name="Drop").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("2023년을 보내며")
    expect(page.locator("#goals .goal-title")).to_have_count(3)
    assert "1분기는" not in Year.objects.get(owner=owner, year=2023).intro


SAMPLES = Path(__file__).parents[1] / "portability"
COPIED_TEXT = (SAMPLES / "page_samples" / "ko_velog.txt").read_text()
# The English page, its first period under a heading the importer does not know.
PAGE_HTML = (
    (SAMPLES / "html_samples" / "en_medium.html")
    .read_text()
    .replace("<h2>January to April</h2>", "<h2>Q1</h2>")
)


def paste(page, *, html: str, plain: str) -> None:
    """Paste as a browser does from a copied selection: the page's HTML beside its text."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate(
        """async ([html, plain]) => {
            await navigator.clipboard.write([new ClipboardItem({
                "text/html": new Blob([html], {type: "text/html"}),
                "text/plain": new Blob([plain], {type: "text/plain"}),
            })]);
        }""",
        [html, plain],
    )
    page.get_by_label("Your post in Markdown").focus()
    page.keyboard.press("Control+V")


def test_text_copied_from_a_blog_page_is_imported_and_the_import_undone(
    page, live_server, owner, log_in, console_errors
):
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/years/import/")

    paste(page, html="", plain=COPIED_TEXT)
    page.get_by_role("button", name="Preview", exact=True).click()

    expect(page.get_by_label("Year")).to_have_value("2024")
    expect(page.locator(".import-goals li")).to_have_count(3)
    expect(page.get_by_text("The formatting of the page you pasted was kept")).to_have_count(0)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2024년 회고와 2025년 계획")
    expect(page.locator("#period-1 .entry-title")).to_have_text(["제주 한 달 살기", "첫 출시"])

    page.get_by_role("link", name="Undo this import").click()
    page.get_by_role("button", name="Undo the import").click()
    expect(page.get_by_role("status")).to_contain_text("The import of 2024 was undone.")
    assert not Year.objects.filter(owner=owner).exists()
    assert console_errors == []


def test_a_page_pasted_as_rich_text_keeps_its_structure_and_a_mapping_is_fixed(
    page, live_server, owner, log_in, console_errors
):
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/years/import/")

    paste(page, html=PAGE_HTML, plain="My 2024 in review, and what comes next\n\nFollow\n")
    page.get_by_role("button", name="Preview", exact=True).click()

    expect(page.get_by_text("The formatting of the page you pasted was kept")).to_be_visible()
    expect(page.get_by_label("Your post in Markdown")).to_contain_text("## Goals")
    expect(page.get_by_text("“Q1” is not one of the three periods")).to_be_visible()
    page.get_by_label("Q1", exact=True).select_option(label="January–April")
    page.get_by_role("button", name="Preview again").click()
    expect(page.locator(".import-goals li")).to_have_count(2)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "My 2024 in review, and what comes next"
    )
    expect(page.locator("#period-1 .entry-title")).to_have_text(["Q1", "Moving to Lisbon"])
    expect(page.locator("#period-3 .entry-title")).to_have_text(["Back to running"])
    expect(page.get_by_text("Follow", exact=True)).to_have_count(0)
    page.get_by_role("link", name="Undo this import").click()
    page.get_by_role("button", name="Undo the import").click()
    assert not Year.objects.filter(owner=owner).exists()
    assert console_errors == []


def test_typing_after_a_rich_paste_keeps_what_the_box_shows(page, live_server, owner, log_in):
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/years/import/")

    paste(page, html=PAGE_HTML, plain="# 2024 in short\n\n## Goals\n\n- [x] Swim\n")
    page.get_by_label("Your post in Markdown").press("End")
    page.keyboard.type("- [ ] Sail\n")
    page.get_by_role("button", name="Preview", exact=True).click()

    expect(page.get_by_text("The formatting of the page you pasted was kept")).to_have_count(0)
    expect(page.locator(".import-goals .goal-title")).to_have_text(["Swim", "Sail"])


def test_the_mapping_choices_fit_a_phone(page, live_server, owner, log_in):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/years/import/")
    page.get_by_label("Your post in Markdown").fill(POST)
    page.get_by_role("button", name="Preview", exact=True).click()

    choice = page.get_by_label("1분기", exact=True)
    choice.select_option(label="January–April")
    box = choice.bounding_box()
    assert box["width"] >= 300  # the whole width of the column, not a sliver
    widest = page.evaluate(
        """(select) => {
            const probe = document.createElement("span");
            probe.style.font = getComputedStyle(select).font;
            probe.style.whiteSpace = "nowrap";
            document.body.append(probe);
            const widths = [...select.options].map(
                (option) => ((probe.textContent = option.text), probe.offsetWidth)
            );
            probe.remove();
            return Math.max(...widths);
        }""",
        choice.element_handle(),
    )
    assert widest < box["width"]
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


SERIES = Path(__file__).parents[1] / "portability" / "series_samples"


def test_a_series_chosen_newest_first_is_imported_in_order_and_undone_in_one_step(
    page, live_server, owner, log_in, console_errors
):
    log_in("owner", PASSWORD)
    page.goto(f"{live_server.url}/years/import/")
    page.get_by_role(
        "link", name="Several yearly posts of a series? Import them all in one go."
    ).click()

    page.get_by_label("The posts as .md or .txt files").set_input_files(
        [SERIES / "ko_2024.md", SERIES / "ko_2022.md"]
    )
    # The post between them, copied from its page and pasted into a box.
    page.get_by_label("The post").first.fill((SERIES / "ko_2023.txt").read_text())
    page.get_by_role("button", name="Preview", exact=True).click()

    expect(page.locator(".import-series-post > h2")).to_have_text(
        ["2022 — 2022 회고", "2023 — 2023년 회고", "2024 — 2024년 회고", "Another post"]
    )
    page.get_by_text("Preview: 3 goals, 3 entries").nth(1).click()
    expect(
        page.get_by_text("Planned in your 2022 post but not reviewed in this one")
    ).to_be_visible()
    assert Year.objects.count() == 0
    page.get_by_role("button", name="Save all 3 years").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("2022 회고")
    expect(page.get_by_role("status")).to_contain_text(
        "These years were imported: 2022, 2023, 2024"
    )
    page.goto(f"{live_server.url}/@owner/2024/")
    toeic = page.locator("#goals li", has_text="토익 900점")
    expect(toeic.locator(".goal-lineage")).to_contain_text("set again — 3rd try · from 2023")
    page.get_by_role("link", name="Undo this import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Undo the import of the series?")
    page.get_by_role("button", name="Undo the import").click()

    expect(page.get_by_role("status")).to_contain_text("The import of 2022, 2023, 2024 was undone")
    assert Year.objects.count() == 0
    assert console_errors == []
