"""Ten people and the worker on one database: latency of each operation, errors, and
the pass time under load beside a quiet run — on SQLite, and on PostgreSQL with --pg.

The database is ``bench_pass.py``'s generator at 100,000 documents and 10,000 contractors
by default (20,000 unpaid; 2 % of the documents have a step due on Monday 2026-11-23,
so the pass plans and sends ~1,900 messages), built once and cached under
``/tmp/windykacja-bench``, copied and migrated to the latest schema (``load-base-…``).
Every run starts from a fresh copy of it: a file copy on SQLite, ``CREATE DATABASE …
TEMPLATE`` on PostgreSQL (whose template is loaded once from the SQLite file with COPY).

Two runs per database:

* **quiet** — the worker alone: take the lease, ``run_pass`` for Monday into a Maildir
  in a temporary folder, as ``windykacja worker`` would;
* **load** — ``--readers`` (8) and ``--writers`` (2) sessions, each a process of its own
  with its own connection, start; after ``--warmup`` seconds the worker starts the same
  pass; the sessions go on until the pass has ended and ``--seconds`` have gone by.

A reader does what the unpaid-documents screen does (``lists/unpaid_list.py``, the
calls the screen makes, with the settings read per load as the screen does): open the
list in a random sort (count + first page), the totals line, five pages down (keyset
from the neighbour page, 100 rows each with their next steps), a jump to the end, a
search (a contractor, a number prefix, a rare name; count + rows + totals), another
sort, the overdue filter — ``--reader-think-ms`` apart. A writer opens a random unpaid
document and adds a note (``actions.add_note``), opens another and records a payment of
1.00 with the version it read (``actions.record_payment``), ``--writer-think-ms`` apart.
A payment refused because the document changed in between (the pass touched it) is
counted as *refused*, which is the product working; any exception is an *error*
(``database is locked`` among them), listed at the end.

``--smoke`` is a small database of its own (5,000 documents, 500 contractors; never the
big one), 2 readers, 1 writer, the worker after 0.5 s, at least 2 s of load: seconds, the
same tables.

Usage: ``python benchmarks/bench_load.py [--pg postgresql://user@host:port/postgres]
[--documents N --contractors N] [--seconds 60] [--smoke]`` (see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import platform
import queue
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).parent))
from bench_pass import CACHE_DIR, PASS_DAY, build, db_path, machine_line  # noqa: E402

SEARCHES = ("firma testowa 12", "FV/2026/10", "testowa 4711", "firma", "FV/2025/1")
SORTS = ("due", "number", "contractor", "outstanding", "issue")
# The tables bench_pass.py fills, in an order their foreign keys allow.
COPIED_TABLES = ("setting", "contractor", "document", "payment", "message", "document_step")


# --- the database --------------------------------------------------------------------


def base_path(documents: int, contractors: int) -> Path:
    return CACHE_DIR / f"load-base-{documents}-{contractors}.db"


def prepare_sqlite(documents: int, contractors: int) -> Path:
    """The generated database, copied (the shared cache is never migrated in place),
    migrated to the latest schema, analysed and checkpointed."""
    from windykacja.models.db import apply_migrations, open_database

    source = db_path(documents, contractors)
    if not source.exists():
        print(f"building {source} (once)…", file=sys.stderr)
        build(source, documents, contractors)
    path = base_path(documents, contractors)
    if not path.exists():
        partial = Path(f"{path}.part")
        shutil.copyfile(source, partial)
        partial.rename(path)
    db = open_database(str(path), migrate=False)
    applied = apply_migrations(db)
    conn = db.connection()
    if applied:
        conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def url_of(server: str, name: str) -> str:
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def pg_admin(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(statement)


def load_postgres(server: str, sqlite_file: Path) -> str:
    """A PostgreSQL database made by our migrations and filled from the SQLite file with
    COPY; returns its name (the template of every run)."""
    import psycopg

    from windykacja.models.db import open_database

    name = f"windykacja_load_{uuid.uuid4().hex[:8]}"
    pg_admin(server, f'CREATE DATABASE "{name}"')
    url = url_of(server, name)
    open_database(url).close()  # the schema, exactly as the program makes it
    source = sqlite3.connect(str(sqlite_file))
    with psycopg.connect(url) as target:
        for table in COPIED_TABLES:
            wanted = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
            present = {row[0] for row in target.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
                (table,))}
            columns = [c for c in wanted if c in present]
            listed = ", ".join(columns)
            target.execute(f"DELETE FROM {table}")
            with target.cursor().copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
                for row in source.execute(f"SELECT {listed} FROM {table}"):
                    copy.write_row(row)
            if "id" in columns:
                target.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                               f" (SELECT COALESCE(MAX(id), 1) FROM {table}))")
        target.commit()
    source.close()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    return name


class Databases:
    """A fresh copy of the base database for each run, removed afterwards."""

    def __init__(self, base: Path, pg_server: str | None, folder: Path) -> None:
        self.base, self.pg_server, self.folder = base, pg_server, folder
        self.template = load_postgres(pg_server, base) if pg_server else None
        self.made: list[str] = []

    def fresh(self, label: str) -> str:
        if self.template is None:
            path = self.folder / f"{label}.db"
            shutil.copyfile(self.base, path)
            return str(path)
        name = f"{self.template}_{label}"
        pg_admin(self.pg_server, f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.made.append(name)
        return url_of(self.pg_server, name)

    def drop_all(self) -> None:
        if self.template is None:
            return
        for name in [*self.made, self.template]:
            pg_admin(self.pg_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the sessions (each in a process of its own) ---------------------------------------


def _open(location: str):
    from windykacja.models.db import open_database

    return open_database(location, migrate=False)


class Stopped(Exception):
    """The driver asked the session to stop."""


class Recorder:
    """Times operations; an exception is recorded as an error and the session goes on."""

    def __init__(self, passing) -> None:
        self.passing = passing
        self.samples: list[tuple[str, float, bool]] = []  # (operation, seconds, during pass)
        self.errors: list[tuple[str, str]] = []
        self.refused: dict[str, int] = defaultdict(int)

    def run(self, operation: str, action, refusals: tuple[type, ...] = ()):
        during = self.passing.is_set()
        started = time.perf_counter()
        try:
            result = action()
        except refusals:
            self.refused[operation] += 1
            return None
        except Exception as exc:
            self.errors.append((operation, f"{type(exc).__name__}: {exc}"[:300]))
            return None
        self.samples.append((operation, time.perf_counter() - started, during))
        return result

    def report(self, kind: str) -> dict:
        return {"kind": kind, "samples": self.samples, "errors": self.errors,
                "refused": dict(self.refused)}


def reader_session(index, location, stop, passing, ready, results, think) -> None:
    from windykacja.ledger.settings import load_settings
    from windykacja.lists.paging import PAGE_SIZE
    from windykacja.lists.unpaid_list import UnpaidQuery, UnpaidWindow, totals

    _open(location)
    rng = random.Random(1000 + index)
    record = Recorder(passing)

    def window(query):
        return UnpaidWindow(query, load_settings()).load()

    def step(operation, action):
        if stop.is_set():
            raise Stopped
        result = record.run(operation, action)
        stop.wait(think)
        return result

    ready.put(index)
    try:
        while not stop.is_set():
            query = UnpaidQuery(PASS_DAY, sort=rng.choice(SORTS), descending=rng.random() < 0.5)
            opened = step("open the list", lambda q=query: window(q))
            step("totals line", lambda q=query: totals(q))
            if opened is not None:
                last = max(0, (opened.count - 1) // PAGE_SIZE)
                for number in range(1, min(5, last) + 1):
                    step("next page", lambda w=opened, n=number: w.page(n))
                step("jump to the end", lambda w=opened, n=last: w.page(n))
            searched = query.with_changes(search=rng.choice(SEARCHES))
            step("search", lambda q=searched: (window(q), totals(q)))
            other = rng.choice([s for s in SORTS if s != query.sort])
            step("sort", lambda q=query.with_changes(sort=other): window(q))
            step("overdue only", lambda q=query: window(q.with_changes(overdue_only=True)))
    except Stopped:
        pass
    results.put(record.report("reader"))


def writer_session(index, location, stop, passing, ready, results, think) -> None:
    from windykacja.ledger.actions import PaymentRefused, add_note, record_payment
    from windykacja.ledger.clock import FixedClock
    from windykacja.ledger.settings import load_settings
    from windykacja.ledger.versions import ChangedMeanwhile
    from windykacja.models import Document, database

    _open(location)
    rng = random.Random(2000 + index)
    clock = FixedClock(PASS_DAY, dt.time(10, 0))
    author = f"bench-writer-{index}"
    unpaid = [i for (i,) in database.execute_sql(
        "SELECT id FROM document WHERE outstanding >= 200 ORDER BY id")]
    record = Recorder(passing)
    ready.put(index)
    while not stop.is_set():
        document = record.run("open a document", lambda: Document.get_by_id(rng.choice(unpaid)))
        if document is not None:
            record.run("add a note", lambda d=document: add_note(
                clock, d, f"Telefon: klient obiecał zapłacić ({author})", author=author))
        stop.wait(think)
        document = record.run("open a document", lambda: Document.get_by_id(rng.choice(unpaid)))
        if document is not None:
            record.run("record a payment", lambda d=document: record_payment(
                clock, load_settings(), d, PASS_DAY, Decimal("1.00"), reference=author,
                author=author, expected_version=d.version),
                refusals=(ChangedMeanwhile, PaymentRefused))
        stop.wait(think)
    results.put(record.report("writer"))


def worker_process(location, maildir, passing, results) -> None:
    """One pass for Monday under the lease, as ``windykacja worker`` runs it."""
    from windykacja.dunning.lease import Lease
    from windykacja.dunning.passes import run_pass
    from windykacja.dunning.transports import make_transport
    from windykacja.ledger.clock import FixedClock
    from windykacja.ledger.settings import load_settings
    from windykacja.models import MessageState

    outcome = {"kind": "worker", "error": ""}
    lease = Lease()
    started, cpu = time.perf_counter(), time.process_time()
    try:
        _open(location)
        settings = load_settings()
        lease.acquire()
        transport = make_transport(settings, Path(maildir))
        passing.set()
        started, cpu = time.perf_counter(), time.process_time()
        result = run_pass(FixedClock(PASS_DAY), settings, PASS_DAY, transport, lease)
        outcome.update(messages=len(result.outcomes), sent=result.count(MessageState.SENT),
                       finished=len(result.finished))
    except Exception as exc:
        outcome["error"] = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        outcome["seconds"] = time.perf_counter() - started
        # The worker's own CPU time: what the wall time adds to it was spent waiting, for
        # a core (the sessions' share of the machine) or for the database.
        outcome["cpu_seconds"] = time.process_time() - cpu
        passing.clear()
        lease.release()
    results.put(outcome)


# --- the driver ----------------------------------------------------------------------


def quiet_run(location: str, folder: Path) -> dict:
    context = mp.get_context("spawn")
    passing, results = context.Event(), context.Queue()
    worker = context.Process(target=worker_process,
                             args=(location, str(folder / "quiet-outbox"), passing, results))
    worker.start()
    outcome = results.get(timeout=3600)
    worker.join()
    return outcome


def load_run(location: str, folder: Path, args) -> dict:
    context = mp.get_context("spawn")
    stop, passing = context.Event(), context.Event()
    ready, results = context.Queue(), context.Queue()
    sessions = [
        context.Process(target=reader_session, args=(i, location, stop, passing, ready, results,
                                                      args.reader_think_ms / 1000))
        for i in range(args.readers)
    ] + [
        context.Process(target=writer_session, args=(i, location, stop, passing, ready, results,
                                                      args.writer_think_ms / 1000))
        for i in range(args.writers)
    ]
    for session in sessions:
        session.start()
    for _ in sessions:
        ready.get(timeout=300)
    began = time.monotonic()
    time.sleep(args.warmup)
    worker = context.Process(target=worker_process,
                             args=(location, str(folder / "load-outbox"), passing, results))
    worker.start()
    reports = []
    while True:  # the worker's report comes first; the sessions report once stopped
        report = results.get(timeout=3600)
        reports.append(report)
        if report["kind"] == "worker":
            break
    worker.join()
    time.sleep(max(0.0, args.seconds - (time.monotonic() - began)))
    stop.set()
    elapsed = time.monotonic() - began
    while len(reports) < len(sessions) + 1:
        try:
            reports.append(results.get(timeout=120))
        except queue.Empty:
            break
    for session in sessions:
        session.join(timeout=60)
    return {"reports": reports, "seconds": elapsed}


# --- the report ----------------------------------------------------------------------


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    ms = seconds * 1000
    return f"{ms:,.1f}" if ms < 10 else f"{ms:,.0f}"


def _count(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def _p(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


ORDER = ("open the list", "totals line", "next page", "jump to the end", "search", "sort",
         "overdue only", "open a document", "add a note", "record a payment")


def print_tables(label: str, quiet: dict, load: dict, args) -> None:
    reports = load["reports"]
    worker = next(r for r in reports if r["kind"] == "worker")
    by_operation: dict[tuple[str, str], list[tuple[float, bool]]] = defaultdict(list)
    errors: dict[tuple[str, str], list[str]] = defaultdict(list)
    refused: dict[tuple[str, str], int] = defaultdict(int)
    for report in reports:
        if report["kind"] == "worker":
            continue
        for operation, seconds, during in report["samples"]:
            by_operation[(report["kind"], operation)].append((seconds, during))
        for operation, text in report["errors"]:
            errors[(report["kind"], operation)].append(text)
        for operation, count in report["refused"].items():
            refused[(report["kind"], operation)] += count
    keys = sorted(set(by_operation) | set(errors),
                  key=lambda k: (k[0] != "reader", ORDER.index(k[1]) if k[1] in ORDER else 99))
    print(f"\n### {label}\n")
    print(f"{args.readers} readers ({args.reader_think_ms} ms apart), {args.writers} writers "
          f"({args.writer_think_ms} ms apart), {load['seconds']:.0f} s; the worker started "
          f"after {args.warmup:g} s. Times in ms.\n")
    print("| session | operation | count | p50 | p95 | max | p95 during the pass | "
          "p95 outside it | refused | errors |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, operation in keys:
        samples = by_operation[(kind, operation)]
        values = [s for s, _ in samples]
        during = [s for s, d in samples if d]
        outside = [s for s, d in samples if not d]
        print(f"| {kind} | {operation} | {len(values):,} | {_ms(_p(values, 50))} | "
              f"{_ms(_p(values, 95))} | {_ms(max(values) if values else None)} | "
              f"{_ms(_p(during, 95))} | {_ms(_p(outside, 95))} | "
              f"{refused.get((kind, operation), 0)} | {len(errors.get((kind, operation), []))} |")
    print("\n| the pass for 2026-11-23 | time | the worker's CPU time | messages | sent | error |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for name, run in (("quiet (the worker alone)", quiet), ("under load", worker)):
        print(f"| {name} | {run['seconds']:.1f} s | {run['cpu_seconds']:.1f} s | "
              f"{_count(run.get('messages'))} | {_count(run.get('sent'))} | "
              f"{run['error'] or 'none'} |")
    listed = [(key, text) for key, texts in errors.items() for text in texts]
    if listed:
        print(f"\nErrors ({len(listed)}):")
        for (kind, operation), text in listed[:20]:
            print(f"- {kind} / {operation}: {text}")


def server_version(location: str) -> str:
    if "://" not in location:
        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg

    with psycopg.connect(location) as connection:
        return connection.execute("SHOW server_version").fetchone()[0].join(
            ("PostgreSQL ", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true",
                        help="5,000 documents, 2 readers, 1 writer, 2 s: seconds, the tables")
    parser.add_argument("--documents", type=int, help="default 100,000; smoke 5,000")
    parser.add_argument("--contractors", type=int, help="default 10,000; smoke 500")
    parser.add_argument("--pg", metavar="URL",
                        help="a PostgreSQL server (its maintenance database, e.g. "
                        "postgresql://postgres@127.0.0.1:5432/postgres): run there too")
    parser.add_argument("--skip-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument("--readers", type=int, help="default 8; smoke 2")
    parser.add_argument("--writers", type=int, help="default 2; smoke 1")
    parser.add_argument("--seconds", type=float,
                        help="the least time the sessions run (default 60; smoke 2)")
    parser.add_argument("--warmup", type=float,
                        help="seconds of load before the worker starts (default 5; smoke 0.5)")
    parser.add_argument("--reader-think-ms", type=int, default=100)
    parser.add_argument("--writer-think-ms", type=int, default=250)
    args = parser.parse_args()
    defaults = {"documents": (100_000, 5_000), "contractors": (10_000, 500),
                "readers": (8, 2), "writers": (2, 1), "seconds": (60.0, 2.0),
                "warmup": (5.0, 0.5)}
    for name, (full, smoke) in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, smoke if args.smoke else full)

    base = prepare_sqlite(args.documents, args.contractors)
    print(f"Machine: {machine_line()}; load average before: "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"Database: {args.documents:,} documents, {args.contractors:,} contractors "
          f"(bench_pass.py's generator), copied fresh for every run.")
    targets = [] if args.skip_sqlite else [None]
    if args.pg:
        targets.append(args.pg)
    failed: list[str] = []
    for server in targets:
        with tempfile.TemporaryDirectory(prefix="windykacja-load-") as tmp:
            folder = Path(tmp)
            databases = Databases(base, server, folder)
            try:
                quiet_location = databases.fresh("quiet")
                label = server_version(quiet_location)
                quiet = quiet_run(quiet_location, folder)
                load = load_run(databases.fresh("load"), folder, args)
            finally:
                databases.drop_all()
        print_tables(f"{label} ({platform.python_implementation()} "
                     f"{platform.python_version()})", quiet, load, args)
        worker = next(r for r in load["reports"] if r["kind"] == "worker")
        failed += [f"{label}, {name}: {run['error']}"
                   for name, run in (("quiet", quiet), ("under load", worker)) if run["error"]]
    print(f"\nLoad average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if failed:  # a pass that fails measures nothing: say so by the exit status too
        raise SystemExit("the pass failed: " + "; ".join(failed))


if __name__ == "__main__":
    main()
