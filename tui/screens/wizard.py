"""The setup wizard (SPEC §2): Connect KSeF, Reminders, Demands, Days, then a summary to
confirm.

KSeF comes first (issue 14): the company's invoices are already there, and once connected
they arrive by themselves. The step may be skipped: its environment "Not now" (the
default while KSeF is not connected) leaves the KSeF settings as they are.

Nothing is stored before the final confirmation: the steps only validate what they hold
(each problem next to its field), and Esc walks back a step, on the first step leaving
without saving (asking first when anything was changed, ``widgets/unsaved.py``). The
summary shows every value, asks for the sender identity, counts the
unpaid documents and asks whether the ones issued before today go under collection too
(default no, as in the original module).

The wizard is a modal screen so that the app's screen keys (1–6, ?) cannot take the user
out of it half-way; it answers ``True`` when it saved, ``False`` when left.

Saving switches possibly many documents one chunk at a time
(``ledger.setup_completion.complete_setup``), so it runs in a thread worker and the screen says
it is saving instead of freezing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import ContentSwitcher, Footer, RadioButton, RadioSet, Static

from ...ledger.actions import current_author
from ...ledger.settings import SettingsError, SettingsValidationError, load_settings
from ...ledger.setup_completion import SetupResult, check_setup, complete_setup, unpaid_counts
from ...models import database
from ..i18n import N_, t, tn
from ..widgets.collection_form import (
    LABELS,
    DaysSection,
    DemandsSection,
    FormSection,
    RemindersSection,
    SenderSection,
    describe_value,
)
from ..widgets.form import MarkedRadioButton
from ..widgets.ksef_form import ENVIRONMENT_WORDS, NOT_NOW, KsefFields
from ..widgets.unsaved import UnsavedChanges

if TYPE_CHECKING:
    from ..app import WindykacjaApp

STEPS = ("step-ksef", "step-reminders", "step-demands", "step-days", "step-summary")
STEP_TITLES = (N_("Connect KSeF"), N_("Reminders"), N_("Demands"), N_("Days"),
               N_("Summary"))
KSEF, SUMMARY = 0, len(STEPS) - 1
NEXT_KEYS = "enter,ctrl+n"


class WizardScreen(UnsavedChanges, ModalScreen[bool]):
    CSS_PATH = Path(__file__).parent.parent / "styles" / "wizard.tcss"
    # Enter is a priority key: in a field it moves on rather than being swallowed by the
    # field (Space still ticks a box or picks an answer).
    BINDINGS = [
        Binding(NEXT_KEYS, "next", "Next", key_display="Enter/^N", priority=True),
        Binding(NEXT_KEYS, "confirm", "Save and switch on", key_display="Enter/^N",
                priority=True),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.step = 0
        self.saving = False
        self.earlier_count = 0

    @property
    def windykacja(self) -> WindykacjaApp:
        """The app with its context (Textual types ``self.app`` as any App)."""
        return cast("WindykacjaApp", self.app)

    # -- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        settings = load_settings()
        yield Static("", id="wizard-title")
        with ContentSwitcher(initial=STEPS[0], id="wizard-steps"):
            with VerticalScroll(id=STEPS[KSEF]):
                yield KsefFields(settings, self.windykacja.ctx.clock.today(), optional=True)
                yield Static(t("\"Not now\" skips this step; KSeF can be connected later "
                               "(Ctrl+P, KSeF)."), classes="hint")
            with VerticalScroll(id=STEPS[1]):
                yield Static(t("Reminders are courteous e-mails sent before an invoice "
                               "falls due, at most one per document."), classes="hint")
                yield RemindersSection(settings, show_title=False)
            with VerticalScroll(id=STEPS[2]):
                yield Static(t("Payment demands are formal e-mails sent after the due "
                               "date, numbered 1, 2, 3… per document."), classes="hint")
                yield DemandsSection(settings, show_title=False)
            with VerticalScroll(id=STEPS[3]):
                yield Static(t("Reminders and demands go out once a day, on the days "
                               "chosen here."), classes="hint")
                yield DaysSection(settings, show_title=False)
            with VerticalScroll(id=STEPS[SUMMARY]):
                yield Static(t("Check the settings below; nothing is saved until you "
                               "confirm."), classes="hint")
                yield Static("", id="summary-values")
                yield SenderSection(settings)
                yield Static(t("Documents"), classes="section-title")
                yield Static("", id="unpaid-count")
                yield Static("", id="earlier-question")
                with RadioSet(id="earlier-answer"):
                    yield MarkedRadioButton(t("No: only documents issued from today on"),
                                      value=True, id="earlier-no")
                    yield MarkedRadioButton("", id="earlier-yes")
                yield Static(t("Space chooses the answer. Enter saves the settings and "
                               "switches collection on; Esc goes back."), classes="hint")
        yield Static("", id="wizard-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show_step(0)

    # -- the sections ------------------------------------------------------------------
    def sections(self) -> list[FormSection]:
        """The collection settings' sections: the one of step ``n`` (1–3) is ``n - 1``,
        the sender's is in the summary."""
        return [
            self.query_one(RemindersSection), self.query_one(DemandsSection),
            self.query_one(DaysSection), self.query_one(SenderSection),
        ]

    @property
    def ksef(self) -> KsefFields:
        return self.query_one(KsefFields)

    def values(self) -> dict[str, str]:
        out = self.ksef.values()
        for section in self.sections():
            out.update(section.values())
        return out

    def show_step(self, step: int) -> None:
        self.step = step
        self.query_one("#wizard-steps", ContentSwitcher).current = STEPS[step]
        if step < SUMMARY:
            title = t("Set up collection, step {n} of {total}: {name}", n=step + 1,
                      total=SUMMARY, name=t(STEP_TITLES[step]))
        else:
            title = t("Set up collection: summary")
            self.fill_summary()
        self.query_one("#wizard-title", Static).update(title)
        self.refresh_bindings()
        self.call_after_refresh(self.focus_first, step)

    def focus_first(self, step: int) -> None:
        pane = self.query_one(f"#{STEPS[step]}", VerticalScroll)
        pane.scroll_home(animate=False)
        if step == KSEF:
            self.ksef.focus_first()
            return
        if step == SUMMARY:
            sender = self.query_one(SenderSection)
            missing = [k for k, v in sender.values().items() if not v]
            if missing:
                sender.focus_field(missing[0])
                return
            self.query_one("#earlier-answer", RadioSet).focus()
            return
        focusable = pane.query("Input, Checkbox")
        if focusable:
            focusable.first().focus()

    def fill_summary(self) -> None:
        values = self.values()
        # Text, not markup: a typed value with "[" in it must show as typed.
        summary = Text()
        summary.append(t("KSeF") + "\n", style="bold")
        summary.append(f"  {self.ksef_summary()}\n")
        for section in self.sections()[:3]:
            summary.append(t(section.TITLE) + "\n", style="bold")
            for key in section.KEYS:
                summary.append(f"  {t(LABELS[key])}: {describe_value(key, values[key])}\n")
        self.query_one("#summary-values", Static).update(summary)
        counts = unpaid_counts(self.windykacja.ctx.clock.today())
        self.earlier_count = counts.earlier_off
        self.query_one("#unpaid-count", Static).update(
            t("Unpaid documents: {count}", count=counts.unpaid))
        question = self.query_one("#earlier-question", Static)
        answer = self.query_one("#earlier-answer", RadioSet)
        if counts.earlier_off:
            question.update(tn("Also put the {n} unpaid document issued before today "
                               "under collection?",
                               "Also put the {n} unpaid documents issued before today "
                               "under collection?", counts.earlier_off))
            self.query_one("#earlier-yes", RadioButton).label = tn(
                "Yes: put the {n} document under collection now",
                "Yes: put the {n} documents under collection now", counts.earlier_off)
            answer.display = True
        else:
            question.update(t("No unpaid document issued before today waits to be put "
                              "under collection."))
            answer.display = False

    def ksef_summary(self) -> str:
        fields = self.ksef
        environment = fields.environment
        if environment == NOT_NOW:
            return t("not connected now; it can be connected later")
        words = ENVIRONMENT_WORDS.get(environment)
        return t("{environment}; NIP {nip}; invoices stored in KSeF from {day}",
                 environment=t(words) if words else environment,
                 nip=fields.field("ksef.nip").value,
                 day=fields.field("ksef.since").value)

    def include_earlier(self) -> bool:
        return self.earlier_count > 0 and self.query_one("#earlier-yes", RadioButton).value

    def show_problems(self, problems: list[SettingsError]) -> int | None:
        """Every problem next to its field; returns the first step that has one."""
        first = None
        ksef = {p.key: p for p in problems if p.key.startswith("ksef.")}
        if ksef:
            self.ksef.show_settings_errors(list(ksef.values()))
            first = KSEF
        for index, section in enumerate(self.sections()):
            keys = section.show_problems(problems)
            if keys and first is None:
                first = index + 1
                section.focus_field(keys[0])
        return first

    # -- keys --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return not self.saving and self.step < SUMMARY
        if action == "confirm":
            return not self.saving and self.step == SUMMARY
        if action == "back":
            return not self.saving
        return True

    def action_next(self) -> None:
        if self.step == KSEF:
            problems = self.ksef.problems()
            self.ksef.show_problems(problems)
            if not problems:
                self.show_step(self.step + 1)
            return
        section = self.sections()[self.step - 1]
        try:
            check_setup(section.values())
        except SettingsValidationError as exc:
            section.show_problems(exc.problems)
            section.focus_field(exc.problems[0].key)
            return
        section.show_problems([])
        self.show_step(self.step + 1)

    def action_back(self) -> None:
        if self.step == 0:
            self.leave_or_ask(lambda: self.dismiss(False))
            return
        self.show_step(self.step - 1)

    def action_confirm(self) -> None:
        if self.ksef.problems():  # changed since its step was left: back to it
            self.show_step(KSEF)
            self.call_after_refresh(self.ksef.show_problems, self.ksef.problems())
            return
        values = self.values()
        try:
            check_setup({**values, "module.enabled": "yes"})
        except SettingsValidationError as exc:
            first = self.show_problems(exc.problems)
            if first is not None and first < SUMMARY:
                self.show_step(first)
                if first != KSEF:
                    section = self.sections()[first - 1]
                    self.call_after_refresh(section.focus_field,
                                            next(p.key for p in exc.problems
                                                 if p.key in section.KEYS))
            return
        self.show_problems([])
        self.saving = True
        self.refresh_bindings()
        self.query_one("#wizard-status", Static).update(t("Saving…"))
        self.save(values, self.include_earlier())

    @work(thread=True, exclusive=True, group="wizard-save", exit_on_error=False)
    def save(self, values: dict[str, str], include_earlier: bool) -> None:
        clock = self.windykacja.ctx.clock
        try:
            result = complete_setup(clock, values, current_author(), include_earlier)
        except Exception as exc:  # shown by the app's error reporter, on the UI thread
            self.app.call_from_thread(self.failed, exc)
            return
        finally:
            database.close()  # this thread's own connection; the screens keep theirs
        self.app.call_from_thread(self.saved, result)

    def saved(self, result: SetupResult) -> None:
        message = t("Collection is on; the settings apply from the next pass.")
        if result.switched_on:
            message += " " + tn("{n} document put under collection.",
                                "{n} documents put under collection.", result.switched_on)
        self.app.notify(message, timeout=8)
        self.dismiss(True)

    def failed(self, exc: Exception) -> None:
        self.saving = False
        self.refresh_bindings()
        self.query_one("#wizard-status", Static).update("")
        with self.windykacja.attempt(t("Saving the settings")):
            raise exc
