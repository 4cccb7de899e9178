"""The debtor registry (key ``b`` in the print queue, issue 16 point 4): what
``windykacja registry list|report|updated`` says and does, on one screen.

Every debtor warned by a registry demand that went out, with the warning (day, registered
number), the claims counted towards the act's amount and where it stands in the same
words as ``registry list`` (``lists.registry.state_line``); below, the reported claims
that changed and must be updated at the bureau (art. 29), each with its deadline.

- ``r`` on a debtor who may be reported: asks, then writes the export
  ``rejestr-CODE-DAY.csv`` into the letters' folder and records the report
  (``lists.registry.report_debtor``, as ``registry report`` does);
- ``u`` on a debtor with updates due: asks, then records that the bureau was asked today
  (``ledger.registry.mark_updated`` for each of its changed claims).
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ...dunning.paper import PaperRefused, default_folder
from ...ledger.identity import current_author
from ...ledger.names import amount_text, day_text
from ...ledger.registry import RegistryRefused, mark_updated
from ...lists.registry import (
    DebtorState,
    UpdateDue,
    debtor_states,
    export_name,
    report_debtor,
    state_line,
    updates_due,
)
from ...session import Context
from ..guard import Guarded
from ..i18n import t, tn
from ..widgets.form import ConfirmDialog


class RegistryScreen(Guarded, ModalScreen[None]):
    """The warned debtors and the bureau's updates due; ``r`` reports, ``u`` records an
    update, Esc closes."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close"),
        Binding("r", "report", "Report"),
        Binding("u", "updated", "Update done"),
    ]
    DEFAULT_CSS = """
    RegistryScreen { align: center middle; }
    RegistryScreen > Vertical { width: 100%; height: 100%; border: thick $primary;
        background: $surface; padding: 0 1; }
    RegistryScreen #title { text-style: bold; }
    RegistryScreen #debtors { height: 1fr; border: none; }
    RegistryScreen #updates { height: auto; max-height: 7; }
    RegistryScreen #said { height: auto; color: $warning; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.states: list[DebtorState] = []
        self.due: list[UpdateDue] = []

    @property
    def ctx(self) -> Context:
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("Debtor registry"), id="title", markup=False)
            yield OptionList(id="debtors")
            yield Static("", id="updates", markup=False)
            yield Static("", id="said", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_data()
        self.query_one("#debtors", OptionList).focus()

    # -- what it shows -------------------------------------------------------------------
    def refresh_data(self) -> None:
        self.states = debtor_states(self.ctx.clock.today())
        self.due = updates_due()
        debtors = self.query_one("#debtors", OptionList)
        highlighted = debtors.highlighted
        debtors.clear_options()
        if self.states:
            options: list[Option | None] = []
            for state in self.states:
                if options:
                    options.append(None)  # a rule between two debtors
                options.append(Option(self._debtor_text(state), id=str(state.contractor.id)))
            debtors.add_options(options)
            debtors.highlighted = min(highlighted or 0, debtors.option_count - 1)
        else:
            debtors.add_option(Option(
                Content(t("No debtor has been sent a registry warning yet.")), disabled=True))
        self.query_one("#updates", Static).update(self._updates_text())

    def _debtor_text(self, state: DebtorState) -> Content:
        warning, language = state.warning, self.ctx.language
        total = amount_text(state.counted_total, "PLN", language)
        warned = (t("warned {day} by registered letter {number}; claims counted: {total}",
                    day=day_text(warning.sent_on), number=warning.registered_number,
                    total=total) if warning.registered_number else
                  t("warned {day} by e-mail; claims counted: {total}",
                    day=day_text(warning.sent_on), total=total))
        return Content.assemble((f"{state.contractor.code}  {state.contractor.name}", "bold"),
                                f"\n{warned}\n",
                                state_line(state, self.ctx.clock.today(), language))

    def _updates_text(self) -> str:
        if not self.due:
            return t("No reported claim waits for an update at the bureau.")
        today, language = self.ctx.clock.today(), self.ctx.language
        lines = [tn("{n} reported claim changed; ask the bureau to update it:",
                    "{n} reported claims changed; ask the bureau to update them:",
                    len(self.due))]
        for update in self.due:
            late = t(" — LATE") if update.overdue(today) else ""
            lines.append("  " + t(
                "{number} ({contractor}): {reported} reported, {now} now; "
                "changed {changed}, update by {by}{late}",
                number=update.document.number, contractor=update.document.contractor.code,
                reported=amount_text(update.claim.outstanding_reported,
                                     update.document.currency, language),
                now=amount_text(update.document.outstanding, update.document.currency,
                                language),
                changed=day_text(update.changed_on), by=day_text(update.due_by), late=late))
        return "\n".join(lines)

    def _say(self, text: str) -> None:
        self.query_one("#said", Static).update(text)

    @property
    def current(self) -> DebtorState | None:
        option = self.query_one("#debtors", OptionList).highlighted_option
        if option is None or option.id is None:
            return None
        return next((s for s in self.states if str(s.contractor.id) == option.id), None)

    # -- reporting -----------------------------------------------------------------------
    def action_report(self) -> None:
        state = self.current
        if state is None:
            return
        today = self.ctx.clock.today()
        if state.report is not None or not state.eligibility.reportable:
            self._say(f"{state.contractor.code}: "
                      + state_line(state, today, self.ctx.language))
            return
        settings = self.ctx.settings
        location = self.ctx.location
        try:
            folder = default_folder(settings, location)
        except PaperRefused as refusal:
            self._say(str(refusal))
            return
        path = folder / export_name(state, today)
        question = t("Report {code} ({name}) to {bureau}? The export is written to {path}, "
                     "then the report is recorded; after any payment the bureau must be "
                     "asked to update it within 14 days.", code=state.contractor.code,
                     name=state.contractor.name, bureau=settings.registry_bureau_name,
                     path=str(path))

        def answered(yes: bool | None) -> None:
            if yes:
                self._report(state.contractor.id, path)

        self.app.push_screen(ConfirmDialog(question, t("Report"), t("Cancel")), answered)

    def _report(self, contractor_id: int, path: Path) -> None:
        today = self.ctx.clock.today()
        state = next((s for s in debtor_states(today) if s.contractor.id == contractor_id),
                     None)
        if state is None or state.report is not None or not state.eligibility.reportable:
            self.refresh_data()
            if state is not None:
                self._say(f"{state.contractor.code}: "
                          + state_line(state, today, self.ctx.language))
            return
        settings = self.ctx.settings
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            report, count = report_debtor(self.ctx.clock, state, settings, path,
                                          self.ctx.language, current_author())
        except OSError as exc:
            self._say(t("{path}: cannot be written ({reason})", path=path,
                        reason=exc.strerror or exc))
            return
        except RegistryRefused as exc:
            self._say(str(exc))
            return
        self._say("")
        self.notify(tn("Report #{id}: {n} claim of {code} to {bureau}, written to {path}. Send "
                       "it to the bureau; after any payment the bureau must be asked to "
                       "update it within 14 days.",
                       "Report #{id}: {n} claims of {code} to {bureau}, written to {path}. "
                       "Send it to the bureau; after any payment the bureau must be asked to "
                       "update it within 14 days.",
                       count, id=report.id, code=state.contractor.code,
                       bureau=settings.registry_bureau_name, path=path), timeout=20)
        self.refresh_data()

    # -- the bureau's update -------------------------------------------------------------
    def action_updated(self) -> None:
        state = self.current
        if state is None:
            return
        code = state.contractor.code
        due = [u for u in self.due if u.document.contractor_id == state.contractor.id]
        if not due:
            self._say(t("{code}: no reported claim waits for an update", code=code))
            return
        day = self.ctx.clock.today()
        question = tn("Record that the bureau was asked today ({day}) to update {n} claim of "
                      "{code} to the amount outstanding now?",
                      "Record that the bureau was asked today ({day}) to update {n} claims "
                      "of {code} to the amounts outstanding now?", len(due),
                      day=day_text(day), code=code)

        def answered(yes: bool | None) -> None:
            if yes:
                self._updated(state.contractor.id, code)

        self.app.push_screen(ConfirmDialog(question), answered)

    def _updated(self, contractor_id: int, code: str) -> None:
        day = self.ctx.clock.today()
        due = [u for u in updates_due() if u.document.contractor_id == contractor_id]
        try:
            for update in due:
                mark_updated(self.ctx.clock, update.claim, day, current_author())
        except RegistryRefused as exc:
            self._say(str(exc))
            self.refresh_data()
            return
        self._say("")
        self.notify(tn("{n} claim of {code}: the bureau's update recorded on {day}.",
                       "{n} claims of {code}: the bureau's update recorded on {day}.",
                       len(due), code=code, day=day_text(day)))
        self.refresh_data()
