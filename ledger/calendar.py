"""Which days collection may send on, Polish public holidays, and the legal due date.

Pure: no database, no clock. Holidays come from the ``holidays`` package (the
Polish calendar, including Christmas Eve from 2025 on), cached per year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WORKDAYS = frozenset(range(5))
# No allowed day can be more than a week plus a run of holidays away; a year bounds
# every search so that a bad calendar can never loop.
SEARCH_LIMIT_DAYS = 366


@lru_cache(maxsize=64)
def _polish_holidays(year: int) -> frozenset[dt.date]:
    # Imported at the first day asked about: the package takes a tenth of a second or
    # more to load (every country's calendar), which neither the interface's first frame
    # nor a command that never asks about a day should wait for.
    import holidays

    return frozenset(holidays.country_holidays("PL", years=year).keys())


def is_polish_holiday(day: dt.date) -> bool:
    return day in _polish_holidays(day.year)


def is_business_day(day: dt.date) -> bool:
    """Not a Saturday, Sunday or Polish public holiday."""
    return day.weekday() < 5 and not is_polish_holiday(day)


def legal_due_date(due_date: dt.date) -> dt.date:
    """Civil Code art. 115: a due date on a Saturday, Sunday or holiday moves to the next
    business day, and the customer may still pay on time that day."""
    day = due_date
    while not is_business_day(day):
        day += dt.timedelta(days=1)
    return day


def parse_weekdays(text: str) -> frozenset[int]:
    """``mon,tue,fri`` → {0, 1, 4}; raises ValueError naming a bad code."""
    codes = [c.strip().lower() for c in text.replace(";", ",").split(",") if c.strip()]
    unknown = [c for c in codes if c not in WEEKDAY_CODES]
    if unknown:
        raise ValueError(f"unknown weekday {unknown[0]!r} (use {','.join(WEEKDAY_CODES)})")
    if not codes:
        raise ValueError("at least one weekday must be chosen")
    return frozenset(WEEKDAY_CODES.index(c) for c in codes)


def format_weekdays(weekdays: frozenset[int]) -> str:
    return ",".join(WEEKDAY_CODES[i] for i in sorted(weekdays))


@dataclass(frozen=True)
class SendingDays:
    """The days reminders and demands may go out on (SPEC §4: *allowed* days)."""

    weekdays: frozenset[int] = WORKDAYS
    skip_holidays: bool = True

    def is_allowed(self, day: dt.date) -> bool:
        if day.weekday() not in self.weekdays:
            return False
        return not (self.skip_holidays and is_polish_holiday(day))

    def first_allowed(self, start: dt.date, until: dt.date | None = None) -> dt.date | None:
        """The first allowed day on or after ``start`` (and on or before ``until``)."""
        last = until or start + dt.timedelta(days=SEARCH_LIMIT_DAYS)
        day = start
        while day <= last:
            if self.is_allowed(day):
                return day
            day += dt.timedelta(days=1)
        return None
