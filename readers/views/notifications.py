"""The notification list: what happened, newest first, marked read once shown."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.models import User
from planner.models import Comment, Year
from yearloop.http import AuthedRequest

from ..notifications import Kind, Notification

SHOWN = 100  # the newest rows read at once; a day's likes of a post are one item


@dataclass
class Item:
    """One line of the list: a notification, or a day's likes of one post together."""

    kind: str
    post: Year
    created_at: datetime.datetime
    unread: bool
    comment: Comment | None = None
    people: list[User] = field(default_factory=list)

    @property
    def others(self) -> int:
        return len(self.people) - 1

    @property
    def link(self) -> str:
        if self.comment is not None:
            return reverse("planner:comment_link", args=[self.comment.pk])
        return self.post.get_absolute_url()


@login_required
@never_cache  # the bell's count and what is read change with every visit
@require_safe
def notification_list(request: AuthedRequest) -> HttpResponse:
    rows = list(
        Notification.objects.shown_to(request.user)
        .select_related("post__owner", "actor", "comment")
        .order_by("-created_at", "-pk")[:SHOWN]
    )
    items = grouped(rows)
    unread = [row.pk for row in rows if row.read_at is None]
    if unread and request.method == "GET":
        Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return render(request, "readers/notification_list.html", {"items": items})


def grouped(rows: list[Notification]) -> list[Item]:
    """The rows as the list shows them: each alone, but likes of one post and day together
    (at the place of the newest), each person once."""
    items, by_group = [], {}
    for row in rows:
        if row.kind == Kind.LIKE and (item := by_group.get(row.group)):
            if row.actor not in item.people:
                item.people.append(row.actor)
            item.unread = item.unread or row.read_at is None
            continue
        item = Item(
            kind=row.kind,
            post=row.post,
            created_at=row.created_at,
            unread=row.read_at is None,
            comment=row.comment,
            people=[row.actor],
        )
        by_group[row.group] = item
        items.append(item)
    return items
