"""Commands that run collection: run-once, worker, history, flag, forecast, outbox."""

from __future__ import annotations

import argparse
import logging
import signal
import threading

from ..dunning.actions import current_author, set_subject_to_collection
from ..dunning.claim_words import claim_lines
from ..dunning.claims import claims_of, load_law_tables
from ..dunning.forecast import forecast
from ..dunning.history import document_next_step, timeline
from ..dunning.lease import Lease, LeaseHeld
from ..dunning.logging_setup import WORKER_LOG, setup_logging, url_password
from ..dunning.outbox import counts_by_state, mark_sent_by_user, resend
from ..dunning.passes import MessageOutcome, run_pass
from ..dunning.rate_gaps import describe_gap, short_gap, summarise
from ..dunning.settings import mask_secret_url
from ..dunning.transports import make_transport
from ..dunning.wording import describe_event_kind, describe_next, describe_reason
from ..i18n import t
from ..dunning.worker import Worker
from ..models import Document, Message, MessageState, Payment
from ..models.money import format_amount
from .context import CommandError, Context, say, warn


def _print_outcome(outcome: MessageOutcome) -> None:
    line = (
        f"  #{outcome.message_id} {outcome.kind:<8} {outcome.state:<8} → {outcome.recipients}"
        f"  [{', '.join(outcome.documents)}]"
    )
    if outcome.error:
        line += f"  ({outcome.error})"
    say(line)


def run_once(args: argparse.Namespace, ctx: Context) -> int:
    settings = ctx.settings
    day = ctx.clock.today()
    lease = Lease()
    try:
        lease.acquire()
    except LeaseHeld as exc:
        raise CommandError(str(exc)) from None
    try:
        transport = make_transport(settings, ctx.default_maildir)
        say(f"Pass for {day.isoformat()}:")
        result = run_pass(ctx.clock, settings, day, transport, lease, on_message=_print_outcome)
    finally:
        lease.release()
    if result.skipped:
        say(f"Nothing done: {result.skipped}.")
        return 0
    for number in result.finished:
        say(f"  collection finished: {number}")
    for message_id in result.in_doubt:
        warn(f"  message #{message_id} is in doubt: check the outbox")
    if result.held is not None:
        warn(f"  {describe_reason(result.held, ctx.language)}: import the newest statement "
             "(windykacja import statement FILE)")
    sent = result.count(MessageState.SENT)
    say(
        f"{day.isoformat()}: {len(result.outcomes)} messages — {sent} sent, "
        f"{result.count(MessageState.RETRY)} to retry, {result.count(MessageState.FAILED)} "
        f"failed; {len(result.finished)} collections finished"
    )
    if "://" not in settings.smtp_url and not settings.smtp_url:
        say(f"(Maildir outbox: {settings.outbox_maildir or ctx.default_maildir}; "
            "nothing left this machine)")
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
    say(f"Worker started for {mask_secret_url(ctx.location)}; checking every {args.poll:g} s "
        "(Ctrl+C stops).")
    Worker(ctx.clock, ctx.default_maildir).run(stop, args.poll)
    logging.getLogger("windykacja.worker").info("worker stopped")
    return 0


def _document(number: str) -> Document:
    document = Document.get_or_none(Document.number == number)
    if document is None:
        raise CommandError(f"no document numbered {number!r}")
    return document


def history(args: argparse.Namespace, ctx: Context) -> int:
    document = _document(args.number)
    contractor = document.contractor
    currency = document.currency
    say(f"{document.number} — {contractor.name} ({contractor.code})")
    say(f"  issued {document.issue_date}, due {document.due_date} "
        f"(legal due date {document.legal_due_date})")
    say(f"  gross {format_amount(document.gross, currency)}, "
        f"outstanding {format_amount(document.outstanding, currency)}")
    say(f"  subject to collection: {'yes' if document.subject_to_collection else 'no'}")
    if document.outstanding > 0 and document.legal_due_date < ctx.clock.today():
        # What a demand would state today: the same words as the document screen's panel,
        # a figure without its rate in words (never 0) with the command that adds it.
        tables = load_law_tables()
        figures = claims_of([document], contractor.kind, ctx.clock.today(),
                            tables)[document.id]
        say(t("Today under Polish law") + ":")
        for line in claim_lines(figures, currency,
                                interest_claimed=ctx.settings.demand_include_interest,
                                compensation_claimed=ctx.settings.demand_include_compensation,
                                outstanding=document.outstanding,
                                language_or_words=ctx.language):
            say("  " + line)
        if tables.problem:
            warn("  " + t("Your added rates are left out: {problem}", problem=tables.problem))
    payments = Payment.select().where(Payment.document == document.id).order_by(Payment.paid_on)
    if payments:
        say("Payments:")
        for p in payments:
            say(f"  {p.paid_on}  {format_amount(p.amount, currency):>16}  {p.method} {p.reference}")
    say("Timeline:")
    entries = timeline(document)
    if not entries:
        say("  (nothing yet)")
    for e in entries:
        ref = f" [message #{e.message_id}]" if e.message_id else ""
        kind = describe_event_kind(e.kind, ctx.language)
        say(f"  {e.at:%Y-%m-%d %H:%M} UTC  {kind:<22} {e.text}  — {e.author}{ref}")
    outcome = document_next_step(ctx.settings, document, ctx.clock.today())
    say(f"Next: {describe_next(outcome, ctx.language)}")
    return 0


def flag(args: argparse.Namespace, ctx: Context) -> int:
    enabled = args.state == "on"
    if args.all_unpaid:
        if not enabled:
            raise CommandError("--all-unpaid only switches documents on")
        ids = [i for (i,) in Document.select(Document.id).where(Document.outstanding > 0).tuples()]
    elif args.numbers:
        ids = [_document(n).id for n in args.numbers]
    else:
        raise CommandError("name the documents, or use --all-unpaid")
    changed = set_subject_to_collection(ctx.clock, ctx.settings, ids, enabled, current_author())
    say(f"{changed} of {len(ids)} documents switched {args.state}.")
    return 0


def show_forecast(args: argparse.Namespace, ctx: Context) -> int:
    items = forecast(ctx.settings, ctx.clock.today(), args.days)
    if not items:
        say("Nothing will be sent in the coming days.")
    for item in items:
        what = "reminder" if item.kind == "reminder" else f"demand {item.number}"
        missing = ("  [" + ", ".join(short_gap(gap) for gap in item.gaps) + "]"
                   if item.gaps else "")
        say(f"{item.day}  {what:<10} {item.document:<20} {item.contractor}{missing}")
    # Demands that lack a rate claim the figure in words: say which rate, and how to add it.
    for gap in summarise(items):
        warn(describe_gap(gap))
    return 0


def outbox(args: argparse.Namespace, ctx: Context) -> int:
    if args.action == "list":
        counts = counts_by_state()
        say("  ".join(f"{state}: {n}" for state, n in sorted(counts.items())) or "empty")
        order = [MessageState.IN_DOUBT, MessageState.FAILED, MessageState.RETRY,
                 MessageState.PLANNED]
        for state in order:
            for m in Message.select().where(Message.state == state).order_by(Message.id):
                say(f"#{m.id} {m.state:<8} {m.kind:<8} {m.recipients.replace(chr(10), ', ')}"
                    f"  {m.last_error}")
        return 0
    if args.id is None:
        raise CommandError(f"outbox {args.action} needs a message id")
    message = Message.get_or_none(Message.id == args.id)
    if message is None:
        raise CommandError(f"no message #{args.id}")
    try:
        if args.action == "resend":
            resend(message)
            say(f"Message #{message.id} will be sent again on the next pass.")
        else:
            mark_sent_by_user(ctx.clock, message, current_author())
            say(f"Message #{message.id} recorded as sent.")
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    return 0


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

    p = sub.add_parser("outbox", help="messages needing attention; resend or mark sent")
    p.add_argument("action", choices=["list", "resend", "mark-sent"], nargs="?", default="list")
    p.add_argument("id", type=int, nargs="?", help="message number")
    p.set_defaults(handler=outbox)
