"""No link on the main pages leads nowhere: every same-site link they show, followed once.

The owner of the demo, a reader and a visitor each open the main pages and follow every
`<a href="/…">` on them, one level deep, as a browser without JavaScript would. Links that
htmx turns into a POST, downloads and logging out are left out.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import quote, urldefrag

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from accounts.models import User
from planner.models import Entry, Goal, Year

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine("2026-06-15 12:00", tick=False),
]

HTMX_WRITES = ("data-hx-post", "data-hx-put", "data-hx-patch", "data-hx-delete")
DOWNLOADS = (".zip", ".md")


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        href = found.get("href") or ""
        same_site = href.startswith("/") and not href.startswith("//")
        if tag == "a" and same_site and not any(name in found for name in HTMX_WRITES):
            self.links.append(urldefrag(href).url)


def links_on(html: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    logout = reverse("logout")
    return [
        link
        for link in parser.links
        if link and not link.startswith(logout) and not link.split("?")[0].endswith(DOWNLOADS)
    ]


def start_pages(who: str | None) -> list[str]:
    demo = User.objects.get(username="demo")
    person = User.objects.get(username=who) if who else AnonymousUser()
    readable = Year.objects.readable_by(person).select_related("owner").order_by("owner", "year")
    posts = [post.get_absolute_url() for post in readable]
    pages = [
        reverse("planner:home"),
        reverse("planner:profile", args=["demo"]),
        *posts,
        reverse("planner:search") + "?q=paper",
        reverse("planner:search") + "?q=" + quote("논문"),
    ]
    if who is None:
        return [*pages, reverse("login"), reverse("accounts:signup")]
    pages += [
        reverse("planner:profile", args=[who]),
        reverse("planner:stats"),
        reverse("accounts:profile_edit"),
        reverse("planner:calendar_settings"),
        reverse("portability:markdown_import"),
        reverse("portability:series_import"),
        reverse("portability:journal_import"),
    ]
    if who == "demo":
        goal = Goal.objects.filter(year__owner=demo, year__year=2026).first()
        entry = Entry.objects.filter(period__year__owner=demo, period__year__year=2026).first()
        pages += [
            reverse("planner:goal_edit", args=[goal.pk]),
            reverse("planner:entry_edit", args=[entry.pk]),
            reverse("planner:year_edit", args=["demo", 2026]),
            reverse("planner:year_text_edit", args=["demo", 2026, "intro"]),
            reverse("planner:period_edit", args=["demo", 2026, 1]),
            reverse("planner:carry_over", args=["demo", 2025]),
            reverse("planner:series_print", args=["demo"]),
        ]
    return pages


@pytest.mark.parametrize("who", ["demo", "reader", None], ids=["owner", "reader", "visitor"])
def test_no_link_on_the_main_pages_leads_nowhere(demo_year, who):
    client = Client()
    if who:
        client.force_login(User.objects.get(username=who))
    found: dict[str, str] = {}  # link -> the page it was found on
    for page in start_pages(who):
        response = client.get(page)
        assert response.status_code == 200, f"{page} as {who}: {response.status_code}"
        for link in links_on(response.text):
            found.setdefault(link, page)

    dead = []
    for link, page in found.items():
        status = client.get(link).status_code
        if status in (404, 405, 500):
            dead.append(f"{link} (on {page}): {status}")

    assert len(found) > 10
    assert not dead, f"Dead links as {who or 'a visitor'}:\n" + "\n".join(dead)
