"""A bounce or a delay report about one of our messages (issue 15, point 2).

A mail server took the message (so the outbox counted its step as sent), then another
server down the line reported that it never arrived. ``record_bounce`` writes what that
means, in one transaction:

- each permanently failed address of the message is **bounced** (``message_recipient``)
  with the server's words, and — for a reminder or a demand — marked **failing** on the
  contractor (``ledger/addresses.py``), exactly as a 5xx answer at sending time is; later
  messages go to the contractor's other addresses, and with none left collection of the
  contractor waits with the reason, which ``status`` asks a person to mend;
- when no address of the message holds it any more, the message is **undelivered**: each
  document's step moves to ``undelivered_step`` and the document goes back to where it
  stood before the step (``reminder_sent_on`` cleared, or ``demands_sent`` one less with
  the previous demand's day). Once a person corrects the address, the planner plans the
  **same step** again: it was never counted, so it is neither counted twice nor
  skipped. A reminder whose window has passed by then is followed by the first demand,
  as for any reminder not sent in time. Should a later step of the document have gone
  out meanwhile (to another address), the step stays counted: the debtor was reached;
- a temporary failure (a delay report) is only noted on the documents' timelines.

A bounce reported twice (two reports of one failure) changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..ledger.actions import EndReason, record_event, resume_collection
from ..ledger.addresses import address_key, mark_failing
from ..ledger.clock import Clock, utc_now_naive
from ..ledger.identity import SYSTEM
from ..ledger.versions import touch
from ..models import (
    CollectionEvent,
    Document,
    DocumentStep,
    EventKind,
    Message,
    MessageKind,
    MessageRecipient,
    MessageState,
    RecipientState,
    StepKind,
    UndeliveredStep,
    database,
    split_emails,
)
from ..models.sql import as_required_date
from .outbox import step_code

_DUNNING = (MessageKind.REMINDER, MessageKind.DEMAND)


@dataclass(frozen=True)
class Failure:
    """One failed address as a report gives it (``importers/incoming_mail``)."""

    address: str
    status: str
    diagnostic: str
    permanent: bool
    # False for a report that gave up on a temporary failure (``Action: failed`` with a
    # 4.x.x status, a mailbox full for days): the message never arrived, so its step goes
    # out again — to the same address, which is not marked failing.
    address_failed: bool = True

    @property
    def reply(self) -> str:
        """The server's words, else the status code: what the timeline and the
        contractor's failing address show."""
        return self.diagnostic or self.status or "no reason given"


@dataclass(frozen=True)
class BounceOutcome:
    bounced: tuple[str, ...] = ()  # addresses newly marked bounced
    delayed: tuple[str, ...] = ()
    undelivered: bool = False  # the message reached nobody: its steps go out again
    documents: tuple[int, ...] = ()  # the documents whose timelines got the news


def _ours(message: Message, failures: list[Failure]) -> list[Failure]:
    """The failures of addresses the message was sent to (a report may name others)."""
    sent_to = {address_key(a) for a in split_emails(message.recipients)}
    return [f for f in failures if address_key(f.address) in sent_to]


def _holders(message: Message) -> set[str]:
    """The addresses still holding the message: accepted and not bounced. A message
    sent before recipients were recorded (or to a Maildir) counts every recipient."""
    rows = list(MessageRecipient.select(MessageRecipient.address, MessageRecipient.state)
                .where(MessageRecipient.message == message.id))
    if not rows:
        return {address_key(a) for a in split_emails(message.recipients)}
    return {address_key(r.address) for r in rows if r.state == RecipientState.ACCEPTED}


def _mark_bounced(clock: Clock, message: Message, failure: Failure) -> bool:
    """The address's row says bounced; False when it already did (a second report)."""
    key = address_key(failure.address)
    for row in MessageRecipient.select().where(MessageRecipient.message == message.id):
        if address_key(row.address) == key:
            if row.state == RecipientState.BOUNCED:
                return False
            MessageRecipient.update(state=RecipientState.BOUNCED, reply=failure.reply,
                                    at=utc_now_naive(clock)).where(
                MessageRecipient.id == row.id).execute()
            return True
    MessageRecipient.create(message=message.id, address=failure.address,
                            state=RecipientState.BOUNCED, reply=failure.reply, attempts=1,
                            at=utc_now_naive(clock))
    return True


def record_bounce(clock: Clock, message: Message, failures: list[Failure],
                  inbox_id: int) -> BounceOutcome:
    """What a report about ``message`` means (see the module docstring). Call inside the
    transaction that stores the report, so both are written or neither."""
    ours = _ours(message, failures)
    steps = list(DocumentStep.select().where(DocumentStep.message == message.id))
    documents = tuple(sorted({s.document_id for s in steps}))
    delayed = tuple(f.address for f in ours if not f.permanent)
    for failure in (f for f in ours if not f.permanent):
        for step in steps:
            record_event(clock, EventKind.DELIVERY_DELAYED, step.document_id,
                         text=f"inbox {inbox_id}: {step_code(step.kind, step.number)} to "
                              f"{failure.address}: {failure.reply}", message=message)
    if message.state not in (MessageState.SENT, MessageState.UNDELIVERED):
        return BounceOutcome((), delayed, False, documents)
    with database.atomic():
        bounced = tuple(f.address for f in ours if f.permanent
                        and _mark_bounced(clock, message, f))
        for failure in (f for f in ours if f.address in bounced):
            if message.kind in _DUNNING and message.contractor_id is not None \
                    and failure.address_failed:
                mark_failing(message.contractor_id, failure.address, failure.reply,
                             clock.today(), message.id)
            for step in steps:
                record_event(clock, EventKind.DELIVERY_FAILED, step.document_id,
                             text=f"inbox {inbox_id}: {step_code(step.kind, step.number)} "
                                  f"to {failure.address}: {failure.reply}", message=message)
        undelivered = (bool(bounced) and message.state == MessageState.SENT
                       and not _holders(message))
        if undelivered:
            _undeliver(clock, message, steps, inbox_id)
    return BounceOutcome(bounced, delayed, undelivered, documents)


def _undeliver(clock: Clock, message: Message, steps: list[DocumentStep],
               inbox_id: int) -> None:
    Message.update(state=MessageState.UNDELIVERED).where(Message.id == message.id).execute()
    message.state = MessageState.UNDELIVERED
    for step in steps:
        if step.kind not in (StepKind.REMINDER, StepKind.DEMAND):
            continue
        document = Document.get_by_id(step.document_id)
        if not _is_latest(document, step):
            continue  # a later step reached the debtor: this one stays counted
        UndeliveredStep.create(document=document.id, kind=step.kind, number=step.number,
                               message=message.id, planned_for=step.planned_for,
                               day=clock.today(), inbox_message=inbox_id)
        DocumentStep.delete().where(DocumentStep.id == step.id).execute()
        _rewind(clock, document, step)


def _is_latest(document: Document, step: DocumentStep) -> bool:
    if step.kind == StepKind.REMINDER:
        return document.demands_sent == 0 and document.reminder_sent_on is not None
    return document.demands_sent == step.number


def _rewind(clock: Clock, document: Document, step: DocumentStep) -> None:
    """The document back to where it stood before ``step``."""
    if step.kind == StepKind.REMINDER:
        touch(Document, document.id, clock, SYSTEM, reminder_sent_on=None)
        return
    previous = step.number - 1
    touch(Document, document.id, clock, SYSTEM, demands_sent=previous,
          last_demand_on=_demand_day(document.id, previous) if previous else None)
    if document.collection_end_reason == EndReason.MAX_DEMANDS:
        resume_collection(clock, document, EndReason.MAX_DEMANDS, SYSTEM)


def _demand_day(document_id: int, number: int) -> dt.date | None:
    """The day demand ``number`` of the document went out (its event's day)."""
    event = (CollectionEvent.select(CollectionEvent.day)
             .where((CollectionEvent.document == document_id)
                    & (CollectionEvent.kind == EventKind.DEMAND_SENT)
                    & (CollectionEvent.text == f"demand {number}"))
             .order_by(CollectionEvent.id.desc()).first())
    return as_required_date(event.day) if event is not None else None
