"""A contractor's addresses that a mail server refused for good (issue 12, point 5).

A 5xx answer for one address (or a 4xx still there after every retry) marks that
address as failing, with the server's words and the day. Later messages go only to the
contractor's working addresses; a contractor whose every address fails gets none, and
the policy's reason says why (``addresses_failing``). The mark is cleared when the
address changes in the contractor (the editor, the import) or when it accepts a message
again (a person's resend).

Addresses are compared without regard to case, as mail servers treat them in practice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..models import FailingAddress, database, split_emails


def address_key(address: str) -> str:
    return address.strip().casefold()


def mark_failing(contractor_id: int, address: str, reply: str, day: dt.date,
                 message_id: int | None) -> None:
    """Record (or renew) an address's refusal; call inside the send's transaction."""
    key = address_key(address)
    for row in FailingAddress.select().where(FailingAddress.contractor == contractor_id):
        if address_key(row.address) == key:
            FailingAddress.update(reply=reply, day=day, message=message_id).where(
                FailingAddress.id == row.id).execute()
            return
    FailingAddress.create(contractor=contractor_id, address=address.strip(), reply=reply,
                          day=day, message=message_id)


def clear_failing(contractor_id: int, addresses: Iterable[str]) -> int:
    """Forget the refusals of these addresses (they accepted a message, or changed)."""
    keys = {address_key(a) for a in addresses}
    if not keys:
        return 0
    ids = [row.id for row in FailingAddress.select(FailingAddress.id, FailingAddress.address)
           .where(FailingAddress.contractor == contractor_id)
           if address_key(row.address) in keys]
    if ids:
        FailingAddress.delete().where(FailingAddress.id.in_(ids)).execute()
    return len(ids)


def addresses_changed(contractor_id: int, new_emails: str) -> int:
    """A contractor's address list was saved: every failing address that is no longer
    in it (changed or removed: the user mended it) loses its mark; one left as it was
    keeps it. Call inside the transaction that saves the contractor."""
    kept = {address_key(a) for a in split_emails(new_emails)}
    with database.atomic():
        gone = [row.address for row in FailingAddress.select(FailingAddress.address)
                .where(FailingAddress.contractor == contractor_id)
                if address_key(row.address) not in kept]
        return clear_failing(contractor_id, gone)
