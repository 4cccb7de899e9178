"""A whole pass against a real SQLite file, sending into a real Maildir."""

from __future__ import annotations

import datetime as dt
import mailbox
from decimal import Decimal
from email import message_from_string

import pytest
from pass_runner import run_one_pass

from windykacja.dunning.forecast import forecast
from windykacja.dunning.outbox import mark_sent_by_user
from windykacja.dunning.render import save_override
from windykacja.ledger.actions import record_payment, set_subject_to_collection
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import (
    CollectionEvent,
    Document,
    DocumentStep,
    EventKind,
    Message,
    MessageState,
    PassRun,
)

MONDAY = dt.date(2026, 11, 23)


@pytest.fixture
def outbox(tmp_path):
    return tmp_path / "outbox"


def run(clock, outbox, day=None):
    return run_one_pass(clock, outbox, day)


def delivered(outbox):
    return [message_from_string(m.as_string()) for m in mailbox.Maildir(outbox).itervalues()]


def test_one_email_per_contractor_and_kind_listing_every_document(collection, clock, outbox):
    anna = collection.contractor("ANNA", email="anna@example.pl")
    first = collection.document(anna, due=MONDAY + dt.timedelta(days=3), number="FV/1")
    second = collection.document(anna, due=MONDAY + dt.timedelta(days=1), number="FV/2")
    overdue = collection.document(anna, due=MONDAY - dt.timedelta(days=10), number="FV/3")

    result = run(clock, outbox)

    kinds = sorted(o.kind for o in result.outcomes)
    assert kinds == ["demand", "reminder"]
    reminder = next(o for o in result.outcomes if o.kind == "reminder")
    assert reminder.documents == ["FV/1", "FV/2"] and reminder.state == "sent"
    mails = delivered(outbox)
    assert len(mails) == 2
    assert all(m["To"] == "anna@example.pl" for m in mails)
    for doc in (first, second):
        assert Document.get_by_id(doc.id).reminder_sent_on == MONDAY
    stored = Document.get_by_id(overdue.id)
    assert (stored.demands_sent, stored.last_demand_on) == (1, MONDAY)
    reminders = CollectionEvent.select().where(CollectionEvent.kind == EventKind.REMINDER_SENT)
    assert reminders.count() == 2


def test_a_second_pass_the_same_day_sends_nothing_again(collection, clock, outbox):
    anna = collection.contractor()
    collection.document(anna, due=MONDAY + dt.timedelta(days=2))
    assert len(run(clock, outbox).outcomes) == 1
    assert run(clock, outbox).outcomes == []
    assert len(delivered(outbox)) == 1
    assert DocumentStep.select().count() == 1


def test_a_day_that_is_not_allowed_records_and_sends_nothing(collection, clock, outbox):
    anna = collection.contractor()
    collection.document(anna, due=dt.date(2026, 11, 30))
    result = run(clock, outbox, day=dt.date(2026, 11, 28))  # a Saturday
    assert result.skipped == "not an allowed day"
    assert Message.select().count() == 0 and PassRun.select().count() == 0


def test_documents_that_cannot_be_sent_are_not_planned(collection, clock, outbox):
    silent = collection.contractor(email="")
    small = collection.contractor()
    save_settings({"demand.min_amount": "200"}, "test", clock.now())
    collection.document(silent, due=MONDAY - dt.timedelta(days=10))
    collection.document(small, due=MONDAY - dt.timedelta(days=10), gross="199.99")
    collection.document(small, due=MONDAY - dt.timedelta(days=10), gross="200.00", number="OK")
    result = run(clock, outbox)
    assert [o.documents for o in result.outcomes] == [["OK"]]


def test_paying_after_a_message_ends_collection_and_reports_once(collection, clock, outbox):
    save_settings({"report.enabled": "yes", "report.email": "ksiegowa@przykladowa.pl"},
                  "test", clock.now())
    anna = collection.contractor()
    doc = collection.document(anna, due=MONDAY - dt.timedelta(days=8), gross="500.00")
    run(clock, outbox)
    record_payment(clock, load_settings(), doc, MONDAY, Decimal("500.00"), author="ewa")
    finished = CollectionEvent.get(CollectionEvent.kind == EventKind.COLLECTION_FINISHED)
    assert finished.text == "paid" and finished.needs_report

    result = run(clock, outbox, day=MONDAY + dt.timedelta(days=1))
    assert [o.kind for o in result.outcomes] == ["report"]
    reports = [m for m in delivered(outbox) if m["To"] == "ksiegowa@przykladowa.pl"]
    assert len(reports) == 1 and len(delivered(outbox)) == 2
    assert run(clock, outbox, day=MONDAY + dt.timedelta(days=2)).outcomes == []


def test_collection_ends_when_the_last_demand_has_run_its_course(collection, clock, outbox):
    save_settings({"demand.max_count": "1", "demand.repeat_every_days": "4"}, "test", clock.now())
    anna = collection.contractor()
    doc = collection.document(anna, due=MONDAY - dt.timedelta(days=8))
    run(clock, outbox)
    assert run(clock, outbox, day=MONDAY + dt.timedelta(days=3)).finished == []
    assert run(clock, outbox, day=MONDAY + dt.timedelta(days=4)).finished == [doc.number]
    stored = Document.get_by_id(doc.id)
    assert stored.collection_ended_on == MONDAY + dt.timedelta(days=4)
    assert stored.collection_end_reason == "max_demands"


def test_switching_the_flag_off_after_a_message_ends_collection(collection, clock, outbox):
    anna = collection.contractor()
    doc = collection.document(anna, due=MONDAY - dt.timedelta(days=8))
    run(clock, outbox)
    set_subject_to_collection(clock, load_settings(), [doc.id], False, author="ewa")
    events = [e.kind for e in CollectionEvent.select().order_by(CollectionEvent.id)]
    assert events[-2:] == [EventKind.FLAG_CHANGED, EventKind.COLLECTION_FINISHED]
    set_subject_to_collection(clock, load_settings(), [doc.id], True, author="ewa")
    assert Document.get_by_id(doc.id).collection_ended_on is None


def test_a_broken_template_fails_only_its_own_message(collection, clock, outbox):
    anna = collection.contractor(language="pl")
    bob = collection.contractor(language="en", email="bob@example.com")
    collection.document(anna, due=MONDAY - dt.timedelta(days=8), number="PL-1")
    collection.document(bob, due=MONDAY - dt.timedelta(days=8), number="EN-1")
    # valid at save time (the variable exists), fails at send time (no such attribute)
    save_override("demand", "pl", "subject", "{{ contractor.name.nope }}", "test", clock.now())
    run(clock, outbox)
    states = {m.contractor_id: (m.state, m.last_error) for m in Message.select()}
    assert states[bob.id][0] == MessageState.SENT
    assert states[anna.id][0] == MessageState.FAILED
    assert "template" in states[anna.id][1]
    assert len(delivered(outbox)) == 1


def test_a_message_left_sending_is_in_doubt_and_never_resent(collection, clock, outbox):
    anna = collection.contractor()
    doc = collection.document(anna, due=MONDAY - dt.timedelta(days=8))
    run(clock, outbox)
    message = Message.get()
    Message.update(state=MessageState.SENDING).execute()  # as if the sender died mid-send
    Document.update(demands_sent=0, last_demand_on=None).execute()

    result = run(clock, outbox, day=MONDAY + dt.timedelta(days=1))
    assert result.in_doubt == [message.id]
    assert Message.get_by_id(message.id).state == MessageState.IN_DOUBT
    assert result.outcomes == [] and len(delivered(outbox)) == 1

    mark_sent_by_user(clock, Message.get_by_id(message.id), "ewa")
    assert Document.get_by_id(doc.id).demands_sent == 1


def test_forecast_lists_the_coming_fortnight(collection, clock):
    anna = collection.contractor()
    collection.document(anna, due=dt.date(2026, 11, 26), number="FV/F")
    collection.document(anna, due=dt.date(2026, 11, 28), number="FV/G")
    items = [(i.day, i.document, i.kind, i.number) for i in forecast(load_settings(), MONDAY)]
    # FV/F due Thu 26th: reminder today, demand 1 on Thu 3 Dec. FV/G due Sat 28th:
    # reminder window opens Wed 25th; legal due date Mon 30th, so demand 1 on Mon
    # 7 Dec — the fifteenth day, outside the fortnight (23 Nov – 6 Dec).
    assert items == [
        (dt.date(2026, 11, 23), "FV/F", "reminder", 0),
        (dt.date(2026, 11, 25), "FV/G", "reminder", 0),
        (dt.date(2026, 12, 3), "FV/F", "demand", 1),
    ]


def test_a_waiting_message_is_re_planned_when_its_document_changed(collection, clock, outbox):
    """A pass that died after planning left messages behind; payments came in since."""
    from windykacja.dunning.passes import plan_day

    anna = collection.contractor()
    paid = collection.document(anna, due=MONDAY - dt.timedelta(days=8), number="PAID",
                               gross="300.00")
    bob = collection.contractor(email="bob@example.pl")
    part = collection.document(bob, due=MONDAY - dt.timedelta(days=8), number="PART",
                               gross="1000.00")
    left_behind = plan_day(clock, load_settings(), MONDAY)
    assert [m.state for m in left_behind] == ["planned", "planned"]
    settings = load_settings()
    record_payment(clock, settings, paid, MONDAY, Decimal("300.00"), author="ewa")
    record_payment(clock, settings, part, MONDAY, Decimal("400.00"), author="ewa")

    result = run(clock, outbox, day=MONDAY + dt.timedelta(days=1))

    assert [o.documents for o in result.outcomes] == [["PART"]]
    assert {m.id: m.state for m in Message.select()} == {
        left_behind[0].id: "cancelled", left_behind[1].id: "cancelled",
        result.outcomes[0].message_id: "sent"}
    (mail,) = delivered(outbox)
    body = mail.get_payload()[0].get_payload(decode=True).decode()
    assert "pozostało do zapłaty 600,00 PLN" in body
    assert "pozostało do zapłaty 1 000,00 PLN" not in body


def test_waiting_messages_are_checked_a_batch_at_a_time(collection, clock, outbox,
                                                        monkeypatch):
    """The waiting messages' documents are read a batch at a time (passes.STALE_BATCH):
    across batches of two, exactly the messages whose document changed are re-planned."""
    from windykacja.dunning import passes
    from windykacja.dunning.passes import plan_day

    monkeypatch.setattr(passes, "STALE_BATCH", 2)
    documents = [collection.document(collection.contractor(f"K{i}", email=f"k{i}@example.pl"),
                                     due=MONDAY - dt.timedelta(days=8), number=f"FV/{i}",
                                     gross="100.00") for i in range(5)]
    left_behind = plan_day(clock, load_settings(), MONDAY)
    settings = load_settings()
    for i in (1, 4):  # one in the first batch, the last one alone in the third
        record_payment(clock, settings, documents[i], MONDAY, Decimal("10.00"), author="ewa")
    set_subject_to_collection(clock, settings, [documents[2].id], False, author="ewa")

    run(clock, outbox, day=MONDAY + dt.timedelta(days=1))

    states = {m.id: m.state for m in Message.select()}
    assert [states[m.id] for m in left_behind] == [
        "sent", "cancelled", "cancelled", "sent", "cancelled"]


def test_a_foreign_currency_amount_is_compared_in_pln_after_rounding(collection, clock, outbox):
    """0.47 EUR × 4.2553 = 1.999991 PLN, which rounds to 2.00: equal to the minimum."""
    save_settings({"demand.min_amount": "2.00"}, "test", clock.now())
    anna = collection.contractor()
    collection.document(anna, due=MONDAY - dt.timedelta(days=10), gross="0.47",
                        currency="EUR", exchange_rate=Decimal("4.2553"), number="EUR-1")
    collection.document(anna, due=MONDAY - dt.timedelta(days=10), gross="0.46",
                        currency="EUR", exchange_rate=Decimal("4.2553"), number="EUR-2")
    assert [o.documents for o in run(clock, outbox).outcomes] == [["EUR-1"]]
