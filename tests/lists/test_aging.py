"""The aging report: buckets by days past the legal due date, per currency, sums and order;
its CSV; ``windykacja report aging``. On a real SQLite file (and on PostgreSQL when
``WINDYKACJA_TEST_PG`` names a server)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from windykacja.app import main
from windykacja.law.lateness import days_late as days_late_on
from windykacja.ledger.actions import record_payment
from windykacja.ledger.settings import load_settings
from windykacja.lists.aging import (
    BUCKET_KEYS,
    aging_report,
    bucket_edges,
    bucket_index,
    sort_rows,
)
from windykacja.lists.aging_csv import export_aging_file, write_aging_csv
from windykacja.models import database

TODAY = dt.date(2026, 11, 23)  # the clock fixture's day


def late(days: int) -> dt.date:
    """The due date of a document ``days`` days late today."""
    return TODAY - dt.timedelta(days=days)


def by_code(report):
    return {row.code: row for row in report.rows}


def bucket_of_row(row) -> str:
    """The one bucket holding the row's amount."""
    filled = [key for key, grosze in zip(BUCKET_KEYS, row.grosze, strict=True) if grosze]
    assert len(filled) == 1, row
    return filled[0]


# -- buckets -------------------------------------------------------------------------------
@pytest.mark.parametrize(("days_late", "bucket"), [
    (-10, "not_due"), (0, "not_due"), (1, "days_1_30"), (30, "days_1_30"),
    (31, "days_31_60"), (60, "days_31_60"), (61, "days_61_90"), (90, "days_61_90"),
    (91, "days_91_180"), (180, "days_91_180"), (181, "days_over_180"),
    (2000, "days_over_180"),
])
def test_a_document_lands_in_its_bucket_by_days_past_the_legal_due_date(
    collection, days_late, bucket
):
    """Due on Wednesday 2026-11-04, a working day (so the legal due date too), and the
    report made ``days_late`` days later."""
    contractor = collection.contractor(code="K1")
    due = dt.date(2026, 11, 4)
    assert collection.document(contractor, due=due, gross="123.45").legal_due_date == due
    row = by_code(aging_report(due + dt.timedelta(days=days_late), "PLN"))["K1"]
    assert bucket_of_row(row) == bucket
    assert row.amounts[BUCKET_KEYS.index(bucket)] == Decimal("123.45")
    assert BUCKET_KEYS[bucket_index(days_late)] == bucket


def test_every_day_from_due_to_over_a_year_late_matches_the_pure_rule(collection):
    """The SQL's date edges and ``bucket_index`` of ``law.lateness.days_late`` agree on
    every due date, weekends and holidays among them, edges or not."""
    legal = {}
    for days in range(-3, 400):
        contractor = collection.contractor(code=f"D{days + 3:03d}")
        legal[days] = collection.document(contractor, due=late(days),
                                          gross="10.00").legal_due_date
    rows = by_code(aging_report(TODAY, "PLN"))
    assert len(rows) == 403
    for days in range(-3, 400):
        expected = BUCKET_KEYS[bucket_index(days_late_on(legal[days], TODAY))]
        assert bucket_of_row(rows[f"D{days + 3:03d}"]) == expected, days


def test_bucket_edges_are_dates_counted_back_from_today():
    assert bucket_edges(TODAY) == [TODAY, late(30), late(60), late(90), late(180)]


def test_days_late_count_from_the_legal_due_date(collection):
    """Due on Saturday 2026-11-21: the legal due date moves to Monday 23rd (today), so
    the document is not due yet today, as everywhere else (law/lateness.py), and 1 day
    late tomorrow."""
    contractor = collection.contractor(code="K1")
    document = collection.document(contractor, due=dt.date(2026, 11, 21))
    assert document.legal_due_date == TODAY
    assert bucket_of_row(by_code(aging_report(TODAY, "PLN"))["K1"]) == "not_due"
    tomorrow = TODAY + dt.timedelta(days=1)
    assert bucket_of_row(by_code(aging_report(tomorrow, "PLN"))["K1"]) == "days_1_30"


# -- what counts -----------------------------------------------------------------------------
def test_currencies_are_kept_apart(collection):
    alfa = collection.contractor(code="ALFA")
    collection.document(alfa, due=late(5), gross="1000.00")
    collection.document(alfa, due=late(5), gross="200.00", currency="EUR")
    beta = collection.contractor(code="BETA")
    collection.document(beta, due=late(50), gross="300.00", currency="EUR")

    pln = aging_report(TODAY)
    assert pln.currency == "PLN" and pln.currencies == ("EUR", "PLN")
    assert [(r.code, r.total) for r in pln.rows] == [("ALFA", Decimal("1000.00"))]
    eur = aging_report(TODAY, "EUR")
    assert {r.code: r.total for r in eur.rows} == {"ALFA": Decimal("200.00"),
                                                  "BETA": Decimal("300.00")}
    assert eur.total == Decimal("500.00")
    assert eur.bucket_totals[BUCKET_KEYS.index("days_1_30")] == Decimal("200.00")
    assert eur.bucket_totals[BUCKET_KEYS.index("days_31_60")] == Decimal("300.00")


def test_without_pln_the_first_currency_owed_is_the_default(collection):
    contractor = collection.contractor(code="K1")
    collection.document(contractor, due=late(5), gross="50.00", currency="EUR")
    assert aging_report(TODAY).currency == "EUR"


def test_paid_documents_are_left_out_and_partly_paid_count_their_remainder(
    collection, clock
):
    settings = load_settings()
    paid_up = collection.contractor(code="PAID")
    document = collection.document(paid_up, due=late(40), gross="500.00")
    record_payment(clock, settings, document, TODAY, Decimal("500.00"))
    partly = collection.contractor(code="PART")
    document = collection.document(partly, due=late(40), gross="500.00")
    record_payment(clock, settings, document, TODAY, Decimal("120.50"))
    collection.document(partly, due=late(70), gross="100.00")

    report = aging_report(TODAY, "PLN")
    rows = by_code(report)
    assert set(rows) == {"PART"}
    assert rows["PART"].amounts == (
        Decimal("0.00"), Decimal("0.00"), Decimal("379.50"), Decimal("100.00"),
        Decimal("0.00"), Decimal("0.00"))
    assert rows["PART"].documents == 2


def test_documents_with_an_agency_stay_in_their_buckets_and_are_shown_apart(collection):
    from recovery_setup import hand_over

    _, case, handed = hand_over(collection)  # due 40 and 50 days ago
    contractor = handed[0].contractor
    collection.document(contractor, due=late(10), gross="99.99")
    row = by_code(aging_report(TODAY, "PLN"))[contractor.code]
    assert row.documents == 3
    assert row.amounts[BUCKET_KEYS.index("days_31_60")] == sum(d.gross for d in handed)
    assert row.amounts[BUCKET_KEYS.index("days_1_30")] == Decimal("99.99")
    assert row.in_recovery == sum(d.gross for d in handed) == case.total


def test_totals_are_the_sums_of_the_rows(collection):
    for code, dues in {"A": (0, 10, 45), "B": (95, 200), "C": (61, 61, 5)}.items():
        contractor = collection.contractor(code=code)
        for i, days in enumerate(dues):
            collection.document(contractor, due=late(days), gross=f"{100 + i}.{days:02d}")
    report = aging_report(TODAY, "PLN")
    for index in range(len(BUCKET_KEYS)):
        assert report.bucket_totals[index] == sum(r.amounts[index] for r in report.rows)
    assert report.total == sum(r.total for r in report.rows) == sum(report.bucket_totals)
    assert report.totals.documents == 8
    assert report.totals.in_recovery == Decimal("0.00")


def test_an_empty_ledger_gives_an_empty_report_with_zero_totals(db):
    report = aging_report(TODAY)
    assert report.rows == () and report.currencies == ()
    assert report.bucket_totals == (Decimal("0.00"),) * 6 and report.totals.documents == 0


# -- order -----------------------------------------------------------------------------------
def test_rows_sort_by_total_largest_first_then_by_name(collection):
    amounts = {"K1": ("Zeta", "300.00"), "K2": ("alfa", "300.00"), "K3": ("Beta", "900.00"),
               "K4": ("Gamma", "5.00")}
    for code, (name, gross) in amounts.items():
        collection.document(collection.contractor(code=code, name=name), due=late(3),
                            gross=gross)
    report = aging_report(TODAY, "PLN")
    assert [r.name for r in report.rows] == ["Beta", "alfa", "Zeta", "Gamma"]
    assert [r.name for r in sort_rows(report.rows, "total", descending=False)] == [
        "Gamma", "alfa", "Zeta", "Beta"]
    assert [r.name for r in sort_rows(report.rows, "name")] == ["alfa", "Beta", "Gamma",
                                                                 "Zeta"]
    assert [r.code for r in sort_rows(report.rows, "code", descending=True)] == [
        "K4", "K3", "K2", "K1"]
    with pytest.raises(ValueError, match="unknown sort key"):
        sort_rows(report.rows, "colour")


def test_sorting_by_a_bucket_puts_the_oldest_debts_first(collection):
    old = collection.contractor(code="OLD")
    collection.document(old, due=late(300), gross="10.00")
    big = collection.contractor(code="BIG")
    collection.document(big, due=late(2), gross="9000.00")
    report = aging_report(TODAY, "PLN", by="days_over_180")
    assert [r.code for r in report.rows] == ["OLD", "BIG"]


# -- CSV -------------------------------------------------------------------------------------
def small_ledger(collection):
    alfa = collection.contractor(code="ALFA", name="Alfa sp. z o.o.")
    collection.document(alfa, due=late(0), gross="1234.50")
    collection.document(alfa, due=late(45), gross="0.05")
    beta = collection.contractor(code="BETA", name="Łódzkie Młyny, \"Beta\"")
    collection.document(beta, due=late(200), gross="2000.00")


def test_the_csv_holds_a_header_each_contractor_and_the_totals(collection):
    small_ledger(collection)
    out = io.StringIO(newline="")
    count = write_aging_csv(aging_report(TODAY, "PLN"), out)
    assert count == 2
    assert out.getvalue() == (
        "contractor code,contractor,currency,not due,1–30 days,31–60 days,61–90 days,"
        "91–180 days,over 180 days,total,with the agency,documents,in dispute\r\n"
        'BETA,"Łódzkie Młyny, ""Beta""",PLN,0.00,0.00,0.00,0.00,0.00,2000.00,2000.00,0.00,1,'
        "0.00\r\n"
        "ALFA,Alfa sp. z o.o.,PLN,1234.50,0.00,0.05,0.00,0.00,0.00,1234.55,0.00,2,0.00\r\n"
        ",TOTAL,PLN,1234.50,0.00,0.05,0.00,0.00,2000.00,3234.55,0.00,3,0.00\r\n"
    )


def test_the_polish_csv_has_words_semicolons_and_decimal_commas(collection):
    """What a Polish spreadsheet opens as columns and numbers, with titles in Polish."""
    small_ledger(collection)
    out = io.StringIO(newline="")
    assert write_aging_csv(aging_report(TODAY, "PLN"), out, "pl") == 2
    assert out.getvalue() == (
        "kod kontrahenta;kontrahent;waluta;w terminie;1–30 dni;31–60 dni;61–90 dni;"
        "91–180 dni;ponad 180 dni;razem;w firmie windykacyjnej;dokumenty;w sporze\r\n"
        'BETA;"Łódzkie Młyny, ""Beta""";PLN;0,00;0,00;0,00;0,00;0,00;2000,00;2000,00;0,00;1;'
        "0,00\r\n"
        "ALFA;Alfa sp. z o.o.;PLN;1234,50;0,00;0,05;0,00;0,00;0,00;1234,55;0,00;2;0,00\r\n"
        ";RAZEM;PLN;1234,50;0,00;0,05;0,00;0,00;2000,00;3234,55;0,00;3;0,00\r\n"
    )


def test_the_csv_file_is_utf8_with_a_bom_and_replaces_the_target_whole(collection, tmp_path):
    small_ledger(collection)
    target = tmp_path / "aging.csv"
    target.write_text("an older export")
    assert export_aging_file(aging_report(TODAY, "PLN"), target) == 2
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfcontractor code,")
    assert "Łódzkie Młyny".encode() in data
    assert not (tmp_path / "aging.csv.part").exists()


def test_a_failed_export_leaves_no_file(collection, tmp_path):
    small_ledger(collection)
    target = tmp_path / "no-such-folder" / "aging.csv"
    with pytest.raises(FileNotFoundError):
        export_aging_file(aging_report(TODAY, "PLN"), target)
    assert not target.parent.exists()


# -- the command -----------------------------------------------------------------------------
def run(db_path, *args):
    return main(["--db", str(db_path), "--today", TODAY.isoformat(), *args])


def test_report_aging_prints_the_table_and_the_other_currencies(collection, db_location, capsys):
    small_ledger(collection)
    collection.document(collection.contractor(code="EURO"), due=late(1), gross="10.00",
                        currency="EUR")
    assert run(db_location(), "report", "aging") == 0
    assert capsys.readouterr().out.splitlines() == [
        "Outstanding PLN on 23.11.2026 by days past each document's legal due date"
        " (its due date moved past weekends and holidays)",
        "",
        "code  contractor              not due  1-30  31-60  61-90  91-180  over 180"
        "     total",
        "BETA  Łódzkie Młyny, \"Beta\"      0.00  0.00   0.00   0.00    0.00  2,000.00"
        "  2,000.00",
        "ALFA  Alfa sp. z o.o.        1,234.50  0.00   0.05   0.00    0.00      0.00"
        "  1,234.55",
        "      TOTAL                  1,234.50  0.00   0.05   0.00    0.00  2,000.00"
        "  3,234.55",
        "",
        "2 contractors, 3 documents; 0.00 PLN of it with a recovery agency.",
        "Also outstanding in EUR (--currency EUR).",
    ]


def test_report_aging_writes_the_csv_for_the_asked_currency(db_location, collection, tmp_path,
                                                            capsys):
    small_ledger(collection)
    # Due on Friday 20 November: 3 days late (late(1), a Sunday, is not due until today).
    collection.document(collection.contractor(code="EURO"), due=late(3), gross="10.00",
                        currency="EUR")
    target = tmp_path / "eur.csv"
    assert run(db_location(), "report", "aging", "--currency", "eur",
               "--csv", str(target)) == 0
    assert capsys.readouterr().out == f"1 contractor written to {target}.\n"
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].startswith("EURO,") and lines[2].startswith(",TOTAL,EUR,0.00,10.00,")


def test_report_aging_says_when_nothing_is_owed_in_the_currency(collection, db_location, capsys):
    small_ledger(collection)
    assert run(db_location(), "report", "aging", "--currency", "USD") == 0
    assert capsys.readouterr().out.splitlines() == [
        "Outstanding USD on 23.11.2026 by days past each document's legal due date"
        " (its due date moved past weekends and holidays)",
        "Nothing is outstanding in USD.",
        "Also outstanding in PLN (--currency PLN).",
    ]


def test_report_aging_refuses_a_currency_that_is_not_a_code(db, db_location, capsys):
    assert run(db_location(), "report", "aging", "--currency", "złoty") == 1
    assert "'złoty' is not a currency code" in capsys.readouterr().err


def test_report_aging_counts_from_its_own_today(collection, db_location, capsys):
    collection.document(collection.contractor(code="K1"), due=late(0), gross="5.00")
    assert main(["--db", db_location(), "report", "aging",
                 "--today", "2026-12-24"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0] == ("Outstanding PLN on 24.12.2026 by days past each document's legal due"
                        " date (its due date moved past weekends and holidays)")
    assert table[3].split()[1:] == ["Klient", "K1", "sp.", "z", "o.o.", "0.00", "0.00",
                                    "5.00", "0.00", "0.00", "0.00", "5.00"]


# -- PostgreSQL ------------------------------------------------------------------------------
def test_the_report_is_the_same_on_postgresql(pg_url, tmp_path, capsys):
    outputs = []
    for location in (pg_url, str(tmp_path / "same.db")):
        assert main(["--db", location, "--today", "2026-11-23", "demo"]) == 0
        capsys.readouterr()
        for currency in ("PLN", "EUR"):
            assert main(["--db", location, "--today", "2026-11-23", "report", "aging",
                         "--currency", currency]) == 0
        outputs.append(capsys.readouterr().out)
        database.close()
    assert outputs[0] == outputs[1] and "TOTAL" in outputs[0]


def test_disputed_amounts_are_apart_from_the_buckets(collection, clock, capsys):
    """An open dispute takes its amount (or the whole outstanding) out of the document's
    bucket into *disputed*; the total still says everything owed; a resolved dispute
    puts it back."""
    from windykacja.ledger.answers import open_dispute, resolve_dispute

    small_ledger(collection)
    alfa_new, alfa_old = sorted(
        collection_documents("ALFA"), key=lambda d: d.due_date, reverse=True)
    beta = collection_documents("BETA")[0]
    partial = open_dispute(clock, alfa_new, "a damaged pallet", Decimal("200.00"))
    open_dispute(clock, beta, "never ordered")
    report = aging_report(TODAY, "PLN")
    rows = {row.code: row for row in report.rows}
    assert rows["ALFA"].amounts == (Decimal("1034.50"), 0, Decimal("0.05"), 0, 0, 0)
    assert rows["ALFA"].disputed == Decimal("200.00")
    assert rows["ALFA"].total == Decimal("1234.55")
    assert rows["BETA"].amounts == (0, 0, 0, 0, 0, 0)
    assert rows["BETA"].disputed == rows["BETA"].total == Decimal("2000.00")
    assert report.totals.disputed == Decimal("2200.00")
    assert sum(report.totals.amounts) + report.totals.disputed == report.totals.total
    assert [row.code for row in sort_rows(report.rows, "disputed")] == ["BETA", "ALFA"]

    out = io.StringIO(newline="")
    write_aging_csv(report, out)
    assert out.getvalue().splitlines()[-1] == (
        ",TOTAL,PLN,1034.50,0.00,0.05,0.00,0.00,0.00,3234.55,0.00,3,2200.00")
    from windykacja.models.db import is_sqlite

    if is_sqlite():  # the command on the same file
        assert main(["--db", str(database.database), "report", "aging"]) == 0
        shown = capsys.readouterr().out
        assert "in dispute" in shown.splitlines()[2]
        assert "2,200.00 PLN is in open disputes: shown apart, not in the age columns." \
            in shown

    resolve_dispute(clock, partial, "a credit note for the pallet")
    rows = {row.code: row for row in aging_report(TODAY, "PLN").rows}
    assert rows["ALFA"].disputed == 0 and rows["ALFA"].amounts[0] == Decimal("1234.50")


def test_a_dispute_larger_than_what_is_left_takes_only_the_outstanding(collection, clock):
    from windykacja.ledger.answers import open_dispute

    small_ledger(collection)
    beta = collection_documents("BETA")[0]
    record_payment(clock, load_settings(), beta, TODAY, Decimal("1500.00"))
    open_dispute(clock, beta, "the rest was never delivered", Decimal("1800.00"))
    [row] = [r for r in aging_report(TODAY, "PLN").rows if r.code == "BETA"]
    assert row.disputed == row.total == Decimal("500.00")
    assert row.amounts[-1] == 0


def collection_documents(code: str):
    from windykacja.models import Contractor, Document

    return list(Document.select().join(Contractor).where(Contractor.code == code))
