"""Unsaved changes are never dropped without asking (issue 12, point 8).

An editor screen (the contractor editor, Settings, the setup wizard, the note, payment and
interest-rate dialogs, the templates editor, the recovery Verify and agreement steps)
mixes in ``UnsavedChanges``: it knows whether its form differs from what it was opened or
last saved with. Everything that would leave it — its own Esc or Cancel, and the app's
Ctrl+Q, number keys, Esc and the palette's "Go to" (``app.py``) — goes through
``ask_to_discard``: with changes, the question "Discard the changes?" with *Keep editing*
as the answer Enter gives; without changes, nothing is asked.

By default a form's state is the value of every input, text area, list and tick box on
the screen, read once the screen has settled after opening; a screen with a narrower idea
of its data (Settings compares the settings only, the templates editor its text)
overrides ``has_changes``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeGuard

from textual.widgets import Input, Select
from textual.widgets._toggle_button import ToggleButton

from ..i18n import t
from .form import ConfirmDialog

if TYPE_CHECKING:
    from textual.widgets import TextArea


def is_text_area(widget: object) -> TypeGuard[TextArea]:
    """Whether ``widget`` is a Textual ``TextArea``, without importing it: it brings ten
    modules (its documents, syntax highlighting) the first screen does not use, and a
    screen that has one has imported it."""
    module = sys.modules.get("textual.widgets._text_area")
    return module is not None and isinstance(widget, module.TextArea)


class DiscardDialog(ConfirmDialog):
    """"Discard the changes?" — Enter and Esc keep editing; only a deliberate choice
    (the Discard button, or y) throws the typing away."""

    def __init__(self) -> None:
        super().__init__(t("Discard the changes?"), yes=t("Discard"), no=t("Keep editing"),
                         default=False)


class UnsavedChanges:
    """Mixed into a screen that edits something; see the module's words."""

    _clean_state: tuple[Any, ...] | None = None

    def on_mount(self) -> None:
        # After the screen's own on_mount (Textual calls the subclass's first) and the
        # values it puts in the fields.
        self.call_after_refresh(self.mark_clean)  # type: ignore[attr-defined]

    def form_state(self) -> tuple[Any, ...]:
        """What the user can change on this screen, in screen order."""
        state: list[Any] = []
        for widget in self.query("*"):  # type: ignore[attr-defined]
            if isinstance(widget, Input | Select | ToggleButton):
                state.append(widget.value)
            elif is_text_area(widget):
                state.append(widget.text)
        return tuple(state)

    def mark_clean(self) -> None:
        """The form as it is now is the saved (or freshly read) state."""
        self._clean_state = self.form_state()

    @property
    def has_changes(self) -> bool:
        return self._clean_state is not None and self.form_state() != self._clean_state

    def discard_changes(self) -> None:
        """The user chose to discard while the screen stays (Settings when another screen
        is chosen): put the stored values back. A screen that closes needs nothing."""

    def leave_or_ask(self, leave: Callable[[], object]) -> None:
        """Run ``leave`` now when nothing changed, else once the user chose to discard."""
        ask_to_discard(self.app, [self], leave)  # type: ignore[attr-defined]


def has_unsaved_changes(screen: object) -> bool:
    return isinstance(screen, UnsavedChanges) and screen.has_changes


def ask_to_discard(app: Any, screens: Iterable[object], then: Callable[[], object]) -> None:
    """``then()`` at once when none of ``screens`` holds changes; else ask, and call it
    only when the user chooses to discard."""
    if not any(has_unsaved_changes(screen) for screen in screens):
        then()
        return
    if isinstance(app.screen, DiscardDialog):
        return  # already asking

    def answered(discard: bool | None) -> None:
        if discard:
            then()

    app.push_screen(DiscardDialog(), answered)
