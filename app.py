"""Entry point: parse the command line, open the database, run one command.

Thin on purpose: every command lives in ``cli/`` and every rule below it.
"""

from __future__ import annotations

import argparse
import os
import sys

from .cli import (
    answers,
    collection,
    copy_db,
    data,
    export,
    folders,
    inbox,
    ksef,
    letters,
    rates,
    recovery,
    registry,
    report,
    settings_cmd,
    status,
)
from .i18n import set_language
from .importers.hooks import register_hooks as register_import_hooks
from .logs import INTERFACE_LOG, setup_logging, url_password
from .models.db import DB_ENV, default_location
from .recovery.hooks import register_hooks
from .session import CommandError, open_context

DESCRIPTION = """Windykacja: payment reminders before an invoice falls due, payment demands
after it does, and a complete record of every step."""


def default_language() -> str:
    return "pl" if os.environ.get("LANG", "").lower().startswith("pl") else "en"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="windykacja", description=DESCRIPTION)
    parser.add_argument(
        "--db", metavar="URL|PATH",
        help=f"database file or URL (sqlite:///…, postgresql://…); default ${DB_ENV} or "
        "windykacja.db in your data directory",
    )
    parser.add_argument("--lang", choices=["pl", "en"], default=default_language(),
                        help="language of reasons and messages on screen")
    parser.add_argument("--today", metavar="YYYY-MM-DD",
                        help="act as if today were this day (simulations, catching up by hand)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (data, settings_cmd, collection, export, copy_db, recovery, report, rates,
                   status, folders, ksef, inbox, answers, letters, registry):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    register_hooks()  # what recovery asks of the engine (recovery/hooks.py)
    register_import_hooks()  # folders and KSeF before each pass (importers/hooks.py)
    parser = build_parser()
    args = parser.parse_args(argv)
    # Every line a command prints is in this language (argparse's own help stays English).
    set_language(args.lang)
    try:
        if getattr(args, "opens_database", False):
            return args.handler(args)  # `status` must not create or upgrade a database
        if args.command is not None:
            # Before opening: a warning from the upgrade (its backup) reaches the log file.
            setup_logging(getattr(args, "log_file", INTERFACE_LOG),
                          secrets=[url_password(args.db or default_location())])
        ctx = open_context(args.db, args.lang, args.today,
                           create=getattr(args, "creates_database", False))
        if args.command is None:
            from .tui.app import run_app  # Textual is imported only for the interface

            return run_app(ctx)
        return args.handler(args, ctx)
    except CommandError as exc:
        print(f"windykacja: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `windykacja outbox | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
