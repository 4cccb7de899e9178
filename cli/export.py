"""Commands about files: export activity, backup, restore."""

from __future__ import annotations

import argparse
from pathlib import Path
from zoneinfo import ZoneInfo

from ..dunning.lease import Lease
from ..i18n import N_, t, tn
from ..ledger.clock import SystemClock, utc_now_naive
from ..ledger.names import moment_text, number_text
from ..ledger.settings import load_settings
from ..lists.activity import ActivityFilter, export_activity_file
from ..models import EventKind, database
from ..models.backup import (
    BackupError,
    file_stamp,
    free_name,
    inspect_backup,
    online_backup,
    restore_into,
)
from ..models.db import apply_migrations, is_sqlite, shipped_migrations
from ..session import CommandError, Context, parse_day
from .output import say


def export_activity(args: argparse.Namespace, ctx: Context) -> int:
    kinds = tuple(k.strip() for k in (args.kind or "").split(",") if k.strip())
    unknown = [k for k in kinds if k not in EventKind.ALL]
    if unknown:
        raise CommandError(t("unknown kind {kind}; kinds: {kinds}", kind=repr(unknown[0]),
                             kinds=", ".join(EventKind.ALL)))
    flt = ActivityFilter(
        first_day=parse_day(args.first) if args.first else None,
        last_day=parse_day(args.last) if args.last else None,
        kinds=kinds, contractor=args.contractor or "", author=args.author or "",
    )
    target = Path(args.file)
    count = export_activity_file(flt, target, ctx.language, ctx.clock.timezone)
    say(tn("{n} event written to {target}.", "{n} events written to {target}.", count,
           target=target))
    return 0


def backup(args: argparse.Namespace, ctx: Context) -> int:
    """SQLite's online backup: a consistent copy even while a worker writes."""
    if not is_sqlite():
        raise CommandError(t(
            "backup copies SQLite files; for PostgreSQL use pg_dump, e.g. "
            "pg_dump --format=custom --file=windykacja.dump DATABASE_URL"
        ))
    target = Path(args.file)
    if target.exists() and not args.force:
        raise CommandError(t("{target} exists; use --force to overwrite it", target=target))
    try:
        size = online_backup(database.connection(), target)
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    say(t("Backup written to {target} ({size} bytes).", target=target, size=number_text(size)))
    return 0


def refuse_while_sending(action: str) -> None:
    """A live worker lease means a process is sending from this database right now:
    replacing or moving the database under it would lose what it records next. The
    lease runs on wall-clock time (``dunning/lease.py``), whatever ``--today`` says."""
    row = Lease.current()
    if row is not None and row.expires_at > utc_now_naive(SystemClock()):
        zone = load_settings().timezone
        raise CommandError(t(
            "a worker ({holder}) is sending for this database (its lease runs until {until}, "
            "{zone}); stop it before you {action}", holder=row.holder,
            until=moment_text(row.expires_at, ZoneInfo(zone)), zone=zone, action=t(action)))


def restore(args: argparse.Namespace, ctx: Context) -> int:
    """Replace the SQLite database with a backup, keeping the current one beside it."""
    if not is_sqlite():
        raise CommandError(t(
            "restore replaces SQLite files; for PostgreSQL use pg_restore with the worker "
            "stopped, e.g. pg_restore --clean --if-exists --dbname=DATABASE_URL "
            "windykacja.dump"
        ))
    source = Path(args.file)
    live = Path(database.obj.database)
    if source.exists() and source.resolve() == live.resolve():
        raise CommandError(t("{source} is the database itself", source=source))
    refuse_while_sending(N_("restore a backup"))
    try:
        inspect_backup(source, shipped_migrations())
        kept = free_name(live.with_name(f"{live.name}.before-restore-{file_stamp()}"))
        online_backup(database.connection(), kept)
        restore_into(source, database.connection())
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    migrated = apply_migrations(database.obj)
    say(t("Restored {source} into {live}.", source=source, live=live))
    say(t("The database as it was before is kept in {kept}.", kept=kept))
    if migrated:
        say(t("The backup was at an older schema; applied: {migrations}.",
              migrations=", ".join(migrated)))
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

    p = sub.add_parser("restore", help="replace the SQLite database with a backup (the current "
                       "one is kept as NAME.before-restore-TIME)")
    p.add_argument("file", metavar="FILE")
    # A lost database file is restored into the place it was: the only command besides
    # init and demo that may create the file (session.py).
    p.set_defaults(handler=restore, creates_database=True)
