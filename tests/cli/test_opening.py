"""Opening a database from the command line (issue 12, point 7): only ``init``, ``demo``,
``restore`` and the default location create one; a mistyped ``--db`` or a database that
cannot be opened is one line on stderr and exit status 1, never a traceback."""

from __future__ import annotations

import os
import sqlite3
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from database_switch import PG_SERVER

from windykacja.app import main
from windykacja.models import database
from windykacja.models.db import DB_ENV


def run(*args: str) -> int:
    code = main(list(args))
    if database.obj is not None:
        database.close()
    return code


def one_line(err: str) -> str:
    """The message, after checking it is one line and no traceback."""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("windykacja: ")
    return lines[0]


def test_a_mistyped_db_creates_neither_the_file_nor_its_folder(tmp_path, capsys):
    typo = tmp_path / "typo" / "x.db"
    assert run("--db", str(typo), "history", "X") == 1
    line = one_line(capsys.readouterr().err)
    assert line == (f"windykacja: no database at {typo}: check --db, or create one with "
                    f"`windykacja --db {typo} init`")
    assert not typo.parent.exists()


def test_the_interface_does_not_start_on_a_mistyped_db(tmp_path, capsys, monkeypatch):
    def started(ctx):  # without the check the interface would open on an empty database
        raise AssertionError(f"the interface started on {ctx.location}")

    monkeypatch.setattr("windykacja.tui.app.run_app", started)
    typo = tmp_path / "firma.db"
    assert run("--db", str(typo)) == 1  # no command: the interface
    assert "no database at" in one_line(capsys.readouterr().err)
    assert not typo.exists()


def test_an_sqlite_url_to_nothing_is_refused_too(tmp_path, capsys):
    typo = tmp_path / "x.db"
    assert run("--db", f"sqlite:///{typo}", "outbox") == 1
    assert f"no database at {typo}" in one_line(capsys.readouterr().err)
    assert not typo.exists()


def test_init_creates_the_database_and_its_folder_then_commands_open_it(tmp_path, capsys):
    new = tmp_path / "firma" / "windykacja.db"
    assert run("--db", str(new), "init") == 0
    out = capsys.readouterr().out
    assert f"The database {new} is ready and empty." in out
    assert new.is_file()
    with sqlite3.connect(new) as connection:  # migrated: the tables are there
        assert connection.execute("SELECT COUNT(*) FROM document").fetchone() == (0,)
    assert run("--db", str(new), "outbox") == 0
    assert run("--db", str(new), "init") == 0  # again: nothing lost, says so
    assert "is ready and empty" in capsys.readouterr().out


def test_demo_still_creates_its_database(tmp_path, capsys):
    new = tmp_path / "demo" / "demo.db"
    assert run("--db", str(new), "demo", "--contractors", "3", "--documents", "5") == 0
    assert new.is_file()


def test_the_default_location_is_created(tmp_path, monkeypatch, capsys):
    default = tmp_path / "state" / "windykacja.db"
    monkeypatch.setenv(DB_ENV, str(default))
    assert run("outbox") == 0
    assert default.is_file()


def test_a_database_in_proc_is_one_line(capsys):
    assert run("--db", "/proc/x.db", "init") == 1
    line = one_line(capsys.readouterr().err)
    assert line == "windykacja: cannot open the database /proc/x.db: unable to open database file"
    assert run("--db", "/proc/x.db", "history", "X") == 1
    assert "no database at /proc/x.db" in one_line(capsys.readouterr().err)


def test_a_folder_or_a_file_that_is_no_database_is_one_line(tmp_path, capsys):
    assert run("--db", str(tmp_path), "history", "X") == 1
    assert f"cannot open the database {tmp_path}: " in one_line(capsys.readouterr().err)
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 100)
    assert run("--db", str(text), "history", "X") == 1
    assert one_line(capsys.readouterr().err) == (
        f"windykacja: cannot open the database {text}: file is not a database")
    assert run("--db", str(text / "x.db"), "init") == 1  # a file where a folder should be
    assert f"cannot open the database {text / 'x.db'}: " in one_line(capsys.readouterr().err)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder anyway")
def test_a_database_in_a_read_only_folder_is_one_line(tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    assert run("--db", str(folder / "w.db"), "init") == 0
    capsys.readouterr()
    (folder / "w.db-wal").unlink(missing_ok=True)
    (folder / "w.db-shm").unlink(missing_ok=True)
    folder.chmod(0o555)
    try:
        assert run("--db", str(folder / "w.db"), "history", "X") == 1
        assert "cannot open the database" in one_line(capsys.readouterr().err)
        assert run("--db", str(folder / "new.db"), "init") == 1
        assert "cannot open the database" in one_line(capsys.readouterr().err)
    finally:
        folder.chmod(0o755)


def test_an_unreachable_server_is_one_line_without_its_password(capsys):
    url = "postgresql://windykacja:Tajne-Haslo-77@127.0.0.1:9/firma"  # port 9: discard
    assert run("--db", url, "history", "X") == 1
    line = one_line(capsys.readouterr().err)
    assert line.startswith("windykacja: cannot open the database "
                           "postgresql://windykacja:***@127.0.0.1:9/firma: ")
    assert "Tajne-Haslo-77" not in line


@pytest.mark.skipif(not PG_SERVER, reason="WINDYKACJA_TEST_PG is not set: no PostgreSQL server")
def test_a_postgresql_database_that_does_not_exist_is_named_and_never_created(capsys):
    name = f"windykacja_missing_{uuid.uuid4().hex[:8]}"
    url = urlunsplit(urlsplit(PG_SERVER)._replace(path=f"/{name}"))
    assert run("--db", url, "init") == 1
    line = one_line(capsys.readouterr().err)
    assert "never creates a PostgreSQL database" in line and name in line
    import psycopg

    with psycopg.connect(PG_SERVER) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        assert found.fetchone() is None
