"""Importing payments: settling documents, ending collection, refusing overpayment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from windykacja.importers.csv_common import ImportRejected, ImportSummary
from windykacja.importers.payments import import_payments
from windykacja.ledger.actions import create_document
from windykacja.ledger.settings import CollectionSettings
from windykacja.models import CollectionEvent, Document, EventKind, Payment

ON = CollectionSettings(module_enabled=True)
HEADER = "document_number;date;amount;method;reference\n"

pytestmark = pytest.mark.usefixtures("author")


def rejected(path, clock) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as exc:
        import_payments(path, clock, ON)
    return [(e.line, e.column, e.message) for e in exc.value.errors]


def doc(number: str) -> Document:
    return Document.get(Document.number == number)


def events(number: str) -> list[str]:
    query = CollectionEvent.select().where(CollectionEvent.document == doc(number))
    return [e.kind for e in query.order_by(CollectionEvent.id)]


def test_a_partial_payment_with_polish_formats(db, clock, ledger, write_csv):
    path = write_csv(HEADER + "FV/1;20.11.2026;  400,25 ;;przelew 17/11\n")
    assert import_payments(path, clock, ON) == ImportSummary(rows=1, created=1, updated=0)
    payment = Payment.get()
    assert (payment.document.number, payment.paid_on, payment.amount, payment.method,
            payment.reference, payment.author) == (
        "FV/1", dt.date(2026, 11, 20), Decimal("400.25"), "transfer", "przelew 17/11", "ksiegowa"
    )
    assert doc("FV/1").outstanding == Decimal("599.75")
    assert events("FV/1") == [EventKind.PAYMENT_RECORDED]
    assert doc("FV/1").collection_ended_on is None


def test_payments_that_settle_a_reminded_document_end_its_collection(
    db, clock, ledger, write_csv
):
    fv1 = doc("FV/1")
    fv1.reminder_sent_on = dt.date(2026, 11, 13)
    fv1.save()
    path = write_csv(
        "document_number,date,amount,method\n"
        "FV/1,2026-11-20,\"600,00\",CASH\n"
        "FV/2,2026-11-21,250.50,offset\n"  # paid in full, but no message went out
        "FV/1,21.11.2026,400,agency\n"
    )
    assert import_payments(path, clock, ON).created == 3
    settled = doc("FV/1")
    assert settled.outstanding == Decimal("0.00")
    assert (settled.collection_ended_on, settled.collection_end_reason) == (clock.today(), "paid")
    assert events("FV/1") == [
        EventKind.PAYMENT_RECORDED, EventKind.PAYMENT_RECORDED, EventKind.COLLECTION_FINISHED
    ]
    assert [p.method for p in Payment.select().order_by(Payment.id)] == [
        "cash", "offset", "agency"
    ]
    quiet = doc("FV/2")
    assert (quiet.outstanding, quiet.collection_ended_on) == (Decimal("0.00"), None)
    assert events("FV/2") == [EventKind.PAYMENT_RECORDED]


def test_every_bad_value_is_reported_with_its_line_and_column(db, clock, ledger, write_csv):
    path = write_csv(
        HEADER
        + "FV/1;2026-11-20;100;;\n"  # 2: good
        + "FV/99;2026-11-20;100;;\n"  # 3: unknown document
        + ";2026-11-20;100;;\n"  # 4: no document
        + "FV/1;20-11-2026;100;;\n"  # 5: bad date
        + "FV/1;;100;;\n"  # 6: no date
        + "FV/1;2026-11-20;0;;\n"  # 7: zero
        + "FV/1;2026-11-20;-5,00;;\n"  # 8: negative
        + "FV/1;2026-11-20;sto;;\n"  # 9: not an amount
        + "FV/1;2026-11-20;10;czek;\n"  # 10: unknown method
        + "FV/2;2026-11-20;250,51;;\n"  # 11: one grosz over the outstanding amount
    )
    errors = rejected(path, clock)
    assert [(line, column) for line, column, _ in errors] == [
        (3, "document_number"), (4, "document_number"), (5, "date"), (6, "date"),
        (7, "amount"), (8, "amount"), (9, "amount"), (10, "method"), (11, "amount"),
    ]
    messages = {(line, column): message for line, column, message in errors}
    assert messages[(3, "document_number")] == "no document with number FV/99"
    assert messages[(10, "method")] == (
        "'czek' is not one of: transfer, cash, agency, offset, correction"
    )
    assert messages[(11, "amount")] == (
        "250,51 PLN is more than the outstanding amount of document FV/2: 250,50 PLN "
        "(overpayments are refused)"
    )
    assert Payment.select().count() == 0
    assert doc("FV/2").outstanding == Decimal("250.50")


def test_the_payments_of_one_file_may_not_add_up_to_more_than_is_owed(
    db, clock, ledger, write_csv
):
    path = write_csv(
        HEADER
        + "FV/1;2026-11-18;600,00;;\n"
        + "FV/2;2026-11-18;250,50;;\n"  # exactly the outstanding amount: fine
        + "FV/1;2026-11-19;300,00;;\n"  # 900 of 1000: fine
        + "FV/1;2026-11-20;100,01;;\n"  # one grosz too many
        + "FV/1;2026-11-21;100,00;;\n"  # exactly what is left: fine
    )
    assert rejected(path, clock) == [(
        5, "amount",
        "100,01 PLN is more than document FV/1 still owes after the earlier lines of this "
        "file: 100,00 PLN of the outstanding 1 000,00 PLN (overpayments are refused)",
    )]


def test_a_document_paid_in_full_takes_no_more_payments(db, clock, ledger, write_csv):
    path = write_csv(HEADER + "FV/2;2026-11-18;250,50;;\n", name="first.csv")
    import_payments(path, clock, ON)
    again = write_csv(HEADER + "FV/2;2026-11-19;0,01;;\n", name="again.csv")
    assert rejected(again, clock) == [
        (2, "amount", "document FV/2 is already paid in full (overpayments are refused)")
    ]


def test_amounts_are_in_the_documents_currency(db, clock, ledger, write_csv):
    create_document(clock, ON, ledger["K1"], "FV/EUR", dt.date(2026, 11, 2),
                    dt.date(2026, 11, 16), Decimal("1500.00"), "EUR", Decimal("4.25"))
    path = write_csv("document_number;date;amount\nFV/EUR;2026-11-20;1 500,01\n")
    assert rejected(path, clock) == [(
        2, "amount",
        "1 500,01 EUR is more than the outstanding amount of document FV/EUR: 1 500,00 EUR "
        "(overpayments are refused)",
    )]


def test_a_missing_required_column_is_named_on_line_1(db, clock, ledger, write_csv):
    path = write_csv("document;date;amount\nFV/1;2026-11-20;10\n")
    assert [(line, column) for line, column, _ in rejected(path, clock)] == [
        (1, "document"), (1, "document_number")
    ]


def test_a_bad_last_row_after_many_good_ones_stores_nothing(
    db, clock, ledger, write_csv, db_state
):
    fv1 = doc("FV/1")
    fv1.reminder_sent_on = dt.date(2026, 11, 13)
    fv1.save()
    before = db_state()
    good = "FV/1;2026-11-20;10,00;;\n" * 100  # settles FV/1 exactly: collection would end
    path = write_csv(HEADER + good + "FV/2;2026-11-20;10,00;przelew;\n")
    assert [(line, column) for line, column, _ in rejected(path, clock)] == [(102, "method")]
    assert db_state() == before
    assert (doc("FV/1").outstanding, doc("FV/1").collection_ended_on) == (Decimal("1000.00"), None)
    assert Payment.select().count() == 0
    assert CollectionEvent.select().count() == 0
