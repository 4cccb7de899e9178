"""Letters (key 0, issue 16): the print queue and what became of each letter on paper.

The list shows what waits for a person first: the letters to print, those that cannot
be printed as they stand (with the reason), the printed ones not yet confirmed posted,
the posted ones with no return receipt yet; then the letters done, newest first. ``s``
shows one section after another (``lists.letter_queue``).

The keys do what ``windykacja letters …`` does (``dunning/paper.py``):

- ``p`` prints the letters to print — the marked ones (Space) if any are marked, else
  all of them — as one batch into ``letters.folder`` (else ``letters`` beside the
  database): one PDF and the dispatch book as PDF and CSV;
- ``c`` confirms posting: of the marked printed letters, else of every letter printed
  in the batch of the letter under the cursor (one trip to the post office); the day
  and each letter's registered number, all or nothing;
- ``d`` / ``r``: the return receipt (delivered on), or the envelope came back (when,
  why) — on a posted letter;
- ``R`` draws the batch of the letter under the cursor again (a jammed printer);
- Enter or ``v`` shows the letter as its PDF says it;
- ``b`` opens the debtor registry (``screens/registry.py``): who may be reported, the
  report, the bureau's updates after a payment.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...dunning.paper import (
    PaperRefused,
    PrintedBatch,
    default_folder,
    post_letters,
    print_letters,
    record_outcome,
    reprint_batch,
)
from ...ledger.actions import current_author
from ...ledger.answers import AnswerRefused
from ...ledger.names import day_text
from ...lists.letter_queue import (
    CHOICES,
    SECTION_NAMES,
    LetterRow,
    LetterView,
    Section,
    letter_text,
    letter_view,
    printed_of,
    queue_source,
    section_counts,
    standing_lines,
    state_words,
    what_words,
)
from ...models import LetterBatch, Message
from ...models.db import database
from ..guard import Guarded
from ..i18n import N_, t, tn
from ..widgets.form import ConfirmDialog
from ..widgets.lazy_table import Column, LazyTable
from ..widgets.letter_forms import OutcomeDialog, OutcomeInput, PostingDialog, PostingInput
from .base import RowsReader, ThreadedTableScreen
from .registry import RegistryScreen

STYLES = Path(__file__).parent.parent / "styles" / "letters.tcss"


def counts_line(counts: dict[str, int]) -> str:
    parts = [tn("{n} to print", "{n} to print", counts[Section.TO_PRINT]),
             tn("{n} printed, not posted", "{n} printed, not posted", counts[Section.PRINTED]),
             tn("{n} posted, no receipt yet", "{n} posted, no receipt yet",
                counts[Section.POSTED])]
    if counts[Section.FAILED]:
        parts.append(tn("{n} cannot be printed", "{n} cannot be printed",
                        counts[Section.FAILED]))
    return " · ".join(parts)


def refused(call: Callable[[], Any]) -> Any:
    """``call``, with a refusal of the paper path as the dialogs' ``AnswerRefused``."""
    try:
        return call()
    except PaperRefused as refusal:
        raise AnswerRefused(str(refusal), refusal.field) from None


class LetterScreen(Guarded, ModalScreen[None]):
    """One letter, read-only: where it stands, then its text as the PDF prints it."""

    BINDINGS = [Binding("escape,q,v", "dismiss", "Close")]
    DEFAULT_CSS = """
    LetterScreen { align: center middle; }
    LetterScreen > VerticalScroll { width: 100%; max-width: 90; height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    LetterScreen #standing { margin-bottom: 1; text-style: bold; }
    """

    def __init__(self, view: LetterView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        view = self.view
        text = ("\n".join(letter_text(view.data)) if view.data is not None
                else t("(the letter could not be made: see why above)"))
        with VerticalScroll():
            yield Static("\n".join(standing_lines(view.row, view.batch_pdf)), id="standing",
                         markup=False)
            yield Static(text, id="letter", markup=False)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()


class LettersScreen(ThreadedTableScreen):
    TITLE = N_("Letters")
    CSS_PATH = STYLES
    BINDINGS = [
        Binding("p", "print", "Print"),
        Binding("c", "post", "Posted"),
        Binding("d", "delivered", "Delivered"),
        Binding("r", "returned", "Returned"),
        Binding("s", "section", "Show"),
        Binding("space", "mark", "Mark", key_display="Spc"),
        Binding("R", "reprint", "Reprint batch"),
        # Listed in ? help: with it the English footer would pass 80 columns.
        Binding("b", "registry", "Debtor registry", show=False),
        Binding("v", "view", "View the letter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.section: str | None = None
        self.marked: set[int] = set()

    def compose_body(self) -> ComposeResult:
        yield Static("", id="scope", markup=False)
        yield LazyTable(
            [
                Column("id", t("No."), 4, priority=8, right=True),
                Column("state", t("State"), 17, priority=10),
                Column("recipient", t("Recipient"), 14, priority=9, flex=2),
                Column("title", t("Letter"), 18, priority=6),  # "demand 3, registry"
                Column("documents", t("Documents"), 18, priority=7),
                Column("batch", t("Batch"), 6, priority=5, right=True),
                Column("number", t("Registered number"), 20, priority=4),
            ],
            cells=self._cells,
            is_marked=lambda row: row.id in self.marked,
            empty_text=t("No letters here."),
            id="letters",
        )
        yield Static("", id="count", classes="totals", markup=False)

    def _cells(self, row: LetterRow) -> list[str]:
        documents = row.documents[0] if row.documents else ""
        if len(row.documents) > 1:
            documents += f" +{len(row.documents) - 1}"
        return [str(row.id), state_words(row), row.recipient, what_words(row), documents,
                str(row.batch or ""), row.registered_number]

    def on_mount(self) -> None:
        super().on_mount()
        self._show_scope()

    def refresh_data(self) -> None:
        self.load(self.table.cursor_row)

    # -- loading -----------------------------------------------------------------------
    def rows_reader(self) -> RowsReader:
        section = self.section
        return lambda: (queue_source(section), section_counts())

    def show_counts(self, counts: dict[str, int]) -> None:
        self.query_one("#count", Static).update(counts_line(counts))

    def _show_scope(self) -> None:
        what = (t(SECTION_NAMES[self.section]) if self.section
                else t("all letters, what waits for you first"))
        self.query_one("#scope", Static).update(t("Showing: {what}", what=what))

    # -- choosing ----------------------------------------------------------------------
    def action_section(self) -> None:
        self.section = CHOICES[(CHOICES.index(self.section) + 1) % len(CHOICES)]
        self._show_scope()
        self.load()

    def action_mark(self) -> None:
        row: LetterRow | None = self.table.current
        if row is None:
            return
        self.marked.symmetric_difference_update({row.id})
        self.table.refresh_row(self.table.cursor_row)
        self.table.action_cursor(1)

    def _marked_in(self, section: str) -> list[int]:
        rows = self.table.source
        return [r.id for r in (rows.row(i) for i in range(rows.count))
                if r is not None and r.id in self.marked and r.section == section]

    def _current_in(self, section: str, what: str) -> LetterRow | None:
        """The letter under the cursor if it stands in ``section``; else say why not."""
        row: LetterRow | None = self.table.current
        if row is not None and row.section == section:
            return row
        self.notify(t("Choose a letter {what} first (s shows them).", what=what),
                    severity="warning")
        return None

    # -- printing ----------------------------------------------------------------------
    def action_print(self) -> None:
        marked = self._marked_in(Section.TO_PRINT)
        count = len(marked) if marked else section_counts()[Section.TO_PRINT]
        if not count:
            self.notify(t("No letter waits to be printed."), severity="warning")
            return
        location = self.windykacja.ctx.location
        try:
            folder = default_folder(self.settings(), location)
        except PaperRefused as refusal:
            self.notify(str(refusal), severity="error", timeout=12)
            return
        question = (tn("Print the {n} marked letter into {folder}?",
                       "Print the {n} marked letters into {folder}?", count, folder=str(folder))
                    if marked else
                    tn("Print the {n} letter waiting into {folder}?",
                       "Print all {n} letters waiting into {folder}?", count,
                       folder=str(folder)))
        question += " " + t("One PDF and the dispatch book; the letters then wait for you "
                            "to confirm they were posted.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._print(folder, marked or None)

        self.app.push_screen(ConfirmDialog(question), answered)

    @work(thread=True, exclusive=True, group="letters-print")
    def _print(self, folder: Path, ids: list[int] | None) -> None:
        try:
            printed = print_letters(self.clock, self.settings(), folder, current_author(),
                                    ids=ids)
        except PaperRefused as refusal:
            self.app.call_from_thread(self.notify, str(refusal), severity="error", timeout=12)
            return
        except OSError as exc:  # the folder: not writable, a full disk
            self.app.call_from_thread(
                self.notify, t("Cannot write into {folder}: {why}. Nothing was printed.",
                               folder=str(folder), why=exc.strerror or exc),
                severity="error", timeout=12)
            return
        finally:
            database.close()
        self.app.call_from_thread(self._printed, printed)

    def _printed(self, printed: PrintedBatch) -> None:
        batch = printed.batch
        self.marked.difference_update(printed.letters)
        self.notify(tn("Batch {batch}: {n} letter, {pages} pages: {path}",
                       "Batch {batch}: {n} letters, {pages} pages: {path}",
                       len(printed.letters), batch=batch.id, pages=printed.pages,
                       path=batch.pdf_path)
                    + "\n" + t("Dispatch book: {pdf} and {csv}", pdf=batch.book_pdf_path,
                               csv=batch.book_csv_path)
                    + "\n" + t("Once posted, confirm it here: c."), timeout=20)
        self.refresh_data()

    def action_reprint(self) -> None:
        row: LetterRow | None = self.table.current
        if row is None or row.batch is None:
            self.notify(t("This letter has not been printed: there is no batch to draw "
                          "again."), severity="warning")
            return
        self._reprint(row.batch)

    @work(thread=True, exclusive=True, group="letters-print")
    def _reprint(self, batch_id: int) -> None:
        try:
            batch = LetterBatch.get_by_id(batch_id)
            pages = reprint_batch(self.settings(), batch)
        finally:
            database.close()
        self.app.call_from_thread(
            self.notify, t("Batch {batch} drawn again ({pages} pages): {path}", batch=batch.id,
                           pages=pages, path=batch.pdf_path), timeout=15)

    # -- posting and what became of a letter ---------------------------------------------
    def action_post(self) -> None:
        marked = self._marked_in(Section.PRINTED)
        if marked:
            letters = printed_of(marked)
        else:
            row = self._current_in(Section.PRINTED, t("printed, not posted"))
            if row is None:
                return
            letters = printed_of(batch=row.batch)
        title = (tn("Confirm posting of {n} marked letter", "Confirm posting of {n} marked "
                    "letters", len(letters)) if marked else
                 tn("Confirm posting of {n} letter of batch {batch}",
                    "Confirm posting of the {n} letters of batch {batch}", len(letters),
                    batch=letters[0].batch))
        self.app.push_screen(PostingDialog(title, letters, self.clock.today(), self._post),
                             self._posted)

    def _post(self, value: PostingInput) -> PostingInput:
        messages = {m.id: m for m in Message.select().where(
            Message.id.in_([i for i, _ in value.numbers]))}
        refused(lambda: post_letters(self.clock, [(messages[i], n) for i, n in value.numbers],
                                     value.day, current_author()))
        return value

    def _posted(self, value: PostingInput | None) -> None:
        if value is None:
            return
        self.marked.difference_update(i for i, _ in value.numbers)
        self.notify(tn("{n} letter confirmed posted on {day}; its steps count from that day.",
                       "{n} letters confirmed posted on {day}; their steps count from that "
                       "day.", len(value.numbers), day=day_text(value.day)))
        self.refresh_data()

    def action_delivered(self) -> None:
        self._outcome(returned=False)

    def action_returned(self) -> None:
        self._outcome(returned=True)

    def _outcome(self, returned: bool) -> None:
        row = self._current_in(Section.POSTED, t("posted, with no receipt yet"))
        if row is None:
            return
        title = (t("Letter #{id} to {recipient} came back", id=row.id, recipient=row.recipient)
                 if returned else t("Letter #{id} to {recipient} was delivered", id=row.id,
                                    recipient=row.recipient))

        def record(value: OutcomeInput) -> OutcomeInput:
            message = Message.get_by_id(row.id)
            refused(lambda: record_outcome(self.clock, message, value.day, current_author(),
                                           returned=value.returned))
            return value

        def done(value: OutcomeInput | None) -> None:
            if value is None:
                return
            self.notify(t("Letter #{id}: returned on {day}.", id=row.id, day=day_text(value.day))
                        if returned else
                        t("Letter #{id}: delivered on {day}.", id=row.id, day=day_text(value.day)))
            self.refresh_data()

        self.app.push_screen(OutcomeDialog(title, returned, self.clock.today(), record), done)

    # -- the debtor registry -------------------------------------------------------------
    def action_registry(self) -> None:
        self.app.push_screen(RegistryScreen())  # the queue re-reads on return

    # -- reading -----------------------------------------------------------------------
    def action_view(self) -> None:
        row: LetterRow | None = self.table.current
        if row is not None:
            self._open(row.id)

    @on(LazyTable.RowSelected)
    def _selected(self, event: LazyTable.RowSelected) -> None:
        self._open(event.row.id)

    def _open(self, letter_id: int) -> None:
        with self.app.attempt(t("Opening letter {id}", id=letter_id)):  # type: ignore[attr-defined]
            view = letter_view(letter_id)
            if view is None:
                self.notify(t("Letter {id} is no longer in the queue.", id=letter_id),
                            severity="warning")
                self.refresh_data()
                return
            self.app.push_screen(LetterScreen(view))
