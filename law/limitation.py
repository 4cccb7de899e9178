"""When a claim becomes time-barred (przedawnienie), as pure functions of its due date.

* A business claim (``business``, ``healthcare``): 3 years (Kodeks cywilny art. 118, claims
  connected with running a business).
* A sale to a consumer (``private``): 2 years (KC art. 554, claims from a sale made in the
  course of the seller's business).
* Since 9 July 2018 a period of two years or more ends on the last day of a calendar year
  (KC art. 118, second sentence), so the claim is barred after 31 December of the year
  ``due year + 3`` (or ``+ 2``).

The period runs from the day the claim fell due (wymagalność, KC art. 120): the due date
printed on the invoice, not the holiday-shifted legal due date, so the date shown is never
later than the real one. A payment on account or another acknowledgment of the debt
interrupts the period (KC art. 123 § 1 pkt 2) and it starts again; the date here does not
assume one, so it is the earliest the claim can be barred: a warning, not legal advice.
"""

from __future__ import annotations

import datetime as dt

from .interest import InterestKind

YEARS = {
    InterestKind.BUSINESS: 3,
    InterestKind.HEALTHCARE: 3,
    InterestKind.PRIVATE: 2,
}


def _years(kind: InterestKind | str) -> int:
    try:
        return YEARS[InterestKind(kind)]
    except ValueError:
        raise ValueError(f"unknown contractor kind {kind!r} "
                         f"(use one of {', '.join(k.value for k in InterestKind)})") from None


def limitation_date(due_date: dt.date, kind: InterestKind | str) -> dt.date:
    """The last day on which the claim is not yet time-barred."""
    return dt.date(due_date.year + _years(kind), 12, 31)


def is_time_barred(due_date: dt.date, kind: InterestKind | str, today: dt.date) -> bool:
    return today > limitation_date(due_date, kind)


def due_dates_expiring(today: dt.date, within_days: int,
                       kind: InterestKind | str) -> tuple[dt.date, dt.date] | None:
    """The due dates whose claims are still alive today but barred within ``within_days``.

    As the period always ends on 31 December, the answer is a range of whole due years:
    a query can select it on the indexed due date instead of computing a date per row.
    ``None`` when no 31 December falls in ``[today, today + within_days]``.
    """
    if within_days < 0:
        raise ValueError("within_days must not be negative")
    years = _years(kind)
    first_end = today.year
    last_end = (today + dt.timedelta(days=within_days)).year
    if dt.date(last_end, 12, 31) > today + dt.timedelta(days=within_days):
        last_end -= 1
    if last_end < first_end:
        return None
    return dt.date(first_end - years, 1, 1), dt.date(last_end - years, 12, 31)
