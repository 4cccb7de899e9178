"""Storing one incoming message and what it means (issue 15), inside the caller's
transaction (``importers/inbox.py`` stores a batch and its mailbox checkpoint together).

- **A bounce** about one of our messages: ``dunning.bounces.record_bounce`` (the address
  failing, the step undelivered and sent again once the address is mended). A delay
  report: noted on the timelines.
- **An automatic reply** (out of office): on the timelines of the documents it concerns;
  it pauses nothing.
- **A reply a person wrote**: on the timelines of the documents it concerns, which wait
  ("reply waiting since …") until a person decides in the Inbox. One nobody could match
  waits too, for a person to assign it.
- **Mail from before the mailbox was connected** (dated more than ``OLD_DAYS`` days before
  the first read), matched only by its sender's address, is stored as read: a reply to a
  message Windykacja never sent should not stop today's collection.

Every message is stored — bounces nobody can match and mail bombs included — so that it
is processed once; only its first ``MAX_TEXT`` characters of text and the raw message
up to the fetch limit are kept.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from ..dunning.bounces import Failure, record_bounce
from ..ledger.actions import record_event
from ..ledger.answers import link_documents
from ..ledger.clock import Clock, utc_now_naive
from ..models import (
    Contractor,
    EventKind,
    InboxMessage,
    InboxState,
    MatchedBy,
    Message,
    MessageKind,
)
from .inbox_match import (
    latest_message_to,
    message_documents,
    our_message,
    reply_candidates,
    sender_contractor,
    sender_documents,
    verp_message,
)
from .incoming_mail import IncomingMail, MailKind
from .mail_source import FetchedMail

OLD_DAYS = 7
MAX_FIELD = 250  # subject, names and addresses as stored in CharFields


@dataclass(frozen=True)
class Stored:
    """What storing one message did, for the run's summary."""

    inbox_id: int
    kind: str
    waiting: bool
    matched: bool
    undelivered: bool = False


@dataclass
class Match:
    message: Message | None = None
    contractor_id: int | None = None
    documents: tuple[int, ...] = ()
    by: str = MatchedBy.NONE


def _failures_text(mail: IncomingMail) -> str:
    return "\n".join(f"{f.address}\t{f.status}\t{f.diagnostic}\t{'P' if f.permanent else 'T'}"
                     for f in mail.failures)


def _attachments_text(mail: IncomingMail) -> str:
    if not mail.attachments:
        return ""
    return json.dumps([{"name": a.name, "content_type": a.content_type, "size": a.size,
                        "index": a.index} for a in mail.attachments], ensure_ascii=False)


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _match_report(mail: IncomingMail, today: dt.date, verp: bool) -> Match:
    """A bounce or delay: the returned original, its VERP return path, else (without
    VERP: with it every reminder and demand has one, so a report naming none is not
    about ours, or is forged) our latest message to the failed address."""
    message, by = our_message(mail.original_message_ids), MatchedBy.MESSAGE
    if message is None:
        message = our_message(reply_candidates(mail.in_reply_to, mail.references))
    if message is None:
        message, by = verp_message(mail.to_addresses), MatchedBy.VERP
    if message is None and not verp:
        by = MatchedBy.MESSAGE
        for failure in mail.failures:
            message = latest_message_to(failure.address, today)
            if message is not None:
                break
    if message is None:
        return Match()
    return Match(message, message.contractor_id, tuple(message_documents(message.id)), by)


def _match_answer(mail: IncomingMail, old: bool) -> Match:
    """A reply or an automatic one: our message it answers, else its sender."""
    message = our_message(reply_candidates(mail.in_reply_to, mail.references))
    if message is not None and message.kind in (MessageKind.REMINDER, MessageKind.DEMAND):
        return Match(message, message.contractor_id, tuple(message_documents(message.id)),
                     MatchedBy.MESSAGE)
    contractor: Contractor | None = sender_contractor(mail.from_address)
    if contractor is None:
        return Match()
    documents = () if old else tuple(sender_documents(contractor))
    return Match(None, contractor.id, documents, MatchedBy.SENDER)


def _is_old(mail: IncomingMail, first_read: dt.date | None) -> bool:
    if first_read is None or mail.sent_at is None:
        return False
    return mail.sent_at.date() < first_read - dt.timedelta(days=OLD_DAYS)


def store_mail(clock: Clock, source: str, fetched: FetchedMail, mail: IncomingMail,
               first_read: dt.date | None, verp: bool = False) -> Stored:
    """Store ``mail`` and apply what it means; ``first_read``: the day of the mailbox's
    first read when this is it (older mail then only matched by sender pauses nothing);
    ``verp``: our reminders and demands go out with VERP return paths (``smtp.verp``)."""
    today = clock.today()
    old = _is_old(mail, first_read)
    reports = mail.kind in (MailKind.BOUNCE, MailKind.DELAY)
    match = _match_report(mail, today, verp) if reports else _match_answer(mail, old)
    waiting = mail.kind == MailKind.REPLY and not (old and match.by != MatchedBy.MESSAGE)
    row = InboxMessage.create(
        source=source[:MAX_FIELD], key=fetched.key[:MAX_FIELD],
        message_id=mail.message_id[:MAX_FIELD], kind=str(mail.kind),
        state=InboxState.WAITING if waiting else InboxState.DONE,
        from_address=mail.from_address[:MAX_FIELD], from_name=mail.from_name[:MAX_FIELD],
        subject=mail.subject, sent_at=_utc(mail.sent_at), received_at=utc_now_naive(clock),
        day=today, size=fetched.size, truncated=fetched.truncated, text=mail.text,
        attachments=_attachments_text(mail), failures=_failures_text(mail),
        problems="\n".join(mail.problems), raw=fetched.raw,
        contractor=match.contractor_id, our_message=match.message, matched_by=match.by,
        note="from before the mailbox was connected" if old and not waiting else "")
    undelivered = False
    if reports and match.message is not None:
        failures = [Failure(f.address, f.status, f.diagnostic, f.permanent, f.address_failed)
                    for f in mail.failures]
        undelivered = record_bounce(clock, match.message, failures, row.id).undelivered
    if mail.kind in (MailKind.REPLY, MailKind.AUTO_REPLY) and match.documents:
        link_documents(row, match.documents)
        kind = (EventKind.REPLY_RECEIVED if mail.kind == MailKind.REPLY
                else EventKind.AUTO_REPLY_RECEIVED)
        text = f"inbox {row.id} from {mail.from_address}: {mail.subject}"
        for document_id in match.documents:
            record_event(clock, kind, document_id, text=text, message=match.message)
    return Stored(row.id, str(mail.kind), waiting, match.by != MatchedBy.NONE, undelivered)

