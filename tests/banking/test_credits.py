"""Credits waiting for a person (banking/credits.py): the list, a credit's candidates,
confirming and ignoring, on a real database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from importers.mt940_files import Transfer, mt940

from windykacja.banking.credits import (
    StatementError,
    allocate,
    confirm_line,
    find_open_document,
    ignore_line,
    line_detail,
)
from windykacja.dunning.facts import newest_statement_date
from windykacja.importers.statements import import_statement
from windykacja.ledger.actions import create_contractor, create_document, remove_payment
from windykacja.ledger.settings import CollectionSettings
from windykacja.lists.credits import pending_counts, pending_source
from windykacja.models import (
    ContractorAccount,
    Document,
    LineStatus,
    Payment,
    StatementLine,
    StatementPayment,
)

ON = CollectionSettings(module_enabled=True)
ACCOUNT = "PL36124060296899038375064155"
DAY = dt.date(2026, 3, 16)


@pytest.fixture
def waiting(db, clock, monkeypatch, tmp_path):
    """Two invoices of one contractor; a credit more than one of them (unsure), one with
    nothing to go by (unmatched) and one that pays an invoice for sure."""
    monkeypatch.setenv("WINDYKACJA_USER", "ksiegowa")
    meblex = create_contractor(clock, code="MX", name="Meblex-Pol", emails="m@m.pl")
    docs = {number: create_document(clock, ON, meblex, number, DAY, due, Decimal(gross))
            for number, due, gross in [("FV/2026/01/115", dt.date(2026, 1, 26), "5000.00"),
                                       ("FV/2026/01/118", dt.date(2026, 1, 28), "3118.00"),
                                       ("FV/2026/02/001", dt.date(2026, 2, 20), "800.00")]}
    path = tmp_path / "s.sta"
    path.write_bytes(mt940([
        Transfer(Decimal("8118.00"), "ZAPŁATA FV 2026/01/115", "MEBLEX-POL", ACCOUNT),
        Transfer(Decimal("700.00"), "PRZELEW", "ANONIM"),
        Transfer(Decimal("100.00"), "FV/2026/02/001", "MEBLEX-POL"),
    ]))
    import_statement(path, clock, ON)
    lines = {x.amount: x for x in StatementLine.select()}
    return docs, lines


def test_the_list_holds_unsure_credits_then_unmatched_ones(waiting):
    source = pending_source().load()
    assert [(row.amount, row.status) for row in (source.row(0), source.row(1))] == [
        (Decimal("8118.00"), "unsure"), (Decimal("700.00"), "unmatched")]
    assert source.count == 2
    assert pending_counts() == {"unsure": 1, "unmatched": 1}
    assert newest_statement_date() == DAY


def test_an_unsure_credit_offers_its_candidates_an_unmatched_one_equal_amounts(waiting):
    docs, lines = waiting
    detail = line_detail(lines[Decimal("8118.00")].id)
    assert [c.number for c in detail.candidates] == ["FV/2026/01/115"]
    assert detail.payer_account == ACCOUNT and detail.reason == "more_than_outstanding"
    unmatched = line_detail(lines[Decimal("700.00")].id)
    assert [c.number for c in unmatched.candidates] == ["FV/2026/02/001"]


def test_confirming_pays_the_documents_in_order_and_learns_the_account(waiting, clock):
    docs, lines = waiting
    line = lines[Decimal("8118.00")]
    done = confirm_line(clock, ON, line.id, [docs["FV/2026/01/115"].id,
                                             docs["FV/2026/01/118"].id], "anna")
    assert done.allocations == (("FV/2026/01/115", Decimal("5000.00")),
                                ("FV/2026/01/118", Decimal("3118.00")))
    assert done.left_over == Decimal("0.00")
    paid = [(p.document.number, p.amount, p.paid_on, p.reference, p.author)
            for p in Payment.select().where(Payment.document.in_(
                [docs["FV/2026/01/115"].id, docs["FV/2026/01/118"].id]))]
    assert paid == [("FV/2026/01/115", Decimal("5000.00"), DAY, line.bank_reference, "anna"),
                    ("FV/2026/01/118", Decimal("3118.00"), DAY, line.bank_reference, "anna")]
    line = StatementLine.get_by_id(line.id)
    assert (line.status, line.decided_by) == (LineStatus.CONFIRMED, "anna")
    assert [a.account for a in ContractorAccount.select()] == [ACCOUNT]
    with pytest.raises(StatementError, match="already confirmed by anna"):
        confirm_line(clock, ON, line.id, [docs["FV/2026/02/001"].id], "jan")


def test_what_the_documents_cannot_take_is_left_over_not_recorded(waiting, clock):
    docs, lines = waiting
    done = confirm_line(clock, ON, lines[Decimal("8118.00")].id,
                        [docs["FV/2026/01/115"].id], "anna")
    assert done.left_over == Decimal("3118.00")
    assert Document.get_by_id(docs["FV/2026/01/115"].id).outstanding == Decimal("0.00")


def test_ignoring_takes_the_credit_off_the_list_and_records_nothing(waiting, clock):
    _, lines = waiting
    before = Payment.select().count()
    ignore_line(clock, lines[Decimal("700.00")].id, "anna")
    assert pending_counts() == {"unsure": 1}
    assert Payment.select().count() == before
    with pytest.raises(StatementError, match="already ignored"):
        ignore_line(clock, lines[Decimal("700.00")].id, "jan")


def test_a_confirmation_in_another_currency_or_of_paid_documents_is_refused(waiting, clock):
    docs, lines = waiting
    euro = create_document(clock, ON, docs["FV/2026/01/115"].contractor, "FV/E/1", DAY, DAY,
                           Decimal("10.00"), currency="EUR")
    with pytest.raises(StatementError, match="FV/E/1 is in EUR"):
        confirm_line(clock, ON, lines[Decimal("700.00")].id, [euro.id], "anna")
    with pytest.raises(StatementError, match="choose at least one"):
        confirm_line(clock, ON, lines[Decimal("700.00")].id, [], "anna")
    sure = StatementLine.get(StatementLine.status == LineStatus.SURE)
    assert sure.amount == Decimal("100.00")
    paid_in_full = docs["FV/2026/02/001"]
    confirm_line(clock, ON, lines[Decimal("700.00")].id, [paid_in_full.id], "anna")
    with pytest.raises(StatementError, match="paid already"):
        confirm_line(clock, ON, lines[Decimal("8118.00")].id, [paid_in_full.id], "anna")
    assert StatementLine.get_by_id(lines[Decimal("8118.00")].id).status == LineStatus.UNSURE


def test_a_document_is_found_by_its_number_however_typed(waiting):
    docs, _ = waiting
    assert find_open_document("FV/2026/01/118", "PLN").id == docs["FV/2026/01/118"].id
    assert find_open_document("fv 2026-01-118", "PLN").id == docs["FV/2026/01/118"].id
    assert find_open_document("FV/2026/01/118", "EUR") is None
    assert find_open_document("  ", "PLN") is None


def test_a_payment_removed_by_hand_leaves_the_link_without_it(waiting, clock):
    link = StatementPayment.get()
    remove_payment(clock, Payment.get_by_id(link.payment_id), author="anna")
    link = StatementPayment.get_by_id(link.id)
    assert link.payment_id is None and link.amount == Decimal("100.00")


def test_allocation_spreads_the_amount_in_order():
    owed = [(1, Decimal("50.00")), (2, Decimal("80.00")), (3, Decimal("10.00"))]
    assert allocate(Decimal("100.00"), owed) == (
        [(1, Decimal("50.00")), (2, Decimal("50.00"))], Decimal("0.00"))
    assert allocate(Decimal("200.00"), owed)[1] == Decimal("60.00")
