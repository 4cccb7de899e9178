"""Recovery cases: eligibility, recording a case, statuses, withdrawal and the agency's
payment, against a real SQLite file."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from windykacja.dunning.actions import record_payment
from windykacja.dunning.history import document_next_step
from windykacja.dunning.settings import load_settings
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
