"""How an agency's code becomes the name people read, in a module of its own:
``recovery.hooks`` registers here at every start without importing the events' words
(``event_words``, which reads this list, with the answers' and letters' words it brings),
which the interface's first screen does not need."""

from __future__ import annotations

from collections.abc import Callable

#: How an agency's code (``example_agency``) becomes the name people read: recovery, which
#: knows its agencies, puts its reader here at start-up (``recovery.hooks.register_hooks``);
#: until then the code stands for itself.
AGENCY_NAMERS: list[Callable[[str], str]] = []
