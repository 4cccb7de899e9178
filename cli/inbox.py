"""The collection mailbox on the command line (issue 15).

``windykacja inbox fetch``: read the mailbox now, as the worker does on every poll
(``importers/inbox.py``); exit status 1 when a mailbox could not be read.
``windykacja inbox list [--all] [--kind KIND]``: what waits for a person (replies to
decide, messages nobody could match), newest first; ``--all`` adds the rest.
``windykacja inbox show ID``: one message — who, what it concerns, its text, its
attachments, a bounce's failed addresses. ``windykacja inbox save ID N PATH``: save its
N-th attachment. ``windykacja inbox decide ID resume|not-relevant [--note]`` and
``windykacja inbox assign ID CONTRACTOR``: a person's decision; a promise or a dispute
from a reply is recorded with ``promise add --reply ID`` / ``dispute add --reply ID``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from ..i18n import t, tn
from ..importers.inbox import connected, fetch_inbox, result_lines
from ..ledger.answers import assign_reply, decide_reply
from ..ledger.names import (
    DECISION_NAMES,
    INBOX_KIND_NAMES,
    amount_text,
    day_text,
    moment_text,
    name_of,
)
from ..lists.inbox import InboxRow, InboxView, attachment_content, inbox_source, inbox_view
from ..models import Decision, InboxMessage
from ..session import CommandError, Context
from .answers import refused_in_words
from .output import find_contractor, say, warn

DECISIONS = {"resume": Decision.RESUME, "not-relevant": Decision.NOT_RELEVANT}


def _not_connected() -> CommandError:
    return CommandError(t(
        "No mailbox is set up. Set one, e.g.: windykacja settings set "
        "imap.url=imaps://windykacja%40firma.pl@poczta.firma.pl/INBOX (the password in "
        "$WINDYKACJA_IMAP_PASSWORD), or inbox.maildir=/home/firma/Maildir"))


def fetch_command(args: argparse.Namespace, ctx: Context) -> int:
    if not connected(ctx.settings):
        raise _not_connected()
    results = fetch_inbox(ctx.clock, ctx.settings)
    for result, line in zip(results, result_lines(results), strict=True):
        (say if result.failure is None else warn)(line)
    return 1 if any(r.failure for r in results) else 0


def _state_words(row: InboxRow, language: str) -> str:
    if row.waiting:
        return t("waiting") if row.contractor else t("unmatched")
    return name_of(DECISION_NAMES, row.decision, language) if row.decision else ""


def list_command(args: argparse.Namespace, ctx: Context) -> int:
    source = inbox_source(waiting_only=not args.all, kind=args.kind).load()
    shown = 0
    for index in range(min(source.count, args.limit)):
        row = source.row(index)
        if row is None:
            break
        shown += 1
        who = row.contractor or row.from_address
        documents = ", ".join(row.documents[:3]) + (" …" if len(row.documents) > 3 else "")
        say(f"#{row.id:<6} {day_text(row.day)}  "
            f"{name_of(INBOX_KIND_NAMES, row.kind, ctx.language):<22} "
            f"{_state_words(row, ctx.language):<14} {who}")
        say(f"        {row.subject}" + (f"  [{documents}]" if documents else ""))
    if not shown:
        say(t("Nothing waits in the inbox.") if not args.all else t("The inbox is empty."))
    elif source.count > shown:
        say(tn("… and {n} more", "… and {n} more", source.count - shown))
    return 0


def _view(inbox_id: int) -> InboxView:
    try:
        return inbox_view(inbox_id)
    except InboxMessage.DoesNotExist:
        raise CommandError(t("no incoming message #{id}", id=inbox_id)) from None


def show_command(args: argparse.Namespace, ctx: Context) -> int:
    view, lang = _view(args.id), ctx.language
    row = view.row
    say(t("Incoming message #{id}: {kind}", id=row.id,
          kind=name_of(INBOX_KIND_NAMES, row.kind, lang)))
    say(t("  From: {name} <{address}>", name=row.from_name, address=row.from_address))
    say(t("  Subject: {subject}", subject=row.subject))
    say(t("  Received: {moment}", moment=moment_text(row.received_at, ctx.clock.timezone)))
    if row.contractor:
        say(t("  Contractor: {name}", name=row.contractor))
    if view.our_message_id is not None:
        say(t("  Answers our message #{id}: {subject}", id=view.our_message_id,
              subject=view.our_subject))
    say("  " + (_state_words(row, lang) or t("dealt with")))
    for document in view.documents:
        say(t("  Document {number}: outstanding {amount}, due {due}", number=document.number,
              amount=amount_text(document.outstanding, document.currency, lang),
              due=day_text(document.due_date)))
    for failure in view.failures:
        kind = t("permanent") if failure.permanent else t("temporary")
        say(t("  {address}: {status} {diagnostic} ({kind})", address=failure.address,
              status=failure.status, diagnostic=failure.diagnostic, kind=kind))
    for number, attachment in enumerate(view.attachments, start=1):
        say(t("  Attachment {n}: {name} ({type}, {size} bytes)", n=number, name=attachment.name,
              type=attachment.content_type, size=attachment.size))
    for problem in view.problems:
        say(t("  Problem: {problem}", problem=problem))
    say("")
    say(view.text.rstrip() or t("(no text)"))
    return 0


def save_command(args: argparse.Namespace, ctx: Context) -> int:
    view = _view(args.id)
    if not 1 <= args.number <= len(view.attachments):
        raise CommandError(tn("message #{id} has {n} attachment",
                              "message #{id} has {n} attachments", len(view.attachments),
                              id=args.id))
    attachment = view.attachments[args.number - 1]
    target = Path(args.path)
    if target.is_dir():
        target = target / attachment.name
    if target.exists() and not args.force:
        raise CommandError(t("{path} exists; add --force to replace it", path=target))
    try:
        content = attachment_content(args.id, attachment.index)
    except LookupError:
        raise CommandError(t("the message was too large to keep its attachments; it is still "
                             "in the mailbox")) from None
    # Never a half-written file: a temporary file beside it, then one rename.
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent or Path("."),
                                             prefix=".windykacja-")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, target)
    except OSError as exc:
        raise CommandError(t("cannot write {path}: {why}", path=target,
                             why=exc.strerror or exc)) from None
    say(t("Saved {name} ({size} bytes) to {path}", name=attachment.name, size=len(content),
          path=target))
    return 0


def _message(inbox_id: int) -> InboxMessage:
    found: InboxMessage | None = InboxMessage.get_or_none(InboxMessage.id == inbox_id)
    if found is None:
        raise CommandError(t("no incoming message #{id}", id=inbox_id))
    return found


def decide_command(args: argparse.Namespace, ctx: Context) -> int:
    with refused_in_words():
        decide_reply(ctx.clock, _message(args.id), DECISIONS[args.decision], note=args.note)
    say(t("Message #{id}: {decision}.", id=args.id,
          decision=name_of(DECISION_NAMES, DECISIONS[args.decision], ctx.language)))
    return 0


def assign_command(args: argparse.Namespace, ctx: Context) -> int:
    contractor = find_contractor(args.contractor)
    with refused_in_words():
        count = assign_reply(ctx.clock, _message(args.id), contractor)
    say(tn("Message #{id} is from {name}; {n} document waits for your decision.",
           "Message #{id} is from {name}; {n} documents wait for your decision.", count,
           id=args.id, name=contractor.name))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("inbox", help="the collection mailbox: replies, bounces, "
                       "automatic replies")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = actions.add_parser("fetch", help="read the mailbox now (the worker does it on "
                           "every poll)")
    q.set_defaults(handler=fetch_command)
    q = actions.add_parser("list", help="what waits for a person (--all: everything)")
    q.add_argument("--all", action="store_true", help="every message, not only waiting ones")
    q.add_argument("--kind", choices=sorted(INBOX_KIND_NAMES), help="only this kind")
    q.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    q.set_defaults(handler=list_command)
    q = actions.add_parser("show", help="one message with its text and attachments")
    q.add_argument("id", type=int)
    q.set_defaults(handler=show_command)
    q = actions.add_parser("save", help="save an attachment of a message to a file")
    q.add_argument("id", type=int)
    q.add_argument("number", type=int, help="the attachment's number as `show` lists it")
    q.add_argument("path", help="a file, or a folder to save it in under its own name")
    q.add_argument("--force", action="store_true", help="replace an existing file")
    q.set_defaults(handler=save_command)
    q = actions.add_parser("decide", help="resume collection, or mark a message not relevant")
    q.add_argument("id", type=int)
    q.add_argument("decision", choices=sorted(DECISIONS))
    q.add_argument("--note", default="", help="why (kept on the documents' timelines)")
    q.set_defaults(handler=decide_command)
    q = actions.add_parser("assign", help="say which contractor an unmatched message is from")
    q.add_argument("id", type=int)
    q.add_argument("contractor", help="the contractor's code")
    q.set_defaults(handler=assign_command)
