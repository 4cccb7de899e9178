"""The one translation function of the interface.

Every string on screen goes through ``t()``. The source text is the English wording;
the Polish wording comes from the catalogues in ``tui/translations/`` (one module per
screen, each a ``PL`` dict), merged here. ``{name}`` placeholders are filled after the
lookup, so both languages can order the words their own way. A string missing from a
catalogue shows in English rather than failing: ``missing_polish()`` lists them, and a
test keeps that list empty.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import replace
from typing import Any

from . import translations

LANGUAGES = ("pl", "en")
_language = "en"
_seen: set[str] = set()


def _load_catalogue() -> dict[str, str]:
    catalogue: dict[str, str] = {}
    for module in pkgutil.iter_modules(translations.__path__):
        entries = importlib.import_module(f"{translations.__name__}.{module.name}").PL
        for english, polish in entries.items():
            if catalogue.get(english, polish) != polish:
                raise ValueError(f"two Polish wordings for {english!r}")
            catalogue[english] = polish
    return catalogue


POLISH = _load_catalogue()


def set_language(language: str) -> None:
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    _language = language


def language() -> str:
    return _language


def t(text: str, **params: Any) -> str:
    """``text`` in the interface language, with ``{placeholders}`` filled."""
    _seen.add(text)
    wording = POLISH.get(text, text) if _language == "pl" else text
    return wording.format(**params) if params else wording


def missing_polish() -> list[str]:
    """Strings shown so far in this process that have no Polish wording."""
    return sorted(text for text in _seen if text not in POLISH)


def translate_bindings(node: Any) -> None:
    """Give a Textual node's key bindings their descriptions in the interface language.

    Kept here, beside ``t()``, so that every string still has one way onto the screen;
    the node is only touched through its bindings map.
    """
    bindings = getattr(node, "_bindings", None)
    if bindings is None or getattr(node, "_bindings_translated", False):
        return
    if not type(node).__module__.startswith("windykacja."):
        return  # Textual's own widgets keep their (mostly hidden) key words
    for key, entries in bindings.key_to_bindings.items():
        bindings.key_to_bindings[key] = [
            replace(b, description=t(b.description)) if b.description else b for b in entries
        ]
    node._bindings_translated = True
