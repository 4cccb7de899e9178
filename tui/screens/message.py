"""A message exactly as it was sent (or will be): headers and the text body, read from
the stored RFC 5322 text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...ledger.names import MESSAGE_STATE_NAMES, name_of
from ...lists.message_view import MessageView, error_text, recipient_line
from ..guard import Guarded
from ..i18n import N_, t

# The headers ``message_view.SHOWN_HEADERS`` lists, by name; another is shown as it is.
HEADER_NAMES = {"From": N_("From"), "To": N_("To"), "Date": N_("Date"),
                "Subject": N_("Subject"), "Message-ID": N_("Message-ID")}


class MessageScreen(Guarded, ModalScreen[None]):
    BINDINGS = [Binding("escape,q", "dismiss", "Close")]
    DEFAULT_CSS = """
    MessageScreen { align: center middle; }
    MessageScreen > VerticalScroll { width: 95%; max-width: 110; height: 95%;
        border: thick $primary; background: $surface; padding: 0 1; }
    MessageScreen #headers { margin-bottom: 1; }
    """

    def __init__(self, view: MessageView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        view = self.view
        lines = [t("Message #{id} · state: {state}", id=view.id,
                   state=name_of(MESSAGE_STATE_NAMES, view.state))]
        lines += [f"{t(HEADER_NAMES[name]) if name in HEADER_NAMES else name}: {value}"
                  for name, value in view.headers]
        if view.last_error:
            lines.append(t("Last error: {problem}", problem=error_text(view.last_error)))
        if view.recipients:  # each address's outcome: who accepted, who refused and why
            lines.append(t("Recipients:"))
            lines += [f"  {recipient_line(r)}" for r in view.recipients]
        with VerticalScroll():
            yield Static("\n".join(lines), id="headers", markup=False)
            yield Static(view.text or t("(not rendered yet: the text is made when it is sent)"),
                         id="body", markup=False)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
