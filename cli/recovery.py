"""``recovery list|show CASE|import-status FILE|withdraw CASE|refresh``: agency cases from the
command line."""

from __future__ import annotations

import argparse

from ..importers.csv_common import ImportRejected
from ..models import CaseStatus, RecoveryCase
from ..models.money import format_amount
from ..recovery.agencies import AgencyError, default_agency
from ..recovery.case_view import case_detail, case_rows
from ..recovery.cases import RecoveryError, set_status
from ..recovery.gateways import GatewayError
from ..recovery.sending import make_gateway, refresh
from ..recovery.status_import import import_status
from .context import CommandError, Context, say, warn


def list_cases(args: argparse.Namespace, ctx: Context) -> int:
    rows = case_rows(args.status)
    if not rows:
        say("No cases.")
    for r in rows:
        say(f"#{r.id:<5} {r.status:<16} {r.contractor[:30]:<30} {format_amount(r.total):>16}"
            f"  commission {r.commission_rate}% ≈ {format_amount(r.commission)}"
            f" (recorded {format_amount(r.commission_recorded)})  {r.delivery}")
    return 0


def show_case(args: argparse.Namespace, ctx: Context) -> int:
    detail = case_detail(args.case)
    if detail is None:
        raise CommandError(f"no case {args.case}")
    r, d = detail.row, detail.debtor
    say(f"Case {r.id} — order {r.order_id}, agency {r.agency}: {r.status}")
    say(f"  debtor: {d.get('name', '')}, NIP {d.get('nip') or '—'}, {d.get('address', '')}")
    say(f"          e-mail {d.get('email') or '—'}, phone {d.get('phone') or '—'}")
    say(f"  handed over {format_amount(r.total)}, oldest {detail.oldest_days_overdue} days "
        f"overdue; recorded {detail.created_at:%Y-%m-%d %H:%M} UTC by {detail.author}")
    say(f"  commission {r.commission_rate}% ≈ {format_amount(r.commission)}, payable only "
        f"if recovered{'; claimed from the debtor' if detail.commission_from_debtor else ''};"
        f" recorded so far {format_amount(r.commission_recorded)}")
    say(f"  gateway: {r.delivery}; attempts {r.attempts}"
        + (f"; agency ref {r.external_ref}" if r.external_ref else ""))
    say("Documents:")
    for number, due, outstanding, currency, days, active, now in detail.documents:
        say(f"  {number:<20} due {due}  {format_amount(outstanding, currency):>16} "
            f"({days} days overdue)  now {format_amount(now, currency)}"
            f"{'' if active else '  [released]'}")
    say("Status history:")
    for at, status, source, author, note in detail.history:
        say(f"  {at:%Y-%m-%d %H:%M} UTC  {status:<16} {source:<8} {author}"
            + (f"  — {note}" if note else ""))
    return 0


def import_status_file(args: argparse.Namespace, ctx: Context) -> int:
    try:
        summary = import_status(args.file, ctx.clock)
    except ImportRejected as exc:
        raise CommandError(str(exc)) from None
    say(f"{args.file}: {summary.rows} rows, {summary.changed} cases changed, "
        f"{summary.unchanged} already so.")
    return 0


def withdraw_case(args: argparse.Namespace, ctx: Context) -> int:
    """Take a case back from the agency: its documents return to automatic collection."""
    case = RecoveryCase.get_or_none(RecoveryCase.id == args.case)
    if case is None:
        raise CommandError(f"no case {args.case}")
    try:
        changed = set_status(ctx.clock, case, CaseStatus.WITHDRAWN, source="user",
                             note=args.note or "")
    except RecoveryError as exc:
        raise CommandError(str(exc)) from None
    say(f"Case {case.id} withdrawn; its documents are back under automatic collection."
        if changed else f"Case {case.id} was already withdrawn.")
    return 0


def refresh_cases(args: argparse.Namespace, ctx: Context) -> int:
    try:
        gateway = make_gateway(ctx.settings, default_agency(), clock=ctx.clock,
                               default_maildir=ctx.default_maildir)
    except (GatewayError, AgencyError, ValueError) as exc:
        raise CommandError(str(exc)) from None
    result = refresh(ctx.clock, gateway, include_refused=args.retry_refused)
    for outcome in result.retried:
        if outcome.status != CaseStatus.NOT_SENT:
            say(f"  case {outcome.case_id}: sent, {outcome.status}")
        elif outcome.pending:
            say(f"  case {outcome.case_id}: in the outbox, goes out with the next pass")
        else:
            warn(f"  case {outcome.case_id}: not sent: {outcome.error}")
    for case_id, old, new in result.changed:
        say(f"  case {case_id}: {old} → {new}")
    for error in result.errors:
        warn(f"  {error}")
    say(f"{len(result.retried)} unsent cases tried, {len(result.changed)} statuses changed.")
    failed = [o for o in result.retried if o.error] or result.errors
    if failed:
        raise CommandError("some cases could not be sent or asked; see above")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("recovery", help="cases handed to a collection agency")
    actions = p.add_subparsers(dest="recovery_action", metavar="ACTION", required=True)
    q = actions.add_parser("list", help="every case: contractor, total, status, commission")
    q.add_argument("--status", choices=CaseStatus.ALL, help="only cases with this status")
    q.set_defaults(handler=list_cases)
    q = actions.add_parser("show", help="one case: debtor, documents, status history")
    q.add_argument("case", type=int, help="the case number")
    q.set_defaults(handler=show_case)
    q = actions.add_parser("import-status", help="statuses from the agency's CSV or JSON file")
    q.add_argument("file", help="CSV (case, status, [date], [note]) or JSON list")
    q.set_defaults(handler=import_status_file)
    q = actions.add_parser("withdraw", help="take a case back: its documents return to "
                           "automatic reminders and demands")
    q.add_argument("case", type=int, metavar="CASE")
    q.add_argument("--note", help="why (kept in the case's history)")
    q.set_defaults(handler=withdraw_case)
    q = actions.add_parser("refresh", help="send unsent cases again and ask for statuses")
    q.add_argument("--retry-refused", action="store_true",
                   help="also cases the agency refused (after the data was corrected)")
    q.set_defaults(handler=refresh_cases)
