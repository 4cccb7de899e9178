"""The record of collection: messages, the document steps they carry, and events.

A message is one e-mail to one contractor (or a report to the user). Each document
step it carries — (document, reminder) or (document, demand k) — is a row under a
unique constraint, written before anything is sent: that constraint is what makes a
second send of the same step impossible. Events are the history; they are only ever
inserted. A note is an event of kind ``note`` (the text and the author are the note).
"""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from .base import BaseModel
from .contractor import Contractor
from .document import Document
from .money import MoneyField


class MessageState:
    PLANNED = "planned"
    SENDING = "sending"
    SENT = "sent"
    RETRY = "retry"  # failed, retryable: tried again on the next passes
    FAILED = "failed"  # failed permanently: a person must act
    IN_DOUBT = "in_doubt"  # the sender died mid-send: never resent automatically
    CANCELLED = "cancelled"
    # Accepted by the server, then bounced for every address that took it (issue 15):
    # its steps moved to ``undelivered_step`` and go out again once the address is mended.
    UNDELIVERED = "undelivered"
    # A letter in a printed batch, not yet confirmed posted (issue 16): never printed
    # again by a pass; its step counts from the posting day a person confirms.
    PRINTED = "printed"

    UNFINISHED = (PLANNED, SENDING, RETRY, FAILED, IN_DOUBT, PRINTED)
    NEEDS_ATTENTION = (FAILED, IN_DOUBT)


class MessageKind:
    REMINDER = "reminder"
    DEMAND = "demand"
    REPORT = "report"
    TEST = "test"
    AGENCY = "agency"  # a recovery case handed to an agency's intake address


class MessageChannel:
    EMAIL = "email"
    LETTER = "letter"  # on paper (issue 16): planned → printed → sent (posted)


class MessageVariant:
    PLAIN = ""
    REGISTRY = "registry"  # a demand with the debtor-registry warning (issue 16)


class Message(BaseModel):
    contractor = ForeignKeyField(Contractor, null=True, backref="messages", on_delete="RESTRICT")
    contractor_id: ForeignKeyField[int | None]  # for the type checker: peewee adds it
    kind = CharField()
    language = CharField(default="pl", max_length=2)
    state = CharField(default=MessageState.PLANNED)
    recipients = TextField(default="")  # one per line
    subject = TextField(default="")
    # The Message-ID header; indexed (migration 0015): replies and bounces find us by it.
    message_id = CharField(default="", index=True)
    pass_date = DateField()
    attempts = IntegerField(default=0)
    last_error = TextField(default="")
    created_at = DateTimeField()
    sent_at = DateTimeField(null=True)
    # Issue 16 (migration 0016): a letter's ``raw`` is its content as JSON
    # (dunning/letters.py); ``letter_of`` makes an e-mail the copy of a letter, carrying
    # no step of its own; ``variant`` marks the demand with the registry warning.
    channel = CharField(default=MessageChannel.EMAIL, max_length=8)
    letter_of = ForeignKeyField("self", null=True, backref="copies", on_delete="RESTRICT")
    letter_of_id: ForeignKeyField[int | None]  # for the type checker: peewee adds it
    variant = CharField(default=MessageVariant.PLAIN)

    @property
    def is_letter(self) -> bool:
        return self.channel == MessageChannel.LETTER

    # -- the text, kept in its own table (MessageText) ----------------------------------
    # ``raw`` reads and writes like the column it was until migration 0020: set it, and
    # ``save`` stores it; read it, and it is fetched once (or given by ``with_texts``).
    # It shadows Model.raw (a classmethod for raw SQL), which this model never uses.

    @property  # type: ignore[override]
    def raw(self) -> str:
        text = self.__dict__.get("_raw")
        if text is None:
            text = MessageText.text_of(self.id) if self.id is not None else ""
            self.__dict__["_raw"] = text
        return text

    @raw.setter
    def raw(self, value: str) -> None:
        self.__dict__["_raw"] = value
        self.__dict__["_raw_changed"] = True

    def unsaved_text(self) -> str | None:
        """The text set since the message was last stored, once (None when unchanged):
        whoever writes the row writes it too (``save``, ``messages._save``)."""
        return self.__dict__["_raw"] if self.__dict__.pop("_raw_changed", False) else None

    def save(self, *args, **kwargs) -> int:
        """The row, then its text if it was set (both in the caller's transaction)."""
        rows = super().save(*args, **kwargs)
        text = self.unsaved_text()
        if text is not None:
            MessageText.store(self.id, text)
        return rows


def with_texts(messages: list[Message]) -> list[Message]:
    """``messages`` with their texts read in one query instead of one each."""
    wanted = [m.id for m in messages if "_raw" not in m.__dict__]
    if wanted:
        texts: dict[int, str] = dict(
            MessageText.select(MessageText.message, MessageText.raw)
            .where(MessageText.message.in_(wanted)).tuples())  # type: ignore[arg-type]
        for message in messages:
            if "_raw" not in message.__dict__:
                message.__dict__["_raw"] = texts.get(message.id, "")
    return messages


class MessageText(BaseModel):
    """The exact RFC 5322 text handed to the transport — the legal record of what was
    sent — or a letter's content as JSON (``dunning/letters.py``); none while a message
    has no text (its template failed).

    Its own table (migration 0020), not a column of ``message``: SQLite rewrites a whole
    row, its overflow pages too, whenever a column changes size, so each "sending" and
    "sent" mark rewrote the 6 KB text; a message's marks now touch one small row. Written
    once, with the message, and never changed by sending."""

    message = ForeignKeyField(Message, primary_key=True, backref="text_row",
                              on_delete="CASCADE")
    raw = TextField()  # type: ignore[assignment]  # shadows Model.raw, never used here

    class Meta:
        table_name = "message_text"

    @classmethod
    def text_of(cls, message_id: int) -> str:
        text = cls.select(cls.raw).where(cls.message == message_id).scalar()
        return text or ""

    @classmethod
    def store(cls, message_id: int, text: str) -> None:
        cls.insert(message=message_id, raw=text).on_conflict(
            conflict_target=[cls.message], preserve=[cls.raw]).execute()


class StepKind:
    REMINDER = "reminder"
    DEMAND = "demand"
    REPORT = "report"
    AGENCY = "agency"  # number: the recovery case's id, so a case is e-mailed once


class DocumentStep(BaseModel):
    """One document's share of a message. ``number``: 0 for the reminder, k for demand k,
    for a report the id of the collection-finished event it reports, and for an agency
    handover the recovery case's id."""

    document = ForeignKeyField(Document, backref="steps", on_delete="RESTRICT")
    document_id: ForeignKeyField[int]  # for the type checker: peewee adds it
    kind = CharField()
    number = IntegerField()
    message = ForeignKeyField(Message, backref="steps", on_delete="RESTRICT")
    planned_for = DateField()
    # The outstanding amount the message states: a retry whose document's amount has
    # changed since is re-planned instead of sending a stale figure.
    outstanding = MoneyField(null=True)

    class Meta:
        indexes = ((("document", "kind", "number"), True),)


class EventKind:
    REMINDER_SENT = "reminder_sent"
    DEMAND_SENT = "demand_sent"
    SEND_FAILED = "send_failed"
    NOTE = "note"
    FLAG_CHANGED = "flag_changed"
    PAYMENT_RECORDED = "payment_recorded"
    PAYMENT_REMOVED = "payment_removed"
    COLLECTION_FINISHED = "collection_finished"
    COLLECTION_RESUMED = "collection_resumed"
    REPORT_SENT = "report_sent"
    MESSAGE_MARKED_SENT = "message_marked_sent"
    HANDED_TO_AGENCY = "handed_to_agency"
    AGENCY_STATUS = "agency_status"
    # A correcting invoice (KSeF KOR) changed the document's gross and outstanding.
    DOCUMENT_CORRECTED = "document_corrected"
    # Where a document came from, recorded when it is created (issue 14): ``ksef <KSeF
    # number>`` for the KSeF sync, ``file <path>`` for a file (``, line <n>`` in a CSV).
    DOCUMENT_ARRIVED = "document_arrived"
    # What came back (issue 15); ``text`` is ``inbox <id>`` (the inbox message), for a
    # bounce followed by the failed addresses' answers.
    REPLY_RECEIVED = "reply_received"
    AUTO_REPLY_RECEIVED = "auto_reply_received"
    DELIVERY_FAILED = "delivery_failed"
    DELIVERY_DELAYED = "delivery_delayed"
    # A person's decision about a reply: ``resume`` / ``not_relevant`` + ``inbox <id>``.
    REPLY_DECIDED = "reply_decided"
    # Promises and disputes: ``promise <id>`` / ``dispute <id>`` and their words.
    PROMISE_MADE = "promise_made"
    PROMISE_KEPT = "promise_kept"
    PROMISE_BROKEN = "promise_broken"
    PROMISE_WITHDRAWN = "promise_withdrawn"
    DISPUTE_OPENED = "dispute_opened"
    DISPUTE_RESOLVED = "dispute_resolved"
    # Letters (issue 16): ``letter <id> on <day>``, for a return `` <reason>`` after it;
    # an e-mail copy of a letter sent: ``demand 2`` (the letter's step).
    LETTER_DELIVERED = "letter_delivered"
    LETTER_RETURNED = "letter_returned"
    LETTER_COPY_SENT = "letter_copy_sent"
    # The debtor reported to a bureau (``report <id>``), and the bureau asked to update a
    # reported claim after a payment (``report <id> on <day>``; art. 29).
    REGISTRY_REPORTED = "registry_reported"
    REGISTRY_UPDATED = "registry_updated"

    ALL = (
        REMINDER_SENT, DEMAND_SENT, SEND_FAILED, NOTE, FLAG_CHANGED, PAYMENT_RECORDED,
        PAYMENT_REMOVED, COLLECTION_FINISHED, COLLECTION_RESUMED, REPORT_SENT,
        MESSAGE_MARKED_SENT, HANDED_TO_AGENCY, AGENCY_STATUS, DOCUMENT_CORRECTED,
        DOCUMENT_ARRIVED, REPLY_RECEIVED, AUTO_REPLY_RECEIVED, DELIVERY_FAILED,
        DELIVERY_DELAYED, REPLY_DECIDED, PROMISE_MADE, PROMISE_KEPT, PROMISE_BROKEN,
        PROMISE_WITHDRAWN, DISPUTE_OPENED, DISPUTE_RESOLVED, LETTER_DELIVERED,
        LETTER_RETURNED, LETTER_COPY_SENT, REGISTRY_REPORTED, REGISTRY_UPDATED,
    )


class CollectionEvent(BaseModel):
    document = ForeignKeyField(Document, null=True, backref="events", on_delete="RESTRICT")
    document_id: ForeignKeyField[int | None]  # for the type checker: peewee adds it
    kind = CharField()
    at = DateTimeField()  # UTC
    day = DateField()  # the company-local date the event belongs to
    author = CharField(default="system")
    text = TextField(default="")
    message = ForeignKeyField(Message, null=True, backref="events", on_delete="RESTRICT")
    # For collection_finished: whether the report consent was on at that moment.
    needs_report = BooleanField(default=False)


class PassRun(BaseModel):
    """One pass per allowed day at most (SPEC §4, catch-up)."""

    pass_date = DateField(unique=True)
    started_at = DateTimeField()
    finished_at = DateTimeField(null=True)
    planned = IntegerField(default=0)
    sent = IntegerField(default=0)
    failed = IntegerField(default=0)


class RecipientState:
    """One address of a message (migration 0010). A message's step counts as sent when
    one address accepted it; the others keep their own outcome here."""

    ACCEPTED = "accepted"  # the server took the message for this address
    DEFERRED = "deferred"  # 4xx: tried again on the next passes, like a whole message
    REFUSED = "refused"  # 5xx, or still 4xx after MAX_ATTEMPTS tries: a person must act
    SENDING = "sending"  # handed to the transport (a retry to this address alone)
    IN_DOUBT = "in_doubt"  # the sender stopped mid-send: never resent automatically
    WITHDRAWN = "withdrawn"  # still to retry when its documents changed: not sent any more
    BOUNCED = "bounced"  # accepted, then a bounce said it never arrived (issue 15)

    PENDING = (DEFERRED,)  # what the next pass sends to


class MessageRecipient(BaseModel):
    """The outcome of one address of a message: who accepted, who refused and with
    which answer of the server. Written with the send's result; a message that never
    reached a server (connection failed) has no rows yet. A retry to the remaining
    addresses sends the same stored message (``Message.raw``, the legal record) to
    them alone: the documents' steps stay on the one message and count once."""

    message = ForeignKeyField(Message, backref="recipient_results", on_delete="RESTRICT")
    address = CharField()
    state = CharField()
    reply = TextField(default="")  # the server's answer, e.g. "550 5.1.1 user unknown"
    attempts = IntegerField(default=0)
    at = DateTimeField()  # UTC, of the latest outcome

    class Meta:
        table_name = "message_recipient"
        indexes = (
            (("message", "address"), True),
            (("state", "message"), False),
        )


class FailingAddress(BaseModel):
    """A contractor's address that a server refused for good (5xx, or 4xx after every
    retry). Later messages go only to the contractor's other addresses; with none left,
    nothing is planned and the reason says why. Cleared when the address changes in the
    contractor (editor or import) or when it accepts a message again."""

    contractor = ForeignKeyField(Contractor, backref="failing_addresses", on_delete="CASCADE")
    address = CharField()  # as written in the contractor's list
    reply = TextField(default="")
    day = DateField()  # the company-local day of the refusal
    message = ForeignKeyField(Message, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "failing_address"
        indexes = ((("contractor", "address"), True),)
