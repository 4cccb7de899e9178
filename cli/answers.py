"""Promises to pay and disputes on the command line (issue 15): a debtor phones more often
than they write.

``windykacja promise add NUMBER... --amount 1500,00 --by 2026-12-15 [--note …]
[--reply ID]`` (or ``--contractor CODE`` for all of a contractor's unpaid documents);
``promise list [--all]``; ``promise withdraw ID [--note …]``.
``windykacja dispute add NUMBER --reason "…" [--amount 200,00] [--reply ID]``;
``dispute list [--all]``; ``dispute resolve ID --resolution "…"``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from ..i18n import t
from ..ledger.answers import (
    AnswerRefused,
    make_promise,
    open_dispute,
    open_documents,
    promise_document_ids,
    resolve_dispute,
    withdraw_promise,
)
from ..ledger.names import (
    DISPUTE_STATE_NAMES,
    PROMISE_STATE_NAMES,
    amount_text,
    day_text,
    name_of,
)
from ..models import (
    Dispute,
    DisputeState,
    Document,
    InboxMessage,
    Promise,
    PromiseState,
)
from ..models.money import MoneyError, parse_amount
from ..session import CommandError, Context
from .output import find_contractor, find_document, say


def _amount(text: str):
    try:
        return parse_amount(text)
    except MoneyError:
        raise CommandError(t("--amount: '{value}' is not an amount (use 1234,56)",
                             value=text)) from None


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(t("--by: '{value}' is not a date (use YYYY-MM-DD)",
                             value=text)) from None


def _reply(reply_id: int | None) -> InboxMessage | None:
    if reply_id is None:
        return None
    found: InboxMessage | None = InboxMessage.get_or_none(InboxMessage.id == reply_id)
    if found is None:
        raise CommandError(t("no incoming message #{id}", id=reply_id))
    return found


@contextmanager
def refused_in_words() -> Iterator[None]:
    """A promise, dispute or decision the ledger refuses: its words, exit status 1."""
    try:
        yield
    except AnswerRefused as exc:
        raise CommandError(str(exc)) from None


def promise_numbers(promise_id: int) -> str:
    return ", ".join(d.number for d in Document.select(Document.number).where(
        Document.id.in_(promise_document_ids(promise_id))).order_by(Document.number))


def _promise_documents(args: argparse.Namespace) -> list[Document]:
    if args.contractor:
        contractor = find_contractor(args.contractor)
        return list(Document.select().where(Document.id.in_(open_documents(contractor.id))))
    if not args.numbers:
        raise CommandError(t("name the documents, or --contractor CODE for all of a "
                             "contractor's unpaid documents"))
    return [find_document(number) for number in args.numbers]


def promise_add(args: argparse.Namespace, ctx: Context) -> int:
    documents = _promise_documents(args)
    with refused_in_words():
        promise = make_promise(ctx.clock, ctx.settings, documents, _amount(args.amount),
                               _day(args.by), note=args.note, reply=_reply(args.reply))
    say(t("Promise #{id}: {amount} by {day}; collection of {documents} waits until {until}.",
          id=promise.id, amount=amount_text(promise.amount, promise.currency, ctx.language),
          day=day_text(promise.pay_by),
          documents=promise_numbers(promise.id),
          until=day_text(promise.wait_until)))
    return 0


def promise_list(args: argparse.Namespace, ctx: Context) -> int:
    query = Promise.select().order_by(Promise.id.desc())
    if not args.all:
        query = query.where(Promise.state == PromiseState.OPEN)
    rows = list(query.limit(200))
    if not rows:
        say(t("No open promise to pay.") if not args.all else t("No promise to pay yet."))
    for promise in rows:
        numbers = promise_numbers(promise.id)
        say(f"#{promise.id:<5} {name_of(PROMISE_STATE_NAMES, promise.state, ctx.language):<14}"
            f" {amount_text(promise.amount, promise.currency, ctx.language):>16}  "
            + t("by {day}, waits until {until}", day=day_text(promise.pay_by),
                until=day_text(promise.wait_until))
            + f"  {promise.contractor.name}: {numbers}")
    return 0


def promise_withdraw(args: argparse.Namespace, ctx: Context) -> int:
    promise = Promise.get_or_none(Promise.id == args.id)
    if promise is None:
        raise CommandError(t("no promise #{id}", id=args.id))
    with refused_in_words():
        withdraw_promise(ctx.clock, promise, note=args.note)
    say(t("Promise #{id} withdrawn.", id=args.id))
    return 0


def dispute_add(args: argparse.Namespace, ctx: Context) -> int:
    document = find_document(args.number)
    amount = _amount(args.amount) if args.amount else None
    with refused_in_words():
        dispute = open_dispute(ctx.clock, document, args.reason, amount,
                               reply=_reply(args.reply))
    say(t("Dispute #{id}: {number} is not collected or handed to an agency until it is "
          "resolved.", id=dispute.id, number=document.number))
    return 0


def dispute_list(args: argparse.Namespace, ctx: Context) -> int:
    query = Dispute.select().order_by(Dispute.id.desc())
    if not args.all:
        query = query.where(Dispute.state == DisputeState.OPEN)
    rows = list(query.limit(200))
    if not rows:
        say(t("No open dispute.") if not args.all else t("No dispute yet."))
    for dispute in rows:
        document = dispute.document
        amount = (amount_text(dispute.amount, document.currency, ctx.language)
                  if dispute.amount is not None else t("whole document"))
        say(f"#{dispute.id:<5} "
            f"{name_of(DISPUTE_STATE_NAMES, dispute.state, ctx.language):<20} "
            f"{document.number}  {day_text(dispute.opened_on)}  {amount}: {dispute.reason}")
        if dispute.resolution:
            say(f"       {day_text(dispute.resolved_on)}: {dispute.resolution}")
    return 0


def dispute_resolve(args: argparse.Namespace, ctx: Context) -> int:
    dispute = Dispute.get_or_none(Dispute.id == args.id)
    if dispute is None:
        raise CommandError(t("no dispute #{id}", id=args.id))
    with refused_in_words():
        resolve_dispute(ctx.clock, dispute, args.resolution)
    say(t("Dispute #{id} resolved; collection of {number} goes on.", id=args.id,
          number=dispute.document.number))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("promise", help="promises to pay: record one from a phone call, "
                       "list, withdraw")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = actions.add_parser("add", help="the debtor promised to pay an amount by a day")
    q.add_argument("numbers", nargs="*", metavar="NUMBER", help="document numbers")
    q.add_argument("--contractor", metavar="CODE",
                   help="all of this contractor's unpaid documents")
    q.add_argument("--amount", required=True, help="the amount promised, e.g. 1500,00")
    q.add_argument("--by", required=True, metavar="YYYY-MM-DD", help="the day promised")
    q.add_argument("--note", default="", help="who said it, how (kept on the timeline)")
    q.add_argument("--reply", type=int, metavar="ID",
                   help="the incoming message it answers (decides it)")
    q.set_defaults(handler=promise_add)
    q = actions.add_parser("list", help="open promises (--all: every one)")
    q.add_argument("--all", action="store_true")
    q.set_defaults(handler=promise_list)
    q = actions.add_parser("withdraw", help="take a promise back")
    q.add_argument("id", type=int)
    q.add_argument("--note", default="")
    q.set_defaults(handler=promise_withdraw)

    p = sub.add_parser("dispute", help="disputes: record one, list, resolve")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = actions.add_parser("add", help="the debtor contests a document")
    q.add_argument("number", metavar="NUMBER", help="the document number")
    q.add_argument("--reason", required=True, help="what the debtor says")
    q.add_argument("--amount", help="the part contested (default: the whole document)")
    q.add_argument("--reply", type=int, metavar="ID",
                   help="the incoming message it answers (decides it)")
    q.set_defaults(handler=dispute_add)
    q = actions.add_parser("list", help="open disputes (--all: every one)")
    q.add_argument("--all", action="store_true")
    q.set_defaults(handler=dispute_list)
    q = actions.add_parser("resolve", help="lift a dispute, saying how it was settled")
    q.add_argument("id", type=int)
    q.add_argument("--resolution", required=True, help="how it was settled")
    q.set_defaults(handler=dispute_resolve)
