"""The forecast day by day, with its steps grouped into the e-mails a pass would send.

``forecast.forecast`` lists document steps; a pass sends all of one contractor's steps
of one kind on one day as one e-mail (SPEC §4, *Grouping*), so the steps are grouped
the same way here. Every day of the window is listed, the ones on which nothing may be
sent with the reason, so that an empty day is never mistaken for a missing one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..ledger.calendar import is_polish_holiday
from ..ledger.settings import CollectionSettings
from .forecast import FORECAST_DAYS, ForecastItem, forecast


@dataclass(frozen=True)
class ForecastMessage:
    contractor: str
    kind: str  # reminder | demand
    steps: tuple[ForecastItem, ...]
    channel: str = "email"  # email | letter | both (issue 16)

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(item.document for item in self.steps)

    @property
    def gaps(self) -> tuple:
        """The rates this e-mail's demands lack (``rate_gaps.RateGap``), in order."""
        return tuple(sorted({gap for item in self.steps for gap in item.gaps}))


@dataclass(frozen=True)
class ForecastDay:
    day: dt.date
    allowed: bool
    # Why nothing may be sent: "weekday" (not a selected weekday) or "holiday".
    closed_because: str
    messages: tuple[ForecastMessage, ...]

    @property
    def step_count(self) -> int:
        return sum(len(m.steps) for m in self.messages)


def _closed_because(settings: CollectionSettings, day: dt.date) -> str:
    if day.weekday() not in settings.schedule_weekdays:
        return "weekday"
    if settings.schedule_skip_holidays and is_polish_holiday(day):
        return "holiday"
    return ""


def group_messages(items: list[ForecastItem]) -> tuple[ForecastMessage, ...]:
    """One message a contractor, kind and channel, as a pass writes them."""
    groups: dict[tuple[str, str, str], list[ForecastItem]] = {}
    for item in items:
        groups.setdefault((item.contractor, item.kind, item.channel), []).append(item)
    return tuple(ForecastMessage(contractor, kind, tuple(steps), channel)
                 for (contractor, kind, channel), steps in sorted(groups.items()))


def forecast_days(
    settings: CollectionSettings, start: dt.date, days: int = FORECAST_DAYS
) -> list[ForecastDay]:
    """Each of ``days`` days from ``start``: allowed or why not, and its e-mails."""
    by_day: dict[dt.date, list[ForecastItem]] = {}
    for item in forecast(settings, start, days):
        by_day.setdefault(item.day, []).append(item)
    result = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        closed = _closed_because(settings, day)
        result.append(ForecastDay(day, not closed, closed,
                                  group_messages(by_day.get(day, []))))
    return result
