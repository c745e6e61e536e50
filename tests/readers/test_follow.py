"""Following a writer: the button on the profile and the post, in place and without
JavaScript; the count, the writer's list of followers, the reader's Following page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from planner.models import Visibility
from readers.models import Follow
from tests.factory import make_user, make_year

pytestmark = pytest.mark.django_db


def follow_url(username: str) -> str:
    return reverse("readers:follow", args=[username])


def profile_url(username: str) -> str:
    return reverse("planner:profile", args=[username])


def test_it_follows_with_a_plain_post_and_comes_back_to_the_page(reader_client, owner, reader):
    post = make_year(owner)

    response = reader_client.post(
        follow_url("owner"), {"follow": "1", "next": post.get_absolute_url()}
    )

    assert response.status_code == 302
    assert response.url == f"{post.get_absolute_url()}#follow-owner"
    assert Follow.objects.filter(follower=reader, writer=owner).exists()
    page = reader_client.get(post.get_absolute_url()).text
    assert "You follow Olivia Owner." in page
    assert 'aria-pressed="true"' in page.split('id="follow-owner"')[1].split("</form>")[0]


def test_it_unfollows_and_following_twice_changes_nothing(reader_client, owner, reader):
    reader_client.post(follow_url("owner"), {"follow": "1"})
    reader_client.post(follow_url("owner"), {"follow": "1"})
    assert Follow.objects.filter(writer=owner).count() == 1

    response = reader_client.post(follow_url("owner"), {"follow": "0"})

    assert response.url == f"{profile_url('owner')}#follow-owner"
    assert not Follow.objects.filter(writer=owner).exists()


def test_it_swaps_the_button_in_place_for_htmx(reader_client, owner):
    response = reader_client.post(follow_url("owner"), {"follow": "1"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    html = response.text
    assert html.strip().startswith('<div id="follow-owner"')
    assert 'aria-pressed="true"' in html
    assert 'name="follow" value="0"' in html
    assert "You follow Olivia Owner" in html


def test_the_profiles_follower_count_changes_with_the_button_in_place(
    reader_client, owner, stranger
):
    Follow.objects.create(follower=stranger, writer=owner)
    profile = reader_client.get(reverse("planner:profile", args=["owner"])).text
    assert 'name="with_count" value="1"' in profile
    assert "1 follower" in profile

    followed = reader_client.post(
        follow_url("owner"), {"follow": "1", "with_count": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "2 followers" in followed.text
    unfollowed = reader_client.post(
        follow_url("owner"), {"follow": "0", "with_count": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "1 follower<" in unfollowed.text
    under_a_post = reader_client.post(follow_url("owner"), {"follow": "1"}, HTTP_HX_REQUEST="true")
    assert "follower" not in under_a_post.text.replace("follow-", "")


@pytest.mark.parametrize("leaves", ["account closed", "account deleted"])
def test_a_follower_who_leaves_drops_out_of_the_count_visitors_see(client, owner, reader, leaves):
    make_year(owner, year=2025)  # a profile with a post: kept rendered for visitors
    Follow.objects.create(follower=reader, writer=owner)
    assert "1 follower" in client.get(profile_url("owner")).text

    if leaves == "account closed":
        reader.is_active = False
        reader.save()
    else:
        reader.delete()

    assert "0 followers" in client.get(profile_url("owner")).text


def test_it_refuses_following_oneself_with_a_message(owner_client, owner):
    plain = owner_client.post(follow_url("owner"), {"follow": "1"})
    in_place = owner_client.post(follow_url("owner"), {"follow": "1"}, HTTP_HX_REQUEST="true")

    assert plain.status_code == in_place.status_code == 422
    assert "You cannot follow yourself." in plain.text
    assert "You cannot follow yourself." in in_place.text
    assert not Follow.objects.exists()


def test_it_refuses_following_oneself_in_korean(owner_client):
    response = owner_client.post(follow_url("owner"), {"follow": "1"}, HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 422
    assert "You cannot follow yourself." not in response.text


def test_it_sends_visitors_to_log_in(client, owner):
    response = client.post(follow_url("owner"), {"follow": "1"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Follow.objects.exists()


def test_it_answers_404_for_a_writer_who_is_not_there(reader_client, owner):
    owner.is_active = False
    owner.save()

    assert reader_client.post(follow_url("owner"), {"follow": "1"}).status_code == 404
    assert reader_client.post(follow_url("nobody"), {"follow": "1"}).status_code == 404
    assert reader_client.get(follow_url("owner")).status_code == 405


def test_the_profile_shows_the_follower_count_to_everyone(client, owner, reader, stranger):
    make_year(owner)
    Follow.objects.create(follower=reader, writer=owner)
    Follow.objects.create(follower=stranger, writer=owner)

    assert "2 followers" in client.get(profile_url("owner")).text
    client.force_login(owner)
    page = client.get(profile_url("owner")).text
    assert "2 followers" in page
    assert reverse("readers:followers", args=["owner"]) in page
    assert 'class="follow-button"' not in page  # nobody follows themself


def test_a_kept_profile_shows_a_new_follower_at_once(client, owner, reader):
    make_year(owner)
    assert "0 followers" in client.get(profile_url("owner")).text  # now kept for visitors
    client.force_login(reader)
    client.post(follow_url("owner"), {"follow": "1"})
    client.logout()

    assert "1 follower" in client.get(profile_url("owner")).text


def test_only_the_writer_sees_who_follows_them(client, owner, reader, staff):
    Follow.objects.create(follower=reader, writer=owner)
    url = reverse("readers:followers", args=["owner"])

    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert "Rae Reader" in response.text
    for other in (reader, staff):
        client.force_login(other)
        assert client.get(url).status_code == 404


def test_the_following_page_lists_writers_and_their_newest_public_post(
    reader_client, reader, owner
):
    make_year(owner, year=2024, title="The year of the sea")
    make_year(owner, year=2025, title="Private plans", visibility=Visibility.PRIVATE)
    make_year(owner, year=2026, title="Only by link", visibility=Visibility.UNLISTED)
    quiet = make_user("quiet", display_name="Quinn Quiet")
    make_user("unfollowed", display_name="Una Unfollowed")
    Follow.objects.create(follower=reader, writer=owner)
    Follow.objects.create(follower=reader, writer=quiet)

    response = reader_client.get(reverse("readers:following"))

    assert response.status_code == 200
    html = response.text
    assert "Olivia Owner" in html and "Quinn Quiet" in html
    assert "Una Unfollowed" not in html
    assert "The year of the sea" in html
    assert "Private plans" not in html and "Only by link" not in html
    assert "No public post yet." in html


def test_a_writer_is_unfollowed_from_the_following_page(reader_client, reader, owner):
    Follow.objects.create(follower=reader, writer=owner)
    following_url = reverse("readers:following")

    html = reader_client.get(following_url).text

    region = html.split('id="follow-owner"')[1].split("</form>")[0]
    assert 'aria-pressed="true"' in region and 'name="follow" value="0"' in region
    assert "You follow Olivia Owner" not in html  # the page says it already
    response = reader_client.post(follow_url("owner"), {"follow": "0", "next": following_url})
    assert response.url == f"{following_url}#follow-owner"
    assert not Follow.objects.exists()
    html = reader_client.get(following_url).text
    assert "You no longer follow Olivia Owner." in html  # said once, without JavaScript
    assert 'id="follow-owner"' not in html


def test_the_following_pages_button_stays_brief_in_place(reader_client, owner):
    response = reader_client.post(
        follow_url("owner"), {"follow": "1", "brief": "1"}, HTTP_HX_REQUEST="true"
    )

    assert 'aria-pressed="true"' in response.text
    assert 'name="brief" value="1"' in response.text
    assert "You follow Olivia Owner" not in response.text


def test_the_database_refuses_following_oneself(owner):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(follower=owner, writer=owner)
