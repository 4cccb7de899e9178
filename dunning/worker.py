"""The scheduled worker: a pass once per allowed day at the set hour, with catch-up.

``Worker.tick`` is one look at the clock: if today's pass is due (the hour has come,
the day is allowed, no pass has run today) and this process holds the lease, it
runs it. A machine that was off at the hour runs the pass as soon as it is back,
that day or later; missed days are not replayed, the next pass simply finds what is
due. The same class runs headless (``windykacja worker``) and as a thread inside the
interface (``WorkerThread``); both share the lease, so only one ever sends.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..ledger.clock import Clock
from ..ledger.settings import load_settings
from ..models import PassRun, database
from .forecast import coming_gaps
from .lease import Lease
from .passes import PassResult, run_pass
from .rate_gaps import describe_gap
from .transports import TransportFactory, make_transport

log = logging.getLogger("windykacja.worker")

# What upper rooms do before a pass (the watched folders of importers/hooks.py), filled at
# start-up by their register_hooks(): the engine may not import them. Each is called with
# the clock at every tick, before the pass is decided, so a file dropped during the day
# is in within a tick or two and always before the day's pass; it returns lines for a
# person (run-once prints them) and logs what it did itself. One that fails is logged and
# the pass goes on with what is already known.
BEFORE_PASS_HOOKS: dict[str, Callable[[Clock], list[str]]] = {}


def run_before_pass_hooks(clock: Clock) -> list[str]:
    """Every hook in BEFORE_PASS_HOOKS, in the order registered; their lines together."""
    lines: list[str] = []
    for name, hook in list(BEFORE_PASS_HOOKS.items()):
        try:
            lines.extend(hook(clock))
        except Exception:  # a folder or a sync must not stop collection
            log.exception("%s before the pass failed", name)
    return lines


@dataclass
class WorkerStatus:
    """What the interface shows about the worker."""

    holds_lease: bool = False
    last_result: PassResult | None = None
    last_error: str = ""


class Worker:
    def __init__(
        self, clock: Clock, default_maildir: Path, lease: Lease | None = None,
        transport_factory: TransportFactory | None = None,
    ) -> None:
        self.clock = clock
        self.default_maildir = default_maildir
        self.lease = lease or Lease()
        self.transport_factory: TransportFactory = transport_factory or make_transport
        self.status = WorkerStatus()
        # Set by ``run``: a pass in progress stops between two messages once it is set
        # (passes.StopCheck), so that quitting the interface never waits for a whole pass.
        self.stopping = threading.Event()

    def pass_due(self) -> bool:
        settings = load_settings()
        if not settings.module_enabled:
            return False
        now = self.clock.local_now()
        if now.time() < settings.schedule_time:
            return False
        if not settings.sending_days.is_allowed(now.date()):
            return False
        return not PassRun.select().where(
            (PassRun.pass_date == now.date()) & PassRun.finished_at.is_null(False)
        ).exists()

    def tick(self) -> PassResult | None:
        """Run the hooks (BEFORE_PASS_HOOKS), then today's pass if it is due and we can
        hold the lease."""
        run_before_pass_hooks(self.clock)
        if self.stopping.is_set() or not self.pass_due():
            return None
        if not self.lease.try_acquire():
            self.status.holds_lease = False
            return None
        self.status.holds_lease = True
        settings = load_settings()
        transport = self.transport_factory(settings, self.default_maildir)
        # Said before the demands go out, in the log the unattended worker is read by.
        for gap in coming_gaps(settings, self.clock.today(), 1):
            log.warning("%s", describe_gap(gap, "en"))
        result = run_pass(self.clock, settings, self.clock.today(), transport, self.lease,
                          stop=self.stopping.is_set)
        self.status.last_result = result
        log.info("pass for %s: %d messages, %d sent%s", result.day, len(result.outcomes),
                 result.count("sent"),
                 "; stopped before its end, the next start goes on" if result.stopped else "")
        return result

    def run(self, stop: threading.Event, poll_seconds: float = 30.0) -> None:
        """Tick until ``stop`` is set (a pass then stops between two messages); an error
        is logged and retried next tick."""
        self.stopping = stop
        while not stop.is_set():
            try:
                self.tick()
                self.status.last_error = ""
            except Exception as exc:  # the worker must outlive one bad pass
                self.status.last_error = str(exc)
                log.exception("worker pass failed")
            stop.wait(poll_seconds)
        self.lease.release()
        database.close()


class WorkerThread(threading.Thread):
    """The in-app worker: a daemon thread the interface starts and stops."""

    def __init__(self, worker: Worker, poll_seconds: float = 30.0) -> None:
        super().__init__(name="windykacja-worker", daemon=True)
        self.worker = worker
        self.poll_seconds = poll_seconds
        self.stop_event = threading.Event()

    def run(self) -> None:
        self.worker.run(self.stop_event, self.poll_seconds)

    def stop(self, timeout: float = 10.0) -> None:
        self.stop_event.set()
        self.join(timeout)
