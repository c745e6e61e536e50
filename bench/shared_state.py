"""What one app node does, the other sees at once: checked against a running cluster.

First, the id nginx gives each request (X-Request-ID) is the one the app answers with and
logs. Then each check acts through node A (directly on its port) and looks through node B, as two
requests of one person would land when nginx sends them to different nodes:

- a goal added to the demo's public post through A is on the page B serves a visitor
  (the post cache's version is in the database, its renderings in Redis);
- a session logged in on A is logged in on B (sessions in the database);
- the comment limit used up on A refuses the next comment on B (counted in Redis);
- a view counted on A is not counted again on B (the day's readers in Redis);
- a log-in lockout on A holds on B, for the address and for the username (django-axes,
  in the database).

Called by bench/faults.py (`make cluster-load`) with the cluster's environment exported,
so the ORM here reads the cluster's database. Raises AssertionError on the first failure.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import httpx
from django.db.models import Sum
from django.utils import timezone

from planner.models import DailyViews, Visibility, Year

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/140.0 Safari/537.36"


def client(url: str, **headers: str) -> httpx.Client:
    return httpx.Client(base_url=url, timeout=30, headers={"User-Agent": BROWSER, **headers})


def csrf(session: httpx.Client, path: str = "/accounts/login/") -> str:
    session.get(path)
    return session.cookies.get("csrftoken", "")


def log_in(session: httpx.Client, username: str, password: str, **headers: str):
    token = csrf(session)
    data = {"username": username, "password": password, "csrfmiddlewaretoken": token}
    return session.post("/accounts/login/", data=data, headers=headers)


def move_session(source: httpx.Client, target_url: str) -> httpx.Client:
    """A client for `target_url` carrying the cookies `source` was given."""
    moved = client(target_url)
    for cookie in source.cookies.jar:
        moved.cookies.set(cookie.name, cookie.value)
    return moved


def public_post() -> Year:
    return (
        Year.objects.filter(owner__username="demo", visibility=Visibility.PUBLIC)
        .order_by("-year")
        .first()
    )


def check_post_change(a: str, b: str) -> None:
    post = public_post()
    path = post.get_absolute_url()
    with client(b) as visitor_on_b, client(a) as demo_on_a:
        assert visitor_on_b.get(path).status_code == 200  # kept in the cache now
        assert log_in(demo_on_a, "demo", "demo").status_code == 302
        title = f"Shared-state goal {secrets.token_hex(4)}"
        data = {"title": title, "csrfmiddlewaretoken": demo_on_a.cookies["csrftoken"]}
        added = demo_on_a.post(f"{path}goals/new/", data=data)
        assert added.status_code in (200, 302), added.status_code
        page = visitor_on_b.get(path)
        assert page.status_code == 200 and title in page.text, "B served the old post"


def check_session(a: str, b: str) -> None:
    with client(a) as on_a:
        assert log_in(on_a, "reader", "reader").status_code == 302
        with move_session(on_a, b) as on_b:
            page = on_b.get("/accounts/profile/")
            assert page.status_code == 200, f"the session from A is not known on B: {page}"


def check_comment_limit(a: str, b: str, limit: int) -> None:
    post = public_post()
    url = f"{post.get_absolute_url()}comments/new/"
    if time.time() % 60 > 45:  # the limit counts per clock minute: not across its end
        time.sleep(61 - time.time() % 60)
    with client(a) as on_a:
        assert log_in(on_a, "reader", "reader").status_code == 302
        token = on_a.cookies["csrftoken"]
        run = secrets.token_hex(3)
        # The limit counts per minute: whatever the reader posted earlier this minute counts
        # too, so post until A refuses, then ask B.
        statuses = [
            on_a.post(url, data={"body": f"Limit {run} {n}", "csrfmiddlewaretoken": token})
            for n in range(limit + 1)
        ]
        assert statuses[-1].status_code == 429, [r.status_code for r in statuses]
        with move_session(on_a, b) as on_b:
            refused = on_b.post(url, data={"body": f"Limit {run} B", "csrfmiddlewaretoken": token})
            assert refused.status_code == 429, f"B took a comment over the limit: {refused}"


def check_view_counting(a: str, b: str) -> None:
    post = public_post()
    today = timezone.localdate()

    def views() -> int:
        rows = DailyViews.objects.filter(year=post, day=today)
        return rows.aggregate(total=Sum("count"))["total"] or 0

    before = views()
    agent = f"{BROWSER} shared-state/{secrets.token_hex(4)}"  # a reader not seen today
    for url in (a, b, a, b):
        with client(url, **{"User-Agent": agent}) as visitor:
            assert visitor.get(post.get_absolute_url()).status_code == 200
    assert views() == before + 1, f"{views() - before} views counted for one reader"


def check_lockout(a: str, b: str, failures: int) -> None:
    # A client address of its own (through X-Forwarded-For, as nginx would send it): a
    # lockout of 127.0.0.1 would lock every later log-in through the proxy.
    address = f"203.0.113.{secrets.randbelow(250) + 1}"
    name = f"nobody-{secrets.token_hex(4)}"
    with client(a) as on_a:
        statuses = [
            log_in(on_a, name, "wrong", **{"X-Forwarded-For": address}).status_code
            for _ in range(failures)
        ]
    assert statuses[-1] == 429, statuses
    with client(b) as on_b:
        other_name = log_in(on_b, "someone-else", "wrong", **{"X-Forwarded-For": address})
        other_address = log_in(on_b, name, "wrong", **{"X-Forwarded-For": "198.51.100.77"})
    assert other_name.status_code == 429, "B did not hold the address's lockout"
    assert other_address.status_code == 429, "B did not hold the username's lockout"


def check_request_id(proxy: str, access_log: Path) -> None:
    """The id nginx gives a request is the one the app answers with (and logs)."""
    with client(proxy) as visitor:
        given = visitor.get("/robots.txt").headers.get("X-Request-ID", "")
    assert given and f"rid={given} " in access_log.read_text(), "the app made an id of its own"


def check_all(
    a: str, b: str, proxy: str, access_log: Path, comment_limit: int, login_failures: int
) -> list[str]:
    """Every check, A then B; the names of those that passed (it raises on a failure)."""
    checks = [
        ("nginx's request id kept by the app", lambda: check_request_id(proxy, access_log)),
        ("post change seen at once", lambda: check_post_change(a, b)),
        ("session shared", lambda: check_session(a, b)),
        ("comment limit shared", lambda: check_comment_limit(a, b, comment_limit)),
        ("view counted once", lambda: check_view_counting(a, b)),
        ("log-in lockout shared", lambda: check_lockout(a, b, login_failures)),
    ]
    passed = []
    for name, check in checks:
        check()
        print(f"  ok: {name} (A → B)", flush=True)
        passed.append(name)
    return passed
