"""Importing payments (the settlement history) from a CSV file (SPEC §10).

Columns: ``document_number, date, amount, [method], [reference]``.

Decisions, written down:

* **Overpayment is refused.** The payments a file brings for one document may add up to
  its outstanding amount at most; the line that goes over is an error naming the
  outstanding amount. A surplus is usually a payment matched to the wrong invoice, and a
  negative outstanding amount would have no meaning for collection. A genuine surplus is
  booked against the document it belongs to, or as a separate correction.
* Every payment is recorded through ``actions.record_payment``: it updates the
  outstanding amount and the settlement history together, writes the event, and ends
  collection when a document that had messages sent is paid in full (SPEC §4).
* Amounts are in the document's own currency; the method defaults to ``transfer``.
  Dates lie within 2000–2099 (``ledger/validation.py``); a reference's line breaks are
  folded to spaces.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ..i18n import t
from ..ledger.actions import record_payment
from ..ledger.clock import Clock
from ..ledger.settings import CollectionSettings
from ..ledger.validation import fold_line
from ..models import PAYMENT_METHODS, Document
from ..models.money import format_amount
from .csv_common import (
    FileSpec,
    ImportSummary,
    Progress,
    Row,
    StrPath,
    create_each,
    parse_choice,
    parse_date,
    parse_positive_amount,
    run_import,
)

SPEC = FileSpec.parse("document_number, date, amount, [method], [reference]")


@dataclass(frozen=True)
class PaymentRecord:
    document: Document
    paid_on: dt.date
    amount: Decimal
    method: str
    reference: str


def _money(value: Decimal, document: Document) -> str:
    return format_amount(value, document.currency)


class _PaymentRows:
    """Parses rows, keeping each document's amount still open after the earlier rows."""

    def __init__(self) -> None:
        self.documents: dict[str, Document | None] = {}
        self.remaining: dict[int, Decimal] = {}

    def _document(self, row: Row) -> Document | None:
        return row.reference(
            "document_number", self.documents,
            lambda number: Document.get_or_none(Document.number == number),
            lambda number: t("no document with number {number}", number=number))

    def _settle(self, row: Row, document: Document, amount: Decimal) -> None:
        """Count ``amount`` against the document, or report the overpayment."""
        remaining = self.remaining.setdefault(document.id, document.outstanding)
        if amount <= remaining:
            self.remaining[document.id] = remaining - amount
            return
        owed, paid = _money(document.outstanding, document), _money(amount, document)
        if document.outstanding <= 0:
            problem = t("document {number} is already paid in full", number=document.number)
        elif remaining == document.outstanding:
            problem = t("{paid} is more than the outstanding amount of document {number}: "
                        "{owed}", paid=paid, number=document.number, owed=owed)
        else:
            problem = t("{paid} is more than document {number} still owes after the earlier "
                        "lines of this file: {remaining} of the outstanding {owed}", paid=paid,
                        number=document.number, remaining=_money(remaining, document), owed=owed)
        row.error("amount", t("{problem} (overpayments are refused)", problem=problem))

    def __call__(self, row: Row) -> PaymentRecord | None:
        document = self._document(row)
        paid_on = row.parse("date", parse_date, required=True)
        amount = row.parse("amount", parse_positive_amount, required=True)
        if document is not None and amount is not None:
            self._settle(row, document, amount)
        method = row.parse("method", parse_choice(PAYMENT_METHODS)) or "transfer"
        if row.errors or document is None or paid_on is None or amount is None:
            return None  # every value left None above has recorded an error
        return PaymentRecord(document, paid_on, amount, method, fold_line(row.value("reference")))


def import_payments(
    path: StrPath, clock: Clock, settings: CollectionSettings,
    progress: Progress | None = None, author: str | None = None,
) -> ImportSummary:
    """Record the file's payments, all of them or none; a document paid in full after a
    message went out finishes its collection (through ``record_payment``). ``author``:
    who brought them (the person importing when not given)."""
    return run_import(path, SPEC, _PaymentRows(),
                      create_each(record_payment, clock, settings, author=author), progress)
