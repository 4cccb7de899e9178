"""Recovery (SPEC §8): orders to an agency, the cases in them, each case's documents and
status history, and the agreement concluded with the first order.

A document is in at most one *active* case: ``CaseDocument.active`` with a partial
unique index enforces it in the database, and ``Document.recovery_case`` points at that
case (kept in the same transaction) so that the unpaid list and the rules read it
without a join.
"""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    ModelSelect,
    TextField,
)

from .base import BaseModel
from .contractor import Contractor
from .document import Document
from .money import MoneyField, RateField


class CaseStatus:
    NOT_SENT = "not_sent"  # recorded, not (yet) accepted by the gateway
    WAITING = "waiting"  # sent, the agency has not answered
    ACCEPTED = "accepted"
    AMICABLE = "amicable"
    COURT = "court"
    ENFORCEMENT = "enforcement"
    PARTLY_RECOVERED = "partly_recovered"
    RECOVERED = "recovered"
    CLOSED = "closed"  # closed without success
    WITHDRAWN = "withdrawn"

    ACTIVE = (NOT_SENT, WAITING, ACCEPTED, AMICABLE, COURT, ENFORCEMENT, PARTLY_RECOVERED)
    FINAL = (RECOVERED, CLOSED, WITHDRAWN)
    ALL = ACTIVE + FINAL


class Agreement(BaseModel):
    agency = CharField()  # the agency's code
    terms_version = CharField()
    person_name = CharField()
    person_position = CharField(default="")
    person_email = CharField()
    person_phone = CharField(default="")
    concluded_at = DateTimeField()  # UTC
    author = CharField()


class RecoveryOrder(BaseModel):
    agency = CharField()
    created_at = DateTimeField()
    finished_at = DateTimeField(null=True)  # "Finish order": the cases go out
    author = CharField()


class RecoveryCase(BaseModel):
    order = ForeignKeyField(RecoveryOrder, backref="cases", on_delete="RESTRICT")
    contractor = ForeignKeyField(Contractor, backref="recovery_cases", on_delete="RESTRICT")
    # For the type checker only (annotations, no fields): what peewee itself adds, the
    # foreign key's raw id and the rows whose foreign keys point here (their backrefs).
    order_id: ForeignKeyField[int]
    documents: ModelSelect[CaseDocument]
    history: ModelSelect[CaseStatusChange]
    status = CharField(default=CaseStatus.NOT_SENT)
    status_at = DateTimeField()
    # The debtor's data as verified for this case (JSON): what the agency receives,
    # whether or not the corrections were saved to the contractor.
    debtor = TextField()
    total = MoneyField()  # outstanding handed over, PLN
    oldest_days_overdue = IntegerField()
    commission_rate = RateField()  # percent, as shown before sending
    commission = MoneyField()  # the estimate shown before sending
    commission_from_debtor = BooleanField(default=False)
    commission_recorded = MoneyField(default=0)  # earned by the agency so far
    external_ref = CharField(default="")  # the agency's case number
    send_error = TextField(default="")
    attempts = IntegerField(default=0)
    sent_at = DateTimeField(null=True)
    created_at = DateTimeField()
    author = CharField()


class CaseDocument(BaseModel):
    case = ForeignKeyField(RecoveryCase, backref="documents", on_delete="RESTRICT")
    document = ForeignKeyField(Document, backref="case_links", on_delete="RESTRICT")
    document_id: ForeignKeyField[int]  # for the type checker: peewee adds it
    outstanding = MoneyField()  # at hand-over, in the document's currency
    days_overdue = IntegerField()
    active = BooleanField(default=True)


class CaseCommission(BaseModel):
    """The commission recorded against a case for one agency payment (migration 0011).
    Removing the payment adds the reversing entry (``amount`` negated, the same
    ``payment_id``); entries are never deleted, and ``RecoveryCase.commission_recorded``
    is the sum of the case's entries."""

    case = ForeignKeyField(RecoveryCase, backref="commissions", on_delete="RESTRICT")
    case_id: ForeignKeyField[int]  # for the type checker: peewee adds it
    document = ForeignKeyField(Document, on_delete="RESTRICT")
    payment_id = IntegerField(index=True)  # the payment row is deleted when removed
    payment_amount = MoneyField()  # in the document's currency
    amount = MoneyField()  # PLN; negative for a reversal
    at = DateTimeField()  # UTC
    author = CharField()

    class Meta:
        table_name = "case_commission"


class CaseStatusChange(BaseModel):
    case = ForeignKeyField(RecoveryCase, backref="history", on_delete="RESTRICT")
    status = CharField()
    at = DateTimeField()  # UTC
    source = CharField()  # user | gateway | import
    note = TextField(default="")
    author = CharField()
