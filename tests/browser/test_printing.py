"""Printing a post, and a whole series as a book, with Chromium's own PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from planner.models import Visibility
from tests.factory import PASSWORD, make_entry, make_goal, make_photo, make_year

pytestmark = pytest.mark.django_db(transaction=True)

# Words only a control says: none of them may reach the paper.
CONTROLS = (
    "Edit",
    "Delete",
    "Move up",
    "Make private",
    "Add a note",
    "Log progress",
    "Add an entry",
    "Carry",
    "Undo",
    "Log in",
    "Like",
    "Post comment",
    "Reply",
    "Search",
    "Download",
    "Add a goal",
    "comment",
)


@pytest.fixture
def years(owner):
    made = []
    for number in (2024, 2025):
        post = make_year(owner, year=number, title=f"Year {number}", visibility=Visibility.PUBLIC)
        make_goal(post, title=f"Run {number} km", note="steady")
        make_goal(post, title="Read more", done=True)
        make_goal(post, title="A quiet wish", is_private=True)
        for period in (1, 2, 3):
            entry = make_entry(post, period, title=f"Part {period} of {number}", body="Walked.")
            make_photo(entry, caption=f"View {period}")
        made.append(post)
    return made


def printed(page) -> tuple[int, str]:
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return len(pdf.pages), "\n".join(page.extract_text() for page in pdf.pages)


def test_the_owner_prints_their_post_with_each_period_on_a_page_and_no_control(
    page, live_server, log_in, years
):
    log_in("owner", PASSWORD)
    page.goto(live_server.url + years[1].get_absolute_url())
    page.emulate_media(media="print")

    controls = page.locator("button:visible, input:visible, select:visible, textarea:visible")
    assert controls.count() == 0
    pages, text = printed(page)

    assert pages == 4  # the goals, then the three periods
    assert "Year 2025" in text and "Run 2025 km" in text and "Part 3 of 2025" in text
    assert "A quiet wish private" in " ".join(text.split())  # marked on paper as on screen
    assert not [word for word in CONTROLS if word in text]


def test_a_reader_prints_the_series_as_a_book(page, live_server, years):
    page.goto(f"{live_server.url}/@owner/book/")
    page.emulate_media(media="print")

    pages, text = printed(page)

    assert pages == 1 + 2 * 4  # the cover, then each year's goals and periods
    assert "Olivia Owner" in text and "2024–2025" in text
    assert text.index("Part 3 of 2024") < text.index("Year 2025")
    assert not [word for word in CONTROLS if word in text]
    assert "All of Olivia Owner" not in text  # the hint stays on the screen
