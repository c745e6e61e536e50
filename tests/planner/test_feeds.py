from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlparse
from urllib.robotparser import RobotFileParser

import pytest
from django.urls import reverse

from planner.models import Visibility
from tests.factory import image_upload, make_entry, make_goal, make_photo, make_user, make_year

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FEED = reverse("planner:feed", args=["owner"])
# Every absolute address is on the configured site address, not the request's host.
SITE = "https://yearloop.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def years(owner):
    """One year of each visibility, with distinctive titles."""
    return {
        "public": make_year(
            owner,
            year=2025,
            title="Open 2025",
            intro="A year of **papers** and piano.",
            visibility=Visibility.PUBLIC,
        ),
        "unlisted": make_year(owner, year=2024, title="Link 2024", visibility=Visibility.UNLISTED),
        "private": make_year(owner, year=2023, title="Diary 2023", visibility=Visibility.PRIVATE),
    }


def feed_of(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def meta(page: str, key: str) -> str | None:
    """The content of <meta property|name="key">, unescaped, or None."""
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', page)
    return html.unescape(match.group(1)) if match else None


def metas(page: str, key: str) -> list[str]:
    """The contents of every <meta property|name="key">, in page order, unescaped."""
    found = re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', page)
    return [html.unescape(value) for value in found]


# The feed


@pytest.mark.parametrize("viewer", ["visitor", "reader", "owner"])
def test_it_lists_only_public_posts_in_the_feed_whoever_asks(client, years, owner, reader, viewer):
    if viewer != "visitor":
        client.force_login({"reader": reader, "owner": owner}[viewer])

    feed = feed_of(client.get(FEED))

    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Open 2025"]
    assert b"Link 2024" not in client.get(FEED).content
    assert b"Diary 2023" not in client.get(FEED).content


def test_it_writes_a_valid_atom_entry_for_each_post(client, years):
    feed = feed_of(client.get(FEED))

    assert feed.findtext(f"{ATOM}title") == "Olivia Owner on Yearloop"
    assert feed.findtext(f"{ATOM}subtitle") == "Researcher, Developer, Student"
    assert feed.findtext(f"{ATOM}id")
    assert feed.findtext(f"{ATOM}updated")
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == f"{SITE}/@owner/2025/"
    assert entry.findtext(f"{ATOM}id") == years["public"].key.urn
    assert entry.findtext(f"{ATOM}published").startswith(str(years["public"].published_at.year))
    assert entry.findtext(f"{ATOM}updated")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Olivia Owner"
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text == "<p>A year of <strong>papers</strong> and piano.</p>\n"


def test_it_lists_the_newest_post_first(client, owner):
    make_year(owner, year=2023, title="Older")
    make_year(owner, year=2025, title="Newer")

    feed = feed_of(client.get(FEED))

    assert [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")] == ["Newer", "Older"]


def test_it_never_puts_private_goals_or_entries_in_the_feed(client, years):
    post = years["public"]
    make_goal(post, title="Secret goal", note="secret note", is_private=True)
    make_entry(post, title="Secret entry", body="secret body", is_private=True)
    make_goal(post, title="Open goal")

    content = client.get(FEED).content.decode()

    assert "Secret" not in content
    assert "secret" not in content


def test_it_sanitises_the_intro_in_the_feed(client, owner):
    make_year(owner, intro='<script>alert(1)</script> [x](javascript:alert(2)) <img onerror="x">')

    summary = feed_of(client.get(FEED)).find(f"{ATOM}entry/{ATOM}summary").text

    assert "<script" not in summary
    assert 'href="javascript' not in summary
    assert "<img" not in summary


def test_it_leaves_out_characters_xml_cannot_carry(client, owner):
    # A vertical tab pasted into a title once made the whole feed a server error.
    owner.display_name = "Olivia\x0bOwner"
    owner.save()
    make_year(owner, year=2025, title="Open\x0b2025\x1b", intro="Tabbed\x0c intro")

    feed = feed_of(client.get(FEED))

    assert feed.find(f"{ATOM}title").text == "OliviaOwner on Yearloop"
    assert feed.find(f"{ATOM}entry/{ATOM}title").text == "Open2025"
    assert feed.find(f"{ATOM}entry/{ATOM}author/{ATOM}name").text == "OliviaOwner"
    assert "Tabbed intro" in feed.find(f"{ATOM}entry/{ATOM}summary").text


def test_it_answers_an_empty_feed_for_a_person_without_public_posts(client, owner):
    make_year(owner, visibility=Visibility.UNLISTED)

    feed = feed_of(client.get(FEED))

    assert feed.findall(f"{ATOM}entry") == []


def test_it_answers_404_for_unknown_or_inactive_people(client, owner):
    make_year(owner)
    make_year(make_user("gone", is_active=False))

    assert client.get(reverse("planner:feed", args=["nobody"])).status_code == 404
    assert client.get(reverse("planner:feed", args=["gone"])).status_code == 404


def test_it_links_the_feed_from_the_profile_and_the_post(client, years):
    link = '<link rel="alternate" type="application/atom+xml" href="/@owner/feed/"'

    assert link in client.get(reverse("planner:profile", args=["owner"])).text
    assert link in client.get(years["public"].get_absolute_url()).text


# Sharing tags on posts


def test_it_gives_a_public_post_open_graph_twitter_and_canonical_tags(client, years):
    post = years["public"]
    entry = make_entry(post, title="Snow")
    photo = make_photo(entry, caption="Me, pretending to be cold")

    page = client.get(post.get_absolute_url()).text

    assert f'<link rel="canonical" href="{SITE}/@owner/2025/">' in page
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:title") == "Open 2025"
    assert meta(page, "og:description") == "A year of papers and piano."
    assert meta(page, "og:url") == f"{SITE}/@owner/2025/"
    image = meta(page, "og:image")
    assert image == SITE + photo.fallback_url
    assert metas(page, "og:image")[1] == SITE + photo.file_url(photo.renditions[-1]["name"])
    assert meta(page, "og:image:alt") == "Me, pretending to be cold"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "twitter:title") == "Open 2025"
    assert meta(page, "twitter:description") == "A year of papers and piano."
    assert meta(page, "twitter:image") == image
    assert meta(page, "robots") is None


def test_it_shares_a_photo_anyone_may_load(client, years):
    make_photo(make_entry(years["public"]))

    image = meta(client.get(years["public"].get_absolute_url()).text, "og:image")

    assert client.get(urlparse(image).path).status_code == 200


def test_it_shares_a_large_photo_as_jpeg_then_its_960_webp_rendition(client, years):
    make_photo(make_entry(years["public"]), upload=image_upload(size=(2000, 1500)))

    page = client.get(years["public"].get_absolute_url()).text

    jpeg, webp = metas(page, "og:image")
    assert jpeg.endswith("/fallback.jpg")
    assert webp.endswith("/960.webp")
    assert metas(page, "og:image:type") == ["image/jpeg", "image/webp"]
    assert metas(page, "og:image:width") == ["1600", "960"]
    assert metas(page, "og:image:height") == ["1200", "720"]


def test_it_never_shares_a_photo_of_a_private_entry(client, owner, years):
    post = years["public"]
    make_photo(make_entry(post, title="Hidden", is_private=True), caption="hidden photo")
    make_photo(make_entry(post, title="Shown"), caption="shown photo")

    assert meta(client.get(post.get_absolute_url()).text, "og:image:alt") == "shown photo"
    client.force_login(owner)
    assert meta(client.get(post.get_absolute_url()).text, "og:image:alt") == "hidden photo"


def test_it_shares_the_site_image_without_photos_or_avatar(client, owner):
    post = make_year(owner, intro="")

    page = client.get(post.get_absolute_url()).text

    assert metas(page, "og:image") == [f"{SITE}/static/share.png"]
    assert meta(page, "og:image:type") == "image/png"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "og:description") == "2025 review and 2026 plan — Olivia Owner"


def test_it_escapes_the_intro_in_sharing_tags(client, owner):
    post = make_year(owner, intro='He said "hi" & <b>left</b>', title='A "quoted" <title>')

    page = client.get(post.get_absolute_url()).text

    # Raw HTML in Markdown is text on the page, so it is text in the preview too.
    assert 'content="He said &quot;hi&quot; &amp; &lt;b&gt;left&lt;/b&gt;"' in page
    assert meta(page, "og:title") == 'A "quoted" <title>'
    assert 'A "quoted" <title>' not in page


@pytest.mark.parametrize("visibility", [Visibility.UNLISTED, Visibility.PRIVATE])
def test_it_keeps_unlisted_and_private_posts_out_of_search_engines(
    client, owner, reader, visibility
):
    post = make_year(owner, visibility=visibility)
    noindex = '<meta name="robots" content="noindex">'

    client.force_login(owner)
    assert noindex in client.get(post.get_absolute_url()).text
    if visibility == Visibility.UNLISTED:
        client.force_login(reader)
        assert noindex in client.get(post.get_absolute_url()).text
        client.logout()
        assert noindex in client.get(post.get_absolute_url()).text


# Sitemap and robots.txt


def sitemap_locations(client) -> list[str]:
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def test_it_lists_public_posts_and_their_authors_in_the_sitemap(client, years, reader):
    make_year(reader, year=2025, visibility=Visibility.UNLISTED)
    make_year(make_user("gone", is_active=False), year=2025)

    locations = sitemap_locations(client)

    assert sorted(locations) == [f"{SITE}/@owner/", f"{SITE}/@owner/2025/"]


def test_it_gives_sitemap_entries_a_last_change(client, years):
    response = client.get(reverse("sitemap"))

    root = ET.fromstring(response.content)
    assert all(url.findtext(f"{SITEMAP}lastmod") for url in root.iter(f"{SITEMAP}url"))


def test_it_serves_robots_txt_pointing_to_the_sitemap(client, years):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert "@owner" not in response.text
    assert "Disallow: /\n" not in response.text


def test_it_lets_crawlers_reach_log_in_and_sign_up_but_no_other_account_page(client):
    robots = RobotFileParser()
    robots.parse(client.get("/robots.txt").text.splitlines())

    assert robots.can_fetch("*", "/accounts/login/")
    assert robots.can_fetch("*", "/accounts/signup/")
    assert not robots.can_fetch("*", "/accounts/profile/")
    assert not robots.can_fetch("*", "/accounts/password_reset/")
    assert not robots.can_fetch("*", "/search/?q=x")
