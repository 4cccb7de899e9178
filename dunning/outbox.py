"""The outbox: every state change of a message, each in its own short transaction.

planned → sending → sent, or → retry (tried again on later passes, five tries in
all) or → failed (permanent), or → in_doubt when a sender died between "sending"
and the result. The "sending" state is committed *before* the transport is called:
that is what lets a restarted worker tell a message that may have gone out (in
doubt, never resent automatically) from one that surely did not.
"""

from __future__ import annotations

import datetime as dt

from ..models import (
    CollectionEvent,
    Document,
    DocumentStep,
    EventKind,
    Message,
    MessageState,
    StepKind,
    database,
)
from .actions import record_event
from .clock import Clock, utc_now_naive

MAX_ATTEMPTS = 5


def messages_to_send() -> list[Message]:
    states = [MessageState.PLANNED, MessageState.RETRY]
    return list(Message.select().where(Message.state.in_(states)).order_by(Message.id))


def mark_sending(message: Message) -> None:
    with database.atomic():
        Message.update(state=MessageState.SENDING, attempts=Message.attempts + 1).where(
            Message.id == message.id
        ).execute()
    message.state = MessageState.SENDING
    message.attempts += 1


def _steps(message: Message) -> list[DocumentStep]:
    return list(DocumentStep.select().where(DocumentStep.message == message.id))


def _advance_documents(clock: Clock, message: Message, day: dt.date, author: str) -> None:
    """A sent message moves each document it carries one step on, with its event."""
    for step in _steps(message):
        document = Document.get_by_id(step.document_id)
        if step.kind == StepKind.REMINDER:
            document.reminder_sent_on = day
            kind, text = EventKind.REMINDER_SENT, "reminder"
        elif step.kind == StepKind.DEMAND:
            document.demands_sent = max(document.demands_sent, step.number)
            document.last_demand_on = day
            kind, text = EventKind.DEMAND_SENT, f"demand {step.number}"
        else:
            record_event(clock, EventKind.REPORT_SENT, document, text=message.recipients,
                         author=author, message=message)
            continue
        document.save(
            only=[Document.reminder_sent_on, Document.demands_sent, Document.last_demand_on]
        )
        record_event(clock, kind, document, text=text, author=author, message=message)


def mark_sent(clock: Clock, message: Message, note: str = "", author: str = "system") -> None:
    """Record a message as delivered, with the documents' steps and events, atomically."""
    with database.atomic():
        Message.update(
            state=MessageState.SENT, sent_at=utc_now_naive(clock), last_error=note
        ).where(Message.id == message.id).execute()
        _advance_documents(clock, message, clock.today(), author)
    message.state = MessageState.SENT


def _record_failure(clock: Clock, message: Message, text: str, author: str = "system") -> None:
    for step in _steps(message):
        record_event(clock, EventKind.SEND_FAILED, Document.get_by_id(step.document_id),
                     text=text, author=author, message=message)


def mark_failed(clock: Clock, message: Message, reason: str, retryable: bool) -> str:
    """Retryable failures go back to the queue until MAX_ATTEMPTS tries were made."""
    state = MessageState.RETRY
    if not retryable or message.attempts >= MAX_ATTEMPTS:
        state = MessageState.FAILED
        if retryable:
            reason = f"gave up after {message.attempts} attempts: {reason}"
    with database.atomic():
        Message.update(state=state, last_error=reason).where(Message.id == message.id).execute()
        _record_failure(clock, message, f"{state}: {reason}")
    message.state = state
    return state


def mark_in_doubt(clock: Clock, message: Message, reason: str) -> None:
    """The transport lost the server's answer after the message went out: it may have
    been delivered, so it waits for a person instead of being retried."""
    with database.atomic():
        Message.update(state=MessageState.IN_DOUBT, last_error=reason).where(
            Message.id == message.id
        ).execute()
        _record_failure(clock, message, f"in doubt: {reason}")
    message.state = MessageState.IN_DOUBT


def declare_in_doubt(clock: Clock) -> list[Message]:
    """Messages a dead sender left in "sending": perhaps delivered, so never resent by
    the worker. Called only by the holder of the worker lease, so nobody is sending."""
    found = list(Message.select().where(Message.state == MessageState.SENDING))
    for message in found:
        with database.atomic():
            Message.update(
                state=MessageState.IN_DOUBT,
                last_error="the sender stopped while sending; it may or may not have gone out",
            ).where(Message.id == message.id).execute()
            _record_failure(clock, message, "in doubt: the sender stopped while sending")
    return found


def resend(message: Message) -> None:
    """A person asks for another try of a failed or in-doubt message (next pass).

    A message that never rendered (its template failed) has nothing to resend: it is
    withdrawn instead, so that the next pass plans it afresh with the mended template.
    """
    if message.state not in MessageState.NEEDS_ATTENTION + (MessageState.RETRY,):
        raise ValueError(f"message {message.id} is {message.state}; only failed or "
                         "in-doubt messages can be resent")
    if not message.raw:
        cancel(message, "withdrawn to be rendered again")
        return
    Message.update(state=MessageState.PLANNED, attempts=0, last_error="").where(
        Message.id == message.id
    ).execute()


def mark_sent_by_user(clock: Clock, message: Message, author: str) -> None:
    """A person confirms an in-doubt (or failed) message did reach the customer."""
    if message.state not in MessageState.NEEDS_ATTENTION + (MessageState.RETRY,):
        raise ValueError(f"message {message.id} is {message.state}; nothing to confirm")
    with database.atomic():
        mark_sent(clock, message, note=f"marked sent by {author}", author=author)
        record_event(clock, EventKind.MESSAGE_MARKED_SENT, None, text=f"message {message.id}",
                     author=author, message=message)


def cancel(message: Message, reason: str) -> None:
    """Withdraw an unsent message; its steps are freed so the planner may plan anew."""
    with database.atomic():
        DocumentStep.delete().where(DocumentStep.message == message.id).execute()
        Message.update(state=MessageState.CANCELLED, last_error=reason).where(
            Message.id == message.id
        ).execute()
    message.state = MessageState.CANCELLED


def counts_by_state() -> dict[str, int]:
    from peewee import fn

    rows = Message.select(Message.state, fn.COUNT(Message.id)).group_by(Message.state).tuples()
    return dict(rows)


def report_events_without_report() -> list[CollectionEvent]:
    """End-of-collection events whose report is owed and not yet planned."""
    planned = DocumentStep.select(DocumentStep.number).where(
        DocumentStep.kind == StepKind.REPORT
    )
    return list(
        CollectionEvent.select()
        .where(
            (CollectionEvent.kind == EventKind.COLLECTION_FINISHED)
            & CollectionEvent.needs_report
            & CollectionEvent.id.not_in(planned)
        )
        .order_by(CollectionEvent.id)
    )

