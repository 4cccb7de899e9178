"""Reports to a bureau of economic information (issue 16, migration 0017).

A report is one debtor handed to one bureau on one day, with the claims it named and the
outstanding amount reported for each. The act (art. 29, docs/registry.md §5) obliges the
creditor to ask the bureau for an update within 14 days of learning of a payment or a
change: a claim whose document's outstanding amount differs from ``outstanding_reported``
needs an update, due 14 days after the change was recorded, until a person marks it done
(which records the figure the bureau now holds).
"""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, TextField

from .base import BaseModel
from .collection import Message
from .contractor import Contractor
from .document import Document
from .money import MoneyField


class RegistryReport(BaseModel):
    contractor = ForeignKeyField(Contractor, backref="registry_reports", on_delete="RESTRICT")
    contractor_id: ForeignKeyField[int]
    # The warning the report relies on (a registry letter or e-mail, sent).
    warning = ForeignKeyField(Message, on_delete="RESTRICT")
    bureau_name = CharField()
    bureau_address = TextField()
    reported_on = DateField()
    reported_by = CharField()
    created_at = DateTimeField()
    path = TextField()  # the export file written

    class Meta:
        table_name = "registry_report"


class RegistryClaim(BaseModel):
    report = ForeignKeyField(RegistryReport, backref="claims", on_delete="CASCADE")
    report_id: ForeignKeyField[int]
    document = ForeignKeyField(Document, on_delete="RESTRICT")
    document_id: ForeignKeyField[int]
    # What the bureau holds: reported, then as each update was asked for (art. 29).
    outstanding_reported = MoneyField()
    updated_on = DateField(null=True)
    updated_by = CharField(default="")

    class Meta:
        table_name = "registry_claim"
        indexes = ((("report", "document"), True), (("document",), False))
