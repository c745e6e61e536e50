"""The installable app's manifest, service worker and offline page, as the server sends them."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from tests.factory import PASSWORD, make_year


def test_the_manifest_describes_an_app_that_opens_on_the_dashboard(client):
    response = client.get("/manifest.webmanifest")

    manifest = json.loads(response.content)
    assert response["Content-Type"] == "application/manifest+json"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/",
        "/",
        "standalone",
    )
    assert manifest["short_name"] == "Yearloop"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        stored = finders.find(icon["src"].removeprefix(settings.STATIC_URL))
        if icon["type"] == "image/png":
            assert Image.open(stored).size == tuple(map(int, icon["sizes"].split("x")))


def test_the_manifest_offers_yearloop_in_the_share_sheet_for_photos_and_text(client):
    target = json.loads(client.get("/manifest.webmanifest").content)["share_target"]

    assert (target["action"], target["method"]) == ("/share/", "POST")
    assert target["enctype"] == "multipart/form-data"
    assert target["params"]["files"] == [{"name": "photos", "accept": ["image/*"]}]
    assert {target["params"][key] for key in ("title", "text", "url")} == {"title", "text", "url"}


def test_the_manifest_speaks_the_pages_language(client):
    response = client.get("/manifest.webmanifest", headers={"accept-language": "ko"})

    manifest = json.loads(response.content)
    assert manifest["lang"] == "ko"
    assert manifest["name"] == "Yearloop: 돌아보고 계획하기"
    assert "Accept-Language" in response["Vary"]


def test_the_service_worker_may_look_after_the_whole_site(client):
    response = client.get("/sw.js")

    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    assert '"/offline/"' in response.text


def test_the_offline_page_holds_nothing_of_the_person(owner_client, owner):
    response = owner_client.get(reverse("offline"))

    assert response.status_code == 200
    assert "You are offline" in response.text
    assert owner.username not in response.text
    assert "csrfmiddlewaretoken" not in response.text


@pytest.mark.django_db
def test_only_signed_in_people_get_the_app(client, owner):
    visitor_page = client.get("/")
    client.force_login(owner)
    owner_page = client.get("/")

    assert "manifest.webmanifest" not in visitor_page.text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in owner_page.text


def test_logging_out_tells_the_browser_to_forget_what_the_app_kept(owner_client):
    response = owner_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


@pytest.mark.django_db
def test_only_the_persons_own_pages_may_be_kept_for_offline_reading(client, owner, reader):
    make_year(owner, year=2025, visibility="public")
    visitor_home = client.get("/")
    client.force_login(owner)
    own = [client.get("/"), client.get("/@owner/2025/")]
    client.force_login(reader)
    others = client.get("/@owner/2025/")

    assert [page["X-Offline-Copy"] for page in own] == ["owner", "owner"]
    assert "X-Offline-Copy" not in others
    assert "X-Offline-Copy" not in visitor_home


def test_logging_in_drops_what_an_earlier_persons_app_kept(client, owner):
    response = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'


def test_a_page_kept_in_the_background_leaves_the_csrf_cookie_alone(owner_client, owner):
    # A form page sets the CSRF cookie again on an ordinary visit; fetched in the background
    # to be kept, it must not: arriving after a log-in, it would put back a rotated token.
    make_year(owner, year=2026)
    page = reverse("planner:entry_create", args=[owner.username, 2026, 1])
    owner_client.get(page)  # the cookie is set

    visited = owner_client.get(page)
    kept = owner_client.get(page, HTTP_X_KEEP_OFFLINE="1")

    assert visited.status_code == kept.status_code == 200
    assert "csrfmiddlewaretoken" in kept.text
    assert settings.CSRF_COOKIE_NAME in visited.cookies
    assert settings.CSRF_COOKIE_NAME not in kept.cookies
