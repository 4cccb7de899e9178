"""``?``: the keys of the screen in view and of the whole app, and how to get around."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown

from ..guard import Guarded
from ..i18n import t
from ..navigation import PLACES

KEY_NAMES = {"question_mark": "?", "escape": "Esc", "space": "Space", "enter": "Enter",
             "delete": "Del", "pageup": "PgUp", "pagedown": "PgDn", "home": "Home",
             "end": "End", "up": "↑", "down": "↓"}


def key_name(key: str) -> str:
    """A key as it is printed on the keyboard: "/" for Textual's ``slash``, "Ctrl+S"."""
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    if "+" in key.rstrip("+"):
        return key.replace("ctrl+", "Ctrl+").replace("shift+", "Shift+")
    return format_key(key)


class HelpScreen(Guarded, ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; max-width: 100; height: 90%;
        border: thick $primary; background: $surface; padding: 0 1; }
    """

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(self.text())

    def text(self) -> str:
        lines = ["# " + t("Help"), "", t("Keys of this screen:"), ""]
        for binding in getattr(self.below, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.description:
                lines.append(f"- **{key_name(binding.key.split(',')[0])}** — "
                             f"{t(binding.description)}")
        lines += ["", t("Everywhere:"), ""]
        for place in PLACES:
            lines.append(f"- **{place.key}** — {t(place.title)}")
        lines += [
            # t() outside the f-strings: extraction does not look inside them.
            "- **Ctrl+P** — " + t("command palette: every screen and action by name"),
            "- **Ctrl+R** — " + t("reload what the screen shows from the database"),
            "- **Esc** — " + t("back"),
            "- **Ctrl+Q** — " + t("Quit"),
            "",
            t("Statuses are written in words. Marked rows carry a * in the first column."),
        ]
        return "\n".join(lines)
