"""*Connect KSeF* (issue 14): the KSeF settings as a form, saved, and *Fetch now*.

Opened from the welcome screen (its first way in, ahead of CSV files) and the palette.
Saving stores ``ksef.environment``, ``ksef.nip``, ``ksef.token_file`` and ``ksef.since``
(``ledger.settings.save_settings``) and says where the token must be; *Fetch now* saves
what was changed, then runs one sync (``importers.ksef_sync.sync_ksef``) in a thread
worker, as the welcome screen's imports run, and says what it did in words. The dialog
stays open to be read; Esc closes it (and waits while a fetch runs: a thread cannot be
stopped half-way, and a fetch ends by itself within a minute of waits).
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from ...importers.ksef_sync import HOOK_MAX_WAIT_SECONDS, result_lines, sync_ksef
from ...ledger.actions import current_author
from ...ledger.clock import utc_now_naive
from ...ledger.ksef_access import read_ksef_token
from ...ledger.settings import (
    CollectionSettings,
    SettingsValidationError,
    load_settings,
    save_settings,
)
from ...models import database
from ..i18n import t
from ..widgets.dialog import CANCEL, FormDialog
from ..widgets.ksef_form import KsefFields


class KsefConnectDialog(FormDialog[bool | None]):
    """Answers True when something was saved (the screen below reads again), else None."""

    DEFAULT_CSS = """
    KsefConnectDialog { align: center middle; }
    KsefConnectDialog > .dialog { width: 80; max-width: 100%; height: auto;
        max-height: 100%; border: thick $primary; background: $surface; padding: 0 1; }
    KsefConnectDialog .dialog-title { text-style: bold; }
    KsefConnectDialog #ksef-result { height: auto; }
    KsefConnectDialog .buttons { height: auto; }
    KsefConnectDialog .buttons Button { margin-right: 2; }
    """
    BINDINGS = [CANCEL, Binding("ctrl+s", "save", "Save"),
                Binding("ctrl+f", "fetch", "Fetch now")]
    BUTTON_ACTIONS = {"fetch": "fetch"}

    def __init__(self) -> None:
        super().__init__()
        self.saved = False
        self.fetching = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="ksef-dialog"):
            yield Static(t("Connect KSeF"), classes="dialog-title")
            yield KsefFields(load_settings(), self.windykacja.ctx.clock.today())
            yield Static("", id="ksef-result", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("Save (Ctrl+S)"), id="save", variant="primary", compact=True)
                yield Button(t("Fetch now (Ctrl+F)"), id="fetch", compact=True)
                yield Button(t("Close"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.fields.focus_first()

    @property
    def fields(self) -> KsefFields:
        return self.query_one(KsefFields)

    def say(self, text: str, *, scroll: bool = True) -> None:
        """What happened, under the fields, scrolled into view unless a field with an
        error is (the form is taller than an 80×24 terminal once one is shown)."""
        self.query_one("#ksef-result", Static).update(text)
        if scroll:
            self.call_after_refresh(self.query_one(".buttons").scroll_visible,
                                    animate=False)

    # -- saving --------------------------------------------------------------------------
    def store(self) -> CollectionSettings | None:
        """Check every field, then save them all; None (each problem under its field,
        nothing saved, nothing typed lost) when a field is wrong."""
        fields = self.fields
        problems = fields.problems()
        fields.show_problems(problems)
        if problems:
            self.say(t("Nothing was saved; correct the fields marked with an error."),
                     scroll=False)
            return None
        clock = self.windykacja.ctx.clock
        try:
            settings = save_settings(fields.values(), current_author(), utc_now_naive(clock))
        except SettingsValidationError as exc:  # what the form's own checks let through
            fields.show_settings_errors(exc.problems)
            self.say(t("Nothing was saved; correct the fields marked with an error."),
                     scroll=False)
            return None
        self.saved = True
        fields.settings = settings
        self.mark_clean()
        return settings

    def action_save(self) -> None:
        if self.fetching:
            return
        settings = self.store()
        if settings is not None:
            self.say(self.saved_words(settings))

    def saved_words(self, settings: CollectionSettings) -> str:
        """What saving did, and whether the token can be read from here."""
        words = t("Saved. From now on new invoices come from KSeF by themselves, every 15 "
                  "minutes; Fetch now (Ctrl+F) fetches them at once.")
        try:
            token = read_ksef_token(settings.ksef_token_file)
        except ValueError as exc:
            return words + "\n" + t("The token cannot be read here: {reason}. It must be "
                                    "readable where the program fetches the invoices.",
                                    reason=exc)
        return words + "\n" + t("The token is read from {source}.", source=token.source)

    # -- fetching ------------------------------------------------------------------------
    def action_fetch(self) -> None:
        if self.fetching:
            return
        settings = self.store() if self.has_changes or not self.saved else load_settings()
        if settings is None:
            return
        self.fetching = True
        for button in self.query(Button):
            button.disabled = True
        self.say(t("Fetching the invoices from KSeF… (up to a minute or two)"))
        self.fetch(settings)

    @work(thread=True, exclusive=True, group="ksef-fetch", exit_on_error=False)
    def fetch(self, settings: CollectionSettings) -> None:
        try:
            result = sync_ksef(self.windykacja.ctx.clock, settings,
                               max_wait_seconds=HOOK_MAX_WAIT_SECONDS)
            lines = result_lines(result)
        except Exception as exc:  # the sync says its failures itself; this is a bug
            lines = [t("The fetch failed: {problem}", problem=str(exc) or type(exc).__name__)]
        finally:
            database.close()  # this thread's own connection
        self.app.call_from_thread(self.fetched, lines)

    def fetched(self, lines: list[str]) -> None:
        self.fetching = False
        for button in self.query(Button):
            button.disabled = False
        self.say("\n".join(lines))
        self.windykacja.update_status()

    # -- leaving -------------------------------------------------------------------------
    def action_cancel(self) -> None:
        if self.fetching:
            self.notify(t("The fetch is still running; it ends by itself shortly."))
            return
        self.leave_or_ask(lambda: self.dismiss(True if self.saved else None))
