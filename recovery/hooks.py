"""What recovery asks of the engine, put there by one explicit call at start-up.

The engine and the ledger sit below recovery and may not import it; where they must let
recovery act, they keep a table of hooks, and ``register_hooks`` fills it:

* ``ledger.actions.PAYMENT_RECORDED_HOOKS`` / ``PAYMENT_REMOVED_HOOKS``: a payment by the
  agency (method ``agency``) updates its case's recovered sum and status;
* ``ledger.event_words.AGENCY_NAMERS`` (kept in ``ledger.agency_namers``): an event that
  names an agency by its code reads back with the agency's name;
* ``dunning.outbox.SENT_HOOKS`` (kept in ``dunning.sent_hooks``): an agency hand-over
  e-mail, once sent, moves its case to "waiting" in the same transaction, whichever
  process sent it.

``app.main`` calls it before anything else, so the interface, every command and the
headless worker run with the same hooks; importing a recovery module registers nothing.
What is registered are the small functions below, which import recovery's cases and
gateways (and with them the outbox, e-mail and the transports) when first called: every
start registers, few ever call, and the interface's first screen needs none of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..dunning.sent_hooks import SENT_HOOKS
from ..ledger.actions import PAYMENT_RECORDED_HOOKS, PAYMENT_REMOVED_HOOKS
from ..ledger.agency_namers import AGENCY_NAMERS
from ..models import MessageKind

if TYPE_CHECKING:
    from ..dunning.outbox import StepRow
    from ..ledger.clock import Clock
    from ..models import Message, Payment


def on_payment(clock: Clock, payment: Payment) -> None:
    from . import cases

    cases.on_payment(clock, payment)


def on_payment_removed(clock: Clock, payment: Payment, author: str) -> None:
    from . import cases

    cases.on_payment_removed(clock, payment, author)


def agency_name_of(code: str) -> str:
    from . import cases

    return cases.agency_name_of(code)


def agency_message_sent(clock: Clock, message: Message, steps: list[StepRow]) -> None:
    from . import gateways

    gateways.agency_message_sent(clock, message, steps)


def register_hooks() -> None:
    PAYMENT_RECORDED_HOOKS["agency"] = on_payment
    PAYMENT_REMOVED_HOOKS["agency"] = on_payment_removed
    AGENCY_NAMERS[:] = [agency_name_of]
    SENT_HOOKS[MessageKind.AGENCY] = agency_message_sent
