"""Site-wide guards: who may open every URL, one <h1> per page, no pending migrations."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from planner.models import Visibility
from tests.factory import make_entry, make_goal, make_photo, make_year

# Who may use each named URL of the site:
#   anyone     — every visitor
#   visitor    — meant for people who are not logged in (the auth flows)
#   logged_in  — any logged-in user; visitors are sent to log in
#   reader     — whoever may read the year it shows (owner; others if unlisted/public)
#   owner      — the owner only; other users get 404, visitors are sent to log in
PERMISSIONS = {
    "favicon": "anyone",
    "planner:home": "anyone",
    "planner:profile": "anyone",
    "planner:year_detail": "reader",
    "planner:year_create": "logged_in",
    "planner:year_edit": "owner",
    "planner:year_delete": "owner",
    "planner:goal_create": "owner",
    "planner:carry_over": "owner",
    "planner:goal_edit": "owner",
    "planner:goal_toggle": "owner",
    "planner:goal_delete": "owner",
    "planner:goal_restore": "owner",
    "planner:goal_note": "owner",
    "planner:goal_note_edit": "owner",
    "planner:goal_update_create": "owner",
    "planner:goal_move": "owner",
    "planner:goal_reorder": "owner",
    "planner:goal_privacy": "owner",
    "planner:year_text_edit": "owner",
    "planner:year_text_autosave": "owner",
    "planner:period_edit": "owner",
    "planner:period_autosave": "owner",
    "planner:entry_create": "owner",
    "planner:entry_edit": "owner",
    "planner:entry_delete": "owner",
    "planner:entry_restore": "owner",
    "planner:entry_move": "owner",
    "planner:entry_reorder": "owner",
    "planner:entry_privacy": "owner",
    "planner:photo_create": "owner",
    "planner:photo_edit": "owner",
    "planner:photo_delete": "owner",
    "accounts:signup": "visitor",
    "accounts:profile_edit": "logged_in",
    "login": "visitor",
    "logout": "anyone",
    "password_change": "logged_in",
    "password_change_done": "logged_in",
    "password_reset": "visitor",
    "password_reset_done": "visitor",
    "password_reset_confirm": "visitor",
    "password_reset_complete": "visitor",
}
NOT_PAGES = {"favicon"}
POST_ONLY = {
    "planner:goal_toggle",
    "planner:goal_restore",
    "planner:goal_update_create",
    "planner:goal_move",
    "planner:goal_reorder",
    "planner:goal_privacy",
    "planner:entry_restore",
    "planner:entry_move",
    "planner:entry_reorder",
    "planner:entry_privacy",
    "planner:photo_create",
    "planner:photo_edit",
    "planner:year_text_autosave",
    "planner:period_autosave",
    "logout",
}
# Fragments for htmx; a plain request is sent back to the page they belong to.
FRAGMENTS = {"planner:goal_note"}


def named_urls(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


@pytest.fixture
def world(owner):
    year = make_year(owner, year=2025, visibility=Visibility.PRIVATE, intro="Hello")
    goal = make_goal(year)
    entry = make_entry(year)
    photo = make_photo(entry)
    return {"year": year, "goal": goal, "entry": entry, "photo": photo}


def url_for(name: str, world: dict) -> str:
    args = {
        "planner:profile": ["owner"],
        "planner:year_detail": ["owner", 2025],
        "planner:year_edit": ["owner", 2025],
        "planner:year_delete": ["owner", 2025],
        "planner:goal_create": ["owner", 2025],
        "planner:carry_over": ["owner", 2025],
        "planner:year_text_edit": ["owner", 2025, "intro"],
        "planner:year_text_autosave": ["owner", 2025, "intro"],
        "planner:period_edit": ["owner", 2025, 1],
        "planner:period_autosave": ["owner", 2025, 1],
        "planner:entry_create": ["owner", 2025, 1],
        "planner:goal_edit": [world["goal"].pk],
        "planner:goal_toggle": [world["goal"].pk],
        "planner:goal_delete": [world["goal"].pk],
        "planner:goal_restore": [world["goal"].pk],
        "planner:goal_note": [world["goal"].pk],
        "planner:goal_note_edit": [world["goal"].pk],
        "planner:goal_update_create": [world["goal"].pk],
        "planner:goal_move": [world["goal"].pk],
        "planner:goal_reorder": ["owner", 2025],
        "planner:goal_privacy": [world["goal"].pk],
        "planner:entry_edit": [world["entry"].pk],
        "planner:entry_delete": [world["entry"].pk],
        "planner:entry_restore": [world["entry"].pk],
        "planner:entry_move": [world["entry"].pk],
        "planner:entry_reorder": ["owner", 2025, 1],
        "planner:entry_privacy": [world["entry"].pk],
        "planner:photo_create": [world["entry"].pk],
        "planner:photo_edit": [world["photo"].pk],
        "planner:photo_delete": [world["photo"].pk],
        "password_reset_confirm": ["MQ", "set-password"],
    }.get(name, [])
    return reverse(name, args=args)


def test_it_lists_every_url_in_the_permission_table():
    assert named_urls() == set(PERMISSIONS)


@pytest.mark.parametrize("name", [n for n, who in PERMISSIONS.items() if who == "owner"])
def test_it_answers_404_to_other_users_on_owner_pages(client, world, reader, name):
    client.force_login(reader)
    url = url_for(name, world)

    response = client.post(url) if name in POST_ONLY else client.get(url)

    assert response.status_code == 404


@pytest.mark.parametrize(
    "name", [n for n, who in PERMISSIONS.items() if who in ("owner", "logged_in")]
)
def test_it_sends_visitors_to_log_in(client, world, name):
    url = url_for(name, world)

    response = client.post(url) if name in POST_ONLY else client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("name", [n for n, who in PERMISSIONS.items() if who == "owner"])
def test_it_lets_the_owner_in(client, world, owner, name):
    client.force_login(owner)

    response = client.get(url_for(name, world))

    expected = 405 if name in POST_ONLY else 302 if name in FRAGMENTS else 200
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("visibility", "owner_sees", "others_see"),
    [
        (Visibility.PRIVATE, 200, 404),
        (Visibility.UNLISTED, 200, 200),
        (Visibility.PUBLIC, 200, 200),
    ],
)
def test_it_shows_a_year_by_its_visibility(
    client, world, owner, reader, visibility, owner_sees, others_see
):
    world["year"].visibility = visibility
    world["year"].save()
    url = url_for("planner:year_detail", world)

    assert client.get(url).status_code == others_see
    client.force_login(reader)
    assert client.get(url).status_code == others_see
    client.force_login(owner)
    assert client.get(url).status_code == owner_sees


def test_it_answers_a_private_year_like_one_that_does_not_exist(client, world, reader):
    client.force_login(reader)
    private = client.get(url_for("planner:year_detail", world))
    missing = client.get(reverse("planner:year_detail", args=["owner", 2031]))

    assert private.status_code == missing.status_code == 404
    assert private.content == missing.content


def count_h1(response) -> int:
    return response.content.decode().count("<h1")


@pytest.mark.parametrize(
    "name",
    sorted(
        n for n in PERMISSIONS if n not in POST_ONLY | NOT_PAGES and PERMISSIONS[n] != "visitor"
    ),
)
def test_it_gives_every_page_exactly_one_h1(client, world, owner, name):
    client.force_login(owner)

    response = client.get(url_for(name, world), follow=True)

    assert response.status_code == 200
    assert count_h1(response) == 1


@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n, who in PERMISSIONS.items()
        if who in ("visitor", "anyone") and n not in POST_ONLY | NOT_PAGES
    ),
)
def test_it_gives_every_visitor_page_exactly_one_h1(client, world, name):
    world["year"].visibility = Visibility.PUBLIC
    world["year"].save()

    response = client.get(url_for(name, world), follow=True)

    assert response.status_code == 200
    assert count_h1(response) == 1


def test_it_has_no_pending_migrations(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
