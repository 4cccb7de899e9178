"""The smaller questions of *Recover money*: which contractor (step 2), which documents
to list by their case's status, and the agency's status file to import."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ....importers.csv_common import ImportRejected
from ....recovery.status_import import import_status
from ...i18n import t, tn
from ...widgets.bounded import LONG_LENGTH
from ...widgets.dialog import Dialog
from ...widgets.form import Field, existing_file
from .words import case_filter_choices

CSS = "../../styles/recovery.tcss"


class ChooseContractorDialog(Dialog[int | None]):
    """The marked documents that cannot be handed over, with the reason, and the
    contractors to choose from (one case per contractor)."""

    CSS_PATH = CSS

    def __init__(self, choices: list[tuple[int, str]], refused: list[str]) -> None:
        super().__init__()
        self.choices, self.refused = choices, refused

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("Recover money"), classes="dialog-title")
            if self.refused:
                yield Static(t("Left out (and unmarked), they cannot be handed over:"))
                yield Static(Content("\n".join(f"  – {line}" for line in self.refused)),
                             id="refused", classes="refused")
            if self.choices:
                yield Static(t("Choose the contractor (one case each; the others stay "
                               "marked for the next case):"))
                yield OptionList(*(Option(Content(text), id=str(cid))
                                   for cid, text in self.choices), id="contractors")
            else:
                yield Static(t("Nothing left to hand over."), classes="problem")
            yield Static(t("Enter: continue · Esc: back to the list"), classes="hint")

    def on_mount(self) -> None:
        if self.choices:
            self.query_one(OptionList).focus()
            self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))


class CaseFilterDialog(Dialog[str | None]):
    """Which documents to list by their agency case's status."""

    CSS_PATH = CSS

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("Show documents by the agency case status"),
                         classes="dialog-title")
            yield OptionList(*(Option(words, id=value or "all")
                               for value, words in case_filter_choices()), id="statuses")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for value, _ in case_filter_choices()]
        options.highlighted = values.index(self.current) if self.current in values else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss("" if event.option.id == "all" else event.option.id)


class StatusImportDialog(Dialog[None]):
    """Import the agency's status file (CSV or JSON), as ``recovery import-status`` does:
    all or nothing, every bad row named with its line."""

    CSS_PATH = CSS

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("Import the agency's status file"), classes="dialog-title")
            yield Static(t("CSV (case;status;date;note) or JSON; a file with a bad row "
                           "changes nothing."), classes="hint")
            yield Field(t("File"), "", field_id="status-file", placeholder="statusy.csv",
                        max_length=LONG_LENGTH)
            yield Static("", id="status-result", markup=False)

    def on_mount(self) -> None:
        self.query_one("#status-file", Field).input.focus()

    def action_save(self) -> None:
        path = existing_file(self.query_one("#status-file", Field))
        if path is not None:
            self._import(path)

    @work(exclusive=True, group="status-import", exit_on_error=False)
    async def _import(self, path: Path) -> None:
        app = self.windykacja
        clock = app.ctx.clock
        result = self.query_one("#status-result", Static)
        try:
            summary = await app.reader.run(
                "status-import", lambda: import_status(path, clock))
        except ImportRejected as exc:
            lines = [t("Nothing was imported; fix these rows and import the file again:")]
            result.update("\n".join(lines + [str(error) for error in exc.errors[:12]]))
            return
        result.update(t("{rows}: {changed}, {unchanged} already so. Esc returns to the list.",
                        rows=tn("{n} row", "{n} rows", summary.rows),
                        changed=tn("{n} case changed", "{n} cases changed", summary.changed),
                        unchanged=summary.unchanged))
