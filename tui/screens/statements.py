"""Bank statements (key 7): the credits an imported statement could not match for sure,
for a person to decide.

The list holds the unsure credits (newest first), then the ones without a match. Enter
opens a credit: what the bank says about it and the documents it may pay (the matcher's
candidates; for a credit without a match, the open documents owing exactly its amount;
any other found by its number). Enter or ``c`` confirms the document under the cursor,
or the ones marked with Space, in their order: the payments are recorded and the payer's
account is learned. ``x`` ignores the credit (a refund, a loan, someone else's money).
Both ask first. ``i`` imports a statement file, as ``windykacja import statement`` does.
Every decision goes through ``banking/credits.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from ...banking.credits import (
    CandidateRow,
    LineDetail,
    StatementError,
    allocate,
    confirm_line,
    find_open_document,
    ignore_line,
    line_detail,
)
from ...banking.matching import Evidence, Reason
from ...dunning.facts import newest_statement_date
from ...importers.csv_common import ImportRejected
from ...importers.statements import StatementSummary, import_statement
from ...ledger.actions import current_author
from ...ledger.bank_profiles import PROFILES
from ...ledger.event_words import author_name
from ...ledger.settings import load_settings
from ...lists.credits import LineRow, pending_counts, pending_source
from ...lists.paging import ListSource
from ...models import LineStatus
from ...models.db import database
from ..formatting import day, local_moment, money
from ..i18n import N_, language, t, tn
from ..widgets.bounded import LONG_LENGTH, SEARCH_LENGTH, BoundedInput
from ..widgets.dialog import Dialog
from ..widgets.form import ConfirmDialog, Field, existing_file
from ..widgets.lazy_table import Column, LazyTable
from .base import AppScreen, TableScreen

STYLES = Path(__file__).parent.parent / "styles" / "statements.tcss"
SHOWN_PROBLEMS = 8


def status_words(status: str) -> str:
    return {LineStatus.UNSURE: t("to confirm"), LineStatus.UNMATCHED: t("no match"),
            LineStatus.SURE: t("matched"), LineStatus.CONFIRMED: t("confirmed"),
            LineStatus.IGNORED: t("ignored")}.get(status, status)


def reason_words(reason: str, unexplained: tuple[str, ...] = ()) -> str:
    """Why the matcher was not sure, in words."""
    numbers = ", ".join(unexplained)
    words = {
        Reason.MORE_THAN_OUTSTANDING: t("the amount is more than the documents in the title owe"),
        Reason.LESS_THAN_TOTAL: t("the amount is less than the documents in the title owe "
                             "together"),
        Reason.UNKNOWN_NUMBER: t("the title names {numbers}, which is no open document",
                            numbers=numbers),
        Reason.OTHER_CURRENCY: t("a document in the title is in another currency"),
        Reason.SEVERAL_EQUAL: t("the payer has several documents of this amount"),
        Reason.NO_EQUAL_AMOUNT: t("the payer has no document of exactly this amount"),
        Reason.SEVERAL_PAYERS: t("the account and the NIP point at different contractors"),
        Reason.NO_OPEN_DOCUMENTS: t("the payer owes nothing now"),
        Reason.NAME_ONLY: t("only the payer's name resembles a contractor's"),
        Reason.NOTHING: t("neither the title nor the payer points at a document"),
        Reason.IN_RECOVERY: t("the document is with a recovery agency: tell the agency"),
    }
    return words.get(reason, reason)


# What points at a candidate, short for its column and in full for the line below.
EVIDENCE_SHORT = {
    Evidence.FOUND: N_("found by you"), Evidence.NUMBER: N_("number"),
    Evidence.ACCOUNT: N_("account"), Evidence.NIP: N_("NIP"), Evidence.NAME: N_("name"),
    Evidence.AMOUNT: N_("amount"),
}
EVIDENCE_LONG = {
    Evidence.FOUND: N_("you found it by its number"),
    Evidence.NUMBER: N_("its number is in the title"),
    Evidence.ACCOUNT: N_("the payer's account is its contractor's"),
    Evidence.NIP: N_("its contractor's NIP is in the title"),
    Evidence.NAME: N_("the payer's name is its contractor's"),
    Evidence.AMOUNT: N_("it owes exactly this amount"),
}


def evidence_short(row: CandidateRow) -> str:
    """The candidate's column: what points at it, or that it is weak."""
    if row.weak:
        return t("amount only") if Evidence.AMOUNT in row.evidence else t("nothing")
    return ", ".join(t(EVIDENCE_SHORT[kind]) for kind in Evidence.ORDER
                     if kind in row.evidence)


def evidence_words(row: CandidateRow) -> str:
    """The line under the candidates: how strong the one under the cursor is."""
    if row.weak:
        if Evidence.AMOUNT in row.evidence:
            return t("{number}: weak — the same amount only; no number, payer or account "
                     "matches. Mark it with Space if it is the right one.", number=row.number)
        return t("{number}: weak — nothing in the credit points at it. Mark it with Space "
                 "if it is the right one.", number=row.number)
    return t("{number}: {what}.", number=row.number,
             what="; ".join(t(EVIDENCE_LONG[kind]) for kind in Evidence.ORDER
                            if kind in row.evidence))


def summary_words(summary: StatementSummary, timezone: dt.tzinfo) -> str:
    """What an import did; an earlier import's moment is local, its zone named."""
    if summary.already_imported is not None:
        when, who = summary.already_imported
        return t("{file} was imported before ({when}, {zone}, {who}); nothing was added.",
                 file=summary.path.name, when=local_moment(when, timezone),
                 zone=getattr(timezone, "key", str(timezone)),
                 who=author_name(who, language()))
    return t("{file}: {credits} — {sure} paid for sure, {unsure} to confirm, "
             "{unmatched} without a match, {skipped} imported before; {debits} ignored.",
             file=summary.path.name,
             credits=tn("{n} credit", "{n} credits", summary.credits), sure=summary.sure,
             unsure=summary.unsure, unmatched=summary.unmatched, skipped=summary.already_in,
             debits=tn("{n} debit", "{n} debits", summary.debits_ignored))


class StatementsScreen(TableScreen):
    TITLE = N_("Bank statements")
    CSS_PATH = STYLES
    BINDINGS = [
        Binding("enter", "open", "Choose", show=False),
        Binding("x", "ignore", "Ignore"),
        Binding("i", "import_statement", "Import statement"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._generation = 0

    def compose_body(self) -> ComposeResult:
        yield Static("", id="newest", classes="totals")
        yield LazyTable(
            [
                Column("day", t("Date"), 10, priority=9),
                Column("amount", t("Amount"), 14, priority=8, right=True),
                Column("status", t("Status"), 16, priority=7),
                Column("payer", t("Payer"), 14, priority=6, flex=1),
                Column("title", t("Title"), 14, priority=5, flex=2),
            ],
            cells=self._cells,
            empty_text=t("No credits wait for a decision."),
            id="credits",
        )

    def _cells(self, row: LineRow) -> list[str]:
        return [day(row.booked_on), money(row.amount, row.currency), status_words(row.status),
                row.payer_name, row.title]

    def refresh_data(self) -> None:
        self.load(self.table.cursor_row)

    def load(self, cursor: int = 0) -> None:
        self._generation += 1
        self._load(cursor, self._generation)

    @work(thread=True, exclusive=True, group="statements-load")
    def _load(self, cursor: int, generation: int) -> None:
        try:
            source = pending_source().load()
            counts = pending_counts()
            newest = newest_statement_date()
        finally:
            database.close()
        self.app.call_from_thread(self._show, source, counts, newest, cursor, generation)

    def _show(self, source, counts: dict[str, int], newest, cursor: int,
              generation: int) -> None:
        if generation != self._generation:
            return
        self.table.set_source(source, cursor)
        if newest is None:
            text = t("No statement imported yet: press i to import one.")
        else:
            text = t("Newest statement {day} · to confirm: {unsure} · no match: {unmatched}"
                     " · Enter opens one", day=day(newest),
                     unsure=counts.get(LineStatus.UNSURE, 0),
                     unmatched=counts.get(LineStatus.UNMATCHED, 0))
        self.query_one("#newest", Static).update(text)

    # -- actions -----------------------------------------------------------------------
    @on(LazyTable.RowSelected)
    def _open(self, event: LazyTable.RowSelected) -> None:
        self._open_line(event.row)

    def action_open(self) -> None:
        row = self.table.current
        if row is not None:
            self._open_line(row)

    def _open_line(self, row: LineRow) -> None:
        with self.app.attempt(t("Opening the credit")):  # type: ignore[attr-defined]
            self.app.push_screen(CreditScreen(line_detail(
                row.id, self.settings().company_nip)))

    def action_ignore(self) -> None:
        row: LineRow | None = self.table.current
        if row is None:
            return
        ask_to_ignore(self, row.id, row.amount, row.currency, row.payer_name, self.refresh_data)

    def action_import_statement(self) -> None:
        self.app.push_screen(ImportStatementDialog(self.settings().statement_bank_profile),
                             lambda _: self.refresh_data())


def ask_to_ignore(screen: AppScreen, line_id: int, amount: Decimal, currency: str,
                  payer: str, done: Callable[[], object]) -> None:
    """Ignore a credit after a question; ``done`` runs once it is ignored."""
    question = t("Ignore the credit of {amount} from {payer}? No payment is recorded; it "
                 "leaves this list.", amount=money(amount, currency), payer=payer or "—")

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        with screen.app.attempt(t("Ignoring the credit")):  # type: ignore[attr-defined]
            ignore_line(screen.clock, line_id, current_author())
            screen.notify(t("The credit of {amount} is ignored.",
                            amount=money(amount, currency)))
            done()

    screen.app.push_screen(ConfirmDialog(question), answered)


class CreditScreen(AppScreen):
    """One credit and the documents it may pay; dismissed once decided, or with Esc."""

    TITLE = N_("Bank statements: a credit")
    CSS_PATH = STYLES
    BINDINGS = [
        Binding("c", "confirm", "Confirm"),
        Binding("space", "mark", "Mark", key_display="Spc"),
        Binding("x", "ignore", "Ignore"),
        Binding("n", "find", "Find by number"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, detail: LineDetail) -> None:
        super().__init__()
        self.detail = detail
        self.candidates: list[CandidateRow] = list(detail.candidates)
        self.marked: list[int] = []

    def compose_body(self) -> ComposeResult:
        d = self.detail
        with Vertical(id="credit"):
            yield Static(t("{day} · {amount} · {status}", day=day(d.booked_on),
                           amount=money(d.amount, d.currency), status=status_words(d.status)),
                         classes="section-title", markup=False)
            yield Static(t("From: {payer}", payer=d.payer_name or "—"), markup=False)
            yield Static(t("Account: {account}", account=d.payer_account or "—"),
                         markup=False)
            yield Static(t("Title: {title}", title=d.title or "—"), markup=False)
            yield Static(t("Why: {reason}", reason=reason_words(d.reason, d.unexplained)),
                         classes="hint", markup=False)
            yield BoundedInput(placeholder=t("Add a document by its number (n), then Enter"),
                               max_length=SEARCH_LENGTH, id="number", compact=True)
            yield Static("", id="found", classes="problem")
        yield LazyTable(
            [
                Column("number", t("Document"), 16, priority=9),
                Column("contractor", t("Contractor"), 16, priority=6, flex=1),
                Column("due", t("Due"), 10, priority=5),
                Column("outstanding", t("Outstanding"), 14, priority=8, right=True),
                Column("match", t("Match"), 12, priority=7, flex=1),
            ],
            cells=self._cells,
            is_marked=lambda row: row.id in self.marked,
            empty_text=t("No candidate documents: n finds one by its number, x ignores the "
                         "credit."),
            id="candidates",
        )
        yield Static("", id="evidence", classes="hint", markup=False)

    def _cells(self, row: CandidateRow) -> list[str]:
        contractor = row.contractor + (t(" (agency)") if row.in_recovery else "")
        return [row.number, contractor, day(row.due_date),
                money(row.outstanding, row.currency), evidence_short(row)]

    @property
    def table(self) -> LazyTable:
        return self.query_one("#candidates", LazyTable)

    def on_mount(self) -> None:
        self.query_one("#found", Static).display = False
        self._show_candidates()
        self.watch(self.table, "cursor_row", self._show_evidence)
        self.table.focus()  # the keys work from here; n goes to the number field

    def _show_evidence(self, _cursor: int = 0) -> None:
        row: CandidateRow | None = self.table.current
        self.query_one("#evidence", Static).update(evidence_words(row) if row else "")

    def _show_candidates(self, cursor: int = 0) -> None:
        self.table.set_source(ListSource(self.candidates), cursor)
        self._show_evidence()

    # -- finding by number ---------------------------------------------------------------
    def action_find(self) -> None:
        self.query_one("#number", Input).focus()

    @on(Input.Submitted, "#number")
    def _find(self, event: Input.Submitted) -> None:
        number = event.value.strip()
        found = find_open_document(number, self.detail.currency) if number else None
        message = self.query_one("#found", Static)
        message.display = found is None
        if found is None:
            message.update(t("No open document {number} in {currency}.", number=number,
                             currency=self.detail.currency))
            return
        if all(c.id != found.id for c in self.candidates):
            self.candidates.append(found)
        index = next(i for i, c in enumerate(self.candidates) if c.id == found.id)
        self._show_candidates(index)
        event.input.value = ""
        self.table.focus()

    # -- deciding ----------------------------------------------------------------------
    def action_mark(self) -> None:
        row: CandidateRow | None = self.table.current
        if row is None:
            return
        if row.id in self.marked:
            self.marked.remove(row.id)
        else:
            self.marked.append(row.id)
        self.table.refresh_row(self.table.cursor_row)

    @on(LazyTable.RowSelected)
    def _selected(self) -> None:
        self.action_confirm()

    def chosen(self) -> list[CandidateRow]:
        """The marked documents in the order they were marked, else the current one."""
        by_id = {c.id: c for c in self.candidates}
        if self.marked:
            return [by_id[i] for i in self.marked]
        return [self.table.current] if self.table.current is not None else []

    def action_confirm(self) -> None:
        current: CandidateRow | None = self.table.current
        if not self.marked and current is not None and current.weak:
            # Only the amount points at it: the cursor resting on it is no choice.
            self.notify(t("{number} is a weak candidate (the same amount only): mark it "
                          "with Space if it is the right one, then press c.",
                          number=current.number), severity="warning")
            return
        chosen = self.chosen()
        if not chosen:
            self.notify(t("Choose a document first."), severity="warning")
            return
        d = self.detail
        shares, left = allocate(d.amount, [(c.id, c.outstanding) for c in chosen])
        numbers = {c.id: c.number for c in chosen}
        lines = [t("Record the credit of {amount} as paid on {day}:",
                   amount=money(d.amount, d.currency), day=day(d.booked_on))]
        lines += [f"  {numbers[i]}: {money(share, d.currency)}" for i, share in shares]
        if left > 0:
            lines.append(t("{amount} is left over and is not recorded (overpayments are "
                           "refused).", amount=money(left, d.currency)))
        ids = [c.id for c in chosen]
        self.app.push_screen(ConfirmDialog("\n".join(lines)),
                             lambda yes: self._confirm(ids) if yes else None)

    def _confirm(self, ids: list[int]) -> None:
        with self.app.attempt(t("Confirming the credit")):  # type: ignore[attr-defined]
            try:
                done = confirm_line(self.clock, self.settings(), self.detail.id, ids,
                                    current_author())
            except StatementError as exc:
                self.notify(str(exc), severity="error")
                return
            paid = ", ".join(f"{number} {money(amount, self.detail.currency)}"
                             for number, amount in done.allocations)
            self.notify(t("Payments recorded: {paid}.", paid=paid))
            self.dismiss(True)

    def action_ignore(self) -> None:
        d = self.detail
        ask_to_ignore(self, d.id, d.amount, d.currency, d.payer_name,
                      lambda: self.dismiss(True))

    def action_back(self) -> None:
        self.dismiss(False)


class ImportStatementDialog(Dialog[None]):
    """Import an MT940 file with a bank profile; all or nothing, problems by line."""

    CSS_PATH = STYLES
    SAVE_BUTTON = "go"

    def __init__(self, profile: str) -> None:
        super().__init__()
        self.profile = profile

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("Import a bank statement (MT940)"), classes="dialog-title")
            yield Static(t("Sure matches become payments; the others wait in this list. "
                           "A file with a bad line imports nothing."), classes="hint")
            yield Field(t("File"), "", field_id="statement-file", placeholder="wyciag.sta",
                        max_length=LONG_LENGTH)
            with Horizontal(classes="profile"):
                yield Label(t("Bank profile:"))
                yield Select([(f"{p.name} — {p.encoding_label}", p.name)
                              for p in PROFILES.values()], value=self.profile,
                             allow_blank=False, id="profile", compact=True)
            with Horizontal(classes="buttons"):
                yield Button(t("Import"), id="go", variant="primary")
                yield Button(t("Back"), id="close")
            yield Static("", id="statement-result", markup=False)

    def on_mount(self) -> None:
        self.query_one("#statement-file", Field).input.focus()

    def action_save(self) -> None:
        path = existing_file(self.query_one("#statement-file", Field))
        if path is None:
            return
        self.query_one("#statement-result", Static).update(t("Reading {path}…",
                                                             path=path.name))
        self._import(path, str(self.query_one("#profile", Select).value))

    @work(exclusive=True, group="statement-import", exit_on_error=False)
    async def _import(self, path: Path, profile: str) -> None:
        app = self.windykacja
        clock = app.ctx.clock
        result = self.query_one("#statement-result", Static)
        try:
            summary = await app.reader.run(
                "statement-import",
                lambda: import_statement(path, clock, load_settings(), profile=profile))
        except ImportRejected as exc:
            problems = [str(error) for error in exc.errors]
            lines = [t("Nothing was imported; fix these lines or choose another profile:"),
                     *problems[:SHOWN_PROBLEMS]]
            result.update("\n".join(lines))
            return
        result.update(summary_words(summary, clock.timezone) + " "
                      + t("Esc returns to the list."))
