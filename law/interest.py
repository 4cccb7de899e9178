"""Statutory late-payment interest on one document, as pure functions over a rate table.

Two legal regimes (facts and sources: ../shared/reference/polish-law-formats.md §1):

* **business** / **healthcare**: odsetki ustawowe za opóźnienie w transakcjach handlowych
  (ustawa z 8 marca 2013 r., art. 4 pkt 3, art. 11b, art. 11c). Since 1 January 2020 the NBP
  reference rate + 10 pp, or + 8 pp when the debtor is a public entity that is a healthcare
  provider (``healthcare``); 2016-2019 + 8 pp for everybody. The rate is fixed for each
  half-year: January-June uses the reference rate in force on 1 January, July-December the
  one in force on 1 July (art. 11b).
* **private**: odsetki ustawowe za opóźnienie (Kodeks cywilny art. 481 § 2), the reference
  rate + 5.5 pp, changing on every reference-rate decision.

The rates themselves are data (``data/interest_rates.json``, each row with its source), not
derived at run time, as the reference recommends: the published notices are what a court
applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from enum import StrEnum
from pathlib import Path

from .data_files import read_table
from .decimals import decimal_places

GROSZ = Decimal("0.01")
# The Civil Code gives no day-count convention; practice and the tax-interest regulation
# (Dz.U. 2015 poz. 2233: Kz x L x O / 365) divide by 365 in every year, leap years included.
YEAR_DAYS = 365
ONE_DAY = dt.timedelta(days=1)


class InterestKind(StrEnum):
    """Which statutory rate applies; the contractor's kind decides it."""

    BUSINESS = "business"
    HEALTHCARE = "healthcare"
    PRIVATE = "private"


# Commercial-transaction rates are fixed per half-year (art. 11b); the ordinary rate is a
# plain step function of the reference-rate decisions.
HALF_YEARLY = frozenset({InterestKind.BUSINESS, InterestKind.HEALTHCARE})


class RateTableError(ValueError):
    """A rate table (shipped or typed by the user) is not usable; the message says why."""


class RateMissingError(LookupError):
    """No statutory rate is known for part of the period; the message names the period,
    ``missing_from`` is the first day without a rate (for a screen to word it)."""

    def __init__(self, message: str, missing_from: dt.date) -> None:
        super().__init__(message)
        self.missing_from = missing_from


@dataclass(frozen=True)
class Rate:
    """One statutory rate in percent a year, applying from ``start``, with its source
    (``source_pl``: the same note in Polish, for a Polish reader; "" when none is given)."""

    start: dt.date
    rate: Decimal
    source: str
    source_pl: str = ""


@dataclass(frozen=True)
class RateTable:
    """Rates per kind, each tuple sorted by start date (see ``parse_rate_table``)."""

    business: tuple[Rate, ...]
    healthcare: tuple[Rate, ...]
    private: tuple[Rate, ...]

    def rates_for(self, kind: InterestKind | str) -> tuple[Rate, ...]:
        rates: tuple[Rate, ...] = getattr(self, _kind(kind).value)
        return rates


@dataclass(frozen=True)
class PrincipalEvent:
    """A change to what the debtor owes on the document.

    ``change`` is positive for the amount invoiced (or raised by a correction) and negative
    for a payment or a credit. ``on`` is the day it happened; for a bank transfer the day the
    creditor's account was credited (SN III CZP 164/94).
    """

    on: dt.date
    change: Decimal


@dataclass(frozen=True)
class PeriodInterest:
    """One row of the breakdown: a stretch of days with one base and one rate.

    ``exact`` is the unrounded amount; ``amount`` rounds it half-up to the grosz for display.
    The document's total rounds the sum of the exact amounts once, so the displayed rows may
    differ from the total by a grosz.
    """

    start: dt.date
    end: dt.date
    days: int
    base: Decimal
    rate: Decimal
    exact: Decimal
    source: str

    @property
    def amount(self) -> Decimal:
        return self.exact.quantize(GROSZ, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class InterestResult:
    """Interest on one document from the day after the legal due date to ``until``."""

    kind: InterestKind
    legal_due_date: dt.date
    until: dt.date
    total: Decimal
    periods: tuple[PeriodInterest, ...]
    # Days from the legal due date to the last day that bore interest (0 if none did).
    days_late: int


# --- the rate table ---------------------------------------------------------------------


def _parse_decimal(value: object, where: str) -> Decimal:
    # Only text or Decimal: a binary float may already have lost the figure.
    if isinstance(value, bool) or not isinstance(value, str | Decimal | int):
        raise RateTableError(f"{where}: the rate must be written as text like \"9.25\", "
                             f"got {value!r}")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise RateTableError(f"{where}: {value!r} is not a number") from None
    if not number.is_finite():
        raise RateTableError(f"{where}: {value!r} is not a finite number")
    return number


def _check_rate(kind: InterestKind, start: dt.date, rate: Decimal, source: str,
                where: str) -> None:
    if not Decimal(0) <= rate < Decimal(100):
        raise RateTableError(f"{where}: a rate of {rate} % a year is out of range "
                             "(it is in percent, 0 to under 100)")
    if decimal_places(rate) > 4:
        raise RateTableError(f"{where}: {rate} has more than 4 decimal places")
    if kind in HALF_YEARLY and (start.day != 1 or start.month not in (1, 7)):
        raise RateTableError(
            f"{where}: commercial-transaction interest is fixed per half-year (art. 11b of the "
            f"2013 act), so a rate must start on 1 January or 1 July, not on {start.isoformat()}")
    if not source.strip():
        raise RateTableError(f"{where}: say where the rate comes from (e.g. the Monitor Polski "
                             "notice or the RPP resolution)")


def parse_rate_table(data: Mapping[str, object]) -> RateTable:
    """Build and check a rate table from its JSON form (``data/interest_rates.json``)."""
    series = data.get("series")
    if not isinstance(series, Mapping):
        raise RateTableError("the rate table has no \"series\" object")
    parsed: dict[str, tuple[Rate, ...]] = {}
    for kind in InterestKind:
        block = series.get(kind.value)
        rows = block.get("rates") if isinstance(block, Mapping) else None
        if not isinstance(rows, list) or not rows:
            raise RateTableError(f"the rate table has no rates for {kind.value!r}")
        rates: list[Rate] = []
        for index, row in enumerate(rows, start=1):
            where = f"{kind.value} rate #{index}"
            if not isinstance(row, Mapping):
                raise RateTableError(f"{where}: expected an object with from, rate, source")
            try:
                start = dt.date.fromisoformat(str(row.get("from")))
            except ValueError:
                raise RateTableError(f"{where}: \"from\" must be a date like 2026-01-01, "
                                     f"got {row.get('from')!r}") from None
            rate = _parse_decimal(row.get("rate"), where)
            source = row.get("source")
            source = source if isinstance(source, str) else ""
            _check_rate(kind, start, rate, source, where)
            if rates and start <= rates[-1].start:
                raise RateTableError(f"{where}: starts on {start.isoformat()}, not after the "
                                     f"previous rate ({rates[-1].start.isoformat()}); keep the "
                                     "rows in date order, one per start date")
            source_pl = row.get("source_pl")
            source_pl = source_pl.strip() if isinstance(source_pl, str) else ""
            rates.append(Rate(start, rate, source.strip(), source_pl))
        parsed[kind.value] = tuple(rates)
    return RateTable(**parsed)


def load_rate_table(path: Path | None = None) -> RateTable:
    """Load the shipped rate table (or the JSON file at ``path``) and check it."""
    return parse_rate_table(read_table("interest_rates.json", path))


def _kind(kind: InterestKind | str) -> InterestKind:
    try:
        return InterestKind(kind)
    except ValueError:
        raise RateTableError(f"unknown interest kind {kind!r}; use one of "
                             f"{', '.join(k.value for k in InterestKind)}") from None


def add_rate(table: RateTable, kind: InterestKind | str, start: dt.date, rate: Decimal,
             source: str, *, replace_existing: bool = False) -> RateTable:
    """Return a new table with a user's rate added (the shipped table is never changed).

    A commercial rate (business, healthcare) covers one half-year, so it must start on
    1 January or 1 July (art. 11b). A rate for a start date already in the table is refused
    unless ``replace_existing`` is set, so a typo cannot silently overwrite a published rate.
    """
    kind = _kind(kind)
    if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
        raise RateTableError(f"the start must be a date, got {start!r}")
    if not isinstance(rate, Decimal):
        raise RateTableError(f"the rate must be a Decimal such as Decimal(\"9.25\"), got {rate!r}")
    where = f"new {kind.value} rate from {start.isoformat()}"
    if not rate.is_finite():
        raise RateTableError(f"{where}: {rate} is not a finite number")
    _check_rate(kind, start, rate, source, where)
    current = table.rates_for(kind)
    clash = next((r for r in current if r.start == start), None)
    if clash is not None and not replace_existing:
        raise RateTableError(f"{where}: the table already has {clash.rate} % from that day "
                             f"({clash.source}); replace it explicitly if it is wrong")
    kept = [r for r in current if r.start != start]
    updated = tuple(sorted([*kept, Rate(start, rate, source.strip())], key=lambda r: r.start))
    return replace(table, **{kind.value: updated})


# --- rate lookup --------------------------------------------------------------------------


def _half_year_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 1 if day.month <= 6 else 7, 1)


def _half_year_end(day: dt.date) -> dt.date:
    return dt.date(day.year, 6, 30) if day.month <= 6 else dt.date(day.year, 12, 31)


def _half_year_name(day: dt.date) -> str:
    return f"{day.year} H{1 if day.month <= 6 else 2}"


def _rate_on(rates: tuple[Rate, ...], kind: InterestKind, day: dt.date) -> Rate:
    if kind in HALF_YEARLY:
        # A notice covers its half-year only; a later half-year needs its own notice, so the
        # last known rate is never carried forward.
        wanted = _half_year_start(day)
        for rate in rates:
            if rate.start == wanted:
                return rate
        raise RateMissingError(
            f"no {kind.value} interest rate for {_half_year_name(day)} "
            f"({wanted.isoformat()} to {_half_year_end(day).isoformat()}); add the rate from "
            "the Monitor Polski notice for that half-year", wanted)
    # The ordinary rate holds until the next reference-rate decision.
    found = None
    for rate in rates:
        if rate.start <= day:
            found = rate
        else:
            break
    if found is None:
        raise RateMissingError(f"no {kind.value} interest rate before "
                               f"{rates[0].start.isoformat()} (asked for {day.isoformat()})",
                               day)
    return found


def _rate_boundaries(rates: tuple[Rate, ...], kind: InterestKind, first: dt.date,
                     last: dt.date) -> set[dt.date]:
    """Days inside (first, last] on which the rate may change."""
    if kind in HALF_YEARLY:
        days = set()
        for year in range(first.year, last.year + 1):
            days.update({dt.date(year, 1, 1), dt.date(year, 7, 1)})
    else:
        days = {r.start for r in rates}
    return {d for d in days if first < d <= last}


# --- interest -----------------------------------------------------------------------------


def _check_events(events: Iterable[PrincipalEvent]) -> list[PrincipalEvent]:
    checked = []
    for index, event in enumerate(events, start=1):
        if not isinstance(event.change, Decimal):
            raise TypeError(f"principal event #{index} ({event.on}): the amount must be a "
                            f"Decimal, got {type(event.change).__name__} {event.change!r}")
        if not event.change.is_finite():
            raise ValueError(f"principal event #{index} ({event.on}): {event.change} is not a "
                             "finite amount")
        checked.append(event)
    return checked


def interest(principal_events: Sequence[PrincipalEvent], legal_due_date: dt.date,
             until: dt.date, kind: InterestKind | str, rates: RateTable) -> InterestResult:
    """Statutory interest on one document from the day after ``legal_due_date`` to ``until``.

    The rule (reference §1.5): interest runs from the day after the legal due date (the
    debtor may pay until the due date ends, KC art. 111 § 1) up to and including ``until``.
    A payment credited on day P still bears interest on day P (the day of payment is the day
    the creditor's account is credited and interest runs up to and including it: SN III CZP
    164/94) and stops bearing it from P + 1. Anything paid on or before the due date never
    bears interest. Each stretch with one base and one rate gives ``base x rate x days / 365``
    with both ends counted; the exact amounts are summed and the sum rounded half-up to the
    grosz once per document. Interest is never added to the base (KC art. 482 § 1).

    ``legal_due_date`` is the deadline after the Saturday/holiday shift of KC art. 115.
    Raises ``RateMissingError`` when the table has no rate for a day that bears interest.
    """
    kind = _kind(kind)
    events = _check_events(principal_events)
    start = legal_due_date + ONE_DAY
    zero = InterestResult(kind, legal_due_date, until, Decimal("0.00"), (), 0)
    if until < start:
        return zero

    # A change on day d affects the base from d + 1 (the day itself still bears the old base);
    # changes on or before the due date all count from the first day of delay.
    changes: dict[dt.date, Decimal] = {}
    for event in events:
        effective = max(event.on + ONE_DAY, start)
        if effective <= until:
            changes[effective] = changes.get(effective, Decimal(0)) + event.change

    table = rates.rates_for(kind)
    boundaries = _rate_boundaries(table, kind, start, until)
    cuts = sorted({start, *changes, *boundaries})
    rows: list[PeriodInterest] = []
    owed = Decimal(0)
    with localcontext() as ctx:
        # Enough digits that only the final rounding to the grosz ever rounds.
        ctx.prec = 40
        for index, first in enumerate(cuts):
            last = cuts[index + 1] - ONE_DAY if index + 1 < len(cuts) else until
            owed += changes.get(first, Decimal(0))
            # An overpayment leaves nothing to bear interest; it is not negative interest.
            base = max(owed, Decimal(0))
            if base == 0:
                continue
            entry = _rate_on(table, kind, first)
            days = (last - first).days + 1
            previous = rows[-1] if rows else None
            if (previous is not None and previous.end + ONE_DAY == first
                    and previous.base == base and first not in boundaries):
                # Changes that netted to nothing do not split a row; a new rate period always
                # does, even at an equal rate, since each half-year has its own notice.
                first, days = previous.start, previous.days + days
                rows.pop()
            rows.append(PeriodInterest(first, last, days, base, entry.rate,
                                       base * entry.rate * days / (100 * YEAR_DAYS),
                                       entry.source))
        total = sum((row.exact for row in rows), Decimal(0))
    if not rows:
        return zero
    return InterestResult(kind, legal_due_date, until,
                          total.quantize(GROSZ, rounding=ROUND_HALF_UP), tuple(rows),
                          (rows[-1].end - legal_due_date).days)
