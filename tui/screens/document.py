"""One document: its header, settlement history with the *subject to collection* switch,
the collection timeline (Enter on a sent message shows exactly what was sent), the
next step or the reason there is none, notes and payments (SPEC §7).

Everything is read fresh from the database whenever the screen shows or after an
action, so a second bookkeeper's payment appears on Ctrl+R and an action is always
checked against the current state (``record_payment`` re-reads the document).

The collection switch and a payment carry the document's version the user saw (when
the screen was last read, when the payment dialog opened): if anyone wrote the
document since — a colleague, a bank statement, the pass sending a message — they
are refused with "changed by ewa at 10:42, reload" above the header, and nothing is
stored; Ctrl+R shows the document as it now is.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from ...dunning.claims import claims_of, load_law_tables
from ...dunning.history import document_next_step, timeline
from ...dunning.wording import describe_event_kind, describe_next
from ...law.lateness import days_late
from ...ledger.actions import (
    add_note,
    current_author,
    record_payment,
    remove_payment,
    switch_document,
)
from ...ledger.event_words import author_name, event_text
from ...ledger.names import PAYMENT_METHOD_NAMES, name_of
from ...ledger.rate_problems import describe_rate_problem
from ...ledger.versions import ChangedMeanwhile
from ...lists.message_view import read_message
from ...lists.progress import progress_of
from ...models import Document, Message, Payment
from ..changed_text import changed_text
from ..claim_text import claim_lines
from ..formatting import day, local_moment, money
from ..i18n import N_, t, tn
from ..widgets.form import ConfirmDialog
from ..words import progress_text
from .answers import DocumentAnswers, answer_line
from .base import AppScreen
from .message import MessageScreen
from .note import NoteDialog
from .payment import PaymentDialog, PaymentInput


class DocumentScreen(DocumentAnswers, AppScreen):
    TITLE = N_("Document")
    CSS_PATH = "../styles/document.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("p", "pay", "Payment"),
        Binding("n", "note", "Note"),
        Binding("c", "toggle_flag", "Collection on/off"),
        Binding("l", "law", "Law", show=False),  # the law panel's title names the key
        Binding("o", "promise", "Promise"),
        Binding("d", "dispute", "Dispute"),
        # Offered while there is an open dispute / promise; the header names the key.
        Binding("r", "resolve_dispute", "Resolve dispute", show=False),
        Binding("w", "withdraw_promise", "Withdraw promise", show=False),
        Binding("delete", "remove_payment", "Remove payment", show=False),
        Binding("ctrl+r", "reload", "Refresh", show=False),
    ]

    def __init__(self, document_id: int) -> None:
        super().__init__()
        self.document_id = document_id
        self._payment_ids: list[int] = []
        self._message_ids: list[int | None] = []
        # The version and flag of the document as last shown: what the switch acts on.
        self._seen_version = 0
        self._seen_flag = False

    def compose_body(self) -> ComposeResult:
        # The collection history takes the room left (at least 8 rows at 80×24); the
        # law panel is folded to its title until "l" unfolds it.
        with Vertical(id="page"):
            yield Static("", id="changed", classes="problem", markup=False)
            yield Static("", id="header", markup=False)
            yield Static("", id="next", markup=False)
            yield Static("", id="law-title", classes="section-title", markup=False)
            yield Static("", id="law", markup=False)
            yield Static(t("Settlement history"), classes="section-title")
            payments: DataTable[str] = DataTable(id="payments", cursor_type="row")
            payments.add_columns(t("Date"), t("Amount"), t("Method"), t("Reference"), t("By"))
            yield payments
            yield Static(t("Collection history (Enter on a message shows what was sent)"),
                         classes="section-title")
            events: DataTable[str] = DataTable(id="timeline", cursor_type="row")
            events.add_columns(t("When"), t("What"), t("Details"), t("By"))
            yield events

    def on_mount(self) -> None:
        # The content is read on resume (AppScreen), which also follows the first mount.
        self.query_one("#changed", Static).display = False
        self.show_law(False)
        self.query_one("#timeline", DataTable).focus()

    def show_law(self, unfolded: bool) -> None:
        """The law panel unfolded, or folded to its title line (the key says how)."""
        self.query_one("#law", Static).display = unfolded
        self.query_one("#law-title", Static).update(
            t("Today under Polish law (l folds it)") if unfolded else
            t("Today under Polish law: interest, compensation, limitation (l shows them)"))

    def action_law(self) -> None:
        self.show_law(not self.query_one("#law", Static).display)

    @property
    def document(self) -> Document:
        return Document.get_by_id(self.document_id)

    # -- reading -----------------------------------------------------------------------
    def refresh_data(self) -> None:
        document = self.document
        self._seen_version, self._seen_flag = document.version, document.subject_to_collection
        settings = self.settings()
        today = self.clock.today()
        self.query_one("StatusBar #where", Static).update(
            t("Document {number}", number=document.number))
        self.query_one("#header", Static).update(self._header(document, settings, today))
        outcome = document_next_step(settings, document, today)
        self.query_one("#next", Static).update(
            t("Next step: {what}", what=describe_next(outcome, self.language)))
        self.query_one("#law", Static).update(self._law(document, settings, today))
        self._fill_payments(document)
        self._fill_timeline(document)
        self.refresh_bindings()  # resolve / withdraw only while there is one open

    def _law(self, document: Document, settings, today) -> str:
        kind = document.contractor.kind
        tables = load_law_tables()
        figures = claims_of([document], kind, today, tables)[document.id]
        lines = claim_lines(
            figures, document.currency, interest_claimed=settings.demand_include_interest,
            compensation_claimed=settings.demand_include_compensation,
            outstanding=document.outstanding)
        if tables.problem:
            lines.append(t("Your added rates are left out: {problem}",
                           problem=describe_rate_problem(tables.problem)))
        return "\n".join(lines)

    def _header(self, document: Document, settings, today) -> str:
        contractor = document.contractor
        late = days_late(document.legal_due_date, today)  # the one definition
        lines = [
            f"{document.number} · {contractor.name} ({contractor.code})",
            t("E-mail: {emails}", emails=", ".join(contractor.email_list) or t("none")),
            t("Issued {issued} · due {due} (legal {legal})", issued=day(document.issue_date),
              due=day(document.due_date), legal=day(document.legal_due_date))
            + (" · " + tn("{n} day late", "{n} days late", late)
               if late > 0 and document.outstanding else ""),
            t("Gross {gross} · outstanding {outstanding}",
              gross=money(document.gross, document.currency),
              outstanding=money(document.outstanding, document.currency)),
            t("Subject to collection: {answer} · status: {status}",
              answer=t("yes") if document.subject_to_collection else t("no"),
              status=progress_text(progress_of(document, settings.demand_max_count))),
        ]
        answered = answer_line(document)  # an open promise or dispute, with its key
        if answered:
            lines.append(answered[:1].upper() + answered[1:])
        return "\n".join(lines)

    def _fill_payments(self, document: Document) -> None:
        table = self.query_one("#payments", DataTable)
        table.clear()
        payments = list(document.payments.order_by(Payment.paid_on, Payment.id))
        self._payment_ids = [p.id for p in payments]
        for p in payments:
            table.add_row(day(p.paid_on), money(p.amount, document.currency),
                          name_of(PAYMENT_METHOD_NAMES, p.method), p.reference, p.author)
        if not payments:
            table.add_row(t("no payments yet"), "", "", "", "")

    def _fill_timeline(self, document: Document) -> None:
        table = self.query_one("#timeline", DataTable)
        table.clear()
        entries = timeline(document)
        self._message_ids = [e.message_id for e in entries]
        for entry in entries:
            what = describe_event_kind(entry.kind, self.language)
            if entry.message_id:
                what += " ✉"
            table.add_row(local_moment(entry.at, self.clock.timezone), what,
                          event_text(entry.kind, entry.text, self.language),
                          author_name(entry.author, self.language))

    # -- the timeline ------------------------------------------------------------------
    @on(DataTable.RowSelected, "#timeline")
    def _open_message(self, event: DataTable.RowSelected) -> None:
        index = event.cursor_row
        message_id = self._message_ids[index] if index < len(self._message_ids) else None
        if message_id is None:
            self.notify(t("This entry has no message to show."))
            return
        self.app.push_screen(MessageScreen(read_message(Message.get_by_id(message_id))))

    # -- actions -----------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss()

    def action_note(self) -> None:
        def save(text: str | None) -> None:
            if text:
                with self.windykacja.attempt(t("Adding the note")):
                    add_note(self.clock, self.document, text, current_author())
                    self.notify(t("Note added."))
                self.refresh_data()
        self.app.push_screen(NoteDialog(self.document.number), save)

    def action_reload(self) -> None:
        """Ctrl+R: the refusal has been read; show the document as it now is. (Coming
        back from the payment dialog re-reads too, but keeps the refusal in view.)"""
        self._clear_refusal()
        self.refresh_data()
        self.windykacja.update_status()

    def _clear_refusal(self) -> None:
        self.query_one("#changed", Static).display = False

    def _refused(self, error: ChangedMeanwhile, what: str) -> None:
        """Say above the header (and in a notification) why nothing was stored."""
        text = t("{what} not saved: {changed} (Ctrl+R).", what=what,
                 changed=changed_text(error))
        line = self.query_one("#changed", Static)
        line.update(text)
        line.display = True  # the page's first line: always in view
        self.notify(text, severity="error", timeout=12)

    def action_toggle_flag(self) -> None:
        enabled = not self._seen_flag
        with self.windykacja.attempt(t("Switching collection")):
            try:
                switch_document(self.clock, self.settings(), self.document_id, enabled,
                                self._seen_version, current_author())
            except ChangedMeanwhile as error:
                # Not re-read: the user reads the message, then Ctrl+R shows what changed.
                self._refused(error, t("Collection switch"))
                return
            self.notify(t("Collection switched on.") if enabled
                        else t("Document excluded from collection."))
            self._clear_refusal()
        self.refresh_data()

    def action_pay(self) -> None:
        document = self.document
        if document.outstanding <= 0:
            self.notify(t("This document is paid in full."))
            return
        dialog = PaymentDialog(self.clock.today(), t("Payment for {number} ({contractor})",
                               number=document.number, contractor=document.contractor.name),
                               document.outstanding, document.currency)
        seen = document.version  # as the dialog shows it: its outstanding is offered
        self.app.push_screen(dialog, lambda given: self._pay(given, seen))

    def _pay(self, given: PaymentInput | None, seen_version: int) -> None:
        if given is None or given.amount is None:
            return
        with self.windykacja.attempt(t("Recording the payment")):
            try:
                record_payment(self.clock, self.settings(), self.document, given.paid_on,
                               given.amount, given.method, given.reference, current_author(),
                               expected_version=seen_version)
            except ChangedMeanwhile as error:
                # What was typed is in the message, to enter again after Ctrl+R.
                self._refused(error, t("The payment of {amount} on {day}",
                                       amount=money(given.amount, self.document.currency),
                                       day=day(given.paid_on)))
                return
            self.notify(t("Payment recorded."))
            self._clear_refusal()
        self.refresh_data()

    def action_remove_payment(self) -> None:
        table = self.query_one("#payments", DataTable)
        if not table.has_focus or table.cursor_row >= len(self._payment_ids):
            self.notify(t("Select a payment in the settlement history first."))
            return
        payment = Payment.get_by_id(self._payment_ids[table.cursor_row])

        def answered(yes: bool | None) -> None:
            if yes:
                with self.windykacja.attempt(t("Removing the payment")):
                    remove_payment(self.clock, payment, current_author())
                    self.notify(t("Payment removed."))
                self.refresh_data()

        question = t("Remove the payment of {amount} from {day}?",
                     amount=money(payment.amount), day=day(payment.paid_on))
        if payment.method == "agency":  # the commission follows the payment
            question += " " + t("The agency's commission recorded for it is reversed, and "
                                "the case's status follows.")
        self.app.push_screen(ConfirmDialog(question), answered)
