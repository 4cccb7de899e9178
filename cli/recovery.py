"""``recovery list|show CASE|import-status FILE|withdraw CASE|refresh``: agency cases from the
command line."""

from __future__ import annotations

import argparse
import datetime as dt

from ..i18n import N_, language, t, tn
from ..importers.csv_common import ImportRejected
from ..ledger.event_words import agency_name, author_name
from ..ledger.names import (
    CASE_STATUS_NAMES,
    MESSAGE_STATE_NAMES,
    amount_text,
    day_text,
    moment_text,
    name_of,
)
from ..models import CaseStatus, RecoveryCase
from ..recovery.agencies import AgencyError, default_agency
from ..recovery.case_view import CaseRow, case_detail, case_rows
from ..recovery.cases import RecoveryError, set_status
from ..recovery.gateway_problems import describe_gateway_problem
from ..recovery.gateways import GatewayError, agency_message
from ..recovery.sending import make_gateway, refresh
from ..recovery.status_import import import_status
from ..session import CommandError, Context
from .output import say, warn

# Who set a case's status: a person by hand, the agency's gateway, an imported file.
CASE_SOURCE_NAMES = {
    "user": N_("by hand"),
    "gateway": N_("from the agency"),
    "import": N_("from a file"),
}


def _status(code: str) -> str:
    return name_of(CASE_STATUS_NAMES, code, language())


def _money(value) -> str:
    return amount_text(value, "PLN", language())


def _percent(value) -> str:
    return str(value).replace(".", ",") if language() == "pl" else str(value)


def _delivery(r: CaseRow) -> str:
    """Where the case stands with the gateway, in a few words (``CaseRow.delivery``)."""
    if r.sent_at is not None:
        text = t("sent {day}", day=day_text(r.sent_at.date()))
        return text + (t(", ref {ref}", ref=r.external_ref) if r.external_ref else "")
    if r.send_error:
        return tn("not sent ({n} try): {error}", "not sent ({n} tries): {error}", r.attempts,
                  error=describe_gateway_problem(r.send_error))
    if r.outbox:
        message = agency_message(r.id)
        if message is not None:
            return t("e-mail #{id} {state} in the outbox", id=message.id,
                     state=name_of(MESSAGE_STATE_NAMES, message.state, language()))
    return _status(CaseStatus.NOT_SENT) if r.status == CaseStatus.NOT_SENT else "—"


def list_cases(args: argparse.Namespace, ctx: Context) -> int:
    rows = case_rows(args.status)
    if not rows:
        say(t("No cases."))
    for r in rows:
        say(f"#{r.id:<5} {_status(r.status):<22} {r.contractor[:30]:<30} {_money(r.total):>16}  "
            + t("commission {rate}% ≈ {amount} (recorded {recorded})",
                rate=_percent(r.commission_rate), amount=_money(r.commission),
                recorded=_money(r.commission_recorded))
            + f"  {_delivery(r)}")
    return 0


def show_case(args: argparse.Namespace, ctx: Context) -> int:
    detail = case_detail(args.case)
    if detail is None:
        raise CommandError(t("no case {case}", case=args.case))
    r, d = detail.row, detail.debtor
    lang, zone = language(), ctx.clock.timezone
    say(t("Case {case} — order {order}, agency {agency}: {status}", case=r.id,
          order=r.order_id, agency=agency_name(r.agency), status=_status(r.status)))
    if d.get("vat_eu", "").startswith("GB") and not d.get("nip"):  # a UK company
        say(t("  debtor: {name}, UK VAT number {vat_eu}, {address}", name=d.get("name", ""),
              vat_eu=d["vat_eu"], address=d.get("address", "")))
    elif d.get("vat_eu") and not d.get("nip"):  # a company in another EU state
        say(t("  debtor: {name}, EU VAT number {vat_eu}, {address}", name=d.get("name", ""),
              vat_eu=d["vat_eu"], address=d.get("address", "")))
    else:
        say(t("  debtor: {name}, NIP {nip}, {address}", name=d.get("name", ""),
              nip=d.get("nip") or "—", address=d.get("address", "")))
    say(t("          e-mail {email}, phone {phone}", email=d.get("email") or "—",
          phone=d.get("phone") or "—"))
    say(t("  handed over {total}, oldest {days} overdue; recorded {when} by {author}",
          total=_money(r.total),
          days=tn("{n} day", "{n} days", detail.oldest_days_overdue),
          when=moment_text(detail.created_at, zone), author=author_name(detail.author, lang)))
    say(t("  commission {rate}% ≈ {amount}, payable only if recovered{from_debtor}; recorded "
          "so far {recorded}", rate=_percent(r.commission_rate), amount=_money(r.commission),
          from_debtor=t("; claimed from the debtor") if detail.commission_from_debtor else "",
          recorded=_money(r.commission_recorded)))
    say(tn("  gateway: {delivery}; {n} attempt", "  gateway: {delivery}; {n} attempts",
           r.attempts, delivery=_delivery(r))
        + (t("; agency ref {ref}", ref=r.external_ref) if r.external_ref else ""))
    say(t("Documents:"))
    for number, due, outstanding, currency, days, active, now in detail.documents:
        due_day = dt.date.fromisoformat(due) if isinstance(due, str) else due
        say(f"  {number:<20} "
            + t("due {day}", day=day_text(due_day))
            + f"  {amount_text(outstanding, currency, lang):>16} "
            + tn("({n} day overdue)", "({n} days overdue)", days)
            + "  " + t("now {amount}", amount=amount_text(now, currency, lang))
            + ("" if active else "  " + t("[released]")))
    say(t("Status history (times in {zone}):", zone=zone.key))
    for at, status, source, author, note in detail.history:
        say(f"  {moment_text(at, zone)}  {_status(status):<22} "
            f"{name_of(CASE_SOURCE_NAMES, source, lang):<14} {author_name(author, lang)}"
            + (f"  — {note}" if note else ""))
    return 0


def import_status_file(args: argparse.Namespace, ctx: Context) -> int:
    try:
        summary = import_status(args.file, ctx.clock)
    except ImportRejected as exc:
        raise CommandError(str(exc)) from None
    say(t("{file}: {rows}, {changed}, {unchanged} already so.", file=args.file,
          rows=tn("{n} row", "{n} rows", summary.rows),
          changed=tn("{n} case changed", "{n} cases changed", summary.changed),
          unchanged=summary.unchanged))
    return 0


def withdraw_case(args: argparse.Namespace, ctx: Context) -> int:
    """Take a case back from the agency: its documents return to automatic collection."""
    case = RecoveryCase.get_or_none(RecoveryCase.id == args.case)
    if case is None:
        raise CommandError(t("no case {case}", case=args.case))
    try:
        changed = set_status(ctx.clock, case, CaseStatus.WITHDRAWN, source="user",
                             note=args.note or "")
    except RecoveryError as exc:
        raise CommandError(str(exc)) from None
    say(t("Case {case} withdrawn; its documents are back under automatic collection.",
          case=case.id) if changed else t("Case {case} was already withdrawn.", case=case.id))
    return 0


def refresh_cases(args: argparse.Namespace, ctx: Context) -> int:
    try:
        gateway = make_gateway(ctx.settings, default_agency(), clock=ctx.clock,
                               default_maildir=ctx.default_maildir)
    except (GatewayError, AgencyError, ValueError) as exc:
        raise CommandError(describe_gateway_problem(str(exc))) from None
    result = refresh(ctx.clock, gateway, include_refused=args.retry_refused)
    for outcome in result.retried:
        if outcome.status != CaseStatus.NOT_SENT:
            say("  " + t("case {case}: sent, {status}", case=outcome.case_id,
                         status=_status(outcome.status)))
        elif outcome.pending:
            say("  " + t("case {case}: in the outbox, goes out with the next pass",
                         case=outcome.case_id))
        else:
            warn("  " + t("case {case}: not sent: {error}", case=outcome.case_id,
                          error=describe_gateway_problem(outcome.error)))
    for case_id, old, new in result.changed:
        say("  " + t("case {case}: {old} → {new}", case=case_id, old=_status(old),
                     new=_status(new)))
    for error in result.errors:
        warn("  " + describe_gateway_problem(error))
    say(t("{tried}, {changed}.",
          tried=tn("{n} unsent case tried", "{n} unsent cases tried", len(result.retried)),
          changed=tn("{n} status changed", "{n} statuses changed", len(result.changed))))
    failed = [o for o in result.retried if o.error] or result.errors
    if failed:
        raise CommandError(t("some cases could not be sent or asked; see above"))
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
