"""The lease under two connections at once, on whichever database the suite runs on.

SQLite serialises writers (IMMEDIATE transactions), so a read-then-write lease is safe
there by itself; PostgreSQL runs both transactions side by side (READ COMMITTED), so the
lease must not depend on what a transaction read before it wrote.
"""

from __future__ import annotations

import datetime as dt
import threading

from windykacja.dunning.lease import LEASE_NAME, Lease
from windykacja.ledger.clock import FixedClock
from windykacja.models import WorkerLease, database

MONDAY = dt.date(2026, 11, 23)


def _in_other_connection(work, started: threading.Event, release: threading.Event):
    """Run ``work`` in a transaction of another connection (another thread's), and keep
    that transaction open until ``release`` is set."""
    errors: list[BaseException] = []

    def body() -> None:
        try:
            with database.atomic():
                work()
                started.set()
                release.wait(10)
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
            started.set()
        finally:
            database.close()

    thread = threading.Thread(target=body)
    thread.start()
    return thread, errors


def test_a_first_lease_taken_meanwhile_by_another_connection_is_refused(db):
    """The other worker inserts the very first lease row and has not committed yet when
    this one looks: this one must answer "held", not fail on the duplicate row."""
    now = dt.datetime(2026, 11, 23, 8, 0)
    started, release = threading.Event(), threading.Event()
    thread, errors = _in_other_connection(
        lambda: WorkerLease.create(name=LEASE_NAME, holder="other", heartbeat_at=now,
                                   expires_at=now + dt.timedelta(minutes=2)),
        started, release,
    )
    started.wait(10)
    threading.Timer(0.3, release.set).start()  # commits while we wait for its row lock
    try:
        taken = Lease(holder="this", clock=FixedClock(MONDAY, dt.time(9, 0))).try_acquire()
    finally:
        release.set()
        thread.join(10)
    assert errors == []
    assert taken is False
    assert WorkerLease.get().holder == "other"


def test_a_lapsed_lease_taken_over_meanwhile_is_not_taken_twice(db):
    """Two workers see the same lapsed lease; the second to write must find it taken."""
    lapsed = dt.datetime(2026, 11, 23, 7, 0)
    WorkerLease.create(name=LEASE_NAME, holder="dead", heartbeat_at=lapsed,
                       expires_at=lapsed + dt.timedelta(minutes=2))
    clock = FixedClock(MONDAY, dt.time(9, 0))
    first, second = Lease(holder="first", clock=clock), Lease(holder="second", clock=clock)
    started, release = threading.Event(), threading.Event()
    results: list[bool] = []
    thread, errors = _in_other_connection(lambda: results.append(first.try_acquire()),
                                          started, release)
    started.wait(10)
    threading.Timer(0.3, release.set).start()
    try:
        taken = second.try_acquire()
    finally:
        release.set()
        thread.join(10)
    assert errors == [] and results == [True]
    assert taken is False
    assert WorkerLease.get().holder == "first"
