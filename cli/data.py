"""Commands that bring data in: ``init`` (a new, empty database), ``demo`` and ``import
contractors|documents|payments``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..demo import build_demo
from ..demo_answers import add_demo_answers
from ..i18n import t, tn
from ..importers.csv_common import ImportRejected
from ..importers.kinds import IMPORTERS
from ..models import Contractor, Document
from ..session import CommandError, Context, shown_location
from . import ksef, statement
from .output import say, warn


def demo(args: argparse.Namespace, ctx: Context) -> int:
    try:
        summary = build_demo(ctx.clock, contractors=args.contractors, documents=args.documents,
                             seed=args.seed)
        answers = add_demo_answers(ctx.clock, ctx.default_maildir.with_name("inbox"))
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    say(t("Demo data in {where}:", where=ctx.location))
    say(t("  {contractors}, {documents}, {payments}; {unpaid} unpaid, {overdue} overdue.",
          contractors=tn("{n} contractor", "{n} contractors", summary.contractors),
          documents=tn("{n} document", "{n} documents", summary.documents),
          payments=tn("{n} payment", "{n} payments", summary.payments),
          unpaid=summary.unpaid, overdue=summary.overdue))
    say(t("Collection is on, with the Maildir outbox (nothing leaves this machine)."))
    say(tn("The debtors answered: {n} message in the Inbox (key 9), {waiting} waiting for you.",
           "The debtors answered: {n} messages in the Inbox (key 9), {waiting} waiting for you.",
           answers.read, waiting=answers.waiting))
    say(t("Next: windykacja run-once   — sends today's reminders and demands to the outbox"))
    return 0


def init(args: argparse.Namespace, ctx: Context) -> int:
    """Create the database (``open_context`` has created and migrated it by now)."""
    if Contractor.select().exists() or Document.select().exists():
        say(t("The database {where} is ready (it already holds data).",
              where=shown_location(ctx.location)))
    else:
        say(t("The database {where} is ready and empty.", where=shown_location(ctx.location)))
        say(t("Next: windykacja --db {where} import contractors FILE.csv (or demo for sample "
              "data)", where=shown_location(ctx.location)))
    return 0


def import_file(args: argparse.Namespace, ctx: Context) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(t("{path}: no such file", path=path))
    try:
        summary = IMPORTERS[args.kind](path, ctx.clock, ctx.settings)
    except ImportRejected as exc:
        warn(t("{path}: nothing was imported; fix these rows and import the file again:",
               path=path))
        for error in exc.errors:
            warn(f"  {error}")
        return 1
    say(t("{path}: {rows} — {created} created, {updated} updated.", path=path,
          rows=tn("{n} row", "{n} rows", summary.rows), created=summary.created,
          updated=summary.updated))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="fill an empty database with realistic sample data")
    p.add_argument("--contractors", type=int, default=200)
    p.add_argument("--documents", type=int, default=2000)
    p.add_argument("--seed", type=int, default=7, help="the same seed gives the same data")
    p.set_defaults(handler=demo, creates_database=True)

    p = sub.add_parser("init", help="create a new database at --db (other commands open only "
                       "one that exists)")
    p.set_defaults(handler=init, creates_database=True)

    p = sub.add_parser("import", help="import a file (CSV, KSeF XML, bank statement); "
                       "a file with a bad row imports nothing")
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind in sorted(IMPORTERS):
        q = kinds.add_parser(kind, help=f"{kind} from a CSV file")
        q.add_argument("file", metavar="FILE")
        q.set_defaults(handler=import_file)
    ksef.register_import(kinds)
    statement.register_import(kinds)
