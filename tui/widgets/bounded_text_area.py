"""A text area with a bound on its length (issue 12; ``bounded.py`` says why and the
bounds). Its own module: Textual's TextArea is ten modules the first screen need not load.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import TextArea
from textual.widgets.text_area import EditResult, Location

from .bounded import NOTE_LENGTH, cut_text


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
