"""A document's claim under Polish law in words, for the document screen (``law/claim.py``
decides; ``lists/claim_words.py`` says it, the same for the ``history`` command, in the
interface's language)."""

from __future__ import annotations

from ..lists.claim_words import KIND_NAMES, MAX_PERIOD_LINES, claim_lines

__all__ = ["KIND_NAMES", "MAX_PERIOD_LINES", "claim_lines"]
