"""A pass asked to stop (the interface quitting while its worker runs one) ends between
two messages or two chunks of planning: what it did is whole, it is not recorded as
finished, and the next pass plans and sends the rest — every step once. Real SQLite (or
PostgreSQL on that run) and the real SMTP test server."""

from __future__ import annotations

import datetime as dt
import threading

from windykacja.dunning import passes
from windykacja.dunning.lease import Lease
from windykacja.dunning.passes import run_pass
from windykacja.dunning.transports import make_transport
from windykacja.dunning.worker import Worker
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import DocumentStep, Message, PassRun

MONDAY = dt.date(2026, 11, 23)


def five_overdue(collection):
    for i in range(5):
        contractor = collection.contractor(f"C{i}", email=f"c{i}@example.pl")
        collection.document(contractor, due=MONDAY - dt.timedelta(days=10), number=f"FV/{i}")


def a_pass(clock, tmp_path, stop=passes._never):
    lease = Lease()
    lease.acquire()
    settings = load_settings()
    try:
        return run_pass(clock, settings, MONDAY, make_transport(settings, tmp_path), lease,
                        stop=stop)
    finally:
        lease.release()


def states() -> list[str]:
    return [m.state for m in Message.select().order_by(Message.id)]


def finished() -> bool:
    return PassRun.get(PassRun.pass_date == MONDAY).finished_at is not None


def test_a_pass_stopped_while_sending_leaves_the_rest_for_the_next(
        collection, clock, tmp_path, smtp_server):
    save_settings({"smtp.url": f"smtp://127.0.0.1:{smtp_server.port}"}, "test", clock.now())
    five_overdue(collection)
    clock.day = MONDAY
    stopping = threading.Event()
    smtp_server.handler.on_data = lambda recipients: stopping.set()  # after the first

    result = a_pass(clock, tmp_path, stopping.is_set)
    assert result.stopped and len(result.outcomes) == 1
    assert states() == ["sent"] + ["planned"] * 4  # the first recorded whole
    assert not finished() and len(smtp_server.messages) == 1

    result = a_pass(clock, tmp_path)
    assert not result.stopped and len(result.outcomes) == 4
    assert states() == ["sent"] * 5 and finished()
    received = sorted(m.rcpt_tos[0] for m in smtp_server.messages)
    assert received == [f"c{i}@example.pl" for i in range(5)]  # each once
    assert DocumentStep.select().count() == 5


def test_a_pass_stopped_while_planning_plans_the_rest_next_time(
        collection, clock, tmp_path, monkeypatch):
    five_overdue(collection)
    clock.day = MONDAY
    monkeypatch.setattr(passes, "PLAN_CHUNK", 2)

    result = a_pass(clock, tmp_path, lambda: Message.select().count() >= 2)  # one chunk
    assert result.stopped and result.outcomes == []
    assert states() == ["planned", "planned"]  # one chunk, committed; nothing sent
    assert not finished()

    result = a_pass(clock, tmp_path)
    assert states() == ["sent"] * 5 and finished()
    assert sorted(d.document.number for d in DocumentStep.select()) == [
        f"FV/{i}" for i in range(5)]


def test_a_stop_after_the_last_message_leaves_a_finished_pass(collection, clock, tmp_path):
    five_overdue(collection)
    clock.day = MONDAY
    result = a_pass(clock, tmp_path, lambda: False)
    assert not result.stopped and finished()


def test_the_worker_stops_its_pass_when_told_to_stop(collection, clock, tmp_path,
                                                     smtp_server):
    """The worker's run loop, as the interface runs it in a thread: the interface sets
    the stop event when it quits; the pass in progress stops after the message the
    server is taking, and the loop lets go of the lease."""
    save_settings({"module.enabled": "yes",
                   "smtp.url": f"smtp://127.0.0.1:{smtp_server.port}"}, "test", clock.now())
    five_overdue(collection)
    clock.day = MONDAY
    stop = threading.Event()
    smtp_server.handler.on_data = lambda recipients: stop.set()  # quit during the first
    worker = Worker(clock, tmp_path)
    thread = threading.Thread(target=worker.run, args=(stop, 0.01))
    thread.start()
    thread.join(60)
    assert not thread.is_alive()
    assert worker.status.last_result is not None and worker.status.last_result.stopped
    assert states() == ["sent"] + ["planned"] * 4 and not finished()
    assert Lease.current() is None
    smtp_server.handler.on_data = None
    worker.stopping.clear()  # the next start: nothing stops it
    assert worker.tick() is not None
    assert states() == ["sent"] * 5 and finished() and len(smtp_server.messages) == 5
