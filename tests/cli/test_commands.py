"""Every command of SPEC §9 from the command line, on a real database file."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys

import pytest

from windykacja.app import build_parser, main

COMMANDS = ["demo", "import", "settings", "run-once", "worker", "history", "flag", "forecast",
            "outbox", "export", "backup"]


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


def test_settings_set_show_and_secrets_are_masked(tmp_path, capsys):
    db_path = tmp_path / "s.db"
    assert run(db_path, "settings", "set", "demand.max_count=5",
               "smtp.url=smtp://jan:tajne-haslo@smtp.example.pl:587?starttls=1") == 0
    capsys.readouterr()
    assert run(db_path, "settings", "show") == 0
    shown = capsys.readouterr().out
    assert "demand.max_count=5" in shown
    assert "tajne-haslo" not in shown and "smtp://jan:***@smtp.example.pl" in shown


def test_settings_export_import_round_trip_keeps_the_password(tmp_path, capsys):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    run(first, "settings", "set", "schedule.weekdays=mon,wed", "timezone=Europe/Warsaw")
    exported = tmp_path / "settings.txt"
    assert run(first, "settings", "export", str(exported)) == 0
    assert run(second, "settings", "import", str(exported)) == 0
    capsys.readouterr()
    run(second, "settings", "show")
    assert "schedule.weekdays=mon,wed" in capsys.readouterr().out


def test_bad_settings_are_refused_with_the_key_and_nothing_saved(tmp_path, capsys):
    db_path = tmp_path / "s.db"
    code = run(db_path, "settings", "set", "demand.max_count=11", "reminder.days_before_due=2",
               "schedule.weekdays=")
    assert code == 1
    err = capsys.readouterr().err
    assert "demand.max_count: must be between 1 and 10" in err
    assert "schedule.weekdays" in err
    run(db_path, "settings", "show")
    assert "reminder.days_before_due=3" in capsys.readouterr().out


def test_demo_then_run_once_history_flag_export_and_backup(tmp_path, capsys):
    db_path = tmp_path / "demo.db"
    assert run(db_path, "--today", "2026-11-23", "demo") == 0
    assert run(db_path, "run-once", "--today", "2026-11-23") == 0
    out = capsys.readouterr().out
    assert "demand" in out and "reminder" in out and " sent" in out
    assert (tmp_path / "outbox" / "new").is_dir()
    assert any((tmp_path / "outbox" / "new").iterdir())

    con = sqlite3.connect(db_path)
    number = con.execute(
        "SELECT d.number FROM document d JOIN document_step s ON s.document_id = d.id "
        "WHERE s.kind = 'demand' LIMIT 1").fetchone()[0]
    con.close()
    assert run(db_path, "--today", "2026-11-23", "history", number) == 0
    history = capsys.readouterr().out
    assert "demand sent" in history and "Next:" in history

    assert run(db_path, "flag", "off", number) == 0
    assert "1 of 1 documents switched off" in capsys.readouterr().out
    assert run(db_path, "history", number) == 0
    assert "flag changed" in capsys.readouterr().out

    export = tmp_path / "activity.csv"
    assert run(db_path, "export", "activity", str(export), "--kind", "demand_sent") == 0
    with export.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(r["kind"] == "demand_sent" for r in rows)

    backup = tmp_path / "copy.db"
    assert run(db_path, "backup", str(backup)) == 0
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT COUNT(*) FROM document").fetchone()[0] == 2000
    copy.close()
    assert run(db_path, "backup", str(backup)) == 1  # refuses to overwrite


def test_errors_go_to_stderr_with_a_non_zero_exit(tmp_path, capsys):
    db_path = tmp_path / "e.db"
    assert run(db_path, "history", "FV/NOPE") == 1
    assert "no document numbered 'FV/NOPE'" in capsys.readouterr().err
    assert run(db_path, "import", "documents", str(tmp_path / "missing.csv")) == 1
    assert run(db_path, "flag", "off", "--all-unpaid") == 1
    assert run(db_path, "run-once", "--today", "2026-13-01") == 1


def test_a_rejected_import_lists_lines_and_exits_1(tmp_path, capsys):
    db_path = tmp_path / "i.db"
    bad = tmp_path / "contractors.csv"
    bad.write_text("code;name;nip;email\nK1;Firma;123;a@b.pl\nK2;Druga;;nie-mail\n",
                   encoding="utf-8")
    assert run(db_path, "import", "contractors", str(bad)) == 1
    err = capsys.readouterr().err
    assert "line 2" in err and "line 3" in err and "nothing was imported" in err


def test_flag_on_all_unpaid_switches_every_unpaid_document_once(tmp_path, capsys):
    """Documents imported while collection was off start excluded (SPEC §3); the
    wizard's question — or this command — puts the unpaid ones under collection."""
    db_path = tmp_path / "f.db"
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
    con = sqlite3.connect(db_path)
    flags = dict(con.execute(
        "SELECT subject_to_collection, COUNT(*) FROM document GROUP BY 1").fetchall())
    events = con.execute("SELECT COUNT(*) FROM collection_event WHERE kind = 'flag_changed'")
    assert flags == {0: 1, 1: count - 1} and events.fetchone()[0] == count - 1
    con.close()
    assert run(db_path, "flag", "on", "--all-unpaid") == 0
    assert f"0 of {count - 1} documents switched on" in capsys.readouterr().out
