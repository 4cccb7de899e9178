"""The same engine on PostgreSQL, by URL: demo, a pass, history, forecast.

Runs when ``WINDYKACJA_TEST_PG`` names a server (``.ci/run`` starts a throw-away one
when the machine has PostgreSQL); each test gets a database of its own.
"""

from __future__ import annotations

import datetime as dt

from windykacja.app import main
from windykacja.models import Message, MessageState, database


def _pass_on(location: str, outbox, capsys) -> list[str]:
    assert main(["--db", location, "--today", "2026-11-23", "demo"]) == 0
    assert main(["--db", location, "settings", "set", f"outbox.maildir={outbox}"]) == 0
    capsys.readouterr()
    assert main(["--db", location, "run-once", "--today", "2026-11-23"]) == 0
    lines = [ln.split("→")[1] for ln in capsys.readouterr().out.splitlines() if "→" in ln]
    today = Message.select().where(
        (Message.state == MessageState.SENT) & (Message.pass_date == dt.date(2026, 11, 23))
    )
    assert today.count() == len(lines)
    return sorted(lines)


def test_a_pass_on_postgresql_sends_what_it_sends_on_sqlite(pg_url, tmp_path, capsys):
    on_postgres = _pass_on(pg_url, tmp_path / "pg-outbox", capsys)
    assert main(["--db", pg_url, "--today", "2026-11-24", "forecast"]) == 0
    assert main(["--db", pg_url, "export", "activity", str(tmp_path / "a.csv")]) == 0
    database.close()
    on_sqlite = _pass_on(str(tmp_path / "same.db"), tmp_path / "sqlite-outbox", capsys)
    assert on_postgres == on_sqlite and len(on_postgres) > 10
