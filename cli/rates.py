"""``rates list|refresh|add-interest|add-eur|remove-interest``: the statutory interest and
NBP EUR rate tables, shipped with the program and extended by the user (dunning/rates.py)."""

from __future__ import annotations

import argparse

from ..dunning.actions import current_author
from ..dunning.rates import (
    NBP_URL_ENV,
    RateInputError,
    RefreshError,
    add_eur_rate,
    add_interest_rate,
    eur_rows,
    interest_rows,
    nbp_base_url,
    refresh_eur_rates,
    remove_interest_rate,
)
from ..law.interest import InterestKind, RateTableError
from .context import CommandError, Context, say, warn

KINDS = [kind.value for kind in InterestKind]


def _refused(exc: Exception) -> CommandError:
    return CommandError(str(exc))


def list_rates(args: argparse.Namespace, ctx: Context) -> int:
    try:
        if not args.eur:
            say("Statutory interest rates (% a year, from the day given):")
            for row in interest_rows(args.interest):
                say(f"  {row.kind:<10} {row.start.isoformat()}  {row.rate:>6} %  {row.origin:<7}"
                    f"  {row.source}" + (f" [{row.author}]" if row.author else ""))
        if not args.interest:
            say("NBP table-A EUR rates (last business day of each month):")
            for row in eur_rows():
                say(f"  {row.month}  {row.rate.effective_date.isoformat()}  {row.rate.mid:<6}"
                    f"  {row.rate.table_no:<14}  {row.origin:<7}  {row.source}")
    except RateTableError as exc:
        raise _refused(exc) from None
    return 0


def refresh(args: argparse.Namespace, ctx: Context) -> int:
    url = args.url or nbp_base_url()
    try:
        result = refresh_eur_rates(ctx.clock, url, since=args.since, timeout=args.timeout)
    except (RefreshError, RateInputError, RateTableError) as exc:
        raise CommandError(f"EUR rates not refreshed, nothing stored: {exc}") from None
    if not result.months:
        say("Nothing to fetch: the EUR rates up to last month are known.")
        return 0
    for row in result.stored:
        say(f"  {row.month}: {row.rate.mid} (table {row.rate.table_no} of "
            f"{row.rate.effective_date.isoformat()})")
    for month in result.no_table:
        warn(f"  {month}: NBP published no table A that month; skipped")
    say(f"{len(result.stored)} of {len(result.months)} months stored from {url}.")
    return 0


def add_interest(args: argparse.Namespace, ctx: Context) -> int:
    try:
        row = add_interest_rate(ctx.clock, args.kind, args.valid_from, args.rate, args.source,
                                current_author())
    except (RateInputError, RateTableError) as exc:
        raise _refused(exc) from None
    say(f"Stored: {row.kind} interest {row.rate} % a year from {row.start.isoformat()} "
        f"({row.source}).")
    return 0


def remove_interest(args: argparse.Namespace, ctx: Context) -> int:
    try:
        removed = remove_interest_rate(args.kind, args.valid_from)
    except RateInputError as exc:
        raise _refused(exc) from None
    if not removed:
        raise CommandError(f"no stored {args.kind} rate from {args.valid_from} (shipped rates "
                           "cannot be removed)")
    say(f"Removed the stored {args.kind} rate from {args.valid_from}.")
    return 0


def add_eur(args: argparse.Namespace, ctx: Context) -> int:
    shipped = {row.month: row for row in eur_rows()}.get(args.month)
    try:
        row = add_eur_rate(ctx.clock, args.month, args.effective_date, args.mid, args.table,
                           args.source, current_author(), replace=args.replace)
    except (RateInputError, RateTableError) as exc:
        raise _refused(exc) from None
    say(f"Stored: EUR {row.rate.mid} for {row.month} (table {row.rate.table_no} of "
        f"{row.rate.effective_date.isoformat()}).")
    if shipped is not None and shipped.origin == "shipped" and shipped.rate != row.rate:
        warn(f"  It overrides the shipped {shipped.rate.mid} (table {shipped.rate.table_no}).")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rates", help="statutory interest and NBP EUR rate tables")
    actions = p.add_subparsers(dest="rates_action", metavar="ACTION", required=True)

    q = actions.add_parser("list", help="the rates in force, each with its source")
    which = q.add_mutually_exclusive_group()
    which.add_argument("--eur", action="store_true", help="only the EUR rates")
    which.add_argument("--interest", choices=KINDS, metavar="KIND",
                       help=f"only the interest rates of one kind ({', '.join(KINDS)})")
    q.set_defaults(handler=list_rates)

    q = actions.add_parser("refresh", help="fetch the missing months' EUR rates from the NBP "
                           "API (needs network access to api.nbp.pl)")
    q.add_argument("--since", metavar="YYYY-MM",
                   help="fetch from this month (default: after the newest known month)")
    q.add_argument("--url", metavar="BASE",
                   help=f"the API's base address, for a mirror (default ${NBP_URL_ENV}, else "
                        "https://api.nbp.pl/api/exchangerates)")
    q.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                   help="how long to wait for each answer (default 10)")
    q.set_defaults(handler=refresh)

    q = actions.add_parser("add-interest", help="add a statutory interest rate from a new "
                           "Monitor Polski notice or RPP resolution")
    q.add_argument("kind", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
    q.add_argument("valid_from", metavar="FROM", help="first day it applies (YYYY-MM-DD; "
                   "1 January or 1 July for business and healthcare)")
    q.add_argument("rate", metavar="RATE", help="percent a year, e.g. 13.75")
    q.add_argument("--source", required=True, metavar="TEXT",
                   help="where it comes from, e.g. 'M.P. 2026 poz. 600'")
    q.set_defaults(handler=add_interest)

    q = actions.add_parser("remove-interest", help="remove a stored interest rate (shipped "
                           "rates stay)")
    q.add_argument("kind", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
    q.add_argument("valid_from", metavar="FROM", help="its first day (YYYY-MM-DD)")
    q.set_defaults(handler=remove_interest)

    q = actions.add_parser("add-eur", help="add a month's NBP EUR rate read from table A")
    q.add_argument("month", metavar="MONTH", help="YYYY-MM")
    q.add_argument("effective_date", metavar="EFFECTIVE_DATE",
                   help="the date of the month's last table (YYYY-MM-DD)")
    q.add_argument("mid", metavar="MID", help="PLN per euro, e.g. 4.2130")
    q.add_argument("--table", required=True, metavar="NO", help="e.g. 021/A/NBP/2025")
    q.add_argument("--source", required=True, metavar="TEXT", help="where it was read")
    q.add_argument("--replace", action="store_true",
                   help="replace a different rate already stored for the month")
    q.set_defaults(handler=add_eur)
