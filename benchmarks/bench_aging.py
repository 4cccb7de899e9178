"""How quickly the aging report comes up with 1,000,000 documents.

Uses a copy of ``bench_pass.py``'s database (1,000,000 documents, 200,000 of them
unpaid, 100,000 contractors; 97 % of the unpaid in PLN), cached beside it as
``aging-1000000.db`` and brought to the latest schema (migration 0008 adds the
report's covering index). Each measure runs in a fresh process:

* ``sql``: the report's statement (captured from ``lists.aging.aging_rows``) with its
  ``EXPLAIN QUERY PLAN`` and raw ``sqlite3`` timings, for PLN (85,000 contractors) and
  EUR (5,600); the same statement made to walk ``document_unpaid_totals`` instead (the
  plan before migration 0008); then ``aging_report()`` as the screen and the command
  call it, split into the query and rows, the sort and the totals, with RSS;
* ``screen``: ``WindykacjaApp`` in ``run_test()`` at 80×24: key ``8`` → the report on
  screen, ``s`` (re-sort 85,000 rows) and ``c`` (switch currency) → the new rows, with
  the longest event-loop stall meanwhile (a 5 ms ticker).

``--all-unpaid`` runs the same on a copy in which every document is unpaid (1,000,000
rows for the statement; cached beside the other, about a minute to make).

``--smoke`` builds its own small database with ``bench_pass.py``'s generator (5,000
documents, 500 contractors, cached beside the big one as ``pass-5000-500.db``; never the
1M one) and runs every measure once or twice: seconds, the same tables (CI runs it).

Usage: ``python benchmarks/bench_aging.py [--repeat 7] [--all-unpaid] [--smoke]``. Prints
Markdown tables.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pass import PASS_DAY, build, capture_sql, db_path, machine_line  # noqa: E402

TARGET_S = 0.300  # the report's query, per the issue
TICK = 0.005
GC_PAUSES: list[tuple[float, float, int]] = []  # (start, seconds, generation)
SIZE = (1_000_000, 100_000)  # documents, contractors
SMOKE_SIZE = (5_000, 500)


def _watch_gc() -> None:
    """Record every garbage collection: a full one over a big heap holds the GIL, and
    so stalls the event loop whichever thread triggered it."""
    import gc

    began = [0.0]

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            GC_PAUSES.append((began[0], time.perf_counter() - began[0], info["generation"]))

    gc.callbacks.append(callback)


def gc_pause(start: float, end: float) -> float:
    return max((took for at, took, _ in GC_PAUSES if start <= at <= end), default=0.0)


def sizes(smoke: bool) -> tuple[int, int]:
    return SMOKE_SIZE if smoke else SIZE


def aging_db(all_unpaid: bool, smoke: bool = False) -> Path:
    documents = sizes(smoke)[0]
    name = f"aging-all-unpaid-{documents}.db" if all_unpaid else f"aging-{documents}.db"
    return db_path(*sizes(smoke)).with_name(name)


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 0.1 else f"{seconds * 1000:,.0f} ms"


# --- phases (each in its own process) ------------------------------------------------


def phase_prepare(all_unpaid: bool, smoke: bool) -> dict:
    """Copy the pass database once (never migrating the shared cache in place, which
    other benchmarks read), migrate the copy, and ANALYZE what has no statistics. The
    smoke size builds its small pass database if it is missing."""
    from windykacja.models.db import apply_migrations, open_database, pending_migrations

    path = aging_db(all_unpaid, smoke)
    made = False
    if not path.exists():
        source = aging_db(False, smoke) if all_unpaid else db_path(*sizes(smoke))
        if smoke and not source.exists():
            build(source, *sizes(smoke))
        if not source.exists():
            raise SystemExit(f"{source} is missing: run bench_pass.py first (or without "
                             "--all-unpaid)")
        partial = Path(f"{path}.part")
        shutil.copyfile(source, partial)
        if all_unpaid:
            conn = sqlite3.connect(str(partial))
            conn.execute("UPDATE document SET outstanding = gross WHERE outstanding = 0")
            conn.commit()
            conn.close()
        partial.rename(path)
        made = True
    db = open_database(str(path), migrate=False)
    pending = pending_migrations(db)
    started = time.perf_counter()
    apply_migrations(db)
    migrate_s = time.perf_counter() - started
    conn = db.connection()
    analyzed = {row[0] for row in conn.execute(
        "SELECT idx FROM sqlite_stat1 WHERE tbl = 'document'")}
    indexes = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'document'")]
    if made or any(name not in analyzed for name in indexes):
        conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts = conn.execute(
        "SELECT COUNT(*), SUM(outstanding > 0), COUNT(DISTINCT contractor_id) FROM document"
    ).fetchone()
    per_currency = conn.execute(
        "SELECT currency, COUNT(*), COUNT(DISTINCT contractor_id) FROM document"
        " WHERE outstanding > 0 GROUP BY currency ORDER BY currency").fetchall()
    db.close()
    return {"path": str(path), "made": made, "pending": pending, "migrate_s": migrate_s,
            "documents": counts[0], "unpaid": counts[1], "contractors": counts[2],
            "per_currency": per_currency, "size_mb": path.stat().st_size / 2**20}


def _timed(action, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def phase_sql(args) -> dict:
    from windykacja.lists.aging import aging_report, aging_rows, sort_rows, sum_rows
    from windykacja.models.db import SQLITE_PRAGMAS, open_database

    path = aging_db(args.all_unpaid, args.smoke)
    open_database(str(path), migrate=False)
    conn = sqlite3.connect(str(path))
    for key, value in SQLITE_PRAGMAS.items():
        conn.execute(f"PRAGMA {key}={value}")
    out: dict = {"currencies": {}}
    for currency in ("PLN", "EUR"):
        statements = capture_sql(lambda c=currency: aging_rows(PASS_DAY, c))
        sql, params = statements[0]
        plan = [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
        raw_s, _ = _timed(lambda s=sql, p=params: conn.execute(s, p).fetchall(), args.repeat)
        rows = len(conn.execute(sql, params).fetchall())
        # The plan before migration 0008: through the totals index and the table.
        before = sql.replace("FROM document WHERE",
                             "FROM document INDEXED BY document_unpaid_totals WHERE")
        before_plan = [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + before, params)]
        before_s, _ = _timed(lambda s=before, p=params: conn.execute(s, p).fetchall(),
                             max(3, args.repeat // 2))
        found = aging_rows(PASS_DAY, currency)
        rows_s, _ = _timed(lambda c=currency: aging_rows(PASS_DAY, c), args.repeat)
        sort_s, _ = _timed(lambda f=found: sort_rows(f, "total"), args.repeat)
        name_s, _ = _timed(lambda f=found: sort_rows(f, "name"), args.repeat)
        sum_s, _ = _timed(lambda f=found: sum_rows(f), args.repeat)
        report_s, report_times = _timed(lambda c=currency: aging_report(PASS_DAY, c),
                                        args.repeat)
        out["currencies"][currency] = {
            "sql": re.sub(r"\s+", " ", sql), "plan": plan, "rows": rows,
            "raw_ms": raw_s * 1000, "before_plan": before_plan, "before_ms": before_s * 1000,
            "aging_rows_ms": rows_s * 1000, "sort_total_ms": sort_s * 1000,
            "sort_name_ms": name_s * 1000, "sum_ms": sum_s * 1000,
            "report_ms": report_s * 1000, "report_max_ms": max(report_times) * 1000,
        }
    out["rss_mb"] = _rss_mb()
    return out


class Ticker:
    """Records how late a 5 ms sleep wakes up: the event loop's stalls."""

    def __init__(self) -> None:
        self.ticks: list[tuple[float, float]] = []

    async def run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            self.ticks.append((now, now - last))
            last = now

    def stall(self, start: float, end: float) -> float:
        gaps = [gap for at, gap in self.ticks if start < at <= end + TICK * 3]
        return max(0.0, max(gaps, default=TICK) - TICK)


def phase_screen(args) -> dict:
    os.environ.setdefault("TERM", "xterm-256color")
    from windykacja.ledger.clock import FixedClock
    from windykacja.models.db import open_database
    from windykacja.session import Context
    from windykacja.tui.app import WindykacjaApp
    from windykacja.tui.screens import aging

    path = aging_db(args.all_unpaid, args.smoke)
    open_database(str(path), migrate=False)
    shown: list[float] = []
    original = aging.AgingScreen._show

    def _show(screen, report, keep, generation):
        original(screen, report, keep, generation)
        if screen.report is report:
            shown.append(time.perf_counter())

    aging.AgingScreen._show = _show
    _watch_gc()
    app = WindykacjaApp(Context(str(path), FixedClock(PASS_DAY), "en"), start_worker=False)

    async def until_shown(count: int) -> None:
        deadline = time.perf_counter() + 60
        while len(shown) < count:
            if time.perf_counter() > deadline:
                raise SystemExit("the report did not come up in 60 s")
            await asyncio.sleep(0.001)

    async def idle(pilot) -> None:
        while any(worker.is_running for worker in app.workers):
            await asyncio.sleep(0.01)
        await pilot.pause()

    async def run() -> dict:
        ticker = Ticker()
        async with app.run_test(size=(80, 24)) as pilot:
            await idle(pilot)  # the unpaid list (home) has loaded
            task = asyncio.get_running_loop().create_task(ticker.run())
            result: dict = {"open": [], "sort": [], "currency": []}
            for turn in range(args.screen_repeat):
                key = "8" if turn == 0 else "ctrl+r"  # a refresh re-reads the report
                began = time.perf_counter()
                await pilot.press(key)
                await until_shown(len(shown) + (0 if shown and shown[-1] > began else 1))
                result["open"].append({"s": shown[-1] - began,
                                       "stall": ticker.stall(began, shown[-1]),
                                       "gc": gc_pause(began, shown[-1])})
                await idle(pilot)
            screen = app.screen
            result["rows"] = screen.table.row_count
            for key, name in (("s", "sort"), ("c", "currency")):
                for _ in range(args.screen_repeat):
                    began = time.perf_counter()
                    await pilot.press(key)
                    await until_shown(len(shown) + (0 if shown[-1] > began else 1))
                    result[name].append({"s": shown[-1] - began,
                                         "stall": ticker.stall(began, shown[-1]),
                                         "gc": gc_pause(began, shown[-1]),
                                         "rows": screen.table.row_count})
                    await idle(pilot)
            task.cancel()
            result["rss_mb"] = _rss_mb()
            return result

    return asyncio.run(run())


# --- the driver ----------------------------------------------------------------------


def _run_phase(args, phase: str) -> dict:
    command = [sys.executable, __file__, "--phase", phase, "--repeat", str(args.repeat),
               "--screen-repeat", str(args.screen_repeat),
               *(["--all-unpaid"] if args.all_unpaid else []),
               *(["--smoke"] if args.smoke else [])]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"phase {phase} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _summary(runs: list[dict]) -> str:
    times = sorted(r["s"] for r in runs)
    return (f"{_ms(statistics.median(times))} ({_ms(times[0])}–{_ms(times[-1])}) | "
            f"{_ms(max(r['stall'] for r in runs))} | {_ms(max(r['gc'] for r in runs))}")


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, help="runs per statement (default 7; smoke 2)")
    parser.add_argument("--screen-repeat", type=int,
                        help="presses per key (default 5; smoke 1)")
    parser.add_argument("--all-unpaid", action="store_true",
                        help="worst case: a copy of the database with every document unpaid")
    parser.add_argument("--skip-screen", action="store_true")
    parser.add_argument("--smoke", action="store_true",
                        help="a small database of its own (5,000 documents): seconds")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.repeat is None:
        args.repeat = 2 if args.smoke else 7
    if args.screen_repeat is None:
        args.screen_repeat = 1 if args.smoke else 5

    if args.phase:
        phases = {"prepare": lambda: phase_prepare(args.all_unpaid, args.smoke),
                  "sql": lambda: phase_sql(args), "screen": lambda: phase_screen(args)}
        print(json.dumps(phases[args.phase](), default=str))
        return

    print(f"machine: {machine_line()}")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.all_unpaid and not aging_db(False, args.smoke).exists():
        _run_phase(argparse.Namespace(**{**vars(args), "all_unpaid": False}), "prepare")
    prepared = _run_phase(args, "prepare")
    print(f"database: {prepared['path']} ({'made now' if prepared['made'] else 'cached'}); "
          f"migrations applied: {prepared['pending'] or 'none'} "
          f"({prepared['migrate_s']:.1f} s); {prepared['documents']:,} documents, "
          f"{prepared['unpaid']:,} unpaid; unpaid by currency: "
          + ", ".join(f"{c} {n:,} documents of {k:,} contractors"
                      for c, n, k in prepared["per_currency"])
          + f"; {prepared['size_mb']:.0f} MiB")
    sql = _run_phase(args, "sql")
    print()
    print(f"The report's statement and `aging_report()` (median of {args.repeat}; a fresh "
          f"process; RSS at the end {sql['rss_mb']:.0f} MiB)")
    print()
    print("| currency | contractors | raw SQL | before migration 0008 | `aging_rows` "
          "(SQL + rows) | sort by total / name | totals | `aging_report()` | target |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for currency, c in sql["currencies"].items():
        met = "met" if c["report_ms"] / 1000 <= TARGET_S else "**NOT met**"
        print(f"| {currency} | {c['rows']:,} | {c['raw_ms']:,.0f} ms | {c['before_ms']:,.0f} ms"
              f" | {c['aging_rows_ms']:,.0f} ms | {c['sort_total_ms']:,.0f} / "
              f"{c['sort_name_ms']:,.0f} ms | {c['sum_ms']:,.1f} ms | {c['report_ms']:,.0f} ms "
              f"(max {c['report_max_ms']:,.0f}) | ≤ 300 ms: {met} |")
    print()
    for currency, c in sql["currencies"].items():
        print(f"{currency} plan: {'; '.join(c['plan'])} — before 0008: "
              f"{'; '.join(c['before_plan'])}")
    if args.skip_screen:
        return
    screen = _run_phase(args, "screen")
    print()
    print(f"The screen at 80×24 ({screen['rows']:,} contractors in PLN; key → rows shown; "
          f"median (min–max) of {args.screen_repeat}; RSS at the end "
          f"{screen['rss_mb']:.0f} MiB)")
    print()
    print("| operation | key → rows shown | longest event-loop stall | longest GC pause |")
    print("| --- | --- | --- | --- |")
    print(f"| `8` (first open), then Ctrl+R (re-read) | {_summary(screen['open'])} |")
    print(f"| `s` (re-sort in a worker) | {_summary(screen['sort'])} |")
    print(f"| `c` (the other currency, read anew) | {_summary(screen['currency'])} |")


if __name__ == "__main__":
    main()
