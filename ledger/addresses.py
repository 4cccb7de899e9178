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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..dunning.policy import AddressFailure
from ..models import FailingAddress, database, split_emails


def address_key(address: str) -> str:
    return address.strip().casefold()


FailingMap = Mapping[int, Mapping[str, AddressFailure]]


def failing_by_contractor(contractor_ids: Iterable[int] | None = None) -> FailingMap:
    """Every failing address (contractor id → address key → failure), in one query;
    the table holds a handful of rows, so a pass reads it once."""
    query = FailingAddress.select(FailingAddress.contractor, FailingAddress.address,
                                  FailingAddress.reply, FailingAddress.day)
    if contractor_ids is not None:
        ids = list(contractor_ids)
        if not ids:
            return {}
        query = query.where(FailingAddress.contractor.in_(ids))
    found: dict[int, dict[str, AddressFailure]] = {}
    for contractor_id, address, reply, day in query.tuples():
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        found.setdefault(contractor_id, {})[address_key(address)] = AddressFailure(
            address, reply, day)
    return found


def failures_of(emails: str, failing: Mapping[str, AddressFailure] | None
                ) -> tuple[AddressFailure, ...]:
    """The failures of the addresses in ``emails`` (a contractor's list), in its order."""
    if not failing:
        return ()
    return tuple(failing[address_key(a)] for a in split_emails(emails)
                 if address_key(a) in failing)


def working_addresses(emails: list[str], failing: Mapping[str, AddressFailure] | None
                      ) -> list[str]:
    """The addresses a new message goes to: the list without the failing ones."""
    if not failing:
        return list(emails)
    return [a for a in emails if address_key(a) not in failing]


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


@dataclass(frozen=True)
class FailingView:
    """A failing address as ``status`` and the outbox list it for a person."""

    contractor_code: str
    contractor_name: str
    address: str
    reply: str
    day: dt.date
    others_work: bool  # the contractor still has an address that is not failing


def failing_addresses(limit: int | None = None) -> list[FailingView]:
    """The failing addresses still in their contractors' lists, oldest first."""
    from ..models import Contractor

    rows = (FailingAddress.select(FailingAddress, Contractor)
            .join(Contractor).order_by(FailingAddress.day, FailingAddress.id))
    found = []
    failing = failing_by_contractor()
    for row in rows:
        contractor = row.contractor
        listed = split_emails(contractor.emails)
        if address_key(row.address) not in {address_key(a) for a in listed}:
            continue  # a stale mark: the address is no longer the contractor's
        others = working_addresses(listed, failing.get(contractor.id))
        found.append(FailingView(contractor.code, contractor.name, row.address, row.reply,
                                 row.day, bool(others)))
        if limit is not None and len(found) >= limit:
            break
    return found
