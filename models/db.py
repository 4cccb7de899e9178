"""Opening the database: an SQLite file by default, any Peewee URL on request.

``open_database`` binds the proxy, applies the pragmas the measured rules ask for
(WAL, foreign keys, busy timeout, IMMEDIATE write transactions) and brings the schema
up to date with the migrations shipped in ``models/migrations``.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from peewee import Database, SqliteDatabase
from platformdirs import user_data_dir
from playhouse.migrations import Migration, Runner

from ..pg_driver import load_postgres_driver
from .backup import MIGRATION_BACKUPS_KEPT, BackupError, backup_before_migrating
from .base import database

log = logging.getLogger(__name__)

DB_ENV = "WINDYKACJA_DB"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": "normal",
    "cache_size": -64_000,
    # Pages written to the WAL before they are copied back into the file (SQLite's
    # default is 1,000, 4 MB). A pass writes some 10 pages per message, so the default
    # copied back every hundred messages, with two fsyncs each time, and a page changed
    # by many messages (an index's, the message table's last) once per copy: 18 ms of
    # every chunk's commit at 1M documents. At 10,000 (40 MB of WAL at most) the pass's
    # commits cost a third less, and so do the outbox's marks (benchmarks/RESULTS.md).
    "wal_autocheckpoint": 10_000,
}

# SQLite's page cache per connection, in KiB, by what the process (or thread) does.
# Each thread has its own connection and its own cache; SQLite fills a cache only as
# pages are read, up to this size, and the C allocator seldom gives the memory back.
# Measured with benchmarks/bench_tui.py at 1,000,000 documents (benchmarks/RESULTS.md):
CACHE_KIB = {
    # Commands and anything that set no role: the day's pass and the reports walk
    # hundreds of thousands of rows more than once, and 64 MB keeps their indexes hot
    # (benchmarks/bench_pass.py was measured with it).
    "default": 64_000,
    # The interface: the UI thread reads a page of 100 rows by keyset at a time, and the
    # reader thread counts and searches through small partial indexes and the search
    # index (migration 0018), never through the table, so their working set is a few
    # MB. At 64 MB each the caches were 76 of the list's 166 MiB peak; at 16 MB the peak
    # was 110 MiB with the same keys, sorts and searches, and the searches as fast (the
    # trigram index reads a few MB); at 32 MB, 126 MiB and no faster (2026-12-07).
    "interface": 16_000,
    # The collection worker: inside the interface its thread opens its connection after
    # the interface set its role, so it has the interface's size (it plans from the
    # indexes of the documents due for a step and sleeps between passes: what it read
    # an hour ago is not worth keeping at the list's expense); as a command of its own
    # (``windykacja worker``) it has the process to itself and keeps the default.
    # Bulk writers storing what is seldom read again (``cache_role("bulk")``): the inbox
    # storing raw mail, where a big cache only holds the pages written (the inbox
    # benchmark's peak went from ~207 to 150 MiB at 8 MB), and a CSV import, which
    # looks each row up once (at 1M documents, 20,000 payments: 114 against 166 MiB,
    # 20,000 documents: 87 against 139 MiB, the same processor time). A KSeF import
    # keeps the process's size: its 5,000 invoices took 10 % more processor time at
    # 8 MB and its peak fell by 5 MiB only (it reads the contractors and corrections
    # it links to again and again). Measured 7 December 2026, benchmarks/RESULTS.md.
    "bulk": 8_000,
}
_process_role = ["default"]


def cache_kib(role: str | None = None) -> int:
    """The page cache size of ``role`` (the process's own role when None)."""
    return CACHE_KIB[role or _process_role[0]]


def use_cache_role(role: str) -> None:
    """Make ``role``'s cache size the process's: for the connections opened from now on
    (one per thread) and for this thread's connection if it is open. The interface calls
    it once at start, before any of its threads reads. Elsewhere than SQLite, nothing."""
    kib = CACHE_KIB[role]
    _process_role[0] = role
    db = database.obj
    if not isinstance(db, SqliteDatabase):
        return
    # Peewee applies ``_pragmas`` to each connection it opens (one per thread).
    pragmas = dict(db._pragmas or ())  # type: ignore[attr-defined]
    pragmas["cache_size"] = -kib
    db._pragmas = list(pragmas.items())  # type: ignore[attr-defined]
    if not db.is_closed():
        db.execute_sql(f"PRAGMA cache_size = {-kib}")


@contextmanager
def cache_role(role: str) -> Iterator[None]:
    """This thread's SQLite connection with ``role``'s page cache while the block runs
    (the inbox storing raw mail), the process's size after. Elsewhere, nothing."""
    if not is_sqlite():
        yield
        return
    database.execute_sql(f"PRAGMA cache_size = {-CACHE_KIB[role]}")
    try:
        yield
    finally:
        database.execute_sql(f"PRAGMA cache_size = {-cache_kib()}")


def default_location() -> str:
    """``$WINDYKACJA_DB``, else ``windykacja.db`` in the user's data directory."""
    from_env = os.environ.get(DB_ENV)
    if from_env:
        return from_env
    return str(Path(user_data_dir("windykacja", appauthor=False)) / "windykacja.db")


def sqlite_path(location: str) -> Path | None:
    """The file an SQLite location names (None for a server's URL or an in-memory one)."""
    if "://" not in location:
        return None if location == ":memory:" else Path(location).expanduser()
    if not location.startswith("sqlite"):
        return None
    path = urlsplit(location).path[1:]  # sqlite:///relative.db, sqlite:////abs.db
    return None if path in ("", ":memory:") else Path(path)


class NoDatabase(LookupError):
    """An SQLite file that is not there, opened by someone who may not create it."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"no database at {path}")
        self.path = path


def make_database(location: str, create: bool = True) -> Database:
    """A Database for a file path or a URL (``sqlite:///…``, ``postgresql://…``).

    ``create=False``: an SQLite file that does not exist is ``NoDatabase`` instead of a
    new, empty database (and its folders). A PostgreSQL database is never created here:
    connecting to one that does not exist fails, whatever ``create`` says."""
    path = sqlite_path(location)
    if path is not None and not create and not path.exists():
        raise NoDatabase(path)
    if "://" not in location:
        path = Path(location).expanduser()
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")
    # Imported for a URL only: it loads Peewee's MySQL and SQLite extensions, which a file
    # path (the interface's usual way) does not need.
    from playhouse import db_url

    if location.startswith("sqlite"):
        return db_url.connect(location, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")
    load_postgres_driver()  # Peewee was imported without it (pg_driver.py)
    return db_url.connect(location)


class BackupBeforeMigrationFailed(RuntimeError):
    """The copy taken before migrating could not be written; nothing was migrated."""


def open_database(
    location: str | None = None, migrate: bool = True, create: bool = True
) -> Database:
    """Bind the models to the database at ``location`` and migrate it. ``create=False``
    refuses an SQLite file that is not there (``NoDatabase``): the commands create one
    only for ``init``, ``demo``, ``restore`` and the default location (``session.py``)."""
    db = make_database(location or default_location(), create=create)
    database.initialize(db)
    db.connect(reuse_if_open=True)
    if migrate:
        protect_before_migrating(db)
        apply_migrations(db)
    return db


def protect_before_migrating(db: Database) -> Path | None:
    """Before migrating a database that already holds a schema, copy it: an SQLite file
    through the online backup API (``models/backup.py``, the newest few copies kept); a
    PostgreSQL database cannot be copied from here, so the log says to keep pg_dump
    backups. A new database has nothing to lose. Returns the copy, if one was written.

    A warning in the log is also the line on stderr for a command (the handler on
    stderr, or Python's last-resort one before logging is set up); tests capture it."""
    status = Runner(db, directory=str(MIGRATIONS_DIR)).status()
    pending = [m.name for m in status if not m.applied]
    applied = [m.name for m in status if m.applied]
    if not pending or not applied:
        return None
    if not is_sqlite(db):
        log.warning(
            "Migrating the PostgreSQL database from %s (applying %s) without a copy of "
            "its own: Windykacja cannot copy a database server. Each migration runs in a "
            "transaction. Keep regular backups with pg_dump, e.g. pg_dump --format=custom "
            "--file=windykacja.dump DATABASE_URL, and take one before upgrading.",
            applied[-1], ", ".join(pending),
        )
        return None
    if db.database in ("", ":memory:") or str(db.database).startswith("file:"):
        return None
    path = Path(db.database)
    try:
        copy, _ = backup_before_migrating(db.connection(), path, pending)
    except (BackupError, OSError, sqlite3.Error) as exc:
        raise BackupBeforeMigrationFailed(
            f"{path} needs upgrading ({', '.join(pending)}), but the backup taken first could "
            f"not be written ({exc}); nothing was changed. Free some disk space or fix the "
            "folder's permissions, then try again.") from exc
    log.warning(
        "Before migrating %s (%s): a backup of it was written to %s; the newest %d such "
        "backups are kept.", path, ", ".join(pending), copy, MIGRATION_BACKUPS_KEPT,
    )
    return copy


def apply_migrations(db: Database) -> list[str]:
    return Runner(db, directory=str(MIGRATIONS_DIR)).up()


def pending_migrations(db: Database) -> list[str]:
    return [m.name for m in Runner(db, directory=str(MIGRATIONS_DIR)).status() if not m.applied]


def shipped_migrations() -> list[str]:
    """The names of the migrations this program carries, in order."""
    return [m.name for m in Migration.load_directory(str(MIGRATIONS_DIR))]


def is_sqlite(db: Database | None = None) -> bool:
    return isinstance(db or database.obj, SqliteDatabase)
