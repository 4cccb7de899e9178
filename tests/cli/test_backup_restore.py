"""``backup`` and ``restore``: a backup taken, the data changed, the backup restored on a
copy of the database — the data is back and the changed database is kept beside it;
files that are not a sound Windykacja database are refused before anything changes."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from playhouse.migrations import Runner

from windykacja.app import main
from windykacja.dunning.lease import Lease
from windykacja.models import Contractor, Document, database
from windykacja.models.db import MIGRATIONS_DIR, make_database, open_database

pytestmark = pytest.mark.sqlite_only("restore replaces SQLite files; PostgreSQL's restore is "
                                     "pg_restore's job (its advice has a test here)")

TODAY = dt.date(2026, 11, 23)


def run(db_path, *args) -> int:
    code = main(["--db", str(db_path), "--today", TODAY.isoformat(), *args])
    database.close()
    return code


def documents(db_path) -> list[tuple]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute("SELECT number, outstanding FROM document ORDER BY id").fetchall()


@pytest.fixture
def demo(tmp_path) -> Path:
    """A copy of a database to restore into: the demo, with a backup of it taken."""
    path = tmp_path / "windykacja.db"
    assert run(path, "demo") == 0
    assert run(path, "backup", str(tmp_path / "monday.db")) == 0
    return path


def test_a_restored_backup_brings_the_data_back_and_keeps_the_changed_one(
        demo, tmp_path, capsys):
    backed_up = documents(demo)
    open_database(str(demo))  # the data changes after the backup
    Document.update(outstanding=0).where(Document.id <= 10).execute()
    Contractor.delete().where(~Contractor.id.in_(Document.select(Document.contractor))).execute()
    changed = documents(demo)
    assert changed != backed_up
    other = sqlite3.connect(demo)  # another process with the database open
    capsys.readouterr()

    assert run(demo, "restore", str(tmp_path / "monday.db")) == 0
    out = capsys.readouterr().out
    (kept,) = tmp_path.glob("windykacja.db.before-restore-*")
    assert f"Restored {tmp_path / 'monday.db'} into {demo}." in out
    assert f"The database as it was before is kept in {kept}." in out
    assert documents(demo) == backed_up
    assert documents(kept) == changed
    assert other.execute("SELECT number, outstanding FROM document ORDER BY id").fetchall() \
        == backed_up  # the restore went through SQLite, not under its feet
    other.close()
    with sqlite3.connect(demo) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert run(demo, "run-once") == 0  # and the program works on it


def test_files_that_are_not_a_sound_windykacja_database_are_refused(demo, tmp_path, capsys):
    before = documents(demo)
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 100, encoding="utf-8")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, number TEXT)")
    newer = tmp_path / "newer.db"
    newer.write_bytes((tmp_path / "monday.db").read_bytes())
    with sqlite3.connect(newer) as connection:
        connection.execute("INSERT INTO schema_migration (name, applied) VALUES "
                           "('0999_from_the_future', '2030-01-01 00:00:00')")
    damaged = tmp_path / "damaged.db"
    data = bytearray((tmp_path / "monday.db").read_bytes())
    data[4096 * 3:4096 * 40] = b"\xa5" * (4096 * 37)  # pages in the middle overwritten
    damaged.write_bytes(bytes(data))
    capsys.readouterr()

    refusals = {
        text: f"{text} is not an SQLite database file",
        other: f"{other} is not a Windykacja database (no migration history)",
        newer: f"{newer} was written by a newer Windykacja (migration 0999_from_the_future "
               "is unknown here); restore it with that version",
        damaged: f"{damaged} ",
        tmp_path / "missing.db": "missing.db: no such file",
        demo: f"{demo} is the database itself",
    }
    for path, message in refusals.items():
        assert run(demo, "restore", str(path)) == 1, path
        assert message in capsys.readouterr().err, path
    assert documents(demo) == before
    assert list(tmp_path.glob("*.before-restore-*")) == []


def test_a_damaged_backup_is_named_as_damaged(tmp_path, capsys):
    path = tmp_path / "w.db"
    open_database(str(path)).close()
    damaged = tmp_path / "damaged.db"
    assert run(path, "backup", str(damaged)) == 0
    with sqlite3.connect(damaged) as connection:  # an index that no longer fits its table
        connection.execute("PRAGMA writable_schema = ON")
        connection.execute("INSERT INTO contractor (code, name, address, emails, phone, "
                           "language, subject_to_collection, created_at) VALUES ('K1', 'A', "
                           "'', '', '', 'pl', 1, '2026-01-01 08:00:00')")
        connection.execute("UPDATE sqlite_master SET sql = replace(sql, '(\"code\")', "
                           "'(\"name\")') WHERE name = 'contractor_code'")
    capsys.readouterr()
    assert run(path, "restore", str(damaged)) == 1
    assert f"{damaged} is damaged (integrity_check: " in capsys.readouterr().err


def test_restore_is_refused_while_a_worker_sends(demo, tmp_path, capsys):
    open_database(str(demo))
    Lease(holder="server:99:cafe").acquire()  # live by the wall clock
    database.close()
    assert run(demo, "restore", str(tmp_path / "monday.db")) == 1
    err = capsys.readouterr().err
    assert "a worker (server:99:cafe) is sending for this database" in err
    assert "stop it before you restore a backup" in err
    assert list(tmp_path.glob("*.before-restore-*")) == []


def test_a_backup_from_an_older_version_is_restored_and_migrated(tmp_path, capsys):
    old = make_database(str(tmp_path / "old.db"))
    old.connect()
    Runner(old, directory=str(MIGRATIONS_DIR)).up("0001_initial")
    old.execute_sql("INSERT INTO contractor (code, name, address, emails, phone, language, "
                    "subject_to_collection, created_at) VALUES ('K1', 'Stara Firma', '', '', "
                    "'', 'pl', 1, '2025-01-01 08:00:00')")
    old.close()
    path = tmp_path / "w.db"
    open_database(str(path)).close()
    capsys.readouterr()
    assert run(path, "restore", str(tmp_path / "old.db")) == 0
    assert "The backup was at an older schema; applied: 0002_unpaid_list" in \
        capsys.readouterr().out
    open_database(str(path))
    assert [(c.code, c.kind) for c in Contractor.select()] == [("K1", "business")]
    database.close()


@pytest.mark.parametrize("command", [["backup", "x.db"], ["restore", "x.db"]])
def test_on_postgresql_backup_and_restore_give_the_tools_to_use(pg_url, command, capsys):
    assert main(["--db", pg_url, *command]) == 1
    err = capsys.readouterr().err
    assert ("pg_dump --format=custom" in err) if command[0] == "backup" else \
        ("pg_restore --clean --if-exists --dbname=DATABASE_URL" in err)
