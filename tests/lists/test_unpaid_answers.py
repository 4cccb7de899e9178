"""The debtor's answers in the unpaid list (issue 15): the status each row shows and the
filter for each, agreeing with each other and with the policy, read from the small
answer tables."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from windykacja.ledger.addresses import mark_failing
from windykacja.ledger.answers import link_documents, make_promise, open_dispute, settle_promises
from windykacja.ledger.clock import FixedClock, utc_now_naive
from windykacja.ledger.settings import load_settings
from windykacja.lists.unpaid_list import (
    ANSWER_FILTERS,
    Answer,
    UnpaidQuery,
    UnpaidWindow,
    _counted_from,
    _filter,
    count_unpaid,
)
from windykacja.models import Document, InboxKind, InboxMessage, InboxState
from windykacja.models.db import is_sqlite
from windykacja.models.sql import execute

TODAY = dt.date(2026, 11, 23)


def _reply(clock, document: Document, state: str = InboxState.WAITING) -> InboxMessage:
    reply = InboxMessage.create(
        source="maildir:/m", key=f"k{document.id}{state}", kind=InboxKind.REPLY, state=state,
        contractor=document.contractor_id, received_at=utc_now_naive(clock),
        day=clock.today())
    link_documents(reply, [document.id])
    return reply


@pytest.fixture
def answered(collection, clock):
    """One document per answer, each of its own contractor, and some without one."""
    settings = load_settings()
    docs = {}
    for name in ("plain", "disputed", "failing", "reply", "promised", "broken",
                 "broken_then_step", "reply_done", "promised_and_broken"):
        contractor = collection.contractor(email=f"{name.replace('_', '')}@example.pl")
        docs[name] = collection.document(contractor, due=TODAY - dt.timedelta(days=20),
                                         number=f"FV/{name}")
    open_dispute(clock, docs["disputed"], "towar uszkodzony")
    mark_failing(docs["failing"].contractor_id, "failing@example.pl", "550 5.1.1 user unknown",
                 TODAY, None)
    _reply(clock, docs["reply"])
    _reply(clock, docs["reply_done"], InboxState.DONE)
    for name in ("broken", "broken_then_step", "promised_and_broken"):
        make_promise(clock, settings, [docs[name]], Decimal("500.00"), TODAY)
    later = FixedClock(TODAY + dt.timedelta(days=10))
    settle_promises(later)  # the three promises of TODAY: broken on TODAY + 4
    # A demand went out after the broken promise: the step answered it.
    Document.update(demands_sent=1, last_demand_on=TODAY + dt.timedelta(days=5)).where(
        Document.id == docs["broken_then_step"].id).execute()
    make_promise(later, settings, [docs["promised"]], Decimal("500.00"),
                 TODAY + dt.timedelta(days=15))
    make_promise(later, settings, [docs["promised_and_broken"]], Decimal("100.00"),
                 TODAY + dt.timedelta(days=12))
    return later, {name: Document.get_by_id(d.id) for name, d in docs.items()}


EXPECTED = {
    Answer.DISPUTED: {"disputed"},
    Answer.ADDRESS_FAILING: {"failing"},
    Answer.REPLY_WAITING: {"reply"},
    Answer.PROMISED: {"promised", "promised_and_broken"},
    Answer.PROMISE_BROKEN: {"broken"},
}


def _rows(query: UnpaidQuery):
    window = UnpaidWindow(query, load_settings()).load()
    return [window.row(i) for i in range(window.count)]


@pytest.mark.parametrize("answer", Answer.ALL)
def test_each_filter_lists_exactly_its_documents(answered, answer):
    later, docs = answered
    query = UnpaidQuery(later.today(), answer=answer)
    numbers = {r.document.number for r in _rows(query)}
    assert numbers == {f"FV/{name}" for name in EXPECTED[answer]}
    assert count_unpaid(query) == len(EXPECTED[answer])


def test_the_status_of_each_row_is_its_answer(answered):
    later, docs = answered
    rows = {r.document.number: r for r in _rows(UnpaidQuery(later.today()))}
    shown = {number.removeprefix("FV/"): (r.answer, r.promised_by) for number, r in rows.items()}
    assert shown == {
        "plain": ("", None), "reply_done": ("", None), "broken_then_step": ("", None),
        "disputed": (Answer.DISPUTED, None), "failing": (Answer.ADDRESS_FAILING, None),
        "reply": (Answer.REPLY_WAITING, None),
        # The day the debtor promised to pay by, not the end of the wait after it.
        "promised": (Answer.PROMISED, TODAY + dt.timedelta(days=15)),
        "promised_and_broken": (Answer.PROMISED, TODAY + dt.timedelta(days=12)),
        "broken": (Answer.PROMISE_BROKEN, None),
    }


def test_a_paid_document_is_in_no_answer_filter(answered, clock):
    later, docs = answered
    from windykacja.ledger.actions import record_payment

    document = docs["disputed"]
    record_payment(later, load_settings(), document, later.today(), document.outstanding)
    assert count_unpaid(UnpaidQuery(later.today(), answer=Answer.DISPUTED)) == 0


def test_an_answer_filter_combines_with_the_others(answered):
    later, docs = answered
    query = UnpaidQuery(later.today(), answer=Answer.PROMISED, search="and_broken")
    assert [r.document.number for r in _rows(query)] == ["FV/promised_and_broken"]


def test_an_unknown_answer_is_refused():
    with pytest.raises(ValueError, match="unknown answer"):
        UnpaidQuery(TODAY, answer="maybe")


@pytest.mark.parametrize("answer", Answer.ALL)
def test_each_filter_starts_from_the_answer_tables(answered, answer):
    """At a million documents the filter must not walk the documents: SQLite looks them
    up by id (or by contractor) from the answer table's index."""
    if not is_sqlite():
        pytest.skip("the plan is SQLite's")
    later, _ = answered
    query = UnpaidQuery(later.today(), answer=answer)
    where, params = _filter(query)
    plan = [row[-1] for row in execute(
        f"EXPLAIN QUERY PLAN SELECT COUNT(*) FROM {_counted_from(query)} WHERE {where}",
        params).fetchall()]
    assert not any(step.startswith("SCAN document") for step in plan), plan
    assert any(step.startswith("SEARCH document") for step in plan), plan
    assert ANSWER_FILTERS[answer][0] in where
