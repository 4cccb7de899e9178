"""Feed the law its data: each document's payments, its contractor's kind, the rate tables.

``law/claim.py`` decides (pure); this module reads what it needs with one query per batch
of documents, for a demand's documents or the document screen. The rate tables are read
once per use (``load_law_tables``), not per document: a pass with thousands of demands
computes every figure from the same tables.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from ..law.claim import ClaimFigures, DocumentTerms, claim_figures
from ..law.compensation import EurRate
from ..law.interest import RateTable, RateTableError
from ..ledger.rates import eur_rates, interest_table, shipped_interest_table
from ..models import Payment
from ..models.sql import execute
from .template_data import claim_view


class DocumentLike(Protocol):
    # Read-only members: a document model and the planner's frozen Candidate both fit.
    @property
    def id(self) -> int: ...
    @property
    def issue_date(self) -> dt.date: ...
    @property
    def due_date(self) -> dt.date: ...
    @property
    def legal_due_date(self) -> dt.date: ...
    @property
    def gross(self) -> Decimal: ...
    @property
    def currency(self) -> str: ...
    @property
    def exchange_rate(self) -> Decimal | None: ...


@dataclass(frozen=True)
class LawTables:
    """The statutory interest rates and EUR rates in force for a computation.

    ``problem`` says why the rates users added were left out (they contradict the shipped
    table), for the document screen to show; "" when all are in.
    """

    rates: RateTable
    eur_rates: Mapping[str, EurRate]
    problem: str = ""


def load_law_tables() -> LawTables:
    """The shipped tables with the rates users added or refreshed (``ledger/rates.py``).

    A stored interest rate that contradicts the shipped table (a release brought the
    published figure, and it differs from what was typed) must not stop the daily pass,
    nor be picked silently: the pass goes on with the shipped, sourced table alone, and the
    document screen names the conflict and ``rates remove-interest``.
    """
    try:
        return LawTables(interest_table(), eur_rates())
    except RateTableError as exc:
        return LawTables(shipped_interest_table(), eur_rates(), str(exc))


def payments_of(document_ids: Iterable[int]) -> dict[int, list[tuple[dt.date, Decimal]]]:
    """Every payment (and credit) of the documents, as (day, amount), one query per 500."""
    ids = list(document_ids)
    found: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    day, money = Payment.paid_on.python_value, Payment.amount.python_value
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        # written out: a demand asks this once, and Peewee's building of the query cost
        # more than SQLite's answer; the values converted as Peewee converts them
        rows = execute("SELECT document_id, paid_on, amount FROM payment WHERE document_id"
                       f" IN ({', '.join('?' * len(chunk))}) ORDER BY id", chunk)
        for document_id, paid_on, amount in rows:
            found[document_id].append((day(paid_on), money(amount)))
    return found


def terms_of(document: DocumentLike,
             payments: Sequence[tuple[dt.date, Decimal]]) -> DocumentTerms:
    return DocumentTerms(
        issue_date=document.issue_date, due_date=document.due_date,
        legal_due_date=document.legal_due_date, gross=document.gross,
        currency=document.currency, exchange_rate=document.exchange_rate,
        payments=tuple(payments),
    )


def claims_of(documents: Sequence[DocumentLike], kind: str, today: dt.date,
              tables: LawTables) -> dict[int, ClaimFigures]:
    """The figures of documents of one contractor (whose ``kind`` decides the law)."""
    payments = payments_of(d.id for d in documents)
    return {d.id: claim_figures(terms_of(d, payments.get(d.id, ())), kind, today,
                                tables.rates, tables.eur_rates)
            for d in documents}


def claim_views(documents: Sequence[DocumentLike], kind: str, today: dt.date,
                tables: LawTables, *, interest: bool,
                compensation: bool) -> dict[int, dict[str, Any]]:
    """``views.claim_view`` of each document, for a message's context."""
    figures = claims_of(documents, kind, today, tables)
    return {document_id: claim_view(f, interest=interest, compensation=compensation)
            for document_id, f in figures.items()}
