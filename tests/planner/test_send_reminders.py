from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from planner.models import SentReminder, Visibility
from planner.reminders import Reminder
from tests.factory import make_goal, make_user, make_year

pytestmark = pytest.mark.django_db

SITE = "https://yearloop.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE + "/"


def _run(capture, moment: str, *args: str, verbosity: int = 1) -> str:
    """Run the command as cron would at `moment`, the mail going out after each commit."""
    out = io.StringIO()
    with time_machine.travel(moment, tick=False), capture(execute=True):
        call_command("send_reminders", *args, verbosity=verbosity, stdout=out)
    return out.getvalue()


def _html(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def _keys() -> list[tuple[str, str]]:
    return sorted(SentReminder.objects.values_list("user__username", "key"))


@pytest.fixture
def this_year(owner):
    return make_year(owner, year=2026, visibility=Visibility.PRIVATE)


# At a period's end


def test_it_asks_for_the_retrospective_when_a_period_ends(
    django_capture_on_commit_callbacks, owner, this_year
):
    output = _run(django_capture_on_commit_callbacks, "2026-09-01 07:00")

    [message] = mail.outbox
    assert message.to == ["owner@example.com"]
    assert message.from_email == "Yearloop <noreply@localhost>"
    assert message.subject == "May–August is over: write its retrospective"
    assert message.body.startswith("Hello Olivia Owner,\n\nMay–August 2026 is over.")
    assert f"\n{SITE}/@owner/2026/periods/2/edit/\n" in message.body
    assert f"{SITE}/accounts/profile/" in message.body
    html = _html(message)
    assert f'<a href="{SITE}/@owner/2026/periods/2/edit/">' in html
    assert f'<a href="{SITE}/accounts/profile/">Turn them off</a>' in html
    assert _keys() == [("owner", "period-end:2026-2")]
    assert output == "Sent 1 reminder: 1 period end, 0 December, 0 deadline.\n"


@pytest.mark.parametrize(
    ("moment", "label", "year", "index"),
    [
        ("2026-05-01 00:30", "January–April", 2026, 1),
        ("2026-05-07 23:30", "January–April", 2026, 1),
        ("2026-09-07 12:00", "May–August", 2026, 2),
        ("2027-01-01 00:30", "September–December", 2026, 3),
        ("2027-01-07 23:30", "September–December", 2026, 3),
    ],
)
def test_it_sends_the_period_end_reminder_in_the_first_week_after(
    django_capture_on_commit_callbacks, owner, this_year, moment, label, year, index
):
    _run(django_capture_on_commit_callbacks, moment)

    [message] = mail.outbox
    assert message.subject == f"{label} is over: write its retrospective"
    assert f"{SITE}/@owner/{year}/periods/{index}/edit/" in message.body
    assert _keys() == [("owner", f"period-end:{year}-{index}")]


@pytest.mark.parametrize(
    "moment", ["2026-04-30 23:30", "2026-05-08 00:30", "2026-06-15 12:00", "2026-08-31 23:30"]
)
def test_it_sends_no_period_end_reminder_on_other_days(
    django_capture_on_commit_callbacks, owner, this_year, moment
):
    output = _run(django_capture_on_commit_callbacks, moment)

    assert mail.outbox == []
    assert _keys() == []
    assert output == "Sent 0 reminders: 0 period end, 0 December, 0 deadline.\n"


def test_it_does_not_ask_for_a_retrospective_already_written(
    django_capture_on_commit_callbacks, owner, this_year
):
    this_year.periods.filter(index=2).update(retrospective="A good summer.")

    _run(django_capture_on_commit_callbacks, "2026-09-01 07:00")

    assert mail.outbox == []
    assert _keys() == []


def test_it_sends_nothing_for_a_year_that_was_never_started(
    django_capture_on_commit_callbacks, owner
):
    make_year(owner, year=2025)

    _run(django_capture_on_commit_callbacks, "2026-09-01 07:00")
    _run(django_capture_on_commit_callbacks, "2026-12-01 07:00")

    assert mail.outbox == []
    assert _keys() == []


def test_it_sends_the_period_end_reminder_once_however_often_it_runs(
    django_capture_on_commit_callbacks, owner, this_year
):
    _run(django_capture_on_commit_callbacks, "2026-09-01 07:00")
    again = _run(django_capture_on_commit_callbacks, "2026-09-01 07:00")
    _run(django_capture_on_commit_callbacks, "2026-09-02 07:00")

    assert len(mail.outbox) == 1
    assert again == "Sent 0 reminders: 0 period end, 0 December, 0 deadline.\n"
    assert _keys() == [("owner", "period-end:2026-2")]


# On December 1


def test_it_invites_to_review_the_year_on_december_1(
    django_capture_on_commit_callbacks, owner, this_year
):
    output = _run(django_capture_on_commit_callbacks, "2026-12-01 07:00")

    [message] = mail.outbox
    assert message.to == ["owner@example.com"]
    assert message.subject == "Time to review 2026 and set 2027 goals"
    assert "time to review 2026 and set your 2027 goals" in message.body
    assert f"\n{SITE}/@owner/2026/carry-over/\n" in message.body
    assert f"Your 2026 post: {SITE}/@owner/2026/\n" in message.body
    html = _html(message)
    assert (
        f'<a href="{SITE}/@owner/2026/carry-over/">Carry your unreached goals over to 2027</a>'
        in (html)
    )
    assert f'<a href="{SITE}/@owner/2026/">Open your 2026 post</a>' in html
    assert _keys() == [("owner", "december:2026")]
    assert output == "Sent 1 reminder: 0 period end, 1 December, 0 deadline.\n"


def test_it_invites_to_review_the_year_also_when_next_year_exists(
    django_capture_on_commit_callbacks, owner, this_year
):
    make_year(owner, year=2027, visibility=Visibility.PRIVATE)

    _run(django_capture_on_commit_callbacks, "2026-12-03 07:00")

    assert [message.subject for message in mail.outbox] == [
        "Time to review 2026 and set 2027 goals"
    ]


@pytest.mark.parametrize(
    ("moment", "sent"),
    [
        ("2026-11-30 23:30", False),
        ("2026-12-01 00:30", True),
        ("2026-12-07 23:30", True),
        ("2026-12-08 00:30", False),
        ("2026-12-31 23:30", False),
    ],
)
def test_it_sends_the_december_reminder_in_the_first_week_of_december(
    django_capture_on_commit_callbacks, owner, this_year, moment, sent
):
    _run(django_capture_on_commit_callbacks, moment)

    assert len(mail.outbox) == int(sent)
    assert _keys() == ([("owner", "december:2026")] if sent else [])


def test_it_sends_the_december_reminder_once(django_capture_on_commit_callbacks, owner, this_year):
    for day in ("01", "01", "02", "07"):
        _run(django_capture_on_commit_callbacks, f"2026-12-{day} 07:00")

    assert len(mail.outbox) == 1


# A week before a deadline


def test_it_warns_a_week_before_a_deadline(django_capture_on_commit_callbacks, owner, this_year):
    goal = make_goal(this_year, title="Submit to CVPR", deadline=datetime.date(2026, 6, 22))

    output = _run(django_capture_on_commit_callbacks, "2026-06-15 07:00")

    [message] = mail.outbox
    assert message.to == ["owner@example.com"]
    assert message.subject == "Due in 7 days: Submit to CVPR"
    assert message.body == (
        "Hello Olivia Owner,\n\n"
        "Your goal “Submit to CVPR” is due in 7 days, on June 22, 2026.\n\n"
        f"{SITE}/@owner/2026/#goal-{goal.pk}\n\n"
        "You get this e-mail because reminders are on in your Yearloop profile. "
        "Turn them off here:\n"
        f"{SITE}/accounts/profile/\n"
    )
    assert f'<a href="{SITE}/@owner/2026/#goal-{goal.pk}">' in _html(message)
    assert _keys() == [("owner", f"deadline:{goal.pk}")]
    assert output == "Sent 1 reminder: 0 period end, 0 December, 1 deadline.\n"


@pytest.mark.parametrize(
    ("deadline", "subject"),
    [
        ("2026-06-15", "Due today: Submit to CVPR"),
        ("2026-06-16", "Due in 1 day: Submit to CVPR"),
        ("2026-06-22", "Due in 7 days: Submit to CVPR"),
        ("2026-06-23", None),
        ("2026-06-14", None),
    ],
)
def test_it_warns_of_deadlines_at_most_a_week_away_and_not_passed(
    django_capture_on_commit_callbacks, owner, this_year, deadline, subject
):
    make_goal(this_year, title="Submit to CVPR", deadline=datetime.date.fromisoformat(deadline))

    _run(django_capture_on_commit_callbacks, "2026-06-15 07:00")

    assert [message.subject for message in mail.outbox] == ([subject] if subject else [])


def test_it_sends_one_mail_per_goal_and_leaves_out_done_and_deleted_goals(
    django_capture_on_commit_callbacks, owner, this_year
):
    soon = datetime.date(2026, 6, 18)
    first = make_goal(this_year, title="Book the trip", deadline=soon)
    second = make_goal(this_year, title="Finish the draft", deadline=soon, is_private=True)
    make_goal(this_year, title="Move to Seoul", deadline=soon, done=True)
    make_goal(this_year, title="Dropped", deadline=soon, deleted_at=timezone.now())
    make_goal(this_year, title="Learn to swim")
    make_goal(make_year(owner, year=2025), title="Old goal", deadline=soon)

    _run(django_capture_on_commit_callbacks, "2026-06-15 07:00")

    assert sorted(message.subject for message in mail.outbox) == [
        "Due in 3 days: Book the trip",
        "Due in 3 days: Finish the draft",
    ]
    assert _keys() == sorted(
        [("owner", f"deadline:{first.pk}"), ("owner", f"deadline:{second.pk}")]
    )


def test_it_warns_of_a_deadline_once_over_the_days_before_it(
    django_capture_on_commit_callbacks, owner, this_year
):
    make_goal(this_year, title="Submit to CVPR", deadline=datetime.date(2026, 6, 22))

    for day in (15, 15, 16, 20, 22):
        _run(django_capture_on_commit_callbacks, f"2026-06-{day} 07:00")

    assert [message.subject for message in mail.outbox] == ["Due in 7 days: Submit to CVPR"]


def test_it_keeps_a_goal_title_as_text_in_both_versions(
    django_capture_on_commit_callbacks, owner, this_year
):
    make_goal(this_year, title="R&D <plan>", deadline=datetime.date(2026, 6, 16))

    _run(django_capture_on_commit_callbacks, "2026-06-15 07:00")

    [message] = mail.outbox
    assert message.subject == "Due in 1 day: R&D <plan>"
    assert "Your goal “R&D <plan>” is due in 1 day, on June 16, 2026." in message.body
    assert "Your goal “R&amp;D &lt;plan&gt;” is due in 1 day" in _html(message)
    assert "<plan>" not in _html(message)


# Who gets them


def test_it_sends_each_person_only_their_own_reminders(
    django_capture_on_commit_callbacks, owner, reader, this_year
):
    make_goal(this_year, title="Olivia's goal", deadline=datetime.date(2026, 6, 20))
    make_goal(make_year(reader, year=2026), title="Rae's goal", deadline=datetime.date(2026, 6, 20))

    _run(django_capture_on_commit_callbacks, "2026-06-15 07:00")

    assert sorted((message.to[0], message.subject) for message in mail.outbox) == [
        ("owner@example.com", "Due in 5 days: Olivia's goal"),
        ("reader@example.com", "Due in 5 days: Rae's goal"),
    ]
    by_address = {message.to[0]: message.body for message in mail.outbox}
    assert "Rae's goal" not in by_address["owner@example.com"]
    assert "Olivia's goal" not in by_address["reader@example.com"]
    assert "Hello Rae Reader," in by_address["reader@example.com"]


@pytest.mark.parametrize(
    "person",
    [
        {"email_reminders": False},
        {"email": ""},
        {"is_active": False},
    ],
    ids=["reminders off", "no e-mail address", "inactive"],
)
def test_it_sends_nothing_to_people_who_cannot_or_do_not_want_reminders(
    django_capture_on_commit_callbacks, person
):
    someone = make_user("someone", **person)
    year = make_year(someone, year=2026)
    make_goal(year, deadline=datetime.date(2026, 12, 3))

    for moment in ("2026-09-01 07:00", "2026-12-01 07:00"):
        output = _run(django_capture_on_commit_callbacks, moment)
        assert output == "Sent 0 reminders: 0 period end, 0 December, 0 deadline.\n"

    assert mail.outbox == []
    assert _keys() == []


def test_it_sends_what_became_due_after_reminders_were_turned_back_on(
    django_capture_on_commit_callbacks, owner, this_year
):
    owner.email_reminders = False
    owner.save(update_fields=["email_reminders"])
    _run(django_capture_on_commit_callbacks, "2026-09-01 07:00")
    owner.email_reminders = True
    owner.save(update_fields=["email_reminders"])

    _run(django_capture_on_commit_callbacks, "2026-09-02 07:00")

    assert [message.subject for message in mail.outbox] == [
        "May–August is over: write its retrospective"
    ]


# The command


def test_a_dry_run_lists_what_it_would_send_and_sends_and_records_nothing(
    django_capture_on_commit_callbacks, owner, this_year
):
    goal = make_goal(this_year, title="Plant tomatoes", deadline=datetime.date(2026, 9, 5))

    output = _run(django_capture_on_commit_callbacks, "2026-09-01 07:00", "--dry-run")

    assert output == (
        "  period-end:2026-2 to owner\n"
        f"  deadline:{goal.pk} to owner\n"
        "Would send 2 reminders: 1 period end, 0 December, 1 deadline.\n"
    )
    assert mail.outbox == []
    assert _keys() == []

    _run(django_capture_on_commit_callbacks, "2026-09-01 07:00")
    assert len(mail.outbox) == 2


def test_it_lists_each_reminder_at_verbosity_2_and_says_nothing_at_0(
    django_capture_on_commit_callbacks, owner, this_year
):
    goal = make_goal(this_year, title="Plant tomatoes", deadline=datetime.date(2026, 9, 5))

    quiet = _run(django_capture_on_commit_callbacks, "2026-09-01 07:00", "--dry-run", verbosity=0)
    loud = _run(django_capture_on_commit_callbacks, "2026-09-01 07:00", verbosity=2)

    assert quiet == ""
    assert loud == (
        "  period-end:2026-2 to owner\n"
        f"  deadline:{goal.pk} to owner\n"
        "Sent 2 reminders: 1 period end, 0 December, 1 deadline.\n"
    )


def test_it_sends_each_mail_only_after_its_record_commits(
    django_capture_on_commit_callbacks, owner, this_year
):
    with time_machine.travel("2026-09-01 07:00", tick=False):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            call_command("send_reminders", stdout=io.StringIO())

        assert _keys() == [("owner", "period-end:2026-2")]
        assert mail.outbox == []
        [send] = callbacks
        send()

    assert [message.subject for message in mail.outbox] == [
        "May–August is over: write its retrospective"
    ]


def test_a_reminder_that_fails_is_neither_sent_nor_recorded(
    django_capture_on_commit_callbacks, monkeypatch, owner, this_year
):
    def broken(self):
        raise RuntimeError("the template engine fell over")

    monkeypatch.setattr(Reminder, "email", broken)

    with pytest.raises(RuntimeError):
        _run(django_capture_on_commit_callbacks, "2026-09-01 07:00")

    assert mail.outbox == []
    assert _keys() == []
    monkeypatch.undo()
    _run(django_capture_on_commit_callbacks, "2026-09-01 07:00")
    assert len(mail.outbox) == 1
