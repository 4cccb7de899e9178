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
from collections.abc import Iterable
from dataclasses import dataclass

from ..i18n import N_, t
from ..law.claim import ClaimFigures
from ..law.compensation import Missing
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
