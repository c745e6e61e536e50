"""What a person writes stays text in every place it goes: attributes, the <head>, feeds,
the sitemap, exports, e-mail headers and the admin.

Each vector is written into every text a person can write, for one author; a twin author
gets the same texts with the dangerous characters swapped for letters. Every page that
shows the texts is then parsed for both and must have the same shape: the same elements
with the same attributes in the same order, and no `http-equiv` anywhere (the app sets
none). A text that leaks out of its attribute or element changes the shape.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import re
from dataclasses import dataclass

import html5lib
import lxml.html
import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from accounts.models import User
from planner.models import Comment, Entry, Goal, GoalUpdate, Photo, ProgressKind, Year
from tests.factory import make_comment, make_entry, make_goal, make_photo, make_user, make_year

TODAY = datetime.datetime(2025, 6, 15, 12, tzinfo=datetime.UTC)
ELSEWHERE = "0;url=https://elsewhere.example/"

# Each breaks out of an attribute or of the <head> if it is ever written unescaped (or
# escaped once too few times). They start with a marker word, so search finds them.
VECTORS = {
    "double quotes": f'{ELSEWHERE}" http-equiv="refresh" data-x="',
    "single quotes": f"{ELSEWHERE}' http-equiv='refresh' data-x='",
    "a tag in an attribute": f'"><meta http-equiv="refresh" content="{ELSEWHERE}"><b x="',
    "end of title": f"</title><meta http-equiv=refresh content={ELSEWHERE}><title>",
    "encoded quotes": "&quot; http-equiv=&quot;refresh&quot; &#34; &#x27; &lt;meta&gt; &amp;",
    "line breaks": f'two\n" http-equiv="refresh" content="{ELSEWHERE}\r\nlines',
    "end of script and CDATA": "</script><script>alert(1)</script><!-- ]]> -->",
    "control characters": "vertical\x0btab\x0cform feed\x1bescape\x7fdelete",
}
# What each dangerous character becomes in the harmless twin: a letter, so text lengths
# and line structure stay the same.
HARMLESS = str.maketrans(
    {'"': "q", "'": "a", "<": "l", ">": "g", "&": "n"}
    | {chr(code): "c" for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]}
)


def hostile_text(vector: str) -> str:
    return f"zebra {vector}"


def harmless_text(vector: str) -> str:
    return f"yak {vector.translate(HARMLESS)}"


@dataclass
class Site:
    """One author's post and everything around it, with one text in every field."""

    owner: User
    commenter: User
    post: Year
    goal: Goal
    entry: Entry
    photo: Photo
    comment: Comment
    marker: str


def build(username: str, text: str) -> Site:
    """Put `text` (cut to each field's length) in every text a person can write."""
    owner = make_user(username, display_name=text[:60], bio=text[:120])
    commenter = make_user(f"{username}-reader", display_name=text[:60], bio=text[:120])
    post = make_year(owner, year=2025, title=text, intro=text, summary=text)
    post.periods.update(retrospective=text)
    goal = make_goal(
        post,
        title=text,
        note=text,
        unit=text[:30],
        target=10,
        progress=3,
        progress_kind=ProgressKind.COUNT,
        deadline=datetime.date(2025, 6, 18),  # due within a week: a reminder goes out
    )
    GoalUpdate.objects.create(
        goal=goal, recorded_on=datetime.date(2025, 3, 1), value=1, remark=text
    )
    GoalUpdate.objects.create(
        goal=goal, recorded_on=datetime.date(2025, 4, 1), value=2, remark=text
    )
    entry = make_entry(post, period=2, title=text, body=text)
    photo = make_photo(entry, caption=text)
    comment = make_comment(post, commenter, body=text)
    make_comment(post, owner, body=text, parent=comment)
    # A comment brought in by an archive keeps the name it was written under.
    Comment.objects.create(year=post, imported_author_name=text[:150], body=text)
    next_post = make_year(owner, year=2026, title=text)
    make_goal(next_post, title=text)
    make_year(owner, year=2024, title=text)  # the series and the profile's chart
    return Site(owner, commenter, post, goal, entry, photo, comment, text.split()[0])


def element_shape(element) -> tuple:
    """An element's tag and attribute names, and for a <meta> what it is."""
    kind = None
    if element.tag == "meta":
        kind = element.get("name") or element.get("property") or element.get("http-equiv")
    return (element.tag, tuple(element.attrib), kind)


def shape(content: bytes) -> list[tuple]:
    """Every element of the page in order, as parsed by libxml2 (fast, for the whole page),
    then the <head> as browsers parse it (html5lib, slow, so only the head)."""
    document = lxml.html.document_fromstring(content)
    elements = [element_shape(e) for e in document.iter() if isinstance(e.tag, str)]
    head = content[: content.find(b"</head>") + len(b"</head>")]
    parsed = html5lib.parse(head.decode(), namespaceHTMLElements=False)
    return elements + [element_shape(e) for e in parsed.iter() if isinstance(e.tag, str)]


def xml_shape(content: bytes) -> list[tuple]:
    root = etree.fromstring(content)
    shapes = [(element.tag, tuple(sorted(element.attrib))) for element in root.iter()]
    for summary in root.iter("{http://www.w3.org/2005/Atom}summary"):
        shapes += shape(summary.text.encode())  # type="html": markup inside the text
    return shapes


def markdown_outline(text: str) -> list[str]:
    """The export's structure: its headings, list items and images, by kind."""
    kinds = []
    for line in text.splitlines():
        if match := re.match(r"(#+ |- \[[ x]\] |- |!\[|  )", line):
            kinds.append(match.group(1))
    return kinds


def first_difference(hostile: list, harmless: list) -> str:
    for index, (one, other) in enumerate(zip(hostile, harmless, strict=False)):
        if one != other:
            return f"element {index}: {one!r} where the harmless page has {other!r}"
    return f"{len(hostile)} elements where the harmless page has {len(harmless)}"


def pages(site: Site) -> list[tuple[str, str, str]]:
    """(who, what, address) for every page that shows the site's texts."""
    owner, post = site.owner.username, site.post
    year_args = [owner, post.year]

    def admin(model: str, obj=None) -> str:
        if obj is None:
            return reverse(f"admin:{model}_changelist") + f"?q={site.marker}"
        return reverse(f"admin:{model}_change", args=[obj.pk])

    return [
        ("visitor", "post", post.get_absolute_url()),
        ("visitor", "post from the cache", post.get_absolute_url()),
        ("reader", "post", post.get_absolute_url()),
        ("reader", "post from the cache", post.get_absolute_url()),
        ("owner", "post", post.get_absolute_url()),
        ("visitor", "profile", reverse("planner:profile", args=[owner])),
        ("owner", "search", reverse("planner:search") + f"?q={site.marker}"),
        ("owner", "dashboard", reverse("planner:home")),
        ("owner", "statistics", reverse("planner:stats")),
        ("owner", "post settings", reverse("planner:year_edit", args=year_args)),
        ("owner", "delete post", reverse("planner:year_delete", args=year_args)),
        ("owner", "intro editor", reverse("planner:year_text_edit", args=[*year_args, "intro"])),
        ("owner", "period editor", reverse("planner:period_edit", args=[*year_args, 2])),
        ("owner", "carry over", reverse("planner:carry_over", args=year_args)),
        ("owner", "goal editor", reverse("planner:goal_edit", args=[site.goal.pk])),
        ("owner", "goal note editor", reverse("planner:goal_note_edit", args=[site.goal.pk])),
        ("owner", "entry editor", reverse("planner:entry_edit", args=[site.entry.pk])),
        ("owner", "profile editor", reverse("accounts:profile_edit")),
        ("commenter", "comment editor", reverse("planner:comment_edit", args=[site.comment.pk])),
        ("commenter", "reply box", reverse("planner:comment_reply", args=[site.comment.pk])),
        ("staff", "admin users", admin("accounts_user")),
        ("staff", "admin user", admin("accounts_user", site.owner)),
        ("staff", "admin years", admin("planner_year")),
        ("staff", "admin year", admin("planner_year", post)),
        ("staff", "admin goals", admin("planner_goal")),
        ("staff", "admin period", admin("planner_period", site.entry.period)),
        ("staff", "admin entries", admin("planner_entry")),
        ("staff", "admin entry", admin("planner_entry", site.entry)),
        ("staff", "admin photos", admin("planner_photo")),
        ("staff", "admin comments", admin("planner_comment")),
        ("staff", "admin comment", admin("planner_comment", site.comment)),
    ]


@dataclass
class Rendered:
    html: dict[str, bytes]
    feed: bytes
    export: str


def render_all(client, site: Site, people: dict[str, User | None]) -> Rendered:
    people = {**people, "owner": site.owner, "commenter": site.commenter}
    html = {}
    for who, what, address in pages(site):
        client.logout()
        if people[who] is not None:
            client.force_login(people[who])
        response = client.get(address)
        assert response.status_code == 200, f"{who}'s {what}: {response.status_code}"
        html[f"{who}'s {what}"] = response.content

    # The Markdown import shows what it read before anything is stored.
    client.force_login(site.owner)
    text = site.post.intro
    document = f"# 2027 {text}\n\n{text}\n\n## 2027 goals\n\n- [x] {text} — {text}\n\n"
    document += f"## January–April\n\n### {text}\n\n{text}\n\n## Overall\n\n{text}\n"
    response = client.post(reverse("portability:markdown_import"), {"text": document})
    assert response.status_code == 200, f"the Markdown import: {response.status_code}"
    html["owner's Markdown import"] = response.content

    client.logout()
    feed = client.get(reverse("planner:feed", args=[site.owner.username]))
    assert feed.status_code == 200, f"the feed: {feed.status_code}"
    export = client.get(reverse("portability:year_export_md", args=[site.owner, site.post.year]))
    assert export.status_code == 200
    return Rendered(html=html, feed=feed.content, export=export.content.decode())


@pytest.fixture(autouse=True)
def _mid_2025():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def people(db):
    return {
        "visitor": None,
        "reader": make_user("reader"),
        "staff": make_user("staff", is_staff=True, is_superuser=True),
    }


@pytest.mark.parametrize("vector", VECTORS.values(), ids=VECTORS.keys())
def test_it_keeps_every_text_inside_its_context(client, people, vector):
    # Both built first: the admin counts and lists every author's objects.
    twin, site = build("twin", harmless_text(vector)), build("owner", hostile_text(vector))
    harmless = render_all(client, twin, people)
    hostile = render_all(client, site, people)

    broken = []
    for page, content in hostile.html.items():
        hostile_shape, harmless_shape = shape(content), shape(harmless.html[page])
        if any("http-equiv" in attributes for _, attributes, _ in hostile_shape):
            broken.append(f"{page}: an http-equiv attribute")
        if hostile_shape != harmless_shape:
            broken.append(f"{page}: {first_difference(hostile_shape, harmless_shape)}")
    if xml_shape(hostile.feed) != xml_shape(harmless.feed):
        broken.append(
            "the feed: " + first_difference(xml_shape(hostile.feed), xml_shape(harmless.feed))
        )
    if markdown_outline(hostile.export) != markdown_outline(harmless.export):
        broken.append("export.md: its headings and lists changed")
    assert not broken, "\n".join(broken)


def test_it_names_downloads_by_username_and_date_only(client, db):
    text = hostile_text(VECTORS["line breaks"])
    site = build("owner", text)

    export = client.get(reverse("portability:year_export_md", args=["owner", 2025]))
    client.force_login(site.owner)
    archive = client.get(reverse("portability:archive_export"))

    assert export["Content-Disposition"] == 'attachment; filename="owner-2025.md"'
    # A title keeps to its heading line in the Markdown, whatever line breaks it holds.
    one_line = " ".join(text.split())
    lines = export.content.decode().splitlines()
    assert lines[0] == f"# {one_line}"
    assert f"### {one_line}" in lines
    assert f"- [ ] {one_line} — {text.splitlines()[0]}" in lines
    assert archive["Content-Disposition"] == 'attachment; filename="yearloop-owner-2025-06-15.zip"'
    assert b"".join(archive.streaming_content).startswith(b"PK")


def headers_of(message) -> list[tuple[str, str]]:
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    return [(name, str(value)) for name, value in parsed.items()]


@pytest.mark.parametrize("vector", VECTORS.values(), ids=VECTORS.keys())
def test_it_keeps_e_mail_headers_to_one_line_each(
    client, people, django_capture_on_commit_callbacks, vector
):
    text = hostile_text(vector)
    site = build("owner", text)
    client.force_login(site.commenter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("planner:comment_create", args=["owner", 2025]), {"body": "Hi"}
        )
        call_command("send_reminders", verbosity=0)

    assert response.status_code == 302
    subjects = [
        " ".join(f"{text[:60]} commented on “{text}”".split()),
        " ".join(f"Due in 3 days: {text}".split()),
    ]
    assert sorted(message.subject for message in mail.outbox) == sorted(subjects)
    for message in mail.outbox:
        headers = headers_of(message)
        assert sorted(name for name, _ in headers) == [
            "Content-Type",
            "Date",
            "From",
            "MIME-Version",
            "Message-ID",
            "Subject",
            "To",
        ]
        # Python folds a long subject with a space kept at each fold, so a mail reader may
        # show two spaces there; the words and their order arrive as they were.
        assert dict(headers)["Subject"].split() == message.subject.split()
        assert dict(headers)["To"] == "owner@example.com"
        html = html5lib.parse(message.alternatives[0].content, namespaceHTMLElements=False)
        assert html.find("head/title").text == message.subject
        assert [e for e in html.iter() if "http-equiv" in getattr(e, "attrib", {})] == []
        assert len(html.findall(".//a")) == 2  # the link to act on and the settings link


def test_it_shows_help_texts_as_text(client, people):
    post = make_year(make_user("owner"), year=2025)

    client.force_login(post.owner)
    edit = client.get(reverse("planner:year_edit", args=["owner", 2025]))
    client.force_login(people["staff"])
    admin = client.get(reverse("admin:planner_year_change", args=[post.pk]))

    for response, shown in [
        (edit, "Leave empty for “2025 review and 2026 plan”."),
        (admin, "Leave empty to name it for its year, as in “2025 review and 2026 plan”."),
    ]:
        document = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
        help_text = document.find(".//*[@id='id_title_helptext']")
        assert "".join(help_text.itertext()).strip() == shown
