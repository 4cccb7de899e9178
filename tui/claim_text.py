"""A document's claim under Polish law in words, for the document screen (``law/claim.py``
decides; this only says it, in the interface's language)."""

from __future__ import annotations

from ..law.claim import ClaimFigures
from ..law.compensation import Compensation, Missing
from .formatting import day, money
from .i18n import t

KIND_NAMES = {
    "business": "business",
    "private": "private person",
    "healthcare": "public healthcare entity",
}
# Interest periods listed one per line; a document paid in many parts keeps to a screen.
MAX_PERIOD_LINES = 6


def _percent(rate) -> str:
    return money(rate).strip() + " %"


def _interest_lines(figures: ClaimFigures, currency: str) -> list[str]:
    if figures.interest is None:
        return [t("Interest: cannot be stated: no rate from {date} in the table. Add the "
                  "rate from the Monitor Polski notice in Settings.",
                  date=day(figures.interest_missing_from))]
    if figures.interest.total == 0:
        return [t("Interest: none (not late)")]
    lines = [t("Interest to {today}: {amount}", today=day(figures.today),
               amount=money(figures.interest.total, currency))]
    periods = figures.interest.periods
    for period in periods[:MAX_PERIOD_LINES]:
        lines.append("  " + t("{start}–{end}: {base} × {rate} × {days} d / 365 = {amount}",
                              start=day(period.start), end=day(period.end),
                              base=money(period.base, currency), rate=_percent(period.rate),
                              days=period.days, amount=money(period.amount, currency)))
    if len(periods) > MAX_PERIOD_LINES:
        lines.append("  " + t("… and {count} more periods",
                              count=len(periods) - MAX_PERIOD_LINES))
    return lines


def _compensation_line(figures: ClaimFigures) -> str:
    result = figures.compensation
    if result is None:
        return t("Compensation: not due (only for business debtors, once late)")
    if isinstance(result, Missing):
        return t("Compensation: no NBP EUR rate for {month} yet (rates refresh)",
                 month=result.month)
    assert isinstance(result, Compensation)
    return t("Compensation: {eur} EUR × {mid} (NBP {table}, {date}) = {amount}",
             eur=result.eur, mid=result.rate.mid, table=result.rate.table_no,
             date=day(result.rate.effective_date), amount=money(result.pln, "PLN"))


def claim_lines(figures: ClaimFigures, currency: str, *, interest_claimed: bool,
                compensation_claimed: bool) -> list[str]:
    """Kind and limitation, interest with its periods, compensation; and whether demands
    claim them (Settings decide)."""
    barred = (t("time-barred since {date}", date=day(figures.limitation_date))
              if figures.time_barred else
              t("time-barred after {date}", date=day(figures.limitation_date)))
    lines = [t("Debtor: {kind} · claim {barred}",
               kind=t(KIND_NAMES.get(figures.kind.value, figures.kind.value)), barred=barred)]
    lines += _interest_lines(figures, currency)
    lines.append(_compensation_line(figures))
    lines.append(t("Demands claim interest: {interest} · compensation: {compensation}",
                   interest=t("yes") if interest_claimed else t("no"),
                   compensation=t("yes") if compensation_claimed else t("no")))
    return lines
