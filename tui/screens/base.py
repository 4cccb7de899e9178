"""What every full screen shares: the status line on top, the keys at the bottom, the
context (clock, settings) and a refresh that re-reads the database.

Two people may work on one database; a screen re-reads what it shows when it comes
back into view and on Ctrl+R, so each sees the other's changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState

from ...ledger.clock import Clock
from ...ledger.settings import CollectionSettings, load_settings
from ...models.db import database
from ..guard import Guarded
from ..i18n import t
from ..widgets.lazy_table import LazyTable, RowSource
from ..widgets.status_bar import StatusBar
from ..widgets.unsaved import is_text_area

if TYPE_CHECKING:
    from ..app import WindykacjaApp


class AppScreen(Guarded, Screen):
    TITLE = ""  # English; shown through t()

    @property
    def windykacja(self) -> WindykacjaApp:
        return self.app  # type: ignore[return-value]

    @property
    def clock(self) -> Clock:
        return self.windykacja.ctx.clock

    @property
    def language(self) -> str:
        return self.windykacja.ctx.language

    def settings(self) -> CollectionSettings:
        return load_settings()

    def compose(self) -> ComposeResult:
        yield StatusBar(t(self.TITLE))
        yield from self.compose_body()
        # Ctrl+P still opens the palette; its footer label would push keys off 80 columns.
        yield Footer(compact=True, show_command_palette=False)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def refresh_data(self) -> None:
        """Re-read from the database what this screen shows."""

    def leave_fields(self) -> None:
        """The screen is left for another place (a number key, Esc, the palette): a text
        field gives up the focus, so that when the screen comes back the digit keys switch
        screens again instead of typing into a field the user no longer looks at. The
        focus goes to the screen's list, or else to the first thing that takes it."""
        if isinstance(self.focused, Input) or is_text_area(self.focused):
            tables = self.query(LazyTable)
            self.set_focus(tables.first() if tables else None)

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A thread worker that failed says so, like any other failure."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.windykacja.report_error(event.worker.error)


class TableScreen(AppScreen):
    """A screen built around one lazy table, which has the focus on arrival."""

    @property
    def table(self) -> LazyTable:
        return self.query_one(LazyTable)

    def on_mount(self) -> None:
        self.table.focus()


#: What a threaded table screen reads: its rows and the counts its summary line shows.
RowsReader = Callable[[], tuple[RowSource, Any]]


class ThreadedTableScreen(TableScreen):
    """A table screen whose rows and counts are read in a thread, so that a long outbox,
    inbox or print queue never holds the keys. ``rows_reader`` (on the UI thread, where
    the filters can be read) says what to read; the newest load wins, an older one that
    comes back late is dropped."""

    _generation = 0

    def rows_reader(self) -> RowsReader:
        """The reading to do in the thread, with the screen's filters of now."""
        raise NotImplementedError

    def show_counts(self, counts: Any) -> None:
        """Put the counts ``rows_reader`` returned in the screen's summary line."""
        raise NotImplementedError

    def load(self, cursor: int = 0) -> None:
        self._generation += 1
        self._read_rows(self.rows_reader(), cursor, self._generation)

    @work(thread=True, exclusive=True, group="table-rows")
    def _read_rows(self, read: RowsReader, cursor: int, generation: int) -> None:
        try:
            source, counts = read()
        finally:
            database.close()
        self.app.call_from_thread(self._show_rows, source, counts, cursor, generation)

    def _show_rows(self, source: RowSource, counts: Any, cursor: int,
                   generation: int) -> None:
        if generation != self._generation:
            return
        self.table.set_source(source, cursor)
        self.show_counts(counts)
