"""Start-up of the interface: process start → the first frame with document rows, in a
real pseudo-terminal, against the floor of any Textual app here.

Two programs are launched the same way (the same Python, a fresh pseudo-terminal of
80×24 with ``TERM=xterm-256color``, ``LANG=C.UTF-8``):

* ``minimal``: a bare Textual ``App`` with one ``Static`` (the floor);
* ``windykacja``: ``python -m windykacja --db <a copy of the demo database>``.

The clock starts just before the process is spawned and stops when the bytes the
program wrote to the terminal contain a known text of its first screen: the Static's
words, or a document number of the demo database (``FV/2026/…``) — so a frame with
only the header or the empty table does not count. The child is then killed. Runs
alternate (minimal, windykacja, minimal, …) so that a change of the machine's load
touches both; the table gives the median of the pairs and their ratio.

The demo database is built once per run (``windykacja demo``) in a temporary folder;
every launch opens the same copy (the interface may write to it, as a user's would).

Usage: ``python benchmarks/bench_startup.py [--pairs 15] [--smoke]``.
``--smoke``: a small demo database and three pairs (seconds), for CI.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pass import machine_line  # noqa: E402

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static


class Minimal(App):
    def compose(self):
        yield Static("minimal app ready")


Minimal().run()
"""

MINIMAL_MARK = re.compile(rb"minimal app ready")
# A document number of the demo database in the unpaid list (its first screen).
ROWS_MARK = re.compile(rb"FV/20\d\d/")
COLUMNS, LINES = 80, 24
TIMEOUT = 60.0


def launch(command: list[str], mark: re.Pattern[bytes],
           env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawning ``command`` on a fresh pseudo-terminal to the first time its
    output contains ``mark``, and the processor seconds the child had used by then (user
    and system; less sensitive than the wall clock to other work on the machine)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    started = time.perf_counter()
    child = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env,
                             start_new_session=True, close_fds=True)
    os.close(slave)
    seen = b""
    try:
        while True:
            left = started + TIMEOUT - time.perf_counter()
            if left <= 0:
                raise RuntimeError(f"no {mark.pattern!r} within {TIMEOUT:.0f} s from "
                                   f"{command!r}; the screen so far: {seen[-2000:]!r}")
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal (it ended)
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{command!r} ended before showing {mark.pattern!r}: "
                                   f"{seen[-2000:]!r}")
            seen += chunk
            # Look a little back: the mark may be split between two reads.
            if mark.search(seen[-(len(chunk) + 64):]):
                elapsed = time.perf_counter() - started
                return elapsed, cpu_seconds(child.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):  # ended already
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        os.close(master)


def cpu_seconds(pid: int) -> float:
    """User and system time of a running process, all its threads (/proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def build_demo(folder: Path, smoke: bool) -> Path:
    database = folder / "demo.db"
    size = ["--contractors", "10", "--documents", "60"] if smoke else []
    subprocess.run([sys.executable, "-m", "windykacja", "--db", str(database), "demo", *size],
                   check=True, stdout=subprocess.DEVNULL, env=child_env())
    return database


def child_env() -> dict[str, str]:
    # PYTHONDONTWRITEBYTECODE left out: an installed program has its modules compiled
    # (pip writes the .pyc files, as it did for Textual's); without them every start of
    # a checkout would compile ours from source, half a second the minimal app never pays
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("WINDYKACJA_", "TEXTUAL", "PYTHONDONTWRITEBYTECODE"))}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8",
               COLUMNS=str(COLUMNS), LINES=str(LINES))
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=15, help="alternating pairs (default 15)")
    parser.add_argument("--smoke", action="store_true",
                        help="a small demo database and three pairs (seconds)")
    args = parser.parse_args()
    pairs = 3 if args.smoke else args.pairs
    env = child_env()
    with tempfile.TemporaryDirectory(prefix="windykacja-startup-") as folder:
        database = build_demo(Path(folder), args.smoke)
        minimal_cmd = [sys.executable, "-c", MINIMAL_APP]
        app_cmd = [sys.executable, "-m", "windykacja", "--db", str(database)]
        # One launch of each first, not counted: the files are in the page cache after it
        # and the modules compiled.
        launch(minimal_cmd, MINIMAL_MARK, env)
        launch(app_cmd, ROWS_MARK, env)
        minimal: list[tuple[float, float]] = []
        app: list[tuple[float, float]] = []
        for _ in range(pairs):
            minimal.append(launch(minimal_cmd, MINIMAL_MARK, env))
            app.append(launch(app_cmd, ROWS_MARK, env))
    print(f"Start-up to the first frame with rows, pty {COLUMNS}×{LINES}, "
          f"median of {pairs} alternating pairs; {machine_line()}; "
          f"load {os.getloadavg()[0]:.2f}")
    print()
    print("| program | wall ms (median) | min | max | × minimal (pairs) | CPU ms (median) "
          "| × minimal |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    floor_wall = statistics.median(wall for wall, _ in minimal)
    floor_cpu = statistics.median(cpu for _, cpu in minimal)
    for name, runs in (("minimal Textual app (one Static)", minimal),
                       ("windykacja --db demo.db", app)):
        walls = [wall for wall, _ in runs]
        cpu = statistics.median(cpu for _, cpu in runs)
        ratio = statistics.median(a[0] / m[0] for a, m in zip(runs, minimal, strict=True))
        print(f"| {name} | {statistics.median(walls) * 1000:.0f} | {min(walls) * 1000:.0f} "
              f"| {max(walls) * 1000:.0f} | {statistics.median(walls) / floor_wall:.2f} "
              f"({ratio:.2f}) | {cpu * 1000:.0f} | {cpu / floor_cpu:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
