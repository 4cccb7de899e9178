"""Importing documents: formats, the SPEC §3 flag rule, every refusal, all-or-nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from windykacja.importers.csv_common import ImportRejected, ImportSummary
from windykacja.importers.documents import import_documents
from windykacja.ledger.settings import CollectionSettings
from windykacja.models import CollectionEvent, Document, EventKind

OFF = CollectionSettings()
ON = CollectionSettings(module_enabled=True)
HEADER = "number;contractor_code;issue_date;due_date;currency;gross;exchange_rate\n"


def rejected(path, clock, settings=ON) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as exc:
        import_documents(path, clock, settings)
    return [(e.line, e.column, e.message) for e in exc.value.errors]


def doc(number: str) -> Document:
    return Document.get(Document.number == number)


def test_a_semicolon_file_with_polish_amounts_and_dates(db, clock, ledger, write_csv):
    path = write_csv(
        HEADER
        + "FV/10/2026;K1;02.11.2026;14.11.2026;PLN;1 234,56;\n"
        + "FV/11/2026;K1;2026-11-03;2026-11-17;eur;99,9;4,2954\n"
    )
    assert import_documents(path, clock, ON) == ImportSummary(rows=2, created=2, updated=0)
    pln = doc("FV/10/2026")
    assert (pln.contractor.code, pln.issue_date, pln.due_date) == (
        "K1", dt.date(2026, 11, 2), dt.date(2026, 11, 14)
    )
    assert (pln.currency, pln.gross, pln.outstanding, pln.exchange_rate) == (
        "PLN", Decimal("1234.56"), Decimal("1234.56"), None
    )
    # 14.11.2026 is a Saturday: the legal due date moves to Monday (Civil Code art. 115)
    assert pln.legal_due_date == dt.date(2026, 11, 16)
    eur = doc("FV/11/2026")
    assert (eur.currency, eur.gross, eur.exchange_rate) == ("EUR", Decimal("99.90"),
                                                            Decimal("4.2954"))


def test_a_comma_file_without_the_optional_columns_is_in_pln(db, clock, ledger, write_csv):
    path = write_csv("Number,Contractor_Code,Issue_Date,Due_Date,Gross\n"
                     'FV/20,K1,2026-11-20,2026-12-04,"1 000,00"\n')
    import_documents(path, clock, ON)
    assert (doc("FV/20").currency, doc("FV/20").gross) == ("PLN", Decimal("1000.00"))


def test_module_off_every_document_starts_excluded(db, clock, ledger, write_csv):
    path = write_csv(HEADER + "FV/30;K1;2026-11-20;2026-12-04;;100;\n"
                              "FV/31;K2;2026-11-20;2026-12-04;;100;\n")
    import_documents(path, clock, OFF)
    assert doc("FV/30").subject_to_collection is False
    assert doc("FV/31").subject_to_collection is False


def test_module_on_a_document_takes_its_contractors_flag(db, clock, ledger, write_csv):
    path = write_csv(HEADER + "FV/30;K1;2026-11-20;2026-12-04;;100;\n"
                              "FV/31;K2;2026-11-20;2026-12-04;;100;\n")
    import_documents(path, clock, ON)
    assert doc("FV/30").subject_to_collection is True  # K1 is under collection
    assert doc("FV/31").subject_to_collection is False  # K2 is excluded


def test_every_bad_value_is_reported_with_its_line_and_column(db, clock, ledger, write_csv):
    path = write_csv(
        HEADER
        + "FV/40;K1;2026-11-01;2026-11-15;;10,00;\n"  # 2: good
        + ";K1;2026-11-01;2026-11-15;;10,00;\n"  # 3: no number
        + "FV/40;K1;2026-11-01;2026-11-15;;10,00;\n"  # 4: duplicate in the file
        + "FV/1;K1;2026-11-01;2026-11-15;;10,00;\n"  # 5: already in the database
        + "FV/41;K99;2026-11-01;2026-11-15;;10,00;\n"  # 6: unknown contractor
        + "FV/42;;2026-11-01;2026-11-15;;10,00;\n"  # 7: no contractor
        + "FV/43;K1;31.02.2026;2026-11-15;;10,00;\n"  # 8: impossible issue date
        + "FV/44;K1;2026-11-15;14.11.2026;;10,00;\n"  # 9: due before issue
        + "FV/45;K1;2026-11-01;;;10,00;\n"  # 10: no due date
        + "FV/46;K1;2026-11-01;2026-11-15;ZŁ;10,00;\n"  # 11: bad currency
        + "FV/47;K1;2026-11-01;2026-11-15;;0,00;\n"  # 12: zero gross
        + "FV/48;K1;2026-11-01;2026-11-15;;-10;\n"  # 13: negative gross
        + "FV/49;K1;2026-11-01;2026-11-15;;dziesięć;\n"  # 14: not an amount
        + "FV/50;K1;2026-11-01;2026-11-15;;;\n"  # 15: no gross
        + "FV/51;K1;2026-11-01;2026-11-15;EUR;10;4,12345678\n"  # 16: 8 decimal places
        + "FV/52;K1;2026-11-01;2026-11-15;EUR;10;0\n"  # 17: zero rate
        + "FV/53;K1;2026-11-01;2026-11-15;PLN;10;1,0000\n"  # 18: a rate for PLN
        + "FV/54;K1;2026-11-01;2026-11-15;;10;4,30\n"  # 19: a rate for the default PLN
        + "FV/55;K99;1.1.26;2026-11-15;EURO;0;x\n"  # 20: everything at once
    )
    errors = rejected(path, clock)
    assert [(line, column) for line, column, _ in errors] == [
        (3, "number"), (4, "number"), (5, "number"), (6, "contractor_code"),
        (7, "contractor_code"), (8, "issue_date"), (9, "due_date"), (10, "due_date"),
        (11, "currency"), (12, "gross"), (13, "gross"), (14, "gross"), (15, "gross"),
        (16, "exchange_rate"), (17, "exchange_rate"), (18, "exchange_rate"),
        (19, "exchange_rate"),
        (20, "contractor_code"), (20, "issue_date"), (20, "currency"), (20, "gross"),
        (20, "exchange_rate"),
    ]
    messages = {(line, column): message for line, column, message in errors}
    assert messages[(3, "number")] == "a value is required"
    assert messages[(4, "number")] == "document number FV/40 appears twice in the file " \
                                      "(first on line 2)"
    assert messages[(5, "number")] == "document number FV/1 already exists"
    assert messages[(6, "contractor_code")] == (
        "no contractor with code K99 (import the contractors first)"
    )
    assert messages[(9, "due_date")] == (
        "due date 14.11.2026 is before the issue date 15.11.2026"
    )
    assert messages[(11, "currency")] == (
        "'ZŁ' is not a currency code (three letters, e.g. PLN, EUR)"
    )
    assert messages[(12, "gross")] == "'0,00' must be greater than zero"
    assert messages[(18, "exchange_rate")] == "a PLN document takes no exchange rate"
    assert Document.select().count() == 2  # the ledger's FV/1 and FV/2 only


def test_a_due_date_on_the_issue_date_is_fine(db, clock, ledger, write_csv):
    path = write_csv(HEADER + "FV/60;K1;23.11.2026;23.11.2026;;50;\n")
    assert import_documents(path, clock, ON).created == 1


def test_a_missing_required_column_is_named_on_line_1(db, clock, ledger, write_csv):
    path = write_csv("number;contractor_code;issue_date;due_date\nFV/70;K1;2026-11-01;2026-11-15\n")
    assert rejected(path, clock) == [(1, "gross", "required column is missing")]


def test_a_windows_1250_file(db, clock, ledger, write_csv):
    path = write_csv(HEADER + "FV/ŁÓDŹ/1;K1;2026-11-01;2026-11-15;;żółć;\n", encoding="cp1250")
    assert rejected(path, clock) == [
        (2, "gross", "'żółć' is not an amount (use 1234.56 or 1 234,56)")
    ]
    path = write_csv(HEADER + "FV/ŁÓDŹ/1;K1;2026-11-01;2026-11-15;;12;\n", encoding="cp1250",
                     name="ok.csv")
    import_documents(path, clock, ON)
    assert doc("FV/ŁÓDŹ/1").gross == Decimal("12.00")


def test_a_bad_last_row_after_many_good_ones_stores_nothing(
    db, clock, ledger, write_csv, db_state
):
    before = db_state()
    good = "".join(f"FV/{i}/2026;K1;2026-11-01;2026-11-15;;{i},50;\n" for i in range(100, 400))
    path = write_csv(HEADER + good + "FV/400/2026;K1;2026-11-01;2026-10-15;;1;\n")
    assert [(line, column) for line, column, _ in rejected(path, clock)] == [(302, "due_date")]
    assert db_state() == before
    assert Document.select().count() == 2


def test_each_document_says_which_file_and_line_it_came_from(
    db, clock, ledger, write_csv, author
):
    """The first event of each imported document's timeline names the file and the line
    as the importer's errors count lines (blank lines too), by the person importing."""
    path = write_csv(HEADER + "\nFV/80;K1;2026-11-01;2026-11-15;;10,00;\n\n"
                              "FV/81;K2;2026-11-01;2026-11-15;;20,00;\n", name="faktury.csv")
    import_documents(path, clock, ON)
    arrivals = {e.document.number: (e.text, e.author) for e in CollectionEvent.select().where(
        CollectionEvent.kind == EventKind.DOCUMENT_ARRIVED)}
    assert arrivals == {"FV/80": (f"file {path}, line 3", "ksiegowa"),
                        "FV/81": (f"file {path}, line 5", "ksiegowa")}
    first = CollectionEvent.select().where(CollectionEvent.document == doc("FV/80")).order_by(
        CollectionEvent.at, CollectionEvent.id).first()
    assert first.kind == EventKind.DOCUMENT_ARRIVED
    # the same lines as a refusal names them
    bad = write_csv(HEADER + "\nFV/82;K1;2026-11-01;2026-11-15;;10,00;\n\n"
                             "FV/83;K2;2026-11-01;2026-11-15;;x;\n", name="zle.csv")
    assert [line for line, _, _ in rejected(bad, clock)] == [5]


def test_the_origin_and_the_author_can_be_given(db, clock, ledger, write_csv):
    path = write_csv(HEADER + "FV/90;K1;2026-11-01;2026-11-15;;10,00;\n")
    import_documents(path, clock, ON, origin=lambda file: f"file faktury/{file.name}",
                     author="system")
    event = CollectionEvent.get(CollectionEvent.document == doc("FV/90"))
    assert (event.kind, event.text, event.author) == (
        EventKind.DOCUMENT_ARRIVED, "file faktury/import.csv, line 2", "system")
