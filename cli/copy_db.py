"""``copy-db --to URL``: moving house from the database ``--db`` names to another, empty
one — an SQLite file to PostgreSQL or back (``models/transfer.py`` does the work)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from peewee import Database, PeeweeException

from ..i18n import N_, t, tn
from ..i18n.patterns import reword
from ..ledger.names import number_text
from ..models import database
from ..models.db import make_database
from ..models.transfer import TransferRefused, copy_database
from ..session import CommandError, Context
from .export import refuse_while_sending
from .output import say, warn

# models/transfer.py words its refusals and the measures it compares in English; each
# known one is matched here and shown through the catalogue (as dunning/settings_problems
# does for the settings), the names of tables, columns and migrations carried over.
_REFUSALS = [
    (r"table (?P<table>\S+) has no single-column primary key to copy by",
     N_("table {table} has no single-column primary key to copy by")),
    (r"the foreign keys of (?P<tables>.*) form a cycle; no order to copy in",
     N_("the foreign keys of {tables} form a cycle; there is no order to copy them in")),
    (r"the source is ahead of this program: it has migration (?P<migrations>.*), which this "
     r"version does not know; copy it with the Windykacja that wrote it",
     N_("the source is newer than this program: it has migration {migrations}, which this "
        "version does not know; copy it with the Windykacja that wrote it")),
    (r"the source is behind this program: migration (?P<migrations>.*) is not applied; open "
     r"it once with this version \(it is migrated at start, after a backup\) and copy it "
     r"then",
     N_("the source is older than this program: migration {migrations} is not applied; open "
        "it once with this version (it is migrated at start, after a backup) and copy it "
        "then")),
    (r"the target is ahead of this program \(migration (?P<migrations>.*)\); copy-db fills "
     r"only an empty database",
     N_("the target is newer than this program (migration {migrations}); copy-db fills only "
        "an empty database")),
    (r"the target has tables Windykacja does not make \((?P<tables>.*)\): copy-db fills only "
     r"an empty database of its own; nothing was copied",
     N_("the target has tables Windykacja does not make ({tables}): copy-db fills only an "
        "empty database of its own; nothing was copied")),
    (r"the target is not empty \(rows in (?P<tables>.*)\): copy-db fills only an empty "
     r"database \(for PostgreSQL: createdb a new one; for SQLite: a new file name\); nothing "
     r"was copied",
     N_("the target is not empty (rows in {tables}): copy-db fills only an empty database "
        "(for PostgreSQL: create a new one with createdb; for SQLite: give a new file "
        "name); nothing was copied")),
    (r"the two schemas differ at tables (?P<tables>.*)",
     N_("the two schemas differ in the tables {tables}")),
    (r"the two schemas differ at the columns of (?P<table>\S+)",
     N_("the two schemas differ in the columns of {table}")),
    (r"copy-db writes to SQLite or PostgreSQL only",
     N_("copy-db writes to SQLite or PostgreSQL only")),
]
_MEASURES = [
    (r"rows", N_("rows")),
    (r"distinct (?P<column>\S+)", N_("distinct values of {column}")),
    (r"values of (?P<column>\S+)", N_("values in {column}")),
    (r"sum of (?P<column>\S+)", N_("sum of {column}")),
    (r"length of (?P<column>\S+)", N_("total length of {column}")),
    (r"earliest (?P<column>\S+)", N_("earliest {column}")),
    (r"latest (?P<column>\S+)", N_("latest {column}")),
]


def _in_words(text: str, table: list[tuple[str, str]]) -> str:
    """``text`` from models/transfer.py in the reader's language, when it is a known one."""
    return reword(text, table) or text


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
            rows = tn("{n} row", "{n} rows", copied).replace(str(copied), number_text(copied), 1)
            self.stream.write(f"{start}  " + t("{table}: {rows} in {seconds} s", table=table,
                              rows=rows, seconds=number_text(seconds, 1)) + f"{clear}\n")
        elif self.live:
            self.stream.write("\r  " + t("{table}: {copied} / {total} rows", table=table,
                              copied=number_text(copied), total=number_text(total)) + "\x1b[K")
        self.stream.flush()


def open_target(location: str) -> Database:
    try:
        target = make_database(location)
        target.connect()
    except (PeeweeException, RuntimeError, OSError, ValueError) as exc:
        raise CommandError(t("cannot open the target {target}: {reason}",
                             target=shown(location), reason=exc)) from None
    return target


def copy_db(args: argparse.Namespace, ctx: Context) -> int:
    if same_place(ctx.location, args.to):
        raise CommandError(t("the target is the source database itself"))
    refuse_while_sending(N_("copy the database"))
    target = open_target(args.to)
    progress = TableProgress(t("Copying {source} to {target}:", source=shown(ctx.location),
                               target=shown(args.to)))
    try:
        report = copy_database(database.obj, target, progress=progress)
    except TransferRefused as exc:
        raise CommandError(_in_words(str(exc), _REFUSALS)) from None
    except PeeweeException as exc:  # the target's transaction was rolled back
        raise CommandError(t(
            "the copy failed and nothing was kept: {reason}. The target holds no rows (its "
            "schema is migrated) and can be copied into again", reason=exc)) from None
    finally:
        target.close()
    if report.differences:
        for diff in report.differences:
            warn("  " + t("{table}: {measure}: {source} in the source, {target} in the target",
                          table=diff.table, measure=_in_words(diff.measure, _MEASURES),
                          source=repr(diff.source),
                          target=repr(diff.target)))
        raise CommandError(tn(
            "the copy differs from the source in {n} measure (above). The target {target} is "
            "left as it is for inspection; empty or drop it before copying again",
            "the copy differs from the source in {n} measures (above). The target {target} is "
            "left as it is for inspection; empty or drop it before copying again",
            len(report.differences), target=shown(args.to)))
    rate = report.rows / report.seconds if report.seconds else 0
    say(t("Copied {rows} rows of {tables} tables to {target} in {seconds} s ({rate} rows/s; "
          "the check took {check} s).", rows=number_text(report.rows),
          tables=len(report.tables), target=shown(args.to),
          seconds=number_text(report.seconds, 1), rate=number_text(rate),
          check=number_text(report.check_seconds, 1)))
    say(t("Rows, keys, sums and dates agree table by table. The source is unchanged; to work "
          "on the copy: windykacja --db '{target}' (or set WINDYKACJA_DB).",
          target=shown(args.to)))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "copy-db", help="copy every row into another, empty database (SQLite ⇄ PostgreSQL) "
        "and check counts and sums",
    )
    p.add_argument("--to", required=True, metavar="URL|PATH",
                   help="the target: postgresql://user@host/name, sqlite:///file.db or a path")
    p.set_defaults(handler=copy_db)
