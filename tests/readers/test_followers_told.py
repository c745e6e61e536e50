"""A first publication is told to the writer's followers by the worker, in batches: one
notice each, and one e-mail to those who want it, however often the task runs."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core import mail

from planner.models import Visibility
from readers import tasks
from readers.models import Follow, Notification, NotificationPreferences
from readers.notifications import Kind
from tests.at_once import at_once
from tests.factory import make_user, make_year


def follow(writer, count: int) -> list:
    people = [make_user(f"fan{i}") for i in range(count)]
    Follow.objects.bulk_create(Follow(follower=person, writer=writer) for person in people)
    return people


def published_without_telling(writer):
    """A public post that no signal announced: the runs in the test are the only ones."""
    post = make_year(writer, year=2025, visibility=Visibility.PRIVATE)
    type(post).objects.filter(pk=post.pk).update(visibility=Visibility.PUBLIC)
    post.refresh_from_db()
    return post


def notices(post) -> Counter:
    return Counter(
        Notification.objects.filter(post=post, kind=Kind.NEW_POST).values_list(
            "recipient__username", flat=True
        )
    )


@pytest.mark.django_db
def test_every_follower_is_told_once_across_batches(
    owner, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(tasks, "FOLLOWERS_BATCH_SIZE", 2)
    follow(owner, 5)
    NotificationPreferences.objects.create(user=make_user("quiet"), email_new_post=False)
    Follow.objects.create(follower_id=NotificationPreferences.objects.get().pk, writer=owner)
    post = published_without_telling(owner)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.tell_followers.call(post_id=post.pk) == 6

    assert notices(post) == {**{f"fan{i}": 1 for i in range(5)}, "quiet": 1}
    assert sorted(m.to[0] for m in mail.outbox) == [f"fan{i}@example.com" for i in range(5)]


@pytest.mark.django_db
def test_a_second_run_tells_nobody_again_and_a_run_taken_over_tells_only_the_rest(
    owner, django_capture_on_commit_callbacks
):
    fans = follow(owner, 4)
    post = published_without_telling(owner)
    # A run that died had told the first two (their notices and mail committed).
    for person in fans[:2]:
        Notification.objects.create(
            recipient=person, kind=Kind.NEW_POST, post=post, actor=owner, group="new:earlier"
        )

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.tell_followers.call(post_id=post.pk) == 2
        assert tasks.tell_followers.call(post_id=post.pk) == 0

    assert notices(post) == {f"fan{i}": 1 for i in range(4)}
    assert sorted(m.to[0] for m in mail.outbox) == ["fan2@example.com", "fan3@example.com"]


@pytest.mark.django_db
def test_nothing_is_told_of_a_post_made_private_before_the_worker_ran(owner):
    follow(owner, 2)
    post = published_without_telling(owner)
    type(post).objects.filter(pk=post.pk).update(visibility=Visibility.PRIVATE)

    assert tasks.tell_followers.call(post_id=post.pk) == 0
    assert notices(post) == {} and mail.outbox == []


@pytest.mark.django_db
def test_with_the_database_queue_publishing_only_queues_the_task(owner, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    follow(owner, 3)
    post = published_without_telling(owner)
    tasks.tell_followers.enqueue(post_id=post.pk)
    assert notices(post) == {}  # the publishing request wrote nothing for the followers

    # Inside the test's transaction: the mails' task rows are written with their notices.
    tasks.tell_followers.call(post_id=post.pk)

    mails = DBTaskResult.objects.filter(task_path="planner.tasks.send_email")
    assert sorted(row.args_kwargs["kwargs"]["to"][0] for row in mails) == [
        f"fan{i}@example.com" for i in range(3)
    ]


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.django_db
def test_telling_costs_the_same_queries_however_many_follow(
    owner, count, django_assert_num_queries
):
    follow(owner, count)
    post = published_without_telling(owner)
    with django_assert_num_queries(10):  # the post, one batch and the empty next one
        assert tasks.tell_followers.call(post_id=post.pk) == count


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_tell_each_follower_once(owner, monkeypatch):
    monkeypatch.setattr(tasks, "FOLLOWERS_BATCH_SIZE", 3)
    follow(owner, 20)
    post = published_without_telling(owner)
    mail.outbox.clear()

    def run() -> int:
        return tasks.tell_followers.call(post_id=post.pk)

    told = at_once([run, run])

    assert sum(told) == 20
    assert notices(post) == {f"fan{i}": 1 for i in range(20)}
    assert Counter(message.to[0] for message in mail.outbox) == {
        f"fan{i}@example.com": 1 for i in range(20)
    }
