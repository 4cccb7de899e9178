"""Recovery cases: eligibility, recording a case, statuses, withdrawal and the agency's
payment, against a real SQLite file."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from windykacja.dunning.history import document_next_step
from windykacja.ledger.actions import record_payment
from windykacja.ledger.settings import load_settings
from windykacja.models import (
    CaseDocument,
    CaseStatus,
    CollectionEvent,
    Document,
    EventKind,
    RecoveryCase,
)
from windykacja.recovery import cases
from windykacja.recovery.agencies import default_agency
from windykacja.recovery.commission import commission

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ledger(collection):
    """Two contractors with overdue documents, one not yet due, one paid."""
    alfa = collection.contractor(name="Alfa sp. z o.o.", nip="5260250274")
    beta = collection.contractor(name="Beta s.c.")
    docs = {
        "A1": collection.document(alfa, due=TODAY - dt.timedelta(days=40), number="A1",
                                  gross="1200.00"),
        "A2": collection.document(alfa, due=TODAY - dt.timedelta(days=10), number="A2",
                                  gross="300.00"),
        "A3": collection.document(alfa, due=TODAY + dt.timedelta(days=5), number="A3"),
        "B1": collection.document(beta, due=TODAY - dt.timedelta(days=90), number="B1"),
        "P1": collection.document(beta, due=TODAY - dt.timedelta(days=90), number="P1",
                                  gross="50.00"),
    }
    record_payment(collection.clock, load_settings(), docs["P1"], TODAY, Decimal("50.00"))
    return collection, alfa, beta, docs


def agreed_order(clock):
    agency = default_agency()
    cases.conclude_agreement(clock, agency.code, agency.terms_version,
                             person_name="Anna Nowicka", person_email="anna@firma.pl")
    return agency, cases.open_order(clock, agency.code, author="anna")


def hand_over(clock, contractor, documents, agency, order):
    debtor = cases.Debtor(contractor.name, contractor.nip or "", "ul. Długa 1", "a@x.pl", "")
    amount = cases.case_amount(documents)
    oldest = max(cases.days_overdue(d, TODAY) for d in documents)
    return cases.add_case(clock, load_settings(), order, contractor, debtor, documents,
                          commission(agency.commission, amount, oldest), author="anna")


def test_marked_documents_are_sorted_out_by_contractor_with_reasons(ledger):
    _, alfa, beta, docs = ledger
    selection = cases.sort_out([d.id for d in docs.values()], TODAY)
    assert {k: [d.number for d in v] for k, v in selection.by_contractor.items()} == {
        alfa.id: ["A1", "A2"], beta.id: ["B1"]}
    assert {(r.document.number, r.reason) for r in selection.refused} == {
        ("A3", "not_overdue"), ("P1", "paid")}


def test_no_order_before_the_agreement(ledger):
    collection, *_ = ledger
    with pytest.raises(cases.RecoveryError, match="agreement"):
        cases.open_order(collection.clock, default_agency().code)


def test_a_case_ends_automatic_collection_and_records_everything(ledger):
    collection, alfa, _, docs = ledger
    agency, order = agreed_order(collection.clock)
    case = hand_over(collection.clock, alfa, [docs["A1"], docs["A2"]], agency, order)
    assert case.status == CaseStatus.NOT_SENT
    assert case.total == Decimal("1500.00")
    assert json.loads(case.debtor)["nip"] == "5260250274"
    for number in ("A1", "A2"):
        document = Document.get(Document.number == number)
        assert document.recovery_case == case.id
        assert document.collection_end_reason == "recovery"
        kinds = {e.kind for e in CollectionEvent.select().where(
            CollectionEvent.document == document)}
        assert {EventKind.HANDED_TO_AGENCY, EventKind.COLLECTION_FINISHED} <= kinds
        outcome = document_next_step(load_settings(), document, TODAY)
        assert outcome.code == "in_recovery"
    refused = cases.sort_out([docs["A1"].id], TODAY).refused
    assert [r.reason for r in refused] == ["in_case"]
    with pytest.raises(cases.RecoveryError, match="A1"):
        hand_over(collection.clock, alfa, [docs["A1"]], agency, order)


def test_one_active_case_per_document_is_a_database_rule(ledger):
    from peewee import IntegrityError

    collection, alfa, _, docs = ledger
    agency, order = agreed_order(collection.clock)
    case = hand_over(collection.clock, alfa, [docs["A1"]], agency, order)
    with pytest.raises(IntegrityError):
        CaseDocument.create(case=case, document=docs["A1"], outstanding=Decimal("1"),
                            days_overdue=1)


def test_withdrawing_returns_the_documents_to_automatic_collection(ledger):
    collection, alfa, _, docs = ledger
    agency, order = agreed_order(collection.clock)
    case = hand_over(collection.clock, alfa, [docs["A1"]], agency, order)
    assert cases.set_status(collection.clock, case, CaseStatus.WITHDRAWN, source="user")
    document = Document.get_by_id(docs["A1"].id)
    assert document.recovery_case is None and document.collection_ended_on is None
    assert not CaseDocument.get(CaseDocument.document == document).active
    with pytest.raises(cases.RecoveryError, match="already withdrawn"):
        cases.set_status(collection.clock, case, CaseStatus.COURT, source="import")


def test_the_agency_payment_records_the_commission_and_closes_the_case(ledger):
    collection, alfa, _, docs = ledger
    agency, order = agreed_order(collection.clock)
    case = hand_over(collection.clock, alfa, [docs["A1"], docs["A2"]], agency, order)
    settings = load_settings()
    record_payment(collection.clock, settings, Document.get_by_id(docs["A1"].id), TODAY,
                   Decimal("1200.00"), method="agency")
    case = RecoveryCase.get_by_id(case.id)
    assert case.status == CaseStatus.PARTLY_RECOVERED
    assert case.commission_recorded == (Decimal("1200.00") * case.commission_rate / 100
                                        ).quantize(Decimal("0.01"))
    record_payment(collection.clock, settings, Document.get_by_id(docs["A2"].id), TODAY,
                   Decimal("300.00"), method="agency")
    case = RecoveryCase.get_by_id(case.id)
    assert case.status == CaseStatus.RECOVERED
    assert Document.get_by_id(docs["A2"].id).recovery_case is None
    statuses = [c.status for c in case.history.order_by(case.history.model.id)]
    assert statuses == ["not_sent", "partly_recovered", "recovered"]


def test_removing_an_agency_payment_reverses_its_commission_and_the_case_agrees(ledger):
    """Issue 12, point 4: the commission follows the payment. Removing the agency's
    payments one by one reverses each one's commission (a reversing entry: none is
    deleted), takes back the document a *recovered* had released, and the status goes
    back to partly recovered, then to what it was before any money came."""
    from windykacja.ledger.actions import remove_payment
    from windykacja.models import CaseCommission, Payment

    collection, alfa, _, docs = ledger
    agency, order = agreed_order(collection.clock)
    case = hand_over(collection.clock, alfa, [docs["A1"], docs["A2"]], agency, order)
    cases.set_status(collection.clock, case, CaseStatus.COURT, source="import")
    settings = load_settings()
    first = record_payment(collection.clock, settings, Document.get_by_id(docs["A1"].id),
                           TODAY, Decimal("1200.00"), method="agency")
    second = record_payment(collection.clock, settings, Document.get_by_id(docs["A2"].id),
                            TODAY, Decimal("300.00"), method="agency")
    case = RecoveryCase.get_by_id(case.id)
    assert case.status == CaseStatus.RECOVERED
    assert Document.get_by_id(docs["A2"].id).recovery_case is None
    rate = case.commission_rate

    def fee(amount):
        return (Decimal(amount) * rate / 100).quantize(Decimal("0.01"))

    assert case.commission_recorded == fee("1200.00") + fee("300.00")

    remove_payment(collection.clock, Payment.get_by_id(second.id))
    case = RecoveryCase.get_by_id(case.id)
    assert case.commission_recorded == fee("1200.00")
    assert case.status == CaseStatus.PARTLY_RECOVERED
    a2 = Document.get_by_id(docs["A2"].id)
    assert a2.outstanding == Decimal("300.00") and a2.recovery_case == case.id
    assert CaseDocument.get(CaseDocument.document == a2.id).active
    assert cases.sort_out([a2.id], TODAY).refused[0].reason == "in_case"

    remove_payment(collection.clock, Payment.get_by_id(first.id), author="ewa")
    case = RecoveryCase.get_by_id(case.id)
    assert CaseCommission.select().order_by(CaseCommission.id.desc()).first().author == "ewa"
    assert case.commission_recorded == 0
    assert case.status == CaseStatus.COURT  # what the agency said before the money
    entries = [(e.payment_id, e.amount) for e in
               CaseCommission.select().where(CaseCommission.case == case.id)
               .order_by(CaseCommission.id)]
    assert entries == [(first.id, fee("1200.00")), (second.id, fee("300.00")),
                       (second.id, -fee("300.00")), (first.id, -fee("1200.00"))]
    assert sum(amount for _, amount in entries) == case.commission_recorded
    statuses = [c.status for c in case.history.order_by(case.history.model.id)]
    assert statuses == ["not_sent", "court", "partly_recovered", "recovered",
                        "partly_recovered", "court"]


def test_removing_a_payment_keeps_a_status_the_agency_reported(ledger):
    """The agency said *recovered* before the money was recorded: removing the payment
    reverses its commission, and the agency's status stays."""
    from windykacja.ledger.actions import remove_payment
    from windykacja.models import Payment

    collection, alfa, _, docs = ledger
    agency, order = agreed_order(collection.clock)
    case = hand_over(collection.clock, alfa, [docs["A1"]], agency, order)
    cases.set_status(collection.clock, case, CaseStatus.RECOVERED, source="import")
    payment = record_payment(collection.clock, load_settings(),
                             Document.get_by_id(docs["A1"].id), TODAY, Decimal("1200.00"),
                             method="agency")
    assert RecoveryCase.get_by_id(case.id).commission_recorded > 0
    remove_payment(collection.clock, Payment.get_by_id(payment.id))
    case = RecoveryCase.get_by_id(case.id)
    assert case.commission_recorded == 0 and case.status == CaseStatus.RECOVERED


def test_the_package_is_agency_neutral_and_complete(ledger):
    collection, alfa, _, docs = ledger
    agency, order = agreed_order(collection.clock)
    case = hand_over(collection.clock, alfa, [docs["A1"]], agency, order)
    package = cases.case_package(case)
    assert package["debtor"]["name"] == "Alfa sp. z o.o."
    assert package["documents"][0]["number"] == "A1"
    assert package["documents"][0]["outstanding"] == "1200.00"
    assert any(h["kind"] == "handed_to_agency" for h in package["documents"][0]["history"])
    json.dumps(package)  # plain data only


def test_a_status_file_first_then_the_agency_payment_still_records_the_commission(ledger):
    """The done-means of issue 4: the agency reports *recovered*, then the bookkeeper
    records the money; the commission is still recorded against the case."""
    collection, alfa, _, docs = ledger
    agency, order = agreed_order(collection.clock)
    case = hand_over(collection.clock, alfa, [docs["A1"]], agency, order)
    cases.set_status(collection.clock, case, CaseStatus.RECOVERED, source="import")
    document = Document.get_by_id(docs["A1"].id)
    assert document.recovery_case is None
    record_payment(collection.clock, load_settings(), document, TODAY, Decimal("1200.00"),
                   method="agency")
    case = RecoveryCase.get_by_id(case.id)
    assert case.status == CaseStatus.RECOVERED
    assert case.commission_recorded > 0
    assert Document.get_by_id(document.id).outstanding == 0


def test_withdrawing_a_case_cancels_its_hand_over_still_in_the_outbox(ledger):
    from windykacja.models import Message, MessageState
    from windykacja.recovery.gateways import EmailGateway

    collection, alfa, _, docs = ledger
    agency, order = agreed_order(collection.clock)
    case = hand_over(collection.clock, alfa, [docs["A1"]], agency, order)
    gateway = EmailGateway(collection.clock, load_settings(), "zlecenia@agencja.example")
    gateway.submit(case, cases.case_package(case))  # planned; the next pass would send it
    message = Message.get(Message.kind == "agency")
    assert message.state == MessageState.PLANNED
    cases.set_status(collection.clock, case, CaseStatus.WITHDRAWN, source="user")
    assert Message.get_by_id(message.id).state == MessageState.CANCELLED
