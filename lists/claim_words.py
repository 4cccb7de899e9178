"""A document's claim under Polish law in words: the document screen's law panel and the
``history`` command say the same (``law/claim.py`` decides; this only says it).

A figure that cannot be computed (no statutory rate for the period, no NBP EUR rate for
the month) is never shown as a number: the line says what is claimed instead (interest
from the day after the legal due date until payment; the compensation in EUR) and the
command that adds the missing rate (``rate_gaps.RateGap.command``). Rates and percentages
are in the reader's notation (``4,2000`` in Polish).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..dunning.rate_gaps import COMPENSATION, INTEREST, gaps_of
from ..i18n import N_, Words
from ..law.claim import ClaimFigures
from ..law.compensation import Compensation, Missing
from ..ledger.names import amount_text, day_text, name_of, reader
from ..models.money import format_rate

KIND_NAMES = {
    "business": N_("business"),
    "private": N_("private person"),
    "healthcare": N_("public healthcare entity"),
}
# Interest periods listed one per line; a document paid in many parts keeps to a screen.
MAX_PERIOD_LINES = 6


def rate_text(rate: Decimal, language_or_words: str | Words | None = None) -> str:
    """A rate as written in the reader's language: ``4,2000`` / ``4.2000``."""
    return format_rate(rate, reader(language_or_words).language)


def _commands(figures: ClaimFigures) -> dict[str, str]:
    return {gap.figure: gap.quoted_command
            for gap in gaps_of(figures, interest=True, compensation=True)}


def interest_start(figures: ClaimFigures) -> dt.date:
    """The first day of interest: the day after the legal due date."""
    return figures.today - dt.timedelta(days=max(figures.days_late, 1) - 1)


def _interest_lines(figures: ClaimFigures, currency: str, say: Words) -> list[str]:
    if figures.interest is None:
        return [say.t("Interest: no amount: the table has no rate from {date}. Demands claim "
                      "it in words, from {start} until payment. Add the rate in Settings or "
                      "with: {command}",
                      date=day_text(figures.interest_missing_from),
                      start=day_text(interest_start(figures)),
                      command=_commands(figures).get(INTEREST, "windykacja rates")).rstrip()]
    if figures.interest.total == 0:
        return [say.t("Interest: none (not late)")]
    lines = [say.t("Interest to {today}: {amount}", today=day_text(figures.today),
                   amount=amount_text(figures.interest.total, currency, say))]
    periods = figures.interest.periods
    for period in periods[:MAX_PERIOD_LINES]:
        lines.append("  " + say.t(
            "{start}–{end}: {base} × {rate} × {days} d / 365 = {amount}",
            start=day_text(period.start), end=day_text(period.end),
            base=amount_text(period.base, currency, say),
            rate=rate_text(period.rate, say) + " %", days=period.days,
            amount=amount_text(period.amount, currency, say)))
    if len(periods) > MAX_PERIOD_LINES:
        lines.append("  " + say.tn("… and {n} more period", "… and {n} more periods",
                                   len(periods) - MAX_PERIOD_LINES))
    return lines


def _compensation_line(figures: ClaimFigures, say: Words) -> str:
    result = figures.compensation
    if result is None:
        return say.t("Compensation: not due (only for business debtors, once late)")
    if isinstance(result, Missing):
        if result.eur is None:
            return say.t("Compensation: 40, 70 or 100 EUR by the claim's value in PLN, "
                         "unknown: the document has no exchange rate")
        return say.t("Compensation: {eur} EUR; no PLN amount: the NBP EUR rate for {month} "
                     "is not known. Add it: {command}", eur=int(result.eur),
                     month=result.month, command=_commands(figures).get(COMPENSATION, ""))
    assert isinstance(result, Compensation)
    return say.t("Compensation: {eur} EUR × {mid} (NBP {table}, {date}) = {amount}",
                 eur=int(result.eur), mid=rate_text(result.rate.mid, say),
                 table=result.rate.table_no, date=day_text(result.rate.effective_date),
                 amount=amount_text(result.pln, "PLN", say))


def total_line(figures: ClaimFigures, currency: str, outstanding: Decimal, say: Words, *,
               interest_claimed: bool = True, compensation_claimed: bool = True) -> str:
    """What a demand sent today asks for: the principal with what the law adds and the
    settings claim (the same choice the letter makes, so the screen and the letter agree);
    a figure not known is named in words, never counted as 0."""
    known, more = outstanding, []
    if interest_claimed and figures.interest is not None:
        known += figures.interest.total
    elif interest_claimed:
        more.append(say.t("interest from {start} until payment",
                          start=day_text(interest_start(figures))))
    result = figures.compensation if compensation_claimed else None
    if isinstance(result, Compensation):
        if currency == "PLN":
            known += result.pln
        else:
            more.append(amount_text(result.pln, "PLN", say))
    elif isinstance(result, Missing):
        more.append(f"{int(result.eur)} EUR" if result.eur is not None
                    else say.t("the compensation"))
    return say.t("A demand sent today would claim: {amount}",
                 amount=" + ".join([amount_text(known, currency, say), *more]))


def claim_lines(figures: ClaimFigures, currency: str, *, interest_claimed: bool,
                compensation_claimed: bool, outstanding: Decimal | None = None,
                language_or_words: str | Words | None = None) -> list[str]:
    """Kind and limitation, interest with its periods, compensation, the total (when
    ``outstanding`` is given); and whether demands claim them (Settings decide)."""
    say = reader(language_or_words)
    barred = (say.t("time-barred since {date}", date=day_text(figures.limitation_date))
              if figures.time_barred else
              say.t("time-barred after {date}", date=day_text(figures.limitation_date)))
    lines = [say.t("Debtor: {kind} · claim {barred}",
                   kind=name_of(KIND_NAMES, figures.kind.value, say), barred=barred)]
    lines += _interest_lines(figures, currency, say)
    lines.append(_compensation_line(figures, say))
    if outstanding is not None and outstanding > 0 and figures.days_late > 0:
        lines.append(total_line(figures, currency, outstanding, say,
                                interest_claimed=interest_claimed,
                                compensation_claimed=compensation_claimed))
    lines.append(say.t("Demands claim interest: {interest} · compensation: {compensation}",
                       interest=say.t("yes") if interest_claimed else say.t("no"),
                       compensation=say.t("yes") if compensation_claimed else say.t("no")))
    return lines
