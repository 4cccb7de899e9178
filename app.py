"""Entry point: parse the command line, open the database, run one command.

Thin on purpose: every command lives in ``cli/`` and every rule below it.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Iterable, Sequence

from .i18n import set_language
from .logs import INTERFACE_LOG, setup_logging, url_password
from .models.db import DB_ENV, default_location
from .recovery.hooks import register_hooks
from .session import CommandError, open_context

DESCRIPTION = """Windykacja: payment reminders before an invoice falls due, payment demands
after it does, and a complete record of every step."""


def default_language() -> str:
    return "pl" if os.environ.get("LANG", "").lower().startswith("pl") else "en"


# Each command → the module in cli/ that registers it. The interface (no command)
# imports none of them, a command only its own: together they are a fifth of a second
# of imports (the engine, the importers, the letters). In the order of ``--help``.
COMMAND_MODULES = {
    "demo": "data", "init": "data", "import": "data",
    "settings": "settings_cmd",
    "run-once": "collection", "worker": "collection", "history": "collection",
    "flag": "collection", "forecast": "collection", "outbox": "collection",
    "export": "export", "backup": "export", "restore": "export",
    "copy-db": "copy_db",
    "recovery": "recovery",
    "report": "report",
    "rates": "rates",
    "status": "status",
    "folders": "folders",
    "ksef": "ksef",
    "inbox": "inbox",
    "promise": "answers", "dispute": "answers",
    "letters": "letters",
    "registry": "registry",
}
ALL_MODULES = tuple(dict.fromkeys(COMMAND_MODULES.values()))
# The options before a command that take a value (``--db URL`` or ``--db=URL``).
VALUE_OPTIONS = ("--db", "--lang", "--today")


def modules_for(argv: Sequence[str]) -> tuple[str, ...]:
    """The cli modules ``argv`` needs: none when it names no command (the interface),
    the command's own module, or — for ``--help``, an unknown word, an abbreviated
    option, anything unusual — every module, so that argparse answers exactly as it
    always did (its usage line says only ``COMMAND``, whichever are registered)."""
    words = iter(argv)
    for word in words:
        if word in VALUE_OPTIONS:
            next(words, None)
        elif not word.startswith(tuple(f"{option}=" for option in VALUE_OPTIONS)):
            module = COMMAND_MODULES.get(word)
            return (module,) if module is not None else ALL_MODULES
    return ()


def build_parser(modules: Iterable[str] = ALL_MODULES) -> argparse.ArgumentParser:
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
    for name in modules:
        importlib.import_module(f"{__package__}.cli.{name}").register(sub)
    return parser


def register_import_hooks() -> None:
    """Folders and KSeF before each pass (importers/hooks.py). Imported when called: it
    brings the engine, which the interface loads only as its worker starts."""
    from .importers.hooks import register_hooks as register_import

    register_import()


def main(argv: list[str] | None = None) -> int:
    register_hooks()  # what recovery asks of the engine (recovery/hooks.py)
    words = sys.argv[1:] if argv is None else argv
    parser = build_parser(modules_for(words))
    args = parser.parse_args(words)
    if args.command is not None:
        register_import_hooks()
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
            # The cyclic garbage collector waits while Textual and the screens load and
            # the first rows are shown (tui/app.py start_up enables it again): its passes
            # over objects that all live on were a tenth of that time.
            gc.disable()
            try:
                from .tui.app import run_app  # Textual is imported only for the interface

                return run_app(ctx, before_worker=register_import_hooks)
            finally:
                gc.enable()
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
