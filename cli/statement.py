"""``import statement FILE [--profile NAME]``: an MT940 bank statement in; sure matches
become payments, the others wait in the interface's Bank statements screen (key 7)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..importers.bank_profiles import PROFILES, UnknownProfile
from ..importers.csv_common import ImportRejected
from ..importers.statements import StatementSummary, import_statement
from ..models.money import format_amount
from .context import CommandError, Context, say, warn

STATUS_WORDS = {"unsure": "to confirm", "unmatched": "no match"}


def import_statement_file(args: argparse.Namespace, ctx: Context) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    try:
        summary = import_statement(path, ctx.clock, ctx.settings, profile=args.profile)
    except UnknownProfile as exc:
        raise CommandError(str(exc)) from None
    except ImportRejected as exc:
        profile = args.profile or ctx.settings.statement_bank_profile
        warn(f"{path}: nothing was imported (read with the {profile} profile); fix these "
             "lines or choose another --profile:")
        for error in exc.errors:
            warn(f"  {error}")
        return 1
    report(summary)
    return 0


def _amounts(summary: StatementSummary) -> str:
    return ", ".join(format_amount(amount, currency)
                     for currency, amount in sorted(summary.sure_amount.items()))


def report(summary: StatementSummary) -> None:
    path = summary.path
    if summary.already_imported is not None:
        when, who = summary.already_imported
        say(f"{path}: already imported on {when:%Y-%m-%d %H:%M} UTC by {who}; nothing added.")
        return
    recorded = f" ({_amounts(summary)}, {summary.payments} payments recorded)" \
        if summary.sure else ""
    say(f"{path} ({summary.profile}): {summary.credits} credits — {summary.sure} matched "
        f"for sure{recorded}, {summary.unsure} to confirm, {summary.unmatched} without a match; "
        f"{summary.debits_ignored} debits and reversals ignored.")
    if summary.already_in:
        say(f"  {summary.already_in} credits came in before with another file; skipped.")
    for credit in summary.pending:
        say(f"  {STATUS_WORDS.get(credit.status, credit.status):<10} "
            f"{credit.booked_on:%d.%m.%Y} {format_amount(credit.amount, credit.currency):>16}"
            f"  {credit.payer_name[:24]:<24}  {credit.title[:60]}")
    if summary.pending:
        say("Confirm or ignore them in the interface: Bank statements (key 7).")


def register_import(kinds: argparse._SubParsersAction) -> None:
    """``import statement``, added to the ``import`` command's kinds by ``cli/data.py``."""
    q = kinds.add_parser(
        "statement", help="an MT940 bank statement: sure matches become payments, the "
        "others wait in Bank statements (key 7)")
    q.add_argument("file", metavar="FILE")
    q.add_argument("--profile", metavar="NAME",
                   help="bank profile (encoding and :86: dialect): "
                   + ", ".join(PROFILES) + "; default: the setting statement.bank_profile")
    q.set_defaults(handler=import_statement_file)
