"""Sign-up, log-in, password and profile fields say what they hold, for browsers to fill in."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = pytest.mark.django_db


class Fields(HTMLParser):
    """The autocomplete value of each named input and select of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.autocomplete: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag in {"input", "select"} and attrs.get("type") not in {"hidden", "submit"}:
            self.autocomplete[attrs.get("name")] = attrs.get("autocomplete")


def autocomplete(response) -> dict[str, str | None]:
    assert response.status_code == 200
    parser = Fields()
    parser.feed(response.text)
    return parser.autocomplete


def test_it_names_the_sign_up_fields(client):
    fields = autocomplete(client.get(reverse("accounts:signup")))

    assert fields["username"] == "username"
    assert fields["email"] == "email"
    assert fields["display_name"] == "name"
    assert fields["password1"] == fields["password2"] == "new-password"


def test_it_names_the_log_in_fields(client):
    fields = autocomplete(client.get(reverse("login")))

    assert fields["username"] == "username"
    assert fields["password"] == "current-password"


def test_it_names_the_profile_fields(owner_client):
    fields = autocomplete(owner_client.get(reverse("accounts:profile_edit")))

    assert fields["display_name"] == "name"
    assert fields["email"] == "email"
    assert fields["language"] == "language"


def test_it_names_the_password_change_fields(owner_client):
    fields = autocomplete(owner_client.get(reverse("password_change")))

    assert fields["old_password"] == "current-password"
    assert fields["new_password1"] == fields["new_password2"] == "new-password"


def test_it_names_the_password_reset_fields(client, owner):
    assert autocomplete(client.get(reverse("password_reset")))["email"] == "email"

    uid = urlsafe_base64_encode(force_bytes(owner.pk))
    token = default_token_generator.make_token(owner)
    confirm = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)

    fields = autocomplete(confirm)
    assert fields["new_password1"] == fields["new_password2"] == "new-password"
