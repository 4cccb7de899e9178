"""What a creditor may claim on one document on a given day, beyond the principal.

Pure: the caller hands in the document's figures, its payments, the contractor's kind, the
day and the rate tables (``dunning/claims.py`` reads them from the database). The answer
carries everything a demand or the document screen shows: days late, statutory interest
with its periods, the compensation for recovery costs (business debtors only) and the day
the claim becomes time-barred. A missing rate is an answer too (``interest_missing``,
``compensation`` as ``Missing``): the caller says so instead of inventing a number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import lateness
from .compensation import GROSZ, Compensation, EurRate, Missing, compensation, rate_month
from .interest import (
    InterestKind,
    InterestResult,
    PrincipalEvent,
    RateMissingError,
    RateTable,
    interest,
)
from .limitation import limitation_date

# Compensation is a right of commercial transactions (the 2013 act covers businesses and
# public entities, healthcare providers included); consumers never owe it.
COMPENSATION_KINDS = frozenset({InterestKind.BUSINESS, InterestKind.HEALTHCARE})


@dataclass(frozen=True)
class DocumentTerms:
    """The figures of one document that the law reads."""

    issue_date: dt.date
    due_date: dt.date
    legal_due_date: dt.date
    gross: Decimal
    currency: str
    exchange_rate: Decimal | None
    # (day credited, amount) of every payment and credit, in any order.
    payments: Sequence[tuple[dt.date, Decimal]]


@dataclass(frozen=True)
class ClaimFigures:
    kind: InterestKind
    today: dt.date
    days_late: int
    interest: InterestResult | None
    interest_missing: str  # why ``interest`` is None; "" when it was computed
    interest_missing_from: dt.date | None  # the first day with no rate, when missing
    compensation: Compensation | Missing | None  # None: the kind has no right to it
    limitation_date: dt.date

    @property
    def interest_amount(self) -> Decimal | None:
        return None if self.interest is None else self.interest.total

    @property
    def compensation_pln(self) -> Decimal | None:
        return self.compensation.pln if isinstance(self.compensation, Compensation) else None

    @property
    def time_barred(self) -> bool:
        return self.today > self.limitation_date


def principal_events(terms: DocumentTerms) -> list[PrincipalEvent]:
    """The invoice raises the debt on its issue day; each payment lowers it on its day."""
    events = [PrincipalEvent(terms.issue_date, terms.gross)]
    events += [PrincipalEvent(day, -amount) for day, amount in terms.payments]
    return events


def _claim_in_pln(terms: DocumentTerms) -> Decimal | None:
    if terms.currency == "PLN":
        return terms.gross
    if terms.exchange_rate is None:
        return None
    return (terms.gross * terms.exchange_rate).quantize(GROSZ, rounding=ROUND_HALF_UP)


def _compensation(terms: DocumentTerms, kind: InterestKind, late: bool,
                  eur_rates: Mapping[str, EurRate]) -> Compensation | Missing | None:
    if kind not in COMPENSATION_KINDS or not late or terms.gross <= 0:
        return None
    claim_pln = _claim_in_pln(terms)
    if claim_pln is None:
        return Missing(rate_month(terms.legal_due_date),
                       f"the document is in {terms.currency} with no exchange rate, so the "
                       "value of the claim in PLN (which sets 40, 70 or 100 EUR) is unknown")
    return compensation(claim_pln, terms.legal_due_date, eur_rates)


def claim_figures(terms: DocumentTerms, kind: InterestKind | str, today: dt.date,
                  rates: RateTable, eur_rates: Mapping[str, EurRate]) -> ClaimFigures:
    """Interest to ``today`` inclusive, compensation and limitation for one document."""
    kind = InterestKind(kind)
    try:
        result: InterestResult | None = interest(
            principal_events(terms), terms.legal_due_date, today, kind, rates)
        missing, missing_from = "", None
    except RateMissingError as exc:
        result, missing, missing_from = None, str(exc), exc.missing_from
    days_late = lateness.days_late(terms.legal_due_date, today)
    late = result.days_late > 0 if result is not None else days_late > 0
    return ClaimFigures(
        kind=kind,
        today=today,
        days_late=days_late,
        interest=result,
        interest_missing=missing,
        interest_missing_from=missing_from,
        compensation=_compensation(terms, kind, late, eur_rates),
        limitation_date=limitation_date(terms.due_date, kind),
    )
