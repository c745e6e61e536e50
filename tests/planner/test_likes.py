from __future__ import annotations

import re
import time
from functools import partial

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from planner.models import Like, Visibility
from tests.at_once import at_once
from tests.factory import make_user, make_year


def like_url(year) -> str:
    return reverse("planner:post_like", args=[year.owner.username, year.year])


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def post(owner):
    return make_year(owner, year=2025, visibility=Visibility.PUBLIC)


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [(Visibility.PRIVATE, 404), (Visibility.UNLISTED, 302), (Visibility.PUBLIC, 302)],
)
@pytest.mark.parametrize("person", ["reader", "staff"])
def test_it_lets_readers_like_what_they_may_read(
    client, owner, reader, staff, person, visibility, expected
):
    post = make_year(owner, visibility=visibility)
    client.force_login(reader if person == "reader" else staff)

    response = client.post(like_url(post), {"like": "1"})

    assert response.status_code == expected
    assert Like.objects.filter(year=post).count() == (1 if expected == 302 else 0)


@pytest.mark.parametrize("visibility", list(Visibility))
def test_it_sends_visitors_to_log_in_and_stores_nothing(client, owner, visibility):
    post = make_year(owner, visibility=visibility)

    response = client.post(like_url(post), {"like": "1"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Like.objects.exists()


def test_it_sends_an_expired_htmx_session_to_log_in_from_the_page(client, post):
    page = "http://testserver" + post.get_absolute_url()
    response = client.post(like_url(post), headers={"hx-request": "true", "hx-current-url": page})

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login") + "?next=/%40owner/2025/")


@pytest.mark.parametrize("visibility", list(Visibility))
def test_it_refuses_the_owner_a_like_of_their_own_post(owner_client, owner, visibility):
    post = make_year(owner, visibility=visibility)

    response = owner_client.post(like_url(post), {"like": "1"})

    assert response.status_code == 422
    assert "You cannot like your own post" in response.text
    assert not Like.objects.exists()


def test_it_refuses_the_owner_in_place(owner_client, post):
    response = owner_client.post(like_url(post), {"like": "1"}, headers={"hx-request": "true"})

    assert response.status_code == 422
    assert 'id="like-header"' in response.text
    assert "You cannot like your own post." in response.text
    assert not Like.objects.exists()


def test_it_shows_the_owner_the_count_but_no_button(owner_client, post, reader):
    Like.objects.create(year=post, user=reader)

    response = owner_client.get(post.get_absolute_url())

    assert "1 like" in text_of(response)
    assert like_url(post) not in response.text
    assert "Log in to like" not in response.text


def test_it_shows_visitors_the_count_and_a_log_in_link(client, post, reader, stranger):
    Like.objects.create(year=post, user=reader)
    Like.objects.create(year=post, user=stranger)

    response = client.get(post.get_absolute_url())

    html = response.content.decode()
    assert text_of(response).count("2 likes") == 2  # the header and the footer
    links = re.findall(r'<a class="like-login" href="([^"]+)">Log in to like</a>', html)
    assert links == ["/accounts/login/?next=/%40owner/2025/"] * 2
    assert like_url(post) not in html


def test_it_shows_a_reader_a_pressed_button_once_they_like(reader_client, post, reader):
    page = reader_client.get(post.get_absolute_url()).content.decode()
    assert page.count('aria-pressed="false"') >= 2
    assert page.count('name="like" value="1"') == 2

    Like.objects.create(year=post, user=reader)
    page = reader_client.get(post.get_absolute_url()).content.decode()

    assert 'id="like-button-header" class="like-button" aria-pressed="true"' in page
    assert 'id="like-button-footer" class="like-button" aria-pressed="true"' in page
    assert page.count('name="like" value="0"') == 2


def test_it_likes_and_unlikes_without_javascript(reader_client, post, reader):
    page = post.get_absolute_url()

    response = reader_client.post(like_url(post), {"like": "1", "next": page, "place": "footer"})

    assert response.status_code == 302
    assert response.url == page + "#like-footer"
    assert Like.objects.filter(year=post, user=reader).count() == 1

    response = reader_client.post(like_url(post), {"like": "0", "next": page})

    assert response.url == page + "#like-header"
    assert not Like.objects.exists()


def test_it_never_sends_a_plain_post_off_the_site(reader_client, post):
    response = reader_client.post(like_url(post), {"like": "1", "next": "https://evil.example/"})

    assert response.url == post.get_absolute_url() + "#like-header"


def test_it_keeps_one_like_on_a_double_click_and_never_goes_below_zero(reader_client, post):
    for _ in range(2):
        reader_client.post(like_url(post), {"like": "1"})
    assert Like.objects.filter(year=post).count() == 1

    for _ in range(2):
        reader_client.post(like_url(post), {"like": "0"})
    assert Like.objects.filter(year=post).count() == 0


def test_it_answers_htmx_with_both_regions(reader_client, post, stranger):
    Like.objects.create(year=post, user=stranger)

    response = reader_client.post(
        like_url(post),
        {"like": "1", "place": "footer"},
        headers={
            "hx-request": "true",
            "hx-current-url": "http://testserver" + post.get_absolute_url(),
        },
    )

    assert response.status_code == 200
    html = response.text
    # The clicked region comes first and is swapped where it was; the other follows out of band.
    assert html.index('id="like-footer"') < html.index('id="like-header"')
    assert re.search(r'<div id="like-header"[^>]*data-hx-swap-oob="true"', html)
    assert not re.search(r'<div id="like-footer"[^>]*data-hx-swap-oob', html)
    assert text_of(response).count("2 likes") == 2
    assert html.count('aria-pressed="true"') == 2
    assert f'name="next" value="{post.get_absolute_url()}"' in html


def test_it_counts_likes_per_post_and_reader_only(client, owner, reader, stranger):
    first, second = make_year(owner, year=2024), make_year(owner, year=2025)
    Like.objects.create(year=first, user=reader)
    Like.objects.create(year=second, user=reader)
    Like.objects.create(year=second, user=stranger)

    assert Like.objects.summary(first, reader) == (1, True)
    assert Like.objects.summary(second, stranger) == (2, True)
    assert Like.objects.summary(first, stranger) == (1, False)


def test_the_database_refuses_a_second_like_by_the_same_reader(post, reader):
    from django.db import IntegrityError, transaction

    Like.objects.create(year=post, user=reader)

    with pytest.raises(IntegrityError), transaction.atomic():
        Like.objects.create(year=post, user=reader)


@pytest.mark.django_db(transaction=True)
def test_it_keeps_one_like_when_requests_arrive_at_once():
    owner, reader = make_user("owner"), make_user("reader")
    post = make_year(owner)
    clients = []
    for _ in range(6):
        client = Client()
        client.force_login(reader)
        clients.append(client)

    def like(client: Client, wanted: str) -> int | None:
        for _ in range(50):
            try:
                return client.post(like_url(post), {"like": wanted}).status_code
            except OperationalError:
                # A busy SQLite can still refuse a writer after its timeout; send it
                # again, as a reader would.
                time.sleep(0.01)
        return None

    statuses = at_once([partial(like, client, "1") for client in clients])

    assert statuses == [302] * len(clients)
    assert Like.objects.filter(year=post, user=reader).count() == 1

    # Likes and unlikes racing each other end liked or not, never doubled or negative.
    statuses = at_once(
        [partial(like, client, "1" if i % 2 else "0") for i, client in enumerate(clients)]
    )

    assert statuses == [302] * len(clients)
    assert Like.objects.filter(year=post, user=reader).count() in (0, 1)
    assert Like.objects.summary(post, reader)[0] in (0, 1)
