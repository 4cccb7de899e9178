"""Reports to a bureau of economic information, as recorded on our side (issue 16).

Whether a debtor *may* be reported is the law's (``law/registry.py``) and is read by
``lists/registry.py``, which also writes the export. Here: recording the report with the
claims and amounts it named, and recording that the bureau was asked to update a claim
after a payment or a change (art. 29: within 14 days of learning of it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from ..i18n import t
from ..models import (
    Contractor,
    Document,
    EventKind,
    Message,
    RegistryClaim,
    RegistryReport,
    database,
)
from .actions import record_event
from .clock import Clock, utc_now_naive
from .identity import current_author
from .names import day_text

#: Days the act gives the creditor to ask the bureau for an update (art. 29 ust. 1).
UPDATE_DAYS = 14


class RegistryRefused(ValueError):
    """A report or an update that cannot be recorded as asked; nothing was stored."""


def record_report(clock: Clock, contractor: Contractor, warning: Message,
                  bureau: tuple[str, str], claims: Sequence[tuple[Document, Decimal]],
                  path: str, author: str | None = None) -> RegistryReport:
    """The debtor was reported to ``bureau`` (firm, seat) today, with ``claims`` (each
    document and the outstanding amount reported), exported to ``path``; on each
    document's timeline."""
    if not claims:
        raise RegistryRefused(t("documents: a report names at least one claim"))
    author = author or current_author()
    with database.atomic():
        report = RegistryReport.create(
            contractor=contractor, warning=warning, bureau_name=bureau[0],
            bureau_address=bureau[1], reported_on=clock.today(), reported_by=author,
            created_at=utc_now_naive(clock), path=path)
        RegistryClaim.insert_many([
            {"report": report.id, "document": document.id, "outstanding_reported": amount}
            for document, amount in claims]).execute()
        for document, _ in claims:
            record_event(clock, EventKind.REGISTRY_REPORTED, document,
                         text=f"report {report.id}", author=author)
    return report


def mark_updated(clock: Clock, claim: RegistryClaim, day: dt.date,
                 author: str | None = None) -> None:
    """The bureau was asked on ``day`` to update ``claim`` to the document's outstanding
    amount now (0: to remove it), which is what it holds from then on."""
    if day > clock.today():
        raise RegistryRefused(t("day: {day} is in the future", day=day_text(day)))
    if day < claim.report.reported_on:
        raise RegistryRefused(t("day: {day} is before the report ({reported})",
                                day=day_text(day),
                                reported=day_text(claim.report.reported_on)))
    document = Document.get_by_id(claim.document_id)
    author = author or current_author()
    with database.atomic():
        RegistryClaim.update(outstanding_reported=document.outstanding, updated_on=day,
                             updated_by=author).where(RegistryClaim.id == claim.id).execute()
        record_event(clock, EventKind.REGISTRY_UPDATED, document,
                     text=f"report {claim.report_id} on {day.isoformat()}", author=author)
