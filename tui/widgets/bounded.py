"""Inputs with a bound on their length (issue 12: a 100,000-character paste into search
froze the interface for minutes and grew it past 1 GB).

Textual's ``Input(max_length=…)`` refuses a paste that would overflow as a whole (a bell,
nothing typed); a person who pastes a long text expects it cut at the bound, as a
browser does, so these cut what is inserted to the room left and say so once. Textual's
``TextArea`` has no bound at all in 8.2.8; ``BoundedTextArea`` cuts every insertion by
keys or paste the same way (text loaded by the program is the program's own); it lives
in ``bounded_text_area.py``, as Textual's TextArea is ten modules (its documents, syntax
highlighting) that the screens with inputs only, the first among them, need not load.

The bounds, per kind of field: a search 100 characters, a name or a short value 200,
an address or a file path 500, a note 2,000, a template 20,000.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

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


def __getattr__(name: str) -> Any:
    """``BoundedTextArea`` is still importable from here, loaded when asked for."""
    if name == "BoundedTextArea":
        from .bounded_text_area import BoundedTextArea

        return BoundedTextArea
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
