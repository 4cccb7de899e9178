"""When a debtor may be reported to a bureau of economic information (BIG), as a pure
function (issue 16, point 4; the facts and their sources: docs/registry.md).

*Ustawa z dnia 9 kwietnia 2010 r. o udostępnianiu informacji gospodarczych i wymianie
danych gospodarczych* (Dz.U. 2023 poz. 2160), art. 15 ust. 1 (a business) and art. 14
ust. 1 (a consumer): the creditor may pass the information only when

1. the debtor's obligations due to the creditor together come to **at least 500 zł**
   (a business) or **200 zł** (a consumer) and have been due **for at least 30 days**;
2. **at least a month has passed** since the creditor *sent* a demand warning of the
   intent to pass the data, **naming the bureau's firm and the address of its seat** —
   by registered letter or delivered by hand; or, to a business whose contract provides
   for demands by e-mail to an address it names, by e-mail (art. 15 ust. 1a). No e-mail
   route is assumed for consumers (docs/registry.md §3 could not confirm one);
3. for a consumer, no more than **6 years** have passed since the obligation fell due.

Readings taken, each the cautious one (docs/registry.md §11 lists the open questions):

* **The month** runs from the day the letter was posted (or sent), as KC art. 112 counts
  it: it ends on the same date of the next month (the last day of that month when it
  has none), and the debtor may be reported **from the day after** — posted 15 January,
  reportable from 16 February; posted 31 January, from 1 March. Weekends and holidays do
  not shorten or lengthen it.
* **Due for at least 30 days**: a claim is due (*wymagalne*) from the day after its
  payment date, so 30 whole days have passed from the payment date + 31 days.
* **What counts towards the amount**: the outstanding principal of claims named in the
  warning, due for 30 days, not in dispute, in PLN (or converted to PLN by the caller) —
  no interest or compensation. A disputed claim is never reported (the act does not
  forbid it; reporting a contested debt invites a claim for damages).
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class DebtorKind(StrEnum):
    BUSINESS = "business"  # art. 15
    CONSUMER = "consumer"  # art. 14


class WarningChannel(StrEnum):
    REGISTERED = "registered"  # list polecony
    BY_HAND = "by_hand"  # doręczenie osobiste
    EMAIL_PER_CONTRACT = "email_per_contract"  # art. 15 ust. 1a, businesses only


THRESHOLD = {DebtorKind.BUSINESS: Decimal("500.00"), DebtorKind.CONSUMER: Decimal("200.00")}
DAYS_DUE = 30
CONSUMER_YEARS = 6


@dataclass(frozen=True)
class RegistryClaim:
    """One unpaid claim of the debtor as the bureau would see it."""

    outstanding_pln: Decimal
    due_date: dt.date
    disputed: bool = False
    in_warning: bool = True  # named in the warning letter


@dataclass(frozen=True)
class RegistryWarning:
    sent_on: dt.date  # the day it was posted (registered), handed over or e-mailed
    channel: WarningChannel
    names_bureau: bool  # the bureau's firm and the address of its seat are in it


@dataclass(frozen=True)
class Unmet:
    """A condition not (yet) met: a code and the values its words need."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Eligibility:
    """``eligible_from``: the first day the debtor may be reported (today or earlier when
    it may be now; a later day when only time is missing; None when something else is
    missing); ``unmet``: why not on ``day``, empty when it may be reported."""

    eligible_from: dt.date | None
    unmet: tuple[Unmet, ...]

    @property
    def reportable(self) -> bool:
        return not self.unmet


def month_after(day: dt.date) -> dt.date:
    """The last day of a month counted from ``day`` (KC art. 112): the same date of the
    next month, or that month's last day when it has no such date."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))


def due_long_enough_from(due_date: dt.date) -> dt.date:
    """The first day a claim has been due for ``DAYS_DUE`` whole days."""
    return due_date + dt.timedelta(days=DAYS_DUE + 1)


def _years_after(day: dt.date, years: int) -> dt.date:
    year = day.year + years
    return dt.date(year, day.month, min(day.day, monthrange(year, day.month)[1]))


def _countable(kind: DebtorKind, claims: tuple[RegistryClaim, ...], day: dt.date
               ) -> list[RegistryClaim]:
    """The claims that may count: named in the warning, not disputed, not older than six
    years for a consumer (art. 14 ust. 1 pkt 4)."""
    found = [c for c in claims if c.in_warning and not c.disputed and c.outstanding_pln > 0]
    if kind == DebtorKind.CONSUMER:
        found = [c for c in found if day <= _years_after(c.due_date, CONSUMER_YEARS)]
    return sorted(found, key=lambda c: c.due_date)


def _amount_reached_on(kind: DebtorKind, claims: list[RegistryClaim]) -> dt.date | None:
    """The first day the claims due for 30 days reach the threshold (claims sorted by due
    date), if they ever do."""
    total = Decimal("0.00")
    for claim in claims:
        total += claim.outstanding_pln
        if total >= THRESHOLD[kind]:
            return due_long_enough_from(claim.due_date)
    return None


def _warning_problem(kind: DebtorKind, warning: RegistryWarning | None) -> Unmet | None:
    if warning is None:
        return Unmet("no_warning")
    if not warning.names_bureau:
        return Unmet("warning_without_bureau")
    if warning.channel == WarningChannel.EMAIL_PER_CONTRACT and kind != DebtorKind.BUSINESS:
        return Unmet("email_warning_to_consumer")
    return None


def registry_eligibility(kind: DebtorKind, claims: tuple[RegistryClaim, ...],
                         warning: RegistryWarning | None, day: dt.date) -> Eligibility:
    """Whether the debtor may be reported on ``day``, and from when (see the module)."""
    countable = _countable(kind, claims, day)
    total = sum((c.outstanding_pln for c in countable), Decimal("0.00"))
    amount_day = _amount_reached_on(kind, countable)
    problem = _warning_problem(kind, warning)
    month_day = (month_after(warning.sent_on) + dt.timedelta(days=1)
                 if warning is not None and problem is None else None)
    unmet: list[Unmet] = []
    if amount_day is None:
        unmet.append(Unmet("below_threshold", {"total": total, "threshold": THRESHOLD[kind]}))
    elif day < amount_day:
        unmet.append(Unmet("not_due_long_enough", {"from": amount_day}))
    if problem is not None:
        unmet.append(problem)
    elif month_day is not None and day < month_day:
        unmet.append(Unmet("month_not_passed", {"from": month_day}))
    if amount_day is None or month_day is None:
        return Eligibility(None, tuple(unmet))
    return Eligibility(max(month_day, amount_day), tuple(unmet))
