"""``import statement FILE [--profile NAME]``: an MT940 bank statement in; sure matches
become payments, the others wait in the interface's Bank statements screen (key 7)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ..i18n import N_, language, t, tn
from ..importers.csv_common import ImportRejected
from ..importers.statements import StatementSummary, import_statement
from ..ledger.bank_profiles import PROFILES, UnknownProfile
from ..ledger.event_words import author_name
from ..ledger.names import amount_text, moment_text
from ..session import CommandError, Context
from .output import say, warn

STATUS_WORDS = {"unsure": N_("to confirm"), "unmatched": N_("no match")}


def import_statement_file(args: argparse.Namespace, ctx: Context) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(t("{path}: no such file", path=path))
    try:
        summary = import_statement(path, ctx.clock, ctx.settings, profile=args.profile)
    except UnknownProfile as exc:
        raise CommandError(str(exc)) from None
    except ImportRejected as exc:
        profile = args.profile or ctx.settings.statement_bank_profile
        warn(t("{path}: nothing was imported (read with the {profile} profile); fix these "
               "lines or choose another --profile:", path=path, profile=profile))
        for error in exc.errors:
            warn(f"  {error}")
        return 1
    report(summary, ctx.clock.timezone)
    return 0


def _amounts(summary: StatementSummary) -> str:
    return ", ".join(amount_text(amount, currency, language())
                     for currency, amount in sorted(summary.sure_amount.items()))


def report(summary: StatementSummary, timezone: dt.tzinfo) -> None:
    path = summary.path
    if summary.already_imported is not None:
        when, who = summary.already_imported
        say(t("{path}: already imported on {when} ({zone}) by {who}; nothing added.",
              path=path, when=moment_text(when, timezone), zone=getattr(timezone, "key", ""),
              who=author_name(who, language())))
        return
    recorded = t(" ({amounts}, {payments} recorded)", amounts=_amounts(summary),
                 payments=tn("{n} payment", "{n} payments", summary.payments)) \
        if summary.sure else ""
    say(tn("{path} ({profile}): {n} credit — {sure} matched for sure{recorded}, {unsure} to "
           "confirm, {unmatched} without a match; debits and reversals ignored: {debits}.",
           "{path} ({profile}): {n} credits — {sure} matched for sure{recorded}, {unsure} to "
           "confirm, {unmatched} without a match; debits and reversals ignored: {debits}.",
           summary.credits, path=path, profile=summary.profile, sure=summary.sure,
           recorded=recorded, unsure=summary.unsure, unmatched=summary.unmatched,
           debits=summary.debits_ignored))
    if summary.already_in:
        say("  " + tn("{n} credit came in before with another file; skipped.",
                      "{n} credits came in before with another file; skipped.",
                      summary.already_in))
    width = max(10, *(len(t(words)) for words in STATUS_WORDS.values()))
    for credit in summary.pending:
        status = STATUS_WORDS.get(credit.status)
        say(f"  {t(status) if status else credit.status:<{width}} "
            f"{credit.booked_on:%d.%m.%Y} "
            f"{amount_text(credit.amount, credit.currency, language()):>16}"
            f"  {credit.payer_name[:24]:<24}  {credit.title[:60]}")
    if summary.pending:
        say(t("Confirm or ignore them in the interface: Bank statements (key 7)."))


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
