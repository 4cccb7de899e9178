"""Promises, disputes and decisions about replies (issue 15) on a real database: what
each records, what it refuses (naming the field), and how the policy then reads the
document."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from windykacja.dunning.history import document_next_step
from windykacja.dunning.wording import describe_next
from windykacja.i18n import set_language
from windykacja.ledger.actions import record_payment
from windykacja.ledger.answers import (
    AnswerRefused,
    assign_reply,
    decide_reply,
    make_promise,
    open_dispute,
    resolve_dispute,
    settle_promises,
    withdraw_promise,
)
from windykacja.ledger.event_words import event_text
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import (
    CollectionEvent,
    Decision,
    Document,
    EventKind,
    InboxMessage,
    InboxState,
    Promise,
    PromiseState,
)
from windykacja.recovery.cases import refusal_reason

MONDAY = dt.date(2026, 11, 23)


@pytest.fixture
def debtor(collection):
    contractor = collection.contractor("C1", email="biuro@example.pl")
    first = collection.document(contractor, due=MONDAY - dt.timedelta(days=10),
                                gross="1000.00", number="FV/1")
    second = collection.document(contractor, due=MONDAY - dt.timedelta(days=3),
                                 gross="500.00", number="FV/2")
    return contractor, first, second


def events(kind):
    return [(e.document_id, e.text) for e in CollectionEvent.select()
            .where(CollectionEvent.kind == kind).order_by(CollectionEvent.id)]


def next_words(document, clock, language="en"):
    return describe_next(document_next_step(load_settings(), Document.get_by_id(document.id),
                                            clock.today()), language)


def test_a_promise_waits_until_its_date_plus_grace_then_breaks(debtor, clock):
    _, first, second = debtor
    promise = make_promise(clock, load_settings(), [first, second], Decimal("1500.00"),
                           dt.date(2026, 11, 30), author="anna", note="tel. od p. Nowaka")
    assert (promise.wait_until, promise.outstanding_at_start) == (
        dt.date(2026, 12, 3), Decimal("1500.00"))
    assert next_words(first, clock) == "promised to pay; waits until 03.12.2026"
    made = events(EventKind.PROMISE_MADE)
    assert [document for document, _ in made] == [first.id, second.id]
    assert event_text(EventKind.PROMISE_MADE, made[0][1], "pl") == (
        "obietnica 1: 1 500,00 PLN do 30.11.2026, windykacja czeka do 03.12.2026"
        " — tel. od p. Nowaka")

    clock.day = dt.date(2026, 12, 3)
    assert settle_promises(clock) == []
    clock.day = dt.date(2026, 12, 5)  # the worker looked two days late
    assert [p.id for p in settle_promises(clock)] == [promise.id]
    promise = Promise.get_by_id(promise.id)
    assert (promise.state, promise.settled_on) == (PromiseState.BROKEN, dt.date(2026, 12, 4))
    assert event_text(EventKind.PROMISE_BROKEN, events(EventKind.PROMISE_BROKEN)[0][1],
                      "en") == "promise 1: 1,500.00 PLN by 30.11.2026"
    # Collection resumes at once with the next step (demand 1 on the next allowed day).
    assert next_words(first, clock) == "demand 1 on 07.12.2026"


def test_a_payment_covering_the_promise_keeps_it(debtor, clock):
    _, first, second = debtor
    make_promise(clock, load_settings(), [first, second], Decimal("600.00"),
                 dt.date(2026, 11, 30), author="anna")
    record_payment(clock, load_settings(), first, MONDAY, Decimal("599.99"))
    assert settle_promises(clock) == []
    record_payment(clock, load_settings(), second, MONDAY, Decimal("0.01"))
    [kept] = settle_promises(clock)
    assert (kept.state, kept.settled_on) == (PromiseState.KEPT, MONDAY)
    assert len(events(EventKind.PROMISE_KEPT)) == 2


@pytest.mark.parametrize("amount, pay_by, message", [
    ("0.00", "2026-11-30", "amount: must be more than zero"),
    ("1000.01", "2026-11-30", "amount: 1,000.01 PLN is more than the outstanding 1,000.00 PLN"),
    ("100.00", "2026-11-22", "date: a promise to pay cannot be for a day already past"),
])
def test_a_promise_that_cannot_be_is_refused_naming_the_field(debtor, clock, amount, pay_by,
                                                              message):
    _, first, _ = debtor
    with pytest.raises(AnswerRefused, match=message):
        make_promise(clock, load_settings(), [first], Decimal(amount),
                     dt.date.fromisoformat(pay_by))
    assert Promise.select().count() == 0 and not events(EventKind.PROMISE_MADE)


def test_a_promise_of_two_contractors_documents_is_refused(debtor, collection, clock):
    other = collection.contractor("C9", email="x@example.pl")
    foreign = collection.document(other, due=MONDAY, number="FV/9")
    with pytest.raises(AnswerRefused, match="one contractor"):
        make_promise(clock, load_settings(), [debtor[1], foreign], Decimal("1.00"), MONDAY)


def test_a_new_promise_replaces_the_open_one_and_grace_comes_from_the_settings(debtor, clock):
    _, first, _ = debtor
    save_settings({"promise.grace_days": "0"}, "test", clock.now())
    old = make_promise(clock, load_settings(), [first], Decimal("100.00"), MONDAY)
    new = make_promise(clock, load_settings(), [first], Decimal("200.00"),
                       dt.date(2026, 11, 27))
    assert new.wait_until == dt.date(2026, 11, 27)
    assert Promise.get_by_id(old.id).state == PromiseState.WITHDRAWN
    [(_, text)] = events(EventKind.PROMISE_WITHDRAWN)
    assert event_text(EventKind.PROMISE_WITHDRAWN, text, "pl") == (
        f"obietnicę {old.id} zastąpiła obietnica {new.id}")
    withdraw_promise(clock, new, author="anna", note="pomyłka")
    assert next_words(first, clock) == "demand 1 on 23.11.2026"


def test_a_dispute_stops_collection_and_the_agency_until_resolved(debtor, clock):
    _, first, second = debtor
    dispute = open_dispute(clock, first, "  towar   uszkodzony ", Decimal("200.00"),
                           author="anna")
    set_language("pl")
    assert next_words(first, clock, "pl") == "sporny od 23.11.2026"
    assert refusal_reason(Document.get_by_id(first.id), clock.today()) == "disputed"
    assert refusal_reason(Document.get_by_id(second.id), clock.today()) is None
    [(_, text)] = events(EventKind.DISPUTE_OPENED)
    assert event_text(EventKind.DISPUTE_OPENED, text, "pl") == (
        "spór 1: 200,00 PLN — towar uszkodzony")
    with pytest.raises(AnswerRefused):
        open_dispute(clock, first, "jeszcze raz")
    with pytest.raises(AnswerRefused, match="rozstrzygnięcie: napisz, czego dotyczy"):
        resolve_dispute(clock, dispute, "   ")
    resolve_dispute(clock, dispute, "wymieniono towar", author="anna")
    assert refusal_reason(Document.get_by_id(first.id), clock.today()) is None
    assert next_words(first, clock) == "demand 1 on 23.11.2026"


def test_a_dispute_needs_a_reason_and_a_sensible_amount(debtor, clock):
    _, first, _ = debtor
    with pytest.raises(AnswerRefused, match="reason"):
        open_dispute(clock, first, "")
    with pytest.raises(AnswerRefused, match="amount"):
        open_dispute(clock, first, "za dużo", Decimal("1000.01"))


def reply(clock, contractor=None, state=InboxState.WAITING):
    return InboxMessage.create(source="test", key=f"k{InboxMessage.select().count()}",
                               kind="reply", state=state, from_address="biuro@example.pl",
                               subject="Re: wezwanie", received_at=clock.now(),
                               day=clock.today(), contractor=contractor)


def test_an_unmatched_reply_assigned_to_a_contractor_pauses_its_documents(debtor, clock):
    contractor, first, second = debtor
    message = reply(clock)
    assert assign_reply(clock, message, contractor, author="anna") == 2
    assert next_words(first, clock) == "reply waiting since 23.11.2026"
    assert [d for d, _ in events(EventKind.REPLY_RECEIVED)] == [first.id, second.id]
    with pytest.raises(AnswerRefused):
        assign_reply(clock, message, contractor)
    decide_reply(clock, message, Decision.RESUME, author="anna", note="zapłacą w piątek")
    assert next_words(first, clock) == "demand 1 on 23.11.2026"
    [(_, text), _] = events(EventKind.REPLY_DECIDED)
    assert event_text(EventKind.REPLY_DECIDED, text, "pl") == (
        f"wznowiono windykację (wiadomość przychodząca {message.id}) — zapłacą w piątek")
    with pytest.raises(AnswerRefused):
        decide_reply(clock, message, Decision.NOT_RELEVANT)


def test_a_promise_from_a_reply_decides_it(debtor, clock):
    contractor, first, _ = debtor
    message = reply(clock)
    assign_reply(clock, message, contractor)
    make_promise(clock, load_settings(), [first], Decimal("100.00"), MONDAY, reply=message)
    message = InboxMessage.get_by_id(message.id)
    assert (message.state, message.decision) == (InboxState.DONE, Decision.PROMISE)
    assert next_words(first, clock) == "promised to pay; waits until 26.11.2026"


def test_a_refusal_names_its_field_by_code_for_the_forms(debtor, clock):
    _, first, _ = debtor
    set_language("pl")
    with pytest.raises(AnswerRefused) as refused:
        make_promise(clock, load_settings(), [first], Decimal("0"), MONDAY)
    assert (refused.value.field, refused.value.problem) == ("amount",
                                                            "musi być większa od zera")
    with pytest.raises(AnswerRefused) as refused:
        open_dispute(clock, first, " ")
    assert (refused.value.field, str(refused.value)) == (
        "reason", "powód: napisz, czego dotyczy")
    with pytest.raises(AnswerRefused) as refused:
        decide_reply(clock, reply(clock, state=InboxState.DONE), Decision.RESUME)
    assert (refused.value.field, refused.value.problem) == (
        "", "ta wiadomość została już rozpatrzona")
