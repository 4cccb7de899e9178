"""Importing documents (sales invoices) from a CSV file (SPEC §10).

Columns: ``number, contractor_code, issue_date, due_date, [currency], gross,
[exchange_rate]``.

Decisions, written down:

* **A number already in the database is refused, never updated.** An invoice's amount
  and dates are what reminders and demands were built on; silently changing them under a
  running collection would make the history disagree with what the customer received.
  Corrections are payments of method "correction", or a new document.
* Every document is created through ``actions.create_document``, so the SPEC §3 rule
  holds for imports too: with the module on a document takes its contractor's flag at
  that moment, with the module off it starts excluded.
* The contractor must already exist (import the contractors file first): inventing a
  contractor from a code would leave it without a name or an e-mail.
* Amounts, dates, currencies and exchange rates are kept within the limits of
  ``ledger/validation.py`` (an amount of at most 9 999 999 999,99, also in PLN at the
  file's rate; dates 2000–2099; ISO 4217 money; rates 0.0001–100 000). A number or a
  contractor code with a line break or another control character is refused.
* Currency defaults to PLN. An exchange rate is optional for other currencies (the
  thresholds then compare the amount as it is) and refused for PLN, where it can only be
  a mistake.
* Each document's timeline starts with where it came from: ``file <path>, line <n>``
  (the line as the importer's errors count it; ``EventKind.DOCUMENT_ARRIVED``), by the
  person importing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..i18n import t
from ..ledger.actions import create_document
from ..ledger.clock import Clock
from ..ledger.identity import current_author
from ..ledger.names import day_text
from ..ledger.settings import CollectionSettings
from ..ledger.validation import check_value_in_pln, single_line
from ..models import Contractor, Document
from .csv_common import (
    FileSpec,
    ImportSummary,
    Progress,
    Row,
    StrPath,
    create_each,
    parse_currency,
    parse_date,
    parse_positive_amount,
    parse_rate,
    run_import,
)
from .ksef import file_origin

SPEC = FileSpec.parse(
    "number, contractor_code, issue_date, due_date, [currency], gross, [exchange_rate]"
)


@dataclass(frozen=True)
class DocumentRecord:
    number: str
    contractor: Contractor
    issue_date: dt.date
    due_date: dt.date
    currency: str
    gross: Decimal
    exchange_rate: Decimal | None
    origin: str  # file <path>, line <n>


class _DocumentRows:
    """Parses rows, remembering the numbers seen and the contractors looked up.
    ``origin``: the file as each document's timeline names it (``file <path>``)."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.first_line: dict[str, int] = {}
        self.contractors: dict[str, Contractor | None] = {}

    def _number(self, row: Row) -> str:
        number = row.parse("number", single_line, required=True)
        if not number:
            return ""
        first = self.first_line.setdefault(number, row.line)
        if first != row.line:
            row.error("number", t("document number {number} appears twice in the file (first "
                                  "on line {first})", number=number, first=first))
        elif Document.select().where(Document.number == number).exists():
            row.error("number", t("document number {number} already exists", number=number))
        return number

    def _contractor(self, row: Row) -> Contractor | None:
        return row.reference(
            "contractor_code", self.contractors,
            lambda code: Contractor.get_or_none(Contractor.code == code),
            lambda code: t("no contractor with code {code} (import the contractors first)",
                           code=code))

    def __call__(self, row: Row) -> DocumentRecord | None:
        number = self._number(row)
        contractor = self._contractor(row)
        issue_date = row.parse("issue_date", parse_date, required=True)
        due_date = row.parse("due_date", parse_date, required=True)
        if issue_date and due_date and due_date < issue_date:
            row.error("due_date", t("due date {due} is before the issue date {issued}",
                                    due=day_text(due_date), issued=day_text(issue_date)))
        currency = row.parse("currency", parse_currency) if row.value("currency") else "PLN"
        gross = row.parse("gross", parse_positive_amount, required=True)
        exchange_rate = row.parse("exchange_rate", parse_rate)
        if exchange_rate is not None and currency == "PLN":
            row.error("exchange_rate", t("a PLN document takes no exchange rate"))
        elif gross is not None and currency:
            try:
                check_value_in_pln(gross, exchange_rate, currency)
            except ValueError as exc:
                row.error("exchange_rate", str(exc))
        if (row.errors or contractor is None or issue_date is None or due_date is None
                or currency is None or gross is None):
            return None  # every value left None above has recorded an error
        return DocumentRecord(number, contractor, issue_date, due_date, currency, gross,
                              exchange_rate, f"{self.origin}, line {row.line}")


def import_documents(
    path: StrPath, clock: Clock, settings: CollectionSettings,
    progress: Progress | None = None, origin: Callable[[Path], str] = file_origin,
    author: str | None = None,
) -> ImportSummary:
    """Create the file's documents, all of them or none; ``settings.module_enabled``
    decides their initial flag (SPEC §3). ``origin(file)``: how each document's timeline
    names the file (followed by the line); ``author``: who brought it (the person
    importing when not given)."""
    return run_import(path, SPEC, _DocumentRows(origin(Path(path))),
                      create_each(create_document, clock, settings,
                                  author=author or current_author()),
                      progress)
