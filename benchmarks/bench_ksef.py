"""How fast ``import_ksef`` takes a folder of thousands of KSeF invoices.

Generates N files (default 5,000) from the FA(3) sample in ``tests/importers/data`` —
each with its own number, amount and due date, for one of N/5 buyers (checksum-valid
NIPs, so most files find an existing contractor) and with every 20th file a KOR
correction of an earlier invoice — into a temporary folder, then imports the folder
into a fresh SQLite database twice: the first run creates everything, the second finds
every file unchanged (what a bookkeeper re-running a whole month's export meets).

Usage: ``python benchmarks/bench_ksef.py [--files N] [--keep DIR] [--smoke]``. Prints a
Markdown table with files per second for each run. ``--smoke`` is 50 files (seconds).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from windykacja.importers.ksef import import_ksef
from windykacja.ledger.clock import FixedClock
from windykacja.ledger.settings import CollectionSettings
from windykacja.models.db import open_database

SAMPLE = Path(__file__).parents[1] / "tests" / "importers" / "data" / "ksef_fa3_sample.xml"
NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
CORRECTION_EVERY = 20


def valid_nips(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct NIPs with a valid checksum (a remainder of 10 has none)."""
    found: set[str] = set()
    while len(found) < count:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, NIP_WEIGHTS, strict=True)) % 11
        if check != 10:
            found.add("".join(map(str, digits)) + str(check))
    return sorted(found)


def replaced(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def generate(folder: Path, files: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    sample = SAMPLE.read_text(encoding="utf-8")
    buyers = valid_nips(max(1, files // 5), rng)
    issued = dt.date(2026, 1, 2)
    for index in range(1, files + 1):
        number = f"FV/{index:06d}"
        if index % CORRECTION_EVERY == 0:
            target = f"FV/{index - CORRECTION_EVERY + 1:06d}"
            text = replaced(
                sample,
                ("<P_2>FV/2026/02/017</P_2>", f"<P_2>KOR/{index:06d}</P_2>"),
                ("<P_15>4920.00</P_15>", "<P_15>-10.00</P_15>"),
                ("<RodzajFaktury>VAT</RodzajFaktury>",
                 "<RodzajFaktury>KOR</RodzajFaktury><PrzyczynaKorekty>Rabat</PrzyczynaKorekty>"
                 f"<DaneFaKorygowanej><DataWystFaKorygowanej>{issued}</DataWystFaKorygowanej>"
                 f"<NrFaKorygowanej>{target}</NrFaKorygowanej><NrKSeFN>1</NrKSeFN>"
                 "</DaneFaKorygowanej>"),
            )
        else:
            day = issued + dt.timedelta(days=index % 300)
            gross = f"{rng.randint(100, 999_999)}.{rng.randint(0, 99):02d}"
            nip = buyers[rng.randrange(len(buyers))]
            text = replaced(
                sample,
                ("<P_2>FV/2026/02/017</P_2>", f"<P_2>{number}</P_2>"),
                ("<P_1>2026-02-12</P_1>", f"<P_1>{day}</P_1>"),
                ("<Termin>2026-02-26</Termin>", f"<Termin>{day + dt.timedelta(days=14)}</Termin>"),
                ("<P_15>4920.00</P_15>", f"<P_15>{gross}</P_15>"),
                ("<NIP>7722744156</NIP>", f"<NIP>{nip}</NIP>"),
                ("<NrKlienta>KL-0042</NrKlienta>", f"<NrKlienta>K-{nip}</NrKlienta>"),
            )
        (folder / f"{index:06d}.xml").write_text(text, encoding="utf-8")


def measure(folder: Path) -> tuple[float, dict[str, int]]:
    clock = FixedClock(dt.date(2026, 11, 23))
    settings = CollectionSettings(module_enabled=True, company_nip="5220715471")
    started = time.perf_counter()
    summary = import_ksef(folder, clock, settings)
    seconds = time.perf_counter() - started
    counts = {o: summary.count(o) for o in ("created", "unchanged", "corrected", "refused")}
    return seconds, counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, help="files (default 5,000; smoke 50)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--smoke", action="store_true", help="50 files: seconds, the table")
    args = parser.parse_args()
    if args.files is None:
        args.files = 50 if args.smoke else 5000
    with tempfile.TemporaryDirectory(prefix="bench-ksef-") as scratch:
        folder = args.keep or Path(scratch) / "in"
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        generate(folder, args.files)
        generated = time.perf_counter() - started
        db_path = Path(scratch) / "ksef.db"
        open_database(str(db_path))
        runs = [("first import", *measure(folder)),
                ("same folder again", *measure(folder))]
        documents = sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM document").fetchone()
    print(f"Machine: {os.cpu_count()} CPUs, {platform.system()}, Python "
          f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}; "
          f"{dt.datetime.now():%Y-%m-%d %H:%M} (machine clock)")
    print(f"{args.files:,} files generated in {generated:.1f} s; {documents[0]:,} documents "
          "stored.\n")
    print("| run | files | seconds | files/s | created | unchanged | corrected | refused |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, seconds, counts in runs:
        print(f"| {name} | {args.files:,} | {seconds:.1f} | {args.files / seconds:,.0f} | "
              f"{counts['created']:,} | {counts['unchanged']:,} | {counts['corrected']:,} | "
              f"{counts['refused']:,} |")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nru_maxrss {maxrss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
