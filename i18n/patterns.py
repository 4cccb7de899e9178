"""Rewording a message of a lower room (or a library) that arrives in English.

A parser, a rate table or a gateway words its refusal in English where it is raised,
because it does not know who reads it; the room that shows it to a person matches the text
against a table of ``(pattern, N_("wording with {placeholders}"))`` and shows the wording
from the catalogue, the parts the pattern captured filled in. The tables live beside the
screens' and commands' words (``ledger/settings_problems.py``, ``rate_problems.py``,
``recovery/gateway_problems.py``, ``cli/copy_db.py``); this is the one loop they share.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from . import t


def reword(text: str, table: Iterable[tuple[str, str]], *,
           say: Callable[..., str] = t,
           value: Callable[[str, str], str] = lambda name, captured: captured) -> str | None:
    """The wording of the first pattern in ``table`` that matches all of ``text``, through
    ``say`` (the interface's ``t`` unless given), each captured part passed through
    ``value(name, part)`` first; None when no pattern matches."""
    for pattern, wording in table:
        match = re.fullmatch(pattern, text)
        if match:
            return say(wording, **{name: value(name, captured or "")
                                   for name, captured in match.groupdict().items()})
    return None
