"""Every command of SPEC §9 from the command line, on a real database file."""

from __future__ import annotations

import argparse
import csv
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from peewee import fn

from windykacja.app import build_parser, main
from windykacja.models import CollectionEvent, Document, DocumentStep, EventKind


def _commands() -> list[str]:
    """Every sub-command the parser knows, so that a new one cannot miss its help test."""
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(sub.choices)


COMMANDS = _commands()


def test_the_commands_include_those_of_issues_5_and_6():
    assert {"rates", "report", "copy-db", "restore", "status", "import"} <= set(COMMANDS)


def run(db_path, *args):
    return main(["--db", str(db_path), *args])


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: windykacja" in capsys.readouterr().out


def test_program_runs_as_a_module_with_help():
    result = subprocess.run([sys.executable, "-m", "windykacja", "--help"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "run-once" in result.stdout


def test_settings_set_show_and_secrets_are_masked(db_location, capsys):
    db_path = db_location("s.db")
    assert run(db_path, "settings", "set", "demand.max_count=5",
               "smtp.url=smtp://jan:tajne-haslo@smtp.example.pl:587?starttls=1") == 0
    capsys.readouterr()
    assert run(db_path, "settings", "show") == 0
    shown = capsys.readouterr().out
    assert "demand.max_count=5" in shown
    assert "tajne-haslo" not in shown and "smtp://jan:***@smtp.example.pl" in shown


def test_settings_export_import_round_trip_keeps_the_password(db_location, tmp_path, capsys):
    first, second = db_location("a.db"), db_location("b.db")
    run(first, "settings", "set", "schedule.weekdays=mon,wed", "timezone=Europe/Warsaw")
    exported = tmp_path / "settings.txt"
    assert run(first, "settings", "export", str(exported)) == 0
    assert run(second, "settings", "import", str(exported)) == 0
    capsys.readouterr()
    run(second, "settings", "show")
    assert "schedule.weekdays=mon,wed" in capsys.readouterr().out


def test_bad_settings_are_refused_with_the_key_and_nothing_saved(db_location, capsys):
    db_path = db_location("s.db")
    code = run(db_path, "settings", "set", "demand.max_count=11", "reminder.days_before_due=2",
               "schedule.weekdays=")
    assert code == 1
    err = capsys.readouterr().err
    assert "demand.max_count: must be between 1 and 10" in err
    assert "schedule.weekdays" in err
    run(db_path, "settings", "show")
    assert "reminder.days_before_due=3" in capsys.readouterr().out


def test_demo_then_run_once_history_flag_and_export(db_location, tmp_path, capsys):
    db_path = db_location("demo.db")
    assert run(db_path, "--today", "2026-11-23", "demo") == 0
    assert run(db_path, "run-once", "--today", "2026-11-23") == 0
    out = capsys.readouterr().out
    assert "demand" in out and "reminder" in out and " sent" in out
    # The default outbox: beside an SQLite file, else in the user's data directory.
    data_home = Path(os.environ["XDG_DATA_HOME"]) / "windykacja"
    outbox = (data_home if "://" in db_path else tmp_path) / "outbox" / "new"
    assert outbox.is_dir() and any(outbox.iterdir())

    number = (Document.select(Document.number).join(DocumentStep)
              .where(DocumentStep.kind == "demand").limit(1).scalar())
    assert run(db_path, "--today", "2026-11-23", "history", number) == 0
    history = capsys.readouterr().out
    assert "demand sent" in history and "Next:" in history

    assert run(db_path, "flag", "off", number) == 0
    assert "1 of 1 document switched off" in capsys.readouterr().out
    assert run(db_path, "history", number) == 0
    # The kind and its text read as one line for a bookkeeper, in either language.
    assert re.search(r"  collection +switched off  — ", capsys.readouterr().out)
    assert run(db_path, "--lang", "pl", "history", number) == 0
    assert re.search(r"  windykacja +wyłączona  — ", capsys.readouterr().out)

    export = tmp_path / "activity.csv"
    assert run(db_path, "export", "activity", str(export), "--kind", "demand_sent") == 0
    with export.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(r["event"] == "demand sent" for r in rows)  # in words, not a code


@pytest.mark.sqlite_only("backup copies the SQLite file (PostgreSQL's is pg_dump's job)")
def test_backup_copies_the_file_and_refuses_to_overwrite(tmp_path):
    db_path = tmp_path / "demo.db"
    assert run(db_path, "--today", "2026-11-23", "demo") == 0
    backup = tmp_path / "copy.db"
    assert run(db_path, "backup", str(backup)) == 0
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT COUNT(*) FROM document").fetchone()[0] == 2000
    copy.close()
    assert run(db_path, "backup", str(backup)) == 1  # refuses to overwrite


def test_errors_go_to_stderr_with_a_non_zero_exit(db_location, tmp_path, capsys):
    db_path = db_location("e.db")
    assert run(db_path, "history", "FV/NOPE") == 1
    assert "no document numbered 'FV/NOPE'" in capsys.readouterr().err
    assert run(db_path, "import", "documents", str(tmp_path / "missing.csv")) == 1
    assert run(db_path, "flag", "off", "--all-unpaid") == 1
    assert run(db_path, "run-once", "--today", "2026-13-01") == 1


def test_a_rejected_import_lists_lines_and_exits_1(db_location, tmp_path, capsys):
    db_path = db_location("i.db")
    bad = tmp_path / "contractors.csv"
    bad.write_text("code;name;nip;email\nK1;Firma;123;a@b.pl\nK2;Druga;;nie-mail\n",
                   encoding="utf-8")
    assert run(db_path, "import", "contractors", str(bad)) == 1
    err = capsys.readouterr().err
    assert "line 2" in err and "line 3" in err and "nothing was imported" in err


def test_flag_on_all_unpaid_switches_every_unpaid_document_once(db_location, tmp_path, capsys):
    """Documents imported while collection was off start excluded (SPEC §3); the
    wizard's question — or this command — puts the unpaid ones under collection."""
    db_path = db_location("f.db")
    count = 1200  # more than one chunk of FLAG_CHUNK
    (tmp_path / "c.csv").write_text("code;name;email\nK1;Firma;a@firma.pl\n", encoding="utf-8")
    lines = ["number;contractor_code;issue_date;due_date;gross"] + [
        f"FV/{i};K1;2026-10-01;2026-10-15;10.00" for i in range(count)]
    (tmp_path / "d.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "p.csv").write_text("document_number;date;amount\nFV/7;2026-10-10;10.00\n",
                                    encoding="utf-8")
    for kind, name in (("contractors", "c"), ("documents", "d"), ("payments", "p")):
        assert run(db_path, "import", kind, str(tmp_path / f"{name}.csv")) == 0
    capsys.readouterr()
    assert run(db_path, "flag", "on", "--all-unpaid") == 0
    assert f"{count - 1} of {count - 1} documents switched on" in capsys.readouterr().out
    flags = dict(Document.select(Document.subject_to_collection, fn.COUNT(Document.id))
                 .group_by(Document.subject_to_collection).tuples())
    events = CollectionEvent.select().where(CollectionEvent.kind == EventKind.FLAG_CHANGED)
    assert flags == {False: 1, True: count - 1} and events.count() == count - 1
    assert run(db_path, "flag", "on", "--all-unpaid") == 0
    assert f"0 of {count - 1} documents switched on" in capsys.readouterr().out
