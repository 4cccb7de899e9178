"""The one pattern of the dialogs: a modal screen over the one in view that leaves with an
answer, or with None.

``Dialog``: Esc leaves with None (``action_cancel``). Enter in a field and the dialog's
own button (the one whose id is ``SAVE_BUTTON``, "save" unless told) do what the dialog
is for (``action_save``: record, add, import, finish); a button named in
``BUTTON_ACTIONS`` runs its action (a second thing the dialog does, e.g. *Fetch now*);
any other button leaves as Esc does. A failure in a handler is shown, never a traceback
(``Guarded``).

``FormDialog``: a dialog that edits something. Ctrl+S saves too, and leaving (Esc, the
Cancel button) asks first when something was typed (``UnsavedChanges``).

A dialog defines only what differs: its fields (``compose``), where the cursor starts
(``on_mount``), what saving does, and its keys when they are not these (the help and
the palette list a screen's ``BINDINGS`` as its class declares them, so a dialog with
keys of its own declares its whole list, in the order they are shown). The message
handlers live here, not in the dialogs: Textual calls the handler of every class in
turn, so a dialog changes the action, never the handler.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Button

from ..guard import Guarded
from .unsaved import UnsavedChanges

if TYPE_CHECKING:
    from ..app import WindykacjaApp

ResultType = TypeVar("ResultType")

# Esc's words: "Back" where leaving goes one step back, "Cancel" where it drops an entry.
BACK = Binding("escape", "cancel", "Back")
CANCEL = Binding("escape", "cancel", "Cancel")


class Dialog(Guarded, ModalScreen[ResultType]):
    """A question over the screen in view; see the module's words."""

    BINDINGS: ClassVar[list[BindingType]] = [BACK]
    SAVE_BUTTON: ClassVar[str] = "save"
    BUTTON_ACTIONS: ClassVar[dict[str, str]] = {}  # button id -> action name

    @property
    def windykacja(self) -> WindykacjaApp:
        return self.app  # type: ignore[return-value]

    def on_button_pressed(self, event: Button.Pressed) -> None:
        action = self.BUTTON_ACTIONS.get(event.button.id or "")
        if action:
            getattr(self, f"action_{action}")()
        elif event.button.id == self.SAVE_BUTTON:
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """What the dialog is for (a dialog answered by a choice from a list has none)."""

    def action_cancel(self) -> None:
        self.dismiss(None)


class FormDialog(UnsavedChanges, Dialog[ResultType]):
    """A dialog that edits something; see the module's words."""

    BINDINGS: ClassVar[list[BindingType]] = [CANCEL, Binding("ctrl+s", "save", "Save")]

    def action_cancel(self) -> None:
        self.leave_or_ask(lambda: self.dismiss(None))
