"""The demo database: believable, valid, deterministic, and something to collect on."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from stdnum.pl import nip as stdnum_nip

from windykacja.demo import build_demo, nip_check_digit, random_nip
from windykacja.ledger.actions import create_contractor
from windykacja.ledger.clock import FixedClock
from windykacja.ledger.settings import load_settings
from windykacja.ledger.validation import validate_email
from windykacja.models import (
    CollectionEvent,
    Contractor,
    Document,
    DocumentStep,
    Message,
    MessageState,
    Payment,
)
from windykacja.models.db import open_database

NUMBER = re.compile(r"^FV/\d{4}/\d{2}/\d{4,}$")


@pytest.fixture
def demo(db, clock):
    return build_demo(clock, contractors=60, documents=600, seed=3)


def test_nip_checksum_matches_stdnum():
    assert nip_check_digit("123456321") == 8  # 1234563218
    assert nip_check_digit("525224848") == 1  # 5252248481
    import random

    rng = random.Random(1)
    assert all(stdnum_nip.is_valid(random_nip(rng)) for _ in range(500))


def test_counts_and_summary(demo, clock):
    assert demo.contractors == Contractor.select().count() == 60
    assert demo.documents == Document.select().count() == 600
    assert demo.payments == Payment.select().count() > 300
    unpaid = Document.select().where(Document.outstanding > 0)
    assert demo.unpaid == unpaid.count() > 0
    overdue = unpaid.where(Document.legal_due_date < clock.today()).count()
    assert demo.overdue == overdue > 0
    assert demo.messages_sent == Message.select().where(Message.state == MessageState.SENT).count()
    assert demo.last_pass is not None and demo.last_pass < clock.today()


def test_contractors_are_valid_and_varied(demo):
    contractors = list(Contractor.select())
    nips = [c.nip for c in contractors if c.nip]
    assert len(nips) >= len(contractors) * 0.7
    assert all(stdnum_nip.is_valid(n) for n in nips)
    for contractor in contractors:
        for address in contractor.email_list:
            validate_email(address)
    assert any(len(c.email_list) == 2 for c in contractors)
    assert any(c.language == "en" for c in contractors)
    names = " ".join(c.name for c in contractors)
    assert "sp. z o.o." in names
    assert re.search(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]", names)
    assert all(re.search(r"\d{2}-\d{3} ", c.address) for c in contractors if c.language == "pl")
    assert len({c.name for c in contractors}) == len(contractors)


def test_documents_look_like_invoices(demo, clock):
    documents = list(Document.select())
    today = clock.today()
    assert all(NUMBER.match(d.number) for d in documents)
    assert all(today - dt.timedelta(days=190) <= d.issue_date < today for d in documents)
    assert {(d.due_date - d.issue_date).days for d in documents} <= {7, 14, 21, 30}
    assert all(Decimal("50.00") <= d.gross <= Decimal("60000.00") for d in documents)
    euro = [d for d in documents if d.currency == "EUR"]
    assert euro and all(d.exchange_rate is not None and d.exchange_rate > 4 for d in euro)
    assert all(d.exchange_rate is None for d in documents if d.currency == "PLN")
    # SPEC §3: every document created while the module was on took its contractor's flag
    assert all(d.subject_to_collection == d.contractor.subject_to_collection for d in documents)


def test_payments_settle_exactly(demo, clock):
    for document in Document.select():
        paid = sum((p.amount for p in document.payments), Decimal("0.00"))
        assert document.outstanding == document.gross - paid
        assert all(document.issue_date <= p.paid_on < clock.today() for p in document.payments)
    partly = Document.select().where(
        (Document.outstanding > 0) & (Document.outstanding < Document.gross)
    )
    assert partly.count() > 0
    late = (
        Payment.select().join(Document)
        .where(Payment.paid_on > Document.legal_due_date).count()
    )
    assert late > 0


def test_the_past_has_collection_history(demo):
    kinds = {e.kind for e in CollectionEvent.select()}
    assert {"reminder_sent", "demand_sent", "payment_recorded", "collection_finished"} <= kinds
    demands = {s.number for s in DocumentStep.select().where(DocumentStep.kind == "demand")}
    assert demands >= {1, 2}
    assert all(m.raw for m in Message.select().where(Message.state == MessageState.SENT))
    settings = load_settings()
    assert settings.module_enabled and settings.report_enabled
    assert settings.company_nip and stdnum_nip.is_valid(settings.company_nip)
    assert settings.smtp_url == ""


def test_refuses_a_database_that_is_not_empty(db, clock):
    create_contractor(clock, code="X1", name="Istniejący Kontrahent sp. z o.o.")
    with pytest.raises(ValueError, match="empty"):
        build_demo(clock, contractors=5, documents=10)
    assert Document.select().count() == 0


def test_a_second_demo_is_refused(demo, clock):
    with pytest.raises(ValueError):
        build_demo(clock, contractors=5, documents=10)


def _snapshot():
    contractors = [
        (c.code, c.name, c.nip, c.address, c.emails, c.phone, c.language,
         c.subject_to_collection)
        for c in Contractor.select().order_by(Contractor.code)
    ]
    documents = [
        (d.number, d.contractor.code, d.issue_date, d.due_date, d.currency, d.gross,
         d.exchange_rate, d.outstanding, d.demands_sent, d.reminder_sent_on)
        for d in Document.select().order_by(Document.number)
    ]
    payments = [
        (p.document.number, p.paid_on, p.amount, p.method, p.reference)
        for p in Payment.select().order_by(Payment.id)
    ]
    return contractors, documents, payments


def test_same_seed_same_data(db_location, clock):
    snapshots = []
    for name in ("one.db", "two.db", "other.db"):
        database = open_database(db_location(name))
        build_demo(clock, contractors=30, documents=200, seed=11 if name != "other.db" else 12)
        snapshots.append(_snapshot())
        database.close()
    assert snapshots[0] == snapshots[1]
    assert snapshots[0] != snapshots[2]


def test_run_once_has_reminders_and_demands(demo, clock):
    from windykacja.dunning.passes import plan_day

    messages = plan_day(clock, load_settings(), clock.today())
    assert all(m.state == MessageState.PLANNED for m in messages), [m.last_error for m in messages]
    kinds = {m.kind for m in messages}
    assert {"reminder", "demand"} <= kinds
    numbers = {
        s.number for s in DocumentStep.select().where(
            DocumentStep.message.in_([m.id for m in messages]) & (DocumentStep.kind == "demand")
        )
    }
    assert 1 in numbers and len(numbers) >= 2


def test_default_size_is_quick_and_has_the_promised_mix(db):
    import time

    started = time.perf_counter()
    summary = build_demo(FixedClock(dt.date(2026, 11, 23)))
    elapsed = time.perf_counter() - started
    assert elapsed < 30  # about 5 s on a 2-core machine; generous for a loaded CI
    assert (summary.contractors, summary.documents) == (200, 2000)
    contractors = list(Contractor.select())
    english = sum(c.language == "en" for c in contractors)
    assert 10 <= english <= 35  # about a tenth
    assert 1 <= sum(not c.subject_to_collection for c in contractors) <= 25  # about 5 %
    assert 1 <= sum(not c.emails for c in contractors) <= 15  # about 3 %
    euro = Document.select().where(Document.currency == "EUR").count()
    assert 20 <= euro <= 120  # about 3 %
    assert 100 <= summary.overdue <= 600
    assert summary.payments > 1200
