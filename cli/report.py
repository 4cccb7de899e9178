"""Reports: ``windykacja report aging`` prints the aging of outstanding amounts or writes
it as CSV (``lists/aging.py``, ``lists/aging_csv.py``)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from ..i18n import N_, language, t, tn
from ..ledger.names import amount_text, day_text
from ..lists.aging import AgingReport, AgingRow, aging_report
from ..lists.aging_csv import export_aging_file
from ..session import CommandError, Context
from .output import say

HEADINGS = [N_("not due"), "1-30", "31-60", "61-90", "91-180", N_("over 180"), N_("total")]
NAME_WIDTH = 32


def _amounts(row: AgingRow, disputed: bool = False) -> list[str]:
    amounts = (*row.amounts, row.disputed, row.total) if disputed else (*row.amounts, row.total)
    return [amount_text(a, "", language()) for a in amounts]


def aging_table(report: AgingReport) -> list[str]:
    """The report as aligned text lines: code, name, the buckets and the total, then
    the totals line; amount columns are as wide as their widest figure. Amounts in
    open disputes, out of the buckets, have a column before the total when there are
    any."""
    disputed = bool(report.totals.disputed_grosze)
    lines = [[row.code, row.name[:NAME_WIDTH], *_amounts(row, disputed)]
             for row in report.rows]
    lines.append(["", t("TOTAL"), *_amounts(report.totals, disputed)])
    headings = [*HEADINGS[:-1], N_("in dispute"), HEADINGS[-1]] if disputed else HEADINGS
    head = [t("code"), t("contractor"), *(t(h) if h[0].isalpha() else h for h in headings)]
    widths = [max(len(line[i]) for line in [head, *lines]) for i in range(len(head))]

    def aligned(cells: list[str]) -> str:
        left = [cells[i].ljust(widths[i]) for i in range(2)]
        right = [cells[i].rjust(widths[i]) for i in range(2, len(cells))]
        return "  ".join(left + right).rstrip()

    return [aligned(head), *(aligned(line) for line in lines)]


def _currency(text: str) -> str:
    code = text.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise CommandError(t("'{value}' is not a currency code (three letters, e.g. PLN)",
                             value=text))
    return code


def aging(args: argparse.Namespace, ctx: Context) -> int:
    currency = _currency(args.currency)
    report = aging_report(ctx.clock.today(), currency)
    others = [c for c in report.currencies if c != currency]
    if args.csv:
        target = Path(args.csv)
        count = export_aging_file(report, target, ctx.language)
        say(tn("{n} contractor written to {target}.", "{n} contractors written to {target}.",
               count, target=target))
        return 0
    say(t("Outstanding {currency} on {day} by days past each document's legal due date (its "
          "due date moved past weekends and holidays)", currency=currency,
          day=day_text(report.today)))
    if not report.rows:
        say(t("Nothing is outstanding in {currency}.", currency=currency))
    else:
        say()
        for line in aging_table(report):
            say(line)
        say()
        totals = report.totals
        say(t("{contractors}, {documents}; {amount} of it with a recovery agency.",
              contractors=tn("{n} contractor", "{n} contractors", len(report.rows)),
              documents=tn("{n} document", "{n} documents", totals.documents),
              amount=amount_text(totals.in_recovery, currency, language())))
        if totals.disputed_grosze:
            say(t("{amount} is in open disputes: shown apart, not in the age columns.",
                  amount=amount_text(totals.disputed, currency, language())))
    if others:
        say(t("Also outstanding in {currencies} (--currency {first}).",
              currencies=", ".join(others), first=others[0]))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="reports: the aging of outstanding amounts")
    what = p.add_subparsers(dest="report", required=True, metavar="aging")
    a = what.add_parser(
        "aging", help="outstanding amounts by contractor and days past the legal due date")
    a.add_argument("--currency", default="PLN",
                   help="the currency to report (default PLN); currencies are never added")
    a.add_argument("--csv", metavar="FILE.csv",
                   help="write the report to this CSV file instead of printing it")
    a.add_argument("--today", metavar="YYYY-MM-DD", default=argparse.SUPPRESS,
                   help="count the days late as on this day")
    a.set_defaults(handler=aging)
