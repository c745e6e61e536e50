"""The Atom feed and the sitemap are valid by their specifications' own schemas.

tests/schemas/ holds RFC 4287's RELAX NG grammar (with its Schematron rules) and the
sitemaps.org 0.9 XML Schema.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree

from planner.models import Visibility
from tests.factory import make_entry, make_photo, make_user, make_year

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent.parent / "schemas"
ATOM_NS = {"atom": "http://www.w3.org/2005/Atom"}
SCHEMATRON_NS = {"s": "http://www.ascc.net/xml/schematron"}
HOSTILE = '<script>alert(1)</script> ]]> &amp; "quotes" \x1b\x7f <img src=x onerror=alert(2)>'


@pytest.fixture(scope="module")
def atom_grammar() -> etree._ElementTree:
    return etree.parse(SCHEMAS / "atom.rng")


def assert_valid_atom(content: bytes, grammar: etree._ElementTree) -> None:
    document = etree.fromstring(content)
    relax_ng = etree.RelaxNG(grammar)
    assert relax_ng.validate(document), relax_ng.error_log
    # The RFC's Schematron rules, which RELAX NG validators skip: author, alternate link.
    for rule in grammar.iterfind(".//s:rule", SCHEMATRON_NS):
        for context in document.xpath("//" + rule.get("context"), namespaces=ATOM_NS):
            for check in rule.iterfind("s:assert", SCHEMATRON_NS):
                assert context.xpath(check.get("test"), namespaces=ATOM_NS), check.text


@pytest.fixture
def posts(owner):
    owner.display_name = "김하늘 <b>&</b>"
    owner.bio = '연구자, 개발자 — "학생"'
    owner.save()
    korean = make_year(
        owner,
        year=2025,
        title="2025년 회고와 2026년 계획",
        intro="올해는 **논문**과 피아노의 해였다. " + HOSTILE,
    )
    make_photo(make_entry(korean, title="봄 여행"), caption="바다 앞에서")
    hostile = make_year(owner, year=2024, title=HOSTILE, intro=HOSTILE)
    make_photo(make_entry(hostile, period=2), caption=HOSTILE)
    make_year(owner, year=2023, intro="")  # default title, no intro
    make_year(owner, year=2022, title="Private", visibility=Visibility.PRIVATE)
    return korean, hostile


def test_it_serves_a_feed_valid_by_the_atom_grammar(client, posts, atom_grammar):
    response = client.get(reverse("planner:feed", args=["owner"]))

    assert response.status_code == 200
    assert_valid_atom(response.content, atom_grammar)
    feed = etree.fromstring(response.content)
    titles = feed.xpath("atom:entry/atom:title/text()", namespaces=ATOM_NS)
    assert sorted(titles) == sorted(
        ["2025년 회고와 2026년 계획", HOSTILE.replace("\x1b", ""), "2023 review and 2024 plan"]
    )


def test_it_serves_an_empty_feed_valid_by_the_atom_grammar(client, owner, atom_grammar):
    response = client.get(reverse("planner:feed", args=["owner"]))

    assert response.status_code == 200
    assert_valid_atom(response.content, atom_grammar)


def test_the_atom_check_refuses_an_entry_without_author(atom_grammar):
    feed = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>tag:x,2025:1</id>
    <updated>2025-01-01T00:00:00Z</updated><entry><title>e</title><id>tag:x,2025:2</id>
    <link href="http://x/"/><updated>2025-01-01T00:00:00Z</updated></entry></feed>"""

    with pytest.raises(AssertionError, match="must have an atom:author"):
        assert_valid_atom(feed, atom_grammar)


def test_it_serves_a_sitemap_valid_by_the_sitemaps_schema(client, posts, reader):
    make_year(reader, year=2025, title="낯선 <사람>")
    make_year(make_user("quiet"), year=2025, visibility=Visibility.UNLISTED)
    schema = etree.XMLSchema(etree.parse(SCHEMAS / "sitemap.xsd"))

    response = client.get(reverse("sitemap"))

    assert response.status_code == 200
    document = etree.fromstring(response.content)
    assert schema.validate(document), schema.error_log
    assert len(document) == 6  # 4 public posts, 2 profiles


def test_it_gives_each_post_an_id_that_survives_a_new_publish_date(client, owner):
    post = make_year(owner)
    feed_url = reverse("planner:feed", args=["owner"])
    ids = etree.fromstring(client.get(feed_url).content).xpath(
        "atom:entry/atom:id/text()", namespaces=ATOM_NS
    )

    post.published_at = post.published_at.replace(year=2026)
    post.save()

    again = etree.fromstring(client.get(feed_url).content).xpath(
        "atom:entry/atom:id/text()", namespaces=ATOM_NS
    )
    assert ids == again == [f"urn:uuid:{post.key}"]
