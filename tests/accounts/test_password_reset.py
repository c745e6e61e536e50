from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factory import PASSWORD

URL = reverse("password_reset")
DONE = reverse("password_reset_done")
NEW_PASSWORD = "quiet-harbour-lantern-42"
DONE_TEXT = "If an account uses the address you entered"


@pytest.fixture
def ask_for_reset(client, django_capture_on_commit_callbacks):
    """Post the form; the mail is queued once the request's work commits."""

    def ask_for_reset(email: str, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, {"email": email}, **extra)

    return ask_for_reset


def reset_link(message) -> str:
    """The link, alone on its line so that mail programs make it clickable."""
    match = re.search(r"^http://testserver(/accounts/reset/\S+/)$", message.body, re.MULTILINE)
    assert match, message.body
    return match.group(1)


def main_of(response) -> str:
    """The page's content, without the per-request nonce and CSRF token around it."""
    return response.text.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_it_shows_the_form(client, db):
    response = client.get(URL)

    assert response.status_code == 200
    assert response.text.count("<h1") == 1
    assert "Reset your password" in response.text
    assert '<label for="id_email">' in response.text


def test_it_emails_a_link_that_sets_a_new_password(client, owner, ask_for_reset):
    response = ask_for_reset("owner@example.com")

    assert response.status_code == 302
    assert response.url == DONE
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner@example.com"]
    assert message.subject == "Reset your Yearloop password"
    assert message.body.startswith("Hello Olivia Owner,\n")
    assert message.alternatives == []
    assert "Your username, in case you have forgotten it: owner" in message.body

    opened = client.get(reset_link(message))
    assert opened.status_code == 302
    form = client.get(opened.url)
    assert form.status_code == 200
    assert "Choose a new password" in form.text
    assert form.text.count("<h1") == 1
    assert '<label for="id_new_password1">' in form.text

    done = client.post(opened.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    complete = client.get(done.url)
    assert "Your new password is set" in complete.text
    assert complete.text.count("<h1") == 1
    assert f'href="{reverse("login")}"' in complete.text

    login = client.post(reverse("login"), {"username": "owner", "password": NEW_PASSWORD})
    assert login.status_code == 302
    owner.refresh_from_db()
    assert not owner.check_password(PASSWORD)


def test_it_finds_the_account_whatever_the_case_of_the_address(client, owner, ask_for_reset):
    ask_for_reset("Owner@Example.COM")

    assert [message.to for message in mail.outbox] == [["owner@example.com"]]


def test_it_shows_the_same_page_for_an_unknown_address(client, owner, ask_for_reset):
    known = ask_for_reset("owner@example.com", follow=True)
    unknown = ask_for_reset("nobody@example.com", follow=True)

    assert known.redirect_chain == unknown.redirect_chain == [(DONE, 302)]
    assert DONE_TEXT in unknown.text
    assert unknown.text.count("<h1") == 1
    assert main_of(known) == main_of(unknown)
    assert len(mail.outbox) == 1


def test_it_sends_nothing_to_a_deactivated_account(client, stranger, ask_for_reset):
    stranger.is_active = False
    stranger.save(update_fields=["is_active"])

    response = ask_for_reset("stranger@example.com")

    assert response.url == DONE
    assert mail.outbox == []


def test_it_refuses_an_address_that_is_not_one(client, db, ask_for_reset):
    response = ask_for_reset("not an address")

    assert response.status_code == 422
    assert "Enter a valid email address." in response.text
    assert mail.outbox == []


def test_it_says_when_a_link_does_not_work(client, owner):
    response = client.get(reverse("password_reset_confirm", args=["Mg", "not-a-token"]))

    assert response.status_code == 200
    assert response.text.count("<h1") == 1
    assert "This link no longer works" in response.text
    assert f'href="{URL}"' in response.text
    assert "new_password1" not in response.text


def test_it_does_not_let_a_link_be_used_twice(client, owner, ask_for_reset):
    ask_for_reset("owner@example.com")
    link = reset_link(mail.outbox[0])
    opened = client.get(link)
    client.post(opened.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert "This link no longer works" in again.text
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)


def test_it_refuses_new_passwords_that_do_not_match(client, owner, ask_for_reset):
    ask_for_reset("owner@example.com")
    opened = client.get(reset_link(mail.outbox[0]))

    response = client.post(
        opened.url, {"new_password1": NEW_PASSWORD, "new_password2": "something-else-entirely"}
    )

    assert response.status_code == 422
    assert "The two password fields didn’t match." in response.text
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_resetting_the_password_revokes_every_access_token(client, owner, ask_for_reset):
    from api.models import AccessToken
    from tests.api.conftest import issue

    issue(owner)
    ask_for_reset("owner@example.com")
    opened = client.get(reset_link(mail.outbox[0]))
    client.post(opened.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert AccessToken.objects.get().revoked_at is not None


def test_a_password_hash_upgraded_at_log_in_keeps_the_tokens(owner, settings):
    from api.models import AccessToken
    from tests.api.conftest import issue

    issue(owner)
    owner.check_password(PASSWORD)
    owner.save()
    assert AccessToken.objects.get().revoked_at is None
