"""``settings show|set|import|export``: the wizard's fields from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..i18n import t
from ..ledger.actions import current_author
from ..ledger.clock import utc_now_naive
from ..ledger.names import os_reason
from ..ledger.settings import (
    SettingsValidationError,
    save_settings,
    settings_as_text,
)
from ..ledger.settings_problems import describe_problem
from ..session import CommandError, Context
from .output import say


def _store(ctx: Context, changes: dict[str, str]) -> None:
    current = settings_as_text(ctx.settings, reveal_secrets=True)
    if "smtp.url" in changes and ":***@" in changes["smtp.url"]:
        # An exported file carries the password masked; importing it back keeps the
        # password already stored instead of saving the mask as a password.
        if changes["smtp.url"] == settings_as_text(ctx.settings)["smtp.url"]:
            changes["smtp.url"] = current["smtp.url"]
        else:
            raise CommandError(t("smtp.url: put the real password in, or leave it out of the "
                                 "URL and set WINDYKACJA_SMTP_PASSWORD"))
    if changes.get("recovery.api_token") == "***":
        # Likewise for the agency's API token, which an export shows as ***.
        changes["recovery.api_token"] = current["recovery.api_token"]
    try:
        save_settings(changes, current_author(), utc_now_naive(ctx.clock))
    except SettingsValidationError as exc:
        raise CommandError("\n".join(f"{p.key}: {describe_problem(p.problem)}"
                                     for p in exc.problems)) from None


def _pairs(items: list[str] | list[tuple[int, str]], where: str) -> dict[str, str]:
    """``KEY=VALUE`` items; from a file, each with its line number in the file."""
    changes = {}
    numbered = [entry if isinstance(entry, tuple) else (number, entry)
                for number, entry in enumerate(items, start=1)]
    for number, item in numbered:
        key, sep, value = item.partition("=")
        if not sep:
            raise CommandError(
                t("argument {number}: expected KEY=VALUE, got {item}", number=number,
                  item=repr(item)) if where == "argument"
                else t("line {number}: expected KEY=VALUE, got {item}", number=number,
                       item=repr(item)))
        changes[key.strip()] = value.strip()
    return changes


def _file_lines(path: Path) -> list[tuple[int, str]]:
    """The ``KEY=VALUE`` lines of a settings file with their numbers in the file (blank
    lines and ``#`` comments skipped); a file that cannot be read is one line, not a
    traceback."""
    if not path.is_file():
        raise CommandError(t("{path}: no such file", path=path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(t("{path}: not UTF-8 text; a settings file holds KEY=VALUE lines, "
                             "as 'settings export' writes them", path=path)) from None
    except OSError as exc:
        raise CommandError(t("{path}: the file cannot be read: {reason}", path=path,
                             reason=os_reason(exc))) from None
    return [(number, line) for number, line in enumerate(text.splitlines(), start=1)
            if line.strip() and not line.lstrip().startswith("#")]


def settings(args: argparse.Namespace, ctx: Context) -> int:
    args.file = args.items[0] if args.action in ("import", "export") and args.items else None
    if args.action in ("show", "export"):
        lines = [f"{k}={v}" for k, v in settings_as_text(ctx.settings).items()]
        if args.action == "export" and args.file:
            try:
                Path(args.file).write_text("\n".join(lines) + "\n", encoding="utf-8")
            except OSError as exc:
                raise CommandError(t("{path}: cannot write the file: {reason}",
                                     path=args.file, reason=os_reason(exc))) from None
            say(t("Settings written to {file}.", file=args.file))
        else:
            for line in lines:
                say(line)
        return 0
    if args.action == "set":
        if not args.items:
            raise CommandError(t("settings set needs KEY=VALUE pairs"))
        _store(ctx, _pairs(args.items, "argument"))
    else:  # import
        if not args.file:
            raise CommandError(t("settings import needs a FILE"))
        _store(ctx, _pairs(_file_lines(Path(args.file)), "line"))
    say(t("Settings saved; they apply from the next pass."))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("settings", help="show, set, import or export the settings")
    p.add_argument("action", choices=["show", "set", "import", "export"])
    p.add_argument("items", nargs="*", metavar="KEY=VALUE | FILE")
    p.set_defaults(handler=settings)
