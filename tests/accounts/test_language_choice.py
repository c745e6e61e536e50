"""Choosing the language: the menu (a cookie, and the profile when logged in), the profile
setting, and the stored language taking effect at log-in."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factory import PASSWORD, make_year

pytestmark = pytest.mark.django_db

SET_LANGUAGE = reverse("set_language")
LOGIN = reverse("login")
PROFILE = reverse("accounts:profile_edit")
COOKIE = settings.LANGUAGE_COOKIE_NAME
KOREAN_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "ko-KR,ko;q=0.9"}


@pytest.fixture
def strict_client() -> Client:
    """A client that is checked for CSRF, as a browser is."""
    return Client(enforce_csrf_checks=True)


def csrf_token(client: Client) -> str:
    client.get(PROFILE)
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def test_it_sets_a_visitors_language_and_returns_to_the_page(strict_client, owner):
    response = strict_client.post(SET_LANGUAGE, {"language": "ko", "next": "/@owner/"})

    assert response.status_code == 302
    assert response.url == "/@owner/"
    assert response.cookies[COOKIE].value == "ko"
    page = strict_client.get("/@owner/")
    assert '<html lang="ko">' in page.text
    assert settings.CSRF_COOKIE_NAME not in page.cookies  # visitors' pages stay cacheable


def test_it_keeps_a_logged_in_persons_choice_in_the_profile(strict_client, owner):
    strict_client.force_login(owner)

    response = strict_client.post(
        SET_LANGUAGE,
        {"language": "ko", "next": "/stats/", "csrfmiddlewaretoken": csrf_token(strict_client)},
    )

    assert response.status_code == 302
    assert response.url == "/stats/"
    assert response.cookies[COOKIE].value == "ko"
    owner.refresh_from_db()
    assert owner.language == "ko"


def test_it_refuses_a_logged_in_change_without_the_csrf_token(strict_client, owner):
    strict_client.force_login(owner)

    response = strict_client.post(
        SET_LANGUAGE, {"language": "ko", "next": "/"}, HTTP_ACCEPT_LANGUAGE="ko"
    )

    assert response.status_code == 403
    # A tab opened before logging in: said plainly, in the person's language.
    assert "<h1>이 양식은 만료되었습니다</h1>" in response.content.decode()
    assert COOKIE not in response.cookies
    owner.refresh_from_db()
    assert owner.language == ""


@pytest.mark.parametrize("person", ["visitor", "owner"])
def test_it_refuses_a_language_the_site_does_not_offer(client, owner, person):
    if person == "owner":
        client.force_login(owner)

    # Django has French; the site does not offer it.
    response = client.post(SET_LANGUAGE, {"language": "fr", "next": "/"})

    assert response.status_code == 422
    assert "en, ko" in response.text
    assert COOKIE not in response.cookies
    owner.refresh_from_db()
    assert owner.language == ""


def test_it_never_returns_to_another_site(client):
    response = client.post(
        SET_LANGUAGE, {"language": "ko", "next": "https://evil.example/"}, HTTP_ACCEPT="text/html"
    )

    assert response.status_code == 302
    assert response.url == "/"


def test_it_answers_only_posts(client):
    assert client.get(SET_LANGUAGE + "?language=ko").status_code == 405


def test_it_switches_to_the_stored_language_at_log_in(client, owner):
    owner.language = "ko"
    owner.save()

    response = client.post(LOGIN, {"username": "owner", "password": PASSWORD}, follow=True)

    assert client.cookies[COOKIE].value == "ko"
    assert '<html lang="ko">' in response.text
    assert "대시보드" in response.text


def test_it_follows_the_browser_when_no_language_is_stored(client, owner):
    client.post(LOGIN, {"username": "owner", "password": PASSWORD})

    assert COOKIE not in client.cookies
    assert '<html lang="ko">' in client.get("/", **KOREAN_BROWSER).text
    assert '<html lang="en">' in client.get("/").text


def test_it_edits_the_language_in_the_profile(client, owner):
    client.force_login(owner)
    form = client.get(PROFILE).text
    assert '<option value="" selected>Follow my browser</option>' in form
    assert '<option value="ko">한국어</option>' in form

    data = {"display_name": owner.display_name, "bio": owner.bio, "email": owner.email}
    response = client.post(PROFILE, {**data, "language": "ko"})

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.language == "ko"
    response = client.post(PROFILE, {**data, "language": "fr"})
    assert response.status_code == 422
    owner.refresh_from_db()
    assert owner.language == "ko"


def test_it_returns_to_the_form_after_a_refused_post(client, db):
    page = client.post(
        reverse("accounts:signup"),
        {"username": "X!"},
        HTTP_REFERER="http://testserver/accounts/signup/",
    )
    assert page.status_code == 422
    menu = page.text.split('class="language-menu"')[1]
    assert '<input type="hidden" name="next" value="/accounts/signup/">' in menu

    response = client.post(SET_LANGUAGE, {"language": "ko", "next": "/accounts/signup/"})

    assert response.status_code == 302
    assert client.get(response.url).status_code == 200


def test_after_a_refused_comment_it_returns_to_the_post_not_to_the_forms_address(
    client, owner, reader
):
    post = make_year(owner, year=2025)
    client.force_login(reader)
    create = reverse("planner:comment_create", args=["owner", 2025])
    refused = client.post(
        create, {"body": "   "}, HTTP_REFERER=f"http://testserver{post.get_absolute_url()}"
    )
    assert refused.status_code == 422
    menu = refused.text.split('class="language-menu"')[1]
    assert f'name="next" value="{post.get_absolute_url()}"' in menu

    # Refused again from the refusal's own page: its form carried the way back.
    again = client.post(
        create,
        {"body": "   ", "next": post.get_absolute_url()},
        HTTP_REFERER=f"http://testserver{create}",
    )
    menu = again.text.split('class="language-menu"')[1]
    assert f'name="next" value="{post.get_absolute_url()}"' in menu


def test_a_refused_post_never_leads_back_to_another_site(client, db):
    page = client.post(
        reverse("accounts:signup"), {"username": "X!"}, HTTP_REFERER="https://evil.example/x"
    )
    assert "evil.example" not in page.text
    assert '<input type="hidden" name="next" value="/accounts/signup/">' in page.text


def test_mail_follows_the_browser_someone_signed_up_with_until_they_choose(client, db):
    client.post(
        reverse("accounts:signup"),
        {
            "username": "hana",
            "email": "hana@example.com",
            "display_name": "하나",
            "password1": "a-long-test-password",
            "password2": "a-long-test-password",
        },
        HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9",
    )
    hana = User.objects.get(username="hana")
    assert hana.language == ""
    assert hana.mail_language == "ko"

    client.logout()
    client.post(
        reverse("login"),
        {"username": "hana", "password": "a-long-test-password"},
        HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9",
    )
    hana.refresh_from_db()
    assert hana.mail_language == "en"

    hana.language = "ko"
    hana.save()
    assert hana.mail_language == "ko"
