"""The outbox: every state change of a message, each in its own short transaction.

planned → sending → sent, or → retry (tried again on later passes, five tries in
all) or → failed (permanent), or → in_doubt when a sender died between "sending"
and the result. The "sending" state is committed *before* the transport is called:
that is what lets a restarted worker tell a message that may have gone out (in
doubt, never resent automatically) from one that surely did not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from peewee import fn

from ..i18n import t
from ..ledger.actions import record_event
from ..ledger.addresses import clear_failing, mark_failing
from ..ledger.clock import Clock, utc_now_naive
from ..ledger.versions import VERSION_SET
from ..models import (
    CollectionEvent,
    Document,
    DocumentStep,
    EventKind,
    FailingAddress,
    Message,
    MessageChannel,
    MessageKind,
    MessageRecipient,
    MessageState,
    RecipientState,
    StepKind,
    database,
    with_texts,
)
from ..models.sql import tuple_rows
from .email_build import InvalidAddress, normalise_address
from .sent_hooks import SENT_HOOKS
from .transports import SendError

MAX_ATTEMPTS = 5

# SENT_HOOKS (imported above) is called inside ``mark_sent``'s transaction for every
# sent message of that kind; it lives in sent_hooks.py, so that recovery registers there
# without importing this module at start.


PAGE = 200


def pages_to_send() -> Iterator[list[Message]]:
    """Planned and retryable messages in id order, a page at a time, so that a day of
    twenty thousand rendered e-mails is never held in memory at once."""
    states = [MessageState.PLANNED, MessageState.RETRY]
    last_id = 0
    while True:
        page = with_texts(list(
            Message.select()
            # Letters wait for a person to print and post them (issue 16).
            .where(Message.state.in_(states) & (Message.id > last_id)
                   & (Message.channel == MessageChannel.EMAIL))
            .order_by(Message.id)
            .limit(PAGE)
        ))
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
    rows = tuple_rows(
        DocumentStep.select(DocumentStep.message, DocumentStep.document, Document.number,
                            DocumentStep.kind, DocumentStep.number)
        .join(Document)
        .where(DocumentStep.message.in_(message_ids))
        .order_by(Document.number)
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
    clock: Clock, message: Message, steps: list[StepRow], day: dt.date, author: str,
    letter_number: str | None = None,
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
            (s.document_id, _STEP_EVENTS[s.kind], at, day, author,
             _step_text(message, s, letter_number), message.id, False)
            for s in steps
            if s.kind in _STEP_EVENTS  # an agency handover's events are the case's own
        ],
    )


def _record_copy(clock: Clock, message: Message, author: str) -> None:
    """An e-mail copy of a letter went out: on each of the letter's documents, with the
    letter's step (the copy carries none: the letter counts, from its posting)."""
    at, day = utc_now_naive(clock), clock.today()
    letter_id = message.letter_of_id
    assert letter_id is not None
    letter_steps = steps_of([letter_id])[letter_id]
    database.cursor().executemany(_sql(EVENT), [
        (s.document_id, EventKind.LETTER_COPY_SENT, at, day, author,
         step_code(s.kind, s.number), message.id, False)
        for s in letter_steps])


def _step_text(message: Message, step: StepRow, letter_number: str | None = None) -> str:
    """The step event's stored form; a posted letter's says so, with its registered
    number when it has one (``demand 2 by letter RR123456789PL``, event_words)."""
    if step.kind == StepKind.REPORT:
        return message.recipients.replace("\n", ", ")
    code = step_code(step.kind, step.number)
    if letter_number is None:
        return code
    return f"{code} by letter {letter_number}".rstrip()


def step_code(kind: str, number: int) -> str:
    """A reminder's or demand's stored form in events (``reminder``, ``demand 2``),
    which ``ledger/event_words`` puts in words."""
    return "reminder" if kind == StepKind.REMINDER else f"demand {number}"


def mark_sent(
    clock: Clock, message: Message, note: str = "", author: str = "system",
    steps: list[StepRow] | None = None,
    recipients: tuple[dict[str, RecipientRow], dict[str, tuple[str, str]],
                      set[int] | None] | None = None,
    day: dt.date | None = None,
    letter_number: str | None = None,
) -> None:
    """Record a message as delivered, with the documents' steps and events, atomically;
    ``recipients``: each address's outcome as ``record_delivery`` found it. ``day``: the
    day the steps count from, today unless given; a posted letter's (issue 16) is its
    posting day, and ``letter_number`` its registered number ("" for an ordinary one)."""
    if steps is None:
        steps = steps_of([message.id])[message.id]
    with database.atomic():
        database.execute_sql(
            _sql(MARK_SENT), (MessageState.SENT, utc_now_naive(clock), note, message.id)
        )
        if recipients is not None:
            _write_recipients(clock, message, *recipients)
        _advance_documents(clock, message, steps, day or clock.today(), author,
                           letter_number)
        if message.letter_of_id is not None:
            _record_copy(clock, message, author)
        hook = SENT_HOOKS.get(message.kind)
        if hook is not None:
            hook(clock, message, steps)
    message.state = MessageState.SENT


def _record_failure(clock: Clock, message: Message, text: str, author: str = "system") -> None:
    for step in steps_of([message.id])[message.id]:
        record_event(clock, EventKind.SEND_FAILED, Document.get_by_id(step.document_id),
                     text=text, author=author, message=message)


# --- each recipient's outcome (issue 12, point 5) --------------------------------------
#
# One message, one stored text, one set of document steps — however many addresses it
# goes to. The step counts as done (the documents advance once, under the unique
# (document, step) constraint) when the first address accepts it: the debtor was told.
# Each address keeps its own outcome in ``message_recipient``: accepted; deferred (4xx:
# the same stored message is sent again on the next passes to that address alone, up to
# MAX_ATTEMPTS tries in all, and never again to an address that accepted it); refused
# (5xx, or still deferred after the last try: the contractor's address is marked failing,
# ``addresses.py``). A retry is therefore no new message and no new step: it is a state
# of an address on the same message, so a step can neither count twice nor be skipped.

RECIPIENT_COLUMNS = "(message_id, address, state, reply, attempts, at)"
INSERT_RECIPIENT = f"INSERT INTO message_recipient {RECIPIENT_COLUMNS} VALUES (?, ?, ?, ?, ?, ?)"
UPDATE_RECIPIENT = ("UPDATE message_recipient SET state = ?, reply = ?, attempts = ?, at = ?"
                    " WHERE id = ?")
_FAILING_KINDS = (MessageKind.REMINDER, MessageKind.DEMAND)
UNACCEPTED = (RecipientState.DEFERRED, RecipientState.REFUSED, RecipientState.SENDING,
              RecipientState.IN_DOUBT)


@dataclass(frozen=True)
class RecipientRow:
    id: int
    message_id: int
    address: str
    state: str
    reply: str
    attempts: int


def recipients_of(message_ids: list[int]) -> dict[int, dict[str, RecipientRow]]:
    """The recorded outcome of each address of these messages (address → row), in one
    query; a message sent for the first time has none."""
    found: dict[int, dict[str, RecipientRow]] = {i: {} for i in message_ids}
    if not message_ids:
        return found
    rows = tuple_rows(MessageRecipient.select(MessageRecipient.id, MessageRecipient.message,
                                              MessageRecipient.address, MessageRecipient.state,
                                              MessageRecipient.reply, MessageRecipient.attempts)
                      .where(MessageRecipient.message.in_(message_ids))
                      .order_by(MessageRecipient.id))
    for row in rows:
        found[row[1]][row[2]] = RecipientRow(*row)
    return found


def addresses_to_send(message: Message, recorded: dict[str, RecipientRow]) -> list[str]:
    """Where this try of the message goes: a message already sent goes only to its
    deferred addresses; one not sent yet to every address that neither accepted nor
    was refused for good."""
    if message.state in (MessageState.SENT, MessageState.SENDING) and recorded and any(
            r.state == RecipientState.ACCEPTED for r in recorded.values()):
        return [a for a, r in recorded.items() if r.state in RecipientState.PENDING]
    done = (RecipientState.ACCEPTED, RecipientState.REFUSED)
    return [a for a in message.recipients.split("\n")
            if a and (a not in recorded or recorded[a].state not in done)]


def messages_with_deferred_recipients() -> list[Message]:
    """Sent messages with an address still to try (a 4xx answer), in id order."""
    deferred = MessageRecipient.select(MessageRecipient.message).where(
        MessageRecipient.state.in_(RecipientState.PENDING))
    return with_texts(list(Message.select().where((Message.state == MessageState.SENT)
                                                  & Message.id.in_(deferred))
                           .order_by(Message.id)))


def withdraw_deferred_recipients(message: Message) -> None:
    """A sent message's addresses still to retry are given up: its documents changed
    since it went out (paid, excluded, re-priced), so it is not sent to them any more
    (their last answer stays beside the state)."""
    with database.atomic():
        MessageRecipient.update(state=RecipientState.WITHDRAWN).where(
            (MessageRecipient.message == message.id)
            & (MessageRecipient.state.in_(RecipientState.PENDING))).execute()


def sent_with_unaccepted_recipients() -> list[Message]:
    """Sent messages with an address that did not accept them: to retry, refused or in
    doubt (``outbox list`` shows them with each address's answer)."""
    unaccepted = MessageRecipient.select(MessageRecipient.message).where(
        MessageRecipient.state.in_(UNACCEPTED))
    return list(Message.select().where((Message.state == MessageState.SENT)
                                       & Message.id.in_(unaccepted)).order_by(Message.id))


def mark_recipients_sending(message: Message, recorded: dict[str, RecipientRow],
                            addresses: list[str]) -> None:
    """A retry to some addresses of a sent message: committed before the transport is
    called, so that a sender dying here leaves them in doubt, never resent."""
    ids = [recorded[a].id for a in addresses]
    with database.atomic():
        MessageRecipient.update(state=RecipientState.SENDING).where(
            MessageRecipient.id.in_(ids)).execute()


def _reply_code(reply: str) -> int:
    head = reply.split(" ", 1)[0]
    return int(head) if head.isdigit() else 0


def contractors_with_failing_addresses() -> set[int]:
    """Read once by a send loop (``marked`` below): the failing table is tiny."""
    return {i for (i,) in tuple_rows(FailingAddress.select(FailingAddress.contractor).distinct())}


def _write_recipients(clock: Clock, message: Message, recorded: dict[str, RecipientRow],
                      outcomes: dict[str, tuple[str, str]],
                      marked: set[int] | None = None) -> None:
    """Store each address's outcome (state, reply) and mark or clear the contractor's
    failing addresses; inside the caller's transaction. ``marked``: the contractors
    with a failing address, kept by the send loop (so that a message whose contractor
    has none costs no query); None to look it up."""
    at = utc_now_naive(clock)
    inserts, updates = [], []
    for address, (state, reply) in outcomes.items():
        row = recorded.get(address)
        attempts = (row.attempts if row else 0) + 1
        if row is None:
            inserts.append((message.id, address, state, reply, attempts, at))
        else:
            updates.append((state, reply, attempts, at, row.id))
    if inserts:
        database.cursor().executemany(_sql(INSERT_RECIPIENT), inserts)
    if updates:
        database.cursor().executemany(_sql(UPDATE_RECIPIENT), updates)
    if message.contractor_id is None or message.kind not in _FAILING_KINDS:
        return
    accepted = [a for a, (state, _) in outcomes.items() if state == RecipientState.ACCEPTED]
    if accepted and (message.contractor_id in marked if marked is not None else True):
        clear_failing(message.contractor_id, accepted)  # it works again (a resend)
    for address, (state, reply) in outcomes.items():
        if state == RecipientState.REFUSED:
            mark_failing(message.contractor_id, address, reply, clock.today(), message.id)
            if marked is not None:
                marked.add(message.contractor_id)


def _classify(recorded: dict[str, RecipientRow], targets: list[str],
              refused: dict[str, str], accepted_all_others: bool
              ) -> dict[str, tuple[str, str]]:
    """Each target's new (state, reply) from the server's answers: refused by it with
    5xx → refused; 4xx → deferred, or refused once the tries are used up."""
    def wire(address: str) -> str:
        try:
            return normalise_address(address)
        except InvalidAddress:
            return address

    answers = {wire(a): r for a, r in refused.items()}
    outcomes: dict[str, tuple[str, str]] = {}
    for address in targets:
        reply = (answers.get(address) or answers.get(wire(address))) if answers else None
        if reply is None:
            if accepted_all_others:
                outcomes[address] = (RecipientState.ACCEPTED, "")
            continue
        tries = (recorded[address].attempts if address in recorded else 0) + 1
        if _reply_code(reply) >= 500 or tries >= MAX_ATTEMPTS:
            outcomes[address] = (RecipientState.REFUSED, reply)
        else:
            outcomes[address] = (RecipientState.DEFERRED, reply)
    return outcomes


def _whole_try_failed(row: RecipientRow | None, reason: str, retryable: bool
                      ) -> tuple[str, str]:
    """A retry to one address that failed as a whole (connection, DATA refused)."""
    tries = (row.attempts if row else 0) + 1
    if not retryable:
        return RecipientState.REFUSED, reason
    if tries >= MAX_ATTEMPTS:
        return RecipientState.REFUSED, reason
    return RecipientState.DEFERRED, reason


def describe_refusals(outcomes: dict[str, tuple[str, str]]) -> str:
    """The addresses that did not take the message, with the server's words (the
    message's note; the outbox shows each address on its own)."""
    parts = [f"{address}: {reply}" for address, (state, reply) in outcomes.items()
             if state != RecipientState.ACCEPTED]
    return "; ".join(parts)


def record_delivery(clock: Clock, message: Message, recorded: dict[str, RecipientRow],
                    targets: list[str], refused: dict[str, str],
                    steps: list[StepRow] | None = None, marked: set[int] | None = None
                    ) -> str:
    """The transport accepted the message for ``targets`` except ``refused`` (address →
    the server's answer). The first acceptance sends the step (``mark_sent``); each
    address's outcome is stored. Returns the note about the addresses that did not
    take it ("" when all did)."""
    outcomes = _classify(recorded, targets, refused, accepted_all_others=True)
    note = describe_refusals(outcomes)
    if message.state == MessageState.SENT:  # a retry to the deferred addresses
        with database.atomic():
            _write_recipients(clock, message, recorded, outcomes, marked)
    else:
        mark_sent(clock, message, note=note, steps=steps,
                  recipients=(recorded, outcomes, marked))
    return note


def record_refusal(clock: Clock, message: Message, recorded: dict[str, RecipientRow],
                   targets: list[str], error: SendError | None, reason: str,
                   in_doubt: bool = False, retryable: bool = True,
                   marked: set[int] | None = None) -> str:
    """Nothing was accepted this try. ``error.refused`` gives each address's answer when
    the server refused them one by one; otherwise the failure concerned the whole try
    (connection, DATA) and applies to every target alike. A message never accepted by
    anyone follows the message's own rules (retry, failed, in doubt); a retry to the
    deferred addresses of a sent message changes only those addresses. Returns the
    message's state."""
    per_address = dict(error.refused) if error is not None else {}
    if message.state == MessageState.SENT:
        if in_doubt:
            outcomes = {a: (RecipientState.IN_DOUBT, reason) for a in targets}
        elif per_address:
            outcomes = _classify(recorded, targets, per_address, accepted_all_others=False)
        else:
            outcomes = {a: _whole_try_failed(recorded.get(a), reason, retryable)
                        for a in targets}
        with database.atomic():
            _write_recipients(clock, message, recorded, outcomes, marked)
        return message.state
    if per_address:
        outcomes = _classify(recorded, targets, per_address, accepted_all_others=False)
        with database.atomic():
            _write_recipients(clock, message, recorded, outcomes, marked)
        still = any(state == RecipientState.DEFERRED for state, _ in outcomes.values())
        return mark_failed(clock, message, reason, retryable=still)
    if in_doubt:
        mark_in_doubt(clock, message, reason)
        return message.state
    return mark_failed(clock, message, reason, retryable=retryable)


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
    the worker. Called only by the holder of the worker lease, so nobody is sending.
    Addresses of a sent message left "sending" by a retry to them alone are put in
    doubt the same way (their message stays sent)."""
    with database.atomic():
        MessageRecipient.update(
            state=RecipientState.IN_DOUBT,
            reply="the sender stopped while sending; it may or may not have gone out",
        ).where(MessageRecipient.state == RecipientState.SENDING).execute()
    found = list(Message.select().where(Message.state == MessageState.SENDING))
    for message in found:
        with database.atomic():
            Message.update(
                state=MessageState.IN_DOUBT,
                last_error="the sender stopped while sending; it may or may not have gone out",
            ).where(Message.id == message.id).execute()
            _record_failure(clock, message, "in doubt: the sender stopped while sending")
    return found


def addresses_in_doubt(message_id: int) -> list[str]:
    """Addresses of a sent message whose retry a dead sender left unfinished."""
    return [a for (a,) in tuple_rows(MessageRecipient.select(MessageRecipient.address).where(
        (MessageRecipient.message == message_id)
        & (MessageRecipient.state == RecipientState.IN_DOUBT)))]


def _settle_addresses_in_doubt(message: Message, state: str, reply: str) -> bool:
    """A sent message with addresses in doubt: a person resends to them (``deferred``)
    or confirms they got it (``accepted``); the message and its step stay as they are."""
    if message.state != MessageState.SENT or not addresses_in_doubt(message.id):
        return False
    MessageRecipient.update(state=state, reply=reply).where(
        (MessageRecipient.message == message.id)
        & (MessageRecipient.state == RecipientState.IN_DOUBT)).execute()
    return True


def resend(message: Message) -> None:
    """A person asks for another try of a failed or in-doubt message (next pass), or of
    the addresses in doubt of a sent one (to them alone).

    A message that never rendered (its template failed) has nothing to resend: it is
    withdrawn instead, so that the next pass plans it afresh with the mended template.
    """
    if _settle_addresses_in_doubt(message, RecipientState.DEFERRED, "to be sent again"):
        return
    if message.state not in MessageState.NEEDS_ATTENTION + (MessageState.RETRY,):
        raise ValueError(f"message {message.id} is {message.state}; only failed or "
                         "in-doubt messages can be resent")
    if not message.raw:
        cancel(message, "withdrawn to be rendered again")
        return
    with database.atomic():
        Message.update(state=MessageState.PLANNED, attempts=0, last_error="").where(
            Message.id == message.id
        ).execute()
        # Every address that did not accept it is tried again; none that did, twice.
        MessageRecipient.delete().where(
            (MessageRecipient.message == message.id)
            & (MessageRecipient.state != RecipientState.ACCEPTED)).execute()


def mark_sent_by_user(clock: Clock, message: Message, author: str) -> None:
    """A person confirms an in-doubt (or failed) message did reach the customer — or
    the addresses in doubt of a sent one. Addresses still waiting for a retry (4xx) are
    then not tried again: the person says the customer has it. Never a letter: its step
    counts from the posting a person confirms with its day and number (``paper.py``)."""
    if message.channel == MessageChannel.LETTER:
        raise ValueError(t("message {id} is a letter: its step counts once its posting is "
                           "confirmed in the print queue (key 0, or 'windykacja letters "
                           "post')", id=message.id))
    if _settle_addresses_in_doubt(message, RecipientState.ACCEPTED,
                                  f"marked sent by {author}"):
        return
    if message.state not in MessageState.NEEDS_ATTENTION + (MessageState.RETRY,):
        raise ValueError(f"message {message.id} is {message.state}; nothing to confirm")
    with database.atomic():
        MessageRecipient.delete().where(
            (MessageRecipient.message == message.id)
            & (MessageRecipient.state == RecipientState.DEFERRED)).execute()
        mark_sent(clock, message, note=f"marked sent by {author}", author=author)
        record_event(clock, EventKind.MESSAGE_MARKED_SENT, None, text=f"message {message.id}",
                     author=author, message=message)


def cancel(message: Message, reason: str) -> None:
    """Withdraw an unsent message; its steps are freed so the planner may plan anew.
    A letter's e-mail copy not sent yet is withdrawn with it (issue 16)."""
    with database.atomic():
        DocumentStep.delete().where(DocumentStep.message == message.id).execute()
        Message.update(state=MessageState.CANCELLED, last_error=reason).where(
            (Message.id == message.id)
            | ((Message.letter_of == message.id)
               & Message.state.in_([MessageState.PLANNED, MessageState.RETRY]))
        ).execute()
    message.state = MessageState.CANCELLED


def counts_by_state() -> dict[str, int]:
    rows = tuple_rows(Message.select(Message.state, fn.COUNT(Message.id))
                      .group_by(Message.state))
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

