"""Lighthouse scores of the demo's public post, profile and log-in page, on phones and desktops.

Run from the project root with `make audit` (which installs Lighthouse 12 from
package-lock.json first). The script builds a demo site of its own in var/audit/ (SQLite
file and media, rebuilt on every run so the demo's dates are current), serves it as
`make serve` does — gunicorn, DEBUG off, collected and hashed static files, plain HTTP on
a loopback port — and runs Lighthouse through npx against Debian's Chromium, one page and
mode at a time:

    uv run python bench/audit.py --port 8766 --runs 3

Each page and mode is audited `--runs` times and the run with the median Performance score
is kept (timings on a shared machine vary; the other categories do not). It prints the
four category scores (×100) per page and mode, lists every audit that
scored below 100, writes the figures to bench/audit.json (git-ignored) and the full
Lighthouse reports to var/audit/lighthouse/, and always stops the server. It exits 1 when
a target is missed — Performance ≥ 95, Accessibility, Best Practices and SEO 100 — so a
regression cannot pass unnoticed.

Mobile is Lighthouse's default (a mid-range phone on slow 4G, simulated from an
unthrottled load: `--throttling-method=simulate`, so the figures do not depend on this
machine's network); desktop is `--preset=desktop`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AUDIT_DIR = ROOT / "var" / "audit"
REPORTS = AUDIT_DIR / "lighthouse"
RESULTS = ROOT / "bench" / "audit.json"
CATEGORIES = {
    "performance": "Performance",
    "accessibility": "Accessibility",
    "best-practices": "Best Practices",
    "seo": "SEO",
}
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
MODES = ("mobile", "desktop")
ATTEMPTS = 3


def server_env(port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT"}
    }
    env.update(
        DEBUG="0",
        HTTPS="0",
        VAR_DIR=str(AUDIT_DIR),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        EMAIL_TO_CONSOLE="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "manage.py", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def prepare_site(env: dict[str, str]) -> str:
    """A fresh demo database; answers the path of the demo's public post."""
    shutil.rmtree(AUDIT_DIR, ignore_errors=True)
    REPORTS.mkdir(parents=True)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "demo", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    return manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from planner.models import Year, Visibility; "
        "print(Year.objects.filter(owner__username='demo', visibility=Visibility.PUBLIC)"
        ".earliest('year').get_absolute_url())",
    ).strip()


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    log = (AUDIT_DIR / "server.log").open("w")
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "yearloop.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(os.cpu_count() * 2 + 1)),
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so stopping it takes every worker
    )
    for _ in range(60):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.5)
    stop_server(server)
    sys.exit(f"The server did not start; see {AUDIT_DIR / 'server.log'}.")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def lighthouse(url: str, mode: str, report: Path) -> dict:
    command = [
        *("npx", "--no-install", "lighthouse", url),
        "--chrome-flags=--headless=new --no-sandbox",
        "--throttling-method=simulate",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
    ]
    if mode == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    for attempt in range(1, ATTEMPTS + 1):
        report.unlink(missing_ok=True)
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if not done.returncode and report.exists():
            return json.loads(report.read_text())
        # On a busy machine Chromium now and then loses the trace (NO_NAVSTART): run again.
        print(f"  attempt {attempt} failed: {done.stderr.strip()[-300:]}", flush=True)
    raise RuntimeError(f"Lighthouse failed {ATTEMPTS} times on {url} ({mode}).")


def summarise(lhr: dict) -> dict:
    scores = {key: round(lhr["categories"][key]["score"] * 100) for key in CATEGORIES}
    failing = []
    for key in CATEGORIES:
        for ref in lhr["categories"][key]["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            if audit["score"] is not None and audit["score"] < 1 and ref["weight"] > 0:
                failing.append(
                    {
                        "category": key,
                        "id": audit["id"],
                        "title": audit["title"],
                        "score": round(audit["score"] * 100),
                        "value": audit.get("displayValue", ""),
                    }
                )
    if lhr.get("runtimeError"):
        failing.append({"category": "run", "id": "runtime-error", **lhr["runtimeError"]})
    return {
        "scores": scores,
        "failing": failing,
        "lighthouse": lhr["lighthouseVersion"],
        # Lighthouse's measure of the machine's speed during the run (higher is faster).
        "benchmark_index": lhr["environment"]["benchmarkIndex"],
        "warnings": lhr["runWarnings"],
    }


def median_run(runs: list[dict]) -> dict:
    """The run with the median Performance score: timings vary from run to run on a shared
    machine, the other three categories do not."""
    ranked = sorted(runs, key=lambda run: run["scores"]["performance"])
    chosen = ranked[len(ranked) // 2]
    return {
        **chosen,
        "performance_runs": [run["scores"]["performance"] for run in runs],
        "benchmark_indexes": [run["benchmark_index"] for run in runs],
        "slow_cpu_runs": sum(
            any("slower CPU" in warning for warning in run["warnings"]) for run in runs
        ),
    }


def missed(scores: dict[str, int]) -> list[str]:
    return [
        f"{CATEGORIES[key]} {scores[key]} < {target}"
        for key, target in TARGETS.items()
        if scores[key] < target
    ]


def print_table(results: dict) -> None:
    header = f"{'page':<10}{'mode':<9}" + "".join(f"{name:>16}" for name in CATEGORIES.values())
    print(header + "  Performance of each run")
    print("-" * (len(header) + 25))
    for name, modes in results.items():
        for mode, result in modes.items():
            cells = "".join(f"{result['scores'][key]:>16}" for key in CATEGORIES)
            runs = " ".join(str(score) for score in result["performance_runs"])
            print(f"{name:<10}{mode:<9}{cells}  {runs}")
    print()
    for name, modes in results.items():
        for mode, result in modes.items():
            if slow := result["slow_cpu_runs"]:
                print(
                    f"{name} {mode}: in {slow} of {len(result['performance_runs'])}"
                    " runs Lighthouse warned that this machine's CPU is slower than it expects"
                    f" (benchmark index {', '.join(map(str, result['benchmark_indexes']))};"
                    " it expects 1000 or more), which lowers Performance on a phone."
                )
            for audit in result["failing"]:
                print(
                    f"{name} {mode}: {audit['category']} / {audit['id']} — {audit['title']}"
                    f" (score {audit.get('score', '-')}) {audit.get('value', '')}".rstrip()
                )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page and mode")
    args = parser.parse_args()
    if not port_is_free(args.port):
        sys.exit(f"Port {args.port} is in use; choose another with AUDIT_PORT=….")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` stops the server
    env = server_env(args.port)
    print("Building the demo site in var/audit/…", flush=True)
    post = prepare_site(env)
    pages = {"post": post, "profile": "/@demo/", "login": "/accounts/login/"}
    server = start_server(env, args.port)
    results: dict[str, dict[str, dict]] = {}
    load_before = os.getloadavg()[0]
    try:
        for name, path in pages.items():
            for mode in MODES:
                print(f"Lighthouse: {path} ({mode}), {args.runs} run(s)…", flush=True)
                runs = [
                    summarise(
                        lighthouse(
                            f"http://127.0.0.1:{args.port}{path}",
                            mode,
                            REPORTS / f"{name}-{mode}-{run}.json",
                        )
                    )
                    for run in range(1, args.runs + 1)
                ]
                results.setdefault(name, {})[mode] = {"url": path, **median_run(runs)}
    finally:
        stop_server(server)
    load = {"before": round(load_before, 1), "after": round(os.getloadavg()[0], 1)}
    print(
        f"\nLoad average (1 min) of this {os.cpu_count()}-core machine: {load['before']}"
        f" before, {load['after']} after."
    )
    print()
    print_table(results)
    misses = [
        f"{name} {mode}: {miss}"
        for name, modes in results.items()
        for mode, result in modes.items()
        for miss in missed(result["scores"])
    ]
    RESULTS.write_text(
        json.dumps(
            {
                "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.node()}, {os.cpu_count()} cores",
                "load_average": load,
                "targets": TARGETS,
                "pages": results,
                "missed": misses,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"\nScores in {RESULTS.relative_to(ROOT)}, reports in {REPORTS.relative_to(ROOT)}/.")
    if misses:
        print("Targets missed:\n  " + "\n  ".join(misses))
        return 1
    print("Every target met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
