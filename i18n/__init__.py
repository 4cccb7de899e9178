"""Words for people, in Polish and English: gettext catalogues managed with Babel.

The source text of every string is its English wording, written where it is used:
``t("{count} of {total} documents switched on.", count=…, total=…)``. The Polish wording
lives in ``i18n/locale/pl/LC_MESSAGES/windykacja.po`` — a file any translator's tool opens —
and reaches the program compiled (``.mo``, built by the install; see ``catalogue.py``).
``{name}`` placeholders are filled after the lookup, so each language orders its words its
own way.

Two kinds of reader, two ways in:

- the person at the keyboard (the interface, a command's output): ``t()`` and ``tn()`` in
  the language chosen once at start (``set_language``, from ``--lang`` or ``LANG``);
- a reader with a language of their own (a contractor's letter, the report to the user):
  ``words(language)`` gives the same two functions bound to that language, whatever the
  interface speaks.

Plurals go through ``tn()`` (gettext's ``ngettext``): Polish has three forms — 1 dokument,
2 dokumenty, 5 dokumentów — and English two; the count is also a placeholder, ``{n}``.
Strings defined away from where they are shown (a table of event names) are marked with
``N_()`` so that extraction finds them, and translated with ``t()`` when shown.

A string that has no Polish wording shows in English rather than failing; ``missing()``
lists the ones asked for so far in this process, and the tests keep it empty. This room
imports nothing else of ours, so every other room may use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalogue import DOMAIN, LOCALE_DIR, translations

LANGUAGES = ("pl", "en")
_language = "en"
_missing: set[str] = set()


def set_language(language: str) -> None:
    """The language of the person at the keyboard, for the rest of the process."""
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    _language = language


def language() -> str:
    return _language


def N_(text: str) -> str:  # noqa: N802 - the name gettext's tools look for
    """Marks ``text`` for extraction without translating it (it is translated when shown)."""
    return text


@dataclass(frozen=True)
class Words:
    """``t`` and ``tn`` bound to one language."""

    language: str

    def t(self, text: str, **params: Any) -> str:
        """``text`` in this language, with ``{placeholders}`` filled."""
        wording = _lookup(self.language, text)
        return wording.format(**params) if params else wording

    def tn(self, singular: str, plural: str, n: int, **params: Any) -> str:
        """The form for ``n`` (``{n}`` is filled with it) in this language."""
        catalogue = translations(self.language)
        wording = catalogue.ngettext(singular, plural, n)
        if self.language != "en" and wording in (singular, plural):
            _missing.add(singular)
        return wording.format(n=n, **params)


def _lookup(language_code: str, text: str) -> str:
    wording = translations(language_code).gettext(text)
    if language_code != "en" and wording == text and text.strip():
        _missing.add(text)
    return wording


def words(language_code: str) -> Words:
    """The wording functions for a reader of ``language_code`` (``pl`` or ``en``)."""
    if language_code not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    return Words(language_code)


def t(text: str, **params: Any) -> str:
    """``text`` in the interface language, with ``{placeholders}`` filled."""
    return words(_language).t(text, **params)


def tn(singular: str, plural: str, n: int, **params: Any) -> str:
    """The plural form for ``n`` in the interface language; ``{n}`` is filled with it."""
    return words(_language).tn(singular, plural, n, **params)


def missing() -> list[str]:
    """Strings asked for in Polish so far in this process that have no Polish wording.

    A Polish wording equal to the English one (``Windykacja``, ``NIP``) is not missing:
    the catalogue says so with a non-empty entry, which ``catalogue.translated`` knows.
    """
    from .catalogue import has_entry

    return sorted(text for text in _missing if not has_entry("pl", text))


__all__ = [
    "DOMAIN", "LANGUAGES", "LOCALE_DIR", "N_", "Words", "language", "missing", "set_language",
    "t", "tn", "words",
]
