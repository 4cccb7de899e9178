"""The debtor registry on the command line (issue 16, point 4).

``windykacja registry list`` — every debtor warned by a registry demand that went out:
whether it may be reported now, from when, or why not; the reports made; the updates
the bureau must be asked for (art. 29).
``registry report CODE [--file PATH]`` — write the export of a debtor who may be
reported and record the report.
``registry updated CODE [--on DAY]`` — the bureau was asked to update the debtor's
changed claims (to the amounts outstanding now; 0: removed).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..i18n import t, tn
from ..ledger.identity import current_author
from ..ledger.names import amount_text, day_text
from ..ledger.registry import RegistryRefused, mark_updated
from ..lists.registry import (
    debtor_states,
    export_name,
    report_debtor,
    state_line,
    unmet_words,
    updates_due,
)
from ..session import CommandError, Context, parse_day
from .output import find_contractor, say


def registry_list(args: argparse.Namespace, ctx: Context) -> int:
    states = debtor_states(ctx.clock.today())
    if not states:
        say(t("No debtor has been sent a registry warning yet."))
    for state in states:
        warning = state.warning
        say(f"{state.contractor.code:<10} {state.contractor.name}")
        total = amount_text(state.counted_total, "PLN", ctx.language)
        say("  " + (t("warned {day} by registered letter {number}; claims counted: {total}",
                      day=day_text(warning.sent_on), number=warning.registered_number,
                      total=total) if warning.registered_number else
                    t("warned {day} by e-mail; claims counted: {total}",
                      day=day_text(warning.sent_on), total=total)))
        say("  " + state_line(state, ctx.clock.today(), ctx.language))
    due = updates_due()
    if due:
        say(tn("{n} reported claim changed; ask the bureau to update it:",
               "{n} reported claims changed; ask the bureau to update them:", len(due)))
        today = ctx.clock.today()
        for update in due:
            late = t(" — LATE") if update.overdue(today) else ""
            say("  " + t("{number} ({contractor}): {reported} reported, {now} now; "
                         "changed {changed}, update by {by}{late}",
                         number=update.document.number,
                         contractor=update.document.contractor.code,
                         reported=amount_text(update.claim.outstanding_reported,
                                              update.document.currency, ctx.language),
                         now=amount_text(update.document.outstanding,
                                         update.document.currency, ctx.language),
                         changed=day_text(update.changed_on), by=day_text(update.due_by),
                         late=late))
    return 0


def registry_report(args: argparse.Namespace, ctx: Context) -> int:
    contractor = find_contractor(args.code)
    today = ctx.clock.today()
    state = next((s for s in debtor_states(today) if s.contractor.id == contractor.id), None)
    if state is None:
        raise CommandError(t("{code}: no registry warning has gone out to this debtor",
                             code=contractor.code))
    if state.report is not None:
        raise CommandError(t("{code}: already reported on {day} (report #{id})",
                             code=contractor.code, day=day_text(state.report.reported_on),
                             id=state.report.id))
    if not state.eligibility.reportable:
        raise CommandError(t("{code}: may not be reported yet: {why}", code=contractor.code,
                             why="; ".join(unmet_words(state.eligibility, ctx.language))))
    settings = ctx.settings
    path = Path(args.file).expanduser() if args.file else Path(export_name(state, today))
    try:
        report, count = report_debtor(ctx.clock, state, settings, path, ctx.language,
                                      current_author())
    except OSError as exc:
        raise CommandError(t("{path}: cannot be written ({reason})", path=path,
                             reason=exc.strerror or exc)) from None
    except RegistryRefused as exc:
        raise CommandError(str(exc)) from None
    say(tn("Report #{id}: {n} claim of {code} to {bureau}, written to {path}. Send it to the "
           "bureau; after any payment the bureau must be asked to update it within 14 days.",
           "Report #{id}: {n} claims of {code} to {bureau}, written to {path}. Send it to the "
           "bureau; after any payment the bureau must be asked to update it within 14 days.",
           count, id=report.id, code=contractor.code,
           bureau=settings.registry_bureau_name, path=path))
    return 0


def registry_updated(args: argparse.Namespace, ctx: Context) -> int:
    contractor = find_contractor(args.code)
    day = parse_day(args.on) if args.on else ctx.clock.today()
    due = [u for u in updates_due() if u.document.contractor_id == contractor.id]
    if not due:
        raise CommandError(t("{code}: no reported claim waits for an update",
                             code=contractor.code))
    try:
        for update in due:
            mark_updated(ctx.clock, update.claim, day, current_author())
    except RegistryRefused as exc:
        raise CommandError(str(exc)) from None
    say(tn("{n} claim of {code}: the bureau's update recorded on {day}.",
           "{n} claims of {code}: the bureau's update recorded on {day}.", len(due),
           code=contractor.code, day=day_text(day)))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("registry", help="the debtor registry: who may be reported, reports, "
                       "updates after payment")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = actions.add_parser("list", help="warned debtors, when each may be reported, "
                           "updates due")
    q.set_defaults(handler=registry_list)
    q = actions.add_parser("report", help="export a debtor who may be reported and record it")
    q.add_argument("code", help="the contractor's code")
    q.add_argument("--file", help="where to write the export (default: "
                   "rejestr-CODE-DAY.csv here)")
    q.set_defaults(handler=registry_report)
    q = actions.add_parser("updated", help="the bureau was asked to update a debtor's "
                           "changed claims")
    q.add_argument("code", help="the contractor's code")
    q.add_argument("--on", metavar="YYYY-MM-DD", help="the day it was asked (default: today)")
    q.set_defaults(handler=registry_updated)
