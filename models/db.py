"""Opening the database: an SQLite file by default, any Peewee URL on request.

``open_database`` binds the proxy, applies the pragmas the measured rules ask for
(WAL, foreign keys, busy timeout, IMMEDIATE write transactions) and brings the schema
up to date with the migrations shipped in ``models/migrations``.
"""

from __future__ import annotations

import os
from pathlib import Path

from peewee import Database, SqliteDatabase
from platformdirs import user_data_dir
from playhouse import db_url
from playhouse.migrations import Runner

from .base import database

DB_ENV = "WINDYKACJA_DB"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": "normal",
    "cache_size": -64_000,
}


def default_location() -> str:
    """``$WINDYKACJA_DB``, else ``windykacja.db`` in the user's data directory."""
    from_env = os.environ.get(DB_ENV)
    if from_env:
        return from_env
    return str(Path(user_data_dir("windykacja", appauthor=False)) / "windykacja.db")


def make_database(location: str) -> Database:
    """A Database for a file path or a URL (``sqlite:///…``, ``postgresql://…``)."""
    if "://" not in location:
        path = Path(location).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")
    if location.startswith("sqlite"):
        return db_url.connect(location, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")
    return db_url.connect(location)


def open_database(location: str | None = None, migrate: bool = True) -> Database:
    """Bind the models to the database at ``location`` and migrate it."""
    db = make_database(location or default_location())
    database.initialize(db)
    db.connect(reuse_if_open=True)
    if migrate:
        apply_migrations(db)
    return db


def apply_migrations(db: Database) -> list[str]:
    return Runner(db, directory=str(MIGRATIONS_DIR)).up()


def pending_migrations(db: Database) -> list[str]:
    return [m.name for m in Runner(db, directory=str(MIGRATIONS_DIR)).status() if not m.applied]


def is_sqlite(db: Database | None = None) -> bool:
    return isinstance(db or database.obj, SqliteDatabase)
