"""The whole site on this machine: nginx in front of two app nodes, PostgreSQL and Redis.

`make cluster` runs it in the foreground until Ctrl-C and then stops everything it started;
bench/faults.py (`make cluster-load`, `make faults`) starts it the same way (`with Cluster()
as cluster:`) and breaks parts of it under load. Every process listens on 127.0.0.1 only:

    nginx        8770  deploy/nginx.conf.template rendered into var/cluster/nginx/
    node a       8771  gunicorn, 2 workers         } DEBUG=0, PROXY_COUNT=1,
    node b       8772  gunicorn, 2 workers         } MEDIA_ACCEL_REDIRECT=/protected-media/
    task worker        manage.py run_worker        } (e-mail queued in the database)
    PostgreSQL   5433  a private cluster in var/cluster/postgres/ (database yl_cluster)
    Redis        6391  private, nothing saved to disk

The machine's shared PostgreSQL (5432) and Redis (6379) are never touched: the faults stop
and restart these private ones. Media is one folder both nodes share
(var/cluster/media/); sessions, log-in lockouts and the post cache's versions are in
PostgreSQL; the cache, rate limits and the de-duplication of views in Redis
(docs/decisions/several-app-nodes.md). Logs: var/cluster/logs/.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
DATABASE = "yl_cluster"
NGINX_USER = "www-data"  # the user Debian's nginx package makes for its workers


@dataclass
class Ports:
    proxy: int = 8770
    node_a: int = 8771
    node_b: int = 8772
    postgres: int = 5433
    redis: int = 6391

    @classmethod
    def from_env(cls) -> Ports:
        base = int(os.environ.get("CLUSTER_PORT", "8770"))
        return cls(proxy=base, node_a=base + 1, node_b=base + 2)


@dataclass
class Cluster:
    """Start with `with Cluster() as cluster:`; whatever was started is stopped on exit."""

    ports: Ports = field(default_factory=Ports.from_env)
    home: Path = ROOT / "var" / "cluster"
    node_workers: int = 2
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    # --- Environment ----------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.ports.proxy}"

    def node_url(self, node: str) -> str:
        return f"http://{HOST}:{self.node_port(node)}"

    def node_port(self, node: str) -> int:
        return {"a": self.ports.node_a, "b": self.ports.node_b}[node]

    def env(self) -> dict[str, str]:
        """What every app process gets: the same database, cache, media and secret."""
        secret = ROOT / "var" / "secret_key"
        if not secret.exists():
            secret.parent.mkdir(parents=True, exist_ok=True)
            secret.write_text(secrets.token_urlsafe(50))
        return {
            **os.environ,
            "DEBUG": "0",
            "HTTPS": "0",  # plain HTTP on loopback; behind TLS leave it on
            "SECRET_KEY": secret.read_text().strip(),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SITE_URL": self.url,
            "EMAIL_TO_CONSOLE": "1",
            "DATABASE_URL": f"postgres://postgres@{HOST}:{self.ports.postgres}/{DATABASE}",
            "REDIS_URL": f"redis://{HOST}:{self.ports.redis}/0",
            "MEDIA_ROOT": str(self.home / "media"),
            "MEDIA_ACCEL_REDIRECT": "/protected-media/",
            "PROXY_COUNT": "1",
            "LOG_LEVEL": "WARNING",
            **self.extra_env,
        }

    def export_env(self) -> None:
        """This process's environment as the nodes' (before Django's settings are read)."""
        os.environ.update(self.env())
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yearloop.settings")

    def log(self, name: str):
        return open(self.home / "logs" / f"{name}.log", "ab")

    def spawn(self, name: str, command: list[str], **kwargs) -> subprocess.Popen:
        """A process in a group of its own, so it and its children stop together."""
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env(),
            stdout=self.log(name),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **kwargs,
        )
        self.processes[name] = process
        return process

    def manage(self, *args: str) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env(), check=True)

    # --- Starting and stopping ------------------------------------------------------------

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        busy = [port for port in vars(self.ports).values() if listening(port)]
        if busy:
            raise SystemExit(f"Ports already in use on {HOST}: {busy}. Is a cluster running?")
        self.export_env()  # this process renders nginx.conf from the nodes' settings
        for folder in ("logs", "media", "nginx"):
            (self.home / folder).mkdir(parents=True, exist_ok=True)
        say("PostgreSQL", self.ports.postgres)
        self.start_postgres()
        say("Redis", self.ports.redis)
        self.start_redis()
        say("migrate, demo data, collectstatic", "")
        self.manage("migrate", "--no-input", "-v0")
        self.manage("demo", "-v0")
        self.manage("collectstatic", "--no-input", "-v0")
        for node in ("a", "b"):
            say(f"node {node}", self.node_port(node))
            self.start_node(node)
        say("the task worker (manage.py run_worker)", "")
        self.start_worker()
        say("nginx", self.ports.proxy)
        self.start_nginx()
        for url in (self.node_url("a"), self.node_url("b"), self.url):
            wait_for(f"{url}/healthz")

    def stop(self) -> None:
        with signals_held():
            for name in reversed(list(self.processes)):
                stop_group(self.processes.pop(name))
            if (self.home / "postgres" / "postmaster.pid").exists():
                self.pg_ctl("stop", "-m", "fast")

    # --- PostgreSQL -----------------------------------------------------------------------

    def pg_ctl(self, *args: str) -> None:
        data = self.home / "postgres"
        options = f"-p {self.ports.postgres} -c listen_addresses={HOST}"
        options += f" -c unix_socket_directories={data}"
        log = self.home / "logs" / "postgres.log"
        pg_ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-t", "30", "-o", options]
        run_as_postgres([*pg_ctl, "-l", str(log), *args])

    def start_postgres(self) -> None:
        data = self.home / "postgres"
        log = self.home / "logs" / "postgres.log"
        log.touch()
        if os.geteuid() == 0:
            shutil.chown(log, "postgres")
        if not (data / "PG_VERSION").exists():
            data.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(data, "postgres", "postgres")
            initdb = [str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres"]
            run_as_postgres([*initdb, "--auth=trust", "--no-sync"])
        self.pg_ctl("start")
        psql = ["psql", "-h", HOST, "-p", str(self.ports.postgres), "-U", "postgres", "-tAc"]
        found = subprocess.run(
            [*psql, f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"],
            capture_output=True,
            text=True,
            check=True,
        )
        if found.stdout.strip() != "1":
            subprocess.run([*psql, f"CREATE DATABASE {DATABASE}"], check=True)

    def restart_postgres(self) -> None:
        """Stop PostgreSQL (cutting every connection) and start it again; returns when ready."""
        self.pg_ctl("restart", "-m", "fast")

    # --- Redis ----------------------------------------------------------------------------

    def start_redis(self) -> None:
        port = str(self.ports.redis)
        settings = ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        self.spawn("redis", ["redis-server", "--port", port, "--bind", HOST, *settings])
        wait_for_port(self.ports.redis)

    def stop_redis(self) -> None:
        stop_group(self.processes.pop("redis"))

    def hang_redis(self, hang: bool) -> None:
        """Freeze Redis (SIGSTOP): connections are accepted and never answered. False thaws it."""
        os.kill(self.processes["redis"].pid, signal.SIGSTOP if hang else signal.SIGCONT)

    # --- App nodes ------------------------------------------------------------------------

    def start_node(self, node: str) -> None:
        bind = f"{HOST}:{self.node_port(node)}"
        options = ["--workers", str(self.node_workers), "--graceful-timeout", "5"]
        options += ["--access-logfile", "-", "--no-control-socket"]
        gunicorn = [sys.executable, "-m", "gunicorn", "yearloop.wsgi:application"]
        self.spawn(f"node-{node}", [*gunicorn, "--bind", bind, *options])

    def start_worker(self) -> None:
        """One task worker: the e-mail the nodes queue, and the daily jobs."""
        command = [sys.executable, "manage.py", "run_worker", "--no-startup-delay"]
        self.spawn("worker", command)

    def kill_node(self, node: str) -> None:
        """kill -9 the node's master and workers at once: nothing is finished or cleaned up."""
        process = self.processes.pop(f"node-{node}")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def restart_nodes(self) -> None:
        """Both nodes again, one after the other, with what env() now says."""
        for node in ("a", "b"):
            stop_group(self.processes.pop(f"node-{node}"))
            self.start_node(node)
            wait_for(f"{self.node_url(node)}/healthz")

    def app_pids(self) -> set[int]:
        """The ids of both nodes' masters and workers and of the task worker, to show that
        none was restarted."""
        worker = self.processes["worker"]
        pids = {worker.pid} if worker.poll() is None else set()
        for node in ("a", "b"):
            master = self.processes[f"node-{node}"].pid
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
            pids |= {master, *map(int, children)}
        return pids

    # --- nginx ----------------------------------------------------------------------------

    def start_nginx(self) -> None:
        from deploy.render_nginx import render

        run_dir = self.home / "nginx"
        for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (run_dir / temp).mkdir(exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(run_dir / temp, NGINX_USER)
        conf = run_dir / "nginx.conf"
        conf.write_text(
            render(
                listen=f"{HOST}:{self.ports.proxy}",
                upstreams=[f"{HOST}:{self.ports.node_a}", f"{HOST}:{self.ports.node_b}"],
                run_dir=run_dir,
                log_dir=self.home / "logs",
                user=NGINX_USER if os.geteuid() == 0 else "",
            )
        )
        self.spawn("nginx", [nginx_binary(), "-c", str(conf), "-g", "daemon off;"])
        wait_for_port(self.ports.proxy)


# --- Helpers ------------------------------------------------------------------------------


def say(what: str, port) -> None:
    print(f"  starting {what}{f' on {HOST}:{port}' if port else ''}", flush=True)


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if not found:
        raise SystemExit("nginx is not installed (make cluster installs it).")
    return found


def run_as_postgres(command: list[str]) -> None:
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*as_postgres, *command], check=True, stdout=subprocess.DEVNULL)


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((HOST, port)) == 0


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not listening(port):
        if time.monotonic() > deadline:
            raise SystemExit(f"Nothing listens on {HOST}:{port} after {seconds:g} s.")
        time.sleep(0.1)


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                return
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer 200 within {seconds:g} s.")
        time.sleep(0.2)


@contextlib.contextmanager
def signals_held():
    """Ctrl-C and SIGTERM ignored while stopping: a terminal sends Ctrl-C to every process
    of the job and `uv run` passes it on once more, and a second one must not cut the
    stopping short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def stop_group(process: subprocess.Popen, seconds: float = 10) -> None:
    """SIGTERM to the process's group, SIGKILL after `seconds`."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def main() -> int:
    with Cluster() as cluster:
        print(f"\nYearloop runs on {cluster.url}/ (nginx in front of two app nodes)")
        print(f"  node a {cluster.node_url('a')}/   node b {cluster.node_url('b')}/")
        print("  log in as demo / demo, reader / reader, admin / admin")
        print(f"  logs in {cluster.home / 'logs'}/; Ctrl-C stops everything\n", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while all(p.poll() is None for p in cluster.processes.values()):
                time.sleep(0.5)
            stopped = [name for name, p in cluster.processes.items() if p.poll() is not None]
            print(f"stopped by itself: {', '.join(stopped)}; stopping the rest")
            return 1
    return 0


if __name__ == "__main__":
    # Ctrl-C and SIGTERM both stop everything, even when started with SIGINT ignored (as
    # a shell's background job is).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    sys.exit(main())
