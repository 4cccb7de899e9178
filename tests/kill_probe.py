"""Seeing a child process's database work from outside, for the SIGKILL tests (the KSeF
sync's and the inbox's): whether it holds a write transaction open, and waiting for a
point without timing it by sleep."""

from __future__ import annotations

import sqlite3
import subprocess
import time

from database_switch import ON_POSTGRES

from windykacja.models import database


class TransactionProbe:
    """Whether the child holds its write transaction open, seen from outside."""

    def __init__(self, location: str) -> None:
        self.sqlite = None if ON_POSTGRES else sqlite3.connect(
            location, timeout=0, isolation_level=None)

    def inside(self) -> bool:
        if self.sqlite is None:
            # A transaction of several statements: between them, or one running in it.
            return bool(database.execute_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND (state = 'idle in transaction' OR "
                "(state = 'active' AND xact_start < query_start))").fetchone()[0])
        try:
            self.sqlite.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # locked: the child is writing
            return True
        self.sqlite.execute("ROLLBACK")
        return False

    def close(self) -> None:
        if self.sqlite is not None:
            self.sqlite.close()


def wait_for(process: subprocess.Popen | None, ready, deadline: float) -> bool:
    """Poll until ``ready()``; False when the child ended first."""
    while not ready():
        if process is not None and process.poll() is not None:
            return False
        assert time.monotonic() < deadline, "the child hung"
        time.sleep(0.001)
    return True
