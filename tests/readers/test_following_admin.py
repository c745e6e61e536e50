"""Staff find follows, notifications and preferences in the admin, in either language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from planner.models import Like
from readers.models import Follow
from tests.factory import make_comment, make_year

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "ko"])
def test_staff_list_follows_notifications_and_preferences(client, staff, owner, reader, language):
    post = make_year(owner)
    make_comment(post, reader)
    Like.objects.create(year=post, user=reader)
    Follow.objects.create(follower=reader, writer=owner)
    client.force_login(staff)

    for name, shown in [
        ("readers_follow", "reader"),
        ("readers_notification", "owner"),
        ("readers_notificationpreferences", ""),
    ]:
        response = client.get(reverse(f"admin:{name}_changelist"), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, name
        assert shown in response.text


def test_readers_do_not_get_in(client, reader):
    client.force_login(reader)

    response = client.get(reverse("admin:readers_notification_changelist"))

    assert response.status_code == 302
