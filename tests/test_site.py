"""Site-wide guards: who may open every URL, one <h1> per page, labels without a colon, no
pending migrations."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.models import AccessToken, Scope
from planner.models import Area, CalendarFeed, GoalUpdate, Import, Visibility
from readers.models import Subscription
from readers.subscriptions import confirm_token
from tests.factory import (
    image_bytes,
    make_answer,
    make_comment,
    make_entry,
    make_goal,
    make_photo,
    make_year,
)
from tests.pages import unmasked

# Who may use each named URL of the site:
#   anyone     — every visitor
#   visitor    — meant for people who are not logged in (the auth flows)
#   logged_in  — any logged-in user; visitors are sent to log in
#   reader     — whoever may read the year it shows (owner; others if unlisted/public)
#   owner      — the owner only; other users get 404, visitors are sent to log in
#   liker      — logged-in readers of the year but not its owner (422); visitors log in first
#   commenter  — logged-in readers of an unlisted or public year (404 on a private one, even
#                for its owner); visitors log in first
#   author     — the comment's author (deleting: also the post's owner); other users get 404,
#                visitors are sent to log in
#   comment    — whoever may read the comment's post while it is unlisted or public
#   token      — whoever holds the secret in the address (a calendar service has no session):
#                visitors, other users, staff and the owner alike; a wrong or reset one is 404
#   replier    — logged-in readers of the comment's post while it is unlisted or public (404
#                on a private one, even for its owner); visitors log in first
#   mail_link  — whoever holds the link a mail gave (its key is the permission), signed in or
#                not, staff included; the same address with another key gets 404
#   provider   — the mail provider, with the shared secret (MAIL_EVENTS_SECRET); anyone else,
#                staff included, gets 401
#   follower   — logged-in people but the writer the URL names (422: nobody follows themself);
#                visitors log in first
PERMISSIONS = {
    "favicon": "anyone",
    "robots_txt": "anyone",
    "sitemap": "anyone",
    "healthz": "anyone",
    "set_language": "anyone",
    "planner:home": "anyone",
    "planner:profile": "anyone",
    "planner:series_print": "anyone",
    "planner:feed": "anyone",
    "planner:search": "anyone",
    "planner:year_detail": "reader",
    "portability:year_export_md": "reader",
    "portability:year_export_zip": "reader",
    "planner:year_create": "logged_in",
    "portability:markdown_import": "logged_in",
    "portability:markdown_import_save": "logged_in",
    "portability:markdown_import_cancel": "logged_in",
    "portability:journal_import": "logged_in",
    "portability:series_import": "logged_in",
    "portability:series_import_save": "logged_in",
    "planner:year_edit": "owner",
    "planner:year_delete": "owner",
    "planner:year_as_visitor": "owner",
    "portability:markdown_import_undo": "owner",
    "planner:post_like": "liker",
    "planner:comment_list": "reader",
    "planner:comment_create": "commenter",
    "planner:comments_toggle": "owner",
    "planner:comment_link": "comment",
    "planner:comment_edit": "author",
    "planner:comment_delete": "author",
    "planner:comment_reply": "replier",
    "planner:comment_pin": "owner",
    "planner:stats": "logged_in",
    "planner:calendar_settings": "logged_in",
    "planner:calendar_reset": "logged_in",
    "planner:calendar_feed": "token",
    "planner:areas": "logged_in",
    "planner:area_rename": "owner",
    "planner:area_move": "owner",
    "planner:area_delete": "owner",
    "planner:goal_create": "owner",
    "planner:carry_over": "owner",
    "planner:next_year": "owner",
    "planner:next_year_goal": "owner",
    "planner:next_year_new": "owner",
    "planner:next_year_finish": "owner",
    "planner:goal_edit": "owner",
    "planner:goal_toggle": "owner",
    "planner:goal_follow_figures": "owner",
    "planner:goal_update_edit": "owner",
    "planner:goal_update_delete": "owner",
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
    "planner:summary_draft": "owner",
    "planner:period_edit": "owner",
    "planner:period_autosave": "owner",
    "planner:entry_link": "reader",
    "planner:reflection": "owner",
    "planner:answer_edit": "owner",
    "planner:answer_autosave": "owner",
    "planner:answer_shown": "owner",
    "planner:answer_remove": "owner",
    "planner:entry_create": "owner",
    "planner:entry_edit": "owner",
    "planner:entry_delete": "owner",
    "planner:entry_restore": "owner",
    "planner:entry_move": "owner",
    "planner:entry_reorder": "owner",
    "planner:entry_privacy": "owner",
    "planner:photo_create": "owner",
    "planner:photo_reorder": "owner",
    "planner:photo_move": "owner",
    "planner:photo_edit": "owner",
    "planner:photo_delete": "owner",
    "planner:photo_file": "reader",
    "planner:avatar_file": "anyone",
    "accounts:signup": "visitor",
    "accounts:profile_edit": "logged_in",
    "api:tokens": "logged_in",
    "api:token_revoke": "owner",
    "portability:archive_export": "logged_in",
    "portability:archive_import": "logged_in",
    "login": "visitor",
    "logout": "anyone",
    "manifest": "anyone",
    "planner:share_receive": "anyone",
    "planner:share_entry": "logged_in",
    "planner:share_photo": "logged_in",
    "service_worker": "anyone",
    "offline": "anyone",
    "password_change": "logged_in",
    "password_change_done": "logged_in",
    "password_reset": "visitor",
    "password_reset_done": "visitor",
    "password_reset_confirm": "visitor",
    "password_reset_complete": "visitor",
    "readers:subscribe": "anyone",
    "readers:subscription_confirm": "mail_link",
    "readers:unsubscribe": "mail_link",
    "readers:mail_events": "provider",
    "readers:follow": "follower",
    "readers:followers": "owner",
    "readers:following": "logged_in",
    "readers:notifications": "logged_in",
}
NOT_PAGES = {"favicon", "healthz", "planner:photo_file", "planner:avatar_file"}
# Feeds and files for machines: no <h1> to count.
NOT_PAGES |= {"planner:feed", "sitemap", "robots_txt", "manifest", "service_worker"}
NOT_PAGES |= {"planner:share_photo", "planner:calendar_feed", "readers:mail_events"}
# Files to download: a post in Markdown (alone or with its photos), everything of a person.
NOT_PAGES |= {
    "portability:year_export_md",
    "portability:year_export_zip",
    "portability:archive_export",
}
POST_ONLY = {
    "planner:post_like",
    "portability:markdown_import_save",
    "portability:markdown_import_cancel",
    "portability:series_import_save",
    "planner:comment_create",
    "planner:comment_pin",
    "planner:comments_toggle",
    "planner:goal_toggle",
    "planner:goal_restore",
    "planner:goal_update_create",
    "planner:goal_follow_figures",
    "planner:goal_move",
    "planner:goal_reorder",
    "planner:area_rename",
    "planner:area_move",
    "planner:goal_privacy",
    "planner:entry_restore",
    "planner:entry_move",
    "planner:entry_reorder",
    "planner:entry_privacy",
    "planner:photo_create",
    "planner:photo_reorder",
    "planner:photo_move",
    "planner:photo_edit",
    "planner:year_text_autosave",
    "planner:period_autosave",
    "planner:answer_autosave",
    "planner:answer_shown",
    "portability:archive_import",
    "logout",
    "set_language",
    "planner:share_receive",
    "planner:next_year_finish",
    "planner:calendar_reset",
    "readers:mail_events",
    "readers:follow",
}
# Fragments for htmx; a plain request is sent back to the page they belong to. So are the
# addresses that only lead on: an entry's (to its post), the next-year steps' start.
FRAGMENTS = {"planner:goal_note", "planner:comment_list"}
FRAGMENTS |= {"planner:entry_link", "planner:next_year"}
# Staff are no one special on the site, with one exception: staff who may view photos in the
# admin get every photo's renditions, so the admin's thumbnails work for private posts too.
STAFF_MAY_READ = {"planner:photo_file"}


def named_urls(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            # The admin has its own permissions; the JSON API its own table of routes
            # (tests/api/test_routes.py).
            if pattern.app_name == "admin" or pattern.namespace == "api-v1":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


@pytest.fixture
def world(owner):
    year = make_year(owner, year=2025, visibility=Visibility.PRIVATE, intro="Hello")
    Import.objects.create(post=year)  # made by the Markdown importer: it may be undone
    goal = make_goal(year, target=10)
    update = GoalUpdate.objects.create(goal=goal, value=3, recorded_on=datetime.date(2025, 3, 1))
    entry = make_entry(year)
    photo = make_photo(entry)
    answer = make_answer(year, shown_in_post=True)
    owner.avatar.save("avatar.jpg", ContentFile(image_bytes()))
    # Comments exist on shared posts only: the owner's own comment on a public year.
    comment = make_comment(make_year(owner, year=2024, visibility=Visibility.PUBLIC), owner)
    area = Area.objects.create(owner=owner, name="Health")
    subscription = Subscription.objects.create(writer=owner, email="fan@example.com", language="en")
    token, _secret = AccessToken.issue(owner, name="script", scope=Scope.WRITE)
    return {
        "subscription": subscription,
        "token": token,
        "area": area,
        "owner": owner,
        "year": year,
        "goal": goal,
        "update": update,
        "entry": entry,
        "photo": photo,
        "comment": comment,
        "answer": answer,
    }


def url_for(name: str, world: dict) -> str:
    args = {
        "planner:profile": ["owner"],
        "planner:series_print": ["owner"],
        "planner:feed": ["owner"],
        "planner:year_detail": ["owner", 2025],
        "portability:year_export_md": ["owner", 2025],
        "portability:year_export_zip": ["owner", 2025],
        "planner:year_edit": ["owner", 2025],
        "planner:year_delete": ["owner", 2025],
        "planner:year_as_visitor": ["owner", 2025],
        "portability:markdown_import_undo": ["owner", 2025],
        "planner:post_like": ["owner", 2025],
        "planner:comment_list": ["owner", 2025],
        "planner:comment_create": ["owner", 2025],
        "planner:comments_toggle": ["owner", 2025],
        "planner:comment_link": [world["comment"].pk],
        "planner:comment_edit": [world["comment"].pk],
        "planner:comment_delete": [world["comment"].pk],
        "planner:comment_reply": [world["comment"].pk],
        "planner:comment_pin": [world["comment"].pk],
        "planner:goal_create": ["owner", 2025],
        "planner:area_rename": [world["area"].pk],
        "planner:area_move": [world["area"].pk],
        "planner:area_delete": [world["area"].pk],
        "planner:carry_over": ["owner", 2025],
        "planner:next_year": ["owner", 2025],
        "planner:next_year_goal": ["owner", 2025, world["goal"].pk],
        "planner:next_year_new": ["owner", 2025],
        "planner:next_year_finish": ["owner", 2025],
        "planner:summary_draft": ["owner", 2025],
        "planner:entry_link": [world["entry"].pk],
        "planner:year_text_edit": ["owner", 2025, "intro"],
        "planner:year_text_autosave": ["owner", 2025, "intro"],
        "planner:period_edit": ["owner", 2025, 1],
        "planner:period_autosave": ["owner", 2025, 1],
        "planner:entry_create": ["owner", 2025, 1],
        "planner:reflection": ["owner", 2025, "period-1"],
        "planner:answer_edit": [world["answer"].pk],
        "planner:answer_autosave": [world["answer"].pk],
        "planner:answer_shown": [world["answer"].pk],
        "planner:answer_remove": [world["answer"].pk],
        "planner:goal_edit": [world["goal"].pk],
        "planner:goal_toggle": [world["goal"].pk],
        "planner:goal_delete": [world["goal"].pk],
        "planner:goal_restore": [world["goal"].pk],
        "planner:goal_note": [world["goal"].pk],
        "planner:goal_note_edit": [world["goal"].pk],
        "planner:goal_update_create": [world["goal"].pk],
        "planner:goal_follow_figures": [world["goal"].pk],
        "planner:goal_update_edit": [world["update"].pk],
        "planner:goal_update_delete": [world["update"].pk],
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
        "planner:photo_reorder": [world["entry"].pk],
        "planner:photo_move": [world["photo"].pk],
        "planner:photo_edit": [world["photo"].pk],
        "planner:photo_delete": [world["photo"].pk],
        "planner:photo_file": [world["photo"].pk, world["photo"].image.name.rsplit("/", 1)[-1]],
        "planner:avatar_file": [world["owner"].avatar.name.rsplit("/", 1)[-1]],
        "api:token_revoke": [world["token"].pk],
        "password_reset_confirm": ["MQ", "set-password"],
        # A share no session holds: a visitor is asked to log in first, anyone else gets 404.
        "planner:share_entry": ["x" * 32],
        "planner:share_photo": ["x" * 32, "01-photo.jpg"],
        "planner:calendar_feed": [CalendarFeed.objects.for_owner(world["owner"]).token],
        "readers:subscribe": ["owner"],
        "readers:subscription_confirm": ["owner", confirm_token(world["subscription"])],
        "readers:unsubscribe": [world["subscription"].unsubscribe_key],
        "readers:follow": ["owner"],
        "readers:followers": ["owner"],
    }.get(name, [])
    return reverse(name, args=args)


def test_it_lists_every_url_in_the_permission_table():
    assert named_urls() == set(PERMISSIONS)


# On the site staff have no special powers: to them an owner's page is another's, as to anyone.
@pytest.mark.parametrize("person", ["reader", "staff"])
@pytest.mark.parametrize(
    ("name", "visibility"),
    [
        (n, visibility)
        for n, who in PERMISSIONS.items()
        for visibility in (Visibility.PRIVATE, Visibility.PUBLIC)
        if who in ("owner", "author")
        # Liking and commenting are for readers; a private year has nothing to read.
        or (who in ("liker", "commenter") and visibility == Visibility.PRIVATE)
    ],
)
def test_it_answers_404_to_other_users_on_owner_pages(
    client, world, reader, staff, person, name, visibility
):
    world["year"].visibility = visibility
    world["year"].save()
    client.force_login(reader if person == "reader" else staff)
    url = url_for(name, world)

    response = client.post(url) if name in POST_ONLY else client.get(url)

    assert response.status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        n
        for n, who in PERMISSIONS.items()
        if who in ("owner", "logged_in", "liker", "author", "commenter", "replier", "follower")
    ],
)
def test_it_sends_visitors_to_log_in(client, world, name):
    url = url_for(name, world)

    response = client.post(url) if name in POST_ONLY else client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


@pytest.mark.parametrize(
    "name",
    [n for n, who in PERMISSIONS.items() if who in ("owner", "author", "commenter", "replier")],
)
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
    client, world, owner, reader, staff, visibility, owner_sees, others_see
):
    world["year"].visibility = visibility
    world["year"].save()
    url = url_for("planner:year_detail", world)

    assert client.get(url).status_code == others_see
    client.force_login(reader)
    assert client.get(url).status_code == others_see
    client.force_login(staff)
    assert client.get(url).status_code == others_see
    client.force_login(owner)
    assert client.get(url).status_code == owner_sees


@pytest.mark.parametrize("name", [n for n, who in PERMISSIONS.items() if who == "replier"])
@pytest.mark.parametrize(
    ("visibility", "everyone_sees"),
    [(Visibility.PRIVATE, 404), (Visibility.UNLISTED, 200), (Visibility.PUBLIC, 200)],
)
def test_it_lets_readers_reply_by_the_comments_post(
    client, world, owner, reader, staff, name, visibility, everyone_sees
):
    post = world["comment"].year
    post.visibility = visibility
    post.save()
    url = url_for(name, world)

    assert client.get(url).status_code == 302  # a visitor logs in first
    for person in (reader, staff, owner):
        client.force_login(person)
        assert client.get(url).status_code == everyone_sees


@pytest.mark.parametrize("name", [n for n, who in PERMISSIONS.items() if who == "reader"])
@pytest.mark.parametrize(
    ("visibility", "others_see"),
    [(Visibility.PRIVATE, 404), (Visibility.UNLISTED, 200), (Visibility.PUBLIC, 200)],
)
def test_it_lets_readers_in_by_the_years_visibility(
    client, world, owner, reader, staff, name, visibility, others_see
):
    world["year"].visibility = visibility
    world["year"].save()
    url = url_for(name, world)
    # A fragment sends a plain request on to its page, once the year may be read.
    shown = 302 if name in FRAGMENTS else 200
    others_see = shown if others_see == 200 else others_see

    assert client.get(url).status_code == others_see
    client.force_login(reader)
    assert client.get(url).status_code == others_see
    client.force_login(staff)
    assert client.get(url).status_code == (shown if name in STAFF_MAY_READ else others_see)
    client.force_login(owner)
    assert client.get(url).status_code == shown


@pytest.mark.parametrize("name", [n for n, who in PERMISSIONS.items() if who == "token"])
def test_it_opens_token_addresses_to_whoever_holds_the_token(
    client, world, owner, reader, staff, name
):
    url = url_for(name, world)
    wrong = url.replace(CalendarFeed.objects.get(owner=owner).token, "x" * 43)

    for person in [None, reader, staff, owner]:
        if person:
            client.force_login(person)
        assert client.get(url).status_code == 200
        assert client.get(wrong).status_code == 404


@pytest.mark.parametrize(
    "name",
    sorted(
        n for n, who in PERMISSIONS.items() if who == "anyone" and n not in POST_ONLY | NOT_PAGES
    ),
)
def test_it_opens_pages_for_anyone_to_every_person(client, world, reader, owner, staff, name):
    url = url_for(name, world)

    for person in (None, reader, owner, staff):
        if person:
            client.force_login(person)
        assert client.get(url, follow=True).status_code == 200, person


MAIL_LINKS_WITH_ANOTHER_KEY = {
    "readers:subscription_confirm": ["owner", "x" * 40],
    "readers:unsubscribe": ["x" * 32],
}


@pytest.mark.parametrize("name", [n for n, who in PERMISSIONS.items() if who == "mail_link"])
def test_it_opens_a_mail_link_to_whoever_holds_it(client, world, owner, reader, staff, name):
    url = url_for(name, world)
    another_key = reverse(name, args=MAIL_LINKS_WITH_ANOTHER_KEY[name])

    for person in (None, reader, owner, staff):
        if person:
            client.force_login(person)
        assert client.get(url).status_code == 200, person
        assert client.get(another_key).status_code == 404, person
        assert client.post(another_key).status_code == 404, person


@pytest.mark.parametrize("name", [n for n, who in PERMISSIONS.items() if who == "provider"])
def test_it_takes_mail_events_from_the_provider_only(
    client, world, owner, reader, staff, settings, name
):
    settings.MAIL_EVENTS_SECRET = "provider-secret"
    url = url_for(name, world)

    for person in (None, reader, owner, staff):
        if person:
            client.force_login(person)
        response = client.post(url, "[]", content_type="application/json")
        assert response.status_code == 401, person
    provider = client.post(
        url, "[]", content_type="application/json", HTTP_AUTHORIZATION="Bearer provider-secret"
    )
    assert provider.status_code == 200


@pytest.mark.parametrize("name", [n for n, who in PERMISSIONS.items() if who == "follower"])
def test_it_lets_others_follow_but_not_the_writer(client, world, owner, reader, staff, name):
    url = url_for(name, world)

    client.force_login(owner)
    assert client.post(url).status_code == 422
    for person in (reader, staff):
        client.force_login(person)
        assert client.post(url).status_code == 302


def test_it_opens_the_admin_to_staff_only(client, world, reader, staff):
    url = reverse("admin:index")

    assert client.get(url).status_code == 302
    client.force_login(reader)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_it_answers_a_private_year_like_one_that_does_not_exist(client, world, reader):
    client.force_login(reader)
    private_url = url_for("planner:year_detail", world)
    missing_url = reverse("planner:year_detail", args=["owner", 2031])
    private = client.get(private_url)
    missing = client.get(missing_url)

    assert private.status_code == missing.status_code == 404
    # The same page but for its own address (the language menu returns to it), the CSRF
    # tokens (masked anew on every page) and the script nonce (new on every page).
    assert unmasked(private.text, private_url) == unmasked(missing.text, missing_url)


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
    url = url_for(name, world)
    if name == "planner:share_entry":  # a page of a share this session holds
        url = client.post(reverse("planner:share_receive"), {"text": "Hello"})["Location"]

    response = client.get(url, follow=True)

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


def label_texts(response) -> list[str]:
    return re.findall(r"<(?:label|legend)\b[^>]*>(.*?)</(?:label|legend)>", response.text, re.S)


@pytest.mark.parametrize("name", sorted(n for n in PERMISSIONS if n not in POST_ONLY | NOT_PAGES))
def test_it_labels_fields_without_a_trailing_colon(client, world, owner, name):
    if PERMISSIONS[name] != "visitor":
        client.force_login(owner)

    response = client.get(url_for(name, world), follow=True)

    assert [label for label in label_texts(response) if label.strip().endswith(":")] == []


def test_it_has_no_pending_migrations(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
