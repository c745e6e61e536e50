"""Empty sites to restore into: a new database (of the engine under test) and media root.

Each runs `manage.py` in a subprocess with its own DATABASE_URL and MEDIA_ROOT, as an
operator restoring onto a new machine would.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import uuid
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from django.db import connection

from tests.commands import run_manage

POSTGRESQL_TABLES = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"


class EmptySite:
    def __init__(self, folder: Path) -> None:
        self.name = f"yl_restore_{uuid.uuid4().hex[:12]}"
        self.media_root = folder / self.name / "media"
        self.media_root.parent.mkdir(parents=True)
        if connection.vendor == "postgresql":
            self.database_url = (
                urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{self.name}").geturl()
            )
            with server() as postgres:
                postgres.execute(f'CREATE DATABASE "{self.name}"')
        else:
            self.sqlite_file = self.media_root.parent / "db.sqlite3"
            self.database_url = f"sqlite:///{self.sqlite_file}"

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "DATABASE_URL": self.database_url, "MEDIA_ROOT": str(self.media_root)}
        return run_manage(*args, env=env)

    def tables(self) -> list[str]:
        query = POSTGRESQL_TABLES if connection.vendor == "postgresql" else SQLITE_TABLES
        return [name for (name,) in self.execute(query)]

    def execute(self, sql: str) -> list[tuple]:
        if connection.vendor == "postgresql":
            with closing(psycopg.connect(self.database_url, autocommit=True)) as database:
                cursor = database.execute(sql)
                return cursor.fetchall() if cursor.description else []
        with closing(sqlite3.connect(self.sqlite_file, autocommit=True)) as database:
            return database.execute(sql).fetchall()

    def media_files(self) -> dict[str, bytes]:
        return files_in(self.media_root)

    def drop(self) -> None:
        if connection.vendor == "postgresql":
            with server() as postgres:
                postgres.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def server():
    """A connection to the PostgreSQL server itself, for creating and dropping databases."""
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres").geturl()
    return psycopg.connect(url, autocommit=True)


def files_in(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }
