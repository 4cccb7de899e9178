"""The scheduled worker and its lease, on a real database with a fixed clock."""

from __future__ import annotations

import datetime as dt

from windykacja.dunning.lease import Lease, LeaseHeld
from windykacja.dunning.worker import Worker
from windykacja.ledger.clock import FixedClock
from windykacja.ledger.settings import save_settings
from windykacja.models import Message, PassRun, WorkerLease

MONDAY = dt.date(2026, 11, 23)


def worker_at(clock, tmp_path):
    return Worker(clock, tmp_path / "outbox")


def test_the_pass_waits_for_its_hour_and_runs_once_a_day(collection, clock, tmp_path):
    anna = collection.contractor()
    collection.document(anna, due=MONDAY - dt.timedelta(days=10))
    worker = worker_at(clock, tmp_path)
    clock.time = dt.time(8, 59)
    assert worker.tick() is None
    clock.time = dt.time(9, 0)
    assert len(worker.tick().outcomes) == 1
    clock.time = dt.time(15, 0)
    assert worker.tick() is None
    assert PassRun.select().count() == 1 and Message.select().count() == 1


def test_a_missed_hour_is_caught_up_later_the_same_day_or_the_next(collection, clock,
                                                                  tmp_path):
    save_settings({"schedule.time": "07:30"}, "test", clock.now())
    worker = worker_at(clock, tmp_path)
    clock.day, clock.time = MONDAY, dt.time(16, 45)  # the machine was off in the morning
    assert worker.tick() is not None
    clock.day, clock.time = MONDAY + dt.timedelta(days=3), dt.time(11, 0)  # off Tue, Wed
    assert worker.tick().day == MONDAY + dt.timedelta(days=3)
    assert [r.pass_date for r in PassRun.select().order_by(PassRun.pass_date)] == [
        MONDAY, MONDAY + dt.timedelta(days=3)]


def test_nothing_runs_on_a_day_that_is_not_allowed_or_with_the_module_off(collection, clock,
                                                                         tmp_path):
    worker = worker_at(clock, tmp_path)
    clock.day = dt.date(2026, 12, 24)  # Christmas Eve, a holiday since 2025
    assert worker.tick() is None
    save_settings({"module.enabled": "no"}, "test", clock.now())
    clock.day = MONDAY
    assert worker.tick() is None
    assert PassRun.select().count() == 0


def test_a_worker_without_the_lease_does_not_send(collection, clock, tmp_path):
    anna = collection.contractor()
    collection.document(anna, due=MONDAY - dt.timedelta(days=10))
    other = Lease(holder="other-host:1")
    assert other.try_acquire()
    worker = worker_at(clock, tmp_path)
    assert worker.tick() is None and not worker.status.holds_lease
    assert Message.select().count() == 0
    other.release()
    assert worker.tick() is not None and worker.status.holds_lease


def test_a_lapsed_lease_is_taken_over_and_a_live_one_is_not(db):
    first_clock = FixedClock(MONDAY, dt.time(9, 0))
    first = Lease(holder="a", clock=first_clock)
    second = Lease(holder="b", clock=FixedClock(MONDAY, dt.time(9, 1)))
    first.acquire()
    assert not second.try_acquire()
    try:
        second.acquire()
    except LeaseHeld as exc:
        assert "another worker (a)" in str(exc)
    else:
        raise AssertionError("the second holder took a live lease")
    late = Lease(holder="b", clock=FixedClock(MONDAY, dt.time(9, 3)))  # ttl is 2 minutes
    assert late.try_acquire()
    assert WorkerLease.get().holder == "b"
    assert not first.try_acquire()
