"""Upgrades: a database built at an old schema shipped (the oldest, and schema 4 after
recovery came), filled through plain SQL with the rows an office has, is opened by this
version — a backup first, then every migration — and nothing is lost.

The last migration is never named here: the tests run up to whatever is shipped.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
from pathlib import Path

import pytest
from pass_runner import run_one_pass
from playhouse.migrations import Runner

from windykacja.ledger.clock import FixedClock
from windykacja.models import database
from windykacja.models.backup import MIGRATION_BACKUPS_KEPT
from windykacja.models.db import (
    MIGRATIONS_DIR,
    is_sqlite,
    make_database,
    open_database,
    pending_migrations,
    shipped_migrations,
)
from windykacja.models.text import fold
from windykacja.models.transfer import sqlite_value

TODAY = dt.date(2026, 11, 23)  # a Monday
AT = "2026-10-01 08:00:00"

# The rows of an office at schema 1, column by column as migration 0001 made them.
SCHEMA_1_ROWS: dict[str, list[dict]] = {
    "contractor": [
        dict(id=1, code="K1", name="Łódzka Hurtownia Śrub sp. z o.o.", nip="7251801126",
             address="ul. Piotrkowska 1\n90-001 Łódź", emails="biuro@srubex.pl",
             phone="+48 42 600 10 20", language="pl", subject_to_collection=True,
             created_at=AT),
        dict(id=2, code="K2", name="Nordic Parts AB", nip=None, address="Stockholm",
             emails="ap@nordic.example\ninvoices@nordic.example", phone="", language="en",
             subject_to_collection=True, created_at=AT),
        dict(id=3, code="K3", name="Piekarnia Żytnia", nip="5260250274", address="",
             emails="", phone="", language="pl", subject_to_collection=False,
             created_at=AT),
    ],
    "document": [
        # Overdue, a reminder and one demand sent, partly paid: the pass plans demand 2.
        dict(id=1, number="FV/1/2026", contractor_id=1, issue_date="2026-09-17",
             due_date="2026-10-01", legal_due_date="2026-10-01", currency="PLN",
             gross=123000, exchange_rate=None, outstanding=100000,
             subject_to_collection=True, reminder_sent_on="2026-09-28", demands_sent=1,
             last_demand_on="2026-10-08", collection_ended_on=None,
             collection_end_reason=None, created_at=AT),
        # In euro at 4.2130 PLN, due in three days: a reminder is due today.
        dict(id=2, number="FV/2/2026", contractor_id=2, issue_date="2026-11-12",
             due_date="2026-11-26", legal_due_date="2026-11-26", currency="EUR",
             gross=50000, exchange_rate=4213000, outstanding=50000,
             subject_to_collection=True, reminder_sent_on=None, demands_sent=0,
             last_demand_on=None, collection_ended_on=None, collection_end_reason=None,
             created_at=AT),
        # Paid in full; its collection ended.
        dict(id=3, number="FV/3/2026", contractor_id=1, issue_date="2026-08-01",
             due_date="2026-08-15", legal_due_date="2026-08-17", currency="PLN",
             gross=24600, exchange_rate=None, outstanding=0, subject_to_collection=True,
             reminder_sent_on="2026-08-12", demands_sent=0, last_demand_on=None,
             collection_ended_on="2026-08-14", collection_end_reason="paid",
             created_at=AT),
        # A contractor outside collection.
        dict(id=4, number="FV/4/2026", contractor_id=3, issue_date="2026-09-01",
             due_date="2026-09-15", legal_due_date="2026-09-15", currency="PLN",
             gross=9999, exchange_rate=None, outstanding=9999, subject_to_collection=False,
             reminder_sent_on=None, demands_sent=0, last_demand_on=None,
             collection_ended_on=None, collection_end_reason=None, created_at=AT),
    ],
    "payment": [
        dict(id=1, document_id=1, paid_on="2026-10-20", amount=23000, method="transfer",
             reference="ELIXIR 1234", author="ksiegowa", created_at="2026-10-21 07:30:00"),
        dict(id=2, document_id=3, paid_on="2026-08-14", amount=24600, method="cash",
             reference="", author="ksiegowa", created_at="2026-08-14 12:00:00.250000"),
    ],
    "message": [
        dict(id=1, contractor_id=1, kind="demand", language="pl", state="sent",
             recipients="biuro@srubex.pl", subject="Wezwanie do zapłaty FV/1/2026",
             raw="Subject: Wezwanie\n\nProsimy o zapłatę 1 230,00 PLN.",
             message_id="<1@windykacja>", pass_date="2026-10-08", attempts=1, last_error="",
             created_at="2026-10-08 07:00:00", sent_at="2026-10-08 07:00:05"),
        dict(id=2, contractor_id=2, kind="reminder", language="en", state="failed",
             recipients="ap@nordic.example", subject="Reminder", raw="", message_id="",
             pass_date="2026-10-09", attempts=3, last_error="550 mailbox unavailable",
             created_at="2026-10-09 07:00:00", sent_at=None),
    ],
    "document_step": [
        dict(id=1, document_id=1, kind="demand", number=1, message_id=1,
             planned_for="2026-10-08", outstanding=123000),
    ],
    "collection_event": [
        dict(id=1, document_id=1, kind="demand_sent", at="2026-10-08 07:00:05",
             day="2026-10-08", author="system", text="demand 1", message_id=1,
             needs_report=False),
        dict(id=2, document_id=1, kind="note", at="2026-10-10 09:15:00", day="2026-10-10",
             author="ewa", text="Klient obiecał zapłacić do piątku.", message_id=None,
             needs_report=False),
        dict(id=3, document_id=3, kind="collection_finished", at="2026-08-14 12:00:00",
             day="2026-08-14", author="system", text="paid", message_id=None,
             needs_report=True),
    ],
    "pass_run": [
        dict(id=1, pass_date="2026-10-08", started_at="2026-10-08 07:00:00",
             finished_at="2026-10-08 07:00:06", planned=1, sent=1, failed=0),
    ],
    "setting": [
        dict(key=key, value=value, author="anna", updated_at=AT) for key, value in {
            "module.enabled": "yes",
            "company.name": "Przykładowa Firma sp. z o.o.",
            "company.bank_account": "PL61 1090 1014 0000 0712 1981 2874",
            "sender.name": "Dział należności",
            "sender.email": "windykacja@przykladowa.pl",
        }.items()
    ],
    "worker_lease": [  # a worker that stopped long ago
        dict(name="sender", holder="old-host:123:abcd", expires_at="2026-10-08 07:02:06",
             heartbeat_at="2026-10-08 07:00:06"),
    ],
}

NAMES = {c["id"]: c["name"] for c in SCHEMA_1_ROWS["contractor"]}


def at_schema_4(document: dict) -> dict:
    """A document row of schema 4: the folded contractor name of schema 2, the active
    case of schema 4 — document 1 was handed over, which ended its collection."""
    row = {**document, "contractor_key": fold(NAMES[document["contractor_id"]]),
           "recovery_case_id": None}
    if document["id"] == 1:
        row.update(collection_ended_on="2026-10-25", collection_end_reason="recovery",
                   recovery_case_id=1)
    return row


# What schema 4 (recovery) adds: an agreement, an order and a case over document 1.
SCHEMA_4_ROWS: dict[str, list[dict]] = {
    "document": [at_schema_4(document) for document in SCHEMA_1_ROWS["document"]],
    "agreement": [
        dict(id=1, agency="kaczmarski", terms_version="2026-01", person_name="Anna Nowicka",
             person_position="prezes", person_email="anna@firma.pl", person_phone="",
             concluded_at=AT, author="anna"),
    ],
    "recovery_order": [
        dict(id=1, agency="kaczmarski", created_at=AT, finished_at=None, author="anna"),
    ],
    "recovery_case": [
        dict(id=1, order_id=1, contractor_id=1, status="sent", status_at=AT,
             debtor="Łódzka Hurtownia Śrub sp. z o.o., NIP 7251801126", total=100000,
             oldest_days_overdue=53, commission_rate=150000, commission=15000,
             commission_from_debtor=False, commission_recorded=0, external_ref="KR/77",
             send_error="", attempts=1, sent_at=AT, created_at=AT, author="anna"),
    ],
    "case_document": [
        dict(id=1, case_id=1, document_id=1, outstanding=100000, days_overdue=53,
             active=True),
    ],
    "case_status_change": [
        dict(id=1, case_id=1, status="sent", at=AT, source="user", note="", author="anna"),
    ],
}


def insert_rows(db, rows: dict[str, list[dict]]) -> None:
    with db.atomic():
        for table, records in rows.items():
            for record in records:
                names = ", ".join(f'"{c}"' for c in record)
                marks = ", ".join(db.param for _ in record)
                db.execute_sql(f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                               tuple(record.values()))
            if not is_sqlite(db) and "id" in records[0]:  # ids given: move the sequence on
                db.execute_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"MAX(id)) FROM {table}")


def stored(db, table: str, columns: list[str]) -> list[tuple]:
    names = ", ".join(f'"{c}"' for c in columns)
    rows = db.execute_sql(f'SELECT {names} FROM "{table}" ORDER BY 1').fetchall()
    return [tuple(sqlite_value(v) for v in row) for row in rows]


def expected(records: list[dict]) -> list[tuple]:
    return sorted(tuple(sqlite_value(v) for v in r.values()) for r in records)


def build_old_database(location: str, last: str, rows: dict[str, list[dict]]) -> None:
    """A database migrated only up to ``last`` and filled through plain SQL."""
    db = make_database(location)
    db.connect()
    assert Runner(db, directory=str(MIGRATIONS_DIR)).up(last)[-1] == last
    insert_rows(db, rows)
    db.close()


OLD_SCHEMAS = {
    "oldest": (shipped_migrations()[0], SCHEMA_1_ROWS),
    "schema 4": ("0004_recovery", {**SCHEMA_1_ROWS, **SCHEMA_4_ROWS}),
}


def upgrade_and_check(location: str, last: str, rows: dict[str, list[dict]], caplog,
                      tmp_path: Path):
    build_old_database(location, last, rows)
    with caplog.at_level(logging.WARNING, logger="windykacja.models.db"):
        db = open_database(location)
    assert pending_migrations(db) == []
    applied = [n for (n,) in db.execute_sql("SELECT name FROM schema_migration ORDER BY id")]
    assert applied == shipped_migrations()

    for table, records in rows.items():  # every row and every value still there
        if table == "message":  # its text has a table of its own since migration 0020
            records = [{k: v for k, v in r.items() if k != "raw"} for r in records]
        assert stored(db, table, list(records[0])) == expected(records), table
    texts = dict(db.execute_sql("SELECT message_id, raw FROM message_text").fetchall())
    assert texts == {r["id"]: r["raw"] for r in rows["message"] if r["raw"]}

    # Columns added after schema 1 hold their defaults (or what their migration computed).
    contractors = dict(db.execute_sql("SELECT id, kind FROM contractor").fetchall())
    assert contractors == {1: "business", 2: "business", 3: "business"}
    keys = db.execute_sql("SELECT d.contractor_key, c.name, d.bank_account FROM document d "
                          "JOIN contractor c ON c.id = d.contractor_id").fetchall()
    assert [(key, account) for key, _, account in keys] == [(fold(n), "") for _, n, _ in keys]
    if last < "0004":  # added by migration 0004, empty until a case is made
        assert db.execute_sql("SELECT COUNT(recovery_case_id) FROM document").fetchone() == (0,)
    for table in ("ksef_correction", "bank_statement", "interest_rate", "eur_rate"):
        assert db.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,)

    # The program works on it: a pass plans and sends demand 2 and the reminder.
    clock = FixedClock(TODAY)
    result = run_one_pass(clock, tmp_path / "outbox")
    sent = db.execute_sql(
        "SELECT d.number, s.kind, s.number FROM document_step s JOIN document d "
        "ON d.id = s.document_id WHERE s.planned_for = " + db.param + " ORDER BY d.number",
        (TODAY.isoformat(),)).fetchall()
    if last >= "0004":  # document 1 is with the agency: no demand from us
        assert sent == [("FV/2/2026", "reminder", 0)]
    else:
        assert sent == [("FV/1/2026", "demand", 2), ("FV/2/2026", "reminder", 0)]
    assert result.count("sent") == len(sent)
    return db, [r.getMessage() for r in caplog.records]


@pytest.mark.sqlite_only("builds SQLite files at old schemas; the PostgreSQL upgrade has a "
                         "test of its own (pg_url)")
@pytest.mark.parametrize("schema", OLD_SCHEMAS)
def test_an_old_sqlite_database_is_backed_up_then_upgraded_without_a_loss(
        schema, tmp_path, caplog):
    last, rows = OLD_SCHEMAS[schema]
    path = tmp_path / "windykacja.db"
    db, messages = upgrade_and_check(str(path), last, rows, caplog, tmp_path)
    db.close()

    first_pending = shipped_migrations()[shipped_migrations().index(last) + 1]
    copies = sorted(tmp_path.glob("windykacja.db.before-migration-*"))
    assert [c.name.split("-")[2] for c in copies] == [first_pending[:4]]
    assert any(str(copies[0]) in m and "newest 3" in m for m in messages), messages
    # The copy was taken before the first migration ran: schema `last`, the same rows.
    with sqlite3.connect(copies[0]) as copy:
        history = [n for (n,) in copy.execute("SELECT name FROM schema_migration ORDER BY id")]
        assert history == shipped_migrations()[:shipped_migrations().index(last) + 1]
        for table, records in rows.items():
            names = ", ".join(f'"{c}"' for c in records[0])
            assert sorted(copy.execute(f"SELECT {names} FROM {table}").fetchall()) == \
                expected(records), table


def test_an_old_postgresql_database_is_upgraded_with_pg_dump_advice(pg_url, tmp_path, caplog):
    last, rows = OLD_SCHEMAS["oldest"]
    db, messages = upgrade_and_check(pg_url, last, rows, caplog, tmp_path)
    assert any("pg_dump --format=custom" in m and last in m for m in messages), messages
    db.close()


@pytest.mark.sqlite_only("about backup files beside an SQLite database")
def test_only_the_newest_backups_before_migrating_are_kept(tmp_path, caplog):
    path = tmp_path / "windykacja.db"
    older = []
    for age in (4, 3, 2):  # three copies left by earlier upgrades, oldest first
        old = tmp_path / f"windykacja.db.before-migration-000{age}-2025010{age}-080000Z"
        old.write_bytes(b"an earlier copy")
        stamp = (dt.datetime(2026, 1, 1) - dt.timedelta(days=age)).timestamp()
        os.utime(old, (stamp, stamp))
        older.append(old)
    build_old_database(str(path), shipped_migrations()[0], {})
    open_database(str(path)).close()
    kept = sorted(p.name for p in tmp_path.glob("windykacja.db.before-migration-*"))
    assert len(kept) == MIGRATION_BACKUPS_KEPT
    assert older[0].name not in kept and older[1].name in kept and older[2].name in kept


@pytest.mark.sqlite_only("about backup files beside an SQLite database")
def test_a_new_or_current_database_is_not_backed_up(tmp_path):
    path = tmp_path / "windykacja.db"
    open_database(str(path)).close()  # new: every migration, nothing to back up
    open_database(str(path)).close()  # current: no migration, no backup
    assert list(tmp_path.glob("*.before-migration-*")) == []
    assert database.obj is not None


@pytest.fixture
def small_disk(tmp_path):
    """A real filesystem too small for a second copy of the database: a tmpfs, which needs
    the right to mount (root in a container); skipped with the reason elsewhere."""
    import shutil
    import subprocess

    mount_point = tmp_path / "small"
    mount_point.mkdir()

    def mount(size: int) -> Path:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                               str(mount_point)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip()}): "
                        "the disk-full case needs one")
        return mount_point

    if shutil.which("mount") is None:
        pytest.skip("no mount command: the disk-full case needs a small tmpfs")
    yield mount
    database.close()  # the failed open left its connection to the file
    subprocess.run(["umount", "--lazy", str(mount_point)], capture_output=True)


@pytest.mark.sqlite_only("about the backup file beside an SQLite database")
def test_a_backup_that_cannot_be_written_stops_the_upgrade_with_words(tmp_path, small_disk,
                                                                      capsys):
    from windykacja.app import main

    built = tmp_path / "built.db"
    build_old_database(str(built), shipped_migrations()[0], SCHEMA_1_ROWS)
    size = built.stat().st_size
    disk = small_disk(size + size // 2 + 4096)  # the database fits, a copy of it does not
    path = disk / "windykacja.db"
    path.write_bytes(built.read_bytes())

    assert main(["--db", str(path), "settings", "show"]) == 1
    error = capsys.readouterr().err
    assert "needs upgrading" in error and "nothing was changed" in error
    assert "Traceback" not in error
    db = make_database(str(path))
    assert pending_migrations(db) == shipped_migrations()[1:]  # still at schema 1
    db.close()


@pytest.mark.sqlite_only("about the backup file beside an SQLite database")
def test_the_backup_before_migrating_is_in_the_log_file(tmp_path, monkeypatch, capsys):
    from windykacja.app import main

    monkeypatch.setenv("WINDYKACJA_LOG_DIR", str(tmp_path / "logs"))
    path = tmp_path / "windykacja.db"
    build_old_database(str(path), shipped_migrations()[0], SCHEMA_1_ROWS)
    assert main(["--db", str(path), "settings", "show"]) == 0
    log = (tmp_path / "logs" / "windykacja.log").read_text(encoding="utf-8")
    assert "Before migrating" in log and "a backup of it was written to" in log
    assert "Before migrating" in capsys.readouterr().err
