"""Which of our messages, contractor and documents an incoming message concerns (issue 15).

In this order, the first that answers wins:

1. **Our message by its Message-ID**: a reply names it in ``In-Reply-To`` or
   ``References`` (RFC 5322 §3.6.4; the newest reference is tried first); a bounce
   returns it (its ``message/rfc822`` or ``text/rfc822-headers`` part). The documents are
   the ones that message carried — including a step a bounce has already proved
   undelivered.
2. **A bounce without the original** (many servers return none): the message its VERP
   return path names (``smtp.verp``, ``dunning/verp.py``), else the newest reminder or
   demand we sent in the last ``FALLBACK_DAYS`` days to the failed address.
3. **The sender's address** belongs to exactly one contractor (addresses compared without
   regard to case): the contractor's documents still under collection. An address two
   contractors share is left for a person, as is an unknown one.

Nothing in the message is followed: only its headers are compared with what we stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..dunning.verp import message_id_prefix, verp_token
from ..ledger.addresses import address_key
from ..ledger.answers import open_documents
from ..models import (
    Contractor,
    DocumentStep,
    Message,
    MessageKind,
    MessageState,
    UndeliveredStep,
    split_emails,
)

FALLBACK_DAYS = 30
_DUNNING = (MessageKind.REMINDER, MessageKind.DEMAND)


def our_message(message_ids: Iterable[str]) -> Message | None:
    """The newest of our messages among these Message-IDs (``<…>``), if any."""
    ids = [m.strip() for m in message_ids if m and m.strip()]
    if not ids:
        return None
    found: Message | None = (Message.select().where(Message.message_id.in_(ids))
                             .order_by(Message.id.desc()).first())
    return found


def verp_message(addresses: Iterable[str]) -> Message | None:
    """Our message whose VERP return path (``dunning/verp.py``) is among ``addresses``."""
    for address in addresses:
        token = verp_token(address)
        if token is not None:
            found: Message | None = Message.get_or_none(
                Message.message_id.startswith(message_id_prefix(token)))
            if found is not None:
                return found
    return None


def reply_candidates(in_reply_to: Iterable[str], references: Iterable[str]) -> list[str]:
    """In-Reply-To first, then References newest first (the end of the list)."""
    return [*in_reply_to, *reversed(list(references))]


def message_documents(message_id: int) -> list[int]:
    """The documents a message of ours carried, undelivered steps included."""
    carried = {row.document_id for row in DocumentStep.select(DocumentStep.document)
               .where(DocumentStep.message == message_id)}
    carried.update(row.document_id for row in UndeliveredStep.select(UndeliveredStep.document)
                   .where(UndeliveredStep.message == message_id))
    return sorted(carried)


def latest_message_to(address: str, today: dt.date) -> Message | None:
    """The newest reminder or demand sent to ``address`` in the last FALLBACK_DAYS days."""
    key = address_key(address)
    since = today - dt.timedelta(days=FALLBACK_DAYS)
    candidates = (Message.select().where(
        Message.kind.in_(_DUNNING) & Message.state.in_([MessageState.SENT,
                                                         MessageState.UNDELIVERED])
        & (Message.pass_date >= since) & Message.recipients.contains(address.strip()))
        .order_by(Message.id.desc()).limit(20))
    for message in candidates:
        if key in {address_key(a) for a in split_emails(message.recipients)}:
            return message
    return None


def sender_contractor(address: str) -> Contractor | None:
    """The one contractor whose addresses include ``address``; None for none or several."""
    if not address:
        return None
    key = address_key(address)
    found = [c for c in Contractor.select(Contractor.id, Contractor.emails)
             .where(Contractor.emails.contains(address.strip()))
             if key in {address_key(a) for a in split_emails(c.emails)}]
    if len(found) != 1:
        return None
    contractor: Contractor = Contractor.get_by_id(found[0].id)
    return contractor


def sender_documents(contractor: Contractor) -> list[int]:
    return open_documents(contractor.id)
