"""Commands that run collection: run-once, worker, history, flag, forecast, outbox."""

from __future__ import annotations

import argparse
import logging
import signal
import threading

from ..dunning.claims import claims_of, load_law_tables
from ..dunning.forecast import coming_gaps, forecast, forecast_start
from ..dunning.history import document_next_step, timeline
from ..dunning.lease import Lease, LeaseHeld
from ..dunning.outbox import (
    addresses_in_doubt,
    counts_by_state,
    mark_sent_by_user,
    resend,
    sent_with_unaccepted_recipients,
)
from ..dunning.paper import planned_letters
from ..dunning.passes import MessageOutcome, run_pass
from ..dunning.rate_gaps import describe_gap, short_gap, summarise
from ..dunning.transports import make_transport
from ..dunning.wording import (
    channel_words,
    describe_event_kind,
    describe_next,
    describe_reason,
)
from ..dunning.worker import Worker, run_before_pass_hooks
from ..i18n import N_, language, t, tn
from ..law.lateness import days_late
from ..ledger.actions import current_author, set_subject_to_collection
from ..ledger.event_words import author_name, event_text
from ..ledger.names import (
    MESSAGE_KIND_NAMES,
    MESSAGE_STATE_NAMES,
    PAYMENT_METHOD_NAMES,
    amount_text,
    day_text,
    moment_text,
    name_of,
    number_text,
)
from ..ledger.rate_problems import describe_rate_problem
from ..ledger.settings import mask_secret_url
from ..lists.claim_words import claim_lines
from ..lists.message_view import error_text, read_message, recipient_line, recipients_of
from ..logs import WORKER_LOG, setup_logging, url_password
from ..models import Document, Message, MessageState, Payment, RecipientState
from ..models.sql import tuple_rows
from ..session import CommandError, Context
from .output import find_document, lease_held, say, warn


def _print_outcome(outcome: MessageOutcome) -> None:
    kind = name_of(MESSAGE_KIND_NAMES, outcome.kind, language())
    state = name_of(MESSAGE_STATE_NAMES, outcome.state, language())
    line = (
        f"  #{outcome.message_id} {kind:<14} {state:<10} → {outcome.recipients}"
        f"  [{', '.join(outcome.documents)}]"
    )
    if outcome.again:  # a sent message, tried again for an address that answered 4xx
        line += "  " + t("(tried again for this address only)")
    if outcome.error:
        line += f"  ({outcome.error})"
    say(line)


SKIPPED = {
    "module off": N_("the collection module is off"),
    "not an allowed day": N_("today is not an allowed sending day"),
}


def run_once(args: argparse.Namespace, ctx: Context) -> int:
    settings = ctx.settings
    day = ctx.clock.today()
    lease = Lease()
    try:
        lease.acquire()
    except LeaseHeld as exc:
        raise lease_held(exc, ctx) from None
    try:
        # What the worker does before each pass (the watched folders): said first.
        for line in run_before_pass_hooks(ctx.clock):
            say(line)
        transport = make_transport(settings, ctx.default_maildir)
        # Today's demands that will lack a figure: said before they go out.
        for gap in coming_gaps(settings, day, 1):
            warn("  " + describe_gap(gap))
        say(t("Pass for {day}:", day=day_text(day)))
        result = run_pass(ctx.clock, settings, day, transport, lease, on_message=_print_outcome)
    finally:
        lease.release()
    if result.skipped:
        why = SKIPPED.get(result.skipped)
        say(t("Nothing done: {why}.", why=t(why) if why else result.skipped))
        return 0
    for number in result.finished:
        say(t("  collection finished: {number}", number=number))
    for message_id in result.in_doubt:
        warn(t("  message #{id} is in doubt: check the outbox", id=message_id))
    if result.held is not None:
        warn(t("  {reason}: import the newest statement (windykacja import statement FILE)",
               reason=describe_reason(result.held, ctx.language)))
    total = len(result.outcomes)
    say(t("{day}: {messages} — {sent} sent, {retry} to retry, {failed} failed; {finished}",
          day=day_text(day), messages=tn("{n} message", "{n} messages", total),
          sent=result.count(MessageState.SENT), retry=result.count(MessageState.RETRY),
          failed=result.count(MessageState.FAILED),
          finished=tn("{n} collection finished", "{n} collections finished",
                      len(result.finished))))
    if "://" not in settings.smtp_url and not settings.smtp_url:
        say(t("(Maildir outbox: {folder}; nothing left this machine)",
              folder=settings.outbox_maildir or ctx.default_maildir))
    waiting = len(planned_letters())
    if waiting:  # a pass plans letters and never sends them: a person prints them
        say(tn("{n} letter waits to be printed: windykacja letters print",
               "{n} letters wait to be printed: windykacja letters print", waiting))
    return 0


def worker(args: argparse.Namespace, ctx: Context) -> int:
    # A stop asked for from here on ends the worker cleanly (systemd may ask at once).
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    # Its own rotating file (worker.log) and the journal (stderr), secrets masked in both.
    log_path = setup_logging(WORKER_LOG, stderr_level=logging.INFO,
                             secrets=[url_password(ctx.location)])
    logging.getLogger("windykacja.worker").info(
        "worker started for %s, polling every %g s; log file %s", ctx.location, args.poll,
        log_path or "(none: the log folder is not writable)")
    # Standard output goes to the journal too: never the password of a database URL.
    poll = number_text(args.poll, 0 if args.poll == int(args.poll) else 1)
    say(t("Worker started for {location}; checking every {seconds} s (Ctrl+C stops).",
          location=mask_secret_url(ctx.location), seconds=poll))
    Worker(ctx.clock, ctx.default_maildir).run(stop, args.poll)
    logging.getLogger("windykacja.worker").info("worker stopped")
    return 0


def history(args: argparse.Namespace, ctx: Context) -> int:
    document = find_document(args.number)
    contractor = document.contractor
    currency, lang = document.currency, ctx.language
    say(f"{document.number} — {contractor.name} ({contractor.code})")
    late = days_late(document.legal_due_date, ctx.clock.today())  # law/lateness.py
    say(t("  issued {issued}, due {due} (legal due date {legal})",
          issued=day_text(document.issue_date), due=day_text(document.due_date),
          legal=day_text(document.legal_due_date))
        + (", " + tn("{n} day late", "{n} days late", late)
           if late and document.outstanding > 0 else ""))
    say(t("  gross {gross}, outstanding {outstanding}",
          gross=amount_text(document.gross, currency, lang),
          outstanding=amount_text(document.outstanding, currency, lang)))
    say(t("  subject to collection: yes") if document.subject_to_collection
        else t("  subject to collection: no"))
    if document.outstanding > 0 and late > 0:
        # What a demand would state today: the same words as the document screen's panel,
        # a figure without its rate in words (never 0) with the command that adds it.
        tables = load_law_tables()
        figures = claims_of([document], contractor.kind, ctx.clock.today(),
                            tables)[document.id]
        say(t("Today under Polish law") + ":")
        for line in claim_lines(figures, currency,
                                interest_claimed=ctx.settings.demand_include_interest,
                                compensation_claimed=ctx.settings.demand_include_compensation,
                                outstanding=document.outstanding, language_or_words=lang):
            say("  " + line)
        if tables.problem:
            warn("  " + t("Your added rates are left out: {problem}",
                            problem=describe_rate_problem(tables.problem)))
    payments = Payment.select().where(Payment.document == document.id).order_by(Payment.paid_on)
    if payments:
        say(t("Payments:"))
        for p in payments:
            method = name_of(PAYMENT_METHOD_NAMES, p.method, lang)
            say(f"  {day_text(p.paid_on)}  {amount_text(p.amount, currency, lang):>16}  "
                f"{method} {p.reference}".rstrip())
    say(t("Timeline (times in {zone}):", zone=ctx.clock.timezone.key))
    entries = timeline(document)
    if not entries:
        say(t("  (nothing yet)"))
    for e in entries:
        ref = t(" [message #{id}]", id=e.message_id) if e.message_id else ""
        kind = describe_event_kind(e.kind, lang)
        say(f"  {moment_text(e.at, ctx.clock.timezone)}  {kind:<22} "
            f"{event_text(e.kind, e.text, lang)}  — {author_name(e.author, lang)}{ref}")
    outcome = document_next_step(ctx.settings, document, ctx.clock.today())
    say(t("Next: {step}", step=describe_next(outcome, lang)))
    return 0


def flag(args: argparse.Namespace, ctx: Context) -> int:
    enabled = args.state == "on"
    if args.all_unpaid:
        if not enabled:
            raise CommandError(t("--all-unpaid only switches documents on"))
        ids = [i for (i,) in tuple_rows(Document.select(Document.id)
                                        .where(Document.outstanding > 0))]
    elif args.numbers:
        ids = [find_document(n).id for n in args.numbers]
    else:
        raise CommandError(t("name the documents, or use --all-unpaid"))
    changed = set_subject_to_collection(ctx.clock, ctx.settings, ids, enabled, current_author())
    if enabled:
        say(tn("{count} of {n} document switched on.", "{count} of {n} documents switched on.",
               len(ids), count=changed))
    else:
        say(tn("{count} of {n} document switched off.",
               "{count} of {n} documents switched off.", len(ids), count=changed))
    return 0


def show_forecast(args: argparse.Namespace, ctx: Context) -> int:
    today = ctx.clock.today()
    start = forecast_start(today)
    if start != today:
        say(t("Today's pass has run; the forecast starts tomorrow, {day}.",
              day=day_text(start)))
    items = forecast(ctx.settings, start, args.days)
    if not items:
        say(t("Nothing will be sent in the coming days."))
    for item in items:
        what = channel_words(t("reminder") if item.kind == "reminder" else
                             t("demand {number}", number=item.number), item.channel)
        missing = ("  [" + ", ".join(short_gap(gap) for gap in item.gaps) + "]"
                   if item.gaps else "")
        say(f"{day_text(item.day)}  {what:<14} {item.document:<20} {item.contractor}{missing}")
    # Demands that lack a rate claim the figure in words: say which rate, and how to add it.
    for gap in summarise(items):
        warn(describe_gap(gap))
    return 0


def outbox(args: argparse.Namespace, ctx: Context) -> int:
    if args.action == "list":
        lang = language()
        counts = counts_by_state()
        say("  ".join(f"{name_of(MESSAGE_STATE_NAMES, state, lang)}: {n}"
                      for state, n in sorted(counts.items())) or t("empty"))
        order = [MessageState.IN_DOUBT, MessageState.FAILED, MessageState.RETRY,
                 MessageState.PLANNED]
        for state in order:
            for m in Message.select().where(Message.state == state).order_by(Message.id):
                say(f"#{m.id} {name_of(MESSAGE_STATE_NAMES, m.state, lang):<10} "
                    f"{name_of(MESSAGE_KIND_NAMES, m.kind, lang):<14} "
                    f"{m.recipients.replace(chr(10), ', ')}  "
                    f"{error_text(m.last_error, lang)}".rstrip())
                _say_recipients(m.id, only_unaccepted=False)
        # Sent, but an address did not take it: retried (4xx) or refused for good (5xx).
        unaccepted = sent_with_unaccepted_recipients()
        if unaccepted:
            say(t("Sent, but not to every address:"))
        for m in unaccepted:
            say(f"#{m.id} {name_of(MESSAGE_STATE_NAMES, m.state, lang):<10} "
                f"{name_of(MESSAGE_KIND_NAMES, m.kind, lang):<14} "
                f"{m.recipients.replace(chr(10), ', ')}")
            _say_recipients(m.id, only_unaccepted=False)
        return 0
    if args.id is None:
        raise CommandError(t("outbox {action} needs a message id", action=args.action))
    message = Message.get_or_none(Message.id == args.id)
    if message is None:
        raise CommandError(t("no message #{id}", id=args.id))
    if args.action == "show":
        _show_message(message)
        return 0
    if message.state not in MessageState.NEEDS_ATTENTION + (MessageState.RETRY,) and not (
            message.state == MessageState.SENT and addresses_in_doubt(message.id)):
        state = name_of(MESSAGE_STATE_NAMES, message.state, language())
        raise CommandError(
            t("message #{id} is {state}; only failed or in-doubt messages can be resent",
              id=message.id, state=state) if args.action == "resend"
            else t("message #{id} is {state}; nothing to confirm", id=message.id, state=state))
    try:
        if args.action == "resend":
            resend(message)
            say(t("Message #{id} will be sent again on the next pass.", id=message.id))
        else:
            mark_sent_by_user(ctx.clock, message, current_author())
            say(t("Message #{id} recorded as sent.", id=message.id))
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    return 0


def _say_recipients(message_id: int, only_unaccepted: bool) -> None:
    """Each address's outcome under a message: who accepted, who refused and why."""
    for view in recipients_of(message_id):
        if not only_unaccepted or view.state != RecipientState.ACCEPTED:
            say(f"    {recipient_line(view)}")


def _show_message(message: Message) -> None:
    """``outbox show ID``: the message's state, headers, each address's outcome, text."""
    view = read_message(message)
    say(t("Message #{id} · state: {state}", id=view.id,
          state=name_of(MESSAGE_STATE_NAMES, view.state, language())))
    for name, value in view.headers:
        say(f"{name}: {value}")
    if view.last_error:
        say(t("Last error: {problem}", problem=error_text(view.last_error, language())))
    if view.recipients:
        say(t("Recipients:"))
        _say_recipients(view.id, only_unaccepted=False)
    say("")
    say(view.text or t("(not rendered yet: the text is made when it is sent)"))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run-once", help="run one pass now (or for a simulated day) and print it")
    p.add_argument("--today", metavar="YYYY-MM-DD", default=argparse.SUPPRESS,
                   help="run the pass as if today were this day")
    p.set_defaults(handler=run_once)

    p = sub.add_parser("worker", help="the headless scheduled worker (for systemd or a terminal)")
    p.add_argument("--poll", type=float, default=30.0, metavar="SECONDS",
                   help="how often to look at the clock (default 30)")
    p.set_defaults(log_file=WORKER_LOG)  # from the start: the upgrade at open logs too
    p.set_defaults(handler=worker)

    p = sub.add_parser("history", help="a document's timeline and its next step or why none")
    p.add_argument("number", help="the document number, e.g. FV/2026/11/0001")
    p.add_argument("--today", metavar="YYYY-MM-DD", default=argparse.SUPPRESS,
                   help="the day the next step is computed for")
    p.set_defaults(handler=history)

    p = sub.add_parser("flag", help="switch documents' 'subject to collection' flag")
    p.add_argument("state", choices=["on", "off"])
    p.add_argument("numbers", nargs="*", metavar="NUMBER", help="document numbers")
    p.add_argument("--all-unpaid", action="store_true",
                   help="every document with an outstanding amount (only with 'on')")
    p.set_defaults(handler=flag)

    p = sub.add_parser("forecast", help="what the coming days will send, day by day")
    p.add_argument("--days", type=int, default=14, help="how many days (default 14)")
    p.add_argument("--today", metavar="YYYY-MM-DD", default=argparse.SUPPRESS,
                   help="start from this day")
    p.set_defaults(handler=show_forecast)

    p = sub.add_parser("outbox", help="messages needing attention; show one with each "
                       "address's outcome; resend or mark sent")
    p.add_argument("action", choices=["list", "show", "resend", "mark-sent"], nargs="?",
                   default="list")
    p.add_argument("id", type=int, nargs="?", help="message number")
    p.set_defaults(handler=outbox)
