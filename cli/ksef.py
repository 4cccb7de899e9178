"""``windykacja import ksef FILE_OR_FOLDER``: KSeF e-invoices in (importers/ksef.py).

Per file it says what was refused and why (stderr) and any warning (stdout), then one
summary line. With stderr on a terminal a progress bar is drawn there while a folder is
imported; otherwise nothing extra is printed, so a script's log stays clean. Exit
status 1 when any file was refused.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TextIO

from ..i18n import N_, t, tn
from ..importers.ksef import OUTCOMES, import_ksef
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
