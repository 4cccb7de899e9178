"""Which database the test suite runs on, and the PostgreSQL server it uses.

``WINDYKACJA_TEST_DB=postgresql`` (default ``sqlite``) with ``WINDYKACJA_TEST_PG`` naming a
server's maintenance database (``postgresql://postgres@127.0.0.1:5432/postgres``). The
fixtures built on this live in ``tests/conftest.py`` and ``tests/tui/conftest.py``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from windykacja.models import database

# Which database the suite runs on, and the PostgreSQL server to use.
TEST_DB = os.environ.get("WINDYKACJA_TEST_DB", "sqlite").strip().lower() or "sqlite"
PG_SERVER = os.environ.get("WINDYKACJA_TEST_PG", "")
ON_POSTGRES = TEST_DB in ("postgresql", "postgres")


def without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


class PostgresServer:
    """Creates and drops the tests' databases on the server ``WINDYKACJA_TEST_PG`` names.

    Every name carries a random part, so that several test sessions can share a server.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._copy_clause: str | None = None

    def admin(self, sql: str) -> Any:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchone() if cursor.description else None

    def copy_clause(self) -> str:
        """FILE_COPY copies a small template in ~20 ms against ~35 ms for PostgreSQL 15's
        default (WAL_LOG, measured on a server without fsync); older servers know only
        the file copy and no STRATEGY keyword."""
        if self._copy_clause is None:
            version = int(self.admin("SHOW server_version_num")[0])
            self._copy_clause = " STRATEGY file_copy" if version >= 150000 else ""
        return self._copy_clause

    def url_of(self, name: str) -> str:
        return urlunsplit(urlsplit(self.url)._replace(path=f"/{name}"))

    def create(self, prefix: str, template: str | None = None) -> str:
        """A new database (a copy of ``template`` when given); returns its name."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        copy = f' TEMPLATE "{template}"{self.copy_clause()}' if template else ""
        self.admin(f'CREATE DATABASE "{name}"{copy}')
        return name

    def drop(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def template(self, prefix: str, fill: Callable[[str], None]) -> Iterator[str]:
        """A template database made once by ``fill(url)``; yields its name, then drops it.
        CREATE DATABASE … TEMPLATE copies it in milliseconds instead of migrating anew."""
        name = self.create(prefix)
        try:
            fill(self.url_of(name))
            close_bound_database()  # a template may have no open connection while copied
            yield name
        finally:
            close_bound_database()
            self.drop(name)


def close_bound_database() -> None:
    """Close this thread's connection of the database the models are bound to, if any."""
    if database.obj is not None:
        database.close()
