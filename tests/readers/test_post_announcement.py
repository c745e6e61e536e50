"""A first publication mails each confirmed subscriber once, in their language."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail

from planner.models import Visibility
from readers import tasks
from readers.models import Delivery, Subscription, SubscriptionStatus
from tests.factory import make_user, make_year

pytestmark = pytest.mark.django_db


def add_subscriber(writer, email, language="en", status=SubscriptionStatus.CONFIRMED):
    return Subscription.objects.create(writer=writer, email=email, language=language, status=status)


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    def publish(post, visibility=Visibility.PUBLIC):
        with django_capture_on_commit_callbacks(execute=True):
            post.visibility = visibility
            post.save()

    return publish


@pytest.fixture
def draft(owner):
    return make_year(
        owner, year=2025, visibility=Visibility.PRIVATE, intro="A **big** year.\n\nMoved to Busan."
    )


def test_it_mails_confirmed_subscribers_once_each_in_their_language(owner, draft, publish, outbox):
    add_subscriber(owner, "en@example.com", "en")
    add_subscriber(owner, "ko@example.com", "ko")
    add_subscriber(owner, "pending@example.com", status=SubscriptionStatus.PENDING)
    add_subscriber(owner, "left@example.com", status=SubscriptionStatus.UNSUBSCRIBED)
    add_subscriber(owner, "bounced@example.com", status=SubscriptionStatus.STOPPED)

    publish(draft)

    by_address = {message.to[0]: message for message in outbox}
    assert sorted(by_address) == ["en@example.com", "ko@example.com"]
    english, korean = by_address["en@example.com"], by_address["ko@example.com"]
    assert english.subject == "Olivia Owner published “2025 review and 2026 plan”"
    assert "A big year. Moved to Busan." in english.body
    assert "http://127.0.0.1:8000/@owner/2025/" in english.body
    assert korean.subject == "Olivia Owner 님이 “2025년 결산 및 2026년 계획” 글을 발행했습니다"
    assert "글 전체 읽기:" in korean.body
    assert "구독 해지" in korean.alternatives[0][0]
    for message in (english, korean):
        key = Subscription.objects.get(email=message.to[0]).unsubscribe_key
        assert message.extra_headers["List-Unsubscribe"].endswith(
            f"/subscriptions/unsubscribe/{key}/>"
        )
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert f"/subscriptions/unsubscribe/{key}/" in message.body
        assert f"/subscriptions/unsubscribe/{key}/" in message.alternatives[0][0]


def test_unlisted_posts_are_announced_too(owner, draft, publish, outbox):
    add_subscriber(owner, "fan@example.com")

    publish(draft, Visibility.UNLISTED)

    assert [m.to for m in outbox] == [["fan@example.com"]]


def test_making_it_private_and_shared_again_sends_nothing_more(owner, draft, publish, outbox):
    add_subscriber(owner, "fan@example.com")
    publish(draft)
    publish(draft, Visibility.PRIVATE)
    publish(draft)

    assert len(outbox) == 1


def test_a_second_run_of_the_task_sends_nothing_more(owner, draft, publish, outbox):
    add_subscriber(owner, "fan@example.com")
    publish(draft)

    assert tasks.announce_post.call(post_id=draft.pk) == 0
    assert len(outbox) == 1
    assert Delivery.objects.count() == 1


def test_a_run_taken_over_after_a_worker_died_mails_only_the_rest(
    owner, draft, monkeypatch, django_capture_on_commit_callbacks, outbox
):
    monkeypatch.setattr(tasks, "BATCH_SIZE", 2)
    subscribers = [add_subscriber(owner, f"fan{i}@example.com") for i in range(5)]
    draft.visibility = Visibility.PUBLIC
    draft.save()  # not committed: no announcement yet
    # The first batch of a run that then died was committed, and its mails sent.
    earlier_run = uuid.uuid4()
    for subscription in subscribers[:2]:
        Delivery.objects.create(subscription=subscription, post=draft, run=earlier_run)

    with django_capture_on_commit_callbacks(execute=True):
        queued = tasks.announce_post.call(post_id=draft.pk)

    assert queued == 3
    assert sorted(m.to[0] for m in outbox) == [f"fan{i}@example.com" for i in (2, 3, 4)]
    assert Delivery.objects.filter(post=draft).count() == 5


def test_it_sends_nothing_for_a_deactivated_writer(owner, draft, publish, outbox):
    add_subscriber(owner, "fan@example.com")
    owner.is_active = False
    owner.save()

    publish(draft)

    assert outbox == []


def test_it_sends_nothing_for_a_post_made_private_before_the_worker_ran(owner, draft, outbox):
    add_subscriber(owner, "fan@example.com")

    assert tasks.announce_post.call(post_id=draft.pk) == 0
    assert tasks.announce_post.call(post_id=987654) == 0


def test_subscribers_of_other_writers_hear_nothing(owner, draft, publish, outbox):
    add_subscriber(make_user("other"), "fan@example.com")

    publish(draft)

    assert outbox == []


def test_the_subject_is_one_line_and_the_html_is_escaped(owner, publish, outbox):
    owner.display_name = "Olivia\r\nBcc: victim@example.com <b>"
    owner.save()
    post = make_year(owner, year=2024, visibility=Visibility.PRIVATE, title="<script>x</script>")
    add_subscriber(owner, "fan@example.com")

    publish(post)

    [message] = outbox
    assert message.subject == ("Olivia Bcc: victim@example.com <b> published “<script>x</script>”")
    assert message.to == ["fan@example.com"]
    assert message.bcc == []
    assert "Bcc" not in message.message()
    html = message.alternatives[0][0]
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>x</script>" in message.body  # plain text is not HTML


@pytest.mark.parametrize("count", [3, 30])
def test_the_announcement_costs_the_same_queries_however_many_subscribe(
    owner, draft, count, django_assert_num_queries
):
    for i in range(count):
        add_subscriber(owner, f"fan{i}@example.com")
    draft.visibility = Visibility.PUBLIC
    draft.save()

    with django_assert_num_queries(9):  # the post, one batch, and the empty next one
        assert tasks.announce_post.call(post_id=draft.pk) == count
    mail.outbox.clear()


def test_with_the_database_queue_the_mails_are_queued_with_their_delivery_rows(
    owner, draft, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for i in range(3):
        add_subscriber(owner, f"fan{i}@example.com")
    draft.visibility = Visibility.PUBLIC
    draft.save()

    # Inside the test's transaction, never committed: on_commit would not have queued them.
    tasks.announce_post.call(post_id=draft.pk)

    mails = DBTaskResult.objects.filter(task_path="planner.tasks.send_email")
    assert sorted(row.args_kwargs["kwargs"]["to"][0] for row in mails) == [
        f"fan{i}@example.com" for i in range(3)
    ]
    assert Delivery.objects.filter(post=draft).count() == 3


def test_a_subscriber_who_follows_with_an_account_gets_one_mail(owner, draft, publish, outbox):
    from readers.models import Follow, NotificationPreferences

    both = make_user("both", email="Both@Example.com")
    Follow.objects.create(follower=both, writer=owner)
    add_subscriber(owner, "both@example.com")
    quiet = make_user("quiet")  # follows, but wants no e-mail of new posts
    NotificationPreferences.objects.create(user=quiet, email_new_post=False)
    Follow.objects.create(follower=quiet, writer=owner)
    add_subscriber(owner, "quiet@example.com")

    publish(draft)

    assert sorted(m.to[0] for m in outbox) == ["Both@example.com", "quiet@example.com"]
    assert (
        "List-Unsubscribe" in next(m for m in outbox if m.to == ["quiet@example.com"]).extra_headers
    )
