"""The failing addresses that ``status`` and the outbox list for a person: refusals still
standing for addresses that are still in their contractors' lists (``ledger/addresses.py``
records them, ``dunning/facts.py`` reads them for the policy)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..dunning.facts import failing_by_contractor, working_addresses
from ..ledger.addresses import address_key
from ..models import Contractor, FailingAddress, split_emails


@dataclass(frozen=True)
class FailingView:
    """A failing address as ``status`` and the outbox list it for a person."""

    contractor_code: str
    contractor_name: str
    address: str
    reply: str
    day: dt.date
    others_work: bool  # the contractor still has an address that is not failing
    # A postal address: with letters on, its steps go by letter meanwhile (issue 16).
    has_address: bool = False


def failing_addresses(limit: int | None = None) -> list[FailingView]:
    """The failing addresses still in their contractors' lists, oldest first."""
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
                                 row.day, bool(others), bool(contractor.address.strip())))
        if limit is not None and len(found) >= limit:
            break
    return found
