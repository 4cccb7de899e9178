"""Form fields that show their own error next to them (SPEC §2: "every field is
validated with a message next to the field"), and a yes/no dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, Static

from ..guard import Guarded
from ..i18n import t
from .bounded import SHORT_LENGTH, BoundedInput


class Field(Vertical):
    """A labelled input with a line under it for the error, empty while all is well."""

    DEFAULT_CSS = """
    Field { height: auto; margin-bottom: 0; }
    Field > .field--label { color: $text-muted; }
    Field > .field--error { color: $error; height: auto; }
    Field > .field--error.-empty { display: none; }
    Field > .field--hint { color: $text-muted; height: auto; }
    Field > Input { width: 1fr; }
    """

    def __init__(
        self, label: str, value: str = "", *, hint: str = "", password: bool = False,
        field_id: str | None = None, placeholder: str = "", max_length: int = SHORT_LENGTH,
        check: Callable[[str], str] | None = None, **kwargs: Any,
    ) -> None:
        super().__init__(id=field_id, **kwargs)
        self._label, self._value, self._hint = label, value, hint
        self._password, self._placeholder = password, placeholder
        self._max_length = max_length
        # The field's own check (value -> problem in words, "" when fine), used while an
        # error is shown so that it goes as soon as the value is right.
        self.check = check

    def compose(self) -> ComposeResult:
        yield Label(self._label, classes="field--label")
        yield BoundedInput(self._value, password=self._password,
                           placeholder=self._placeholder, compact=True,
                           max_length=self._max_length)
        if self._hint:
            yield Static(self._hint, classes="field--hint")
        yield Static("", classes="field--error").set_class(True, "-empty")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value.strip()

    @value.setter
    def value(self, text: str) -> None:
        self.input.value = text

    def set_error(self, text: str) -> None:
        """Show the problem in words ("Error: …"), never by colour alone."""
        line = self.query_one(".field--error", Static)
        line.update(t("Error: {problem}", problem=text) if text else "")
        line.set_class(not text, "-empty")

    @property
    def error(self) -> str:
        return str(self.query_one(".field--error", Static).content)

    def on_input_changed(self, event: Input.Changed) -> None:
        """An error shown goes once the value is right: checked again with the field's
        own check, or, without one, cleared as soon as the refused value is changed (it
        named a value that is no longer there; saving checks everything again)."""
        if not self.error:
            return
        self.set_error(self.check(self.value) if self.check else "")


def existing_file(field: Field) -> Path | None:
    """The file a field names (``~`` expanded), or None with "no such file" under it."""
    path = Path(field.value).expanduser()
    if not path.is_file():
        field.set_error(t("no such file: {path}", path=str(path)))
        return None
    field.set_error("")
    return path


class MarkedCheckbox(Checkbox):
    """A checkbox whose X is drawn only while it is ticked: Textual's draws the X in
    both states and tells them apart by colour alone, which a monochrome terminal
    (and the rule "status in words or marks, never colour alone") does not allow."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button


class MarkedRadioButton(RadioButton):
    """A radio button whose dot is drawn only while it is chosen (see MarkedCheckbox)."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "\u25cf" if self.value else " "
        return super()._button


class SwitchField(Vertical):
    """A yes/no setting: a checkbox whose label says what it switches."""

    DEFAULT_CSS = """
    SwitchField { height: auto; }
    SwitchField > .field--hint { color: $text-muted; height: auto; }
    """

    def __init__(self, label: str, value: bool, *, hint: str = "",
                 field_id: str | None = None) -> None:
        super().__init__(id=field_id)
        self._label, self._value, self._hint = label, value, hint

    def compose(self) -> ComposeResult:
        yield MarkedCheckbox(self._label, self._value, compact=True)
        if self._hint:
            yield Static(self._hint, classes="field--hint")

    @property
    def value(self) -> bool:
        return self.query_one(Checkbox).value

    @value.setter
    def value(self, on: bool) -> None:
        self.query_one(Checkbox).value = on


class ConfirmDialog(Guarded, ModalScreen[bool]):
    """A question with Yes / No; Enter answers the default (yes unless told), Esc no."""

    BINDINGS = [
        Binding("escape", "answer(False)", "No"),
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n", "answer(False)", "No", show=False),
    ]
    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical { width: 70; max-width: 95%; height: auto;
        border: thick $primary; background: $surface; padding: 1 2; }
    ConfirmDialog Horizontal { height: auto; margin-top: 1; }
    ConfirmDialog Button { margin-right: 2; }
    """

    def __init__(self, question: str, yes: str | None = None, no: str | None = None,
                 *, default: bool = True) -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes or t("Yes"), no or t("No")
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question)
            with Horizontal():
                yield Button(self.yes, id="yes", variant="primary")
                yield Button(self.no, id="no")

    def on_mount(self) -> None:
        self.query_one("#yes" if self.default else "#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
