"""The outbox as a list: messages by state, the ones a person must act on first, and a
message read back exactly as it was (or will be) sent.

Each state is its own window walking the index ``message_state (state, id)`` newest
first; the windows are shown one after the other in ``STATE_ORDER``, so the list never
sorts the whole table to put in-doubt and failed messages on top.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ..dunning.outbox import (
    StepRow,
    counts_by_state,
    mark_sent_by_user,
    recipients_of,
    resend,
    steps_of,
)
from ..ledger.clock import Clock
from ..models import Document, Message, MessageState, RecipientState, UndeliveredStep
from ..models.sql import as_datetime, as_required_date, as_required_datetime, tuple_rows
from .message_view import MessageView, read_message
from .paging import ChainedSource, KeysetWindow, Listing

# A person must act on these first; then what will still go out; then history.
STATE_ORDER = (
    MessageState.IN_DOUBT,
    MessageState.FAILED,
    # Bounced after the server took it: a person mends the address (issue 15).
    MessageState.UNDELIVERED,
    MessageState.RETRY,
    MessageState.PLANNED,
    MessageState.SENDING,
    MessageState.SENT,
    MessageState.CANCELLED,
)
# What a person may do to a message in each state (outbox.resend / mark_sent_by_user).
ACTIONABLE = MessageState.NEEDS_ATTENTION + (MessageState.RETRY,)


@dataclass(frozen=True)
class OutboxRow:
    id: int
    state: str
    kind: str
    recipients: tuple[str, ...]
    attempts: int
    last_error: str
    subject: str
    pass_date: dt.date
    created_at: dt.datetime
    sent_at: dt.datetime | None
    contractor: str
    steps: tuple[StepRow, ...] = ()  # the documents it carries, filled per page
    # How many of its addresses did not accept it (yet), by recipient state, per page.
    unaccepted: tuple[tuple[str, int], ...] = ()

    @property
    def actionable(self) -> bool:
        """Failed, in doubt or to retry — or sent with an address left in doubt."""
        return self.state in ACTIONABLE or any(
            state == RecipientState.IN_DOUBT for state, _ in self.unaccepted)


def _row(values: tuple) -> OutboxRow:
    (id_, state, kind, recipients, attempts, last_error, subject, pass_date, created_at,
     sent_at, contractor) = values
    return OutboxRow(
        id_, state, kind, tuple(r for r in (recipients or "").splitlines() if r.strip()),
        attempts, last_error or "", subject or "", as_required_date(pass_date),
        as_required_datetime(created_at), as_datetime(sent_at), contractor or "",
    )


def _with_documents(rows: list[OutboxRow]) -> list[OutboxRow]:
    """The documents each message of a page carries and its addresses that did not
    accept it, in one query each for the page."""
    ids = [r.id for r in rows]
    steps = steps_of(ids) if rows else {}
    undelivered = [r.id for r in rows if r.state == MessageState.UNDELIVERED]
    for message_id, moved in undelivered_steps_of(undelivered).items():
        steps[message_id] = moved  # its steps moved aside when it bounced
    recorded = recipients_of(ids)
    return [replace(row, steps=tuple(steps.get(row.id, [])),
                    unaccepted=_unaccepted(recorded.get(row.id, {})))
            for row in rows]


def undelivered_steps_of(message_ids: list[int]) -> dict[int, list[StepRow]]:
    """The steps a bounce proved undelivered, as ``steps_of`` gives the carried ones."""
    found: dict[int, list[StepRow]] = {}
    if not message_ids:
        return found
    for row in tuple_rows(
            UndeliveredStep.select(UndeliveredStep.message, UndeliveredStep.document,
                                   Document.number, UndeliveredStep.kind,
                                   UndeliveredStep.number)
            .join(Document).where(UndeliveredStep.message.in_(message_ids))
            .order_by(Document.number)):
        found.setdefault(row[0], []).append(StepRow(*row))
    return found


def _unaccepted(recorded: dict) -> tuple[tuple[str, int], ...]:
    counts: dict[str, int] = {}
    for row in recorded.values():
        if row.state != RecipientState.ACCEPTED:
            counts[row.state] = counts.get(row.state, 0) + 1
    return tuple(sorted(counts.items()))


# Sent messages with an address that did not accept them (to retry, refused, in doubt):
# shown after the messages waiting to go out, before the rest of the sent ones, so that a
# person sees them (each address's answer is in the message, Enter).
_UNACCEPTED = ", ".join(f"'{s}'" for s in (RecipientState.DEFERRED, RecipientState.REFUSED,
                                           RecipientState.SENDING, RecipientState.IN_DOUBT))
PARTLY_SENT = (f"m.id IN (SELECT r.message_id FROM message_recipient r"
               f" WHERE r.state IN ({_UNACCEPTED}))")


def state_listing(state: str, extra: str = "") -> Listing[OutboxRow]:
    """Messages in ``state``; ``extra`` narrows them further (an SQL condition on m)."""
    return Listing(
        columns=(
            "m.id, m.state, m.kind, m.recipients, m.attempts, m.last_error, m.subject,"
            " m.pass_date, m.created_at, m.sent_at, c.name"
        ),
        tables="message m LEFT JOIN contractor c ON c.id = m.contractor_id",
        count_tables="message m",
        order=("m.id",),
        make_row=_row,
        key_of=lambda row: (row.id,),
        where="m.state = ?" + (f" AND {extra}" if extra else ""),
        params=(state,),
        descending=True,
    )


def outbox_source(state: str | None = None) -> ChainedSource[OutboxRow]:
    """Messages in ``state``, or in every state in ``STATE_ORDER`` (the sent ones with
    an address that did not accept them before the other sent ones); call ``load()``."""
    if state:
        return ChainedSource([KeysetWindow(state_listing(state), decorate=_with_documents)])
    listings = []
    for s in STATE_ORDER:
        if s == MessageState.SENT:  # those an address did not accept first
            listings.append(state_listing(s, PARTLY_SENT))
            listings.append(state_listing(s, f"NOT {PARTLY_SENT}"))
        else:
            listings.append(state_listing(s))
    return ChainedSource([KeysetWindow(listing, decorate=_with_documents)
                          for listing in listings])


def message_view(message_id: int) -> MessageView:
    """The message as the customer received it (or will): the legal record."""
    return read_message(Message.get_by_id(message_id))


def resend_message(message_id: int) -> str:
    """Another try for a failed or in-doubt message on the next pass; returns the state
    it is left in (``planned``, or ``cancelled`` when it must be rendered anew)."""
    message = Message.get_by_id(message_id)
    resend(message)
    return Message.get_by_id(message_id).state


def confirm_sent(clock: Clock, message_id: int, author: str) -> None:
    """A person says the message did reach the customer: recorded as sent, with the
    documents' steps and an event naming that person."""
    mark_sent_by_user(clock, Message.get_by_id(message_id), author)


def state_counts() -> dict[str, int]:
    return counts_by_state()
