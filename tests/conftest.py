from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

# Playwright's sync API runs an event loop in the main thread; the ORM must still work.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from tests.factory import make_user

# Examples per property test: 15 in the whole suite (`make test`, CI); 5 in `make test-fast`,
# which passes --hypothesis-profile=quick.
hypothesis_settings.register_profile("suite", max_examples=15)
hypothesis_settings.register_profile("quick", max_examples=5)
hypothesis_settings.load_profile("suite")

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHER


@pytest.fixture(autouse=True)
def _no_login_throttling(settings):
    # Tests log in often and with client.login(), which has no request for django-axes;
    # tests/accounts/test_login_throttling.py turns it back on.
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _empty_cache():
    # View counting remembers today's readers in the cache; no test sees another's.
    cache.clear()


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # live_server serves /static/ through the finders; hashed names would 404.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def owner(db):
    return make_user("owner", display_name="Olivia Owner", bio="Researcher, Developer, Student")


@pytest.fixture
def reader(db):
    return make_user("reader", display_name="Rae Reader")


@pytest.fixture
def stranger(db):
    return make_user("stranger")


@pytest.fixture
def staff(db):
    return make_user("staff", is_staff=True, is_superuser=True)


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


def pytest_collection_modifyitems(config, items) -> None:
    # PostgreSQL-only checks are left out, not skipped, on SQLite: `.ci/run` runs them in
    # its PostgreSQL pass, so no test is ever skipped in CI.
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    kept = [item for item in items if "postgresql" not in item.keywords]
    deselected = [item for item in items if "postgresql" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def pytest_terminal_summary(terminalreporter) -> None:
    """Say how many of the tests drove a real browser, so a silent drop shows."""
    counts = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        reports = terminalreporter.stats.get(outcome, [])
        browser = [r for r in reports if r.nodeid.startswith("tests/browser/")]
        if outcome != "error":
            browser = [r for r in browser if r.when == "call" or outcome == "skipped"]
        if browser:
            counts[outcome] = len(browser)
    summary = ", ".join(f"{count} {outcome}" for outcome, count in counts.items()) or "none ran"
    terminalreporter.write_line(f"browser tests (Chromium): {summary}")


def pytest_sessionfinish(session, exitstatus) -> None:
    # A skipped browser test would pass CI without a browser ever opening the page.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:  # a pytest-xdist worker: the controller counts for all of them
        return
    skipped = [
        r for r in reporter.stats.get("skipped", []) if r.nodeid.startswith("tests/browser/")
    ]
    if skipped and exitstatus == 0:
        session.exitstatus = 1


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo built once a session: its rows as a fixture file, and its media files."""
    media = tmp_path_factory.mktemp("demo-media")
    rows = tmp_path_factory.mktemp("demo-rows") / "demo.json"
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHER),
    ):
        call_command("demo", verbosity=0)
        call_command("dumpdata", "accounts", "planner", "readers", output=str(rows), verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
    return rows, media


@pytest.fixture
def demo_year(demo_snapshot, settings) -> int:
    """The demo's people and posts, as `make run` shows them; returns this year."""
    rows, media = demo_snapshot
    call_command("loaddata", str(rows), verbosity=0)
    shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return timezone.localdate().year


class SmallDisk:
    """A tmpfs of 2 MB holding MEDIA_ROOT, and a file beside it that takes up the room."""

    PAGE = 4096  # tmpfs rounds every file up to whole pages

    def __init__(self, mount: Path) -> None:
        self.mount, self.media = mount, mount / "media"
        self.media.mkdir()

    def fill(self, leave: int = 0) -> None:
        """Take up all the room but `leave` bytes (rounded up to whole pages)."""
        filler = self.mount / "filler"
        with filler.open("ab", buffering=0) as out:  # unbuffered: nothing left to flush
            try:
                while True:
                    out.write(b"\0" * 64 * 1024)
            except OSError as error:
                assert error.errno == errno.ENOSPC
        with filler.open("r+b") as out:
            out.truncate(max(0, filler.stat().st_size - -(-leave // self.PAGE) * self.PAGE))

    def files(self) -> dict[str, int]:
        """Every file under MEDIA_ROOT, with its size."""
        return {
            str(path.relative_to(self.media)): path.stat().st_size
            for path in self.media.rglob("*")
            if path.is_file()
        }


@pytest.fixture
def small_media_disk(settings, tmp_path):
    """MEDIA_ROOT on a 2 MB tmpfs of its own, mounted for the test (root is needed, as CI has)."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.fail(
            "These tests put MEDIA_ROOT on a 2 MB tmpfs, which needs root (as CI has): "
            f"`mount` said {mounted.stderr.strip() or mounted.returncode}"
        )
    try:
        small = SmallDisk(mount)
        settings.MEDIA_ROOT = small.media
        yield small
    finally:
        subprocess.run(["umount", str(mount)], check=True)
