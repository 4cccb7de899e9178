"""Aging report (wiekowanie należności): what contractors owe, by how long ago it fell
due — a bar chart of the six bucket totals over a table of contractors (issue 5).

The report comes from one aggregate statement (``lists/aging.py``) run in a thread
worker, as is every re-sort, so the screen never waits on a big database; the rows
(one per contractor owing something) sit in memory and the ``LazyTable`` draws only
those on screen. ``c`` switches the currency (amounts in different currencies are
never added), ``s``/``r`` and a click on a heading sort, ``e`` writes the rows shown
to a CSV file, Enter shows the selected contractor's whole row — on 80 columns the
table drops the youngest buckets.

Enter does not open the unpaid list for the contractor: that list has no contractor
filter (its search matches a name as part of other names, and numbers too), so the
breakdown is shown here instead.

Amounts in open disputes (issue 15) are out of the buckets, in a column of their own
(*Disputed*, left out first on a narrow terminal, with *In recovery*); the summary line
and a contractor's whole row say them too.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, Static

from ...lists.aging import (
    BUCKET_KEYS,
    BUCKET_NAMES,
    AgingReport,
    AgingRow,
    aging_report,
    sort_rows,
)
from ...lists.aging_csv import export_aging_file
from ...lists.paging import ListSource
from ...models.db import database
from ..formatting import day, money
from ..guard import Guarded
from ..i18n import N_, language, t, tn
from ..widgets.lazy_table import Column, LazyTable
from .base import TableScreen
from .export import ExportDialog, export_from_thread

STYLES = Path(__file__).parent.parent / "styles" / "aging.tcss"

# English source texts; shown through t().
CHART_LABELS = BUCKET_NAMES
COLUMN_TITLES = (N_("Not due"), N_("1–30"), N_("31–60"), N_("61–90"), N_("91–180"), N_("> 180"))
# What ``s`` steps through, each in its natural direction (amounts largest first).
SORT_CYCLE = ("total", "days_over_180", "days_91_180", "days_61_90", "days_31_60",
              "days_1_30", "not_due", "name", "code", "in_recovery", "disputed")
BUCKET_WIDTH = 10  # "123 456,78"; a larger amount shows in whole units
TOTAL_WIDTH = 12
EIGHTHS = " ▏▎▍▌▋▊▉"


# -- drawing helpers (pure) --------------------------------------------------------------
def bar_eighths(grosze: int, largest: int, width: int) -> int:
    """A bar's length in eighths of a cell, the largest amount filling ``width``
    cells; in whole numbers (no float), and at least one eighth for any debt so that
    a small one is never drawn as none."""
    if grosze <= 0 or largest <= 0:
        return 0
    return max(1, grosze * width * 8 // largest)


def bar_text(eighths: int) -> str:
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "")


def share_text(grosze: int, total: int) -> str:
    """The percentage of the total, rounded half up; ``<1%`` for a debt that rounds
    to nothing."""
    if total <= 0:
        return ""
    percent = (grosze * 200 + total) // (total * 2)
    return "<1%" if grosze > 0 and percent == 0 else f"{percent}%"


def whole_units(value: Decimal) -> str:
    """An amount rounded to whole units, grouped the way ``money`` groups."""
    text = f"{value.quantize(Decimal(1), rounding=ROUND_HALF_UP):,.0f}"
    return text.replace(",", " ") if language() == "pl" else text


def fit_money(value: Decimal, width: int) -> str:
    """``money(value)`` if it fits ``width``, else the amount in whole units: a figure
    cut short with an ellipsis could be misread."""
    text = money(value)
    return text if len(text) <= width else whole_units(value)


class AgingChart(Widget):
    """Horizontal bars of the bucket totals, proportional to the largest, each with
    its amount and share of the total beside it."""

    COMPONENT_CLASSES = {"aging-chart--bar", "aging-chart--not-due"}
    DEFAULT_CSS = """
    AgingChart { height: 6; }
    AgingChart > .aging-chart--bar { color: $warning; }
    AgingChart > .aging-chart--not-due { color: $success; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.bars: list[tuple[str, int]] = []  # (label, grosze)

    def show(self, bars: list[tuple[str, int]]) -> None:
        self.bars = bars
        self.refresh()

    def render(self) -> Text:
        if not self.bars:
            return Text("")
        labels = [label for label, _ in self.bars]
        amounts = [money(Decimal(g).scaleb(-2)) for _, g in self.bars]
        total = sum(g for _, g in self.bars)
        shares = [share_text(g, total) for _, g in self.bars]
        label_width = max(len(label) for label in labels)
        amount_width = max(len(a) for a in amounts)
        width = max(1, self.size.width - label_width - amount_width - 4 - 3)
        largest = max(g for _, g in self.bars)
        text = Text(no_wrap=True, overflow="crop")
        for index, (label, grosze) in enumerate(self.bars):
            style = "aging-chart--not-due" if index == 0 else "aging-chart--bar"
            if index:
                text.append("\n")
            text.append(label.ljust(label_width) + " ")
            text.append(bar_text(bar_eighths(grosze, largest, width)).ljust(width),
                        self.get_component_rich_style(style))
            text.append(" " + amounts[index].rjust(amount_width) + " "
                        + shares[index].rjust(4))
        return text


# -- the screen --------------------------------------------------------------------------
def columns() -> list[Column]:
    buckets = [
        Column(key, t(title), BUCKET_WIDTH, priority=3 + index, right=True)
        for index, (key, title) in enumerate(zip(BUCKET_KEYS, COLUMN_TITLES, strict=True))
    ]
    return [
        Column("code", t("Code"), 8, priority=2),
        Column("name", t("Contractor"), 14, priority=10, flex=1),
        *buckets,
        Column("total", t("Total"), TOTAL_WIDTH, priority=9, right=True),
        Column("in_recovery", t("In recovery"), TOTAL_WIDTH, priority=1, right=True),
        Column("disputed", t("Disputed"), TOTAL_WIDTH, priority=1, right=True),
    ]


class AgingScreen(TableScreen):
    TITLE = N_("Aging report")
    CSS_PATH = STYLES
    BINDINGS = [
        Binding("c", "currency", "Currency"),
        Binding("s", "sort", "Sort"),
        Binding("r", "reverse", "Reverse order", show=False),
        Binding("e", "export", "Export CSV"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: AgingReport | None = None
        self.currency: str | None = None  # None until the first load picks the default
        self.sort_key = "total"
        self.descending = True
        self._generation = 0

    def compose_body(self) -> ComposeResult:
        yield Static(t("Reading the outstanding amounts…"), id="heading")
        yield AgingChart(id="chart")
        yield Static("", id="summary", classes="totals")
        yield LazyTable(columns(), cells=self._cells,
                        empty_text=t("No contractor owes anything in this currency."),
                        id="aging")

    def on_mount(self) -> None:
        super().on_mount()
        self._mark_sort()

    def _cells(self, row: AgingRow) -> list[str]:
        buckets = [fit_money(a, BUCKET_WIDTH) if a else "" for a in row.amounts]
        recovery = money(row.in_recovery) if row.in_recovery_grosze else ""
        disputed = fit_money(row.disputed, TOTAL_WIDTH) if row.disputed_grosze else ""
        return [row.code, row.name, *buckets, fit_money(row.total, TOTAL_WIDTH), recovery,
                disputed]

    # -- loading -----------------------------------------------------------------------
    def refresh_data(self) -> None:
        self.load()

    def load(self) -> None:
        self._generation += 1
        current = self.table.current
        keep = current.contractor_id if isinstance(current, AgingRow) else None
        self._read(self.clock.today(), self.currency, self.sort_key, self.descending, keep,
                   self._generation)

    @work(thread=True, exclusive=True, group="aging")
    def _read(self, today: dt.date, currency: str | None, by: str, descending: bool,
              keep: int | None, generation: int) -> None:
        try:
            report = aging_report(today, currency, by, descending)
        finally:
            database.close()
        self.app.call_from_thread(self._show, report, keep, generation)

    # A description of its own: by default Textual describes a worker by the repr of its
    # arguments, on the event loop — 100 ms for a report of 85,000 rows.
    @work(thread=True, exclusive=True, group="aging", description="aging: sort")
    def _resort(self, report: AgingReport, by: str, descending: bool,
                generation: int) -> None:
        """Sorting 85,000 rows takes 25–50 ms: off the event loop too."""
        rows = sort_rows(report.rows, by, descending)
        sorted_report = AgingReport(report.today, report.currency, report.currencies, rows,
                                    report.totals)
        self.app.call_from_thread(self._show, sorted_report, None, generation)

    def _show(self, report: AgingReport, keep: int | None, generation: int) -> None:
        if generation != self._generation:
            return  # a newer load or sort is on its way
        self.report = report
        self.currency = report.currency
        cursor = 0
        if keep is not None:
            cursor = next((i for i, r in enumerate(report.rows) if r.contractor_id == keep), 0)
        self.table.set_source(ListSource(report.rows), cursor)
        self._mark_sort()
        self.query_one("#heading", Static).update(self._heading(report))
        self.query_one(AgingChart).show(
            [(t(label), g) for label, g in zip(CHART_LABELS, report.totals.grosze,
                                              strict=True)])
        totals = report.totals
        summary = t(
            "Total {total}: {contractors}, {documents}, {recovery} with an agency",
            total=money(totals.total, report.currency),
            contractors=tn("{n} contractor", "{n} contractors", len(report.rows)),
            documents=tn("{n} document", "{n} documents", totals.documents),
            recovery=money(totals.in_recovery))
        if totals.disputed_grosze:
            summary += t(", {disputed} in dispute (not in the buckets)",
                         disputed=money(totals.disputed))
        self.query_one("#summary", Static).update(summary)

    def _heading(self, report: AgingReport) -> str:
        text = t("{currency} outstanding on {day}, by days past the due date",
                 currency=report.currency, day=day(report.today))
        others = [c for c in report.currencies if c != report.currency]
        if others:
            text += " · " + t("also {currencies} (c)", currencies=", ".join(others))
        return text

    def _mark_sort(self) -> None:
        self.table.sort_key = self.sort_key
        self.table.sort_descending = self.descending
        self.table.refresh()

    # -- actions -----------------------------------------------------------------------
    def action_currency(self) -> None:
        if self.report is None:
            return
        currencies = list(self.report.currencies)
        if not currencies or currencies == [self.report.currency]:
            self.notify(t("Nothing is outstanding in other currencies."))
            return
        at = currencies.index(self.currency) if self.currency in currencies else -1
        self.currency = currencies[(at + 1) % len(currencies)]
        self.load()

    def sort_by(self, key: str, descending: bool) -> None:
        self.sort_key, self.descending = key, descending
        self._mark_sort()
        if self.report is not None:
            self._generation += 1
            self._resort(self.report, key, descending, self._generation)

    def action_sort(self) -> None:
        at = SORT_CYCLE.index(self.sort_key) if self.sort_key in SORT_CYCLE else -1
        key = SORT_CYCLE[(at + 1) % len(SORT_CYCLE)]
        self.sort_by(key, key not in ("name", "code"))

    def action_reverse(self) -> None:
        self.sort_by(self.sort_key, not self.descending)

    @on(LazyTable.HeaderClicked)
    def _header_clicked(self, event: LazyTable.HeaderClicked) -> None:
        if event.key == self.sort_key:
            self.action_reverse()
        else:
            self.sort_by(event.key, event.key not in ("name", "code"))

    @on(LazyTable.RowSelected)
    def _open(self, event: LazyTable.RowSelected) -> None:
        if self.report is not None:
            self.app.push_screen(BreakdownDialog(event.row, self.report.currency))

    def action_export(self) -> None:
        report = self.report
        if report is None:
            return
        default = f"aging-{report.currency}-{report.today.isoformat()}.csv"

        def export_to(path: str | None) -> None:
            if path:
                self._export(report, path)

        self.app.push_screen(ExportDialog(default, t("Export the aging report to a CSV file")),
                             export_to)

    @work(thread=True, exclusive=True, group="aging-export", description="aging: export")
    def _export(self, report: AgingReport, path: str) -> None:
        export_from_thread(
            self, path, lambda target: export_aging_file(report, target, language()),
            lambda count, target: tn("{n} contractor written to {target}.",
                                     "{n} contractors written to {target}.", count,
                                     target=target))


class BreakdownDialog(Guarded, ModalScreen[None]):
    """One contractor's whole row: every bucket, the total, the part with an agency."""

    CSS_PATH = STYLES
    BINDINGS = [Binding("escape,enter", "close", "Close")]

    def __init__(self, row: AgingRow, currency: str) -> None:
        super().__init__()
        self.row = row
        self.currency = currency

    def compose(self) -> ComposeResult:
        row = self.row
        lines = [(t(label), money(amount, self.currency))
                 for label, amount in zip(CHART_LABELS, row.amounts, strict=True)]
        lines.append((t("Total"), money(row.total, self.currency)))
        lines.append((t("with a recovery agency"), money(row.in_recovery, self.currency)))
        if row.disputed_grosze:
            lines.append((t("in dispute (not in the buckets)"),
                          money(row.disputed, self.currency)))
        lines.append((t("Documents"), str(row.documents)))
        label_width = max(len(label) for label, _ in lines)
        value_width = max(len(value) for _, value in lines)
        body = "\n".join(f"{label.ljust(label_width)}  {value.rjust(value_width)}"
                         for label, value in lines)
        with Vertical(id="breakdown"):
            yield Label(f"{row.name} ({row.code})", classes="section-title")
            yield Static(body, id="breakdown-lines")
            yield Label(t("Esc or Enter closes."), classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
