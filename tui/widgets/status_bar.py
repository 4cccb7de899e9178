"""The top line of every screen: where you are, and what the collection worker is doing
(last pass, next pass, messages needing attention), in words."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static


class StatusBar(Horizontal):
    DEFAULT_CSS = """
    StatusBar { height: 1; dock: top; background: $primary; color: $text; }
    StatusBar > #where { width: auto; text-style: bold; padding: 0 1; }
    StatusBar > #worker { width: 1fr; text-align: right; padding: 0 1; }
    """

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where

    def compose(self) -> ComposeResult:
        yield Static(self.where, id="where")
        yield Static(self.app.status_text, id="worker")  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        self.watch(self.app, "status_text", self._show_status)

    def _show_status(self, text: str) -> None:
        self.query_one("#worker", Static).update(text)
