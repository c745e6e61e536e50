"""Faults under load on the cluster of bench/cluster.py, each a step that asserts.

    uv run python bench/faults.py --steps shared-state,node-kill        # make cluster-load
    uv run python bench/faults.py                                       # make faults

The cluster is started once (bench/cluster.py) and stopped on exit, whatever happens. Then:

- shared-state: what is done through node A is seen at once through node B
  (bench/shared_state.py), with the default comment limit. The nodes are then restarted
  with the limit raised, as `make load` does, so the load's own commenting is not refused.
- node-kill: bench/load.py through nginx; 40 % into the run node A's master and workers
  get SIGKILL; 10 s later A is started again. Asserts: every error was a request in
  flight at the kill (nginx's log tells which were on A, which it passed on to B and
  which it could not: a write that reached A is never sent twice), no error after it,
  no lost write, and A answering again once back.
- redis-outage: the same load; Redis is stopped for 10 s, then started again, empty.
  Asserts: no error at all (the cache fails open), requests served during the outage,
  and afterwards the cache hit again and rate limits and the day's readers counted again.
- redis-hang: the same load; Redis is frozen (SIGSTOP) for 10 s: connections are accepted
  and never answered, which only the socket timeouts end. Asserts: no error, requests
  answered during the hang with p95 under 5 s (not held until Redis answers), and as fast
  as before once it does.
- postgres-restart: the same load; PostgreSQL is restarted (`pg_ctl restart -m fast`).
  Asserts: errors only from requests that started before PostgreSQL was ready again,
  none after, no lost write, and the same processes before and after (no node, gunicorn
  worker or task worker restarted: they reconnect by themselves).

Each step prints bench/load.py's table (p50, p95, p99 per kind) and its own figures, and
saves them in bench/results.json under `cluster_<step>`. Exits 1 when any assertion
failed. LOAD_USERS (30), LOAD_SECONDS (40) and LOAD_THINK (1) size each load run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cluster import HOST, Cluster, wait_for  # noqa: E402

STEPS = ["shared-state", "node-kill", "redis-outage", "redis-hang", "postgres-restart"]
FAULT_AT = 0.4  # how far into the timed run the fault comes
NODE_DOWN_SECONDS = 10
REDIS_DOWN_SECONDS = 10
HANG_P95_MS = 5000  # half the hang: requests must not wait for Redis to come back
LOAD_COMMENT_LIMITS = "1000/minute,100000/day"
WRITES = {"toggle", "entry", "comment"}


@dataclass
class Moment:
    perf: float  # time.perf_counter(), as the load's samples are timed
    wall: float  # time.time(), as nginx's log is


def now() -> Moment:
    return Moment(time.perf_counter(), time.time())


@dataclass
class ProxyLine:
    method: str
    status: int
    upstreams: list[str]
    started: float
    ended: float


LINE = re.compile(
    r'"(?P<method>\S+) \S+ [^"]*" (?P<status>\d+) .* up="(?P<up>[^"]*)" .* '
    r"rt=(?P<rt>[\d.]+) t=(?P<t>[\d.]+)$"
)


def proxy_lines(log: Path, offset: int) -> list[ProxyLine]:
    """nginx's access log from `offset` on, one ProxyLine per request."""
    lines = []
    with open(log, "rb") as file:
        file.seek(offset)
        for raw in file.read().decode().splitlines():
            if match := LINE.search(raw):
                ended = float(match["t"])
                lines.append(
                    ProxyLine(
                        method=match["method"],
                        status=int(match["status"]),
                        upstreams=[u.strip() for u in match["up"].split(",")],
                        started=ended - float(match["rt"]),
                        ended=ended,
                    )
                )
    return lines


class Step:
    """One load run with a fault in it: its samples, marks, figures and failed checks."""

    def __init__(self, name: str, cluster: Cluster, args) -> None:
        self.name, self.cluster, self.args = name, cluster, args
        self.marks: dict[str, Moment] = {}
        self.figures: dict[str, object] = {}
        self.failed: list[str] = []

    def mark(self, name: str) -> None:
        self.marks[name] = now()

    def check(self, ok: bool, what: str) -> None:
        print(f"  {'ok' if ok else 'FAILED'}: {what}", flush=True)
        if not ok:
            self.failed.append(what)

    def run(self, fault) -> None:
        from django.db import connections

        from bench import load

        log = self.cluster.home / "logs" / "nginx-access.log"
        self.log_offset = log.stat().st_size
        self.plan = load.prepare(self.args.users)
        self.record = load.Record()

        def during() -> None:
            time.sleep(self.args.seconds * FAULT_AT)
            fault()

        print(f"\n== {self.name}: {self.args.users} people for {self.args.seconds:g} s", flush=True)
        elapsed = asyncio.run(
            load.run(
                self.cluster.url,
                self.plan,
                self.args.seconds,
                self.args.think,
                self.record,
                during=during,
            )
        )
        connections.close_all()  # PostgreSQL may have restarted under this process too
        figures = load.report(self.args, self.plan, self.record, elapsed)
        lost = load.lost_writes(self.plan, self.record)
        self.figures |= {key.removeprefix("load."): value for key, value in figures.items()}
        self.figures["lost_writes"] = len(lost)
        self.figures["writes_checked"] = (
            len(self.record.entries) + len(self.record.comments) + sum(self.record.toggles.values())
        )
        self.proxy = proxy_lines(log, self.log_offset)
        print(f"lost writes: {len(lost)}")
        for line in lost:
            print(f"  {line}")
        self.check(not lost, f"no lost writes ({self.figures['writes_checked']} checked)")

    def phases(self, start: str, end: str) -> None:
        """p95 of every request and the errors, started before, during and after the fault."""
        from bench.load import percentiles

        edges = (self.marks[start].perf, self.marks[end].perf)
        phases = {
            "before": lambda s: s.started < edges[0],
            "during": lambda s: edges[0] <= s.started <= edges[1],
            "after": lambda s: s.started > edges[1],
        }
        print(f"{'phase':<8}{'requests':>9}{'p95 ms':>9}{'errors':>8}")
        for phase, within in phases.items():
            samples = [s for s in self.record.samples if s.kind in WRITES | {"read"} and within(s)]
            p95 = percentiles([s.seconds for s in samples])["p95_ms"]
            errors = sum(not s.ok for s in samples)
            print(f"{phase:<8}{len(samples):>9}{p95:>9}{errors:>8}")
            self.figures |= {
                f"{phase}.requests": len(samples),
                f"{phase}.p95_ms": p95,
                f"{phase}.errors": errors,
            }

    @property
    def errors(self):
        return [sample for sample in self.record.samples if not sample.ok]

    def save(self) -> None:
        from bench.results import save

        self.figures["failed_checks"] = self.failed
        save({f"cluster_{self.name.replace('-', '_')}.{k}": v for k, v in self.figures.items()})


# --- The faults ----------------------------------------------------------------------------


def node_kill(cluster: Cluster, args) -> Step:
    step = Step("node-kill", cluster, args)
    node_a = f"{HOST}:{cluster.ports.node_a}"

    def fault() -> None:
        # At a moment A holds a request: with a think time most moments it holds none.
        deadline = time.monotonic() + 5
        while not busy(cluster.ports.node_a) and time.monotonic() < deadline:
            time.sleep(0.005)
        step.mark("kill")
        cluster.kill_node("a")
        time.sleep(NODE_DOWN_SECONDS)
        cluster.start_node("a")
        wait_for(f"{cluster.node_url('a')}/healthz")
        step.mark("back")

    step.run(fault)
    step.phases("kill", "back")
    kill = step.marks["kill"]
    in_flight = [s for s in step.record.samples if s.started <= kill.perf <= s.started + s.seconds]
    strays = [s for s in step.errors if not s.started <= kill.perf <= s.started + s.seconds]
    on_a = [
        line
        for line in step.proxy
        if line.upstreams[0] == node_a and line.started <= kill.wall <= line.ended
    ]
    lost_on_a = [line for line in on_a if line.status >= 500]
    passed_on = [line for line in on_a if len(line.upstreams) > 1 and line.status < 500]
    back_on_a = [
        line
        for line in step.proxy
        if line.started > step.marks["back"].wall and line.upstreams == [node_a]
    ]
    step.figures |= {
        "in_flight_at_kill": len(in_flight),
        "in_flight_on_a": len(on_a),
        "passed_on_to_b": len(passed_on),
        "failed_on_a": len(lost_on_a),
        "failed_on_a_methods": sorted({line.method for line in lost_on_a}),
        "answered_by_a_after_restart": len(back_on_a),
    }
    print(
        f"at the kill: {len(in_flight)} requests in flight, {len(on_a)} of them on A; "
        f"nginx passed {len(passed_on)} on to B and answered {len(lost_on_a)} with an error "
        f"({', '.join(step.figures['failed_on_a_methods']) or 'none'})"
    )
    step.check(not strays, f"every error was in flight at the kill ({len(step.errors)} errors)")
    step.check(
        len(step.errors) <= len(on_a),
        f"errors ({len(step.errors)}) no more than A had in flight ({len(on_a)})",
    )
    step.check(
        all(s.kind in WRITES for s in step.errors),
        "only writes failed: reads in flight were passed on to B",
    )
    step.check(bool(back_on_a), f"A answers again once back ({len(back_on_a)} requests)")
    return step


def busy(port: int) -> bool:
    """Whether a connection to `port` is open (nginx's, with a request on it), read from
    /proc/net/tcp: quick enough to kill before the request is done."""
    local = f":{port:04X}"
    with open("/proc/net/tcp") as table:
        next(table)
        return any(
            fields[1].endswith(local) and fields[3] == "01"  # 01: ESTABLISHED
            for fields in (line.split() for line in table)
        )


def redis_outage(cluster: Cluster, args) -> Step:
    step = Step("redis-outage", cluster, args)
    logs = [cluster.home / "logs" / f"node-{node}.log" for node in ("a", "b")]
    warned_before = sum(log.read_text().count("The cache is unreachable") for log in logs)

    def fault() -> None:
        step.mark("stop")
        cluster.stop_redis()
        time.sleep(REDIS_DOWN_SECONDS)
        step.mark("start")
        cluster.start_redis()

    step.run(fault)
    step.phases("stop", "start")
    stop, start = step.marks["stop"], step.marks["start"]
    during = [s for s in step.record.samples if stop.perf <= s.started <= start.perf]
    reads = [s for s in during if s.kind == "read" and s.ok]
    stats = redis_stats(cluster)
    warned = sum(log.read_text().count("The cache is unreachable") for log in logs)
    step.figures |= {
        "outage_s": round(start.perf - stop.perf, 1),
        "requests_during_outage": len(during),
        "served_during_outage": sum(s.ok for s in during),
        "cache_hits_after": stats["keyspace_hits"],
        "rate_limit_keys_after": stats["rate_keys"],
        "view_keys_after": stats["view_keys"],
        "warnings_logged": warned - warned_before,
    }
    print(
        f"Redis away {step.figures['outage_s']} s: {len(during)} requests started then, "
        f"{step.figures['served_during_outage']} answered as expected; "
        f"{warned - warned_before} warnings logged. After: {stats['keyspace_hits']} cache "
        f"hits, {stats['rate_keys']} rate-limit and {stats['view_keys']} view keys"
    )
    step.check(not step.errors, f"no errors, during the outage or after ({len(step.errors)})")
    step.check(bool(reads), "pages served while Redis was away")
    step.check(stats["keyspace_hits"] > 0, "the cache hits again after Redis came back")
    step.check(stats["rate_keys"] > 0, "comment rate limits count again")
    step.check(stats["view_keys"] > 0, "the day's readers are remembered again")
    step.check(warned > warned_before, "the outage is in the nodes' logs as warnings")
    return step


def redis_hang(cluster: Cluster, args) -> Step:
    step = Step("redis-hang", cluster, args)

    def fault() -> None:
        step.mark("stop")
        cluster.hang_redis(True)
        time.sleep(REDIS_DOWN_SECONDS)
        step.mark("start")
        cluster.hang_redis(False)

    step.run(fault)
    step.phases("stop", "start")
    stats = redis_stats(cluster)
    step.figures["cache_hits_after"] = stats["keyspace_hits"]
    step.check(not step.errors, f"no errors, during the hang or after ({len(step.errors)})")
    step.check(
        step.figures["during.requests"] > 0 and step.figures["during.p95_ms"] < HANG_P95_MS,
        f"requests answered while Redis hung, p95 under {HANG_P95_MS} ms (not held for the hang)",
    )
    step.check(
        step.figures["after.p95_ms"] < 2 * max(step.figures["before.p95_ms"], 200),
        "as fast as before once Redis answers again",
    )
    return step


def redis_stats(cluster: Cluster) -> dict[str, int]:
    cli = ["redis-cli", "-h", HOST, "-p", str(cluster.ports.redis)]
    info = subprocess.run([*cli, "info", "stats"], capture_output=True, text=True).stdout
    hits = int(re.search(r"keyspace_hits:(\d+)", info)[1])

    def keys(pattern: str) -> int:
        found = subprocess.run([*cli, "--scan", "--pattern", pattern], capture_output=True)
        return len(found.stdout.split())

    return {
        "keyspace_hits": hits,
        "rate_keys": keys("*rate:comment:*"),
        "view_keys": keys("*views:*"),
    }


def postgres_restart(cluster: Cluster, args) -> Step:
    step = Step("postgres-restart", cluster, args)
    pids_before = cluster.app_pids()

    def fault() -> None:
        step.mark("stop")
        cluster.restart_postgres()
        step.mark("ready")

    step.run(fault)
    step.phases("stop", "ready")
    stop, ready = step.marks["stop"], step.marks["ready"]
    window = ready.perf - stop.perf
    in_window = [s for s in step.errors if s.started + s.seconds >= stop.perf]
    after = [s for s in step.errors if s.started > ready.perf]
    before = [s for s in step.errors if s.started + s.seconds < stop.perf]
    statuses = sorted({s.status for s in step.errors})
    step.figures |= {
        "restart_window_s": round(window, 2),
        "errors_in_window": len(in_window),
        "errors_after": len(after),
        "error_statuses": statuses,
        "app_processes_kept": cluster.app_pids() == pids_before,
    }
    print(
        f"PostgreSQL restarted in {window:.2f} s: {len(in_window)} errors from requests "
        f"under way then (statuses {statuses}), {len(after)} after"
    )
    step.check(not before and not after, "errors only within the restart window")
    step.check(
        step.figures["app_processes_kept"],
        "no node, gunicorn worker or task worker restarted (same process ids)",
    )
    return step


FAULTS = {
    "node-kill": node_kill,
    "redis-outage": redis_outage,
    "redis-hang": redis_hang,
    "postgres-restart": postgres_restart,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", default=",".join(STEPS), help=f"of {', '.join(STEPS)}")
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOAD_USERS", "30")))
    parser.add_argument(
        "--seconds", type=float, default=float(os.environ.get("LOAD_SECONDS", "40"))
    )
    parser.add_argument("--think", type=float, default=float(os.environ.get("LOAD_THINK", "1")))
    args = parser.parse_args()
    steps = [step.strip() for step in args.steps.split(",") if step.strip()]
    if unknown := set(steps) - set(STEPS):
        parser.error(f"unknown steps: {', '.join(sorted(unknown))}")
    if not (1 <= args.users <= 200 and 10 <= args.seconds <= 600):
        parser.error("between 1 and 200 users and 10 to 600 seconds")

    cluster = Cluster()
    cluster.export_env()  # before Django reads its settings: this process reads its database
    import django

    django.setup()
    from django.conf import settings

    failed: list[str] = []
    with cluster:
        if "shared-state" in steps:
            from bench import shared_state
            from bench.results import save

            print("\n== shared-state: through node A, then node B", flush=True)
            limit = int(settings.COMMENT_RATE_LIMITS.split(",")[0].split("/")[0])
            passed = shared_state.check_all(
                cluster.node_url("a"),
                cluster.node_url("b"),
                cluster.url,
                cluster.home / "logs" / "nginx-access.log",
                limit,
                settings.AXES_FAILURE_LIMIT,
            )
            save({"cluster_shared_state.passed": passed})
        faults = [step for step in steps if step in FAULTS]
        if faults:
            cluster.extra_env["COMMENT_RATE_LIMITS"] = LOAD_COMMENT_LIMITS
            cluster.restart_nodes()
        for name in faults:
            step = FAULTS[name](cluster, args)
            step.save()
            failed += [f"{name}: {what}" for what in step.failed]
    print(f"\n{'all checks passed' if not failed else 'FAILED:'}")
    for line in failed:
        print(f"  {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    # Ctrl-C and SIGTERM stop the cluster too (bench/cluster.py stops it on the way out).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    sys.exit(main())
