"""Every main page is valid HTML by the Nu HTML Checker, logged out and in, in both languages.

The pages are rendered by the test client against the demo's content, written to a folder, and
checked in one run of vnu.jar (the `vnu-jar` npm package; `make test` installs it and Java):
starting Java once per page would take minutes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template import loader
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from api.models import AccessToken
from planner.models import Comment, Entry, Goal, Year
from tests.factory import make_user

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SAMPLES = ROOT / "tests" / "portability" / "md_samples"
SERIES_SAMPLES = ROOT / "tests" / "portability" / "series_samples"

# The demo is built "in June 2026": its current year has a period under way.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine("2026-06-15 12:00:00.123456", tick=False),
]


@dataclass(frozen=True)
class Page:
    name: str
    who: str | None  # a demo username, or None for a visitor
    path: str
    status: int = 200
    data: dict | None = None  # posted instead of fetched


def main_pages() -> list[Page]:
    demo = User.objects.get(username="demo")
    reader = User.objects.get(username="reader")
    post = Year.objects.get(owner=demo, year=2026)
    goal = Goal.objects.filter(year=post).first()
    entry = Entry.objects.filter(period__year=post).first()
    comment = Comment.objects.filter(author=reader).first()
    uid = urlsafe_base64_encode(force_bytes(demo.pk))
    token = default_token_generator.make_token(demo)
    api_token, _secret = AccessToken.issue(demo, name="<b>phone</b> & “shortcut”", scope="read")
    visitor = [
        Page("home", None, reverse("planner:home")),
        Page("profile", None, reverse("planner:profile", args=["demo"])),
        Page("post-2024", None, reverse("planner:year_detail", args=["demo", 2024])),
        Page("post-2025", None, reverse("planner:year_detail", args=["demo", 2025])),
        Page("search", None, reverse("planner:search") + "?q=paper"),
        Page("search-ko", None, reverse("planner:search") + "?q=논문"),
        Page("login", None, reverse("login")),
        Page("login-refused", None, reverse("login"), 422, {"username": "demo", "password": "x"}),
        Page("signup", None, reverse("accounts:signup")),
        Page("signup-refused", None, reverse("accounts:signup"), 422, {"username": "A"}),
        Page("password-reset", None, reverse("password_reset")),
        Page("password-reset-done", None, reverse("password_reset_done")),
        Page("password-reset-confirm", None, reverse("password_reset_confirm", args=[uid, token])),
        Page("password-reset-complete", None, reverse("password_reset_complete")),
        Page("not-found", None, "/@nobody/", 404),
    ]
    signed_in = [
        Page("dashboard", "reader", reverse("planner:home")),
        Page("post-2024", "reader", reverse("planner:year_detail", args=["demo", 2024])),
        Page("post-2025", "reader", reverse("planner:year_detail", args=["demo", 2025])),
        Page("own-profile", "reader", reverse("planner:profile", args=["reader"])),
        Page("comment-edit", "reader", reverse("planner:comment_edit", args=[comment.pk])),
        Page("comment-delete", "reader", reverse("planner:comment_delete", args=[comment.pk])),
        Page("comment-reply", "reader", reverse("planner:comment_reply", args=[comment.pk])),
        Page(
            "comment-edit-conflict",
            "reader",
            reverse("planner:comment_edit", args=[comment.pk]),
            409,
            {"body": "Typed in a second tab", "base": "an older version"},
        ),
        Page("password-change", "reader", reverse("password_change")),
        Page("password-change-done", "reader", reverse("password_change_done")),
        Page("not-found", "reader", reverse("planner:year_detail", args=["demo", 2026]), 404),
        Page("dashboard-empty", "newcomer", reverse("planner:home")),
        Page("profile-empty", "newcomer", reverse("planner:profile", args=["newcomer"])),
        Page("dashboard", "demo", reverse("planner:home")),
        Page("profile", "demo", reverse("planner:profile", args=["demo"])),
        *(
            Page(f"post-{year}", "demo", reverse("planner:year_detail", args=["demo", year]))
            for year in (2024, 2025, 2026, 2027)
        ),
        Page("search", "demo", reverse("planner:search") + "?q=paper"),
        Page("stats", "demo", reverse("planner:stats")),
        Page("stats-of-a-post", "demo", reverse("planner:stats") + "?year=2025"),
        Page("settings", "demo", reverse("accounts:profile_edit")),
        Page("settings-refused", "demo", reverse("accounts:profile_edit"), 422, {"email": "x"}),
        Page("calendar-settings", "demo", reverse("planner:calendar_settings")),
        Page(
            "tokens-new",
            "demo",
            reverse("api:tokens"),
            200,
            {
                "name": "running log",
                "scope": "write",
                "expires_on": "2026-07-01",
                "password": "demo",
            },
        ),
        Page("tokens", "demo", reverse("api:tokens")),
        Page("token-revoke", "demo", reverse("api:token_revoke", args=[api_token.pk])),
        Page("tokens-refused", "demo", reverse("api:tokens"), 422, {"name": ""}),
        Page("year-create", "demo", reverse("planner:year_create")),
        Page("notifications", "demo", reverse("readers:notifications")),
        Page("followers", "demo", reverse("readers:followers", args=["demo"])),
        Page("following", "reader", reverse("readers:following")),
        Page("follow-refused", "demo", reverse("readers:follow", args=["demo"]), 422, {}),
        Page("year-edit", "demo", reverse("planner:year_edit", args=["demo", 2026])),
        Page("year-delete", "demo", reverse("planner:year_delete", args=["demo", 2026])),
        Page("carry-over", "demo", reverse("planner:carry_over", args=["demo", 2025])),
        Page("goal-create", "demo", reverse("planner:goal_create", args=["demo", 2026])),
        Page("goal-edit", "demo", reverse("planner:goal_edit", args=[goal.pk])),
        Page("goal-note-edit", "demo", reverse("planner:goal_note_edit", args=[goal.pk])),
        Page("goal-delete", "demo", reverse("planner:goal_delete", args=[goal.pk])),
        Page("entry-create", "demo", reverse("planner:entry_create", args=["demo", 2026, 1])),
        Page("entry-edit", "demo", reverse("planner:entry_edit", args=[entry.pk])),
        Page("entry-delete", "demo", reverse("planner:entry_delete", args=[entry.pk])),
        Page("intro-edit", "demo", reverse("planner:year_text_edit", args=["demo", 2026, "intro"])),
        Page("period-edit", "demo", reverse("planner:period_edit", args=["demo", 2026, 1])),
        Page("comment-remove", "demo", reverse("planner:comment_delete", args=[comment.pk])),
        Page("markdown-import", "demo", reverse("portability:markdown_import")),
        Page(
            "markdown-import-preview",
            "demo",
            reverse("portability:markdown_import"),
            data={"text": (SAMPLES / "ko_mixed.md").read_text()},
        ),
        Page("series-import", "demo", reverse("portability:series_import")),
        Page(
            "series-import-preview",
            "demo",
            reverse("portability:series_import"),
            data={
                f"post-{n}-text": (SERIES_SAMPLES / name).read_text()
                for n, name in enumerate(["en_2021.md", "en_2022.txt", "ko_2023.txt"], start=1)
            },
        ),
    ]
    return visitor + signed_in


def render(page: Page, language: str, users: dict[str, User]) -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if page.who:
        client.force_login(users[page.who])
    if page.data is None:
        response = client.get(page.path, follow=True)
    else:
        response = client.post(page.path, page.data, follow=True)
    assert response.status_code == page.status, f"{page.path} as {page.who}: {response.status_code}"
    assert response["Content-Type"].startswith("text/html")
    return response.text


def check(files: list[Path]) -> list[dict]:
    java = shutil.which("java")
    assert java, "No Java runtime: `make java` installs one."
    assert VNU.exists(), "No vnu.jar: `make node` installs it."
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        return json.loads(result.stderr)["messages"]
    except json.JSONDecodeError:
        pytest.fail(f"The checker did not run:\n{result.stderr[-3000:]}")


def test_every_main_page_is_valid_html(tmp_path, demo_year):
    make_user("newcomer")  # nothing written yet: the empty states
    users = {
        user.username: user
        for user in User.objects.filter(username__in=["demo", "reader", "newcomer"])
    }
    files: dict[Path, str] = {}
    for language in ("en", "ko"):
        for page in main_pages():
            who = page.who or "visitor"
            file = tmp_path / f"{language}-{who}-{page.name}.html"
            file.write_text(render(page, language, users))
            files[file] = f"{page.path} ({who}, {language})"
        # As Django's server_error view renders it: no request, no context.
        file = tmp_path / f"{language}-server-error.html"
        with translation.override(language):
            file.write_text(loader.get_template("500.html").render())
        files[file] = f"500 page ({language})"
        # As Django's csrf_failure view renders it: the request alone.
        file = tmp_path / f"{language}-csrf-failure.html"
        with translation.override(language):
            file.write_text(loader.get_template("403_csrf.html").render())
        files[file] = f"403 CSRF page ({language})"

    messages = check(list(files))

    errors = [
        f"{files[Path(message['url'].removeprefix('file:'))]} line {message.get('lastLine')}: "
        f"{message['message']}\n    {message.get('extract', '').strip()}"
        for message in messages
    ]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
