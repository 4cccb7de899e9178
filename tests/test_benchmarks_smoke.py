"""Every benchmark script runs at its smoke size and prints its table (issue 17: nothing
ran the benchmarks, so they broke unnoticed).

The scripts are found by the glob ``benchmarks/bench_*.py``, so a new one is covered
without a line here (``process_probe.py`` is a helper module the scripts import, not a
benchmark). Each runs as the README says, ``python benchmarks/bench_X.py --smoke``, from
the repository root, in a child process with a cache folder of its own
(``WINDYKACJA_BENCH_DIR``: never the shared ``/tmp/windykacja-bench`` and its 1M
database). Only that it completes and prints a Markdown table is checked: its figures are
timings of this machine, which no test judges. A smoke size builds a small database of
its own and takes seconds; the whole set stays well under two minutes.

The benchmarks measure SQLite files, so the PostgreSQL run skips them (a script that
measured PostgreSQL would be listed in ``POSTGRES_SCRIPTS`` and run there instead).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "benchmarks").glob("bench_*.py"))
POSTGRES_SCRIPTS: frozenset[str] = frozenset()  # none yet: bench_load's --pg is optional
TIMEOUT_S = 300  # generous: a smoke run takes seconds, a shared CI machine may be slow
SEPARATOR = re.compile(r"^\|\s*:?-{3}")


def _cases() -> list:
    cases = []
    for script in SCRIPTS:
        marks = [] if script.stem in POSTGRES_SCRIPTS else [pytest.mark.sqlite_only(
            "the benchmarks measure SQLite files of their own; the PostgreSQL run has "
            "nothing more to check in them")]
        cases.append(pytest.param(script, id=script.stem, marks=marks))
    return cases


def test_the_glob_finds_the_benchmarks():
    assert len(SCRIPTS) >= 5, SCRIPTS
    assert ROOT / "benchmarks" / "process_probe.py" not in SCRIPTS


@pytest.mark.parametrize("script", _cases())
def test_benchmark_smoke_run_prints_its_table(script: Path, tmp_path: Path):
    env = {key: value for key, value in os.environ.items() if key != "WINDYKACJA_DB"}
    env["WINDYKACJA_BENCH_DIR"] = str(tmp_path / "bench")
    try:
        done = subprocess.run([sys.executable, str(script), "--smoke"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=TIMEOUT_S,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{script.name} --smoke ran over {TIMEOUT_S} s:\n{exc.stdout}\n{exc.stderr}")
    report = f"{script.name} --smoke:\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    assert done.returncode == 0, report
    lines = done.stdout.splitlines()
    assert any(line.startswith("|") and not SEPARATOR.match(line) for line in lines), report
    assert any(SEPARATOR.match(line) for line in lines), report
