"""Simulated people using the site at once, then a check that every accepted write was stored.

Run from the project root with `make load`, which starts the app as `make serve` does on
PostgreSQL and Redis and points this script at it. By hand, against a server already
running on loopback with the same DATABASE_URL:

    uv run python bench/load.py --url http://127.0.0.1:8765 --users 50 --seconds 60

Before the run it creates (or resets) the accounts `load00`, `load01`… (password
"password"), each with a year of its own for the current year and three goals, so that
writes do not all contend on one row; every account reads and comments on the demo's
shared posts. Each simulated person logs in once, then until the time is up picks a
request by weight — read a post 70 %, tick a goal 10 %, write an entry 10 %, comment
10 % — as htmx sends it from the page, and waits a random "think time" before the next.
Afterwards it prints requests per second and latency percentiles per kind, counts
errors (5xx, connection errors, any unexpected status) and looks in the database for
every write that got a success answer: entries and comments by a unique token, goals
by comparing the final tick with the parity of the successful toggles. Figures are
saved in bench/results.json under "load". Exits 1 on any error or lost write.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import random
import secrets
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yearloop.settings")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

import httpx  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.results import save  # noqa: E402
from planner.models import Comment, Entry, Goal, Visibility, Year, period_index_for  # noqa: E402

logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_USERS = 200
MAX_SECONDS = 600
GOALS_PER_PERSON = 3
MIX = {"read": 70, "toggle": 10, "entry": 10, "comment": 10}
TARGET_READ_P95_MS = 200
PASSWORD = "password"


@dataclass
class Person:
    username: str
    year: int
    period_index: int
    goal_ids: list[int]


@dataclass
class Plan:
    run: str  # the token every write of this run carries
    people: list[Person]
    shared_years: list[int]  # the demo's unlisted and public posts that take comments


@dataclass
class Sample:
    kind: str
    status: int  # 0 when no answer came (connection error, timeout)
    seconds: float
    ok: bool
    started: float


@dataclass
class Record:
    samples: list[Sample] = field(default_factory=list)
    entries: set[str] = field(default_factory=set)  # titles answered with success
    comments: set[str] = field(default_factory=set)  # bodies answered with success
    toggles: Counter = field(default_factory=Counter)  # goal id -> successful toggles
    unsure_goals: set[int] = field(default_factory=set)  # a toggle without a clear answer
    problems: Counter = field(default_factory=Counter)  # "kind status" -> count


# --- Before: accounts, years and goals ---------------------------------------------------


def prepare(users: int) -> Plan:
    """Reset the load accounts to a known start: one current year each, goals not ticked."""
    demo = User.objects.filter(username="demo").first()
    if demo is None:
        sys.exit("No demo account: run `manage.py demo` on this database first.")
    shared_years = sorted(
        Year.objects.filter(
            owner=demo,
            visibility__in=[Visibility.PUBLIC, Visibility.UNLISTED],
            comments_closed=False,
        ).values_list("year", flat=True)
    )
    if not shared_years:
        sys.exit("The demo account has no shared post that takes comments.")
    today = timezone.localdate()
    password = make_password(PASSWORD)  # hashed once: hashing 50 times would take seconds
    people = []
    with transaction.atomic():
        for n in range(users):
            person, _ = User.objects.update_or_create(
                username=f"load{n:02d}",
                defaults={"password": password, "is_active": True, "email": ""},
            )
            Comment.objects.filter(author=person).delete()
            Year.objects.filter(owner=person).delete()
            year = Year.objects.create(owner=person, year=today.year, title="Load test")
            goals = Goal.objects.bulk_create(
                Goal(year=year, title=f"Goal {i + 1}", order=i) for i in range(GOALS_PER_PERSON)
            )
            people.append(
                Person(
                    username=person.username,
                    year=today.year,
                    period_index=period_index_for(today.month),
                    goal_ids=[goal.pk for goal in goals],
                )
            )
    return Plan(run=f"load-{secrets.token_hex(4)}", people=people, shared_years=shared_years)


# --- During: simulated people ------------------------------------------------------------


async def timed(record: Record, kind: str, expected: int, send) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response = await send()
    except httpx.HTTPError as error:
        record.samples.append(Sample(kind, 0, time.perf_counter() - started, False, started))
        record.problems[f"{kind} {type(error).__name__}"] += 1
        return None
    seconds = time.perf_counter() - started
    ok = response.status_code == expected
    record.samples.append(Sample(kind, response.status_code, seconds, ok, started))
    if not ok:
        record.problems[f"{kind} {response.status_code}"] += 1
    return response


async def log_in(client: httpx.AsyncClient, person: Person, record: Record) -> bool:
    await timed(record, "login_page", 200, lambda: client.get("/accounts/login/"))
    data = {
        "username": person.username,
        "password": PASSWORD,
        "csrfmiddlewaretoken": client.cookies.get("csrftoken", ""),
        "next": "/",
    }
    response = await timed(
        record, "login", 302, lambda: client.post("/accounts/login/", data=data, headers=referer())
    )
    return response is not None and response.status_code == 302


def referer(path: str = "/accounts/login/") -> dict[str, str]:
    return {"Referer": f"http://127.0.0.1{path}"}


async def act(client: httpx.AsyncClient, plan: Plan, person: Person, record: Record, n: int):
    """One request as the page's htmx would send it; the answer is the fragment, 200."""
    kind = random.choices(list(MIX), weights=list(MIX.values()))[0]
    shared = random.choice(plan.shared_years)
    post = f"/@demo/{shared}/"
    if kind == "read":
        await timed(record, kind, 200, lambda: client.get(post))
        return
    headers = {"X-CSRFToken": client.cookies.get("csrftoken", ""), "HX-Request": "true"}
    token = f"{plan.run}-{person.username}-{n}"
    if kind == "toggle":
        goal_id = random.choice(person.goal_ids)
        headers |= referer(f"/@{person.username}/{person.year}/")
        response = await timed(
            record, kind, 200, lambda: client.post(f"/goals/{goal_id}/toggle/", headers=headers)
        )
        if response is None or response.status_code >= 500:
            record.unsure_goals.add(goal_id)  # it may or may not have been saved
        elif response.status_code == 200:
            record.toggles[goal_id] += 1
    elif kind == "entry":
        url = f"/@{person.username}/{person.year}/periods/{person.period_index}/entries/new/"
        data = {"title": token, "body": f"Written under load by {person.username}."}
        headers |= referer("/")
        response = await timed(
            record, kind, 200, lambda: client.post(url, data=data, headers=headers)
        )
        if response is not None and response.status_code == 200:
            record.entries.add(token)
    else:
        data = {"body": f"{token} Thank you for writing this."}
        headers |= referer(post)
        response = await timed(
            record,
            kind,
            200,
            lambda: client.post(f"{post}comments/new/", data=data, headers=headers),
        )
        if response is not None and response.status_code == 200:
            record.comments.add(data["body"])


async def simulate(url: str, plan: Plan, person: Person, record: Record, ready, deadline, think):
    timeout = httpx.Timeout(30.0, connect=10.0)
    async with httpx.AsyncClient(base_url=url, timeout=timeout) as client:
        try:
            logged_in = await log_in(client, person, record)
        finally:
            ready.release()
        await ready.start.wait()
        if not logged_in:
            return
        n = 0
        while time.perf_counter() < deadline():
            await act(client, plan, person, record, n)
            n += 1
            if think:  # uniform around a mean of `think` seconds, not past the end
                pause = random.uniform(0, 2 * think)
                await asyncio.sleep(max(0.0, min(pause, deadline() - time.perf_counter())))


class Gate:
    """Where everyone waits after logging in, so the timed run starts for all at once."""

    def __init__(self, count: int) -> None:
        self.waiting = count
        self.all_in = asyncio.Event()
        self.start = asyncio.Event()

    def release(self) -> None:
        self.waiting -= 1
        if self.waiting == 0:
            self.all_in.set()


async def run(
    url: str, plan: Plan, seconds: float, think: float, record: Record, during=None
) -> float:
    """Everyone logs in first; then the timed run starts for all at once. Its length in s.

    `during`, when given, is called in a thread of its own as the timed run starts (the
    faults of bench/faults.py), and the run ends only when it has returned.
    """
    ready = Gate(len(plan.people))
    window = {}
    tasks = [
        asyncio.create_task(
            simulate(url, plan, person, record, ready, lambda: window["end"], think)
        )
        for person in plan.people
    ]
    await ready.all_in.wait()
    window["start"] = time.perf_counter()
    window["end"] = window["start"] + seconds
    ready.start.set()
    if during is not None:
        tasks.append(asyncio.create_task(asyncio.to_thread(during)))
    await asyncio.gather(*tasks)
    return time.perf_counter() - window["start"]


# --- After: figures and the database check ---------------------------------------------


def percentiles(seconds: list[float]) -> dict[str, float]:
    if len(seconds) < 2:
        value = round(seconds[0] * 1000, 1) if seconds else 0.0
        return {"p50_ms": value, "p95_ms": value, "p99_ms": value}
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49] * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
    }


def lost_writes(plan: Plan, record: Record) -> list[str]:
    """Every write answered with success that the database does not hold."""
    titles = set(
        Entry.all_objects.filter(title__startswith=plan.run).values_list("title", flat=True)
    )
    bodies = set(Comment.objects.filter(body__startswith=plan.run).values_list("body", flat=True))
    lost = [f"entry {title}" for title in sorted(record.entries - titles)]
    lost += [f"comment {body.split()[0]}" for body in sorted(record.comments - bodies)]
    goal_ids = [goal_id for person in plan.people for goal_id in person.goal_ids]
    for goal_id, done in Goal.all_objects.filter(pk__in=goal_ids).values_list("id", "done"):
        if goal_id not in record.unsure_goals and done != (record.toggles[goal_id] % 2 == 1):
            lost.append(f"goal {goal_id}: {record.toggles[goal_id]} toggles, done={done}")
    unanswered = len(titles - record.entries) + len(bodies - record.comments)
    if unanswered:
        print(f"stored without a success answer (timed out or refused): {unanswered}")
    return lost


def report(args, plan: Plan, record: Record, elapsed: float) -> dict[str, object]:
    timed_run = [s for s in record.samples if s.kind in MIX]
    by_kind = defaultdict(list)
    for sample in record.samples:
        by_kind[sample.kind].append(sample.seconds)
    errors = sum(not s.ok for s in record.samples)
    figures: dict[str, object] = {
        "load.date": datetime.date.today().isoformat(),
        "load.cpus": os.cpu_count(),
        "load.users": len(plan.people),
        "load.seconds": round(elapsed, 1),
        "load.think_s": args.think,
        "load.requests": len(timed_run),
        "load.requests_per_s": round(len(timed_run) / elapsed, 1),
        "load.errors": errors,
    }
    print(
        f"\n{len(plan.people)} people, {elapsed:.1f} s, think time {args.think} s on average, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"{'kind':<12}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    rows = [*MIX, "all", "login"]
    for kind in rows:
        if kind == "all":
            seconds = [s.seconds for s in timed_run]
            failed = sum(not s.ok for s in timed_run)
        else:
            seconds = by_kind[kind]
            failed = sum(not s.ok for s in record.samples if s.kind == kind)
        cuts = percentiles(seconds)
        print(
            f"{kind:<12}{len(seconds):>9}{cuts['p50_ms']:>9}{cuts['p95_ms']:>9}"
            f"{cuts['p99_ms']:>9}{failed:>8}"
        )
        for name, value in cuts.items():
            figures[f"load.{kind}.{name}"] = value
        figures[f"load.{kind}.requests"] = len(seconds)
    print(f"\nrequests/s: {figures['load.requests_per_s']} (the timed mix, logins excluded)")
    print(f"errors: {errors}")
    for problem, count in record.problems.most_common():
        print(f"  {problem}: {count}")
    read_p95 = figures["load.read.p95_ms"]
    verdict = "met" if read_p95 < TARGET_READ_P95_MS else "NOT met"
    print(f"read p95 {read_p95} ms: target under {TARGET_READ_P95_MS} ms {verdict}")
    return figures


def bounded(kind, low, high):
    def parse(text: str):
        value = kind(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"between {low} and {high}")
        return value

    return parse


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("LOAD_URL", "http://127.0.0.1:8765"))
    parser.add_argument(
        "--users",
        type=bounded(int, 1, MAX_USERS),
        default=bounded(int, 1, MAX_USERS)(os.environ.get("LOAD_USERS", "50")),
    )
    parser.add_argument(
        "--seconds",
        type=bounded(float, 1, MAX_SECONDS),
        default=bounded(float, 1, MAX_SECONDS)(os.environ.get("LOAD_SECONDS", "60")),
    )
    parser.add_argument(
        "--think",
        type=bounded(float, 0, 10),
        default=bounded(float, 0, 10)(os.environ.get("LOAD_THINK", "1")),
        help="mean seconds a person waits between requests (uniform from 0 to twice this)",
    )
    args = parser.parse_args()
    if urlsplit(args.url).hostname not in LOOPBACK:
        parser.error("the load test runs against loopback only (127.0.0.1, localhost, ::1)")

    plan = prepare(args.users)
    print(f"run {plan.run}: {args.users} people for {args.seconds:g} s against {args.url}")
    record = Record()
    elapsed = asyncio.run(run(args.url, plan, args.seconds, args.think, record))
    figures = report(args, plan, record, elapsed)
    lost = lost_writes(plan, record)
    print(f"lost writes: {len(lost)}")
    for line in lost:
        print(f"  {line}")
    figures["load.lost_writes"] = len(lost)
    figures["load.writes_checked"] = (
        len(record.entries) + len(record.comments) + sum(record.toggles.values())
    )
    save(figures)
    return 1 if figures["load.errors"] or lost else 0


if __name__ == "__main__":
    sys.exit(main())
