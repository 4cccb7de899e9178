"""The setup wizard (SPEC §2): Reminders, Demands, Days, then a summary to confirm.

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
from ..widgets.unsaved import UnsavedChanges

if TYPE_CHECKING:
    from ..app import WindykacjaApp

STEPS = ("step-reminders", "step-demands", "step-days", "step-summary")
STEP_TITLES = (N_("Reminders"), N_("Demands"), N_("Days"), N_("Summary"))
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
            with VerticalScroll(id=STEPS[0]):
                yield Static(t("Reminders are courteous e-mails sent before an invoice "
                               "falls due, at most one per document."), classes="hint")
                yield RemindersSection(settings, show_title=False)
            with VerticalScroll(id=STEPS[1]):
                yield Static(t("Payment demands are formal e-mails sent after the due "
                               "date, numbered 1, 2, 3… per document."), classes="hint")
                yield DemandsSection(settings, show_title=False)
            with VerticalScroll(id=STEPS[2]):
                yield Static(t("Reminders and demands go out once a day, on the days "
                               "chosen here."), classes="hint")
                yield DaysSection(settings, show_title=False)
            with VerticalScroll(id=STEPS[3]):
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
        return [
            self.query_one(RemindersSection), self.query_one(DemandsSection),
            self.query_one(DaysSection), self.query_one(SenderSection),
        ]

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for section in self.sections():
            out.update(section.values())
        return out

    def show_step(self, step: int) -> None:
        self.step = step
        self.query_one("#wizard-steps", ContentSwitcher).current = STEPS[step]
        if step < 3:
            title = t("Set up collection, step {n} of 3: {name}", n=step + 1,
                      name=t(STEP_TITLES[step]))
        else:
            title = t("Set up collection: summary")
            self.fill_summary()
        self.query_one("#wizard-title", Static).update(title)
        self.refresh_bindings()
        self.call_after_refresh(self.focus_first, step)

    def focus_first(self, step: int) -> None:
        pane = self.query_one(f"#{STEPS[step]}", VerticalScroll)
        pane.scroll_home(animate=False)
        if step == 3:
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

    def include_earlier(self) -> bool:
        return self.earlier_count > 0 and self.query_one("#earlier-yes", RadioButton).value

    def show_problems(self, problems: list[SettingsError]) -> int | None:
        """Every problem next to its field; returns the first step that has one."""
        first = None
        for index, section in enumerate(self.sections()):
            keys = section.show_problems(problems)
            if keys and first is None:
                first = index
                section.focus_field(keys[0])
        return first

    # -- keys --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return not self.saving and self.step < 3
        if action == "confirm":
            return not self.saving and self.step == 3
        if action == "back":
            return not self.saving
        return True

    def action_next(self) -> None:
        section = self.sections()[self.step]
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
        values = self.values()
        try:
            check_setup({**values, "module.enabled": "yes"})
        except SettingsValidationError as exc:
            first = self.show_problems(exc.problems)
            if first is not None and first < 3:
                self.show_step(first)
                self.call_after_refresh(self.sections()[first].focus_field,
                                        next(p.key for p in exc.problems
                                             if p.key in self.sections()[first].KEYS))
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
