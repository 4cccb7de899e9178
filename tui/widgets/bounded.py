"""Inputs with a bound on their length (issue 12: a 100,000-character paste into search
froze the interface for minutes and grew it past 1 GB).

Textual's ``Input(max_length=…)`` refuses a paste that would overflow as a whole (a bell,
nothing typed); a person who pastes a long text expects it cut at the bound, as a
browser does, so these cut what is inserted to the room left and say so once. Textual's
``TextArea`` has no bound at all in 8.2.8; ``BoundedTextArea`` cuts every insertion by
keys or paste the same way (text loaded by the program is the program's own).

The bounds, per kind of field: a search 100 characters, a name or a short value 200,
an address or a file path 500, a note 2,000, a template 20,000.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, TextArea
from textual.widgets.text_area import EditResult, Location

from ..i18n import tn

SEARCH_LENGTH = 100
SHORT_LENGTH = 200
LONG_LENGTH = 500
NOTE_LENGTH = 2_000
TEMPLATE_LENGTH = 20_000


def cut_text(bound: int) -> str:
    return tn("Cut to {n} character: the field holds no more.",
              "Cut to {n} characters: the field holds no more.", bound)


class BoundedInput(Input):
    """An input of at most ``max_length`` characters (200 unless told); a longer paste
    is cut at the bound."""

    def __init__(self, value: str | None = None, *args: Any,
                 max_length: int = SHORT_LENGTH, **kwargs: Any) -> None:
        super().__init__(value, *args, max_length=max_length, **kwargs)

    def replace(self, text: str, start: int, end: int) -> None:
        start, end = sorted((max(0, start), min(len(self.value), end)))
        limit = self.max_length
        room = max(limit - (len(self.value) - (end - start)), 0) if limit else None
        if limit and room is not None and len(text) > room:
            text = text[:room]
            self.notify(cut_text(limit), severity="warning")
        super().replace(text, start, end)


class BoundedTextArea(TextArea):
    """A text area of at most ``max_length`` characters; what is typed or pasted beyond
    the bound is cut."""

    def __init__(self, text: str = "", *args: Any, max_length: int = NOTE_LENGTH,
                 **kwargs: Any) -> None:
        super().__init__(text, *args, **kwargs)
        self.max_length = max_length

    def _replace_via_keyboard(self, insert: str, start: Location,
                              end: Location) -> EditResult | None:
        replaced = len(self.get_text_range(*sorted((start, end))))
        room = self.max_length - (len(self.text) - replaced)
        if len(insert) > max(room, 0):
            insert = insert[:max(room, 0)]
            self.notify(cut_text(self.max_length), severity="warning")
            if not insert and start == end:
                return None
        return super()._replace_via_keyboard(insert, start, end)
