"""Outbox: every message by state, the ones a person must act on first (SPEC §5, §7).

In-doubt and failed messages lead the list (``dunning/outbox_list.STATE_ORDER``); on
one of them ``r`` asks for another try on the next pass and ``m`` records it as sent
without sending (after a question, since the customer may never have received it).
Enter shows the message exactly as it was or will be sent.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Label, Select, Static

from ...ledger.actions import current_author
from ...ledger.names import MESSAGE_KIND_NAMES, MESSAGE_STATE_NAMES, name_of
from ...lists.message_view import error_text, unaccepted_text
from ...lists.outbox_list import (
    STATE_ORDER,
    OutboxRow,
    confirm_sent,
    message_view,
    outbox_source,
    resend_message,
    state_counts,
)
from ...models import MessageState
from ..i18n import N_, t
from ..widgets.form import ConfirmDialog
from ..widgets.lazy_table import Column, LazyTable
from .base import RowsReader, ThreadedTableScreen

STYLES = Path(__file__).parent.parent / "styles" / "outbox.tcss"


def state_words(state: str) -> str:
    """A message's state by its one name (``ledger.names``), never the code."""
    return name_of(MESSAGE_STATE_NAMES, state)


def kind_words(kind: str) -> str:
    return name_of(MESSAGE_KIND_NAMES, kind)


def steps_words(row: OutboxRow) -> str:
    parts = []
    for step in row.steps:
        if step.kind == "demand":
            parts.append(t("{document} (demand {number})", document=step.document_number,
                           number=step.number))
        elif step.kind == "reminder":
            parts.append(t("{document} (reminder)", document=step.document_number))
        else:
            parts.append(step.document_number)
    return ", ".join(parts)


class OutboxScreen(ThreadedTableScreen):
    TITLE = N_("Outbox")
    CSS_PATH = STYLES
    BINDINGS = [
        Binding("r", "resend", "Resend"),
        Binding("m", "mark_sent", "Mark sent"),
        Binding("s", "choose_state", "Filter by state"),
        Binding("escape", "to_list", "Back to the list", show=False),
    ]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="filters", classes="filters"):
            yield Label(t("State:"))
            yield Select([(state_words(s), s) for s in STATE_ORDER],
                         prompt=t("every state"), id="state", compact=True)
        yield Static("", id="count", classes="totals")
        yield LazyTable(
            [
                Column("id", t("No."), 5, priority=7, right=True),
                Column("state", t("State"), 16, priority=9),
                Column("kind", t("Kind"), 8, priority=3),
                Column("recipient", t("Recipient"), 18, priority=8),
                Column("documents", t("Documents"), 16, priority=6),
                Column("attempts", t("Tries"), 5, priority=4, right=True),
                Column("error", t("Last error"), 14, priority=5, flex=True),
            ],
            cells=self._cells,
            empty_text=t("No messages in this state."),
            id="messages",
        )

    def _cells(self, row: OutboxRow) -> list[str]:
        recipients = ", ".join(row.recipients) or row.contractor
        state = state_words(row.state)
        if row.unaccepted:  # an address that did not take it: Enter shows each one's answer
            state = f"{state}; {unaccepted_text(row.unaccepted)}"
        return [
            str(row.id), state, kind_words(row.kind), recipients,
            steps_words(row), str(row.attempts), error_text(row.last_error),
        ]

    def refresh_data(self) -> None:
        self.load(self.table.cursor_row)

    # -- loading -----------------------------------------------------------------------
    def chosen_state(self) -> str | None:
        value = self.query_one("#state", Select).value
        return None if value is Select.NULL else str(value)

    def rows_reader(self) -> RowsReader:
        state = self.chosen_state()
        return lambda: (outbox_source(state).load(), state_counts())

    def show_counts(self, counts: dict[str, int]) -> None:
        summary = " · ".join(f"{state_words(s)}: {counts[s]}" for s in STATE_ORDER
                             if counts.get(s))
        self.query_one("#count", Static).update(summary or t("The outbox is empty."))

    @on(Select.Changed, "#state")
    def _state_chosen(self) -> None:
        self.load()
        self.table.focus()

    # -- actions -----------------------------------------------------------------------
    def action_choose_state(self) -> None:
        self.query_one("#state", Select).focus()

    def action_to_list(self) -> None:
        self.table.focus()

    def _actionable(self) -> OutboxRow | None:
        row: OutboxRow | None = self.table.current
        if row is None:
            return None
        if not row.actionable:
            self.notify(t("Message {id} is {state}: only failed, in-doubt or retried "
                          "messages can be resent or marked sent.", id=row.id,
                          state=state_words(row.state)), severity="warning")
            return None
        return row

    def action_resend(self) -> None:
        row = self._actionable()
        if row is None:
            return
        with self.app.attempt(t("Resending message {id}", id=row.id)):  # type: ignore[attr-defined]
            state = resend_message(row.id)
            if state == MessageState.CANCELLED:
                self.notify(t("Message {id} was never rendered; it is withdrawn and the "
                              "next pass plans it again.", id=row.id))
            else:
                self.notify(t("Message {id} will be sent again on the next pass.", id=row.id))
        self.refresh_data()

    def action_mark_sent(self) -> None:
        row = self._actionable()
        if row is None:
            return
        question = t(
            "Record message {id} to {recipients} as sent? Nothing will be sent: do this "
            "only if you know the customer received it.", id=row.id,
            recipients=", ".join(row.recipients) or row.contractor,
        )
        self.app.push_screen(ConfirmDialog(question),
                             lambda yes: self._mark_sent(row.id) if yes else None)

    def _mark_sent(self, message_id: int) -> None:
        with self.app.attempt(t("Marking message {id} sent", id=message_id)):  # type: ignore[attr-defined]
            confirm_sent(self.clock, message_id, current_author())
            self.notify(t("Message {id} recorded as sent.", id=message_id))
        self.refresh_data()

    @on(LazyTable.RowSelected)
    def _open(self, event: LazyTable.RowSelected) -> None:
        from .message import MessageScreen

        with self.app.attempt(t("Opening message {id}", id=event.row.id)):  # type: ignore[attr-defined]
            self.app.push_screen(MessageScreen(message_view(event.row.id)))
