"""The outbox: every state change of a message, each in its own short transaction.

planned → sending → sent, or → retry (tried again on later passes, five tries in
all) or → failed (permanent), or → in_doubt when a sender died between "sending"
and the result. The "sending" state is committed *before* the transport is called:
that is what lets a restarted worker tell a message that may have gone out (in
doubt, never resent automatically) from one that surely did not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

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
from .versions import VERSION_SET

MAX_ATTEMPTS = 5

#: Called inside ``mark_sent``'s transaction for every sent message of that kind, so a
#: room above dunning learns its message went out in the very commit that records it,
#: without dunning importing it (recovery registers the agency handover here).
SENT_HOOKS: dict[str, Callable[[Clock, Message, list[StepRow]], None]] = {}


PAGE = 200


def pages_to_send() -> Iterator[list[Message]]:
    """Planned and retryable messages in id order, a page at a time, so that a day of
    twenty thousand rendered e-mails is never held in memory at once."""
    states = [MessageState.PLANNED, MessageState.RETRY]
    last_id = 0
    while True:
        page = list(
            Message.select()
            .where(Message.state.in_(states) & (Message.id > last_id))
            .order_by(Message.id)
            .limit(PAGE)
        )
        if page:
            yield page
        if len(page) < PAGE:
            return
        last_id = page[-1].id


@dataclass(frozen=True)
class StepRow:
    """A step with its document's number: what sending needs, read once per page."""

    message_id: int
    document_id: int
    document_number: str
    kind: str
    number: int


def steps_of(message_ids: list[int]) -> dict[int, list[StepRow]]:
    rows = (
        DocumentStep.select(DocumentStep.message, DocumentStep.document, Document.number,
                            DocumentStep.kind, DocumentStep.number)
        .join(Document)
        .where(DocumentStep.message.in_(message_ids))
        .order_by(Document.number)
        .tuples()
    )
    found: dict[int, list[StepRow]] = {i: [] for i in message_ids}
    for row in rows:
        found[row[0]].append(StepRow(*row))
    return found


def _sql(statement: str) -> str:
    return statement.replace("?", database.obj.param)


# The send loop runs these for every message; written out once instead of built by
# the query builder each time (which cost more than the SQLite work itself).
MARK_SENDING = "UPDATE message SET state = ?, attempts = attempts + 1 WHERE id = ?"
MARK_SENT = "UPDATE message SET state = ?, sent_at = ?, last_error = ? WHERE id = ?"
# Each also marks the documents changed (versions.py), so that a person who read one
# before the message went out is asked to reload before switching or paying it.
REMINDED = f"UPDATE document SET reminder_sent_on = ?, {VERSION_SET} WHERE id IN ({{}})"
DEMANDED = (f"UPDATE document SET demands_sent = ?, last_demand_on = ?, {VERSION_SET}"
            " WHERE id IN ({})")
EVENT = (
    "INSERT INTO collection_event (document_id, kind, at, day, author, text, message_id,"
    " needs_report) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def _in_list(statement: str, ids: list[int]) -> str:
    return _sql(statement.format(", ".join("?" * len(ids))))


def mark_sending(message: Message) -> None:
    with database.atomic():
        database.execute_sql(_sql(MARK_SENDING), (MessageState.SENDING, message.id))
    message.state = MessageState.SENDING
    message.attempts += 1


_STEP_EVENTS = {
    StepKind.REMINDER: EventKind.REMINDER_SENT,
    StepKind.DEMAND: EventKind.DEMAND_SENT,
    StepKind.REPORT: EventKind.REPORT_SENT,
}


def _advance_documents(
    clock: Clock, message: Message, steps: list[StepRow], day: dt.date, author: str
) -> None:
    """A sent message moves each document it carries one step on, with its event —
    in a handful of statements however many documents the message lists."""
    at = utc_now_naive(clock)
    reminded = [s.document_id for s in steps if s.kind == StepKind.REMINDER]
    if reminded:
        database.execute_sql(_in_list(REMINDED, reminded), [day, author, at, *reminded])
    for number in sorted({s.number for s in steps if s.kind == StepKind.DEMAND}):
        # A document waits while its message is unsent, so it stands at number − 1.
        ids = [s.document_id for s in steps if s.kind == StepKind.DEMAND and s.number == number]
        database.execute_sql(_in_list(DEMANDED, ids), [number, day, author, at, *ids])
    cursor = database.cursor()
    cursor.executemany(
        _sql(EVENT),
        [
            (s.document_id, _STEP_EVENTS[s.kind], at, day, author, _step_text(message, s),
             message.id, False)
            for s in steps
            if s.kind in _STEP_EVENTS  # an agency handover's events are the case's own
        ],
    )


def _step_text(message: Message, step: StepRow) -> str:
    if step.kind == StepKind.REPORT:
        return message.recipients.replace("\n", ", ")
    return "reminder" if step.kind == StepKind.REMINDER else f"demand {step.number}"


def mark_sent(
    clock: Clock, message: Message, note: str = "", author: str = "system",
    steps: list[StepRow] | None = None,
) -> None:
    """Record a message as delivered, with the documents' steps and events, atomically."""
    if steps is None:
        steps = steps_of([message.id])[message.id]
    with database.atomic():
        database.execute_sql(
            _sql(MARK_SENT), (MessageState.SENT, utc_now_naive(clock), note, message.id)
        )
        _advance_documents(clock, message, steps, clock.today(), author)
        hook = SENT_HOOKS.get(message.kind)
        if hook is not None:
            hook(clock, message, steps)
    message.state = MessageState.SENT


def _record_failure(clock: Clock, message: Message, text: str, author: str = "system") -> None:
    for step in steps_of([message.id])[message.id]:
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

