"""A post is announced once, when it is first published, and only once it is committed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from planner.models import Visibility, Year
from planner.publication import post_published
from tests.factory import make_user, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced():
    posts = []

    def receive(sender, post, **kwargs):
        posts.append(post.pk)

    post_published.connect(receive)
    yield posts
    post_published.disconnect(receive)


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.UNLISTED])
def test_first_publication_is_announced_once(
    announced, django_capture_on_commit_callbacks, visibility
):
    post = make_year(make_user("writer"), visibility=Visibility.PRIVATE)
    with django_capture_on_commit_callbacks(execute=True):
        post.save()
    assert announced == []

    with django_capture_on_commit_callbacks(execute=True):
        post.visibility = visibility
        post.save()
    assert announced == [post.pk]

    with django_capture_on_commit_callbacks(execute=True):
        post.visibility = Visibility.PRIVATE
        post.save()
        post.visibility = Visibility.PUBLIC
        post.save()
    assert announced == [post.pk]


def test_a_post_created_public_is_announced(announced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post = make_year(make_user("writer"))
    assert announced == [post.pk]


def test_a_post_arriving_with_its_publication_date_is_not_announced(
    announced, django_capture_on_commit_callbacks
):
    earlier = timezone.now() - datetime.timedelta(days=300)
    with django_capture_on_commit_callbacks(execute=True):
        make_year(make_user("writer"), published_at=earlier)
    assert announced == []


def test_nothing_is_announced_when_the_publishing_transaction_rolls_back(announced):
    post = make_year(make_user("writer"), visibility=Visibility.PRIVATE)
    post.visibility = Visibility.PUBLIC
    post.save()  # inside the test's transaction, which never commits
    assert announced == []


@pytest.mark.django_db(transaction=True)
def test_a_receiver_outside_a_transaction_finds_the_post_published():
    # Without a transaction on_commit runs at once: the row must be written by then.
    seen = []

    def receive(sender, post, **kwargs):
        seen.append(Year.objects.get(pk=post.pk).visibility)

    post = make_year(make_user("writer"), visibility=Visibility.PRIVATE)
    post_published.connect(receive)
    try:
        post.visibility = Visibility.PUBLIC
        post.save()
    finally:
        post_published.disconnect(receive)
    assert seen == [Visibility.PUBLIC]
