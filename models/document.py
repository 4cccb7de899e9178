"""Documents (sales invoices) and their payments (the settlement history)."""

from __future__ import annotations

from typing import Any

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    ModelSelect,
)

from .base import BaseModel
from .contractor import Contractor
from .money import MoneyField, RateField

PAYMENT_METHODS = ("transfer", "cash", "agency", "offset", "correction")


class Document(BaseModel):
    number = CharField(unique=True)
    contractor = ForeignKeyField(Contractor, backref="documents", on_delete="RESTRICT")
    # For the type checker only (annotations, no fields): what peewee itself adds, the
    # foreign key's raw id and the rows whose foreign keys point here (their backrefs).
    contractor_id: ForeignKeyField[int]
    payments: ModelSelect[Payment]
    ksef_corrections: ModelSelect[Any]  # KsefCorrection rows; models/ksef.py imports this
    issue_date = DateField()
    due_date = DateField()
    # The due date moved past Saturdays, Sundays and holidays (Civil Code art. 115);
    # stored because the planner selects overdue documents by it with an index.
    legal_due_date = DateField()
    currency = CharField(default="PLN", max_length=3)
    gross = MoneyField()
    exchange_rate = RateField(null=True)
    # gross minus the sum of payments; written only together with the payments.
    outstanding = MoneyField()
    subject_to_collection = BooleanField(default=False)
    # Collection progress, advanced only when a message is recorded as sent.
    reminder_sent_on = DateField(null=True)
    demands_sent = IntegerField(default=0)
    last_demand_on = DateField(null=True)
    collection_ended_on = DateField(null=True)
    # paid | flag_off | max_demands | recovery: decides whether collection may resume.
    collection_end_reason = CharField(null=True)
    created_at = DateTimeField()
    # The contractor's name folded for search and sorting (models/text.py), kept here
    # so that the unpaid list sorts and filters a million rows on one indexed column.
    contractor_key = CharField(default="")
    # The active recovery case holding the document, if any (models/recovery.py);
    # an id rather than a foreign key, as the case table is defined after this one.
    recovery_case = IntegerField(null=True, column_name="recovery_case_id")
    # The account the invoice asks to be paid to (KSeF ``Platnosc/RachunekBankowy/NrRB``,
    # migration 0006); empty when the source did not say.
    bank_account = CharField(default="")
    # Optimistic locking (migration 0009, ledger/versions.py), as on Contractor.
    version = IntegerField(default=1)
    updated_by = CharField(default="")
    updated_at = DateTimeField(null=True)


class Payment(BaseModel):
    document = ForeignKeyField(Document, backref="payments", on_delete="RESTRICT")
    document_id: ForeignKeyField[int]  # for the type checker: peewee adds it
    paid_on = DateField()
    amount = MoneyField()
    method = CharField(default="transfer")
    reference = CharField(default="")
    author = CharField(default="")
    created_at = DateTimeField()
