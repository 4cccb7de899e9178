"""Which days collection may send on, Polish public holidays, and the legal due date.

No database, no clock. Holidays come from the ``holidays`` package (the Polish
calendar, including Christmas Eve from 2025 on), kept per year in this process and in a
small file in the user's cache folder (``holidays-pl.json`` in
``~/.cache/windykacja/``, platformdirs' ``user_cache_dir``): loading the package takes a
tenth of a second or more (it imports every country's calendar), which the interface's
first rows would wait for, as their next step names an allowed day. The file holds the
package's own answers, year by year, stamped with the installed package's files (size,
change time, inode); another installed version of the package, or a file that cannot be
read, means asking the package again. A cache that cannot be written is no error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from platformdirs import user_cache_dir

WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WORKDAYS = frozenset(range(5))
# No allowed day can be more than a week plus a run of holidays away; a year bounds
# every search so that a bad calendar can never loop.
SEARCH_LIMIT_DAYS = 366


CACHE_FILE = "holidays-pl.json"
# The files whose change means another calendar: the package, Poland's rules, the
# Christian feasts (Easter and the days counted from it).
PACKAGE_FILES = ("__init__.py", "countries/poland.py", "groups/christian.py")


@lru_cache(maxsize=64)
def _polish_holidays(year: int) -> frozenset[dt.date]:
    stamp = package_stamp()
    stored = _read_cache(stamp)
    days = stored.get(str(year))
    if days is not None:
        return frozenset(days)
    answer = _ask_package(year)
    if stamp is not None:
        stored[str(year)] = sorted(answer)
        _write_cache(stamp, stored)
    return answer


def _ask_package(year: int) -> frozenset[dt.date]:
    # Imported only here: the package takes a tenth of a second or more to load (every
    # country's calendar), which neither the interface's first frame nor a command that
    # never asks about a day should wait for.
    import holidays

    return frozenset(holidays.country_holidays("PL", years=year).keys())


def cache_path() -> Path:
    return Path(user_cache_dir("windykacja", appauthor=False)) / CACHE_FILE


def package_stamp() -> str | None:
    """Which ``holidays`` package is installed, without importing it: the size, change
    time and inode of its files that decide the Polish calendar (a reinstall or an
    upgrade writes new files). None if it cannot be told (then nothing is cached)."""
    try:
        spec = find_spec("holidays")
        if spec is None or not spec.submodule_search_locations:
            return None
        folder = Path(next(iter(spec.submodule_search_locations)))
        parts = []
        for name in PACKAGE_FILES:
            info = (folder / name).stat()
            parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}:{info.st_ino}")
    except (OSError, ImportError, ValueError):
        return None
    return f"{folder}|" + "|".join(parts)


def _read_cache(stamp: str | None) -> dict[str, list[dt.date]]:
    """The years the cache holds for this package, or nothing (no file, another
    package, a file that cannot be read or is not what this module writes)."""
    if stamp is None:
        return {}
    try:
        with open(cache_path(), encoding="utf-8") as file:
            data = json.load(file)
        if data.get("stamp") != stamp:
            return {}
        return {str(int(year)): [dt.date.fromisoformat(day) for day in days]
                for year, days in data["years"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def _write_cache(stamp: str, years: dict[str, list[dt.date]]) -> None:
    """Written whole to a temporary file and moved into place, so that another process
    reads the old file or the new one, never half of one."""
    path = cache_path()
    data = {"stamp": stamp,
            "years": {year: [day.isoformat() for day in days] for year, days in years.items()}}
    import tempfile  # only when a year is first asked

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{CACHE_FILE}.")
    except OSError:  # a cache folder that cannot be written: ask the package next time
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(data, file)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


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
