"""HTTP as the RFCs say: HEAD, conditional GET, compression, caching headers, one site address."""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET

import brotli
import pytest
from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse
from django.utils.http import split_directive_names

from planner.models import Visibility
from tests.factory import PASSWORD, make_entry, make_photo, make_year
from tests.test_production import PRODUCTION, manage

# The URL walk's people and things: test_site.py's `world` fixture, loaded by name.
from tests.test_site import PERMISSIONS, POST_ONLY, url_for, world  # noqa: F401

pytestmark = pytest.mark.django_db

SITE = "https://yearloop.example"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FEED = reverse("planner:feed", args=["owner"])
SITEMAP_URL = reverse("sitemap")
# New on every response by design, or read off the clock (Expires is now + max-age, so two
# responses a second apart differ): compared by presence only.
PER_RESPONSE = {"X-Request-ID", "Expires"}
NONCE = re.compile(r"'nonce-[^']+'")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def post(owner):
    post = make_year(owner, year=2025, title="Open 2025", intro="A year of **papers**.")
    make_photo(make_entry(post, title="Spring"))
    return post


def cache_directives(response) -> set[str]:
    return set(split_directive_names(response.get("Cache-Control", "")))


# --- HEAD -----------------------------------------------------------------------------


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def comparable_headers(response) -> dict[str, str]:
    headers = {name: value for name, value in response.headers.items() if name not in PER_RESPONSE}
    if "Content-Security-Policy" in headers:
        headers["Content-Security-Policy"] = NONCE.sub(
            "'nonce'", headers["Content-Security-Policy"]
        )
    return headers


@pytest.mark.parametrize("person", ["visitor", "owner"])
@pytest.mark.parametrize("name", sorted(PERMISSIONS))
def test_it_answers_head_as_it_answers_get(client, request, owner, person, name):
    things = request.getfixturevalue("world")
    things["year"].visibility = Visibility.PUBLIC
    things["year"].save()
    if person == "owner":
        client.force_login(owner)
    url = url_for(name, things)

    first, second = client.get(url), client.get(url)
    head = client.head(url)

    assert head.status_code == first.status_code
    assert body(head) == b""
    get_headers, again, head_headers = map(comparable_headers, (first, second, head))
    assert set(head_headers) == set(get_headers)
    # Whatever two GETs agree on (Content-Length among them), HEAD says too; a masked CSRF
    # token or a nonce makes a page's bytes, so its ETag, new on every response.
    same = {header for header in get_headers if get_headers[header] == again[header]}
    assert {h: head_headers[h] for h in same} == {h: get_headers[h] for h in same}
    if first.status_code == 200 and "Content-Length" in first:
        assert int(head["Content-Length"]) == len(body(first))


@pytest.mark.parametrize("path", ["/robots.txt", "/healthz"])
def test_it_answers_head_on_robots_and_health(client, path):
    response = client.head(path)

    assert response.status_code == 200
    assert response.content == b""
    assert int(response["Content-Length"]) == len(client.get(path).content)


def test_it_gives_the_language_menu_its_way_back_on_head_too(client, post):
    url = post.get_absolute_url()

    get = client.get(url)

    assert f'<input type="hidden" name="next" value="{url}">' in get.text
    assert client.head(url)["Content-Length"] == get["Content-Length"]


# --- Conditional GET ------------------------------------------------------------------


@pytest.mark.parametrize("path", [FEED, SITEMAP_URL, "/@owner/2025/"])
@pytest.mark.parametrize("method", ["get", "head"])
def test_it_answers_304_to_a_reader_that_has_the_current_version(client, post, path, method):
    first = client.get(path)

    again = getattr(client, method)(path, headers={"if-none-match": first["ETag"]})

    assert first.status_code == 200
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize("path", [FEED, "/@owner/2025/"])
def test_it_answers_the_new_version_once_the_post_changed(client, post, path):
    first = client.get(path)
    post.title = "Open 2025, revised"
    post.save()

    again = client.get(path, headers={"if-none-match": first["ETag"]})

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert "Open 2025, revised" in again.text


@pytest.mark.parametrize("path", [FEED, SITEMAP_URL])
def test_it_answers_the_new_list_once_a_post_joined_it(client, owner, post, path):
    first = client.get(path)
    make_year(owner, year=2026, title="Open 2026")

    again = client.get(path, headers={"if-none-match": first["ETag"]})

    assert again.status_code == 200
    assert "/@owner/2026/" in again.text


@pytest.mark.parametrize("path", [FEED, SITEMAP_URL])
def test_it_answers_the_new_list_once_a_post_left_it(client, post, path):
    first = client.get(path)
    post.visibility = Visibility.PRIVATE
    post.save()

    again = client.get(path, headers={"if-none-match": first["ETag"]})

    assert again.status_code == 200
    assert "/@owner/2025/" not in again.text


@pytest.mark.parametrize("path", [FEED, SITEMAP_URL])
def test_it_sends_no_last_modified_that_could_go_back_in_time(client, post, path):
    # The newest date among what is still listed goes back when a post leaves the list.
    assert "Last-Modified" not in client.get(path)


def test_it_answers_404_not_304_once_a_post_turned_private(client, reader, post):
    first = client.get(post.get_absolute_url())
    post.visibility = Visibility.PRIVATE
    post.save()

    for person in (None, reader):
        if person:
            client.force_login(person)
        again = client.get(post.get_absolute_url(), headers={"if-none-match": first["ETag"]})
        assert again.status_code == 404


def test_it_never_answers_a_stranger_304_for_a_private_post(client, reader, post):
    post.visibility = Visibility.PRIVATE
    post.save()
    client.force_login(reader)

    response = client.get(post.get_absolute_url(), headers={"if-none-match": "*"})

    assert response.status_code == 404


def test_it_gives_each_language_its_own_version(client, post):
    english = client.get(post.get_absolute_url())

    korean = client.get(
        post.get_absolute_url(),
        headers={"accept-language": "ko", "if-none-match": english["ETag"]},
    )

    assert korean.status_code == 200
    assert korean["Content-Language"] == "ko"
    assert korean["ETag"] != english["ETag"]


def test_it_answers_304_to_a_compressed_copy(client, post):
    first = client.get(FEED, headers={"accept-encoding": "gzip"})

    again = client.get(FEED, headers={"accept-encoding": "gzip", "if-none-match": first["ETag"]})

    assert first["ETag"].startswith('W/"')  # the body sent is not the one hashed
    assert again.status_code == 304


# --- Compression ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/@owner/2025/", "text/html"),
        ("/@owner/", "text/html"),
        (FEED, "application/atom+xml"),
        (SITEMAP_URL, "application/xml"),
    ],
)
def test_it_compresses_pages_feeds_and_the_sitemap(client, post, path, content_type):
    plain = client.get(path)

    sizes = set()
    for _ in range(5):
        response = client.get(path, headers={"accept-encoding": "gzip, deflate, br, zstd"})
        assert response["Content-Encoding"] == "gzip"
        assert response["Content-Type"].startswith(content_type)
        assert "Accept-Encoding" in response["Vary"]
        assert gzip.decompress(response.content) == plain.content
        assert int(response["Content-Length"]) == len(response.content) < len(plain.content)
        sizes.add(len(response.content))
    # Heal the Breach: random bytes in each gzip header, so lengths tell nothing (BREACH).
    assert len(sizes) > 1


def test_it_sends_plain_bytes_to_a_client_that_asks_for_no_gzip(client, post):
    response = client.get(post.get_absolute_url(), headers={"accept-encoding": "br"})

    assert "Content-Encoding" not in response
    assert "<h1" in response.text


def test_it_masks_the_csrf_token_on_every_response(client, owner, post):
    client.force_login(owner)
    tokens = set()
    for _ in range(2):
        page = client.get(reverse("accounts:profile_edit")).text
        tokens |= set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))

    assert len(tokens) > 1


# --- Cache-Control --------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(set(PERMISSIONS) - {"planner:avatar_file"}))
def test_it_keeps_every_answer_to_a_signed_in_person_out_of_shared_caches(
    client, request, owner, name
):
    things = request.getfixturevalue("world")
    client.force_login(owner)
    url = url_for(name, things)

    response = client.post(url) if name in POST_ONLY else client.get(url)

    assert cache_directives(response) & {"private", "no-store"}, response.get("Cache-Control")
    assert "public" not in cache_directives(response)


@pytest.mark.parametrize(
    "url",
    [
        reverse("planner:home"),
        reverse("planner:stats"),
        reverse("accounts:profile_edit"),
        "/@owner/2025/",
        "/@owner/2025/edit/",
    ],
)
def test_it_marks_session_pages_private(client, owner, post, url):
    client.force_login(owner)

    response = client.get(url)

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)  # Back shows it anew
    assert "Cookie" in response["Vary"]


def test_it_keeps_secrets_out_of_every_cache(client, owner):
    assert "no-store" in cache_directives(client.get(reverse("login")))
    client.force_login(owner)

    assert "no-store" in cache_directives(client.get(reverse("portability:archive_export")))


def test_it_leaves_a_visitors_public_post_shareable(client, post):
    response = client.get(post.get_absolute_url())

    assert "private" not in cache_directives(response)
    assert response["ETag"]


def test_it_keeps_the_photo_of_a_post_turned_private_out_of_shared_caches(client, owner, post):
    photo = post.periods.get(index=1).entries.get().photos.get()
    url = photo.file_url(photo.image.name.rsplit("/", 1)[-1])
    shared = client.get(url)
    assert shared.status_code == 200
    assert {"public", "s-maxage=0", "proxy-revalidate"} <= {
        d.replace(" ", "") for d in shared["Cache-Control"].split(",")
    }

    post.visibility = Visibility.PRIVATE
    post.save()

    # The shared cache asks again before serving its copy, and is told it is gone.
    revalidation = client.get(url, headers={"if-none-match": shared["ETag"]})
    assert revalidation.status_code == 404
    client.force_login(owner)
    own = client.get(url)
    assert own.status_code == 200
    assert "private" in cache_directives(own)
    assert "public" not in cache_directives(own)


# --- One site address -----------------------------------------------------------------


@pytest.fixture
def evil_host(settings):
    # A host the site answers (a wildcard ALLOWED_HOSTS, or a proxy passing any Host on).
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    return {"host": "evil.example"}


def absolute_addresses(text: str) -> set[str]:
    return set(re.findall(r"https?://[^\s\"'<)]+", text)) - {
        "http://www.w3.org/2005/Atom",
        "http://www.sitemaps.org/schemas/sitemap/0.9",
        "http://www.w3.org/1999/xhtml",
    }


def test_it_builds_the_posts_addresses_on_the_site_address(client, post, evil_host):
    for _ in range(2):  # the second answer comes from the post cache
        page = client.get(post.get_absolute_url(), headers=evil_host).text

        assert f'<link rel="canonical" href="{SITE}/@owner/2025/">' in page
        assert f'<meta property="og:url" content="{SITE}/@owner/2025/">' in page
        assert f'<meta property="og:image" content="{SITE}/photos/' in page
        assert "evil.example" not in page


def test_it_builds_the_feed_on_the_site_address(client, post, evil_host):
    feed = ET.fromstring(client.get(FEED, headers=evil_host).content)

    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == f"{SITE}/@owner/2025/"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE}{FEED}"
    assert feed.findtext(f"{ATOM}id") == f"{SITE}/@owner/"
    assert all(a.startswith(SITE) for a in absolute_addresses(client.get(FEED).text))


def test_it_keeps_each_atom_entry_id_whatever_changes(client, owner, post, evil_host, settings):
    first = ET.fromstring(client.get(FEED).content).find(f"{ATOM}entry").findtext(f"{ATOM}id")
    owner.username = "olivia"
    owner.save()
    settings.SITE_URL = "https://yearloop.example.org"

    feed = ET.fromstring(client.get(reverse("planner:feed", args=["olivia"])).content)

    assert first == post.key.urn
    assert feed.find(f"{ATOM}entry").findtext(f"{ATOM}id") == first


def test_it_builds_the_sitemap_and_robots_on_the_site_address(client, post, evil_host):
    sitemap = ET.fromstring(client.get(SITEMAP_URL, headers=evil_host).content)
    robots = client.get("/robots.txt", headers=evil_host).text

    locations = sorted(loc.text for loc in sitemap.iter(f"{SITEMAP}loc"))
    assert locations == [f"{SITE}/@owner/", f"{SITE}/@owner/2025/"]
    assert f"Sitemap: {SITE}{SITEMAP_URL}" in robots.splitlines()


def test_it_links_the_exported_markdown_to_the_site_address(client, post, evil_host):
    text = client.get(
        reverse("portability:year_export_md", args=["owner", 2025]), headers=evil_host
    )

    assert f"]({SITE}/photos/" in text.content.decode()
    assert "evil.example" not in text.content.decode()


def test_it_refuses_a_site_address_with_a_path():
    result = manage("check", SITE_URL="https://yearloop.example/blog/")

    assert result.returncode != 0
    assert "SITE_URL must be the site's origin" in result.stderr


# --- The language cookie --------------------------------------------------------------


def test_it_sets_the_language_cookie_same_site_lax(client, owner):
    response = client.post(reverse("set_language"), {"language": "ko", "next": "/"})

    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ko"
    assert cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # development runs on plain HTTP


def test_it_sets_the_language_cookie_at_log_in_same_site_lax(owner):
    owner.language = "ko"
    owner.save()
    client = Client()

    response = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["samesite"] == "Lax"


@pytest.mark.parametrize(("https", "secure"), [("1", "True"), ("0", "False")])
def test_it_marks_the_language_cookie_secure_when_https_is_on(https, secure):
    code = "from django.conf import settings as s; print(s.LANGUAGE_COOKIE_SECURE)"

    result = manage("shell", "-c", code, HTTPS=https, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == secure


def test_it_marks_the_language_cookie_secure_in_the_answer(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True

    response = client.post(reverse("set_language"), {"language": "ko", "next": "/"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"] is True


def test_it_serves_static_files_in_brotli_to_browsers_that_ask(settings, tmp_path):
    # As `make serve` does: hashed files, compressed once by collectstatic, sent by whitenoise.
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # The site's own files only: compressing the admin's and htmx's takes most of a minute.
    call_command("collectstatic", "--no-input", "-i", "admin", "-i", "django_htmx", verbosity=0)
    stylesheet = static("yearloop.css")
    client = Client()  # its middleware, whitenoise's included, reads the files now

    plain = client.get(stylesheet)
    squeezed = {
        coding: client.get(stylesheet, headers={"accept-encoding": coding})
        for coding in ("gzip", "gzip, deflate, br, zstd")
    }

    assert squeezed["gzip"]["Content-Encoding"] == "gzip"
    br = squeezed["gzip, deflate, br, zstd"]
    assert br["Content-Encoding"] == "br"
    original = b"".join(plain.streaming_content)
    assert brotli.decompress(b"".join(br.streaming_content)) == original
    assert int(br["Content-Length"]) < int(squeezed["gzip"]["Content-Length"]) < len(original)
