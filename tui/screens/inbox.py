"""Inbox: what came back from debtors (issue 15) — replies, bounces, delays, automatic
replies. What waits for a person (a reply to decide, a message nobody could match) leads
the list, newest first; then everything else, newest first (``lists.inbox``).

``w`` shows only what waits (and back), ``k`` one kind after another; Enter opens the
message, where the decisions are made (``inbox_message.py``). Coming back re-reads the
list, so a decided reply leaves the top.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ...ledger.names import DECISION_NAMES, INBOX_KIND_NAMES, name_of
from ...lists.inbox import InboxRow, inbox_source, waiting_counts
from ...models import InboxKind
from ..formatting import day
from ..i18n import N_, t, tn
from ..widgets.lazy_table import Column, LazyTable
from .base import RowsReader, ThreadedTableScreen

STYLES = Path(__file__).parent.parent / "styles" / "inbox.tcss"
# ``k`` steps through these (None: every kind).
KINDS: tuple[str | None, ...] = (None, InboxKind.REPLY, InboxKind.BOUNCE, InboxKind.DELAY,
                                 InboxKind.AUTO_REPLY)


def state_words(row: InboxRow) -> str:
    """Waiting (a reply to decide), unmatched (nobody could tell whose), or the decision."""
    if row.waiting:
        return t("waiting") if row.contractor else t("unmatched")
    return name_of(DECISION_NAMES, row.decision) if row.decision else ""


def sender_words(row: InboxRow) -> str:
    return row.contractor or row.from_name or row.from_address


class InboxScreen(ThreadedTableScreen):
    TITLE = N_("Inbox")
    CSS_PATH = STYLES
    BINDINGS = [
        Binding("w", "waiting", "Waiting only / all"),
        Binding("k", "kind", "Kind"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.waiting_only = False
        self.kind: str | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="scope", markup=False)
        yield LazyTable(
            [
                Column("day", t("Received"), 10, priority=4),
                Column("kind", t("Kind"), 12, priority=6),
                Column("state", t("State"), 14, priority=9),
                Column("from", t("From"), 14, priority=8, flex=1),
                Column("subject", t("Subject"), 22, priority=10, flex=2),
                Column("documents", t("Documents"), 16, priority=3),
            ],
            cells=self._cells,
            empty_text=t("Nothing here."),
            id="inbox",
        )
        yield Static("", id="count", classes="totals", markup=False)

    def _cells(self, row: InboxRow) -> list[str]:
        documents = ", ".join(row.documents[:3]) + (" …" if len(row.documents) > 3 else "")
        return [day(row.day), name_of(INBOX_KIND_NAMES, row.kind), state_words(row),
                sender_words(row), row.subject, documents]

    def on_mount(self) -> None:
        super().on_mount()
        self._show_scope()

    def refresh_data(self) -> None:
        self.load(self.table.cursor_row)

    # -- loading -----------------------------------------------------------------------
    def rows_reader(self) -> RowsReader:
        waiting_only, kind = self.waiting_only, self.kind
        return lambda: (inbox_source(waiting_only=waiting_only, kind=kind).load(),
                        waiting_counts())

    def show_counts(self, counts: tuple[int, dt.date | None]) -> None:
        waiting, oldest = counts
        if waiting:
            text = tn("{n} message waits for you, the oldest since {day}.",
                      "{n} messages wait for you, the oldest since {day}.", waiting,
                      day=day(oldest))
        else:
            text = t("Nothing waits for a decision.")
        self.query_one("#count", Static).update(text)

    def _show_scope(self) -> None:
        what = t("waiting only") if self.waiting_only else t("waiting first, then the rest")
        kind = name_of(INBOX_KIND_NAMES, self.kind) if self.kind else t("every kind")
        self.query_one("#scope", Static).update(
            t("Showing: {what} · {kind}", what=what, kind=kind))

    # -- actions -----------------------------------------------------------------------
    def action_waiting(self) -> None:
        self.waiting_only = not self.waiting_only
        self._show_scope()
        self.load()

    def action_kind(self) -> None:
        self.kind = KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)]
        self._show_scope()
        self.load()

    @on(LazyTable.RowSelected)
    def _open(self, event: LazyTable.RowSelected) -> None:
        from .inbox_message import InboxMessageScreen

        self.app.push_screen(InboxMessageScreen(event.row.id))
