"""How long the daily pass takes to plan on a big ledger, against the bare SQL floor.

Builds (once, cached under /tmp) an SQLite database of 1,000,000 documents and
100,000 contractors in which about 2 % of the documents have a step due on the pass
day — reminders, first demands and next demands — and the rest are paid, not yet
due, between two demands, finished, excluded, below the demand minimum or without
an e-mail address. Then it measures, each in a fresh process so that memory figures
are not mixed up:

* ``candidates``: ``list(planner.step_candidates(settings, day, day))``;
* ``floor``: the very SQL statements the planner runs (captured from it), executed
  with a bare ``sqlite3`` cursor and ``fetchall``;
* ``plan_day``: the whole planning — candidates, the pure policy, rendering and
  storing one message per contractor and kind — after which the planned rows are
  deleted again so that the cached database can be reused;
* the same two with ``tracemalloc`` on, for the peak of Python allocations.

Usage: ``python benchmarks/bench_pass.py [--rebuild] [--documents N] [--contractors N]
[--smoke]`` (``--smoke``: 5,000 documents, one run, for CI)
(see benchmarks/README.md). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

PASS_DAY = dt.date(2026, 11, 23)  # a Monday, an allowed day
CACHE_DIR = Path(os.environ.get("WINDYKACJA_BENCH_DIR", "/tmp/windykacja-bench"))
TERMS = (7, 14, 21, 30)
DEMAND_MINIMUM = "20.00"
# Shares of the documents, in per mille. The first three are due on the pass day.
MIX = {
    "reminder_due": 8,  # due in [D, D+3], no reminder yet
    "first_demand_due": 7,  # legal due date at least 7 days before D, no demand yet
    "next_demand_due": 5,  # demand 1 or 2 sent at least 14 days before D
    "paid": 800,
    "not_yet_due": 80,
    "between_demands": 30,  # a demand went out less than 14 days ago
    "finished": 20,  # three demands sent, collection ended
    "excluded": 20,  # flag off, overdue and unpaid
    "no_email": 10,  # overdue, but the contractor has no address
    "reminded": 10,  # in the reminder window, reminder already sent
    "below_minimum": 10,  # overdue remainder of a few złoty, under the demand minimum
}
DUE = ("reminder_due", "first_demand_due", "next_demand_due")
SETTINGS = {
    "module.enabled": "yes",
    "demand.min_amount": DEMAND_MINIMUM,
    "company.name": "Przykładowa Firma sp. z o.o.",
    "company.nip": "1234563218",
    "company.address": "ul. Marszałkowska 84/92, 00-514 Warszawa",
    "company.bank_account": "PL61 1090 1014 0000 0712 1981 2874",
    "sender.name": "Przykładowa Firma sp. z o.o.",
    "sender.email": "windykacja@przykladowa-firma.pl",
}
# A stand-in for the stored RFC 5322 text of past messages: the planner never reads
# it, and real bodies (a few kB each) would make the cached file several GB.
PAST_RAW = "Subject: (past message, body not kept in the benchmark)\n\n"


def db_path(documents: int, contractors: int) -> Path:
    return CACHE_DIR / f"pass-{documents}-{contractors}.db"


# --- building ------------------------------------------------------------------------


def _legal(cache: dict, due: dt.date) -> dt.date:
    found = cache.get(due)
    if found is None:
        from windykacja.ledger.calendar import legal_due_date

        found = cache[due] = legal_due_date(due)
    return found


def _business_on_or_after(day: dt.date) -> dt.date:
    from windykacja.ledger.calendar import is_business_day

    while not is_business_day(day):
        day += dt.timedelta(days=1)
    return day


def _categories(documents: int, rng: random.Random) -> list[str]:
    total = sum(MIX.values())
    counts = {name: documents * share // total for name, share in MIX.items()}
    counts["paid"] += documents - sum(counts.values())
    names = [name for name, count in counts.items() for _ in range(count)]
    rng.shuffle(names)
    return names


def _document(rng: random.Random, category: str, legal_cache: dict) -> dict:
    """One document's columns (without id/number/contractor), and its history."""
    D = PASS_DAY
    day = dt.timedelta(days=1)
    term = rng.choice(TERMS)
    euro = rng.random() < 0.03
    gross = int(min(6_000_000, max(5_000, rng.lognormvariate(math.log(150_000), 1.1))))
    if euro:
        gross = max(5_000, gross // 4)
    doc = {
        "currency": "EUR" if euro else "PLN", "gross": gross,
        "exchange_rate": 4_273_100 if euro else None, "outstanding": gross,
        "subject": 1, "reminder_sent_on": None, "demands_sent": 0, "last_demand_on": None,
        "ended_on": None, "end_reason": None, "paid_on": None, "no_email": False,
    }
    if category == "reminder_due":
        due = D + rng.randint(0, 3) * day
    elif category == "reminded":
        due = D + rng.randint(0, 3) * day
        doc["reminder_sent_on"] = D - rng.randint(1, 3) * day
    elif category in ("first_demand_due", "excluded", "no_email", "below_minimum"):
        due = D - (7 + int(rng.expovariate(1 / 10))) * day
        while _legal(legal_cache, due) > D - 7 * day:
            due -= day
        doc["reminder_sent_on"] = _business_on_or_after(due - 3 * day)
        doc["subject"] = 0 if category == "excluded" else 1
        doc["no_email"] = category == "no_email"
        if category == "below_minimum":  # in PLN: a euro remainder converts upwards
            doc.update(currency="PLN", exchange_rate=None, outstanding=rng.randint(1, 1_999))
    elif category in ("next_demand_due", "between_demands", "finished"):
        sent = {"next_demand_due": rng.choice((1, 1, 2)), "between_demands": rng.choice((1, 2)),
                "finished": 3}[category]
        if category == "next_demand_due":
            last = D - (14 + int(rng.expovariate(1 / 4))) * day
        elif category == "between_demands":
            last = D - rng.randint(1, 13) * day
        else:
            last = D - (14 + rng.randint(0, 300)) * day
            doc["ended_on"], doc["end_reason"] = last + 14 * day, "max_demands"
        doc["demands_sent"], doc["last_demand_on"] = sent, last
        due = last - (7 + 14 * (sent - 1) + rng.randint(0, 3)) * day
        doc["reminder_sent_on"] = _business_on_or_after(due - 3 * day)
    elif category == "not_yet_due":
        issue = D - rng.randint(0, 25) * day
        term = rng.choice([t for t in TERMS if issue + t * day > D + 3 * day])
        due = issue + term * day
    else:  # paid, at some point in the last two years
        due = D - rng.randint(-20, 730) * day
        roll = rng.random()
        if roll < 0.6:  # before any message
            paid_on = due - rng.randint(0, 6) * day
        elif roll < 0.9:  # after the reminder
            doc["reminder_sent_on"] = _business_on_or_after(due - 3 * day)
            paid_on = due + rng.randint(0, 9) * day
        else:  # after one to three demands
            doc["reminder_sent_on"] = _business_on_or_after(due - 3 * day)
            sent = rng.randint(1, 3)
            doc["demands_sent"] = sent
            doc["last_demand_on"] = due + (7 + 14 * (sent - 1)) * day
            paid_on = doc["last_demand_on"] + rng.randint(1, 13) * day
        doc["paid_on"] = min(paid_on, D - day)
        doc["outstanding"] = 0
        if doc["reminder_sent_on"] is not None and doc["reminder_sent_on"] >= doc["paid_on"]:
            doc["reminder_sent_on"] = None
            doc["demands_sent"], doc["last_demand_on"] = 0, None
        if doc["reminder_sent_on"] is not None or doc["demands_sent"]:
            doc["ended_on"], doc["end_reason"] = doc["paid_on"], "paid"
    if category in ("reminder_due", "first_demand_due", "next_demand_due", "not_yet_due",
                    "between_demands", "finished", "excluded", "no_email") \
            and rng.random() < 0.15:
        doc["outstanding"] = gross - max(1, gross * rng.randint(10, 70) // 100)
        doc["paid_on"] = D - rng.randint(1, 30) * day
    doc["issue_date"] = due - term * day
    if category == "reminder_due":  # no reminder if issued inside the window
        doc["issue_date"] = min(doc["issue_date"], due - 3 * day)
    doc["due_date"] = due
    doc["legal_due_date"] = _legal(legal_cache, due)
    return doc


def build(path: Path, documents: int, contractors: int, seed: int = 7) -> dict:
    """Create the benchmark database from scratch; returns the load figures."""
    from windykacja.demo import random_nip
    from windykacja.ledger.settings import save_settings
    from windykacja.models.db import open_database
    from windykacja.models.text import fold

    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_database(str(path))
    created = "2024-11-01 08:00:00"
    save_settings(SETTINGS, "bench", dt.datetime(2024, 11, 1, 8))
    rng = random.Random(seed)

    no_email_ids, email_ids = [], []
    contractor_rows = []
    contractor_keys = [""]  # by contractor id: the folded name (migration 0002's key)
    for cid in range(1, contractors + 1):
        has_email = rng.random() >= 0.03
        (email_ids if has_email else no_email_ids).append(cid)
        name = f"Firma Testowa {cid} sp. z o.o."
        contractor_keys.append(fold(name))
        contractor_rows.append((
            cid, f"K{cid:06d}", name, random_nip(rng),
            f"ul. Długa {cid % 200 + 1}, 00-{cid % 999 + 1:03d} Warszawa",
            f"biuro@firma-{cid}.pl" if has_email else "", "+48 22 123 45 67",
            "en" if rng.random() < 0.1 else "pl", 1, created,
        ))
    if not no_email_ids:
        no_email_ids.append(email_ids[-1])

    legal_cache: dict = {}
    docs = []
    for category in _categories(documents, rng):
        doc = _document(rng, category, legal_cache)
        pool = no_email_ids if doc["no_email"] else email_ids
        doc["contractor_id"] = pool[rng.randrange(len(pool))]
        docs.append(doc)
    docs.sort(key=lambda d: d["issue_date"])  # ids grow with time, as in real life

    def iso(day):
        return None if day is None else day.isoformat()

    per_month: dict[str, int] = {}
    document_rows, payment_rows, message_rows, step_rows = [], [], [], []
    message_id = 0
    for doc_id, doc in enumerate(docs, start=1):
        month = doc["issue_date"].strftime("%Y/%m")
        per_month[month] = per_month.get(month, 0) + 1
        issue = doc["issue_date"].isoformat()
        document_rows.append((
            doc_id, f"FV/{month}/{per_month[month]:05d}", doc["contractor_id"], issue,
            doc["due_date"].isoformat(), doc["legal_due_date"].isoformat(), doc["currency"],
            doc["gross"], doc["exchange_rate"], doc["outstanding"], doc["subject"],
            iso(doc["reminder_sent_on"]), doc["demands_sent"], iso(doc["last_demand_on"]),
            iso(doc["ended_on"]), doc["end_reason"], f"{issue} 10:00:00",
            contractor_keys[doc["contractor_id"]],
        ))
        if doc["outstanding"] < doc["gross"]:
            paid_on = iso(doc["paid_on"] or PASS_DAY - dt.timedelta(days=1))
            payment_rows.append((doc_id, paid_on, doc["gross"] - doc["outstanding"],
                                 "transfer", "", "bench", f"{paid_on} 14:00:00"))
        steps = []
        if doc["reminder_sent_on"] is not None:
            steps.append(("reminder", 0, doc["reminder_sent_on"]))
        for k in range(1, doc["demands_sent"] + 1):
            on = doc["last_demand_on"] - dt.timedelta(days=14 * (doc["demands_sent"] - k))
            steps.append(("demand", k, on))
        for kind, number, on in steps:
            message_id += 1
            sent = f"{on.isoformat()} 08:00:05"
            message_rows.append((
                message_id, doc["contractor_id"], kind, "pl", "sent",
                f"biuro@firma-{doc['contractor_id']}.pl", kind, PAST_RAW,
                f"<{message_id}@przykladowa-firma.pl>", on.isoformat(), 1, "",
                f"{on.isoformat()} 08:00:00", sent,
            ))
            step_rows.append((doc_id, kind, number, message_id, on.isoformat(), None))
    generated = time.perf_counter()

    conn = db.connection()
    with db.atomic():
        conn.executemany(
            "INSERT INTO contractor (id, code, name, nip, address, emails, phone, language,"
            " subject_to_collection, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            contractor_rows,
        )
        conn.executemany(
            "INSERT INTO document (id, number, contractor_id, issue_date, due_date,"
            " legal_due_date, currency, gross, exchange_rate, outstanding,"
            " subject_to_collection, reminder_sent_on, demands_sent, last_demand_on,"
            " collection_ended_on, collection_end_reason, created_at, contractor_key)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            document_rows,
        )
        conn.executemany(
            "INSERT INTO payment (document_id, paid_on, amount, method, reference, author,"
            " created_at) VALUES (?,?,?,?,?,?,?)",
            payment_rows,
        )
        conn.executemany(
            "INSERT INTO message (id, contractor_id, kind, language, state, recipients,"
            " subject, message_id, pass_date, attempts, last_error, created_at, sent_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [row[:7] + row[8:] for row in message_rows],
        )
        # each message's text in its own table (migration 0020)
        conn.executemany("INSERT INTO message_text (message_id, raw) VALUES (?, ?)",
                         [(row[0], row[7]) for row in message_rows])
        conn.executemany(
            "INSERT INTO document_step (document_id, kind, number, message_id, planned_for,"
            " outstanding) VALUES (?,?,?,?,?,?)",
            step_rows,
        )
    loaded = time.perf_counter()
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    finished = time.perf_counter()
    return {
        "generate_s": generated - started,
        "insert_s": loaded - generated,
        "analyze_s": finished - loaded,
        "documents": len(document_rows),
        "contractors": len(contractor_rows),
        "payments": len(payment_rows),
        "messages": len(message_rows),
        "size_mb": path.stat().st_size / 2**20,
    }


# --- measuring (each phase runs in its own process) ----------------------------------


def _open(path: Path):
    from windykacja.ledger.settings import load_settings
    from windykacja.models.db import open_database

    db = open_database(str(path))
    return db, load_settings()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def phase_candidates_memory(path: Path) -> dict:
    """``step_candidates`` in a process of its own: ru_maxrss after a plain run, then
    the tracemalloc peak of a second, traced run."""
    from windykacja.dunning.planner import step_candidates

    _, settings = _open(path)
    base = _current_rss_mb()
    rows = len(list(step_candidates(settings, PASS_DAY, PASS_DAY)))
    maxrss = _rss_mb()  # before tracing: tracemalloc's own records would count too
    tracemalloc.start()
    list(step_candidates(settings, PASS_DAY, PASS_DAY))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"rows": rows, "peak_mb": peak / 2**20, "rss_before_mb": base, "maxrss_mb": maxrss}


def capture_sql(action) -> list[tuple[str, tuple]]:
    """Run ``action()`` and return the SQL it sent, exactly as it sent it."""
    from windykacja.models import database

    db = database.obj
    captured = []
    original = db.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        captured.append((sql, tuple(params or ())))
        return original(sql, params, *args, **kwargs)

    db.execute_sql = spy
    try:
        action()
    finally:
        del db.execute_sql
    return captured


def _captured_statements(settings) -> list[tuple[str, tuple]]:
    """The SQL the planner sends for the candidates."""
    from windykacja.dunning.planner import step_candidates

    return capture_sql(lambda: list(step_candidates(settings, PASS_DAY, PASS_DAY)))


def phase_selection(path: Path, repeat: int) -> dict:
    """The floor and ``step_candidates``, taken in turns in one process so that both
    see the same page cache and the same machine load."""
    from windykacja.dunning.passes import decide_day
    from windykacja.dunning.planner import step_candidates
    from windykacja.models.db import SQLITE_PRAGMAS

    _, settings = _open(path)
    statements = _captured_statements(settings)
    conn = sqlite3.connect(str(path))
    for key, value in SQLITE_PRAGMAS.items():
        conn.execute(f"PRAGMA {key}={value}")
    plans = []
    for sql, params in statements:
        plan = conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        plans.append([row[-1] for row in plan])
    floor_times, id_times, candidate_times, decide_times = [], [], [], []
    floor_rows = candidate_rows = 0
    for _ in range(repeat):
        started = time.perf_counter()
        floor_rows = sum(len(conn.execute(sql, params).fetchall()) for sql, params in statements)
        floor_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        for sql, params in statements:
            ids_only = "SELECT document.id" + sql[sql.index(" FROM "):]
            conn.execute(ids_only, params).fetchall()
        id_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        candidate_rows = len(list(step_candidates(settings, PASS_DAY, PASS_DAY)))
        candidate_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        decided_steps = decide_day(settings, PASS_DAY).step_count
        decide_times.append(time.perf_counter() - started)
    return {"floor_times": floor_times, "id_times": id_times, "floor_rows": floor_rows,
            "candidate_times": candidate_times, "candidate_rows": candidate_rows,
            "decide_times": decide_times, "decided_steps": decided_steps,
            "plans": plans, "statements": [sql for sql, _ in statements]}


def phase_plan(path: Path, trace: bool, profile: bool) -> dict:
    """The whole planning: deciding, then rendering and storing every message."""
    from peewee import fn

    from windykacja.dunning.passes import plan_day
    from windykacja.ledger.clock import FixedClock
    from windykacja.models import CollectionEvent, DocumentStep, Message

    db, settings = _open(path)
    before = {
        "message": Message.select(fn.MAX(Message.id)).scalar() or 0,
        "document_step": DocumentStep.select(fn.MAX(DocumentStep.id)).scalar() or 0,
        "collection_event": CollectionEvent.select(fn.MAX(CollectionEvent.id)).scalar() or 0,
    }
    base = _current_rss_mb()
    clock = FixedClock(PASS_DAY)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    try:
        messages = plan_day(clock, settings, PASS_DAY)
    finally:
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if trace else None
        tracemalloc.stop()
        maxrss = _rss_mb()
        steps = DocumentStep.select().where(DocumentStep.id > before["document_step"]).count()
        # Put the cached database back as it was, so the next run plans the same day.
        with db.atomic():
            for table in ("document_step", "collection_event", "message"):
                db.execute_sql(f"DELETE FROM {table} WHERE id > ?", (before[table],))
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    result = {
        "time": elapsed, "messages": len(messages), "steps": steps,
        "failed": sum(1 for m in messages if m.state == "failed"),
        "peak_mb": peak and peak / 2**20, "rss_before_mb": base, "maxrss_mb": maxrss,
    }
    if profiler:
        import io
        import pstats

        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        result["profile"] = out.getvalue()
    return result


# --- the driver ----------------------------------------------------------------------


def _run_phase(args, phase: str, *extra: str) -> dict:
    command = [sys.executable, __file__, "--phase", phase, "--documents", str(args.documents),
               "--contractors", str(args.contractors), "--repeat", str(args.repeat), *extra]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"phase {phase} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine_line() -> str:
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return (f"{os.cpu_count()} CPUs ({cpu}), {mem_kb / 2**20:.1f} GiB RAM, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"{dt.datetime.now():%Y-%m-%d %H:%M}")


def _mib(value) -> str:
    return "–" if value is None else f"{value:,.0f} MiB" if value >= 10 else f"{value:.1f} MiB"


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # progress shows even when redirected
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--contractors", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true", help="build the database anew")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the fast measures")
    parser.add_argument("--skip-plan", action="store_true", help="measure selection only")
    parser.add_argument("--profile", action="store_true", help="print plan_day's profile")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--smoke", action="store_true",
                        help="5,000 documents, one run: that it still works (CI), not a figure")
    args = parser.parse_args()
    if args.smoke:
        args.documents, args.contractors, args.repeat = 5_000, 500, 1
    path = db_path(args.documents, args.contractors)

    if args.phase:  # a child process: one measure, printed as JSON
        if args.phase == "build":
            result = build(path, args.documents, args.contractors)
        elif args.phase == "selection":
            result = phase_selection(path, args.repeat)
        elif args.phase == "candidates-memory":
            result = phase_candidates_memory(path)
        else:
            result = phase_plan(path, args.trace, args.profile)
        print(json.dumps(result, default=str))
        return

    started = time.perf_counter()
    print(f"machine: {machine_line()}")
    print(f"database: {path}")
    if args.rebuild or not path.exists():
        built = _run_phase(args, "build")
        print(
            f"built in {built['generate_s'] + built['insert_s'] + built['analyze_s']:.1f} s "
            f"(generate {built['generate_s']:.1f} s, insert {built['insert_s']:.1f} s, "
            f"ANALYZE {built['analyze_s']:.1f} s): {built['documents']:,} documents, "
            f"{built['contractors']:,} contractors, {built['payments']:,} payments, "
            f"{built['messages']:,} past messages, {built['size_mb']:.0f} MiB"
        )
    else:
        print("using the cached database (--rebuild to build it anew)")

    selection = _run_phase(args, "selection")
    candidates_mem = _run_phase(args, "candidates-memory")
    floor_s = statistics.median(selection["floor_times"])
    candidates_s = statistics.median(selection["candidate_times"])
    # name, seconds, rows, tracemalloc peak, RSS before, ru_maxrss
    rows = [
        ("floor: bare SQL, the planner's rows", floor_s, selection["floor_rows"], None, None,
         None),
        ("floor: bare SQL, ids only", statistics.median(selection["id_times"]),
         selection["floor_rows"], None, None, None),
        ("`step_candidates` (Candidate rows)", candidates_s, selection["candidate_rows"],
         candidates_mem["peak_mb"], candidates_mem["rss_before_mb"],
         candidates_mem["maxrss_mb"]),
        (f"`decide_day`: candidates + policy ({selection['decided_steps']:,} steps due)",
         statistics.median(selection["decide_times"]), selection["candidate_rows"], None,
         None, None),
    ]
    plan = plan_mem = None
    if not args.skip_plan:
        plan = _run_phase(args, "plan", *(["--profile"] if args.profile else []))
        plan_mem = _run_phase(args, "plan", "--trace")
        rows.append((f"`plan_day` ({plan['messages']:,} messages, {plan['steps']:,} steps)",
                     plan["time"], selection["candidate_rows"], plan_mem["peak_mb"],
                     plan["rss_before_mb"], plan["maxrss_mb"]))

    print()
    print(f"Pass day {PASS_DAY} ({args.documents:,} documents, {args.contractors:,} "
          f"contractors); median of {args.repeat} runs, in turns, for the floor and the "
          "selection; one run for "
          "plan_day (its tracemalloc peak from a second run with tracing on)")
    print()
    print("| measure | time | rows | × floor | tracemalloc peak | RSS before | ru_maxrss |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, seconds, count, peak, before, maxrss in rows:
        time_text = "–" if seconds is None else f"{seconds * 1000:,.0f} ms"
        ratio = "–" if seconds is None else f"{seconds / floor_s:,.2f}"
        print(f"| {name} | {time_text} | {count:,} | {ratio} | {_mib(peak)} | "
              f"{_mib(before)} | {_mib(maxrss)} |")
    print()
    selection_ratio = candidates_s / floor_s
    print(f"target: candidate selection within 3× the floor: "
          f"{'met' if selection_ratio <= 3 else 'NOT met'} ({selection_ratio:.2f}×)")
    decide_ratio = statistics.median(selection["decide_times"]) / floor_s
    print(f"target: planning (selection + policy) within 3× the floor: "
          f"{'met' if decide_ratio <= 3 else 'NOT met'} ({decide_ratio:.2f}×)")
    if plan is not None:
        plan_ratio = plan["time"] / floor_s
        per_message = plan["time"] / max(1, plan["messages"]) * 1000
        print(f"plan_day, deciding then rendering and storing {plan['messages']:,} messages: "
              f"{plan['time']:.1f} s ({plan_ratio:,.0f}× the floor; {per_message:.2f} ms "
              "per message)")
        memory = max(plan["maxrss_mb"], plan_mem["peak_mb"])
        print(f"target: planning under 300 MB: {'met' if memory < 300 else 'NOT met'} "
              f"(ru_maxrss {plan['maxrss_mb']:.0f} MiB of which {plan['rss_before_mb']:.0f} MiB "
              f"before planning; tracemalloc peak {plan_mem['peak_mb']:.0f} MiB)")
        if plan["failed"]:
            print(f"note: {plan['failed']} planned messages failed to render")
    print()
    print("query plans of the planner's statements:")
    for sql, plan_rows in zip(selection["statements"], selection["plans"], strict=True):
        print(f"  {sql[:110]}…")
        for line in plan_rows:
            print(f"      {line}")
    if plan and plan.get("profile"):
        print()
        print(plan["profile"])
    print(f"(benchmark wall time {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
