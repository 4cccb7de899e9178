"""Cases as the command line shows them: plain rows, read with a few queries."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

from ..models import (
    CaseDocument,
    CaseStatus,
    CaseStatusChange,
    Contractor,
    Document,
    RecoveryCase,
    RecoveryOrder,
)
from .gateways import agency_message


@dataclass(frozen=True)
class CaseRow:
    id: int
    order_id: int
    agency: str
    contractor: str
    total: Decimal
    status: str
    commission_rate: Decimal
    commission: Decimal
    commission_recorded: Decimal
    sent_at: dt.datetime | None
    external_ref: str
    send_error: str
    attempts: int
    outbox: str  # "e-mail #12 planned" while the handover waits in the outbox

    @property
    def delivery(self) -> str:
        """Where the case stands with the gateway, in a few words."""
        if self.sent_at is not None:
            text = f"sent {self.sent_at:%Y-%m-%d}"
            return text + (f", ref {self.external_ref}" if self.external_ref else "")
        if self.send_error:
            return f"not sent ({self.attempts} tries): {self.send_error}"
        if self.outbox:
            return self.outbox
        return "not sent" if self.status == CaseStatus.NOT_SENT else "—"


def _outbox(case: RecoveryCase) -> str:
    if case.status != CaseStatus.NOT_SENT:
        return ""
    message = agency_message(case.id)
    if message is None:
        return ""
    return f"e-mail #{message.id} {message.state.replace('_', ' ')} in the outbox"


def _row(case: RecoveryCase) -> CaseRow:
    return CaseRow(
        case.id, case.order_id, case.order.agency, case.contractor.name, case.total,
        case.status, case.commission_rate, case.commission, case.commission_recorded,
        case.sent_at, case.external_ref, case.send_error, case.attempts, _outbox(case))


def case_rows(status: str | None = None) -> list[CaseRow]:
    query = (RecoveryCase.select(RecoveryCase, RecoveryOrder, Contractor)
             .join(RecoveryOrder).switch(RecoveryCase).join(Contractor))
    if status:
        query = query.where(RecoveryCase.status == status)
    return [_row(case) for case in query.order_by(RecoveryCase.id)]


@dataclass(frozen=True)
class CaseDetail:
    row: CaseRow
    debtor: dict
    oldest_days_overdue: int
    commission_from_debtor: bool
    created_at: dt.datetime
    author: str
    documents: list[tuple[str, str, Decimal, str, int, bool, Decimal]]
    """number, due date, outstanding at hand-over, currency, days overdue, still in the
    case, outstanding now."""
    history: list[tuple[dt.datetime, str, str, str, str]]  # at, status, source, author, note


def case_detail(case_id: int) -> CaseDetail | None:
    case = RecoveryCase.get_or_none(RecoveryCase.id == case_id)
    if case is None:
        return None
    links = (CaseDocument.select(CaseDocument, Document).join(Document)
             .where(CaseDocument.case == case.id).order_by(Document.due_date, Document.id))
    history = (CaseStatusChange.select().where(CaseStatusChange.case == case.id)
               .order_by(CaseStatusChange.at, CaseStatusChange.id))
    return CaseDetail(
        row=_row(case), debtor=json.loads(case.debtor),
        oldest_days_overdue=case.oldest_days_overdue,
        commission_from_debtor=case.commission_from_debtor, created_at=case.created_at,
        author=case.author,
        documents=[(link.document.number, link.document.due_date.isoformat(), link.outstanding,
                    link.document.currency, link.days_overdue, link.active,
                    link.document.outstanding) for link in links],
        history=[(h.at, h.status, h.source, h.author, h.note) for h in history],
    )


__all__ = ["CaseDetail", "CaseRow", "case_detail", "case_rows"]
