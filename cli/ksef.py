"""KSeF on the command line.

``windykacja import ksef FILE_OR_FOLDER``: KSeF e-invoices in (importers/ksef.py). Per
file it says what was refused and why (stderr) and any warning (stdout), then one
summary line. With stderr on a terminal a progress bar is drawn there while a folder is
imported; otherwise nothing extra is printed, so a script's log stays clean. Exit
status 1 when any file was refused.

``windykacja ksef sync [--retry]``: the KSeF sync now (importers/ksef_sync.py), as the
worker runs it every 15 minutes, with more patience for KSeF's rate limits (up to 15
minutes of waiting). ``--retry`` first tries again the invoices refused before. Exit
status 1 when the sync failed or refused an invoice. ``windykacja ksef refused``: the
refused invoices with their reasons.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TextIO

from ..i18n import N_, t, tn
from ..importers.ksef import OUTCOMES, import_ksef
from ..importers.ksef_sync import connected, refused_invoices, result_lines, sync_ksef
from ..ledger.names import moment_text
from ..session import CommandError, Context
from .output import say, warn

OUTCOME_NAMES = {
    "created": N_("created"),
    "unchanged": N_("unchanged"),
    "corrected": N_("corrected"),
    "refused": N_("refused"),
}
BAR_WIDTH = 30
REDRAW_SECONDS = 0.1


class ProgressBar:
    """``[#####.....]  1200/5000 files`` redrawn in place, at most every REDRAW_SECONDS."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.drawn_at = 0.0
        self.visible = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.drawn_at < REDRAW_SECONDS:
            return
        self.drawn_at = now
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stream.write(f"\r[{bar}] " + t("{done}/{total} files", done=done, total=total))
        self.stream.flush()
        self.visible = True

    def clear(self) -> None:
        if self.visible:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.visible = False


def import_ksef_command(args: argparse.Namespace, ctx: Context) -> int:
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    try:
        summary = import_ksef(args.path, ctx.clock, ctx.settings, progress=bar)
    except FileNotFoundError as exc:
        raise CommandError(str(exc)) from None
    finally:
        if bar:
            bar.clear()
    for result in summary.results:
        for warning in result.warnings:
            say(t("{path}: warning: {warning}", path=result.path, warning=warning))
    for result in summary.refused:
        warn(t("{path}: refused, nothing stored from it:", path=result.path))
        for problem in result.problems:
            warn(f"  {problem}")
    counts = ", ".join(t("{count} {outcome}", count=summary.count(outcome),
                         outcome=t(OUTCOME_NAMES[outcome])) for outcome in OUTCOMES)
    total = len(summary.results)
    say(tn("{path}: {n} file — {counts}.", "{path}: {n} files — {counts}.", total,
           path=args.path, counts=counts))
    return 1 if summary.refused else 0


def register_import(kinds: argparse._SubParsersAction) -> None:
    """Add ``ksef`` to the kinds of ``windykacja import``."""
    q = kinds.add_parser(
        "ksef", help="KSeF e-invoices (FA(2)/FA(3) XML): one file or every *.xml in a folder"
    )
    q.add_argument("path", metavar="FILE_OR_FOLDER")
    q.set_defaults(handler=import_ksef_command)


def _not_connected() -> CommandError:
    return CommandError(t("KSeF is not connected. Set it up, e.g.: windykacja settings set "
                          "ksef.environment=production ksef.token_file=~/.ksef-token "
                          "(the README's section on KSeF says where the token comes from)"))


def sync_command(args: argparse.Namespace, ctx: Context) -> int:
    if not connected(ctx.settings):
        raise _not_connected()
    result = sync_ksef(ctx.clock, ctx.settings, retry_refused=args.retry)
    lines = result_lines(result)
    (say if result.failure is None else warn)(lines[0])
    for line in lines[1:]:
        warn(line)
    return 1 if result.failure is not None or result.refused else 0


def refused_command(args: argparse.Namespace, ctx: Context) -> int:
    rows = refused_invoices()
    if not rows:
        say(t("No invoice from KSeF is refused."))
        return 0
    for row in rows:
        say(t("{number} (KSeF {ksef_number}), tried {moment}:", number=row.invoice_number,
              ksef_number=row.ksef_number, moment=moment_text(row.synced_at, ctx.clock.timezone)))
        for problem in row.problem.splitlines():
            say(f"  {problem}")
    say(t("Fix what is named, then: windykacja ksef sync --retry"))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ksef", help="the KSeF sync: fetch the company's sales invoices now, "
                       "or list the refused ones")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = actions.add_parser("sync", help="fetch the invoices issued since the last sync (the "
                           "worker does it every 15 minutes)")
    q.add_argument("--retry", action="store_true",
                   help="first try again the invoices refused before")
    q.set_defaults(handler=sync_command)
    q = actions.add_parser("refused", help="the invoices from KSeF that were refused, and why")
    q.set_defaults(handler=refused_command)
