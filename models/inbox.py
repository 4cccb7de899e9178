"""The collection mailbox (issue 15, migration 0015): what came back from debtors.

``MailboxState``: one row per mailbox read (an IMAP folder or a local Maildir), named by
``source`` (``imaps://user@host:993/INBOX`` as ``ImapConfig.describe()`` gives it, or
``maildir:/path``). For IMAP it keeps the folder's UIDVALIDITY and the highest UID
processed: a message is fetched once, and the row is written in the same transaction as
the messages it covers, so a crash keeps both or neither. The rest says how the last
read went, for ``status`` and the top line (as ``KsefSyncState`` does for KSeF).

``InboxMessage``: one row per incoming message, unique by ``(source, key)`` — IMAP
``<uidvalidity>:<uid>``, or the Maildir file's unique name — and, as a second guard
when a server renumbers its folder, never stored twice with the same Message-ID from
one mailbox (``importers/inbox.py``). ``kind`` is what it is (``bounce``, ``delay``,
``auto_reply``, ``reply``); ``state`` whether a person must look at it (``waiting``:
a human reply not yet decided, or one nobody could match) or not (``done``). The raw
message is kept (up to the fetch limit) so that its attachments can be saved later; it
is never sent anywhere or executed.

``InboxDocument``: the documents a message concerns — the ones our original message
named, or a contractor's documents under collection when only the sender matched. A
waiting reply pauses exactly these.
"""

from __future__ import annotations

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from .base import BaseModel
from .collection import Message
from .contractor import Contractor
from .document import Document


class MailboxState(BaseModel):
    source = CharField(unique=True)
    uidvalidity = IntegerField(null=True)  # IMAP only; None for a Maildir
    last_uid = IntegerField(default=0)  # the highest UID processed (IMAP)
    last_run_at = DateTimeField(null=True)  # UTC
    last_success_at = DateTimeField(null=True)  # UTC
    last_fetched = IntegerField(default=0)  # messages the last good read stored
    failure = CharField(max_length=32, default="")  # mail_source.MailboxError.code
    failure_detail = TextField(default="")
    failing_since = DateTimeField(null=True)  # UTC

    class Meta:
        table_name = "mailbox_state"


class InboxKind:
    BOUNCE = "bounce"
    DELAY = "delay"
    AUTO_REPLY = "auto_reply"
    REPLY = "reply"


class InboxState:
    WAITING = "waiting"  # a person must decide (a reply) or assign it (unmatched)
    DONE = "done"


class Decision:
    """What a person decided about a waiting reply (``ledger/answers.py``)."""

    PROMISE = "promise"
    DISPUTE = "dispute"
    RESUME = "resume"
    NOT_RELEVANT = "not_relevant"

    ALL = (PROMISE, DISPUTE, RESUME, NOT_RELEVANT)


class MatchedBy:
    MESSAGE = "message"  # In-Reply-To / References, or a bounce's returned Message-ID
    VERP = "verp"  # the bounce came back to the return path of one of our messages
    SENDER = "sender"  # only the sender's address is a contractor's
    PERSON = "person"  # a person assigned it to a contractor
    NONE = ""


class InboxMessage(BaseModel):
    source = CharField()
    key = CharField()
    message_id = CharField(default="", index=True)  # the header, "<...>"
    kind = CharField(max_length=16)
    state = CharField(max_length=16, default=InboxState.DONE)
    from_address = CharField(default="")
    from_name = CharField(default="")
    subject = TextField(default="")
    sent_at = DateTimeField(null=True)  # UTC, from its Date header
    received_at = DateTimeField()  # UTC: when we stored it
    day = DateField()  # the company-local day we stored it
    size = IntegerField(default=0)
    truncated = BooleanField(default=False)
    text = TextField(default="")
    attachments = TextField(default="")  # JSON: [{name, content_type, size, index}]
    # Bounces and delays: one line per failed address, "address\tstatus\tdiagnostic\tP|T".
    failures = TextField(default="")
    problems = TextField(default="")  # what was malformed, one per line
    # The column shadows Model.raw (a classmethod for raw SQL), as on Message.
    raw = BlobField(null=True)  # type: ignore[assignment]
    contractor = ForeignKeyField(Contractor, null=True, backref="inbox_messages",
                                 on_delete="RESTRICT")
    contractor_id: ForeignKeyField[int | None]  # for the type checker: peewee adds it
    # Our message it answers or reports on (``message_id`` above is its own header).
    our_message = ForeignKeyField(Message, null=True, backref="answers", on_delete="RESTRICT")
    our_message_id: ForeignKeyField[int | None]  # for the type checker: peewee adds it
    matched_by = CharField(max_length=16, default=MatchedBy.NONE)
    decision = CharField(max_length=16, default="")
    decided_by = CharField(default="")
    decided_at = DateTimeField(null=True)  # UTC
    note = TextField(default="")

    class Meta:
        table_name = "inbox_message"
        indexes = (
            (("source", "key"), True),
            (("state", "id"), False),
        )


class InboxDocument(BaseModel):
    inbox_message = ForeignKeyField(InboxMessage, backref="documents", on_delete="CASCADE")
    document = ForeignKeyField(Document, backref="answers", on_delete="RESTRICT")
    document_id: ForeignKeyField[int]

    class Meta:
        table_name = "inbox_document"
        indexes = ((("inbox_message", "document"), True), (("document",), False))
