"""The database in a backup: dumped and restored with the engine's own tools."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from .manifest import BackupError

DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


def engine() -> str:
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"Backups are made of SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def database_name() -> str:
    return str(connection.settings_dict["NAME"])


def dump_database(folder: Path) -> None:
    if connection.in_atomic_block:
        # It would miss what the transaction wrote, and SQLite's backup would wait for it.
        raise BackupError("A backup is made outside any transaction.")
    target = folder / DUMP_NAMES[engine()]
    if engine() == "postgresql":
        run_postgresql_tool("pg_dump", "--format=custom", f"--file={target}")
    else:
        connection.ensure_connection()
        with closing(sqlite3.connect(target)) as copy:
            connection.connection.backup(copy)


def restore_database(folder: Path) -> None:
    source = folder / DUMP_NAMES[engine()]
    if engine() == "postgresql":
        # Django's client puts the database's name last, so it is the value of --dbname.
        options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        run_postgresql_tool("pg_restore", *options, str(source), "--dbname")
    else:
        connection.ensure_connection()
        with closing(sqlite3.connect(source)) as backup:
            backup.backup(connection.connection)


def run_postgresql_tool(program: str, *options: str) -> None:
    """Run pg_dump or pg_restore on this site's database, connected as `dbshell` connects."""
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, [*options])
    try:
        result = subprocess.run(
            [program, *args[1:]], env={**os.environ, **(env or {})}, capture_output=True, text=True
        )
    except OSError as error:
        raise BackupError(
            f"{program} could not be run ({error}): install the PostgreSQL client tools of "
            "the server's version."
        ) from None
    if result.returncode:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")


def table_names() -> list[str]:
    return connection.introspection.table_names()


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def migrations_unknown_here(migrations: dict[str, list[str]]) -> list[str]:
    """The migrations a backup had applied that this code does not have: it is newer."""
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return [
        f"{app}.{name}"
        for app, names in migrations.items()
        for name in names
        if (app, name) not in known
    ]
