"""Copies of an SQLite database file: the online backup, the copy taken before
migrating, checking a file before it is restored, and restoring it.

Every copy goes through SQLite's online backup API, never a file copy: the API reads a
consistent snapshot while a worker writes (a file copy of a WAL database can miss what
is still in ``-wal``), and restoring through it replaces the live database's pages
under SQLite's own locks, so a connection that is open elsewhere sees the restored data
instead of a file swapped under its feet.

Backups taken before migrating are named ``NAME.before-migration-NNNN-STAMP`` (``NNNN``
is the first migration about to run) and the newest ``MIGRATION_BACKUPS_KEPT`` of them
are kept: each is a whole copy (a million documents make about 550 MB), and one upgrade
rarely needs more than the copy from just before it. Copies taken before a restore are
never deleted by the program.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from ..i18n import t

MIGRATION_BACKUPS_KEPT = 3
HISTORY_TABLE = "schema_migration"
SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(Exception):
    """A file that cannot be used as a backup, or a copy that could not be made."""


def file_stamp() -> str:
    """The wall-clock time for a file name, in UTC so that names sort across a change of
    daylight saving time. Like the worker lease, it is about files and processes, not
    the business date the injected clock gives (which ``--today`` may pin)."""
    return time.strftime("%Y%m%d-%H%M%SZ", time.gmtime())


def free_name(path: Path) -> Path:
    """``path``, or ``path-2``, ``path-3``… when two copies are taken in one second."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}-{number}")
    return candidate


def online_backup(connection: sqlite3.Connection, target: Path) -> int:
    """Copy the database of ``connection`` to ``target`` (written as ``.part`` and then
    renamed, so a crash never leaves a half-written file under the real name); returns
    the size in bytes."""
    partial = target.with_name(target.name + ".part")
    try:
        copy = sqlite3.connect(partial)
        try:
            connection.backup(copy)
            # One self-contained file: a copy of a WAL database is a WAL database too,
            # and opening it later would leave -wal and -shm files beside it.
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(t("could not write {target}: {reason}", target=target,
                            reason=exc)) from exc
    return target.stat().st_size


def migration_backup_path(db_path: Path, first_pending: str) -> Path:
    number = first_pending.split("_", 1)[0]
    return free_name(db_path.with_name(f"{db_path.name}.before-migration-{number}-{file_stamp()}"))


def backup_before_migrating(
    connection: sqlite3.Connection, db_path: Path, pending: list[str],
) -> tuple[Path, list[Path]]:
    """Copy the database before ``pending`` migrations run; then delete the oldest
    such copies beyond ``MIGRATION_BACKUPS_KEPT``. Returns the copy and what was deleted."""
    target = migration_backup_path(db_path, pending[0])
    online_backup(connection, target)
    return target, prune_migration_backups(db_path)


def prune_migration_backups(db_path: Path, keep: int = MIGRATION_BACKUPS_KEPT) -> list[Path]:
    """Delete all but the newest ``keep`` pre-migration copies of ``db_path``."""
    copies = [
        p for p in db_path.parent.glob(f"{db_path.name}.before-migration-*")
        if not p.name.endswith(".part")
    ]
    copies.sort(key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
    for old in copies[keep:]:
        old.unlink(missing_ok=True)
    return copies[keep:]


def inspect_backup(path: Path, shipped: list[str]) -> list[str]:
    """The migrations applied in the SQLite file ``path``, after checking that it is a
    sound Windykacja database this program can open; ``BackupError`` says what is wrong.

    Sound means: SQLite's header, ``PRAGMA integrity_check`` answering ``ok``, a
    migration history that starts with the first migration shipped, and no migration
    this program does not know (a file from a newer version)."""
    if not path.is_file():
        raise BackupError(t("{path}: no such file", path=path))
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(t("{path} is not an SQLite database file", path=path))
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(t("{path} cannot be opened: {reason}", path=path,
                            reason=exc)) from exc
    try:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise BackupError(t("{path} is damaged (integrity_check: {problem})", path=path,
                                problem=problems[0]))
        has_history = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (HISTORY_TABLE,)
        ).fetchone()
        applied = [row[0] for row in connection.execute(
            f"SELECT name FROM {HISTORY_TABLE} ORDER BY id")] if has_history else []
    except sqlite3.DatabaseError as exc:
        raise BackupError(t("{path} cannot be read: {reason}", path=path,
                            reason=exc)) from exc
    finally:
        connection.close()
    if not applied or applied[0] != shipped[0]:
        raise BackupError(t("{path} is not a Windykacja database (no migration history)",
                            path=path))
    unknown = [name for name in applied if name not in shipped]
    if unknown:
        raise BackupError(t(
            "{path} was written by a newer Windykacja (migration {migration} is unknown "
            "here); restore it with that version", path=path, migration=unknown[0])
        )
    return applied


def restore_into(path: Path, connection: sqlite3.Connection) -> None:
    """Replace every page of the live database behind ``connection`` with the file's,
    in one step under SQLite's locks."""
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.backup(connection)
    except sqlite3.Error as exc:
        raise BackupError(t("could not restore {path}: {reason}", path=path,
                            reason=exc)) from exc
    finally:
        source.close()
