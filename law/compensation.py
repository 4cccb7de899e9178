"""Compensation for recovery costs (rekompensata za koszty odzyskiwania należności).

Ustawa z 8 marca 2013 r. o przeciwdziałaniu nadmiernym opóźnieniom w transakcjach
handlowych, art. 10 ust. 1 and 1a (facts and sources: ../shared/reference/polish-law-formats.md
§2). Business (commercial-transaction) debtors only; never for consumers. It is due per late
invoice, without a demand, as the PLN equivalent of:

* 40 EUR when the value of the claim does not exceed 5,000 PLN ("nie przekracza 5000 zł"),
* 70 EUR when it is above 5,000 and below 50,000 PLN ("niższa niż 50 000 zł"),
* 100 EUR when it is 50,000 PLN or more;

(a flat 40 EUR before the tiers took effect on 1 January 2020), converted at the NBP table-A
average EUR rate of the last business day of the month before the month in which the payment
fell due (art. 10 ust. 1a).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

GROSZ = Decimal("0.01")
LOWER_TIER_MAX = Decimal("5000.00")
TOP_TIER_MIN = Decimal("50000.00")
TIERS_FROM = dt.date(2020, 1, 1)


@dataclass(frozen=True)
class EurRate:
    """The NBP table-A EUR mid rate of the last business day of a month."""

    effective_date: dt.date
    mid: Decimal
    table_no: str


@dataclass(frozen=True)
class Compensation:
    """The compensation for one document, with what it was computed from."""

    claim_pln: Decimal
    eur: Decimal
    pln: Decimal
    rate: EurRate
    legal_basis: str


@dataclass(frozen=True)
class Missing:
    """No EUR rate is known for the month the rule needs; the demand must say so.

    ``eur`` is the statutory amount (40, 70 or 100 EUR), which a demand states instead of
    the PLN figure; None when even that is unknown (a claim whose value in PLN is unknown).
    """

    month: str
    reason: str
    eur: Decimal | None = None


def month_key(day: dt.date) -> str:
    """The key of ``eur_rates`` for the month of ``day``: ``"YYYY-MM"``."""
    return f"{day.year:04d}-{day.month:02d}"


def rate_month(due_date: dt.date) -> str:
    """The month whose last-business-day EUR rate converts the compensation (art. 10 ust. 1a).

    The month before the month of the due date. Pass the legal due date (after the Saturday
    and holiday shift of KC art. 115): the reference treats the due date as the day the
    payment fell due, and the shifted deadline is the one in force.
    """
    return month_key(due_date.replace(day=1) - dt.timedelta(days=1))


def compensation_eur(claim_pln: Decimal, due_date: dt.date) -> Decimal:
    """40 / 70 / 100 EUR by the claim's value (art. 10 ust. 1); flat 40 EUR before 2020.

    The value is that of the one late claim (in practice the invoice's gross amount); claims
    are never added together to reach a higher tier.
    """
    _check_claim(claim_pln)
    if due_date < TIERS_FROM or claim_pln <= LOWER_TIER_MAX:
        return Decimal(40)
    if claim_pln < TOP_TIER_MIN:
        return Decimal(70)
    return Decimal(100)


def _check_claim(claim_pln: Decimal) -> None:
    if not isinstance(claim_pln, Decimal):
        raise TypeError(f"the claim must be a Decimal amount in PLN, got "
                        f"{type(claim_pln).__name__} {claim_pln!r}")
    if not claim_pln.is_finite() or claim_pln <= 0:
        raise ValueError(f"the claim must be a positive amount in PLN, got {claim_pln}")


def compensation(claim_pln: Decimal, due_date: dt.date,
                 eur_rates: Mapping[str, EurRate]) -> Compensation | Missing:
    """The compensation for one late document, or ``Missing`` when the EUR rate is unknown.

    ``eur_rates`` maps ``"YYYY-MM"`` to the EUR mid of that month's last business day (if NBP
    published no table on the last calendar day, the last table before it). The PLN amount is
    EUR x mid, rounded half-up to the grosz. Without a rate for the needed month nothing is
    guessed: the answer is ``Missing`` with a sentence a demand or screen can show.
    """
    eur = compensation_eur(claim_pln, due_date)
    month = rate_month(due_date)
    rate = eur_rates.get(month)
    if rate is None:
        return Missing(month, (
            f"No NBP table-A EUR rate for the last business day of {month} is known, and "
            f"art. 10 ust. 1a converts the {eur} EUR compensation for a payment due on "
            f"{due_date.isoformat()} at that rate; refresh or add the rate to state the amount."),
            eur)
    if month_key(rate.effective_date) != month:
        raise ValueError(f"the EUR rate stored for {month} is dated "
                         f"{rate.effective_date.isoformat()}, outside that month")
    if not isinstance(rate.mid, Decimal) or not rate.mid.is_finite() or rate.mid <= 0:
        raise ValueError(f"the EUR rate for {month} must be a positive Decimal, "
                         f"got {rate.mid!r}")
    pln = (eur * rate.mid).quantize(GROSZ, rounding=ROUND_HALF_UP)
    return Compensation(claim_pln, eur, pln, rate,
                        "art. 10 ust. 1 ustawy z dnia 8 marca 2013 r. o przeciwdziałaniu "
                        "nadmiernym opóźnieniom w transakcjach handlowych")
