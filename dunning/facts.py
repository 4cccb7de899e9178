"""Build the pure policy's ``DocumentFacts`` from stored rows.

The one place that knows how a Document, its contractor and its outbox state map
onto what the rules need, shared by the planner, the forecast and ``history``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import SQL, fn

from ..ledger.addresses import address_key
from ..ledger.settings import CollectionSettings
from ..models import (
    BankStatement,
    Contractor,
    Dispute,
    DisputeState,
    Document,
    DocumentStep,
    FailingAddress,
    InboxDocument,
    InboxMessage,
    InboxState,
    Message,
    MessageState,
    Promise,
    PromiseDocument,
    PromiseState,
    StepKind,
    split_emails,
)
from ..models.money import round_money
from ..models.sql import as_date, as_required_date, tuple_rows
from .planner import Candidate, ContractorRow
from .policy import AddressFailure, DocumentFacts, NoStep, demand_hold

# -- failing addresses (``ledger/addresses.py`` records them) as the policy reads them --
FailingMap = Mapping[int, Mapping[str, AddressFailure]]


def failing_by_contractor(contractor_ids: Iterable[int] | None = None) -> FailingMap:
    """Every failing address (contractor id → address key → failure), in one query;
    the table holds a handful of rows, so a pass reads it once."""
    query = FailingAddress.select(FailingAddress.contractor, FailingAddress.address,
                                  FailingAddress.reply, FailingAddress.day)
    if contractor_ids is not None:
        ids = list(contractor_ids)
        if not ids:
            return {}
        query = query.where(_among(FailingAddress.contractor, ids))
    found: dict[int, dict[str, AddressFailure]] = {}
    for contractor_id, address, reply, day in tuple_rows(query):
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        found.setdefault(contractor_id, {})[address_key(address)] = AddressFailure(
            address, reply, day)
    return found


def failures_of(emails: str, failing: Mapping[str, AddressFailure] | None
                ) -> tuple[AddressFailure, ...]:
    """The failures of the addresses in ``emails`` (a contractor's list), in its order."""
    if not failing:
        return ()
    return tuple(failing[address_key(a)] for a in split_emails(emails)
                 if address_key(a) in failing)


def working_addresses(emails: list[str], failing: Mapping[str, AddressFailure] | None
                      ) -> list[str]:
    """The addresses a new message goes to: the list without the failing ones."""
    if not failing:
        return list(emails)
    return [a for a in emails if address_key(a) not in failing]


# -- the debtor's answers (issue 15, ``ledger/answers.py``) as the policy reads them --
@dataclass(frozen=True)
class DocumentAnswers:
    reply_waiting_since: dt.date | None = None
    disputed_since: dt.date | None = None
    promised_until: dt.date | None = None
    promised_by: dt.date | None = None  # the day that open promise said it would pay by
    promise_broken_on: dt.date | None = None


NO_ANSWERS = DocumentAnswers()
AnswerMap = Mapping[int, DocumentAnswers]


def _among(column: Any, ids: list[int]) -> Any:
    """``column IN (…)`` with the ids written out as numbers: Peewee builds a node per
    parameter, 2 ms for a page's 100 ids in each query (the unpaid list asks these for
    every page it shows: 15 → 9 ms a page)."""
    return column.in_(SQL("(" + ", ".join(str(int(i)) for i in ids) + ")"))


def _gather(found: dict[int, dict[str, dt.date]], field: str, query: Any, ids: list[int] | None,
            column: Any, pick: Callable[[dt.date, dt.date], dt.date] = min) -> None:
    """Each document's date of ``field`` from ``query``'s (document id, day) rows; where
    a document has several (two waiting replies), ``pick`` chooses."""
    if ids is not None:
        query = query.where(_among(column, ids))
    for document_id, value in tuple_rows(query):
        day = as_required_date(value)
        held = found.setdefault(document_id, {})
        held[field] = pick(held[field], day) if field in held else day


def _gather_open_promises(found: dict[int, dict[str, dt.date]], ids: list[int] | None
                          ) -> None:
    """Each document's open promise (the one waiting longest, should two be open): how
    long collection waits, and the day the debtor said they would pay by."""
    query = (PromiseDocument.select(PromiseDocument.document, Promise.wait_until,
                                    Promise.pay_by).join(Promise)
             .where(Promise.state == PromiseState.OPEN))
    if ids is not None:
        query = query.where(_among(PromiseDocument.document, ids))
    for document_id, wait_until, pay_by in tuple_rows(query):
        until = as_required_date(wait_until)
        held = found.setdefault(document_id, {})
        if "promised_until" not in held or until > held["promised_until"]:
            held["promised_until"], held["promised_by"] = until, as_required_date(pay_by)


def answers_by_document(document_ids: Iterable[int] | None = None) -> AnswerMap:
    """Waiting replies, open disputes, open and broken promises by document, in four
    queries over small tables (only what is active; a pass reads them once). A
    document with several keeps the oldest waiting reply and dispute, and the latest
    promise's date."""
    ids = None if document_ids is None else list(document_ids)
    if ids is not None and not ids:
        return {}
    found: dict[int, dict[str, dt.date]] = {}
    _gather(found, "reply_waiting_since",
            InboxDocument.select(InboxDocument.document, InboxMessage.day).join(InboxMessage)
            .where(InboxMessage.state == InboxState.WAITING), ids, InboxDocument.document)
    _gather(found, "disputed_since",
            Dispute.select(Dispute.document, Dispute.opened_on)
            .where(Dispute.state == DisputeState.OPEN), ids, Dispute.document)
    _gather_open_promises(found, ids)
    _gather(found, "promise_broken_on",
            PromiseDocument.select(PromiseDocument.document, Promise.settled_on).join(Promise)
            .where(Promise.state == PromiseState.BROKEN), ids, PromiseDocument.document, max)
    return {document_id: DocumentAnswers(**fields) for document_id, fields in found.items()}


def outstanding_in_pln(document: Document | Candidate) -> Decimal:
    """Thresholds compare PLN: converted with the document's rate when it has one."""
    if document.exchange_rate is None:
        return document.outstanding
    return round_money(document.outstanding * document.exchange_rate)


def unfinished_message(document: Document) -> tuple[int, str] | None:
    """The message carrying a step of ``document`` not sent yet, as (id, state); a
    letter's state is given as ``letter <state>`` (``policy.blocking_reason``)."""
    row = (
        Message.select(Message.id, Message.state, Message.channel)
        .join(DocumentStep)
        .where(
            (DocumentStep.document == document.id)
            & DocumentStep.kind.in_([StepKind.REMINDER, StepKind.DEMAND])
            & Message.state.in_(MessageState.UNFINISHED)
        )
        .order_by(Message.id.desc())
        .first()
    )
    if row is None:
        return None
    return (row.id, f"letter {row.state}" if row.channel == "letter" else row.state)


def document_facts(
    document: Document | Candidate,  # a stored row, or as the planner reads it
    contractor: Contractor | ContractorRow,
    pending: tuple[int, str] | None = None,
    failing: FailingMap | None = None,
    answers: AnswerMap | None = None,
) -> DocumentFacts:
    """``failing``: the failing addresses read once for many documents
    (``failing_by_contractor()``); without it they are read for this contractor.
    ``answers`` likewise (``answers_by_document()``); without it, this document's."""
    if answers is None:
        answers = answers_by_document([document.id])
    answered = answers.get(document.id, NO_ANSWERS)
    if failing is None:
        failing = failing_by_contractor([contractor.id]) if contractor.emails.strip() else {}
    failures = failures_of(contractor.emails, failing.get(contractor.id))
    addresses = len(split_emails(contractor.emails)) if failures else 0
    return DocumentFacts(
        issue_date=document.issue_date,
        due_date=document.due_date,
        legal_due_date=document.legal_due_date,
        outstanding_pln=outstanding_in_pln(document),
        subject_to_collection=document.subject_to_collection,
        contractor_subject_to_collection=contractor.subject_to_collection,
        has_email=bool(contractor.emails.strip()),  # one address per line, or none
        has_address=bool(contractor.address.strip()),
        registry_by_email=contractor.registry_email_allowed and contractor.kind != "private",
        failing_addresses=failures,
        has_working_email=not failures or len(failures) < addresses,
        reminder_sent_on=document.reminder_sent_on,
        demands_sent=document.demands_sent,
        last_demand_on=document.last_demand_on,
        collection_ended_on=document.collection_ended_on,
        recovery_case=document.recovery_case,
        unfinished_message=pending,
        reply_waiting_since=answered.reply_waiting_since,
        disputed_since=answered.disputed_since,
        promised_until=answered.promised_until,
        promise_broken_on=answered.promise_broken_on,
    )


def current_facts(document: Document) -> DocumentFacts:
    """Facts as stored now, including a message still waiting in the outbox."""
    return document_facts(document, document.contractor, unfinished_message(document))


# -- the demand hold (``statement.hold_days``): demands wait for a fresh bank statement --
def newest_statement_date() -> dt.date | None:
    """The newest closing-balance date of any imported statement (the planner's hold)."""
    return as_date(BankStatement.select(fn.MAX(BankStatement.statement_date)).scalar())


def demand_hold_on(settings: CollectionSettings, day: dt.date) -> NoStep | None:
    """Why demands wait on ``day`` (``statement.hold_days``), if they do (``policy``)."""
    return demand_hold(settings.statement_hold_days, newest_statement_date(), day)
