"""The outbox's hooks for sent messages, in a module of their own: ``recovery.hooks``
registers here at every start without importing the outbox (and with it the e-mail
writing and the transports, which the interface's first screen does not need)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..ledger.clock import Clock
    from ..models import Message

#: Called inside ``mark_sent``'s transaction for every sent message of that kind, so a
#: room above dunning learns its message went out in the very commit that records it,
#: without dunning importing it (recovery registers the agency handover here). The list
#: is the message's ``outbox.StepRow``s (the outbox imports this module, not the reverse).
SENT_HOOKS: dict[str, Callable[[Clock, Message, list[Any]], None]] = {}
