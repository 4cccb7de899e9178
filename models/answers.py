"""What a debtor's answer leads to (issue 15, migration 0015): promises to pay, disputes,
and the steps a bounce proved undelivered.

``Promise``: the debtor promised ``amount`` by ``pay_by``; collection of its documents
(``PromiseDocument``) waits until ``wait_until`` (``pay_by`` plus the grace days set when
it was made, so a later change of the setting does not move a promise already given).
``outstanding_at_start`` is what the documents owed together when it was made: the
promise is kept once they owe ``amount`` less (or nothing), broken when ``wait_until``
passes first (``ledger/answers.py``). ``state``: open, kept, broken, withdrawn.

``Dispute``: one document the debtor contests, with the reason and, optionally, the
amount in dispute. While open, nothing is sent for the document and it is not handed to
an agency; a person resolves it with a note.

``UndeliveredStep``: a step a bounce proved never arrived (issue 15, point 2). Its row
moves here from ``document_step`` in the transaction that records the bounce, so the
unique (document, step) slot is free for the same step to go out again once the
address is mended — and the record of the failed message and its documents stays.
"""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .base import BaseModel
from .collection import Message
from .contractor import Contractor
from .document import Document
from .inbox import InboxMessage
from .money import MoneyField


class PromiseState:
    OPEN = "open"
    KEPT = "kept"
    BROKEN = "broken"
    WITHDRAWN = "withdrawn"


class Promise(BaseModel):
    contractor = ForeignKeyField(Contractor, backref="promises", on_delete="RESTRICT")
    contractor_id: ForeignKeyField[int]
    amount = MoneyField()
    currency = CharField(default="PLN", max_length=3)
    pay_by = DateField()
    wait_until = DateField()  # pay_by + the grace days at the time it was made
    made_on = DateField()
    made_by = CharField()
    outstanding_at_start = MoneyField()
    inbox_message = ForeignKeyField(InboxMessage, null=True, backref="promises",
                                    on_delete="SET NULL")
    note = TextField(default="")
    state = CharField(max_length=16, default=PromiseState.OPEN)
    settled_on = DateField(null=True)  # kept or broken on that day
    created_at = DateTimeField()  # UTC

    class Meta:
        indexes = ((("state", "wait_until"), False),)


class PromiseDocument(BaseModel):
    promise = ForeignKeyField(Promise, backref="documents", on_delete="CASCADE")
    document = ForeignKeyField(Document, backref="promises", on_delete="RESTRICT")
    promise_id: ForeignKeyField[int]
    document_id: ForeignKeyField[int]

    class Meta:
        table_name = "promise_document"
        indexes = ((("promise", "document"), True), (("document",), False))


class DisputeState:
    OPEN = "open"
    RESOLVED = "resolved"


class Dispute(BaseModel):
    document = ForeignKeyField(Document, backref="disputes", on_delete="RESTRICT")
    document_id: ForeignKeyField[int]
    reason = TextField()
    amount = MoneyField(null=True)  # the part contested; None: the whole document
    opened_on = DateField()
    opened_by = CharField()
    inbox_message = ForeignKeyField(InboxMessage, null=True, backref="disputes",
                                    on_delete="SET NULL")
    state = CharField(max_length=16, default=DisputeState.OPEN)
    resolved_on = DateField(null=True)
    resolved_by = CharField(default="")
    resolution = TextField(default="")
    created_at = DateTimeField()  # UTC

    class Meta:
        indexes = ((("state", "document"), False), (("document",), False))


class UndeliveredStep(BaseModel):
    document = ForeignKeyField(Document, backref="undelivered_steps", on_delete="RESTRICT")
    document_id: ForeignKeyField[int]
    kind = CharField()  # StepKind.REMINDER or DEMAND
    number = IntegerField()
    message = ForeignKeyField(Message, backref="undelivered_steps", on_delete="RESTRICT")
    message_id: ForeignKeyField[int]
    planned_for = DateField()
    day = DateField()  # the company-local day the bounce was recorded
    inbox_message = ForeignKeyField(InboxMessage, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "undelivered_step"
        indexes = ((("document",), False), (("message",), False))
