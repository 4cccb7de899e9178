"""Folding text for search and sorting by name.

SQLite's ``LIKE`` folds case for ASCII only (``łódź`` misses ``Łódź``) and PostgreSQL's
not at all, so the unpaid list searches and sorts a stored key folded in Python: case
folded, accents removed, ``ł`` read as ``l``. A search term is folded the same way, so
"lodz", "ŁÓDŹ" and "Łódź" all find "Łódź".
"""

from __future__ import annotations

import unicodedata

# Letters that carry their mark in the glyph itself, not as a combining accent.
_PLAIN = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i"})


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.translate(_PLAIN)


def like_pattern(term: str) -> str:
    """``%term%`` for ``LIKE … ESCAPE '\\'``, the term folded and its wildcards escaped."""
    escaped = fold(term).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
