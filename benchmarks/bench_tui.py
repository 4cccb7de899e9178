"""How the unpaid list feels with 1,000,000 documents, measured inside ``run_test()``.

Uses the database of ``bench_pass.py`` (1,000,000 documents, 200,000 of them unpaid;
built once and cached under /tmp, see benchmarks/README.md), brought to the latest
schema first. Each scenario runs in a fresh process:

* ``startup-minimal``: a bare ``App`` with one ``Static``: process start and
  ``run_test`` start to its first frame (the floor of any Textual app here);
* ``startup-app``: ``WindykacjaApp`` on the big database: process start and
  ``run_test`` start to the first frame that shows document rows;
* ``ops``: cursor down, page down, end (page cache emptied first, so it reads),
  home, a sort change (``s``) and a reverse (``r``), each from the key to the last
  frame it caused; the bytes those frames would send to a terminal; the Pilot floor
  (an unbound key's press + pause) for comparison; RSS at the end;
* ``search``: typing search terms (rare, common, one or two characters, document
  number prefixes) into the search box: from the last keystroke to the frame with the
  new rows, with the 150 ms debounce reported apart, and the longest event-loop stall
  (a 5 ms ticker records its gaps);
* ``sql``: the list's statements alone (captured from ``UnpaidWindow``), their
  ``EXPLAIN QUERY PLAN`` and raw ``sqlite3`` timings.

Frames are recorded by a mixin overriding ``App._display``: headless mode skips turning
a frame into terminal bytes, the mixin does it (truecolor) and keeps the time and size.

Usage: ``python benchmarks/bench_tui.py [--repeat 20] [--size 100x30] [--profile]
[--all-unpaid]``. Prints Markdown tables. ``--smoke``: the same scenarios on a small
database of 20,000 documents it builds itself (seconds), few repetitions, no SQL
table: it checks that the benchmark still runs (CI), its figures mean nothing. The app
runs without its rate check unless ``--with-rate-check`` (``_measured``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pass import PASS_DAY, capture_sql, db_path, machine_line  # noqa: E402

# A search term, what it stands for.
SEARCH_TERMS = (
    ("testowa 4242 sp", "rare: one contractor"),
    ("testowa 1", "common: 1 contractor in 9"),
    ("7", "one character"),
    ("fi", "two characters (every row)"),
    ("fv/2026/11/001", "number prefix, narrow"),
    ("fv/2026/10", "number prefix, a month"),
)
TARGETS = {
    "first screen": 0.5,
    "cursor down": 0.016,
    "cursor bytes": 1000,
    "page down": 0.020,
    "search": 0.150,
    "stall": 0.050,
    "rss_mb": 200,
}
UNBOUND_KEY = "f20"
SMOKE_SIZE = (20_000, 2_000)  # documents, contractors
TICK = 0.005
GC_PAUSES: list[tuple[float, float]] = []  # (start, seconds) of each collection
GC_LONG: list[dict] = []  # the collections over 10 ms: generation, duration, objects


def _watch_gc() -> None:
    import gc

    began = [0.0]

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            took = time.perf_counter() - began[0]
            GC_PAUSES.append((began[0], took))
            if took > 0.010:
                GC_LONG.append({"generation": info["generation"], "ms": took * 1000,
                                "thread": threading.current_thread().name})

    gc.callbacks.append(callback)


# --- instrumentation (runs in the child processes) -----------------------------------


@dataclass
class Frame:
    at: float
    size: int
    rows: bool  # a document number is in the bytes sent


def recorder(base):
    """A subclass of the App class ``base`` that renders each frame to terminal bytes."""
    from rich.control import Control
    from textual._compositor import CompositorUpdate

    class Recording(base):
        frames: list[Frame]

        def _display(self, screen, renderable) -> None:
            if (renderable is not None and not self._batch_count and self._running
                    and not self._closed):
                console = self.console
                if isinstance(renderable, CompositorUpdate):
                    cursor = self.screen.outer_size.clamp_offset(self.cursor_position)
                    text = (renderable.render_segments(console)
                            + Control.move_to(*cursor).segment.text)
                else:
                    text = console._render_buffer(console.render(renderable))
                frames = self.__dict__.setdefault("frames", [])
                frames.append(Frame(time.perf_counter(), len(text.encode()), "FV/" in text))
            super()._display(screen, renderable)

    Recording.__name__ = f"Recording{base.__name__}"
    return Recording


class Ticker:
    """Records how late a 5 ms sleep wakes up: the event loop's stalls."""

    def __init__(self) -> None:
        self.ticks: list[tuple[float, float]] = []
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            self.ticks.append((now, now - last))
            last = now

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        if self._task:
            self._task.cancel()

    def gc_pause(self, start: float, end: float) -> float:
        """The longest garbage collection that ran within [start, end]."""
        return max((took for at, took in GC_PAUSES if start <= at <= end), default=0.0)

    def stall(self, start: float, end: float) -> float:
        """The longest gap beyond the tick period that ended within [start, end]."""
        gaps = [gap for at, gap in self.ticks if start < at <= end + TICK * 3]
        return max(0.0, max(gaps, default=TICK) - TICK)


def _libsqlite():
    import ctypes
    import ctypes.util

    try:  # the library the sqlite3 module is linked against (already loaded)
        lib = ctypes.CDLL(ctypes.util.find_library("sqlite3") or "libsqlite3.so.0")
        lib.sqlite3_memory_used.restype = ctypes.c_int64
        lib.sqlite3_memory_highwater.restype = ctypes.c_int64
        return lib
    except (OSError, AttributeError):
        return None


def _status() -> dict:
    found = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmRSS", "VmHWM")):
                key, value = line.split(":")
                found[key] = int(value.split()[0]) / 1024
    return found


def memory(trim: bool = False) -> dict:
    """RSS and its peak (VmHWM), and SQLite's own heap (page caches) now and at peak;
    with ``trim``, also RSS after glibc's ``malloc_trim(0)`` gave freed memory back."""
    found = _status()
    lib = _libsqlite()
    import gc

    result = {"rss_mb": found["VmRSS"], "hwm_mb": found["VmHWM"],
              "gc_objects": len(gc.get_objects()), "gc_long": GC_LONG,
              "sqlite_mb": lib.sqlite3_memory_used() / 2**20 if lib else None,
              "sqlite_peak_mb": lib.sqlite3_memory_highwater(0) / 2**20 if lib else None}
    if trim:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
        result["trimmed_mb"] = _status()["VmRSS"]
    return result


def _terminal_env() -> None:
    # What a modern terminal over SSH announces; Textual reads it at import.
    os.environ.setdefault("TERM", "xterm-256color")
    os.environ["COLORTERM"] = "truecolor"


def _measured(app_class, args):
    """The app as measured: without its rate check unless ``--with-rate-check``. The
    check forecasts the coming demands (``dunning.forecast.coming_gaps``) in a thread; at
    a million documents it ran for minutes and took the process to 326 MiB (2026-12-07),
    so every phase, which waits for the app's workers, waited for it, and the list's own
    figures drowned in it."""
    if args.with_rate_check:
        return app_class

    class WithoutRateCheck(app_class):
        def check_rates(self) -> None:
            pass

    WithoutRateCheck.__name__ = app_class.__name__
    return WithoutRateCheck


def _open(path: Path):
    from windykacja.ledger.clock import FixedClock
    from windykacja.models.db import open_database
    from windykacja.session import Context

    open_database(str(path))
    return Context(str(path), FixedClock(PASS_DAY), "en")


def _size(text: str) -> tuple[int, int]:
    width, height = text.lower().split("x")
    return int(width), int(height)


def _summary(values: list[float]) -> dict:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": statistics.median(ordered), "p95": p95, "max": ordered[-1],
            "n": len(ordered)}


# --- phases --------------------------------------------------------------------------


def phase_startup_minimal(args, spawned_at: float) -> dict:
    imported_at = time.time()
    _terminal_env()
    from textual.app import App
    from textual.widgets import Static

    class Minimal(App):
        def compose(self):
            yield Static("Hello, world")

    app = recorder(Minimal)()
    imports = time.time() - imported_at

    async def run() -> dict:
        started = time.perf_counter()
        async with app.run_test(size=_size(args.size)) as pilot:
            while not getattr(app, "frames", None):
                await asyncio.sleep(0.001)
            first = app.frames[0].at
            wall = time.time() - (time.perf_counter() - first)
            await pilot.pause()
            return {"run_test_to_frame": first - started, "process_to_frame": wall - spawned_at,
                    "imports": imports, "color_system": app.console.color_system,
                    **memory()}

    return asyncio.run(run())


def phase_startup_app(args, path: Path, spawned_at: float) -> dict:
    began = time.time()
    _terminal_env()
    from windykacja.tui.app import WindykacjaApp

    imports = time.time() - began
    opened_at = time.perf_counter()
    ctx = _open(path)
    open_s = time.perf_counter() - opened_at
    app = recorder(_measured(WindykacjaApp, args))(ctx, start_worker=False)

    async def run() -> dict:
        started = time.perf_counter()
        async with app.run_test(size=_size(args.size)) as pilot:
            deadline = time.perf_counter() + 30
            while not any(f.rows for f in getattr(app, "frames", [])):
                if time.perf_counter() > deadline:
                    raise SystemExit("no rows on screen after 30 s")
                await asyncio.sleep(0.001)
            first = app.frames[0].at
            rows = next(f.at for f in app.frames if f.rows)
            wall = time.time() - (time.perf_counter() - rows)
            count = app.screen.query_one("#documents").row_count
            await pilot.pause()
            return {"run_test_to_frame": first - started, "run_test_to_rows": rows - started,
                    "process_to_rows": wall - spawned_at, "imports": imports, "open_db": open_s,
                    "rows": count, "screen": type(app.screen).__name__,
                    "frames_before_rows": sum(1 for f in app.frames if f.at < rows),
                    **memory()}

    return asyncio.run(run())


class Hooks:
    """Times at which the unpaid screen applied a search and showed new rows/totals."""

    def __init__(self) -> None:
        from windykacja.lists.unpaid_list import UnpaidWindow
        from windykacja.tui.screens.unpaid import UnpaidScreen

        self.loads: list[tuple[float, float, str]] = []  # the worker's load(): start, end
        self.applied: list[float] = []
        self.shown: list[tuple[float, str, int]] = []
        self.counted: list[tuple[float, int]] = []  # a count that came after the rows
        self.totals: list[float] = []
        hooks = self
        apply_search, show, show_totals = (
            UnpaidScreen._apply_search, UnpaidScreen._show, UnpaidScreen._show_totals)
        # Absent before the rows could come first (to measure an older commit the same way).
        show_count = getattr(UnpaidScreen, "_show_count", None)

        def _apply_search(screen):
            hooks.applied.append(time.perf_counter())
            return apply_search(screen)

        def _show(screen, window, cursor):
            result = show(screen, window, cursor)
            if screen.window is window:
                hooks.shown.append((time.perf_counter(), window.query.search, window.count))
            return result

        def _show_count(screen, window, count):
            out = show_count(screen, window, count)
            if screen.window is window:
                hooks.counted.append((time.perf_counter(), count))
            return out

        def _show_totals(screen, result, query=None):
            out = show_totals(screen, result, query)
            if result is not None:
                hooks.totals.append(time.perf_counter())
            return out

        load = UnpaidWindow.load

        def _load(window, **options):
            began = time.perf_counter()
            try:
                return load(window, **options)
            finally:
                hooks.loads.append((began, time.perf_counter(), window.query.search))

        UnpaidWindow.load = _load
        UnpaidScreen._apply_search = _apply_search
        UnpaidScreen._show = _show
        UnpaidScreen._show_totals = _show_totals
        if show_count is not None:
            UnpaidScreen._show_count = _show_count


async def _started(app, pilot) -> None:
    deadline = time.perf_counter() + 30
    while not any(f.rows for f in getattr(app, "frames", [])):
        if time.perf_counter() > deadline:
            raise SystemExit("no rows on screen after 30 s")
        await asyncio.sleep(0.005)
    await pilot.pause()
    while any(not w.is_finished for w in app.workers):
        await pilot.pause(0.01)
    await pilot.pause()


async def _key(app, pilot, key: str) -> dict:
    """Press a key and wait for idle; the time to its last frame and the bytes sent."""
    seen = len(app.frames)
    started = time.perf_counter()
    await pilot.press(key)
    await pilot.pause()
    waited = time.perf_counter() - started
    frames = app.frames[seen:]
    return {"to_last_frame": (frames[-1].at - started) if frames else 0.0,
            "bytes": sum(f.size for f in frames), "frames": len(frames), "wall": waited,
            "started": started}


async def _until_shown(app, pilot, hooks: Hooks, seen_shown: int, timeout: float = 30) -> None:
    screen = app.screen
    deadline = time.perf_counter() + timeout
    while True:
        if len(hooks.shown) > seen_shown and screen.window is not None \
                and screen.window.query == screen.query_state:
            shown_at = hooks.shown[-1][0]
            if app.frames and app.frames[-1].at > shown_at:
                break
        if time.perf_counter() > deadline:
            raise SystemExit("the list did not reload within 30 s")
        await asyncio.sleep(0.002)


def _frame_after(app, at: float) -> float:
    return next(f.at for f in app.frames if f.at > at)


def _freeze(args) -> None:
    """The ``--gc-freeze`` experiment: what the app would gain from ``gc.freeze()``
    once started (the objects alive then are no longer scanned by collections)."""
    if args.gc_freeze:
        import gc

        gc.collect()
        gc.freeze()


def phase_ops(args, path: Path) -> dict:
    _terminal_env()
    from windykacja.tui.app import WindykacjaApp

    ctx = _open(path)
    hooks = Hooks()
    app = recorder(_measured(WindykacjaApp, args))(ctx, start_worker=False)
    _watch_gc()
    repeat = args.repeat
    result: dict = {}

    async def run() -> None:
        started = time.perf_counter()
        async with app.run_test(size=_size(args.size)) as pilot:
            await _started(app, pilot)
            _freeze(args)
            result["run_test_to_rows"] = next(f.at for f in app.frames if f.rows) - started
            table = app.screen.table
            result["rows"] = table.row_count
            for key in (UNBOUND_KEY, "down", "up"):  # warm-up
                await _key(app, pilot, key)
            result["floor"] = [await _key(app, pilot, UNBOUND_KEY) for _ in range(repeat)]
            result["down"] = [await _key(app, pilot, "down") for _ in range(repeat)]
            result["up"] = [await _key(app, pilot, "up") for _ in range(repeat)]
            result["pagedown"] = [await _key(app, pilot, "pagedown") for _ in range(repeat)]
            result["pageup"] = [await _key(app, pilot, "pageup") for _ in range(repeat)]
            ends, homes, statements = [], [], []
            for _ in range(max(5, repeat // 2)):
                window = app.screen.window
                window._pages.clear()  # the end must be read, not served from the cache
                before = window.statements
                ends.append(await _key(app, pilot, "end"))
                statements.append(window.statements - before)
                window._pages.clear()
                homes.append(await _key(app, pilot, "home"))
            result["end"], result["home"], result["end_statements"] = ends, homes, statements
            result["cursor_row_after_end"] = table.row_count - 1
            ticker = Ticker()
            ticker.start()
            sorts = []
            for key in ["s"] * repeat + ["r"] * 4 + ["o"] * 4:
                seen = len(hooks.shown)
                seen_frames = len(app.frames)
                began = time.perf_counter()
                await pilot.press(key)
                await _until_shown(app, pilot, hooks, seen)
                shown_at = hooks.shown[-1][0]
                rows_at = _frame_after(app, shown_at)
                await pilot.pause()
                while any(not w.is_finished for w in app.workers):
                    await pilot.pause(0.01)
                await pilot.pause()
                frames = app.frames[seen_frames:]
                totals_at = hooks.totals[-1] if hooks.totals else None
                sorts.append({
                    "key": key, "sort": app.screen.query_state.sort,
                    "overdue": app.screen.query_state.overdue_only,
                    "descending": app.screen.query_state.descending,
                    "to_rows": rows_at - began, "to_last_frame": frames[-1].at - began,
                    "to_totals": (totals_at - began) if totals_at and totals_at > began
                    else None, "stall": ticker.stall(began, frames[-1].at),
                    "gc": ticker.gc_pause(began, frames[-1].at),
                    "bytes": sum(f.size for f in frames),
                })
            ticker.stop()
            result["sorts"] = sorts
            result.update(memory(trim=True))

    asyncio.run(run())
    return result


def phase_search(args, path: Path) -> dict:
    _terminal_env()
    from textual.widgets import Input

    from windykacja.tui.app import WindykacjaApp
    from windykacja.tui.screens.unpaid import SEARCH_DEBOUNCE_SECONDS

    ctx = _open(path)
    hooks = Hooks()
    app = recorder(_measured(WindykacjaApp, args))(ctx, start_worker=False)
    _watch_gc()
    reps = args.search_repeat
    runs: list[dict] = []
    result: dict = {"debounce": SEARCH_DEBOUNCE_SECONDS, "runs": runs}

    async def run() -> None:
        async with app.run_test(size=_size(args.size)) as pilot:
            await _started(app, pilot)
            _freeze(args)
            screen = app.screen
            box = screen.query_one("#search", Input)
            await pilot.press("slash")
            await pilot.pause()
            result["focused"] = type(app.focused).__name__
            ticker = Ticker()
            ticker.start()
            for term, _ in SEARCH_TERMS:
                for _ in range(reps):
                    if box.value:  # back to the whole list
                        seen = len(hooks.shown)
                        box.value = ""
                        await _until_shown(app, pilot, hooks, seen)
                        while any(not w.is_finished for w in app.workers):
                            await pilot.pause(0.01)
                        await pilot.pause()
                    await pilot.press(*term[:-1])
                    seen, applied = len(hooks.shown), len(hooks.applied)
                    counts = len(hooks.counted)
                    began = time.perf_counter()
                    await pilot.press(term[-1])
                    await _until_shown(app, pilot, hooks, seen)
                    if box.value != term or screen.query_state.search != term:
                        raise SystemExit(f"typed {term!r}, the box holds {box.value!r}")
                    shown_at, _, count = hooks.shown[-1]
                    rows_at = _frame_after(app, shown_at)
                    applied_at = hooks.applied[-1]
                    load_start, load_end, _ = next(
                        item for item in reversed(hooks.loads) if item[2] == term)
                    while any(not w.is_finished for w in app.workers):
                        await pilot.pause(0.01)
                    await pilot.pause()
                    # The rows may show before the count (a dense term): its line later.
                    counted_at = None
                    if len(hooks.counted) > counts:
                        counted_at, count = hooks.counted[-1]
                        counted_at = _frame_after(app, counted_at)
                    runs.append({
                        "term": term, "count": count,
                        "count_after_rows": (counted_at - rows_at) if counted_at else 0.0,
                        "key_to_rows": rows_at - began,
                        "debounce": applied_at - began,
                        "applied_to_rows": rows_at - applied_at,
                        "applies": len(hooks.applied) - applied,
                        "to_worker": load_start - applied_at,
                        "load": load_end - load_start,
                        "to_show": shown_at - load_end,
                        "show_to_frame": rows_at - shown_at,
                        "stall": ticker.stall(began, rows_at),
                        "stall_with_totals": ticker.stall(began, time.perf_counter()),
                        "gc": ticker.gc_pause(began, time.perf_counter()),
                        "totals_after_rows": (hooks.totals[-1] - rows_at)
                        if hooks.totals and hooks.totals[-1] > rows_at else None,
                    })
            ticker.stop()
            result.update(memory(trim=True))

    asyncio.run(run())
    return result


def phase_sql(args, path: Path) -> dict:
    from windykacja.ledger.settings import load_settings
    from windykacja.lists.unpaid_list import (
        PAGE_SIZE,
        SORT_COLUMNS,
        UnpaidQuery,
        UnpaidWindow,
        count_unpaid,
        totals,
    )
    from windykacja.models.db import SQLITE_PRAGMAS

    _open(path)
    settings = load_settings()
    base = UnpaidQuery(PASS_DAY)
    cases: list[tuple[str, object]] = []

    def window(query):
        return UnpaidWindow(query, settings).load()

    whole = window(base)
    last = (whole.count - 1) // PAGE_SIZE
    cases.append(("count, all unpaid", lambda: count_unpaid(base)))
    cases.append(("totals per currency", lambda: totals(base)))
    overdue = base.with_changes(overdue_only=True)
    cases.append(("count, overdue only", lambda: count_unpaid(overdue)))
    cases.append(("totals, overdue only", lambda: totals(overdue)))
    for sort in ("due", "late", "number", "outstanding"):
        cases.append((f"load, overdue only, by {sort}",
                      lambda q=overdue.with_changes(sort=sort): window(q)))
    for sort in SORT_COLUMNS:
        for descending in (False, True):
            query = base.with_changes(sort=sort, descending=descending)
            name = f"{sort}{' desc' if descending else ''}"

            def first(query=query):
                w = UnpaidWindow(query, settings)
                w.count = whole.count
                w.page(0)
                return w

            cases.append((f"page 0, {name}", first))
            held = first()
            cases.append((f"next page (keyset), {name}", lambda held=held: (
                held._pages.pop(1, None), held.page(1))))
            cases.append((f"last page, {name}", lambda held=held: (
                held._pages.pop(last, None), held.page(last))))
    middle = UnpaidWindow(base, settings)
    middle.count = whole.count
    cases.append(("middle page (OFFSET 100,000)", lambda: (
        middle._pages.clear(), middle.page(1000))))
    for term, _ in SEARCH_TERMS:
        query = base.with_changes(search=term)
        cases.append((f"search {term!r}: count", lambda q=query: count_unpaid(q)))
        cases.append((f"search {term!r}: load (count + rows)", lambda q=query: window(q)))

    conn = sqlite3.connect(str(path))
    for key, value in SQLITE_PRAGMAS.items():
        conn.execute(f"PRAGMA {key}={value}")
    out = []
    for name, action in cases:
        statements = capture_sql(action)
        python_times = []
        for _ in range(args.sql_repeat):
            started = time.perf_counter()
            action()
            python_times.append(time.perf_counter() - started)
        entry = {"name": name, "python_ms": statistics.median(python_times) * 1000,
                 "statements": []}
        for sql, params in statements:
            if "document_step" in sql:  # the pending messages of a page (by id)
                continue
            plan = [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
            sql_times = []
            for _ in range(args.sql_repeat):
                started = time.perf_counter()
                conn.execute(sql, params).fetchall()
                sql_times.append(time.perf_counter() - started)
            entry["statements"].append({
                "sql": re.sub(r"SELECT .*? FROM", "SELECT … FROM", sql, count=1),
                "plan": plan, "sql_ms": statistics.median(sql_times) * 1000,
            })
        out.append(entry)
    profile = None
    if args.profile:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for term, _ in SEARCH_TERMS:
            window(base.with_changes(search=term))
        profiler.disable()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(20)
        profile = stream.getvalue()
    return {"cases": out, "profile": profile}


def _all_unpaid(base: Path, path: Path) -> None:
    """The worst case: a copy of the database in which every document is unpaid."""
    import shutil

    phase_prepare(base)  # checkpointed, at the latest schema
    partial = Path(f"{path}.part")
    shutil.copyfile(base, partial)
    conn = sqlite3.connect(str(partial))
    conn.execute("UPDATE document SET outstanding = gross WHERE outstanding = 0")
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    partial.rename(path)


def phase_prepare(path: Path, base: Path | None = None) -> dict:
    """Bring the cached database to the latest schema, and fill contractor keys an
    older builder left empty (the migration fills them only for existing rows)."""
    if base is not None and not path.exists():
        _all_unpaid(base, path)
    from windykacja.models.db import apply_migrations, open_database, pending_migrations
    from windykacja.models.text import fold

    started = time.perf_counter()
    db = open_database(str(path), migrate=False)
    pending = pending_migrations(db)
    apply_migrations(db)
    migrated_s = time.perf_counter() - started
    conn = db.connection()
    empty = conn.execute("SELECT COUNT(*) FROM document WHERE contractor_key = ''").fetchone()[0]
    if empty:
        with db.atomic():
            conn.execute("CREATE TEMP TABLE bench_key (id INTEGER PRIMARY KEY, key TEXT)")
            conn.executemany("INSERT INTO bench_key VALUES (?, ?)", [
                (cid, fold(name)) for cid, name in conn.execute("SELECT id, name FROM contractor")
            ])
            conn.execute("UPDATE document SET contractor_key = (SELECT key FROM bench_key"
                         " WHERE bench_key.id = document.contractor_id)"
                         " WHERE contractor_key = ''")
    analyzed = {row[0] for row in conn.execute(
        "SELECT idx FROM sqlite_stat1 WHERE tbl = 'document'")}
    indexes = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'document'"
        " AND name LIKE 'document_unpaid_%'")]
    missing_stats = [name for name in indexes if name not in analyzed]
    if missing_stats:
        conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts = conn.execute("SELECT COUNT(*), SUM(outstanding > 0) FROM document").fetchone()
    db.close()
    return {"pending": pending, "migrate_s": migrated_s, "filled_keys": empty,
            "analyzed": missing_stats, "indexes": indexes, "documents": counts[0],
            "unpaid": counts[1], "size_mb": path.stat().st_size / 2**20}


# --- the driver ----------------------------------------------------------------------


def _run_phase(args, phase: str) -> dict:
    command = [sys.executable, __file__, "--phase", phase, "--spawned-at", "0",
               "--repeat", str(args.repeat), "--search-repeat", str(args.search_repeat),
               "--sql-repeat", str(args.sql_repeat), "--size", args.size,
               *(["--profile"] if args.profile else []),
               *(["--gc-freeze"] if args.gc_freeze else []),
               *(["--with-rate-check"] if args.with_rate_check else []),
               "--documents", str(args.documents), "--contractors", str(args.contractors),
               *(["--all-unpaid"] if args.all_unpaid else [])]
    spawned = time.time()
    command[command.index("--spawned-at") + 1] = repr(spawned)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"phase {phase} failed")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    RAW.setdefault(phase, []).append(result)
    return result


RAW: dict[str, list] = {}


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:,.1f} ms" if seconds < 0.1 else f"{seconds * 1000:,.0f} ms"


def _verdict(value: float, limit: float) -> str:
    return "met" if value < limit else "**NOT met**"


def _plan_note(sql: str, plan: list[str]) -> str:
    text = " / ".join(plan)
    uses = [name for name in re.findall(r"INDEX (\w+)", text)]
    if "document_unpaid_" in text:
        note = "partial index"
    elif uses:
        note = "other index"
    else:
        note = "**no index**"
    if "TEMP B-TREE" in text:
        note += ", sorts"
    return note


def _print_sql(sql: dict, repeat: int) -> None:
    print()
    print(f"The list's statements alone (median of {repeat}; `call` = the UnpaidWindow "
          "call with its Python work, `sql` = the bare statement, sqlite3 + fetchall):")
    print()
    pages = [c for c in sql["cases"] if c["name"].startswith(("page 0", "next page", "last page"))]
    plain = [st for c in pages for st in c["statements"]
             if _plan_note(st["sql"], st["plan"]) == "partial index"]
    if pages:
        times = [st["sql_ms"] for st in plain]
        print(f"* {len(plain)} page statements ({len(pages) // 6} sort keys × "
              "ascending/descending × first, "
              f"keyset next and last page) walk their partial index without sorting: "
              f"{min(times):.2f}–{max(times):.2f} ms each, "
              f"{min(c['python_ms'] for c in pages):.1f}–{max(c['python_ms'] for c in pages):.1f}"
              " ms with the policy for the page's rows.")
    print()
    print("| case | call | statement | sql | plan |")
    print("| --- | ---: | --- | ---: | --- |")
    for case in sql["cases"]:
        for i, statement in enumerate(case["statements"]):
            if case in pages and statement in plain:
                continue
            text = statement["sql"]
            text = text[text.index(" FROM "):] if " FROM " in text else text
            text = re.sub(r"CROSS JOIN contractor c (ON c\.id = contractor_id WHERE|WHERE "
                          r"c\.id = contractor_id AND) ", "⋈ c WHERE ",
                          text.replace("document.", ""))
            text = text.replace("|", "\\|")
            print(f"| {case['name'] if i == 0 else ''} | "
                  f"{_ms(case['python_ms'] / 1000) if i == 0 else ''} | `{text[:120]}` | "
                  f"{_ms(statement['sql_ms'] / 1000)} | "
                  f"{_plan_note(statement['sql'], statement['plan'])}: "
                  f"{' / '.join(statement['plan'])} |")
    if sql.get("profile"):
        print()
        print("\n".join(sql["profile"].splitlines()[:16]))


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="presses per key")
    parser.add_argument("--search-repeat", type=int, default=5, help="runs per search term")
    parser.add_argument("--sql-repeat", type=int, default=5, help="runs per statement")
    parser.add_argument("--size", default="100x30", help="terminal size, WIDTHxHEIGHT")
    parser.add_argument("--profile", action="store_true", help="cProfile the searches")
    parser.add_argument("--skip-sql", action="store_true")
    parser.add_argument("--raw", help="write every measurement as JSON to this file")
    parser.add_argument("--all-unpaid", action="store_true",
                        help="worst case: a copy of the database with every document unpaid")
    parser.add_argument("--gc-freeze", action="store_true",
                        help="experiment: gc.freeze() once the list is on screen")
    parser.add_argument("--with-rate-check", action="store_true",
                        help="keep the app's rate check (a forecast over every document)")
    parser.add_argument("--smoke", action="store_true",
                        help="a small run on a small database, to check the script runs")
    parser.add_argument("--documents", type=int, default=1_000_000, help=argparse.SUPPRESS)
    parser.add_argument("--contractors", type=int, default=100_000, help=argparse.SUPPRESS)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--spawned-at", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.smoke:
        args.documents, args.contractors = SMOKE_SIZE
        args.repeat, args.search_repeat, args.sql_repeat = 3, 1, 1
        args.skip_sql = True
    base = db_path(args.documents, args.contractors)
    path = (base.with_name(f"tui-all-unpaid-{args.documents}.db") if args.all_unpaid
            else base)

    if args.phase:
        phases = {
            "prepare": lambda: phase_prepare(path, base if args.all_unpaid else None),
            "startup-minimal": lambda: phase_startup_minimal(args, args.spawned_at),
            "startup-app": lambda: phase_startup_app(args, path, args.spawned_at),
            "ops": lambda: phase_ops(args, path),
            "search": lambda: phase_search(args, path),
            "sql": lambda: phase_sql(args, path),
        }
        result = phases[args.phase]()
        print(json.dumps(result, default=str))
        return

    wall = time.perf_counter()
    print(f"machine: {machine_line()}")
    print(f"database: {path}; terminal {args.size}; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not base.exists():
        print("building the database (bench_pass.py's builder)…")
        subprocess.run([sys.executable, str(Path(__file__).parent / "bench_pass.py"),
                        "--phase", "build", "--documents", str(args.documents),
                        "--contractors", str(args.contractors)],
                       check=True, capture_output=True)
    prepared = _run_phase(args, "prepare")
    print(f"schema: pending migrations applied: {prepared['pending'] or 'none'} "
          f"({prepared['migrate_s']:.1f} s); contractor keys filled: "
          f"{prepared['filled_keys']:,}; ANALYZE for {prepared['analyzed'] or 'none'}; "
          f"{prepared['documents']:,} documents, {prepared['unpaid']:,} unpaid, "
          f"{prepared['size_mb']:.0f} MiB")

    starts = 1 if args.smoke else 3
    minimal = [_run_phase(args, "startup-minimal") for _ in range(starts)]
    startup = [_run_phase(args, "startup-app") for _ in range(starts)]
    ops = _run_phase(args, "ops")
    search = _run_phase(args, "search")
    sql = None if args.skip_sql else _run_phase(args, "sql")

    def med(items, key):
        return statistics.median(item[key] for item in items)

    floor = _summary([r["wall"] for r in ops["floor"]])
    print()
    print(f"Start-up (median of {len(startup)} fresh processes; the minimal app alike); "
          f"colour system {minimal[0]['color_system']}")
    print()
    print(f"| measure | minimal App + Static | Windykacja, {args.documents:,} documents | target |")
    print("| --- | ---: | ---: | --- |")
    first = med(startup, "run_test_to_rows")
    print(f"| `run_test` start → first frame | {_ms(med(minimal, 'run_test_to_frame'))} | "
          f"{_ms(med(startup, 'run_test_to_frame'))} | |")
    print(f"| `run_test` start → first frame with rows | – | {_ms(first)} "
          f"({min(r['run_test_to_rows'] for r in startup) * 1000:.0f}–"
          f"{max(r['run_test_to_rows'] for r in startup) * 1000:.0f}) | < 500 ms: "
          f"{_verdict(first, TARGETS['first screen'])} |")
    print(f"| imports | {_ms(med(minimal, 'imports'))} | {_ms(med(startup, 'imports'))} | |")
    print(f"| opening the database (migrations checked) | – | {_ms(med(startup, 'open_db'))} | |")
    print(f"| process start → rows on screen | {_ms(med(minimal, 'process_to_frame'))} | "
          f"{_ms(med(startup, 'process_to_rows'))} | |")
    print(f"| RSS after the first frame (peak) | {med(minimal, 'rss_mb'):.0f} MiB "
          f"({med(minimal, 'hwm_mb'):.0f}) | {med(startup, 'rss_mb'):.0f} MiB "
          f"({med(startup, 'hwm_mb'):.0f}) | |")
    print()
    print(f"Keys ({ops['rows']:,} rows in the list; one process; median (p95, max) of "
          f"{args.repeat} presses; key → last frame; Pilot floor, an unbound key's press + "
          f"pause: {_ms(floor['median'])} wall)")
    print()
    print("| operation | key → last frame | press+pause − floor | bytes sent | target | met? |")
    print("| --- | ---: | ---: | ---: | --- | --- |")
    rows_out = [
        ("cursor down", "down", "< 16 ms, < 1 kB", TARGETS["cursor down"]),
        ("cursor up", "up", "", None),
        ("page down", "pagedown", "< 20 ms", TARGETS["page down"]),
        ("page up", "pageup", "", None),
        ("end (page cache emptied)", "end", "", None),
        ("home (page cache emptied)", "home", "", None),
    ]
    verdicts = {}
    for label, key, target, limit in rows_out:
        runs = ops[key]
        frame = _summary([r["to_last_frame"] for r in runs])
        net = _summary([r["wall"] - floor["median"] for r in runs])
        size = statistics.median(r["bytes"] for r in runs)
        verdict = ""
        if limit is not None:
            verdict = _verdict(frame["median"], limit)
            if key == "down":
                verdict = ("met" if frame["median"] < limit and size < TARGETS["cursor bytes"]
                           else "**NOT met**")
            verdicts[label] = verdict
        print(f"| {label} | {_ms(frame['median'])} ({_ms(frame['p95'])}, "
              f"{_ms(frame['max'])}) | {_ms(net['median'])} | {size:,.0f} B | {target} | "
              f"{verdict} |")
    sorts = [s for s in ops["sorts"] if s["key"] != "o"]
    filters = [s for s in ops["sorts"] if s["key"] == "o"]
    to_rows = _summary([s["to_rows"] for s in sorts])
    print(f"| sort change (`s`/`r`, {len(sorts)} presses) → new rows | {_ms(to_rows['median'])} "
          f"({_ms(to_rows['p95'])}, {_ms(to_rows['max'])}) | | "
          f"{statistics.median(s['bytes'] for s in sorts):,.0f} B | | |")
    totals_after = [s["to_totals"] for s in sorts if s["to_totals"]]
    if totals_after:
        summary = _summary(totals_after)
        print(f"| sort change → totals line | {_ms(summary['median'])} "
              f"({_ms(summary['p95'])}, {_ms(summary['max'])}) | | | | |")
    overdue = _summary([s["to_rows"] for s in filters])
    print(f"| overdue filter on/off (`o`, {len(filters)} presses) → new rows | "
          f"{_ms(overdue['median'])} ({_ms(overdue['p95'])}, {_ms(overdue['max'])}) | | | | |")
    print(f"| longest event-loop stall during the sorts and filters | "
          f"{_ms(max(s['stall'] for s in ops['sorts']))} (longest GC pause meanwhile "
          f"{_ms(max(s['gc'] for s in ops['sorts']))}) | | | | |")
    print()
    print("Sort changes by key (key → new rows on screen, each press):")
    print()
    print("| sort | times |")
    print("| --- | --- |")
    by_key: dict[str, list[float]] = {}
    for s in ops["sorts"]:
        name = f"{s['sort']}{' desc' if s['descending'] else ''}"
        by_key.setdefault(name + (", overdue only" if s["overdue"] else ""), []).append(
            s["to_rows"])
    for name, values in by_key.items():
        print(f"| {name} | {', '.join(f'{v * 1000:.0f}' for v in values)} ms |")
    print()
    print(f"Search (one process, {args.search_repeat} runs per term, median (max); debounce "
          f"{search['debounce'] * 1000:.0f} ms)")
    print()
    print("| term | rows | last key → rows on screen | debounce (timer) | "
          "search applied → rows (debounce excluded) | longest stall (GC pause) | "
          "count line after rows | totals after rows |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    worst_search = worst_stall = 0.0
    for term, what in SEARCH_TERMS:
        runs = [r for r in search["runs"] if r["term"] == term]
        rows_s = _summary([r["key_to_rows"] for r in runs])
        net = _summary([r["applied_to_rows"] for r in runs])
        stall = max(r["stall_with_totals"] for r in runs)
        worst_search, worst_stall = max(worst_search, net["median"]), max(worst_stall, stall)
        after = [r["totals_after_rows"] for r in runs if r["totals_after_rows"] is not None]
        extra = sum(r["applies"] - 1 for r in runs)
        print(f"| `{term}` ({what}) | {runs[0]['count']:,} | {_ms(rows_s['median'])} "
              f"({_ms(rows_s['max'])}) | {_ms(statistics.median(r['debounce'] for r in runs))} | "
              f"{_ms(net['median'])} ({_ms(net['max'])}) | {_ms(stall)} "
              f"({_ms(max(r['gc'] for r in runs))}) | "
              f"{_ms(statistics.median(r.get('count_after_rows', 0) for r in runs))} | "
              f"{_ms(statistics.median(after)) if after else '–'} |"
              + (f" ({extra} extra searches fired)" if extra else ""))
    print()
    print("Where the time from 'search applied' to the rows goes (median per term): "
          "thread start, `UnpaidWindow.load()` in the worker (count, then the rows; a search "
          "matching more than 5,000 reads its first page alone and counts after, the "
          "'count line after rows' above), "
          "back to the UI thread (`call_from_thread`), and to the frame.")
    print()
    print("| term | → worker running | load() | → UI thread | → frame |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for term, _ in SEARCH_TERMS:
        runs = [r for r in search["runs"] if r["term"] == term]
        cells = [_ms(statistics.median(r[key] for r in runs))
                 for key in ("to_worker", "load", "to_show", "show_to_frame")]
        print(f"| `{term}` | {' | '.join(cells)} |")
    print()
    print("Memory (VmRSS / VmHWM of the process; SQLite's own heap, mostly page caches "
          "of the connections open at the time, via sqlite3_memory_used/highwater):")
    print()
    print("| process | RSS at the end | peak RSS | SQLite heap at the end | SQLite heap peak "
          "| RSS after malloc_trim |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, item in (("minimal App, first frame", minimal[0]),
                        ("Windykacja start-up, first rows", startup[0]),
                        ("keys, sorts and filters", ops), ("searches", search)):
        print(f"| {label} | {item['rss_mb']:.0f} MiB | {item['hwm_mb']:.0f} MiB | "
              f"{item['sqlite_mb'] or 0:.1f} MiB | {item['sqlite_peak_mb'] or 0:.1f} MiB | "
              + (f"{item['trimmed_mb']:.0f} MiB |" if "trimmed_mb" in item else "– |"))
    print()
    hwm = max(ops["hwm_mb"], search["hwm_mb"])
    print("Targets:")
    print()
    print("| target | measured | met? |")
    print("| --- | ---: | --- |")
    print(f"| first screen with rows < 500 ms | {_ms(first)} | "
          f"{_verdict(first, TARGETS['first screen'])} |")
    down = _summary([r["to_last_frame"] for r in ops["down"]])
    down_bytes = statistics.median(r["bytes"] for r in ops["down"])
    print(f"| cursor move < 16 ms and < 1 kB | {_ms(down['median'])}, {down_bytes:,.0f} B | "
          f"{verdicts['cursor down']} |")
    page = _summary([r["to_last_frame"] for r in ops["pagedown"]])
    print(f"| page down < 20 ms | {_ms(page['median'])} (p95 {_ms(page['p95'])}) | "
          f"{verdicts['page down']} |")
    print(f"| search keystroke < 150 ms (debounce excluded; worst term's median) | "
          f"{_ms(worst_search)} | {_verdict(worst_search, TARGETS['search'])} |")
    print(f"| screen never frozen > 50 ms (searches) | {_ms(worst_stall)} | "
          f"{_verdict(worst_stall, TARGETS['stall'])} |")
    print(f"| memory < 200 MB | peak RSS {hwm:.0f} MiB = {hwm * 1.048576:.0f} MB | "
          f"{_verdict(hwm * 1.048576, TARGETS['rss_mb'])} |")
    if sql:
        _print_sql(sql, args.sql_repeat)
    if args.raw:
        Path(args.raw).write_text(json.dumps(RAW, indent=1, default=str))
    print(f"(benchmark wall time {time.perf_counter() - wall:.0f} s)")


if __name__ == "__main__":
    main()
