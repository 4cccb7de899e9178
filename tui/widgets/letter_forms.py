"""The dialogs of the print queue (issue 16): confirming that printed letters were
posted (the day and each letter's registered number), and recording a return receipt
or a returned envelope.

They are answer dialogs (``answer_forms.AnswerDialog``): the form reads what only it
can (a date, a number's form), then ``record`` stores it through ``dunning/paper.py``;
a refusal (``PaperRefused``, turned into the dialogs' ``AnswerRefused``) is shown under
its field and the dialog stays open with what was typed — nothing was stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Label, Select, Static

from ...ledger.answers import AnswerRefused
from ...ledger.event_words import RETURN_REASON_NAMES
from ...ledger.names import day_text
from ...lists.letter_queue import PostingLetter, number_problem, same_number
from ...models import ReturnReason
from ..i18n import t
from .answer_forms import AnswerDialog, _problem_line, _read_day
from .dialog import CANCEL
from .form import Field


def number_field_id(letter_id: int) -> str:
    return f"number-{letter_id}"


@dataclass(frozen=True)
class PostingInput:
    day: dt.date
    numbers: tuple[tuple[int, str], ...]  # letter id, the registered number as typed


class PostingDialog(AnswerDialog):
    """The posting day (today unless changed) and, for each letter, its registered
    number: required for a registered letter, blank allowed for an ordinary one.

    Enter in a field goes on to the next letter's number (a barcode reader ends each
    label it reads with Enter), saying at once what is wrong with the one just typed;
    Enter in the last field, the button or Ctrl+S confirms them all."""

    BINDINGS = [CANCEL, Binding("ctrl+s", "confirm", "Confirm posting")]
    REFUSAL_FIELDS = (("day", "day"),)

    def __init__(self, title: str, letters: Sequence[PostingLetter], today: dt.date,
                 record: Callable[[PostingInput], Any]) -> None:
        super().__init__(record)
        self.title_text, self.letters, self.today = title, list(letters), today

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.title_text, classes="answer--title", markup=False)
            yield Static(t("Their steps count from the posting day. Under each letter, type "
                           "its registered number from the post office's label or the "
                           "stamped dispatch book."),
                         classes="hint", markup=False)
            yield Field(t("Posting day"), day_text(self.today), field_id="day",
                        placeholder=t("DD.MM.YYYY"))
            for letter in self.letters:
                yield Field(f"#{letter.id} {letter.recipient[:60]}", "",
                            field_id=number_field_id(letter.id),
                            placeholder=(t("registered number: 20 digits or RR123456785PL")
                                         if letter.registered
                                         else t("an ordinary letter: no number needed")),
                            check=partial(number_problem, letter))
            yield from self.buttons(t("Confirm posting"))

    def on_mount(self) -> None:
        field = self.query_one(f"#{number_field_id(self.letters[0].id)}", Field)
        field.input.focus()

    def action_save(self) -> None:
        fields = [self.query_one("#day", Field)] + [
            self.query_one(f"#{number_field_id(letter.id)}", Field) for letter in self.letters]
        for i, field in enumerate(fields[:-1]):
            if self.focused is field.input:
                if i:
                    field.set_error(number_problem(self.letters[i - 1], field.value))
                fields[i + 1].input.focus()
                return
        self.action_confirm()

    def action_confirm(self) -> None:
        day = _read_day(self.query_one("#day", Field))
        numbers: list[tuple[int, str]] = []
        wrong = False
        for letter in self.letters:
            field = self.query_one(f"#{number_field_id(letter.id)}", Field)
            problem = number_problem(letter, field.value)
            twin = next((other for other, typed in numbers
                         if same_number(typed, field.value)), None)
            if not problem and twin is not None:
                problem = t("the same number as letter #{id}", id=twin)
            field.set_error(problem)
            wrong = wrong or bool(problem)
            numbers.append((letter.id, field.value))
        if day is None or wrong:
            self.focus_first_error()
            return
        self.submit(PostingInput(day, tuple(numbers)))

    def show_refusal(self, refusal: AnswerRefused) -> None:
        """A number refused by the database (already used by another letter) goes under
        the field it was typed in; the rest as every answer dialog shows them."""
        if refusal.field == "number":
            for letter in self.letters:
                field = self.query_one(f"#{number_field_id(letter.id)}", Field)
                compact = "".join(field.value.split()).upper()
                if compact and compact in str(refusal):
                    field.set_error(refusal.problem)
                    field.input.focus()
                    return
        super().show_refusal(refusal)


@dataclass(frozen=True)
class OutcomeInput:
    day: dt.date
    returned: str | None  # a ReturnReason, or None: delivered


class OutcomeDialog(AnswerDialog):
    """The day the return receipt says the letter was delivered, or the day it came
    back and why (``returned``)."""

    BINDINGS = [CANCEL, Binding("ctrl+s", "save", "Save")]
    REFUSAL_FIELDS = (("day", "day"), ("reason", "reason-problem"))

    def __init__(self, title: str, returned: bool, today: dt.date,
                 record: Callable[[OutcomeInput], Any]) -> None:
        super().__init__(record)
        self.title_text, self.returned, self.today = title, returned, today

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.title_text, classes="answer--title", markup=False)
            label = t("Returned on (date)") if self.returned else t("Delivered on (date)")
            yield Field(label, day_text(self.today), field_id="day",
                        placeholder=t("DD.MM.YYYY"))
            if self.returned:
                yield Label(t("Why it came back"))
                yield Select([(t(RETURN_REASON_NAMES[r]), r) for r in ReturnReason.ALL],
                             value=ReturnReason.UNCLAIMED, allow_blank=False, id="reason",
                             compact=True)
                yield _problem_line("reason-problem")
            yield from self.buttons(t("Record return") if self.returned
                                    else t("Record delivery"))

    def on_mount(self) -> None:
        self.query_one("#day", Field).input.focus()

    def action_save(self) -> None:
        day = _read_day(self.query_one("#day", Field))
        if day is None:
            self.focus_first_error()
            return
        reason = None
        if self.returned:
            value = self.query_one("#reason", Select).value
            reason = value if isinstance(value, str) else ReturnReason.UNCLAIMED
        self.submit(OutcomeInput(day, reason))


__all__ = ["OutcomeDialog", "OutcomeInput", "PostingDialog", "PostingInput",
           "number_field_id"]
