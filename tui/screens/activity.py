"""Activity (zestawienie działań): every collection event of every document, newest
first, filtered by dates, kind, contractor and author, and exported to CSV (SPEC §7).

Events may be millions: the list is a window paged by keyset on ``(day, id)``
(``lists/activity.py``), re-read in a thread worker 300 ms after the last change to a
filter. The export writes what the filters let through, in a thread worker too.

The author filter matches any part of a name; as it is typed, it offers the rest of a
name seen in the newest events (→ takes it), read once in a thread worker.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select, Static

from ...dunning.wording import describe_event_kind
from ...importers.csv_common import parse_date
from ...ledger.event_words import author_name, event_text
from ...lists.activity import (
    ActivityFilter,
    ActivityRow,
    activity_window,
    export_activity_file,
    recent_authors,
)
from ...models import EventKind
from ...models.db import database
from ..debounce import Debounce
from ..i18n import N_, language, t, tn
from ..widgets.bounded import SEARCH_LENGTH, BoundedInput
from ..widgets.lazy_table import Column, LazyTable
from .base import TableScreen
from .export import ExportDialog, export_from_thread

STYLES = Path(__file__).parent.parent / "styles" / "activity.tcss"
FILTER_DELAY = 0.3
DATE_FIELDS = ("first", "last")


class ActivityScreen(TableScreen):
    TITLE = N_("Activity")
    CSS_PATH = STYLES
    BINDINGS = [
        Binding("f", "filters", "Filter"),
        Binding("x", "export", "Export CSV"),
        Binding("escape", "to_list", "Back to the list", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._filter_debounce = Debounce(self, FILTER_DELAY, self.load)
        self._generation = 0
        self.filter = ActivityFilter()

    def compose_body(self) -> ComposeResult:
        kinds = [(describe_event_kind(kind, self.language), kind) for kind in EventKind.ALL]
        with Horizontal(id="filters", classes="filters"):
            yield BoundedInput(placeholder=t("from date"), id="first", compact=True,
                               max_length=SEARCH_LENGTH)
            yield BoundedInput(placeholder=t("to date"), id="last", compact=True,
                               max_length=SEARCH_LENGTH)
            yield Select(kinds, prompt=t("every kind"), id="kind", compact=True)
            yield BoundedInput(placeholder=t("contractor"), id="contractor", compact=True,
                               max_length=SEARCH_LENGTH)
            yield BoundedInput(placeholder=t("author"), id="author", compact=True,
                               max_length=SEARCH_LENGTH)
        yield Static("", id="problem", classes="problem")
        yield Static("", id="count", classes="totals")
        yield LazyTable(
            [
                Column("day", t("Date"), 10, priority=9),
                Column("time", t("Time"), 5, priority=2),
                Column("kind", t("Kind"), 16, priority=8),
                Column("document", t("Document"), 15, priority=7),
                Column("contractor", t("Contractor"), 16, priority=6),
                Column("author", t("Author"), 10, priority=3),
                Column("text", t("Details"), 14, priority=4, flex=True),
            ],
            cells=self._cells,
            empty_text=t("No events match the filters."),
            id="events",
        )

    def _cells(self, row: ActivityRow) -> list[str]:
        local = row.at.replace(tzinfo=dt.UTC).astimezone(self.clock.timezone)
        return [
            row.day.strftime("%d.%m.%Y"), local.strftime("%H:%M"),
            describe_event_kind(row.kind, self.language), row.document_number,
            row.contractor_name, author_name(row.author, self.language),
            event_text(row.kind, row.text, self.language),
        ]

    def on_mount(self) -> None:
        # Textual runs TableScreen's on_mount too (it focuses the table).
        self._load_authors()

    def refresh_data(self) -> None:
        self.load(self.table.cursor_row)

    @work(thread=True, exclusive=True, group="activity-authors",
          description="activity: authors")
    def _load_authors(self) -> None:
        try:
            authors = recent_authors()
        finally:
            database.close()
        self.app.call_from_thread(self._suggest_authors, authors)

    def _suggest_authors(self, authors: list[str]) -> None:
        self.query_one("#author", Input).suggester = SuggestFromList(
            authors, case_sensitive=False)

    # -- filters -----------------------------------------------------------------------
    def read_filter(self) -> ActivityFilter | None:
        """The filter the fields describe, or None (and the problem shown) when a date
        cannot be read."""
        days: dict[str, dt.date | None] = {}
        for name in DATE_FIELDS:
            text = self.query_one(f"#{name}", Input).value.strip()
            try:
                days[name] = parse_date(text) if text else None
            except ValueError:
                self._say(t(
                    "Error: '{value}' is not a date; write DD.MM.YYYY or YYYY-MM-DD.",
                    value=text))
                return None
        self._say("")
        kind = self.query_one("#kind", Select).value
        return ActivityFilter(
            first_day=days["first"], last_day=days["last"],
            kinds=(str(kind),) if kind is not Select.NULL else (),
            contractor=self.query_one("#contractor", Input).value.strip(),
            author=self.query_one("#author", Input).value.strip(),
        )

    @on(Input.Changed)
    def _filter_typed(self) -> None:
        self._filter_debounce.poke()

    @on(Select.Changed, "#kind")
    def _kind_chosen(self) -> None:
        self.load()

    @on(Input.Submitted)
    def _filter_submitted(self) -> None:
        self.table.focus()

    # -- loading -----------------------------------------------------------------------
    def load(self, cursor: int = 0) -> None:
        flt = self.read_filter()
        if flt is None:
            return
        self.filter = flt
        self._generation += 1
        self._load(flt, cursor, self._generation)

    @work(thread=True, exclusive=True, group="activity-load")
    def _load(self, flt: ActivityFilter, cursor: int, generation: int) -> None:
        try:
            window = activity_window(flt).load()
        finally:
            database.close()
        self.app.call_from_thread(self._show, window, cursor, generation)

    def _show(self, window, cursor: int, generation: int) -> None:
        if generation != self._generation:
            return
        self.table.set_source(window, cursor)
        self.query_one("#count", Static).update(tn("{n} event", "{n} events", window.count))

    # -- actions -----------------------------------------------------------------------
    def action_filters(self) -> None:
        self.query_one("#first", Input).focus()

    def action_to_list(self) -> None:
        self.table.focus()

    @on(LazyTable.RowSelected)
    def _open(self, event: LazyTable.RowSelected) -> None:
        row: ActivityRow = event.row
        if row.document_id is None:
            self.notify(t("This event concerns a message, not one document."))
            return
        from .document import DocumentScreen

        self.app.push_screen(DocumentScreen(row.document_id))

    def action_export(self) -> None:
        flt = self.read_filter()
        if flt is None:
            return
        default = f"activity-{self.clock.today().isoformat()}.csv"

        def export_to(path: str | None) -> None:
            if path:
                self._export(flt, path)

        self.app.push_screen(
            ExportDialog(default, t("Export the events the filters show to a CSV file")),
            export_to)

    @work(thread=True, exclusive=True, group="activity-export", description="activity: export")
    def _export(self, flt: ActivityFilter, path: str) -> None:
        self.app.call_from_thread(self._export_status, t("Exporting to {path}…", path=path))
        try:
            done = export_from_thread(
                self, path,
                lambda target: export_activity_file(flt, target, language(), self.clock.timezone),
                lambda count, target: tn("{n} event written to {path}.",
                                         "{n} events written to {path}.", count, path=target))
        finally:
            database.close()
        self.app.call_from_thread(self._export_status, done or "")

    def _export_status(self, text: str) -> None:
        self._say(text)

    def _say(self, text: str) -> None:
        """The line under the filters: a problem or the export's progress; it takes no
        room while empty."""
        problem = self.query_one("#problem", Static)
        problem.update(text)
        problem.display = bool(text)

