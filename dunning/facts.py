"""Build the pure policy's ``DocumentFacts`` from stored rows.

The one place that knows how a Document, its contractor and its outbox state map
onto what the rules need, shared by the planner, the forecast and ``history``.
"""

from __future__ import annotations

from decimal import Decimal

from ..ledger.addresses import FailingMap, failing_by_contractor, failures_of
from ..models import (
    Contractor,
    Document,
    DocumentStep,
    Message,
    MessageState,
    StepKind,
    split_emails,
)
from ..models.money import round_money
from .policy import DocumentFacts


def outstanding_in_pln(document: Document) -> Decimal:
    """Thresholds compare PLN: converted with the document's rate when it has one."""
    if document.exchange_rate is None:
        return document.outstanding
    return round_money(document.outstanding * document.exchange_rate)


def unfinished_message(document: Document) -> tuple[int, str] | None:
    row = (
        Message.select(Message.id, Message.state)
        .join(DocumentStep)
        .where(
            (DocumentStep.document == document.id)
            & DocumentStep.kind.in_([StepKind.REMINDER, StepKind.DEMAND])
            & Message.state.in_(MessageState.UNFINISHED)
        )
        .order_by(Message.id.desc())
        .first()
    )
    return (row.id, row.state) if row else None


def document_facts(
    document: Document,
    contractor: Contractor,
    pending: tuple[int, str] | None = None,
    failing: FailingMap | None = None,
) -> DocumentFacts:
    """``failing``: the failing addresses read once for many documents
    (``failing_by_contractor()``); without it they are read for this contractor."""
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
        failing_addresses=failures,
        has_working_email=not failures or len(failures) < addresses,
        reminder_sent_on=document.reminder_sent_on,
        demands_sent=document.demands_sent,
        last_demand_on=document.last_demand_on,
        collection_ended_on=document.collection_ended_on,
        recovery_case=document.recovery_case,
        unfinished_message=pending,
    )


def current_facts(document: Document) -> DocumentFacts:
    """Facts as stored now, including a message still waiting in the outbox."""
    return document_facts(document, document.contractor, unfinished_message(document))
