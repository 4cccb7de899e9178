"""The command palette (Ctrl+P) reaches every screen and every action by its name.

Textual's palette matches what is typed against a command's title only, letters in
order, so a title names the thing the way a person searches for it: "Payment: record a
payment" is found by "payment" and "pay", and in Polish "Wpłata: zarejestruj wpłatę" by
"wpłata" (the noun first, because "wpłatę" alone would not match "wpłata").

Three kinds of commands: going to each place; the named actions of the program, which
run where they belong (an action of another place first goes there, and a question about
unsaved changes comes first, as for a number key); and the keys of the screen in view,
under their key descriptions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from .i18n import N_, t
from .navigation import PLACES

if TYPE_CHECKING:
    from .app import WindykacjaApp


@dataclass(frozen=True)
class NamedAction:
    title: str  # English source text, shown through t()
    help: str
    mode: str  # the place the action belongs to ("" for anywhere)
    action: str  # the action of that place's screen (or of the app)


NAMED_ACTIONS = (
    NamedAction(N_("Payment: record a payment"),
                N_("For the document in view, or the marked or highlighted ones on the "
                   "unpaid list (key p)"), "unpaid", "pay"),
    NamedAction(N_("Note: add a note to a document"),
                N_("For the document in view, or the one highlighted on the unpaid list "
                   "(key n on a document)"), "unpaid", "note"),
    NamedAction(N_("Templates: edit the message templates"),
                N_("Reminders, demands and reports, in Polish and English, with a preview "
                   "(Settings, Ctrl+O)"), "settings", "templates"),
    NamedAction(N_("KSeF: connect KSeF and fetch the invoices"),
                N_("The environment, the NIP, where the token is, and Fetch now (welcome "
                   "screen, key k)"), "", "connect_ksef"),
    NamedAction(N_("Setup wizard: set up collection step by step"),
                N_("Reminders, demands, days and the sender (Settings, Ctrl+G)"), "", "wizard"),
    NamedAction(N_("Export: the activity to a CSV file"),
                N_("The events as the filters show them (Activity, key x)"), "activity",
                "export"),
    NamedAction(N_("Export: the aging report to a CSV file"),
                N_("The overdue amounts by age (Aging report, key x)"), "aging", "export"),
    NamedAction(N_("Interest rate: add a statutory interest rate"),
                N_("From a new Monitor Polski notice or RPP decision (Settings, Ctrl+N)"),
                "settings", "add_rate"),
    NamedAction(N_("EUR rates: refresh them from NBP"),
                N_("For the compensation for recovery costs (Settings, Ctrl+E)"), "settings",
                "refresh_eur"),
    NamedAction(N_("Bank statement: import a statement file"),
                N_("MT940 from the bank (Bank statements, key i)"), "statements",
                "import_statement"),
    NamedAction(N_("Recovery: hand debts over to a collection agency"),
                N_("The marked or highlighted documents (Unpaid documents, key R)"), "unpaid",
                "recover"),
    NamedAction(N_("Case statuses: import the agency's status file"),
                N_("Unpaid documents, key I"), "unpaid", "import_statuses"),
    NamedAction(N_("Test e-mail: send one through the SMTP settings"),
                N_("Settings, Ctrl+T"), "settings", "test_mail"),
    NamedAction(N_("Help: the keys of this screen"), N_("Key ?"), "", "help"),
)


def palette_commands(app: WindykacjaApp, screen: Screen) -> Iterable[SystemCommand]:
    for place in PLACES:
        yield SystemCommand(
            t("Go to: {screen}", screen=t(place.title)),
            t("Open the {screen} screen (key {key})", screen=t(place.title), key=place.key),
            lambda mode=place.mode: app.action_go(mode),
        )
    for named in NAMED_ACTIONS:
        yield SystemCommand(t(named.title), t(named.help), _runner(app, screen, named))
    for binding in getattr(screen, "BINDINGS", []):
        if isinstance(binding, Binding) and binding.description:
            yield SystemCommand(
                t(binding.description), t("Key {key}", key=binding.key_display or binding.key),
                lambda action=binding.action: screen.run_action(action),
            )


def _runner(app: WindykacjaApp, screen: Screen, named: NamedAction) -> Callable[[], object]:
    def run() -> object:
        if named.action == "wizard":
            app.open_wizard()
            return None
        if named.action == "connect_ksef":
            app.open_ksef_connect()
            return None
        if named.action == "help":
            app.action_help()
            return None
        if hasattr(screen, f"action_{named.action}"):
            return screen.run_action(named.action)  # the screen in view has it
        if named.action == "note" and hasattr(screen, "open_current_document"):
            # The unpaid list: the highlighted document opens, and its note dialog.
            return screen.open_current_document(then="note")
        app.go_and_run(named.mode, named.action)
        return None
    return run
