"""`make bench`: queries per page, throughput against a constant page, page weight, photo CPU.

Run from the project root with `make bench`, or `uv run python bench/run.py`. It builds a
database of its own (a temporary SQLite file, or a temporary PostgreSQL database on the
server of DATABASE_URL when that is set) with the "typical" and "large" writers of
`manage.py bench_data`, then measures:

- queries: SQL queries to render the post, the profile, the dashboard and the feed, for
  both writers (Django's test client, in this process);
- throughput: gunicorn as `make serve` runs it (DEBUG off, whitenoise, the same workers)
  with bench/settings.py, which adds a constant page; requests per second of the typical
  post for a visitor divided by those of the constant page, same client and concurrency,
  taken in turns. Once with the post cache on, once with it off (POST_CACHE_SECONDS=0);
- weight: what Chromium downloads to show the typical post at 1280 and 390 px wide,
  scrolled to the end so every lazy photo loads;
- photo: bench/photo.py, the CPU a 12-megapixel photo costs.

It prints a table and saves the figures in bench/results.json (nested: results["queries"]
["post"]["typical"]). The servers, the database and the media files it made are removed at
the end, also when a step fails. Loopback only; bounded in time and count.
"""

from __future__ import annotations

import contextlib
import datetime
import gzip
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import RESULTS, save  # noqa: E402

SIZES = ("typical", "large")
THROUGHPUT_SIZES = ("typical", "large", "comments")  # "comments": a post with 500 comments
POST_YEAR = 2025
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
WRK_THREADS = 2
WRK = shutil.which("wrk") or "/usr/bin/wrk"
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))  # per page
ROUNDS = 2  # the two pages take turns, so a disturbance hits both
BROWSER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) yearloop-bench Chrome/156.0"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
VIEWPORTS = {"1280": (1280, 900, 1), "390": (390, 844, 3)}  # width, height, pixel ratio
TARGETS = {"post_queries": 12, "html_gz": 30_000, "css_js": 60_000}
# Requests per second as a share of the constant page's (docs/performance.md).
THROUGHPUT_TARGETS = {
    "home": 0.5,
    "profile_typical": 0.5,
    "profile_large": 0.5,
    "post_visitor_typical": 0.5,
    "post_visitor_large": 0.5,
    "post_visitor_comments": 0.5,
    "post_reader_typical": 0.25,
    "post_reader_large": 0.25,
    "post_reader_comments": 0.2,
    "post_owner_typical": 0.1,
    "post_owner_large": 0.1,
}
TARGET_IMAGES_1280 = 1_500_000


# --- A database and media of the benchmark's own ------------------------------------


@contextlib.contextmanager
def bench_environment(workdir: Path) -> Iterator[dict[str, str]]:
    """Environment for this process and the servers: a fresh database and media folder."""
    env = {
        "MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        # One key for this process and the servers: the sessions it makes are theirs too.
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        env["VAR_DIR"] = str(workdir)
        os.environ.pop("DATABASE_URL", None)
        yield env
        return
    import psycopg

    parts = urlsplit(url)
    name = f"yearloop_bench_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield env
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build_data() -> None:
    import logging

    import django
    from django.core.management import call_command

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
    logging.getLogger("axes").setLevel(logging.WARNING)  # nor per log-in
    call_command("migrate", verbosity=0)
    call_command("bench_data", verbosity=0)


# --- Queries ----------------------------------------------------------------------


def measure_queries() -> dict[str, object]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from accounts.models import User

    def count(client: Client, url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(queries)

    figures: dict[str, object] = {}
    for size in SIZES:
        writer = User.objects.get(username=f"bench-{size}")
        post, profile = f"/@{writer.username}/{POST_YEAR}/", f"/@{writer.username}/"
        visitor = Client(HTTP_USER_AGENT=BROWSER_AGENT)
        with override_settings(POST_CACHE_SECONDS=0):
            visitor.get(post)  # today's view is counted: what follows is reading only
            figures[f"queries.post.{size}"] = count(visitor, post)
        count(visitor, post)
        figures[f"queries.post_cached.{size}"] = count(visitor, post)
        figures[f"queries.profile.{size}"] = count(visitor, profile)
        figures[f"queries.feed.{size}"] = count(visitor, profile + "feed/")
        reader = Client(HTTP_USER_AGENT=BROWSER_AGENT)
        reader.force_login(User.objects.get(username="bench-reader1"))
        count(reader, post)
        figures[f"queries.post_reader_cached.{size}"] = count(reader, post)
        owner = Client(HTTP_USER_AGENT=BROWSER_AGENT)
        owner.force_login(writer)
        figures[f"queries.post_owner.{size}"] = count(owner, post)
        figures[f"queries.post_owner_cached.{size}"] = count(owner, post)
        figures[f"queries.dashboard.{size}"] = count(owner, "/")
    return figures


# --- Servers ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(env: dict[str, str], port: int) -> dict[str, str]:
    """`make serve`'s environment: DEBUG off, plain HTTP on loopback."""
    return {
        **os.environ,
        **env,
        "DEBUG": "0",
        "HTTPS": "0",
        "EMAIL_TO_CONSOLE": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
    }


def collect_static(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=server_environment(env, 0),
        check=True,
    )


@contextlib.contextmanager
def server(env: dict[str, str], log: Path, **settings: str) -> Iterator[str]:
    """gunicorn as `make serve` starts it, on a free loopback port; stopped on the way out."""
    import httpx

    port = free_port()
    workers = (os.cpu_count() or 1) * 2 + 1
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "yearloop.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--access-logfile=-",
        "--no-control-socket",
    ]
    with log.open("a") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**server_environment(env, port), **settings},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError(f"The server stopped; see {log}.")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("The server did not answer within 60 s.")
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- Throughput -------------------------------------------------------------------


def wrk(url: str, seconds: float, headers: dict[str, str]) -> dict[str, float]:
    """One run of `wrk` (compiled, so the client is not what runs out of breath)."""
    command = [WRK, f"-t{WRK_THREADS}", f"-c{CONCURRENCY}", f"-d{seconds:g}s", "--latency"]
    for name, value in {"User-Agent": BROWSER_AGENT, "Accept-Encoding": "gzip", **headers}.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    found = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "requests": int(re.search(r"(\d+) requests in", output)[1]),
        "errors": sum(map(int, re.findall(r"Non-2xx or 3xx responses: (\d+)", output)))
        + sum(map(int, re.findall(r"(?:connect|read|write|timeout) (\d+)", output))),
    }
    for cut in (50, 99):
        value, unit = re.search(rf"\s{cut}%\s+([\d.]+)(us|ms|s)\b", output).groups()
        found[f"p{cut}_ms"] = round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)
    return found


def session_cookie(username: str) -> str:
    """A signed-in session for `username`, stored where the servers read sessions."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def stylesheet(base: str) -> str:
    import httpx

    page = httpx.get(base + "/accounts/login/", timeout=10).text
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', page)[1]


def throughput_pages(base: str) -> dict[str, tuple[str, dict[str, str]]]:
    """What is measured: each page with the headers of who asks for it, checked to be that
    person's page (signed in or not) before it is measured."""
    import httpx

    reader = {"Cookie": session_cookie("bench-reader1")}
    pages = {
        "static": (base + stylesheet(base), {}),
        "baseline": (base + "/bench/constant/", {}),
        "robots": (base + "/robots.txt", {}),
        "home": (base + "/", {}),
    }
    for size in THROUGHPUT_SIZES:
        post = f"{base}/@bench-{size}/{POST_YEAR}/"
        pages[f"post_visitor_{size}"] = (post, {})
        pages[f"post_reader_{size}"] = (post, reader)
        if size != "comments":
            pages[f"profile_{size}"] = (f"{base}/@bench-{size}/", {})
            pages[f"post_owner_{size}"] = (post, {"Cookie": session_cookie(f"bench-{size}")})
    for name, (url, headers) in pages.items():
        if name.startswith(("post_", "profile_", "home")):
            page = httpx.get(url, headers=headers, timeout=30).text
            signed_in = 'action="/accounts/logout/"' in page
            if signed_in != ("reader" in name or "owner" in name):
                raise RuntimeError(f"{name}: not the page of the person it stands for")
    return pages


def settle(base: str) -> None:
    """Wait until the server has finished what the last run left in flight (a slow page's
    requests go on after wrk stops), so it does not count against the next page."""
    import httpx

    deadline = time.perf_counter() + 15
    with httpx.Client(base_url=base, timeout=15) as client:
        client.get("/bench/constant/")  # connected: what follows times the server alone
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            client.get("/bench/constant/")
            if time.perf_counter() - started < 0.05:
                return
            time.sleep(0.2)


def throughput(base: str) -> dict[str, object]:
    """Every page in turn, ROUNDS times, so a disturbance of the machine hits them all."""
    pages = throughput_pages(base)
    for url, headers in pages.values():  # warm: templates compiled, every worker's cache filled
        wrk(url, 2, headers)
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in pages}
    for _ in range(ROUNDS):
        for name, (url, headers) in pages.items():
            settle(base)
            runs[name].append(wrk(url, SECONDS / ROUNDS, headers))
    figures: dict[str, object] = {}
    for name, measured in runs.items():
        requests = sum(run["requests"] for run in measured)
        figures[f"throughput.{name}.rps"] = round(sum(run["rps"] for run in measured) / ROUNDS, 1)
        figures[f"throughput.{name}.p50_ms"] = max(run["p50_ms"] for run in measured)
        figures[f"throughput.{name}.p99_ms"] = max(run["p99_ms"] for run in measured)
        figures[f"throughput.{name}.errors"] = sum(run["errors"] for run in measured)
        figures[f"throughput.{name}.requests"] = requests
    baseline = figures["throughput.baseline.rps"]
    for name in pages:
        figures[f"throughput.{name}.ratio"] = round(figures[f"throughput.{name}.rps"] / baseline, 3)
    # The load generator is not the limit when a static file comes out faster than the
    # constant page: both go through the same client, only the server's work differs.
    figures["throughput.client_not_bottleneck"] = figures["throughput.static.rps"] > baseline
    return figures


# --- Page weight ------------------------------------------------------------------


def page_weight(base: str) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    url = f"{base}/@bench-typical/{POST_YEAR}/"
    figures: dict[str, object] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            for name, (width, height, ratio) in VIEWPORTS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    device_scale_factor=ratio,
                    is_mobile=ratio > 1,
                    has_touch=ratio > 1,
                    user_agent=BROWSER_AGENT,
                )
                page = context.new_page()
                finished = []
                page.on("requestfinished", lambda request, into=finished: into.append(request))
                response = page.goto(url, wait_until="networkidle")
                scroll_to_the_end(page)
                transferred = {"document": 0, "css_js": 0, "image": 0, "other": 0}
                for request in finished:
                    kind = request.resource_type
                    kind = "css_js" if kind in {"stylesheet", "script"} else kind
                    kind = kind if kind in transferred else "other"
                    transferred[kind] += request.sizes()["responseBodySize"]
                figures[f"weight.css_js_{name}"] = transferred["css_js"]
                figures[f"weight.images_{name}"] = transferred["image"]
                figures[f"weight.image_count_{name}"] = sum(
                    request.resource_type == "image" for request in finished
                )
                if name == "1280":
                    html = response.body()
                    figures["weight.html_bytes"] = len(html)
                    figures["weight.html_gz"] = len(gzip.compress(html, compresslevel=6))
                context.close()
        finally:
            browser.close()
    return figures


def scroll_to_the_end(page) -> None:
    """Scroll a screen at a time, as a reader would, so the lazy photos load."""
    for _ in range(500):
        at_end = page.evaluate(
            "() => { window.scrollBy(0, window.innerHeight);"
            " return window.scrollY + window.innerHeight >= document.body.scrollHeight - 2; }"
        )
        page.wait_for_timeout(60)
        if at_end:
            break
    page.wait_for_load_state("networkidle")


# --- Report -----------------------------------------------------------------------


def print_table(results: dict) -> None:
    queries, throughput, weight = results["queries"], results["throughput"], results["weight"]
    print(f"\nQueries per page (target: the same at both sizes; post ≤ {TARGETS['post_queries']})")
    print(f"  {'page':<36}{'typical':>9}{'large':>9}")
    labels = {
        "post": "post, visitor (cache off)",
        "post_cached": "post, visitor (cache on)",
        "post_reader_cached": "post, logged-in reader (cache on)",
        "post_owner": "post, its owner (rendered)",
        "post_owner_cached": "post, its owner (kept)",
        "profile": "profile",
        "dashboard": "dashboard",
        "feed": "feed",
    }
    for page, label in labels.items():
        print(f"  {label:<36}{queries[page]['typical']:>9}{queries[page]['large']:>9}")

    print(
        f"\nThroughput with wrk ({WRK_THREADS} threads, {CONCURRENCY} connections, "
        f"{SECONDS:g} s a page in {ROUNDS} turns); ratio to the constant page"
    )
    print(
        f"  {'page':<30}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'ratio':>8}{'target':>8}"
    )
    order = ["static", "baseline", "robots", "home", "profile", "post_visitor", "post_reader"]
    pages = [page for page, figures in throughput.items() if isinstance(figures, dict)]
    pages.sort(key=lambda page: next((i for i, p in enumerate(order) if page.startswith(p)), 9))
    for page in pages:
        figures = throughput[page]
        target = THROUGHPUT_TARGETS.get(page, "")
        print(
            f"  {page:<30}{figures['rps']:>9}{figures['p50_ms']:>9}{figures['p99_ms']:>9}"
            f"{figures['errors']:>8}{figures['ratio']:>8.3f}{target:>8}"
        )
    verdict = "yes" if throughput["client_not_bottleneck"] else "NO: the figures say little"
    print(f"  the static file faster than the constant page (client not the limit): {verdict}")

    print("\nWeight of the typical post in Chromium (bytes transferred)")
    print(f"  HTML, gzip: {weight['html_gz']:,} (target ≤ {TARGETS['html_gz']:,})")
    for name in VIEWPORTS:
        print(
            f"  {name} px: CSS+JS {weight['css_js_' + name]:,} (target ≤ "
            f"{TARGETS['css_js']:,}), images {weight['images_' + name]:,} "
            f"in {weight['image_count_' + name]} files"
            + (f" (target ≤ {TARGET_IMAGES_1280:,})" if name == "1280" else "")
        )
    if "photo" in results:
        photo = results["photo"]
        print(
            f"\nPhoto: {photo['cpu_s']} s CPU for a 12 MP JPEG "
            f"(×{photo['ratio']} of decoding and saving it once)"
        )
    print(f"\nSaved in {RESULTS.relative_to(ROOT)}.")


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="yearloop-bench-"))
    log = workdir / "server.log"
    started = time.perf_counter()
    try:
        with bench_environment(workdir) as env:
            os.environ.update(env)
            print("Building the typical and large writers…", flush=True)
            build_data()
            from django.db import connection

            figures: dict[str, object] = {
                "run.date": datetime.date.today().isoformat(),
                "run.cpus": os.cpu_count(),
                "run.database": connection.vendor,
                "run.concurrency": CONCURRENCY,
                "run.seconds_per_page": SECONDS,
            }
            print("Counting queries…", flush=True)
            figures |= measure_queries()
            connection.close()
            collect_static(env)
            print("Measuring throughput with wrk…", flush=True)
            with server(env, log) as base:
                figures |= throughput(base)
                print("Opening the post in Chromium…", flush=True)
                figures |= page_weight(base)
        print("Timing the photo pipeline…", flush=True)
        subprocess.run([sys.executable, "bench/photo.py"], cwd=ROOT, check=False)
        save(figures)
        print_table(json.loads(RESULTS.read_text()))
        print(f"({time.perf_counter() - started:.0f} s)")
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
