"""The one clock. Every part that needs "today" or "now" asks a ``Clock``.

Tests, ``run-once --today`` and simulations pass a ``FixedClock``; the program
passes a ``SystemClock`` in the company's time zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Europe/Warsaw"


class Clock:
    """Today in the company's time zone and the current instant in UTC."""

    timezone: ZoneInfo

    def now(self) -> dt.datetime:
        """The current instant, timezone-aware UTC."""
        raise NotImplementedError

    def today(self) -> dt.date:
        return self.local_now().date()

    def local_now(self) -> dt.datetime:
        return self.now().astimezone(self.timezone)


@dataclass
class SystemClock(Clock):
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


@dataclass
class FixedClock(Clock):
    """A clock pinned to a local date and time (09:00 unless told); ``advance`` moves it."""

    day: dt.date
    time: dt.time = dt.time(9, 0)
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))

    def now(self) -> dt.datetime:
        local = dt.datetime.combine(self.day, self.time, tzinfo=self.timezone)
        return local.astimezone(dt.UTC)

    def advance(self, delta: dt.timedelta) -> None:
        moved = dt.datetime.combine(self.day, self.time) + delta
        self.day, self.time = moved.date(), moved.time()


def utc_now_naive(clock: Clock) -> dt.datetime:
    """UTC instant without tzinfo, the form timestamps are stored in."""
    return clock.now().astimezone(dt.UTC).replace(tzinfo=None)
