"""Commands that write files: export activity, backup."""

from __future__ import annotations

import argparse
import os
import sqlite3
from pathlib import Path

from ..dunning.activity import ActivityFilter, export_activity_file
from ..models import EventKind, database
from ..models.db import is_sqlite
from .context import CommandError, Context, parse_day, say


def export_activity(args: argparse.Namespace, ctx: Context) -> int:
    kinds = tuple(k.strip() for k in (args.kind or "").split(",") if k.strip())
    unknown = [k for k in kinds if k not in EventKind.ALL]
    if unknown:
        raise CommandError(f"unknown kind {unknown[0]!r}; kinds: {', '.join(EventKind.ALL)}")
    flt = ActivityFilter(
        first_day=parse_day(args.first) if args.first else None,
        last_day=parse_day(args.last) if args.last else None,
        kinds=kinds, contractor=args.contractor or "", author=args.author or "",
    )
    target = Path(args.file)
    count = export_activity_file(flt, target)
    say(f"{count} events written to {target}.")
    return 0


def backup(args: argparse.Namespace, ctx: Context) -> int:
    """SQLite's online backup: a consistent copy even while a worker writes."""
    if not is_sqlite():
        raise CommandError(
            "backup copies SQLite files; for PostgreSQL use pg_dump, e.g. "
            "pg_dump --format=custom --file=windykacja.dump DATABASE_URL"
        )
    target = Path(args.file)
    if target.exists() and not args.force:
        raise CommandError(f"{target} exists; use --force to overwrite it")
    partial = target.with_name(target.name + ".part")
    source = database.connection()
    with sqlite3.connect(partial) as copy:
        source.backup(copy)
    copy.close()
    os.replace(partial, target)
    say(f"Backup written to {target} ({target.stat().st_size:,} bytes).")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export the activity list to CSV")
    what = p.add_subparsers(dest="what", required=True, metavar="activity")
    a = what.add_parser("activity", help="every collection event, filtered, as CSV")
    a.add_argument("file", metavar="FILE.csv")
    a.add_argument("--from", dest="first", metavar="YYYY-MM-DD")
    a.add_argument("--to", dest="last", metavar="YYYY-MM-DD")
    a.add_argument("--kind", help="comma-separated event kinds, e.g. demand_sent,note")
    a.add_argument("--contractor", help="contractor code or part of the name")
    a.add_argument("--author", help="who did it")
    a.set_defaults(handler=export_activity)

    p = sub.add_parser("backup", help="a consistent copy of the SQLite database file")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(handler=backup)
