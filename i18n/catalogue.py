"""Finding, compiling and loading the gettext catalogues.

The sources are ``locale/LANG/LC_MESSAGES/windykacja.po``; the program reads the compiled
``.mo`` beside each, which the install builds (``setup.py``: ``build_py`` compiles every
catalogue, in place for an editable install). A ``.mo`` that is missing or older than its
``.po`` — a translator has just edited the text in a checkout — is compiled again here, in
memory, with Babel, and written beside the ``.po`` when the folder is writable, so an edit
shows at the next start without reinstalling. The ``.mo`` files are not committed: they are
built from the sources, never the other way round.

English is the source language: its wording is the text in the code, so it needs no
catalogue (gettext's own plural rule for English, ``n == 1``, is the right one).
"""

from __future__ import annotations

import contextlib
import gettext
import io
from functools import cache
from pathlib import Path

DOMAIN = "windykacja"
LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE_LANGUAGE = "en"


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def compile_catalogue(language: str) -> bytes:
    """The ``.mo`` bytes of a language's ``.po`` (fuzzy entries left out, as msgfmt does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(language).open("rb") as source:
        catalogue = read_po(source, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    return compiled.getvalue()


def compile_all(target_dir: Path | None = None) -> list[Path]:
    """Write every language's ``.mo`` (beside its ``.po``, or under ``target_dir``)."""
    written = []
    for po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        language = po.parent.parent.name
        target = mo_path(language)
        if target_dir is not None:
            target = target_dir / target.relative_to(LOCALE_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(compile_catalogue(language))
        written.append(target)
    return written


def _current_mo(language: str) -> bytes:
    po, mo = po_path(language), mo_path(language)
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return mo.read_bytes()
    data = compile_catalogue(language)
    # An installed, read-only package: the in-memory copy serves this process.
    with contextlib.suppress(OSError):
        mo.write_bytes(data)
    return data


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The loaded catalogue of ``language`` (English: the text as written)."""
    if language == SOURCE_LANGUAGE or not po_path(language).exists():
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(_current_mo(language)))


def has_entry(language: str, text: str) -> bool:
    """Whether ``language``'s catalogue has a wording for ``text`` (even one equal to it)."""
    catalogue = translations(language)
    return text in getattr(catalogue, "_catalog", {}) or (
        text,
        0,
    ) in getattr(catalogue, "_catalog", {})
