"""Unpaid documents, the home screen (SPEC §7).

The list is a ``LazyTable`` over ``lists.unpaid_list.UnpaidWindow``: it counts once
and reads only the pages on screen, so it stays instant with a million documents.
Changing the filter, the search or the sort re-counts in a thread worker (the screen
never waits for SQL it does not need); the totals per currency follow in a second
worker, since summing a million amounts takes longer than showing the first page.

The *status* column shows the debtor's answer (issue 15) in place of the progress when
there is one — disputed, address failing, reply waiting, promised with its day, promise
broken — and ``w`` lists only the documents with one of them (``lists/unpaid_list.py``).

Marks are document ids and survive a change of filter or sort, so a bookkeeper can
search for one contractor, mark, search for another, mark, and act on all of them.
An action with nothing marked applies to the row under the cursor.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...dunning.wording import describe_next
from ...ledger.actions import current_author, record_payments, set_subject_to_collection
from ...ledger.settings import load_settings
from ...lists import unpaid_list
from ...lists.progress import progress_of
from ...lists.unpaid_list import Answer, UnpaidQuery, UnpaidRow, UnpaidWindow, totals
from ...models import Document
from ..debounce import Debounce
from ..formatting import day, money, short_day
from ..i18n import N_, t, tn
from ..reader import Superseded
from ..widgets.bounded import SEARCH_LENGTH, BoundedInput
from ..widgets.dialog import Dialog
from ..widgets.form import ConfirmDialog
from ..widgets.lazy_table import Column, LazyTable
from ..words import progress_text
from .base import AppScreen
from .payment import PaymentDialog, PaymentInput
from .recovery.keys import RecoveryKeys
from .recovery.words import case_filter_choices, case_status_text

SEARCH_DEBOUNCE_SECONDS = 0.15
# The "time-barred soon" filter (e): a quarter gives time to sue or get an acknowledgment.
EXPIRING_DAYS = 90

# Column key → the sort key it orders by (None: cannot be sorted in SQL), and whether
# ascending in the column means descending in SQL (more days late = an earlier legal due
# date: the days-late column sorts by ``legal_due_date``, law/lateness.py).
COLUMN_SORT: dict[str, tuple[str | None, bool]] = {
    "number": ("number", False),
    "contractor": ("contractor", False),
    "issue": ("issue", False),
    "due": ("due", False),
    "days": ("late", True),
    "outstanding": ("outstanding", False),
    "currency": ("currency", False),
    "status": ("progress", False),
    "recovery": (None, False),
    "next": (None, False),
}
SORTABLE = [key for key, (sort, _) in COLUMN_SORT.items() if sort]

# The debtor's answer (issue 15) as the status column says it: short, for 14 columns.
ANSWER_STATUS = {
    Answer.DISPUTED: N_("disputed"),
    Answer.ADDRESS_FAILING: N_("bad address"),
    Answer.REPLY_WAITING: N_("reply waiting"),
    Answer.PROMISED: N_("promised {day}"),
    Answer.PROMISE_BROKEN: N_("broken promise"),
}
# … as the scope line names the filter …
ANSWER_SCOPES = {
    Answer.DISPUTED: N_("disputed"),
    Answer.ADDRESS_FAILING: N_("address failing"),
    Answer.REPLY_WAITING: N_("reply waiting"),
    Answer.PROMISED: N_("promised to pay"),
    Answer.PROMISE_BROKEN: N_("promise broken"),
}
# … and as the filter offers it.
ANSWER_FILTERS = {
    Answer.REPLY_WAITING: N_("A reply waits for a decision"),
    Answer.PROMISED: N_("Promised to pay (waiting for the day)"),
    Answer.PROMISE_BROKEN: N_("Promise broken (no step since)"),
    Answer.DISPUTED: N_("Disputed"),
    Answer.ADDRESS_FAILING: N_("An address of the contractor fails"),
}


def answer_filter_choices() -> list[tuple[str, str]]:
    """The filter by the debtor's answer: (value for ``UnpaidQuery.answer``, words)."""
    return [("", t("All documents"))] + [(key, t(words)) for key, words in
                                         ANSWER_FILTERS.items()]


class AnswerFilterDialog(Dialog[str | None]):
    """Which documents to list by the debtor's answer (as the case-status filter)."""

    DEFAULT_CSS = """
    AnswerFilterDialog { align: center middle; }
    AnswerFilterDialog > .dialog {
        width: 60; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    AnswerFilterDialog .dialog-title { text-style: bold; margin-bottom: 1; }
    AnswerFilterDialog OptionList { height: auto; max-height: 12; }
    """

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("Show documents by the debtor's answer"), classes="dialog-title")
            yield OptionList(*(Option(words, id=value or "all")
                               for value, words in answer_filter_choices()), id="answers")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for value, _ in answer_filter_choices()]
        options.highlighted = values.index(self.current) if self.current in values else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss("" if event.option.id == "all" else event.option.id)


def columns() -> list[Column]:
    return [
        Column("number", t("Number"), 15, priority=10),
        Column("contractor", t("Contractor"), 11, priority=9, flex=2),
        Column("issue", t("Issued"), 10, priority=2),
        Column("due", t("Due"), 10, priority=6),
        Column("days", t("Late"), 4, priority=7, right=True),
        Column("outstanding", t("Outstanding"), 12, priority=9, right=True),
        Column("currency", t("Cur"), 3, priority=5),
        Column("status", t("Status"), 14, priority=8),
        Column("recovery", t("Recovery"), 10, priority=1),
        Column("next", t("Next step"), 26, priority=3, flex=1),
    ]


class UnpaidScreen(RecoveryKeys, AppScreen):
    TITLE = N_("Unpaid documents")
    CSS_PATH = "../styles/unpaid.tcss"
    BINDINGS = [
        Binding("space", "mark", "Mark", key_display="Spc"),
        Binding("slash", "search", "Search", show=False),  # the search box says "(/)"
        Binding("o", "overdue", "Overdue"),
        Binding("s", "sort", "Sort"),
        Binding("r", "reverse", "Reverse order", show=False),
        Binding("p", "pay", "Pay"),
        Binding("c", "flag(True)", "Collect"),
        Binding("x", "flag(False)", "Exclude"),
        Binding("u", "unmark", "Unmark all", show=False),
        RecoveryKeys.RECOVER,
        RecoveryKeys.FINISH_ORDER,
        RecoveryKeys.CASE_FILTER,
        Binding("e", "expiring", "Time-barred within 90 days", show=False),
        Binding("w", "answer_filter", "Filter by the debtor's answer", show=False),
        RecoveryKeys.REFRESH_CASES,
        RecoveryKeys.IMPORT_STATUSES,
        Binding("escape", "leave_search", "Back to the list", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_state: UnpaidQuery | None = None
        self.window: UnpaidWindow | None = None
        self.marked: set[int] = set()
        self._search_debounce = Debounce(self, SEARCH_DEBOUNCE_SECONDS, self._apply_search)
        self._sort_column = "due"
        self._last_totals = None

    # -- layout ------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="filters"):
            yield Static("", id="scope")
            yield BoundedInput(placeholder=t("Search number or contractor (/)"), id="search",
                               max_length=SEARCH_LENGTH, compact=True)
        yield LazyTable(columns(), self.cells, lambda row: row.id in self.marked,
                        empty_text=t("No unpaid documents match."), id="documents")
        yield Static("", id="totals", classes="totals")

    @property
    def table(self) -> LazyTable:
        return self.query_one("#documents", LazyTable)

    def on_mount(self) -> None:
        self.query_state = UnpaidQuery(self.clock.today(), overdue_only=False)
        self.table.sort_key = self._sort_column
        self.table.focus()
        self.reload()
        self._poll_cases()

    def refresh_data(self) -> None:
        if self.window is not None:  # the first load is on_mount's
            assert self.query_state is not None
            self.query_state = self.query_state.with_changes(today=self.clock.today())
            self.reload(keep_cursor=True)

    # -- cells -------------------------------------------------------------------------
    def cells(self, row: UnpaidRow) -> list[str]:
        document = row.document
        return [
            document.number,
            document.contractor.name,
            day(document.issue_date),
            day(document.due_date),
            str(row.days_late) if row.days_late else "",
            money(document.outstanding),
            document.currency,
            self._status(row),
            case_status_text(row.recovery_status),
            describe_next(row.next_step, self.language),
        ]

    def _status(self, row: UnpaidRow) -> str:
        """Collection progress, or, for a document handed to an agency, its case's status:
        the recovery column is the first left out on a narrow terminal; else the debtor's
        answer, which stops or holds collection (the next-step column, left out at 80
        columns, says it in full)."""
        if row.recovery_status:
            return t("case: {status}", status=case_status_text(row.recovery_status))
        if row.answer:
            return t(ANSWER_STATUS[row.answer], day=short_day(row.promised_by))
        return progress_text(progress_of(row.document, self._max_demands()))

    def _max_demands(self) -> int:
        return self.window.settings.demand_max_count if self.window else 0

    # -- loading -----------------------------------------------------------------------
    def reload(self, keep_cursor: bool = False) -> None:
        assert self.query_state is not None
        cursor = self.table.cursor_row if keep_cursor else 0
        self._show_scope()
        self.query_one("#totals", Static).update(t("Counting…"))
        self._load(self.query_state, cursor)

    @work(exclusive=True, group="unpaid-load", exit_on_error=False)
    async def _load(self, query: UnpaidQuery, cursor: int) -> None:
        # The first page may show before the count (a search of 100,000 matches counts
        # for longer than its first page takes) when that frame is the one the count
        # would give: the cursor on the first row, and the scrollbar's thumb its
        # smallest for any count above the lower bound (``_rows_first``).
        early = cursor == 0 and self._rows_first()
        try:
            window = await self.windykacja.reader.run(
                "unpaid-load", lambda: UnpaidWindow(query, load_settings()).load(
                    count=not early))
        except Superseded:
            return
        self._show(window, cursor)

    def _rows_first(self) -> bool:
        """Whether a window counted only to its lower bound (``UnpaidWindow.load``)
        draws the same frame as the counted one: Textual's thumb is ``max(1, window
        height × bar length / virtual height)`` cells, one cell for both when the
        table's height squared is at most the lower bound's virtual height."""
        height = self.table.size.height
        return height > 0 and height * height <= unpaid_list.SNAPSHOT_LIMIT + 1

    def _show(self, window: UnpaidWindow, cursor: int) -> None:
        if window.query != self.query_state:
            return  # an older query finished after a newer one started
        self.window = window
        self.table.set_source(window, cursor)
        if not window.counted:  # the count line keeps "Counting…" until it comes
            self._count_rows(window)
            return
        self._show_totals(None)
        self._count_totals(window.query)

    @work(exclusive=True, group="unpaid-count", exit_on_error=False)
    async def _count_rows(self, window: UnpaidWindow) -> None:
        try:
            count = await self.windykacja.reader.run("unpaid-count", window.count_rows)
        except Superseded:
            return
        self._show_count(window, count)

    def _show_count(self, window: UnpaidWindow, count: int) -> None:
        if window is not self.window:
            return
        cursor = self.table.cursor_row
        if cursor == window.count - 1:  # at the lower bound's end ("end" pressed): the end
            cursor = count - 1
        window.set_count(count)
        self.table.set_source(window, cursor)
        self._show_totals(None)
        self._count_totals(window.query)

    @work(exclusive=True, group="unpaid-totals", exit_on_error=False)
    async def _count_totals(self, query: UnpaidQuery) -> None:
        try:
            result = await self.windykacja.reader.run("unpaid-totals", lambda: totals(query))
        except Superseded:
            return
        self._show_totals(result, query)

    def _show_totals(self, result, query: UnpaidQuery | None = None) -> None:
        if query is not None and query != self.query_state:
            return
        if self.window is not None and not self.window.counted:
            return  # "Counting…" stays; the count's arrival writes the line
        count = self.window.count if self.window else 0
        parts = [tn("{n} document", "{n} documents", count)]
        if result is None:
            parts.append(t("adding up…"))
        else:
            parts += [money(total, currency) for currency, total in result.by_currency]
        if self.marked:
            parts.append(t("marked: {count}", count=len(self.marked)))
        self.query_one("#totals", Static).update(" · ".join(parts))
        self._last_totals = result

    def _show_scope(self) -> None:
        assert self.query_state is not None
        scope = t("Overdue only") if self.query_state.overdue_only else t("All unpaid")
        if self.query_state.case_status:
            words = dict(case_filter_choices())[self.query_state.case_status]
            scope = t("{scope}, case: {status}", scope=scope, status=words)
        if self.query_state.answer:
            scope = t("{scope}, {answer}", scope=scope,
                      answer=t(ANSWER_SCOPES[self.query_state.answer]))
        if self.query_state.expiring_within:
            scope = tn("{scope}, time-barred within {n} day",
                       "{scope}, time-barred within {n} days",
                       self.query_state.expiring_within, scope=scope)
        direction = t("descending") if self.table.sort_descending else t("ascending")
        column = next(c.title for c in columns() if c.key == self._sort_column)
        self.query_one("#scope", Static).update(
            t("{scope} · sorted by {column}, {direction}", scope=scope, column=column,
              direction=direction))

    # -- filters and sorting ---------------------------------------------------------------
    def action_overdue(self) -> None:
        assert self.query_state is not None
        self.query_state = self.query_state.with_changes(
            overdue_only=not self.query_state.overdue_only)
        self.reload()

    def action_expiring(self) -> None:
        """Claims alive today that become time-barred within 90 days (or all again)."""
        assert self.query_state is not None
        within = 0 if self.query_state.expiring_within else EXPIRING_DAYS
        self.query_state = self.query_state.with_changes(expiring_within=within)
        self.reload()

    def action_answer_filter(self) -> None:
        """Only the documents with a debtor's answer of one kind (or all again)."""
        assert self.query_state is not None

        def chosen(answer: str | None) -> None:
            if answer is not None and self.query_state is not None:
                self.query_state = self.query_state.with_changes(answer=answer)
                self.reload()

        self.app.push_screen(AnswerFilterDialog(self.query_state.answer), chosen)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_leave_search(self) -> None:
        self.table.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._search_debounce.poke()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self._apply_search()
        self.table.focus()

    def _apply_search(self) -> None:
        assert self.query_state is not None
        text = self.query_one("#search", Input).value.strip()
        if text != self.query_state.search:
            self.query_state = self.query_state.with_changes(search=text)
            self.reload()

    def sort_by(self, column: str, descending: bool) -> None:
        assert self.query_state is not None
        sort, inverted = COLUMN_SORT[column]
        if sort is None:
            self.notify(t("This column is computed per row and cannot be sorted."))
            return
        self._sort_column = column
        self.table.sort_key = column
        self.table.sort_descending = descending
        self.query_state = self.query_state.with_changes(
            sort=sort, descending=descending != inverted)
        self.reload()

    def action_sort(self) -> None:
        following = SORTABLE[(SORTABLE.index(self._sort_column) + 1) % len(SORTABLE)]
        self.sort_by(following, False)

    def action_reverse(self) -> None:
        self.sort_by(self._sort_column, not self.table.sort_descending)

    @on(LazyTable.HeaderClicked)
    def _header_clicked(self, event: LazyTable.HeaderClicked) -> None:
        same = event.key == self._sort_column
        self.sort_by(event.key, not self.table.sort_descending if same else False)

    # -- marking -----------------------------------------------------------------------
    def action_mark(self) -> None:
        row = self.table.current
        if row is None:
            return
        self.marked.symmetric_difference_update({row.id})
        self.table.refresh_row(self.table.cursor_row)
        self.table.action_cursor(1)
        self._show_totals(self._last_totals)

    def action_unmark(self) -> None:
        self.marked.clear()
        self.table.refresh()
        self._show_totals(self._last_totals)

    def _targets(self) -> list[int]:
        if self.marked:
            return sorted(self.marked)
        row = self.table.current
        return [row.id] if row is not None else []

    # -- actions -----------------------------------------------------------------------
    @on(LazyTable.RowSelected)
    def _open(self, event: LazyTable.RowSelected) -> None:
        from .document import DocumentScreen

        self.app.push_screen(DocumentScreen(event.row.id))

    async def open_current_document(self, then: str = "") -> None:
        """The highlighted document's screen, and there the action ``then`` (the
        palette's "Note" from the list)."""
        from .document import DocumentScreen

        row = self.table.current
        if row is None:
            self.notify(t("No document is highlighted."), severity="warning")
            return
        await self.app.push_screen(DocumentScreen(row.id))
        if then:
            await self.app.screen.run_action(then)

    def action_flag(self, enabled: bool) -> None:
        ids = self._targets()
        if not ids:
            return
        question = (
            tn("Put {n} document under collection?", "Put {n} documents under collection?",
               len(ids)) if enabled
            else tn("Exclude {n} document from collection?",
                    "Exclude {n} documents from collection?", len(ids))
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._switch_flag(ids, enabled)

        self.app.push_screen(ConfirmDialog(question), answered)

    def _switch_flag(self, ids: list[int], enabled: bool) -> None:
        with self.windykacja.attempt(t("Switching collection")):
            changed = set_subject_to_collection(
                self.clock, self.settings(), ids, enabled, current_author())
            self.notify(tn("Changed for {n} document; the change is in its history.",
                           "Changed for {n} documents; each change is in its history.",
                           changed))
            self.marked.difference_update(ids)
        self.reload(keep_cursor=True)

    def action_pay(self) -> None:
        ids = self._targets()
        if not ids:
            return
        if len(ids) == 1:
            document = Document.get_by_id(ids[0])
            dialog = PaymentDialog(
                self.clock.today(),
                t("Payment for {number} ({contractor})", number=document.number,
                  contractor=document.contractor.name),
                document.outstanding, document.currency)
        else:
            dialog = PaymentDialog(
                self.clock.today(),
                tn("Payment for {n} marked document", "Payment for {n} marked documents",
                   len(ids)),
                None)
        self.app.push_screen(dialog, lambda given: self._pay(ids, given))

    def _pay(self, ids: list[int], given: PaymentInput | None) -> None:
        if given is None:
            return
        with self.windykacja.attempt(t("Recording the payment")):
            record_payments(self.clock, self.settings(), ids, given.paid_on, given.amount,
                            given.method, given.reference, current_author())
            self.notify(tn("Payment recorded for {n} document.",
                           "Payment recorded for {n} documents.", len(ids)))
            self.marked.difference_update(ids)
        self.reload(keep_cursor=True)
