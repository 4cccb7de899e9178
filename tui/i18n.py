"""The interface's way to the catalogues: ``t()``/``tn()`` of ``windykacja.i18n``.

Kept as the interface's own module so that screens import their words from one place, and
because one Textual-specific job lives here: key bindings carry their description as
data, so ``translate_bindings`` translates them when a screen is mounted (extraction finds
them through the ``Binding`` keyword in ``babel.cfg``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..i18n import LANGUAGES, N_, language, missing, set_language, t, tn

__all__ = ["LANGUAGES", "N_", "language", "missing", "set_language", "t", "tn",
           "translate_bindings"]


def translate_bindings(node: Any) -> None:
    """Give a Textual node's key bindings their descriptions in the interface language.

    Kept here, beside ``t()``, so that every string still has one way onto the screen;
    the node is only touched through its bindings map.
    """
    bindings = getattr(node, "_bindings", None)
    if bindings is None or getattr(node, "_bindings_translated", False):
        return
    ours = _own_descriptions(type(node))
    if not ours:
        return  # Textual's own widgets keep their (mostly hidden) key words
    for key, entries in bindings.key_to_bindings.items():
        bindings.key_to_bindings[key] = [
            replace(b, description=t(b.description)) if b.description in ours else b
            for b in entries
        ]
    node._bindings_translated = True


def _own_descriptions(cls: type) -> set[str]:
    """The key descriptions our own classes declare. A subclass of a Textual widget (a
    bounded input) inherits Textual's hidden editing keys ("Cursor down select"): those
    are not ours to word, and are left as Textual has them."""
    return {
        binding[2] if isinstance(binding, tuple) and len(binding) > 2
        else getattr(binding, "description", "")
        for klass in cls.__mro__ if klass.__module__.startswith("windykacja.")
        for binding in vars(klass).get("BINDINGS", [])
    } - {""}
