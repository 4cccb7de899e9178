import datetime as dt
from decimal import Decimal

import pytest

from windykacja.models import Contractor, Document, Payment
from windykacja.models.db import is_sqlite, open_database, pending_migrations


@pytest.mark.sqlite_only("PRAGMAs are SQLite's own settings")
def test_sqlite_file_is_opened_with_the_measured_pragmas(db):
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000
    # copied back into the file every 10,000 pages, not every hundred messages
    assert db.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] == 10_000
    assert pending_migrations(db) == []


def test_money_sums_are_exact_integers(db):
    now = dt.datetime(2026, 1, 1)
    c = Contractor.create(code="K1", name="Firma", created_at=now)
    d = Document.create(
        number="FV/1", contractor=c, issue_date=dt.date(2026, 1, 1), due_date=dt.date(2026, 1, 8),
        legal_due_date=dt.date(2026, 1, 8), gross=Decimal("3.00"), outstanding=Decimal("3.00"),
        created_at=now,
    )
    for amount in ["0.10"] * 10 + ["0.20"] * 5:
        Payment.create(
            document=d, paid_on=dt.date(2026, 1, 2), amount=Decimal(amount), created_at=now
        )
    if is_sqlite(db):
        total = db.execute_sql("SELECT SUM(amount), typeof(SUM(amount)) FROM payment")
        assert total.fetchone() == (200, "integer")
    else:  # a sum of bigint is numeric there: exact, never a float
        total = db.execute_sql("SELECT SUM(amount), pg_typeof(SUM(amount))::text FROM payment")
        assert total.fetchone() == (200, "numeric")


def test_reopening_a_migrated_file_applies_nothing(db_location):
    path = db_location("x.db", migrated=False)
    open_database(path).close()
    db = open_database(path)
    assert pending_migrations(db) == []
    db.close()


def test_columns_added_later_have_a_database_default(db_location):
    """Rows written by plain SQL (benchmarks, copies between databases) that predate a
    column still get its default: the migrations state it in the schema, not only in
    Python."""
    db = open_database(db_location("raw.db"))
    db.execute_sql("INSERT INTO contractor (code, name, address, emails, phone, language,"
                   " subject_to_collection, created_at) VALUES ('K', 'K', '', '', '', 'pl', TRUE,"
                   " '2026-11-23 09:00:00')")
    db.execute_sql("INSERT INTO document (number, contractor_id, issue_date, due_date,"
                   " legal_due_date, currency, gross, outstanding, subject_to_collection,"
                   " demands_sent, created_at, contractor_key) VALUES ('FV/1', 1, '2026-11-01',"
                   " '2026-11-15', '2026-11-16', 'PLN', 100, 100, TRUE, 0, '2026-11-23 09:00:00',"
                   " 'k')")
    assert db.execute_sql("SELECT kind FROM contractor").fetchone() == ("business",)
    assert db.execute_sql("SELECT bank_account FROM document").fetchone() == ("",)


@pytest.mark.sqlite_only("reads SQLite's catalogue of indexes")
def test_no_two_indexes_of_a_table_cover_the_same_columns(db):
    """Each index is written to on every insert: two alike only cost (0016 made one
    for message.letter_of_id beside the one add_column made; 0019 drops it)."""
    seen: dict[tuple, str] = {}
    tables = [r[0] for r in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%'")]
    for table in tables:
        for _, index, unique, _, partial in db.execute_sql(f'PRAGMA index_list("{table}")'):
            if partial:
                continue
            columns = tuple(r[2] for r in db.execute_sql(f'PRAGMA index_info("{index}")'))
            key = (table, columns, unique)
            assert key not in seen, f"{index} repeats {seen[key]}"
            seen[key] = index


@pytest.mark.sqlite_only("SQLite rebuilds a table to drop a column; PostgreSQL needs no help")
def test_the_newest_migrations_can_be_undone_and_done_again(db_location):
    from playhouse.migrations import Runner

    from windykacja.models.db import MIGRATIONS_DIR

    db = open_database(db_location("down.db"))
    runner = Runner(db, directory=str(MIGRATIONS_DIR))
    undone = runner.down("0016_letters")
    assert undone[-1] == "0016_letters"
    assert "message_letter_of_id" not in {r[1] for r in db.execute_sql(
        "PRAGMA index_list(message)")}
    runner.up()
    assert pending_migrations(db) == []
