"""The forecast sends nothing for a document the debtor's answer pauses (issue 15): a
reply waiting for a decision and an open dispute stop it for the whole window; an open
promise holds it until the promise's wait is over, then the next step comes on the
first allowed day after."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from windykacja.dunning.forecast import forecast
from windykacja.ledger.answers import link_documents, make_promise, open_dispute
from windykacja.ledger.clock import utc_now_naive
from windykacja.ledger.settings import load_settings
from windykacja.models import InboxKind, InboxMessage, InboxState

TODAY = dt.date(2026, 11, 23)  # a Monday
DUE = TODAY - dt.timedelta(days=30)  # a first demand is due today


def _documents(collection):
    names = ("plain", "reply", "disputed", "promised")
    return {name: collection.document(collection.contractor(), DUE, number=f"FV/{name}")
            for name in names}


def test_paused_documents_send_nothing_and_a_promise_waits_its_time(collection, clock):
    docs = _documents(collection)
    reply = InboxMessage.create(
        source="maildir:/m", key="1", kind=InboxKind.REPLY, state=InboxState.WAITING,
        contractor=docs["reply"].contractor_id, received_at=utc_now_naive(clock), day=TODAY)
    link_documents(reply, [docs["reply"].id])
    open_dispute(clock, docs["disputed"], "towar uszkodzony")
    # Promised by Wednesday 25.11: waits until Saturday 28.11 (3 days' grace); the
    # demand goes on Monday 30.11, the first allowed day after.
    make_promise(clock, load_settings(), [docs["promised"]], Decimal("100.00"),
                 TODAY + dt.timedelta(days=2))
    items = forecast(load_settings(), TODAY)
    steps = {(i.document, i.kind, i.number): i.day for i in items}
    assert steps[("FV/plain", "demand", 1)] == TODAY
    assert not [i for i in items if i.document in ("FV/reply", "FV/disputed")]
    promised = sorted(i.day for i in items if i.document == "FV/promised")
    assert promised[0] == dt.date(2026, 11, 30)
