"""Add a collection note: free text, stored as an event with the author's name."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ..i18n import t
from ..widgets.bounded import NOTE_LENGTH
from ..widgets.bounded_text_area import BoundedTextArea
from ..widgets.dialog import CANCEL, FormDialog


class NoteDialog(FormDialog[str | None]):
    BINDINGS = [CANCEL, Binding("ctrl+s", "save", "Save note")]
    DEFAULT_CSS = """
    NoteDialog { align: center middle; }
    NoteDialog > Vertical { width: 70; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    NoteDialog TextArea { height: 8; }
    NoteDialog #problem { color: $error; }
    NoteDialog Horizontal { height: auto; }
    NoteDialog Button { margin-right: 2; }
    """

    def __init__(self, about: str) -> None:
        super().__init__()
        self.about = about

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("Note for {document} (Ctrl+S saves)", document=self.about))
            yield BoundedTextArea(id="text", max_length=NOTE_LENGTH)
            yield Static("", id="problem")
            with Horizontal():
                yield Button(t("Save note"), id="save", variant="primary")
                yield Button(t("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one(BoundedTextArea).focus()

    def on_text_area_changed(self) -> None:
        if self.query_one(BoundedTextArea).text.strip():
            self.query_one("#problem", Static).update("")

    def action_save(self) -> None:
        text = self.query_one(BoundedTextArea).text.strip()
        if not text:
            self.query_one("#problem", Static).update(
                t("Error: {problem}", problem=t("the note is empty")))
            return
        self.dismiss(text)
