"""Forecast: what the coming 14 days will send, day by day (SPEC §4, *Next step*).

Computed with the pass's own functions (``dunning/forecast_days.py``) in a thread
worker, since a big database takes a second; a "computing…" line stands in meanwhile.
Every day is listed: the ones on which nothing may be sent say why, so an empty day is
never mistaken for a missing one. Once today's pass has run, the forecast starts
tomorrow and says so (``dunning.forecast.forecast_start``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from ...dunning.forecast import forecast_start
from ...dunning.forecast_days import ForecastDay, ForecastMessage, forecast_days
from ...dunning.rate_gaps import describe_gap, short_gap, summarise
from ...dunning.wording import channel_words
from ...ledger.settings import load_settings
from ...lists.paging import ListSource
from ...models.db import database
from ..i18n import N_, t, tn
from ..widgets.lazy_table import Column, LazyTable
from .base import TableScreen

STYLES = Path(__file__).parent.parent / "styles" / "forecast.tcss"
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


@dataclass(frozen=True)
class Line:
    """One line of the list: a day's heading, or one e-mail of that day."""

    day: ForecastDay
    message: ForecastMessage | None = None


def day_words(day: dt.date) -> str:
    return f"{t(WEEKDAYS[day.weekday()])} {day.strftime('%d.%m.%Y')}"


def day_summary(day: ForecastDay) -> str:
    if day.closed_because == "weekday":
        return t("not a sending day")
    if day.closed_because == "holiday":
        return t("holiday: no sending")
    if not day.messages:
        return t("nothing due")
    return counts_words(day.messages, day.step_count)


def counts_words(messages: Iterable[ForecastMessage], documents: int) -> str:
    """``3 e-mails, 5 documents``, or ``3 e-mails, 1 letter, 5 documents`` when letters
    go too (a step by letter and e-mail counts in both), each count with its plural."""
    emails = letters = 0
    for message in messages:
        emails += message.channel in ("email", "both")
        letters += message.channel in ("letter", "both")
    parts = [tn("{n} e-mail", "{n} e-mails", emails)]
    if letters:
        parts.append(tn("{n} letter", "{n} letters", letters))
    return ", ".join([*parts, tn("{n} document", "{n} documents", documents)])


def step_words(message: ForecastMessage) -> str:
    if message.kind == "reminder":
        words = t("reminder")
    else:
        numbers = sorted({item.number for item in message.steps})
        words = t("demand {number}", number=", ".join(str(n) for n in numbers))
    words = channel_words(words, message.channel)
    # A demand that lacks a rate is marked; the summary above says which and how to add it.
    return f"! {words}" if message.gaps else words


def lines_of(days: list[ForecastDay]) -> list[Line]:
    lines = []
    for day in days:
        lines.append(Line(day))
        lines.extend(Line(day, message) for message in day.messages)
    return lines


class ForecastScreen(TableScreen):
    TITLE = N_("Forecast")
    CSS_PATH = STYLES
    BINDINGS: ClassVar[list[BindingType]] = []

    def compose_body(self) -> ComposeResult:
        yield Static("", id="summary", classes="totals")
        yield LazyTable(
            [
                Column("day", t("Day"), 15, priority=9),
                Column("contractor", t("Contractor"), 20, priority=8, flex=True),
                # Wide enough for "! demand 3 (letter)" / "! wezwanie 3 (list)" (issue 16).
                Column("step", t("Step"), 19, priority=7),
                Column("documents", t("Documents"), 16, priority=6),
            ],
            cells=self._cells,
            empty_text="",
            id="forecast",
        )

    def _cells(self, line: Line) -> list[str]:
        if line.message is None:
            return [day_words(line.day.day), day_summary(line.day), "", ""]
        message = line.message
        documents = ", ".join(message.documents)
        if message.gaps:
            documents += " (" + ", ".join(short_gap(g) for g in message.gaps) + ")"
        return ["", message.contractor, step_words(message), documents]

    def refresh_data(self) -> None:
        self.query_one("#summary", Static).update(t("Computing the forecast…"))
        self._compute(self.clock.today())

    @work(thread=True, exclusive=True, group="forecast")
    def _compute(self, start: dt.date) -> None:
        try:
            settings = load_settings()
            start = forecast_start(start)  # tomorrow once today's pass has run
            days = forecast_days(settings, start)
        finally:
            database.close()
        self.app.call_from_thread(self._show, days, settings.module_enabled)

    def _show(self, days: list[ForecastDay], module_enabled: bool) -> None:
        cursor = self.table.cursor_row
        self.table.set_source(ListSource(lines_of(days)), cursor)
        if not module_enabled:
            text = t("Collection is off: nothing will be sent.")
        else:
            messages = [m for d in days for m in d.messages]
            text = tn("Next {n} day from {start}: {counts}. Payments that arrive meanwhile "
                      "are not foreseen.",
                      "Next {n} days from {start}: {counts}. Payments that arrive meanwhile "
                      "are not foreseen.", len(days),
                      start=days[0].day.strftime("%d.%m.%Y") if days else "",
                      counts=counts_words(messages, sum(d.step_count for d in days)))
            if days and days[0].day != self.clock.today():
                text = t("Today's pass has run; the forecast starts tomorrow.") + " " + text
            gaps = summarise(item for d in days for m in d.messages for item in m.steps)
            if gaps:
                # The demands marked "!" lack a rate: each missing rate, with its command.
                text += "\n" + "\n".join("! " + describe_gap(g) for g in gaps)
        self.query_one("#summary", Static).update(text)
