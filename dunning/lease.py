"""One sender per database: a lease row with an expiry, renewed while a pass runs.

Every process that wants to send (the TUI's in-app worker, a headless worker,
``run-once``) must hold the lease. A holder that dies stops renewing and the lease
lapses after ``ttl``; whoever takes it over first declares the dead holder's
half-sent messages in doubt. The lease runs on wall-clock time even when the
business date is simulated, because it is about live processes, not about days.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid

from ..ledger.clock import Clock, SystemClock, utc_now_naive
from ..models import WorkerLease, database

LEASE_NAME = "sender"
DEFAULT_TTL = dt.timedelta(minutes=2)


def new_holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LeaseHeld(RuntimeError):
    """Another live process is the sender for this database."""

    def __init__(self, holder: str, expires_at: dt.datetime) -> None:
        super().__init__(
            f"another worker ({holder}) is sending for this database; its lease runs "
            f"until {expires_at:%Y-%m-%d %H:%M:%S} UTC"
        )
        self.holder = holder
        self.expires_at = expires_at


class Lease:
    def __init__(
        self, holder: str | None = None, ttl: dt.timedelta = DEFAULT_TTL,
        clock: Clock | None = None,
    ) -> None:
        self.holder = holder or new_holder_id()
        self.ttl = ttl
        self.clock = clock or SystemClock()
        self._renewed_at: dt.datetime | None = None

    def _now(self) -> dt.datetime:
        return utc_now_naive(self.clock)

    def try_acquire(self) -> bool:
        """Take or renew the lease if it is free, lapsed or ours; never wait for it."""
        now = self._now()
        # SQLite runs this IMMEDIATE, one writer at a time; PostgreSQL (READ COMMITTED) lets
        # two workers in at once, so no step may trust what was read before writing: the
        # first row is inserted only if none exists (a row another worker has just
        # inserted makes this a no-op, not a duplicate-key error), and a takeover is an
        # UPDATE conditional on the holder and expiry read, which the later of two
        # writers re-checks after the first commits and so finds changed.
        with database.atomic():
            created = (
                WorkerLease.insert(name=LEASE_NAME, holder=self.holder,
                                   expires_at=now + self.ttl, heartbeat_at=now)
                .on_conflict_ignore().as_rowcount().execute()
            )
            if created == 1:
                self._renewed_at = now
                return True
            row = WorkerLease.get_or_none(WorkerLease.name == LEASE_NAME)
            if row is None:  # released between the two statements: try again next time
                return False
            if row.holder != self.holder and row.expires_at > now:
                return False
            taken = (
                WorkerLease.update(holder=self.holder, expires_at=now + self.ttl,
                                   heartbeat_at=now)
                .where((WorkerLease.name == LEASE_NAME) & (WorkerLease.holder == row.holder)
                       & (WorkerLease.expires_at == row.expires_at))
                .execute()
            )
            if taken == 1:
                self._renewed_at = now
            return taken == 1

    def acquire(self) -> None:
        if not self.try_acquire():
            row = WorkerLease.get(WorkerLease.name == LEASE_NAME)
            raise LeaseHeld(row.holder, row.expires_at)

    def renew(self) -> None:
        """Extend our lease; raises LeaseHeld if it was lost (we stalled past the ttl)."""
        self.acquire()

    def renew_if_due(self) -> None:
        """Renew once a quarter of the ttl has passed: often enough never to lapse while
        we live, rarely enough to cost nothing per message sent."""
        if self._renewed_at is None or self._now() - self._renewed_at >= self.ttl / 4:
            self.renew()

    def release(self) -> None:
        with database.atomic():
            WorkerLease.delete().where(
                (WorkerLease.name == LEASE_NAME) & (WorkerLease.holder == self.holder)
            ).execute()

    @staticmethod
    def current() -> WorkerLease | None:
        return WorkerLease.get_or_none(WorkerLease.name == LEASE_NAME)
