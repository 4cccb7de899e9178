"""Activity and ``export activity`` with the events of issue 15: each new kind is offered
by the kind filter, filters, and reads in words in both languages."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

from windykacja.dunning.wording import describe_event_kind
from windykacja.ledger.answers import make_promise, open_dispute
from windykacja.ledger.settings import load_settings
from windykacja.lists.activity import ActivityFilter, write_activity_csv
from windykacja.models import EventKind

ZONE = ZoneInfo("Europe/Warsaw")
NEW_KINDS = (EventKind.REPLY_RECEIVED, EventKind.AUTO_REPLY_RECEIVED,
             EventKind.DELIVERY_FAILED, EventKind.DELIVERY_DELAYED, EventKind.REPLY_DECIDED,
             EventKind.PROMISE_MADE, EventKind.PROMISE_KEPT, EventKind.PROMISE_BROKEN,
             EventKind.PROMISE_WITHDRAWN, EventKind.DISPUTE_OPENED, EventKind.DISPUTE_RESOLVED)


def test_every_new_kind_is_offered_in_words():
    """The screen's kind filter lists ``EventKind.ALL`` in words (screens/activity.py)."""
    for kind in NEW_KINDS:
        assert kind in EventKind.ALL
        for language in ("en", "pl"):
            assert not describe_event_kind(kind, language).startswith("unknown")


def test_the_csv_filters_by_the_new_kinds_in_words(collection, clock):
    contractor = collection.contractor()
    document = collection.document(contractor, dt.date(2026, 11, 1), number="FV/1")
    make_promise(clock, load_settings(), [document], Decimal("500.00"), dt.date(2026, 11, 30))
    open_dispute(clock, document, "towar uszkodzony", Decimal("100.00"))
    flt = ActivityFilter(kinds=(EventKind.PROMISE_MADE, EventKind.DISPUTE_OPENED))
    out = io.StringIO(newline="")
    assert write_activity_csv(flt, out, "pl", ZONE) == 2
    lines = out.getvalue().splitlines()
    assert ";obietnica zapłaty;" in lines[1] and "500,00 PLN do 30.11.2026" in lines[1]
    assert ";zgłoszono spór;" in lines[2] and "towar uszkodzony" in lines[2]
    out = io.StringIO(newline="")
    write_activity_csv(flt, out, "en", ZONE)
    assert ",promise to pay," in out.getvalue() and ",dispute opened," in out.getvalue()
