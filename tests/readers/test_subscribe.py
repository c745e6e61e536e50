"""Asking to subscribe: the form on the profile and the post, the neutral answer, limits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from planner.models import Visibility
from readers.models import Subscription, SubscriptionStatus
from tests.factory import make_year

pytestmark = pytest.mark.django_db

KOREAN = {"HTTP_ACCEPT_LANGUAGE": "ko-KR,ko;q=0.9"}


def subscribe_url(username: str = "owner") -> str:
    return reverse("readers:subscribe", args=[username])


def test_it_offers_the_form_on_the_profile_and_the_post_to_visitors_and_readers(
    client, owner, reader
):
    make_year(owner, year=2025, visibility=Visibility.PUBLIC)
    pages = [
        reverse("planner:profile", args=["owner"]),
        reverse("planner:year_detail", args=["owner", 2025]),
    ]
    for page in pages:
        for who in (None, reader):
            if who:
                client.force_login(who)
            else:
                client.logout()
            response = client.get(page)
            assert response.status_code == 200
            assert f'action="{subscribe_url()}"' in response.text
            assert "Get Olivia Owner's new posts by e-mail" in response.text


def test_it_shows_the_owner_the_count_of_confirmed_subscribers_not_the_form(owner_client, owner):
    Subscription.objects.create(
        writer=owner, email="a@example.com", language="en", status="confirmed"
    )
    Subscription.objects.create(writer=owner, email="b@example.com", language="en")  # pending

    response = owner_client.get(reverse("planner:profile", args=["owner"]))

    assert "1 address subscribed by e-mail gets a mail when you publish a post." in response.text
    assert "a@example.com" not in response.text
    assert f'action="{subscribe_url()}"' not in response.text


def test_it_mails_a_link_to_confirm_and_says_so_in_the_visitors_language(
    client, owner, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(subscribe_url(), {"email": " Fan@Example.com "}, **KOREAN)

    assert response.status_code == 302
    page = client.get(response.url, **KOREAN)
    assert "fan@example.com" in page.text
    assert "확인" in page.text
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.language, subscription.status) == (
        "fan@example.com",
        "ko",
        SubscriptionStatus.PENDING,
    )
    [message] = outbox
    assert message.to == ["fan@example.com"]
    assert "Olivia Owner" in message.subject
    assert "/@owner/subscribe/confirm/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_it_answers_the_same_whether_the_address_subscribes_already(
    client, owner, subscribed, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(subscribe_url(), {"email": "fan@example.com"}, follow=True)
        new = client.post(subscribe_url(), {"email": "new@example.com"}, follow=True)

    def message_of(response):
        return next(str(m) for m in response.context["messages"]).replace("new@", "fan@")

    assert known.status_code == new.status_code == 200
    assert message_of(known) == message_of(new)
    # The confirmed address is not asked again, and stays confirmed.
    assert [m.to for m in outbox] == [["new@example.com"]]
    subscribed.refresh_from_db()
    assert subscribed.status == SubscriptionStatus.CONFIRMED


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("", "Enter the e-mail address that should get the mail."),
        ("not an address", "Enter an e-mail address such as name@example.com."),
        ("a" * 300 + "@example.com", "at most 254 characters"),
    ],
)
def test_it_refuses_a_bad_address_with_a_clear_message(client, owner, email, error):
    response = client.post(subscribe_url(), {"email": email})

    assert response.status_code == 422
    assert error in response.text
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("email", ["x@localhost", "x@[::1]", '"a@b"@localhost'])
def test_it_refuses_an_address_whose_domain_has_no_dot(client, owner, email):
    response = client.post(subscribe_url(), {"email": email})

    assert response.status_code == 422
    assert "the part after the @ needs a dot, as in name@example.com" in response.text
    assert not Subscription.objects.exists()


def test_it_refuses_a_domain_without_a_dot_in_korean_for_a_korean_reader(client, owner):
    response = client.post(subscribe_url(), {"email": "x@localhost"}, **KOREAN)

    assert response.status_code == 422
    assert "@ 뒤에 점(.)이 있어야 합니다" in response.text
    assert not Subscription.objects.exists()


def test_it_takes_an_address_whose_domain_has_a_dot(client, owner):
    response = client.post(subscribe_url(), {"email": "x@mail.example"})

    assert response.status_code == 302
    assert Subscription.objects.get().email == "x@mail.example"


def test_it_refuses_a_bad_address_in_korean_for_a_korean_reader(client, owner):
    response = client.post(subscribe_url(), {"email": "nope"}, **KOREAN)

    assert response.status_code == 422
    assert "name@example.com" in response.text
    assert "Enter an e-mail address" not in response.text


def test_it_escapes_the_address_it_shows(client, owner):
    response = client.post(subscribe_url(), {"email": '"<b>x</b>"@example.com'}, follow=True)

    assert response.status_code == 200
    assert "<b>x</b>" not in response.text
    assert "&lt;b&gt;x&lt;/b&gt;" in response.text


def test_it_limits_requests_per_address(
    client, owner, settings, outbox, django_capture_on_commit_callbacks
):
    settings.SUBSCRIBE_RATE_LIMITS_PER_ADDRESS = "2/hour"
    with django_capture_on_commit_callbacks(execute=True):
        for _i in range(2):
            assert client.post(subscribe_url(), {"email": "fan@example.com"}).status_code == 302
        response = client.post(subscribe_url(), {"email": "FAN@example.com"})

    assert response.status_code == 429
    assert "Too many requests to subscribe" in response.text
    assert len(outbox) == 2
    # Another address from the same client is still fine.
    assert client.post(subscribe_url(), {"email": "other@example.com"}).status_code == 302


def test_it_limits_requests_per_client_address(
    client, owner, settings, outbox, django_capture_on_commit_callbacks
):
    settings.SUBSCRIBE_RATE_LIMITS_PER_IP = "3/hour"
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            response = client.post(subscribe_url(), {"email": f"fan{i}@example.com"})
            assert response.status_code == 302
        response = client.post(subscribe_url(), {"email": "fan9@example.com"})

    assert response.status_code == 429
    assert len(outbox) == 3
    assert not Subscription.objects.filter(email="fan9@example.com").exists()


def test_a_signed_in_reader_subscribes_with_a_csrf_token(reader, owner):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)

    refused = client.post(subscribe_url(), {"email": "rae@example.com"})
    page = client.get(reverse("planner:profile", args=["owner"]))
    token = page.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    accepted = client.post(
        subscribe_url(), {"email": "rae@example.com", "csrfmiddlewaretoken": token}
    )

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert Subscription.objects.filter(email="rae@example.com").exists()


def test_a_visitor_subscribes_from_a_kept_page_without_a_token(client, owner):
    from django.test import Client

    visitor = Client(enforce_csrf_checks=True)
    make_year(owner, year=2025, visibility=Visibility.PUBLIC)
    first = visitor.get(reverse("planner:profile", args=["owner"]))
    kept = visitor.get(reverse("planner:profile", args=["owner"]))

    assert "csrfmiddlewaretoken" not in kept.text
    assert first.text == kept.text  # served from the cache
    response = visitor.post(subscribe_url(), {"email": "fan@example.com"})
    assert response.status_code == 302
    assert Subscription.objects.filter(email="fan@example.com").exists()


def test_it_answers_404_for_an_unknown_or_closed_account(client, owner):
    owner.is_active = False
    owner.save()

    assert client.get(subscribe_url()).status_code == 404
    assert client.post(subscribe_url("nobody"), {"email": "a@example.com"}).status_code == 404
    assert not Subscription.objects.exists()


def test_one_address_subscribes_to_several_writers(client, owner, reader):
    client.post(subscribe_url("owner"), {"email": "fan@example.com"})
    client.post(subscribe_url("reader"), {"email": "fan@example.com"})

    assert sorted(Subscription.objects.values_list("writer__username", flat=True)) == [
        "owner",
        "reader",
    ]


def test_a_signed_in_reader_subscribes_from_the_post_kept_for_readers(reader, owner):
    from django.test import Client

    make_year(owner, year=2025, visibility=Visibility.PUBLIC)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    url = reverse("planner:year_detail", args=["owner", 2025])
    client.get(url)
    kept = client.get(url)  # from the readers' cache, with this reader's token put in

    form = kept.text.split('id="subscribe"')[1]
    token = form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(
        subscribe_url(), {"email": "rae@example.com", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert Subscription.objects.filter(email="rae@example.com").exists()


def test_a_huge_request_is_refused_with_a_page_not_an_error(client, owner):
    response = client.post(subscribe_url(), {"email": "a" * 3_000_000 + "@example.com"})

    assert response.status_code == 413
    assert "<h1" in response.text
    assert not Subscription.objects.exists()


def next_in_form(page_text: str) -> str | None:
    """The `next` of the subscribe form in a page, None without one."""
    form = page_text.split('id="subscribe"')[1].split("</form>")[0]
    if 'name="next"' not in form:
        return None
    return form.split('name="next" value="')[1].split('"')[0]


def test_it_goes_back_to_the_post_with_the_same_answer_for_known_and_new_addresses(
    client, owner, subscribed, outbox, django_capture_on_commit_callbacks
):
    make_year(owner, year=2025, visibility=Visibility.PUBLIC)
    post_url = reverse("planner:year_detail", args=["owner", 2025])
    back = next_in_form(client.get(post_url).text)

    answers = []
    for email in ("fan@example.com", "new@example.com"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(subscribe_url(), {"email": email, "next": back})
        assert response.status_code == 302
        assert response.url == post_url
        page = client.get(response.url)
        assert page.status_code == 200
        assert "Olivia Owner" in page.text  # the post, rendered with the message
        [message] = page.context["messages"]
        answers.append(str(message).replace("new@", "fan@"))

    assert back == post_url
    assert answers[0] == answers[1]
    assert "a mail with a link to confirm is on its way" in answers[0]
    assert [m.to for m in outbox] == [["new@example.com"]]


def test_the_profile_and_the_subscribe_page_still_answer_on_the_subscribe_page(client, owner):
    make_year(owner, year=2025, visibility=Visibility.PUBLIC)
    for page in (reverse("planner:profile", args=["owner"]), subscribe_url()):
        assert next_in_form(client.get(page).text) is None

    response = client.post(subscribe_url(), {"email": "fan@example.com"})

    assert response.status_code == 302
    assert response.url == subscribe_url()


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/@owner/2025/", "javascript:alert(1)", "///x"],
)
def test_it_never_sends_the_visitor_to_another_site(client, owner, next_url):
    response = client.post(subscribe_url(), {"email": "fan@example.com", "next": next_url})

    assert response.status_code == 302
    assert response.url == subscribe_url()


def test_a_refused_address_under_a_post_is_shown_again_and_then_goes_back_to_the_post(
    client, owner
):
    make_year(owner, year=2025, visibility=Visibility.PUBLIC)
    post_url = reverse("planner:year_detail", args=["owner", 2025])

    refused = client.post(subscribe_url(), {"email": "nope", "next": post_url})
    assert refused.status_code == 422
    assert next_in_form(refused.text) == post_url
    assert f'<a href="{post_url}">Back to the post</a>' in refused.text
    accepted = client.post(subscribe_url(), {"email": "fan@example.com", "next": post_url})

    assert accepted.status_code == 302
    assert accepted.url == post_url
