"""``copy-db --to URL``: moving house from the database ``--db`` names to another, empty
one — an SQLite file to PostgreSQL or back (``models/transfer.py`` does the work)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from peewee import Database, PeeweeException

from ..models import database
from ..models.db import make_database
from ..models.transfer import TransferRefused, copy_database
from .context import CommandError, Context, say, warn
from .export import refuse_while_sending


def shown(location: str) -> str:
    """A location fit to print: a URL's password masked."""
    if "://" not in location:
        return location
    parts = urlsplit(location)
    if parts.password is None:
        return location
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def same_place(first: str, second: str) -> bool:
    """Two spellings of one SQLite file (a URL of a server is compared as written)."""

    def where(location: str) -> str:
        if location.startswith("sqlite:///"):
            location = location[len("sqlite:///"):]
        if "://" in location:
            return location
        return str(Path(location).expanduser().resolve())

    return where(first) == where(second)


class TableProgress:
    """One line per table on stderr; on a terminal the line counts up in place."""

    def __init__(self, heading: str, stream=None) -> None:
        self.heading = heading
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.started = time.perf_counter()

    def __call__(self, table: str, copied: int, total: int) -> None:
        if self.heading:  # only once the checks have passed and the copy begins
            self.stream.write(self.heading + "\n")
            self.heading = ""
        if copied == 0:
            self.started = time.perf_counter()
        if copied >= total:
            seconds = time.perf_counter() - self.started
            start, clear = ("\r", "\x1b[K") if self.live else ("", "")
            self.stream.write(f"{start}  {table}: {copied:,} rows in {seconds:.1f} s{clear}\n")
        elif self.live:
            self.stream.write(f"\r  {table}: {copied:,} / {total:,} rows\x1b[K")
        self.stream.flush()


def open_target(location: str) -> Database:
    try:
        target = make_database(location)
        target.connect()
    except (PeeweeException, RuntimeError, OSError, ValueError) as exc:
        raise CommandError(f"cannot open the target {shown(location)}: {exc}") from None
    return target


def copy_db(args: argparse.Namespace, ctx: Context) -> int:
    if same_place(ctx.location, args.to):
        raise CommandError("the target is the source database itself")
    refuse_while_sending("copy the database")
    target = open_target(args.to)
    progress = TableProgress(f"Copying {shown(ctx.location)} to {shown(args.to)}:")
    try:
        report = copy_database(database.obj, target, progress=progress)
    except TransferRefused as exc:
        raise CommandError(f"{exc}") from None
    except PeeweeException as exc:  # the target's transaction was rolled back
        raise CommandError(
            f"the copy failed and nothing was kept: {exc}. The target holds no rows (its "
            "schema is migrated) and can be copied into again"
        ) from None
    finally:
        target.close()
    if report.differences:
        for diff in report.differences:
            warn(f"  {diff.table}: {diff.measure}: {diff.source!r} in the source, "
                 f"{diff.target!r} in the target")
        raise CommandError(
            f"the copy differs from the source in {len(report.differences)} measures (above). "
            f"The target {shown(args.to)} is left as it is for inspection; empty or drop it "
            "before copying again"
        )
    rate = report.rows / report.seconds if report.seconds else 0
    say(f"Copied {report.rows:,} rows of {len(report.tables)} tables to {shown(args.to)} "
        f"in {report.seconds:.1f} s ({rate:,.0f} rows/s; the check took "
        f"{report.check_seconds:.1f} s).")
    say("Rows, keys, sums and dates agree table by table. The source is unchanged; "
        f"to work on the copy: windykacja --db '{shown(args.to)}' (or set WINDYKACJA_DB).")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "copy-db", help="copy every row into another, empty database (SQLite ⇄ PostgreSQL) "
        "and check counts and sums",
    )
    p.add_argument("--to", required=True, metavar="URL|PATH",
                   help="the target: postgresql://user@host/name, sqlite:///file.db or a path")
    p.set_defaults(handler=copy_db)
