"""Exporting what a screen shows to a CSV file: the dialog asking where, and the outcome
told in words (the activity list and the aging report both export)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from ..i18n import t
from ..widgets.bounded import LONG_LENGTH, BoundedInput
from ..widgets.dialog import CANCEL, Dialog

STYLES = Path(__file__).parent.parent / "styles" / "export.tcss"


class ExportDialog(Dialog[str | None]):
    """Where to write the CSV; Enter exports, Esc leaves. ``title`` says what is exported."""

    CSS_PATH = STYLES
    BINDINGS = [CANCEL]
    SAVE_BUTTON = "go"

    def __init__(self, default: str, title: str) -> None:
        super().__init__()
        self.default = default
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            yield Label(self.title_text, classes="section-title")
            yield Label(t("File (a name alone is written in the current directory):"))
            yield BoundedInput(self.default, id="path", compact=True, max_length=LONG_LENGTH)
            yield Static("", id="path-error", classes="problem")
            with Horizontal(id="buttons"):
                yield Button(t("Export"), id="go", variant="primary")
                yield Button(t("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def action_save(self) -> None:
        path = self.query_one("#path", Input).value.strip()
        if not path:
            self.query_one("#path-error", Static).update(
                t("Error: {problem}", problem=t("this field is required")))
            return
        self.dismiss(path)


def export_from_thread(screen: Screen, path: str, write: Callable[[Path], int],
                       done: Callable[[int, Path], str]) -> str | None:
    """Write the file from a thread worker and notify the outcome on the screen's app.

    ``write(target)`` returns the rows written; ``done(count, target)`` words success. A
    failure is shown (the user can pick another path) and nothing was written. Returns
    the words shown on success, None on failure.
    """
    target = Path(path).expanduser().absolute()
    try:
        count = write(target)
    except Exception as exc:  # shown to the user, who can pick another path
        screen.app.call_from_thread(
            screen.notify,
            t("Export failed: {problem}. No file was written.",
              problem=str(exc) or type(exc).__name__),
            severity="error", timeout=12,
        )
        return None
    words = done(count, target)
    screen.app.call_from_thread(screen.notify, words)
    return words
