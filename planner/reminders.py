"""E-mail reminders: which are due on a day, what each one says, and sending each only once.

`manage.py send_reminders` runs daily. Each kind is due for a few days rather than on one
day, so a run that was missed still sends it the next day; the `SentReminder` key recorded
with it makes sure it goes out once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from yearloop.site import absolute_url

from .models import Goal, Period, SentReminder, Year, period_bounds, period_index_for
from .tasks import one_line, queue_email

PERIOD_END = "period-end"
DECEMBER = "december"
DEADLINE = "deadline"
KINDS = (PERIOD_END, DECEMBER, DEADLINE)

PERIOD_END_DAYS = 7  # sent in the first week after a period ends
DECEMBER_DAYS = 7  # sent in the first week of December
DEADLINE_DAYS = 7  # sent once a goal's deadline is this many days away or fewer


@dataclass(frozen=True)
class Reminder:
    """One e-mail due to one person about one thing; `key` records that it went out."""

    kind: str
    key: str
    user: User
    post: Year
    period: Period | None = None
    goal: Goal | None = None
    days_left: int | None = None

    def subject(self) -> str:
        """One line, whatever the goal's title holds: it is also the mail's Subject header."""
        return one_line(self._subject())

    def _subject(self) -> str:
        if self.kind == PERIOD_END:
            return _("%(period)s is over: write its retrospective") % {"period": self.period.label}
        if self.kind == DECEMBER:
            return _("Time to review %(year)s and set %(next)s goals") % {
                "year": self.post.year,
                "next": self.post.year + 1,
            }
        if self.days_left == 0:
            return _("Due today: %(goal)s") % {"goal": self.goal.title}
        return ngettext(
            "Due in %(days)s day: %(goal)s", "Due in %(days)s days: %(goal)s", self.days_left
        ) % {"days": self.days_left, "goal": self.goal.title}

    def link(self) -> str:
        """Where the mail sends the person: the one place to act on it."""
        username, year = self.user.username, self.post.year
        if self.kind == PERIOD_END:
            return reverse("planner:period_edit", args=[username, year, self.period.index])
        if self.kind == DECEMBER:
            return reverse("planner:carry_over", args=[username, year])
        return f"{self.post.get_absolute_url()}#goal-{self.goal.pk}"

    def email(self) -> dict:
        """The arguments of `queue_email`, in the person's language: plain text and an
        HTML alternative."""
        with translation.override(self.user.mail_language):
            return self._email()

    def _email(self) -> dict:
        context = {
            "reminder": self,
            "user": self.user,
            "post": self.post,
            "period": self.period,
            "goal": self.goal,
            "link": absolute_url(self.link()),
            "post_url": absolute_url(self.post.get_absolute_url()),
            "settings_url": absolute_url(reverse("accounts:profile_edit")),
        }
        # planner/email/reminder_period_end, reminder_december, reminder_deadline (.txt, .html)
        template = "planner/email/reminder_" + self.kind.replace("-", "_")
        return {
            "to": [self.user.email],
            "subject": self.subject(),
            "text": render_to_string(f"{template}.txt", context),
            "html": render_to_string(f"{template}.html", context),
        }


def recipients() -> QuerySet[User]:
    """People who want reminders and have an address to get them at."""
    return User.objects.filter(is_active=True, email_reminders=True).exclude(email="")


def due_reminders(today: datetime.date) -> list[Reminder]:
    """Every reminder due on `today` that has not gone out yet."""
    people = recipients()
    return [
        *period_end_reminders(people, today),
        *december_reminders(people, today),
        *deadline_reminders(people, today),
    ]


def _not_sent(user: str, key) -> Exists:
    return ~Exists(SentReminder.objects.filter(user=OuterRef(user), key=key))


def ended_period(today: datetime.date) -> tuple[int, int] | None:
    """The period (year, index) that ended in the last PERIOD_END_DAYS days, if one did."""
    index = period_index_for(today.month)
    year, index = (today.year, index - 1) if index > 1 else (today.year - 1, 3)
    last_day = period_bounds(year, index)[1]
    return (year, index) if (today - last_day).days <= PERIOD_END_DAYS else None


def period_end_reminders(people: QuerySet[User], today: datetime.date) -> list[Reminder]:
    """“May–August is over”, to those whose period has no retrospective yet."""
    ended = ended_period(today)
    if ended is None:
        return []
    year, index = ended
    key = f"{PERIOD_END}:{year}-{index}"
    periods = (
        Period.objects.filter(
            year__owner__in=people, year__year=year, index=index, retrospective=""
        )
        .filter(_not_sent("year__owner", key))
        .select_related("year__owner")
        .order_by("year__owner__username")
    )
    return [Reminder(PERIOD_END, key, p.year.owner, p.year, period=p) for p in periods]


def december_reminders(people: QuerySet[User], today: datetime.date) -> list[Reminder]:
    """“Time to review <year> and set <year+1> goals”, in the first days of December."""
    if today.month != 12 or today.day > DECEMBER_DAYS:
        return []
    key = f"{DECEMBER}:{today.year}"
    posts = (
        Year.objects.filter(owner__in=people, year=today.year)
        .filter(_not_sent("owner", key))
        .select_related("owner")
        .order_by("owner__username")
    )
    return [Reminder(DECEMBER, key, post.owner, post) for post in posts]


def deadline_reminders(people: QuerySet[User], today: datetime.date) -> list[Reminder]:
    """One mail per open goal of this year whose deadline is at most a week away."""
    goals = (
        Goal.objects.filter(
            year__owner__in=people,
            year__year=today.year,
            done=False,
            deadline__gte=today,
            deadline__lte=today + datetime.timedelta(days=DEADLINE_DAYS),
        )
        .annotate(reminder_key=Concat(Value(f"{DEADLINE}:"), Cast("pk", CharField())))
        .filter(_not_sent("year__owner", OuterRef("reminder_key")))
        .select_related("year__owner")
        .order_by("year__owner__username", "deadline", "pk")
    )
    return [
        Reminder(
            DEADLINE,
            goal.reminder_key,
            goal.year.owner,
            goal.year,
            goal=goal,
            days_left=(goal.deadline - today).days,
        )
        for goal in goals
    ]


def send_once(reminder: Reminder) -> bool:
    """Record the reminder and send it once the record commits; False if it was sent before.

    A run that fails before the commit records nothing and sends nothing; after it, any
    later run finds the record and sends nothing again. The worker tries the mail again
    while the mail server answers "later" (planner/tasks.py), never once it refuses.
    """
    with transaction.atomic():
        created = SentReminder.objects.get_or_create(user=reminder.user, key=reminder.key)[1]
        if created:
            queue_email(**reminder.email())
    return created
