"""One collection pass the way the worker runs it: take the lease, read the settings,
send through the transport they choose (SMTP, or the Maildir at ``outbox``), let go."""

from __future__ import annotations

import datetime as dt

from windykacja.dunning.lease import Lease
from windykacja.dunning.passes import run_pass
from windykacja.dunning.transports import make_transport
from windykacja.ledger.settings import load_settings


def run_one_pass(clock, outbox, day: dt.date | None = None):
    if day is not None:
        clock.day = day
    lease = Lease()
    lease.acquire()
    settings = load_settings()
    try:
        return run_pass(clock, settings, clock.today(), make_transport(settings, outbox), lease)
    finally:
        lease.release()
