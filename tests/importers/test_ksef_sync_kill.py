"""SIGKILL the KSeF sync at chosen moments and start it again until a run finishes: every
invoice arrives exactly once, and the checkpoint stands at the end.

The stand-in runs in the test process with 1,500 invoices; each sync is a separate
process (``windykacja --db … ksef sync``, the token in ``$WINDYKACJA_KSEF_TOKEN``, the
stand-in's address in ``ksef.environment``) on the test's database: an SQLite file, or on
the PostgreSQL run a PostgreSQL database. No kill is timed by sleeping: each waits for the
child to reach a point the stand-in or the database can see —

* **authentication**: the run's k-th request (certificate, challenge, token, status,
  redemption), the child waiting for the answer;
* **listing**: the run's j-th metadata query;
* **download**: the run's d-th invoice download, inside a batch (some of the batch
  downloaded, none of it stored);
* **store**: the batch's last download, then the child seen inside the batch's write
  transaction (SQLite: it holds the write lock; PostgreSQL: its session is in a
  transaction of several statements), killed at once, 50–300 ms further in (the
  transaction of 100 invoices takes ~0.4 s here, so some of these land at its commit), or
  as soon as it is seen to have ended (just after the commit, checkpoint moved).

After each kill the database holds whole batches only, so the next run goes on from the
last one committed; the test prints where the kills landed (``-s``).
"""

from __future__ import annotations

import collections
import datetime as dt
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass

from database_switch import ON_POSTGRES
from kill_probe import TransactionProbe, wait_for
from ksef_standin import SELLER_NIP, KsefStandIn

from windykacja.app import main
from windykacja.importers.ksef_fetch import BATCH, PAGE_SIZE
from windykacja.ledger.ksef_access import TOKEN_ENV
from windykacja.models import (
    CollectionEvent,
    Contractor,
    Document,
    EventKind,
    KsefInvoice,
    KsefSyncState,
    database,
)
from windykacja.models.db import open_database

INVOICES = 1500
BUYERS = 20
KILLS_WANTED = 22
AUTH_REQUESTS = 5  # certificate, challenge, token, status, redemption
# The kinds of kill, in turn; each run is killed once, by the kind whose turn it is.
TURNS = ("download", "store", "authentication", "download", "listing", "store")
RUN_LIMIT = 120.0  # a guard against a hung child, not a measure


def cli(location: str, *args: str) -> None:
    assert main(["--db", location, *args]) == 0, args


def start_sync(location: str, log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "windykacja", "--db", location, "ksef", "sync"],
        stdout=subprocess.DEVNULL, stderr=log, env=os.environ.copy())


class Requests:
    """What the stand-in has been asked since a run started, counted as it comes (the
    polling must leave the stand-in's threads their time)."""

    def __init__(self, ksef: KsefStandIn) -> None:
        self.ksef = ksef
        self.read = len(ksef.requests)
        self.paths: list[str] = []
        self.counts: collections.Counter[str] = collections.Counter()

    def count(self, prefix: str = "") -> int:
        new = self.ksef.requests[self.read:]
        self.read += len(new)
        for request in new:
            self.paths.append(request.path)
            self.counts[request.path[:15]] += 1  # /invoices/ksef/, /invoices/query
        return len(self.paths) if not prefix else self.counts[prefix[:15]]


def stored() -> int:
    return KsefInvoice.select().count()


STORE_MOMENTS = ("seen", "later", "committed")


@dataclass
class Kill:
    kind: str
    target: int  # the request of its kind within the run (store: the batch's last download)
    moment: str = ""  # store: as soon as the transaction is seen, later in it, or just after
    landed: str = ""  # where it was, as the stand-in and the database show after it


def plan(turn: int, rng: random.Random, done: int, invoices: int) -> Kill:
    kind, left = TURNS[turn % len(TURNS)], invoices - done
    if kind == "store" and left <= BATCH:
        kind = "download"
    if kind == "download" and left <= 2:
        kind = "authentication"
    if kind == "authentication":
        return Kill(kind, rng.randint(1, AUTH_REQUESTS))
    if kind == "listing":  # a run lists from the checkpoint: the second page follows
        return Kill(kind, rng.randint(1, 2 if left > PAGE_SIZE else 1))  # 250 downloads
    if kind == "download":
        target = rng.randint(1, min(2 * BATCH, left) - 1)
        return Kill(kind, target if target % BATCH else target - 1)
    return Kill(kind, BATCH * rng.randint(1, min(2, (left - 1) // BATCH)),
                STORE_MOMENTS[turn // len(TURNS) % len(STORE_MOMENTS)])


def kill_run(process: subprocess.Popen, kill: Kill, seen: Requests, probe: TransactionProbe,
             rng: random.Random) -> bool:
    """Kill ``process`` at ``kill``'s point; False when it finished before."""
    deadline = time.monotonic() + RUN_LIMIT
    if kill.kind == "authentication":
        reached = wait_for(process, lambda: seen.count() >= kill.target, deadline)
    elif kill.kind == "listing":
        reached = wait_for(process, lambda: seen.count("/invoices/query/metadata")
                           >= kill.target, deadline)
    elif kill.kind == "download":
        reached = wait_for(process, lambda: seen.count("/invoices/ksef/") >= kill.target,
                           deadline)
    else:  # the batch's last download, then its transaction
        def batch_over() -> bool:
            return seen.count("/invoices/ksef/") > kill.target

        reached = wait_for(process, lambda: seen.count("/invoices/ksef/") >= kill.target,
                           deadline) and wait_for(process, lambda: probe.inside()
                                                  or batch_over(), deadline)
        if reached and kill.moment == "later":  # the transaction takes ~0.4 s here
            time.sleep(rng.uniform(0.05, 0.3))
        elif reached and kill.moment == "committed":
            reached = wait_for(process, lambda: not probe.inside() or batch_over(),
                               deadline)
    if not reached:
        return False
    process.kill()
    process.wait()
    # PostgreSQL ends the dead client's session when it sees the socket closed.
    wait_for(None, lambda: not probe.inside(), deadline)
    return True


def where_it_landed(kill: Kill, before: int, after: int, seen: Requests) -> str:
    if kill.kind == "store":
        if seen.count("/invoices/ksef/") > kill.target:
            return "store: after the commit, the next batch begun"
        # A run downloads only what is not stored: its batch is the target's last.
        return ("store: after the commit" if after == before + kill.target
                else "store: in the transaction, rolled back")
    if kill.kind == "authentication":
        return f"authentication: request {kill.target} ({seen.paths[kill.target - 1]})"
    if kill.kind == "listing":
        return "listing"
    return "download: mid-batch"


def test_killed_syncs_neither_lose_nor_repeat_an_invoice(db, db_location, tmp_path,
                                                        monkeypatch):
    location, invoices = db_location(), INVOICES
    with KsefStandIn() as ksef:
        added = ksef.add_invoices(invoices, buyers=BUYERS, form="mixed")
        monkeypatch.setenv(TOKEN_ENV, ksef.token)
        since = (ksef.now() - dt.timedelta(days=30)).date()
        cli(location, "settings", "set", "module.enabled=yes", f"company.nip={SELLER_NIP}",
            f"ksef.environment={ksef.url}", f"ksef.since={since}")
        rng = random.Random(20261207)
        probe = TransactionProbe(location)
        kills: list[Kill] = []
        log_path = tmp_path / "sync.log"
        with log_path.open("ab") as log:
            while True:
                assert len(kills) < 4 * KILLS_WANTED, "the sync does not progress"
                before = stored()
                seen = Requests(ksef)
                process = start_sync(location, log)
                if len(kills) >= KILLS_WANTED:  # enough: let this one finish
                    assert process.wait(timeout=RUN_LIMIT) == 0, log_path.read_text()
                    break
                kill = plan(len(kills), rng, before, invoices)
                if not kill_run(process, kill, seen, probe, rng):
                    assert process.returncode == 0, log_path.read_text()
                    break
                after = stored()
                assert after >= before
                assert after % BATCH == 0 or after == invoices, "a batch half stored"
                kill.landed = where_it_landed(kill, before, after, seen)
                kills.append(kill)
        probe.close()

        # Every invoice exactly once: one document per number, one ksef_invoice row per
        # KSeF number, one 'document arrived' event per document.
        assert len(kills) >= 20, f"only {len(kills)} kills landed"
        numbers = collections.Counter(d.number for d in Document.select(Document.number))
        assert numbers == collections.Counter(invoice.number for invoice in added)
        rows = collections.Counter(r.ksef_number for r in KsefInvoice.select())
        assert rows == collections.Counter(invoice.ksef_number for invoice in added)
        assert {r.outcome for r in KsefInvoice.select()} == {"created"}
        assert KsefInvoice.select().where(KsefInvoice.document.is_null()).count() == 0
        arrived = collections.Counter(
            (e.document_id, e.text) for e in CollectionEvent.select().where(
                CollectionEvent.kind == EventKind.DOCUMENT_ARRIVED))
        by_number = {d.number: d.id for d in Document.select(Document.id, Document.number)}
        assert arrived == collections.Counter(
            (by_number[invoice.number], f"ksef {invoice.ksef_number}") for invoice in added)
        assert Contractor.select().count() == BUYERS  # no buyer twice either

        # The checkpoint stands at the end: past the last invoice, not past KSeF's now.
        state = KsefSyncState.get()
        last = max(invoice.stored for invoice in added).replace(tzinfo=None)
        assert last <= state.checkpoint <= ksef.now().replace(tzinfo=None)
        assert state.failure == ""

        downloads = sum(1 for r in ksef.requests if r.path.startswith("/invoices/ksef/"))
        spread = collections.Counter(kill.landed.split(" (")[0] for kill in kills)
        print(f"\n{len(kills)} kills, {downloads} downloads for {invoices} invoices:")
        for landed, count in sorted(spread.items()):
            print(f"  {count:3d}  {landed}")
        assert {kill.landed.split(":")[0] for kill in kills} == set(TURNS)
        assert spread["store: in the transaction, rolled back"] >= 2
        assert spread["store: after the commit"] + spread[
            "store: after the commit, the next batch begun"] >= 1

    if not ON_POSTGRES:
        database.close()
        check = open_database(location)
        assert check.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert check.execute_sql("PRAGMA foreign_key_check").fetchall() == []
