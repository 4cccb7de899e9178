"""How fast the outbox sends over SMTP, against a bare smtplib loop.

A local aiosmtpd server on 127.0.0.1 (a free port; its handler only counts) receives
the same 2,000 rendered reminders and demands twice:

* ``send_pending`` with an ``SmtpTransport`` — the project's path: every message is
  marked "sending" before the transport is called and "sent" afterwards, each in its
  own transaction, with the documents' steps and events recorded (SPEC §5);
* a bare ``smtplib`` loop over one connection sending the same raw texts with the
  same envelopes.

The messages are planned (rendered and stored) once by ``plan_day``; the database is
copied aside then and restored before each measured run, so every run sends the same
2,000 planned messages. Prints a Markdown table; see benchmarks/README.md.
``--smoke``: 50 messages, one run (CI runs it so that the script cannot rot).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import shutil
import smtplib
import socket
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pass import machine_line  # noqa: E402

PASS_DAY = dt.date(2026, 11, 23)  # a Monday
SETTINGS = {
    "module.enabled": "yes",
    "company.name": "Przykładowa Firma sp. z o.o.",
    "company.nip": "1234563218",
    "company.address": "ul. Marszałkowska 84/92, 00-514 Warszawa",
    "company.bank_account": "PL61 1090 1014 0000 0712 1981 2874",
    "sender.name": "Anna Nowicka, dział należności",
    "sender.email": "windykacja@przykladowa-firma.pl",
}


class CountingHandler:
    """Accepts every message and only counts it (and its bytes)."""

    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages += 1
        self.bytes += len(envelope.content)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(path: Path, count: int) -> float:
    """A database with ``count`` planned messages, one per contractor; returns the
    seconds plan_day took to render and store them."""
    from windykacja.demo import random_nip
    from windykacja.dunning.passes import plan_day
    from windykacja.ledger.clock import FixedClock
    from windykacja.ledger.settings import save_settings
    from windykacja.models.db import open_database
    from windykacja.models.text import fold

    rng = random.Random(5)
    db = open_database(str(path))
    settings = save_settings(SETTINGS, "bench", dt.datetime(2026, 1, 2, 8))
    conn = db.connection()
    day = dt.timedelta(days=1)
    with db.atomic():
        conn.executemany(
            "INSERT INTO contractor (id, code, name, nip, address, emails, phone, language,"
            " subject_to_collection, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (i, f"K{i:05d}", f"Firma Próbna {i} sp. z o.o.", random_nip(rng),
                 f"ul. Długa {i}, 00-{i % 999 + 1:03d} Warszawa", f"biuro@firma-{i}.pl",
                 "", "pl" if i % 10 else "en", 1, "2026-01-02 08:00:00")
                for i in range(1, count + 1)
            ],
        )
        rows = []
        for i in range(1, count + 1):
            # half reminders (due tomorrow), half first demands (due ten days ago)
            due = PASS_DAY + day if i % 2 else PASS_DAY - 10 * day
            gross = rng.randint(5_000, 2_000_000)
            rows.append((
                i, f"FV/2026/{due.month:02d}/{i:05d}", i, (due - 14 * day).isoformat(),
                due.isoformat(), due.isoformat(), "PLN", gross, None, gross, 1, 0,
                f"{(due - 14 * day).isoformat()} 10:00:00",
                fold(f"Firma Próbna {i} sp. z o.o."),  # the list's sort key (migration 0002)
            ))
        conn.executemany(
            "INSERT INTO document (id, number, contractor_id, issue_date, due_date,"
            " legal_due_date, currency, gross, exchange_rate, outstanding,"
            " subject_to_collection, demands_sent, created_at, contractor_key)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
    started = time.perf_counter()
    planned = plan_day(FixedClock(PASS_DAY), settings, PASS_DAY)
    elapsed = time.perf_counter() - started
    assert len(planned) == count and all(m.state == "planned" for m in planned), "plan failed"
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return elapsed


def restore(master: Path, work: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(master, work)


def run_engine(
    work: Path, port: int, with_lease: bool, profile: bool = False
) -> tuple[float, int]:
    from windykacja.dunning.lease import Lease
    from windykacja.dunning.passes import send_pending
    from windykacja.dunning.transports import SmtpTransport
    from windykacja.ledger.clock import FixedClock
    from windykacja.ledger.settings import load_settings
    from windykacja.ledger.smtp_url import parse_smtp_url
    from windykacja.models.db import open_database

    db = open_database(str(work))
    settings = load_settings()
    clock = FixedClock(PASS_DAY)
    lease = None
    if with_lease:
        lease = Lease(clock=clock)
        lease.acquire()
    transport = SmtpTransport(parse_smtp_url(f"smtp://127.0.0.1:{port}"))
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    outcomes = send_pending(clock, settings, transport, lease)
    elapsed = time.perf_counter() - started
    if profiler:
        import pstats

        profiler.disable()
        print(f"profile of send_pending ({'with' if with_lease else 'without'} the lease):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    db.close()
    return elapsed, sum(1 for o in outcomes if o.state == "sent")


def outbox_memory(work: Path) -> float:
    """MiB held while ``send_pending`` walks the outbox: it reads a page of planned
    messages (with their rendered texts) at a time."""
    import tracemalloc

    from windykacja.dunning.outbox import pages_to_send
    from windykacja.models.db import open_database

    db = open_database(str(work))
    tracemalloc.start()
    pending = next(pages_to_send())
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert pending
    db.close()
    return held / 2**20


def run_bare(master: Path, port: int) -> tuple[float, int]:
    conn = sqlite3.connect(str(master))
    sender = "windykacja@przykladowa-firma.pl"
    messages = [
        (raw, recipients.split("\n"))
        for raw, recipients in conn.execute(
            "SELECT t.raw, m.recipients FROM message m JOIN message_text t"
            " ON t.message_id = m.id WHERE m.state = 'planned' ORDER BY m.id"
        )
    ]
    conn.close()
    started = time.perf_counter()
    sent = 0
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for raw, recipients in messages:
            smtp.sendmail(sender, recipients, raw)
            sent += 1
    return time.perf_counter() - started, sent


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # progress shows even when redirected
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true",
                        help="also profile one send_pending run (not timed)")
    parser.add_argument("--smoke", action="store_true",
                        help="50 messages, one run: that it still works (CI), not a figure")
    args = parser.parse_args()
    if args.smoke:
        args.messages, args.repeat = 50, 1

    print(f"machine: {machine_line()}")
    with tempfile.TemporaryDirectory(prefix="windykacja-send-") as folder:
        master, work = Path(folder) / "planned.db", Path(folder) / "work.db"
        plan_seconds = prepare(master, args.messages)
        sizes = sqlite3.connect(str(master)).execute(
            "SELECT AVG(LENGTH(raw)), MAX(LENGTH(raw)) FROM message_text"
        ).fetchone()
        print(f"planned {args.messages:,} messages with plan_day in {plan_seconds:.1f} s "
              f"(raw text: {sizes[0]:,.0f} bytes on average, {sizes[1]:,} at most)")

        restore(master, work)
        held = outbox_memory(work)
        print(f"the first page of the outbox holds {held:.1f} MiB of {args.messages:,} messages "
              f"({held * 1024 / args.messages:.1f} KiB each) while they are sent")

        handler = CountingHandler()
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port,
                                loop=asyncio.new_event_loop())
        controller.start()
        try:
            results: dict[str, list[float]] = {"bare": [], "engine": [], "engine+lease": []}
            for _ in range(args.repeat):
                received = handler.messages
                seconds, sent = run_bare(master, port)
                assert sent == args.messages == handler.messages - received
                results["bare"].append(seconds)
                for name, with_lease in (("engine", False), ("engine+lease", True)):
                    restore(master, work)
                    received = handler.messages
                    seconds, sent = run_engine(work, port, with_lease)
                    assert sent == args.messages == handler.messages - received, (sent, name)
                    results[name].append(seconds)
            if args.profile:
                restore(master, work)
                run_engine(work, port, True, profile=True)
        finally:
            controller.stop()

    bare = statistics.median(results["bare"])
    print()
    print(f"{args.messages:,} messages to aiosmtpd on 127.0.0.1 (same process), median of "
          f"{args.repeat} runs")
    print()
    print("| sender | time | messages/s | share of bare smtplib |")
    print("| --- | ---: | ---: | ---: |")
    labels = {
        "bare": "bare smtplib loop, one connection",
        "engine": "send_pending + SmtpTransport (no lease)",
        "engine+lease": "send_pending + SmtpTransport + lease renewal (as run_pass)",
    }
    for name, times in results.items():
        seconds = statistics.median(times)
        print(f"| {labels[name]} | {seconds:.2f} s | {args.messages / seconds:,.0f} | "
              f"{bare / seconds:.0%} |")
    share = bare / statistics.median(results["engine"])
    print()
    print(f"target (issue 17): send_pending at least 80% of the bare loop's rate: "
          f"{'met' if share >= 0.8 else 'NOT met'} ({share:.0%})")


if __name__ == "__main__":
    main()
