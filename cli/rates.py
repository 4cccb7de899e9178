"""``rates list|refresh|add-interest|add-eur|remove-interest``: the statutory interest and
NBP EUR rate tables, shipped with the program and extended by the user (ledger/rates.py)."""

from __future__ import annotations

import argparse

from ..i18n import N_, language, t, tn
from ..law.interest import InterestKind, RateTableError
from ..ledger.actions import current_author
from ..ledger.names import INTEREST_KIND_NAMES, day_text
from ..ledger.rate_problems import describe_rate_problem
from ..ledger.rates import (
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
    source_text,
)
from ..session import CommandError, Context
from .output import say, warn

KINDS = [kind.value for kind in InterestKind]
KIND_NAMES = INTEREST_KIND_NAMES
ORIGIN_NAMES = {"shipped": N_("shipped"), "stored": N_("stored")}


def _kind(code: str) -> str:
    return t(KIND_NAMES[code]) if code in KIND_NAMES else code


def _origin(code: str) -> str:
    return t(ORIGIN_NAMES[code]) if code in ORIGIN_NAMES else code


def _rate(value) -> str:
    """A rate in the reader's notation (Polish ``11,25``)."""
    return str(value).replace(".", ",") if language() == "pl" else str(value)


def _refused(exc: Exception) -> CommandError:
    """A refusal of ``ledger.rates`` in the user's words (as the interest-rate dialog)."""
    return CommandError(describe_rate_problem(str(exc)))


def list_rates(args: argparse.Namespace, ctx: Context) -> int:
    origin_width = max(len(_origin(origin)) for origin in ORIGIN_NAMES)
    try:
        if not args.eur:
            say(t("Statutory interest rates (% a year, from the day given):"))
            kind_width = max(len(_kind(kind)) for kind in KIND_NAMES)
            for row in interest_rows(args.interest):
                say(f"  {_kind(row.kind):<{kind_width}} {day_text(row.start)}  "
                    f"{_rate(row.rate):>6} %  {_origin(row.origin):<{origin_width}}  "
                    f"{source_text(row.source)}"
                    + (f" [{row.author}]" if row.author else ""))
        if not args.interest:
            say(t("NBP table-A EUR rates (last business day of each month):"))
            for eur in eur_rows():
                say(f"  {eur.month}  {day_text(eur.rate.effective_date)}  "
                    f"{_rate(eur.rate.mid):<6}  {eur.rate.table_no:<14}  "
                    f"{_origin(eur.origin):<{origin_width}}  {source_text(eur.source)}")
    except RateTableError as exc:
        raise _refused(exc) from None
    return 0


def refresh(args: argparse.Namespace, ctx: Context) -> int:
    url = args.url or nbp_base_url()
    try:
        result = refresh_eur_rates(ctx.clock, url, since=args.since, timeout=args.timeout)
    except (RefreshError, RateInputError, RateTableError) as exc:
        raise CommandError(t("EUR rates not refreshed, nothing stored: {reason}",
                             reason=describe_rate_problem(str(exc)))) from None
    if not result.months:
        say(t("Nothing to fetch: the EUR rates up to last month are known."))
        return 0
    for row in result.stored:
        say("  " + t("{month}: {rate} (table {table} of {day})", month=row.month,
                     rate=_rate(row.rate.mid), table=row.rate.table_no,
                     day=day_text(row.rate.effective_date)))
    for month in result.no_table:
        warn("  " + t("{month}: NBP published no table A that month; skipped", month=month))
    say(tn("{stored} of {n} month stored from {url}.", "{stored} of {n} months stored from {url}.",
           len(result.months), stored=len(result.stored), url=url))
    return 0


def add_interest(args: argparse.Namespace, ctx: Context) -> int:
    try:
        row = add_interest_rate(ctx.clock, args.kind, args.valid_from, args.rate, args.source,
                                current_author())
    except (RateInputError, RateTableError) as exc:
        raise _refused(exc) from None
    say(t("Stored: {kind} interest {rate} % a year from {day} ({source}).",
          kind=_kind(row.kind), rate=_rate(row.rate), day=day_text(row.start),
          source=row.source))
    return 0


def remove_interest(args: argparse.Namespace, ctx: Context) -> int:
    try:
        removed = remove_interest_rate(args.kind, args.valid_from)
    except RateInputError as exc:
        raise _refused(exc) from None
    if not removed:
        raise CommandError(t("no stored {kind} rate from {day} (shipped rates cannot be "
                             "removed)", kind=_kind(args.kind), day=args.valid_from))
    say(t("Removed the stored {kind} rate from {day}.", kind=_kind(args.kind),
          day=args.valid_from))
    return 0


def add_eur(args: argparse.Namespace, ctx: Context) -> int:
    shipped = {row.month: row for row in eur_rows()}.get(args.month)
    try:
        row = add_eur_rate(ctx.clock, args.month, args.effective_date, args.mid, args.table,
                           args.source, current_author(), replace=args.replace)
    except (RateInputError, RateTableError) as exc:
        raise _refused(exc) from None
    say(t("Stored: EUR {rate} for {month} (table {table} of {day}).", rate=_rate(row.rate.mid),
          month=row.month, table=row.rate.table_no, day=day_text(row.rate.effective_date)))
    if shipped is not None and shipped.origin == "shipped" and shipped.rate != row.rate:
        warn("  " + t("It overrides the shipped {rate} (table {table}).",
                      rate=_rate(shipped.rate.mid), table=shipped.rate.table_no))
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
