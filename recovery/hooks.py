"""What recovery asks of the engine, put there by one explicit call at start-up.

The engine and the ledger sit below recovery and may not import it; where they must let
recovery act, they keep a table of hooks, and ``register_hooks`` fills it:

* ``ledger.actions.PAYMENT_RECORDED_HOOKS`` / ``PAYMENT_REMOVED_HOOKS``: a payment by the
  agency (method ``agency``) updates its case's recovered sum and status;
* ``ledger.event_words.AGENCY_NAMERS``: an event that names an agency by its code reads
  back with the agency's name;
* ``dunning.outbox.SENT_HOOKS``: an agency hand-over e-mail, once sent, moves its case to
  "waiting" in the same transaction, whichever process sent it.

``app.main`` calls it before anything else, so the interface, every command and the
headless worker run with the same hooks; importing a recovery module registers nothing.
"""

from __future__ import annotations

from ..dunning.outbox import SENT_HOOKS
from ..ledger.actions import PAYMENT_RECORDED_HOOKS, PAYMENT_REMOVED_HOOKS
from ..ledger.event_words import AGENCY_NAMERS
from ..models import MessageKind
from .cases import agency_name_of, on_payment, on_payment_removed
from .gateways import agency_message_sent


def register_hooks() -> None:
    PAYMENT_RECORDED_HOOKS["agency"] = on_payment
    PAYMENT_REMOVED_HOOKS["agency"] = on_payment_removed
    AGENCY_NAMERS[:] = [agency_name_of]
    SENT_HOOKS[MessageKind.AGENCY] = agency_message_sent
