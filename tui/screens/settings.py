"""Settings (SPEC §2, §7): collection, sender identity, SMTP with a test e-mail, and the
ways to the setup wizard and the templates editor.

The collection fields are the wizard's own sections (``widgets/collection_form.py``).
Ctrl+S checks every field (each problem next to its field) and stores only the values
that changed, so that each setting's author and time say who changed what; a change
applies from the next pass and nothing already sent changes.

The SMTP password is never shown: the address is displayed masked, and an untouched
masked address is not saved back (the stored one, with its password, stays). The test
e-mail uses the values in the form, saved or not, so that a new server can be tried
before it is saved; it is sent in a thread worker and its outcome shown in place.

Coming back to the screen re-reads the settings (someone else may have changed them),
unless the form holds unsaved edits, which are kept.

Demands under Polish law (issue 5): whether demands claim statutory interest and the
compensation for recovery costs, and the hold while the bank statements are stale. Below
them, the newest statutory interest rate of each kind with its source (Ctrl+N adds one from
a new notice, ``interest_rate.py``) and the newest known NBP EUR rate; Ctrl+E asks the NBP
API for the missing months in a thread worker and says what came of it.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Static

from ...dunning.transport_check import TestMailError, send_test_email
from ...law.interest import RateTableError
from ...ledger.actions import current_author
from ...ledger.clock import utc_now_naive
from ...ledger.rate_problems import describe_rate_problem
from ...ledger.rates import (
    InterestRow,
    RateInputError,
    RefreshError,
    eur_rows,
    nbp_base_url,
    newest_interest_rates,
    refresh_eur_rates,
    source_text,
)
from ...ledger.settings import (
    CollectionSettings,
    SettingsValidationError,
    apply_changes,
    load_settings,
    mask_secret_url,
    save_settings,
    settings_as_text,
)
from ...ledger.setup_completion import check_setup
from ...ledger.validation import parse_bool, validate_email
from ..formatting import day, rate_text
from ..i18n import N_, t, tn
from ..widgets.collection_form import (
    ChoiceField,
    DaysSection,
    DemandsSection,
    FormSection,
    ModuleSection,
    RemindersSection,
    SenderWithLanguageSection,
    SmtpSection,
    describe_problem,
    value_problem,
    widget_id,
    yes_no_text,
)
from ..widgets.form import Field, SwitchField
from ..widgets.unsaved import UnsavedChanges
from .base import AppScreen
from .interest_rate import KIND_NAMES, InterestRateDialog

# The law section's fields (English source text, shown through t()): the shared
# collection form does not carry them, as the setup wizard does not ask for them.
LAW_LABELS = {
    "demand.include_interest": N_("Claim statutory interest for late payment in demands"),
    "demand.include_compensation": N_("Claim compensation for recovery costs (40, 70 or 100 EUR) "
                                      "in demands"),
    "statement.hold_days": N_("Hold demands while the newest bank statement is older than "
                              "(days)"),
    "statement.bank_profile": N_("Bank of the statements (MT940 profile)"),
}
LAW_HINTS = {
    "demand.include_interest": N_("Commercial-transaction interest for businesses, the ordinary "
                                  "rate for private persons, to the day of the demand."),
    "demand.include_compensation": N_("Businesses only, per late invoice, at the NBP euro rate of "
                                      "the month before the due date. Off by default: many "
                                      "creditors keep the customer's goodwill."),
    "statement.hold_days": N_("0 to 60; 0 switches the hold off. Nobody is chased for money "
                              "that has already arrived."),
    "statement.bank_profile": N_("pko, mbank, cp852, nordea or utf8: the encoding and layout "
                                 "of the bank's file."),
}


class LabelledSection(FormSection):
    """A section of settings keys with their labels and hints (English source text, shown
    through t()), some of them yes/no switches."""

    LABELS: dict[str, str] = {}
    HINTS: dict[str, str] = {}
    SWITCHES: frozenset[str] = frozenset()
    # Keys picked from a list: their codes with the words shown (English, through t()).
    CHOICES: dict[str, tuple[tuple[str, str], ...]] = {}

    def make_field(self, key: str):
        label, text = t(self.LABELS[key]), self.texts.get(key, "")
        field_id = widget_id(key)
        if key in self.CHOICES:
            return ChoiceField(label, text, [(t(words), code) for code, words in
                                             self.CHOICES[key]],
                               hint=t(self.HINTS[key]), field_id=field_id)
        if key in self.SWITCHES:
            return SwitchField(label, parse_bool(text), hint=t(self.HINTS[key]),
                               field_id=field_id)
        return Field(label, text, hint=t(self.HINTS[key]), field_id=field_id,
                     check=partial(value_problem, key))

    def load(self, settings: CollectionSettings) -> None:
        self.texts = settings_as_text(settings)
        for key in self.KEYS:
            text = self.texts.get(key, "")
            self.field(key).value = parse_bool(text) if key in self.SWITCHES else text
        self.show_problems([])

    def values(self) -> dict[str, str]:
        return {key: yes_no_text(self.field(key).value) if key in self.SWITCHES
                else self.field(key).value for key in self.KEYS}


class LawSection(LabelledSection):
    """Demands under Polish law: two switches and a number of days."""

    TITLE = N_("Demands under Polish law")
    KEYS = ("demand.include_interest", "demand.include_compensation", "statement.hold_days",
            "statement.bank_profile")
    LABELS, HINTS = LAW_LABELS, LAW_HINTS
    SWITCHES = frozenset({"demand.include_interest", "demand.include_compensation"})


CHANNEL_HINT = N_("By letter and e-mail: the step counts from the letter's posting, the "
                  "e-mail is a copy with the letter attached.")
CHANNEL_CHOICES = (("email", N_("by e-mail")), ("letter", N_("by letter")),
                   ("both", N_("by letter and e-mail")))


class LettersSection(LabelledSection):
    """Letters on paper (issue 16): which steps go by post, and how they are printed."""

    TITLE = N_("Letters on paper")
    KEYS = ("letters.enabled", "letters.reminder", "letters.demand", "letters.last_demand",
            "letters.place", "letters.duplex", "letters.folder")
    SWITCHES = frozenset({"letters.enabled", "letters.duplex"})
    CHOICES = {key: CHANNEL_CHOICES for key in (
        "letters.reminder", "letters.demand", "letters.last_demand")}
    LABELS = {
        "letters.enabled": N_("Send letters on paper"),
        "letters.reminder": N_("Send the reminder"),
        "letters.demand": N_("Send a demand"),
        "letters.last_demand": N_("Send the last demand"),
        "letters.place": N_("Town in the letters' date line"),
        "letters.duplex": N_("Print on both sides of the sheet"),
        "letters.folder": N_("Folder for print jobs"),
    }
    HINTS = {
        "letters.enabled": N_("A contractor without an e-mail address then gets letters; "
                              "the print queue is key 0."),
        "letters.reminder": CHANNEL_HINT, "letters.demand": CHANNEL_HINT,
        "letters.last_demand": CHANNEL_HINT,
        "letters.place": N_("Empty: the town of the company's address."),
        "letters.duplex": N_("Every letter then starts on a front page."),
        "letters.folder": N_("A full path; empty: the folder 'letters' beside the database."),
    }


class RegistrySection(LabelledSection):
    """The debtor-registry warning on the last demand (issue 16, docs/registry.md)."""

    TITLE = N_("Debtor registry")
    KEYS = ("registry.warning", "registry.bureau_name", "registry.bureau_address")
    SWITCHES = frozenset({"registry.warning"})
    LABELS = {
        "registry.warning": N_("The last demand warns of a report to a debtor registry"),
        "registry.bureau_name": N_("The bureau's firm"),
        "registry.bureau_address": N_("The address of the bureau's seat"),
    }
    HINTS = {
        "registry.warning": N_("Sent by registered letter (by e-mail only to a business whose "
                               "contract allows it); a debtor may be reported a month after "
                               "it was posted."),
        "registry.bureau_name": N_("As the act asks: the full firm, e.g. Krajowy Rejestr "
                                   "Długów Biuro Informacji Gospodarczej S.A."),
        "registry.bureau_address": N_("Street, number, postcode and town of its seat."),
    }


class SettingsScreen(UnsavedChanges, AppScreen):
    TITLE = N_("Settings")
    CSS_PATH = Path(__file__).parent.parent / "styles" / "settings.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+t", "test_mail", "Send a test e-mail"),
        Binding("ctrl+g", "wizard", "Setup wizard"),
        Binding("ctrl+o", "templates", "Templates"),
        Binding("ctrl+n", "add_rate", "Add an interest rate", show=False),
        Binding("ctrl+e", "refresh_eur", "Refresh EUR rates from NBP", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.loaded: dict[str, str] = {}
        self.sending_test = False
        self.refreshing_eur = False

    # -- layout ------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        settings = load_settings()
        with VerticalScroll(id="settings-body"):
            yield Static(t("Changes apply from the next pass; nothing already sent "
                           "changes. Ctrl+S saves."), classes="hint")
            yield Static("", id="settings-status", markup=False)
            yield Static(t("Collection"), classes="section-title")
            yield ModuleSection(settings)
            yield RemindersSection(settings)
            yield DemandsSection(settings)
            yield DaysSection(settings)
            yield LawSection(settings)
            yield LettersSection(settings)
            yield RegistrySection(settings)
            yield Static(t("Statutory interest rates"), classes="section-title")
            yield Static(t("The rates ship with the program, each with its source. When a "
                           "new Monitor Polski notice or RPP decision appears, add it here."),
                         classes="hint")
            yield Static("", id="interest-rates", markup=False)
            yield Button(t("Add an interest rate (Ctrl+N)"), id="add-rate")
            yield Static(t("NBP euro rates"), classes="section-title")
            yield Static(t("For the compensation: the NBP table-A rate of the last business "
                           "day of each month. Refreshing asks api.nbp.pl for the months "
                           "after the newest known one."), classes="hint")
            yield Static("", id="eur-rates", markup=False)
            yield Button(t("Refresh EUR rates from NBP (Ctrl+E)"), id="refresh-eur")
            yield Static("", id="eur-result", markup=False)
            yield SenderWithLanguageSection(settings)
            yield SmtpSection(settings)
            yield Static("", id="smtp-now", classes="hint", markup=False)
            yield Field(t("Send a test e-mail to"), self.test_recipient(settings),
                        field_id="test-recipient")
            yield Button(t("Send a test e-mail (Ctrl+T)"), id="send-test")
            yield Static("", id="test-result", markup=False)
            yield Static(t("Templates"), classes="section-title")
            yield Static(t("The texts of reminders, demands and reports, in Polish and "
                           "English: Ctrl+O opens the editor."), classes="hint")
            yield Button(t("Edit templates (Ctrl+O)"), id="open-templates")
            yield Static(t("Setup wizard"), classes="section-title")
            yield Static(t("Ctrl+G walks through the collection settings again, step by "
                           "step."), classes="hint")
            yield Button(t("Open the setup wizard (Ctrl+G)"), id="open-wizard")

    def on_mount(self) -> None:
        self.loaded = self.values()
        self.show_transport(load_settings())
        self.show_rates()

    @staticmethod
    def test_recipient(settings: CollectionSettings) -> str:
        return settings.report_email or settings.sender_email

    def sections(self) -> list[FormSection]:
        return list(self.query(FormSection))

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for section in self.sections():
            out.update(section.values())
        return out

    def show_transport(self, settings: CollectionSettings) -> None:
        if settings.smtp_url:
            text = t("Now: messages are sent through {server}.",
                     server=mask_secret_url(settings.smtp_url))
        else:
            folder = settings.outbox_maildir or str(self.windykacja.ctx.default_maildir)
            text = t("Now: messages are stored in the outbox folder {folder}; nothing leaves "
                     "this machine.", folder=folder)
        self.query_one("#smtp-now", Static).update(text)

    def status(self, text: str) -> None:
        self.query_one("#settings-status", Static).update(text)

    # -- reading back ------------------------------------------------------------------
    def refresh_data(self) -> None:
        self.show_rates()
        if not self.loaded or self.values() != self.loaded:
            return  # unsaved edits are the user's; Ctrl+S or leaving decides them
        self.load(load_settings())

    @property
    def has_changes(self) -> bool:
        """Edited settings, saved or not yet valid; the test address is no setting."""
        return bool(self.loaded) and self.values() != self.loaded

    def discard_changes(self) -> None:
        self.load(load_settings())
        self.status("")

    def load(self, settings: CollectionSettings) -> None:
        for section in self.sections():
            section.load(settings)
        self.loaded = self.values()
        self.show_transport(settings)

    # -- saving ------------------------------------------------------------------------
    def changes(self, values: dict[str, str]) -> dict[str, str]:
        """The values that differ from what was loaded. An untouched (masked) SMTP
        address is no change: saving the mask would lose the password."""
        return {key: value for key, value in values.items() if value != self.loaded.get(key)}

    def checked(self, values: dict[str, str]) -> bool:
        """Show every problem next to its field; True when there is none."""
        unchanged_smtp = values.get("smtp.url") == self.loaded.get("smtp.url")
        to_check = {k: v for k, v in values.items() if not (k == "smtp.url" and unchanged_smtp)}
        try:
            on = parse_bool(values.get("module.enabled", "no"))
        except ValueError:
            on = False
        try:
            check_setup(to_check, complete=on)
        except SettingsValidationError as exc:
            for section in self.sections():
                section.show_problems(exc.problems)
            self.status(t("Not saved: correct the fields marked with an error."))
            self.focus_problem(exc.problems[0].key)
            return False
        for section in self.sections():
            section.show_problems([])
        return True

    def focus_problem(self, key: str) -> None:
        for section in self.sections():
            if key in section.KEYS:
                section.focus_field(key)
                section.field(key).scroll_visible(animate=False)
                return

    def action_save(self) -> None:
        values = self.values()
        if not self.checked(values):
            return
        changes = self.changes(values)
        if not changes:
            self.status(t("Nothing to save: no setting was changed."))
            return
        saved = None
        with self.windykacja.attempt(t("Saving the settings")):
            saved = save_settings(changes, current_author(), utc_now_naive(self.clock))
        if saved is None:
            return
        self.load(saved)
        self.status(tn("Saved {n} setting; it applies from the next pass.",
                       "Saved {n} settings; they apply from the next pass.", len(changes)))
        self.windykacja.update_status()

    # -- the test e-mail ---------------------------------------------------------------
    def action_test_mail(self) -> None:
        if self.sending_test:
            return
        recipient_field = self.query_one("#test-recipient", Field)
        try:
            recipient = validate_email(recipient_field.value)
        except ValueError as exc:
            recipient_field.set_error(describe_problem(str(exc)) if recipient_field.value
                                      else t("required"))
            recipient_field.input.focus()
            return
        recipient_field.set_error("")
        values = self.values()
        if not self.checked(values):
            return
        self.status("")
        # The form's values over the stored ones: a new server can be tried before
        # it is saved; an untouched masked address means the stored one.
        changes = self.changes(values)
        settings = apply_changes(load_settings(), check_setup(changes, complete=False))
        self.sending_test = True
        self.query_one("#test-result", Static).update(
            t("Sending a test e-mail to {address}…", address=recipient))
        self.send_test(settings, recipient)

    @work(thread=True, exclusive=True, group="test-mail", exit_on_error=False)
    def send_test(self, settings: CollectionSettings, recipient: str) -> None:
        ctx = self.windykacja.ctx
        try:
            reply = send_test_email(settings, ctx.default_maildir, recipient, ctx.clock,
                                    self.language)
        except TestMailError as exc:
            text = t("Not sent: {reason}", reason=exc.reason)
        except Exception as exc:  # anything else is still an answer to show in place
            text = t("Not sent: {reason}", reason=str(exc) or type(exc).__name__)
        else:
            text = t("Sent to {address}: {reply}",
                     address=recipient, reply=reply)
        self.app.call_from_thread(self.show_test_result, text)

    def show_test_result(self, text: str) -> None:
        self.sending_test = False
        result = self.query_one("#test-result", Static)
        result.update(text)
        result.scroll_visible(animate=False)

    # -- rate tables -------------------------------------------------------------------
    def show_rates(self) -> None:
        """The newest interest rate of each kind and the newest EUR rate, with sources."""
        try:
            newest = newest_interest_rates()
            lines = [t("{who}: {rate} % a year from {day} ({source})", who=t(KIND_NAMES[kind]),
                       rate=rate_text(row.rate), day=day(row.start),
                       source=source_text(row.source))
                     for kind, row in newest.items()]
        except RateTableError as exc:  # a stored rate contradicts this release's table
            lines = [t("Error: {problem}", problem=describe_rate_problem(str(exc)))]
        self.query_one("#interest-rates", Static).update("\n".join(lines))
        try:
            rows = eur_rows()
        except RateTableError as exc:
            text = t("Error: {problem}", problem=describe_rate_problem(str(exc)))
        else:
            newest_eur = rows[-1] if rows else None
            text = (t("Known up to {month}: {mid} PLN (table {table} of {day}).",
                      month=newest_eur.month, mid=rate_text(newest_eur.rate.mid),
                      table=newest_eur.rate.table_no, day=day(newest_eur.rate.effective_date))
                    if newest_eur else t("No EUR rate is known."))
        self.query_one("#eur-rates", Static).update(text)

    def action_add_rate(self) -> None:
        self.app.push_screen(InterestRateDialog(self.clock), self.rate_added)

    def rate_added(self, row: InterestRow | None) -> None:
        if row is None:
            return
        self.show_rates()
        self.status(t("Added: {rate} % a year from {day} for {who}.", rate=rate_text(row.rate),
                      day=day(row.start), who=t(KIND_NAMES[row.kind])))
        self._check_rates()

    def action_refresh_eur(self) -> None:
        if self.refreshing_eur:
            return
        self.refreshing_eur = True
        self.query_one("#eur-result", Static).update(t("Asking NBP for the EUR rates…"))
        self.refresh_eur(nbp_base_url())

    @work(thread=True, exclusive=True, group="eur-refresh", exit_on_error=False)
    def refresh_eur(self, url: str) -> None:
        try:
            result = refresh_eur_rates(self.clock, url)
        except (RefreshError, RateInputError, RateTableError) as exc:
            text, ok = t("EUR rates not refreshed, nothing stored: {reason}",
                         reason=describe_rate_problem(str(exc))), False
        except Exception as exc:  # anything else is still an answer to show in place
            text, ok = t("EUR rates not refreshed, nothing stored: {reason}",
                         reason=str(exc) or type(exc).__name__), False
        else:
            if not result.months:
                text = t("Nothing to fetch: the EUR rates up to last month are known.")
            else:
                text = tn("Stored {stored} of {n} month from NBP.",
                          "Stored {stored} of {n} months from NBP.", len(result.months),
                          stored=len(result.stored))
                if result.no_table:
                    text += " " + t("No table A in: {months}.",
                                    months=", ".join(result.no_table))
            ok = True
        self.app.call_from_thread(self.show_eur_result, text, ok)

    def show_eur_result(self, text: str, ok: bool) -> None:
        self.refreshing_eur = False
        self.query_one("#eur-result", Static).update(text)
        self.show_rates()
        self.notify(text, severity="information" if ok else "error")
        self._check_rates()

    def _check_rates(self) -> None:
        """The top line says when the coming demands lack a rate: check again now."""
        check = getattr(self.app, "check_rates", None)
        if check is not None:
            check()

    # -- elsewhere ---------------------------------------------------------------------
    def action_wizard(self) -> None:
        self.windykacja.open_wizard()

    def action_templates(self) -> None:
        from .templates import TemplatesScreen

        self.app.push_screen(TemplatesScreen())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"send-test": self.action_test_mail, "open-templates": self.action_templates,
                   "open-wizard": self.action_wizard, "add-rate": self.action_add_rate,
                   "refresh-eur": self.action_refresh_eur}
        action = actions.get(event.button.id or "")
        if action:
            action()
