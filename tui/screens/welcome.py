"""First run on an empty database: connect KSeF (first: the company's invoices are
already there, and arrive by themselves once connected), set up collection, load demo
data, or import the contractors, documents and payments a bookkeeper already has (with a
progress bar, since an accounting export can hold hundreds of thousands of rows).

Imports and the demo run in a thread worker; a file with a bad row imports nothing and
its problems are listed with their line numbers, as on the command line.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label, ProgressBar, Select, Static

from ...demo import build_demo
from ...importers.csv_common import ImportRejected
from ...importers.kinds import IMPORTERS
from ...models import Document, database
from ..i18n import N_, t, tn
from ..widgets.bounded import LONG_LENGTH
from ..widgets.form import Field
from .base import AppScreen

KINDS = ("contractors", "documents", "payments")
# What each kind of file is called on screen (English source text, shown through t()).
KIND_WORDS = {"contractors": N_("contractors"), "documents": N_("documents"),
              "payments": N_("payments")}
SHOWN_PROBLEMS = 12


def NOTHING_IMPORTED() -> str:  # noqa: N802 - reads as the message it is
    return t("Nothing was imported; fix these rows and import the file again:")


class WelcomeScreen(AppScreen):
    TITLE = N_("Welcome")
    CSS_PATH = "../styles/welcome.tcss"
    BINDINGS = [
        Binding("k", "connect_ksef", "Connect KSeF"),
        Binding("w", "wizard", "Set up collection"),
        Binding("d", "demo", "Demo data"),
        Binding("i", "import_file", "Import file"),
    ]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="page"):
            yield Static(t("Welcome to Windykacja"), classes="section-title")
            yield Static(t(
                "The database is empty. Connect KSeF and the company's invoices arrive by "
                "themselves; or import CSV files, or try the program on demo data first. "
                "Collection stays off until you set it up; nothing is sent before that."),
                classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(t("Connect KSeF (k)"), id="ksef", variant="primary")
                yield Button(t("Set up collection (w)"), id="wizard")
                yield Button(t("Demo data (d)"), id="demo")
            yield Static(t("Import a CSV file"), classes="section-title")
            yield Static(t("Import contractors first, then documents, then payments. "
                           "A file with a bad row imports nothing."), classes="hint")
            yield Label(t("What the file holds"))
            yield Select([(t(KIND_WORDS[kind]), kind) for kind in KINDS], value="contractors",
                         allow_blank=False, id="kind", compact=True)
            yield Field(t("File"), "", field_id="path", placeholder="kontrahenci.csv",
                        max_length=LONG_LENGTH)
            yield Button(t("Import (i)"), id="import")
            yield ProgressBar(id="progress", show_eta=False)
            yield Static("", id="result", markup=False)

    def on_mount(self) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#ksef", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        actions = {"ksef": self.action_connect_ksef, "wizard": self.action_wizard,
                   "demo": self.action_demo, "import": self.action_import_file}
        actions[event.button.id or ""]()

    def on_input_submitted(self) -> None:
        self.action_import_file()

    def action_wizard(self) -> None:
        self.windykacja.open_wizard()

    def action_connect_ksef(self) -> None:
        self.windykacja.open_ksef_connect()

    # -- demo --------------------------------------------------------------------------
    def action_demo(self) -> None:
        if Document.select().exists():
            self.notify(t("The database is not empty; demo data goes only into an empty one."))
            return
        self._busy(t("Building the demo data (a few seconds)…"))
        self._build_demo()

    @work(thread=True, exclusive=True, group="welcome", exit_on_error=False)
    def _build_demo(self) -> None:
        try:
            build_demo(self.clock)
            self.app.call_from_thread(self._done, t("Demo data ready."), True)
        except Exception as exc:  # shown in place; the demo is one transaction per day
            self.app.call_from_thread(self._failed, t("The demo data could not be built:"),
                                      [str(exc)])
        finally:
            database.close()

    # -- imports -----------------------------------------------------------------------
    def action_import_file(self) -> None:
        field = self.query_one("#path", Field)
        path = Path(field.value).expanduser()
        if not field.value:
            field.set_error(t("type the path of the file"))
            return
        if not path.is_file():
            field.set_error(t("no such file: {path}", path=str(path)))
            return
        field.set_error("")
        kind = str(self.query_one("#kind", Select).value)
        self._busy(t("Checking {path}…", path=path.name))
        self._import(kind, path)

    @work(thread=True, exclusive=True, group="welcome", exit_on_error=False)
    def _import(self, kind: str, path: Path) -> None:
        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total)
        try:
            summary = IMPORTERS[kind](path, self.clock, self.settings(), progress=progress)
            text = t("{path}: {rows} — {created} created, {updated} updated.",
                     path=path.name, rows=tn("{n} row", "{n} rows", summary.rows),
                     created=summary.created, updated=summary.updated)
            self.app.call_from_thread(self._done, text, kind == "documents")
        except ImportRejected as exc:
            problems = [str(error) for error in exc.errors]
            self.app.call_from_thread(self._failed, NOTHING_IMPORTED(), problems)
        except Exception as exc:
            self.app.call_from_thread(self._failed, NOTHING_IMPORTED(), [str(exc)])
        finally:
            database.close()

    # -- feedback ----------------------------------------------------------------------
    def _busy(self, text: str) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.query_one("#result", Static).update(text)

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#progress", ProgressBar).update(total=total, progress=done)
        self.query_one("#result", Static).update(
            tn("Storing: {done} of {n} row", "Storing: {done} of {n} rows", total, done=done))

    def _done(self, text: str, show_list: bool) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#result", Static).update(text)
        self.notify(text)
        if show_list:
            self.app.switch_mode("unpaid")

    def _failed(self, header: str, problems: list[str]) -> None:
        self.query_one("#progress", ProgressBar).display = False
        lines = [header, *problems[:SHOWN_PROBLEMS]]
        if len(problems) > SHOWN_PROBLEMS:
            lines.append(tn("…and {n} more problem", "…and {n} more problems",
                            len(problems) - SHOWN_PROBLEMS))
        self.query_one("#result", Static).update("\n".join(lines))
