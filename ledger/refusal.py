"""A refusal that names the field it concerns, so that a form shows it under that field."""

from __future__ import annotations


class FieldRefused(ValueError):
    """Something a person asked for that cannot be done as given; nothing was stored.
    The text names the field in the interface's language ("amount: must be more than
    zero"); ``field`` is its code ("" for none), so a form puts ``problem`` under it."""

    def __init__(self, text: str, field: str = "") -> None:
        super().__init__(text)
        self.field = field

    @property
    def problem(self) -> str:
        """The text without its field's name in front (a form shows it under the field)."""
        text = str(self)
        return text.split(": ", 1)[1] if self.field and ": " in text else text
