"""``windykacja import statement`` from the command line: the summary, exit statuses."""

from __future__ import annotations

from pathlib import Path

from windykacja.app import main
from windykacja.models import BankStatement, Payment
from windykacja.models.db import open_database

from .test_statements import SAMPLE, sample_ledger

DATA = Path(__file__).parent / "data"


def run(db_path, *args):
    return main(["--db", str(db_path), "--today", "2026-03-20", *args])


def test_the_sample_imports_and_says_what_it_matched(db_location, clock, capsys, monkeypatch):
    monkeypatch.setenv("WINDYKACJA_USER", "ksiegowa")
    db_path = db_location("w.db")
    open_database(str(db_path))
    sample_ledger(clock)
    assert run(db_path, "import", "statement", str(SAMPLE)) == 0
    out = capsys.readouterr().out
    assert "(pko): 5 credits — 5 matched for sure (17,613.00 PLN, 6 payments recorded), " \
        "0 to confirm, 0 without a match; debits and reversals ignored: 1." in out
    assert run(db_path, "import", "statement", str(SAMPLE)) == 0
    assert "already imported on 20.03.2026 09:00 (Europe/Warsaw) by ksiegowa; nothing added." \
        in capsys.readouterr().out
    assert (Payment.select().count(), BankStatement.select().count()) == (6, 1)


def test_unsure_credits_are_listed_for_the_screen(db_location, capsys):
    db_path = db_location("w.db")
    assert run(db_path, "import", "statement", str(SAMPLE)) == 0
    out = capsys.readouterr().out
    assert "5 credits — 0 matched for sure, 0 to confirm, 5 without a match" in out
    assert "no match   16.03.2026     4,920.00 PLN  HURTOWNIA ZIELONA SP. Z   " \
        "FV/2026/02/017\n" in out
    assert "Bank statements (key 7)" in out


def test_a_refused_file_exits_1_with_its_lines_on_stderr(db_location, capsys):
    db_path = db_location("w.db")
    assert run(db_path, "import", "statement", "--profile", "utf8", str(SAMPLE)) == 1
    err = capsys.readouterr().err
    assert "nothing was imported (read with the utf8 profile)" in err
    assert "line 6: byte 0xA5 cannot be read as UTF-8" in err and "--profile pko" in err
    assert BankStatement.select().count() == 0


def test_the_setting_chooses_the_profile_and_a_bad_name_is_refused(db_location, tmp_path, capsys):
    db_path = db_location("w.db")
    assert run(db_path, "settings", "set", "statement.bank_profile=MBANK") == 0
    assert run(db_path, "settings", "set", "statement.bank_profile=ing") == 1
    assert "'ing' is not a bank profile" in capsys.readouterr().err
    assert run(db_path, "import", "statement", str(DATA / "mt940_pl_sample_mbank.sta")) == 0
    assert "(mbank): 5 credits" in capsys.readouterr().out
    assert run(db_path, "import", "statement", "--profile", "ing", str(SAMPLE)) == 1
    assert run(db_path, "import", "statement", str(tmp_path / "none.sta")) == 1
    assert "no such file" in capsys.readouterr().err
