"""Moving house, backups and upgrades at 1,000,000 documents.

Uses ``bench_pass.py``'s database (1,000,000 documents, 100,000 contractors, 837k
payments, 690k messages and steps: 3.3 million rows), its rows copied into a new file at
schema 3 (migrations 0001–0003 only; the generator itself writes the latest schema), so
that the upgrade has every later migration to apply. Each measure is the real command in
a fresh process (``python -m windykacja.app …``), timed from outside, with the process's
peak RSS (``wait4``):

* ``upgrade``: opening the schema-3 copy with this version — the backup written before
  migrating, then every later migration;
* ``backup`` and ``restore``: the online backup of the upgraded file, and restoring it
  (which first keeps the current file as ``NAME.before-restore-…``);
* ``copy-db`` SQLite → SQLite, and with ``--pg URL`` (a server's maintenance database,
  e.g. ``postgresql://postgres@127.0.0.1:5432/postgres``) SQLite → PostgreSQL and
  PostgreSQL → SQLite, into databases created for the run and dropped after. The rate
  is rows copied per second of the whole command, comparison included.

``--smoke`` builds its own small database with the same generator (5,000 documents, 500
contractors, cached as ``pass-5000-500.db``; never the 1M one): seconds, the same table.

Usage: ``python benchmarks/bench_copy.py [--pg URL] [--keep] [--smoke]``. Prints a
Markdown table. Needs about 4 GB free beside the cached database (``WINDYKACJA_BENCH_DIR``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pass import build, db_path, machine_line  # noqa: E402

COPIED = re.compile(r"Copied ([\d,]+) rows of (\d+) tables")
CHECK = re.compile(r"the check took ([\d.]+) s")
TABLE = re.compile(r"^  (\w+): ([\d,]+) rows in ([\d.]+) s", re.M)
SIZE = (1_000_000, 100_000)  # documents, contractors
SMOKE_SIZE = (5_000, 500)
OLD_SCHEMA = "0003_unpaid_search"  # the schema the upgrade starts from
#: Columns of the old schema that a later migration moved: where their values come from.
MOVED = {("message", "raw"): "COALESCE((SELECT t.raw FROM src.message_text t"
                             " WHERE t.message_id = src.message.id), '')"}  # 0020


def command(*args: str) -> tuple[float, float, str, str]:
    """Run ``windykacja *args``; (seconds, the process's peak RSS in MiB, stdout, stderr).
    The child is reaped with ``wait4`` for its own ``ru_maxrss`` (RUSAGE_CHILDREN would
    give the largest child so far)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "windykacja.app", *args],
                                 stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode != 0:
        raise SystemExit(f"windykacja {' '.join(args)} failed:\n{stderr}")
    return seconds, usage.ru_maxrss / 1024, stdout, stderr


def pg_database(server: str) -> tuple[str, str]:
    import psycopg

    name = f"windykacja_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return name, urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def pg_drop(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def at_old_schema(source: Path, target: Path) -> list[str]:
    """A new file at ``OLD_SCHEMA`` holding ``source``'s rows (every column the old
    schema has); returns the migrations an upgrade of it applies."""
    from playhouse.migrations import Runner

    from windykacja.models.db import MIGRATIONS_DIR, make_database, shipped_migrations

    db = make_database(str(target))
    db.connect()
    Runner(db, directory=str(MIGRATIONS_DIR)).up(OLD_SCHEMA)
    db.close()
    conn = sqlite3.connect(str(target), isolation_level=None)
    conn.execute("ATTACH ? AS src", (str(source),))
    tables = [name for (name,) in conn.execute(
        "SELECT name FROM main.sqlite_master WHERE type = 'table'"
        " AND name NOT LIKE 'sqlite%' AND name != 'schema_migration'")]
    conn.execute("BEGIN")
    for table in tables:
        theirs = {r[1] for r in conn.execute(f"PRAGMA src.table_info({table})")}
        ours = [r[1] for r in conn.execute(f"PRAGMA main.table_info({table})")]
        columns = [c for c in ours if c in theirs or (table, c) in MOVED]
        values = ", ".join(MOVED.get((table, c), c) for c in columns)
        conn.execute(f"INSERT INTO main.{table} ({', '.join(columns)}) "
                     f"SELECT {values} FROM src.{table}")
    conn.execute("COMMIT")
    conn.execute("DETACH src")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shipped = shipped_migrations()
    return shipped[shipped.index(OLD_SCHEMA) + 1:]


def row(measure: str, seconds: float, rss: float, rows: int | None = None,
        note: str = "") -> str:
    rate = f"{rows / seconds:,.0f}" if rows else ""
    shown = f"{rows:,}" if rows else ""
    return f"| {measure} | {shown} | {seconds:.1f} s | {rate} | {rss:.0f} MiB | {note} |"


def copy_row(measure: str, source: str, target: str) -> str:
    seconds, rss, out, err = command("--db", source, "copy-db", "--to", target)
    rows = int(COPIED.search(out).group(1).replace(",", ""))
    tables = {name: float(s) for name, _, s in TABLE.findall(err)}
    check = float(CHECK.search(out).group(1))
    return row(measure, seconds, rss, rows,
               f"of which the document table {tables['document']:.1f} s, the check {check:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", metavar="URL", help="a PostgreSQL server's maintenance URL")
    parser.add_argument("--keep", action="store_true", help="keep the files made")
    parser.add_argument("--smoke", action="store_true",
                        help="a small database of its own (5,000 documents): seconds")
    args = parser.parse_args()
    cached = db_path(*(SMOKE_SIZE if args.smoke else SIZE))
    if args.smoke and not cached.exists():
        build(cached, *SMOKE_SIZE)
    if not cached.exists():
        raise SystemExit(f"{cached} is missing: run benchmarks/bench_pass.py first")
    work = cached.parent / f"copy-{os.getpid()}"
    work.mkdir()
    source = work / "windykacja.db"
    lines = ["| measure | rows | time | rows/s | peak RSS | note |",
             "| --- | ---: | ---: | ---: | ---: | --- |"]
    made: list[str] = []
    try:
        started = time.perf_counter()
        upgrade = at_old_schema(cached, source)
        prepared = time.perf_counter() - started
        seconds, rss, _, err = command("--db", str(source), "settings", "show")
        backups = list(work.glob("windykacja.db.before-migration-*"))
        if len(backups) != 1:
            raise SystemExit(f"the upgrade wrote {len(backups)} backups, not one")
        lines.append(row(f"upgrade from schema {OLD_SCHEMA[:4].lstrip('0')} (backup, then "
                         f"migrations {upgrade[0][:4]}–{upgrade[-1][:4]})", seconds, rss,
                         note=f"backup {backups[0].stat().st_size / 2**20:,.0f} MiB written"))
        seconds, rss, _, _ = command("--db", str(source), "backup", str(work / "b.db"))
        lines.append(row("backup (online API)", seconds, rss,
                         note=f"{source.stat().st_size / 2**20:,.0f} MiB file"))
        seconds, rss, _, _ = command("--db", str(source), "restore", str(work / "b.db"))
        lines.append(row("restore (keeps the current file first)", seconds, rss,
                         note="integrity_check, copy of the current file, restore"))
        lines.append(copy_row("copy-db SQLite → SQLite", str(source), str(work / "copy.db")))
        if args.pg:
            name, url = pg_database(args.pg)
            made.append(name)
            lines.append(copy_row("copy-db SQLite → PostgreSQL", str(source), url))
            lines.append(copy_row("copy-db PostgreSQL → SQLite", url, str(work / "back.db")))
    finally:
        for name in made:
            pg_drop(args.pg, name)
        if not args.keep:
            shutil.rmtree(work)
    print(f"Machine: {machine_line()}")
    print(f"Database: {cached.name}, its rows copied into a file at schema "
          f"{OLD_SCHEMA} in {prepared:.1f} s (not measured).\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
