"""Figures a demand cannot state because a rate is missing, and the command that adds it.

A demand never prints a figure it cannot compute (``views.claim_view``): it claims the
interest in words and the compensation in EUR. That letter is lawful, but the bookkeeper
should know before it goes out, and be told the one command that fixes it. The forecast
marks each demand of the coming days that lacks a figure (``forecast.ForecastItem.gaps``);
``windykacja status``, the interface's top line and the Forecast screen say so, from the
same answer (``forecast.coming_gaps``).

A gap is a missing rate, not a document: one statutory interest rate (a half-year of the
commercial rate, published in Monitor Polski; the ordinary rate before the table's first
row) or one month's NBP table-A EUR rate (the compensation's PLN value, art. 10 ust. 1a).
A foreign-currency document without its exchange rate leaves the compensation's tier
unknown; that is the document's data, not a rate table's, and the letter says it in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..i18n import N_, t
from ..law.claim import COMPENSATION_KINDS, ClaimFigures
from ..law.compensation import EurRate, Missing, month_key, rate_month
from ..law.interest import HALF_YEARLY, ONE_DAY, InterestKind, RateTable
from ..ledger.names import reader

INTEREST = "interest"
COMPENSATION = "compensation"


@dataclass(frozen=True, order=True)
class RateGap:
    """One missing rate: ``figure`` is ``interest`` (``kind`` the interest kind, ``start``
    the first day without a rate) or ``compensation`` (``kind`` "eur", ``start`` the first
    day of the month whose EUR rate is missing)."""

    figure: str
    kind: str
    start: dt.date

    @property
    def period(self) -> str:
        """``2026 H2`` for a commercial half-year, ``2026-06`` for an EUR month, else
        the day."""
        if self.figure == COMPENSATION:
            return f"{self.start:%Y-%m}"
        if self.kind in ("business", "healthcare"):
            return f"{self.start.year} H{1 if self.start.month <= 6 else 2}"
        return f"{self.start:%d.%m.%Y}"

    @property
    def quoted_command(self) -> str:
        """``command`` in single quotes, as advice names a command in running text."""
        return f"'{self.command}'"

    @property
    def command(self) -> str:
        """The one command that adds the missing rate (``cli/rates.py``)."""
        if self.figure == COMPENSATION:
            return f"windykacja rates refresh --since {self.start:%Y-%m}"
        return (f"windykacja rates add-interest {self.kind} {self.start.isoformat()} RATE "
                f'--source "M.P. {self.start.year} poz. N"')


def gaps_of(figures: ClaimFigures, *, interest: bool, compensation: bool) -> tuple[RateGap, ...]:
    """The rates a demand stating ``figures`` lacks, for the figures it claims
    (Settings: ``interest``, ``compensation``)."""
    gaps = []
    if interest and figures.interest is None and figures.interest_missing_from is not None:
        gaps.append(RateGap(INTEREST, figures.kind.value, figures.interest_missing_from))
    result = figures.compensation
    if compensation and isinstance(result, Missing) and result.eur is not None:
        year, month = (int(part) for part in result.month.split("-"))
        gaps.append(RateGap(COMPENSATION, "eur", dt.date(year, month, 1)))
    return tuple(gaps)


@dataclass(frozen=True)
class GapSummary:
    """The missing rates of the coming demands: each gap with the demands it affects
    (document numbers) and the first day such a demand goes out."""

    gap: RateGap
    documents: tuple[str, ...]
    first_day: dt.date


def summarise(items: Iterable) -> tuple[GapSummary, ...]:
    """``forecast.ForecastItem`` s grouped by the rate they lack, in gap order; each gap's
    documents in the order they first come (a dict keeps that order and answers "seen?"
    at once: a list's ``in`` made fifty thousand demands cost over a billion string
    comparisons)."""
    found: dict[RateGap, tuple[dict[str, None], dt.date]] = {}
    for item in items:
        for gap in getattr(item, "gaps", ()):
            documents, first = found.get(gap, ({}, item.day))
            documents[item.document] = None
            found[gap] = (documents, min(first, item.day))
    return tuple(GapSummary(gap, tuple(docs), first)
                 for gap, (docs, first) in sorted(found.items()))


def lacking_before(rates: RateTable, eur_rates: Mapping[str, EurRate], last: dt.date, *,
                   interest: bool, compensation: bool) -> dict[str, dt.date]:
    """For each contractor kind, a day such that no demand up to ``last`` on a document
    whose legal due date is on or after it can lack a rate (``gaps_of`` is empty); a
    document due earlier *may* lack one (the caller then computes its figures). A kind
    missing from the answer (not one of ``InterestKind``) may always lack one.

    Why, from ``law/``: a demand on day D (D ≤ ``last``) for a document with legal due
    date L states ``claim_figures(terms, kind, D, rates, eur_rates)``.

    * Interest (claimed when ``interest``) is missing only when ``interest.interest``
      raises ``RateMissingError``. It looks rates up (``_rate_on``) only on days of
      [L + 1, D] (its cuts: the first day of delay, the changes of the base that take
      effect by D, the rate boundaries inside the span; nothing when D < L + 1), and
      ``_rate_on`` fails on a day only when that day is not covered: a commercial kind
      (business, healthcare) needs the row of the day's own half-year, the ordinary rate
      (private) any row starting on or before the day. So when every day of
      [h, ``last``] is covered, a document with L + 1 ≥ h, or L ≥ ``last`` (no day of
      delay by D), lacks no interest rate. h is the first half-year of the unbroken run
      of half-years with their own row that ends with ``last``'s half-year (commercial),
      or the first row's start (private); with no such run (``last``'s own half-year has
      no row, or the first private row starts after ``last``) only L ≥ ``last`` is safe.
    * The compensation (claimed when ``compensation``; business and healthcare only:
      ``claim.COMPENSATION_KINDS``) is a gap only as ``Missing`` with an amount in EUR,
      which ``compensation.compensation`` answers only when ``eur_rates`` has no row for
      ``rate_month(L)`` (the month before L's month). It is computed only for a late
      document: interest's last day of delay, or ``days_late``, after L, both on or
      before D; so L < D ≤ ``last``. When the months ``rate_month(M)`` for every month M
      from m to the month of ``last`` − 1 have a well-formed row, a document with L ≥
      the first of m lacks none. A malformed row (dated outside its month, or not a
      positive amount: ``compensation`` raises on it) counts as missing, so such a
      document goes through the computation and raises there as before.

    The day of a kind is the later of its interest day and its compensation day.
    """
    safe: dict[str, dt.date] = {}
    eur_day = _eur_covered_from(eur_rates, last) if compensation else dt.date.min
    for kind in InterestKind:
        day = _interest_covered_from(rates, kind, last) if interest else dt.date.min
        if kind in COMPENSATION_KINDS:
            day = max(day, eur_day)
        safe[kind.value] = day
    return safe


def _interest_covered_from(rates: RateTable, kind: InterestKind, last: dt.date) -> dt.date:
    """The least L from which [L + 1, ``last``] has a rate on every day (see above)."""
    table = rates.rates_for(kind)
    if kind in HALF_YEARLY:
        starts = {rate.start for rate in table}
        half = dt.date(last.year, 1 if last.month <= 6 else 7, 1)
        if half not in starts:
            return last
        while True:
            before = (half - ONE_DAY).replace(day=1, month=1 if half.month == 7 else 7)
            if before not in starts:
                return half - ONE_DAY
            half = before
    if not table or table[0].start > last:
        return last
    return table[0].start - ONE_DAY


def _eur_covered_from(eur_rates: Mapping[str, EurRate], last: dt.date) -> dt.date:
    """The least L from which every late L (< ``last``) has its month's EUR rate."""
    month = (last - ONE_DAY).replace(day=1)  # the month of the latest L that can be late
    covered = last
    while _well_formed(eur_rates.get(rate_month(month)), rate_month(month)):
        covered = month
        month = (month - ONE_DAY).replace(day=1)
    return covered


def _well_formed(rate: EurRate | None, month: str) -> bool:
    """Whether ``compensation.compensation`` converts at ``rate`` without raising."""
    return (rate is not None and month_key(rate.effective_date) == month
            and isinstance(rate.mid, Decimal) and rate.mid.is_finite() and rate.mid > 0)


# The kinds of interest in words (codes are never shown: ``t(code)`` would be wrong).
_KIND_WORDS = {
    "business": N_("commercial-transaction"),
    "healthcare": N_("commercial-transaction (public healthcare debtor)"),
    "private": N_("ordinary statutory"),
}


def describe_gap(summary: GapSummary, words=None) -> str:
    """One sentence for a person: what is missing, what the demands do instead, and the
    command that adds it. ``words`` is an ``i18n.Words`` (default: the interface's)."""
    say = reader(words)
    gap = summary.gap
    day = f"{summary.first_day:%d.%m.%Y}"
    if gap.figure == INTEREST:
        return say.tn(
            "no {kind} interest rate for {period}: {n} demand from {day} will claim the "
            "interest in words, without an amount; add the rate: {command}",
            "no {kind} interest rate for {period}: {n} demands from {day} will claim the "
            "interest in words, without an amount; add the rate: {command}",
            len(summary.documents), kind=say.t(_KIND_WORDS[gap.kind]),
            period=gap.period, day=day, command=gap.quoted_command)
    return say.tn(
        "no NBP EUR rate for {period}: {n} demand from {day} will state the compensation "
        "in EUR only; add the rate: {command}",
        "no NBP EUR rate for {period}: {n} demands from {day} will state the compensation "
        "in EUR only; add the rate: {command}",
        len(summary.documents), period=gap.period, day=day, command=gap.quoted_command)


def short_gap(gap: RateGap) -> str:
    """A few words for a narrow place (the top line, a forecast row)."""
    if gap.figure == INTEREST:
        return t("no interest rate {period}", period=gap.period)
    return t("no EUR rate {period}", period=gap.period)
