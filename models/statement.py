"""Bank statements (issue 5): the files imported, their credits and what became of each,
the payments they recorded, and the payers' accounts learned from them (migration 0007).

* ``BankStatement`` is one imported file; ``sha256`` makes the same file twice a no-op.
  ``statement_date`` is the newest closing-balance date in it: the planner holds demands
  while ``max(statement_date)`` is older than ``statement.hold_days``.
* ``StatementLine`` is one credit. ``line_key`` (a digest of the account and the entry
  as the bank wrote it, see ``importers/statements.py``) is unique, so a second file
  that overlaps the first adds none of the credits already in.
* ``StatementPayment`` links a line to each payment it recorded. The payment may later
  be removed by hand (``actions.remove_payment``); the link then keeps the document and
  the amount, and ``payment`` becomes NULL.
* ``ContractorAccount``: an account a contractor paid from, learned from a sure or a
  confirmed match; a later credit from it without an invoice number in its title is
  matched by amount.
"""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, TextField

from .base import BaseModel
from .contractor import Contractor
from .document import Document, Payment
from .money import MoneyField


class LineStatus:
    SURE = "sure"  # recorded at import
    UNSURE = "unsure"  # candidates wait for a person
    UNMATCHED = "unmatched"  # no candidate
    CONFIRMED = "confirmed"  # a person chose the documents
    IGNORED = "ignored"  # a person said it pays no document (a refund, a loan ...)

    PENDING = (UNSURE, UNMATCHED)
    ALL = (SURE, UNSURE, UNMATCHED, CONFIRMED, IGNORED)


class BankStatement(BaseModel):
    sha256 = CharField(max_length=64, unique=True)
    file_name = CharField(default="")
    account = CharField()  # the accounts of the file's blocks, comma-separated
    number = CharField(default="")  # :28C: of the first block (and of the last, if more)
    profile = CharField()
    statement_date = DateField(index=True)  # the newest closing-balance date
    imported_at = DateTimeField()  # UTC
    author = CharField()


class StatementLine(BaseModel):
    statement = ForeignKeyField(BankStatement, backref="lines", on_delete="RESTRICT")
    line_key = CharField(max_length=64, unique=True)
    booked_on = DateField()
    amount = MoneyField()
    currency = CharField(max_length=3)
    title = TextField(default="")
    payer_name = TextField(default="")
    payer_account = CharField(default="")
    bank_reference = CharField(default="")
    status = CharField(max_length=10)
    reason = CharField(default="")  # statement_matching.Reason
    unexplained = TextField(default="")  # numbers in the title that are no open document
    candidates = TextField(default="")  # unsure: document ids, best first, space-separated
    decided_at = DateTimeField(null=True)  # confirmed or ignored: when (UTC) and by whom
    decided_by = CharField(default="")

    class Meta:
        indexes = ((("status", "booked_on", "id"), False),)

    @property
    def candidate_ids(self) -> list[int]:
        return [int(part) for part in self.candidates.split()]


class StatementPayment(BaseModel):
    line = ForeignKeyField(StatementLine, backref="payments", on_delete="RESTRICT")
    document = ForeignKeyField(Document, on_delete="RESTRICT")
    amount = MoneyField()
    payment = ForeignKeyField(Payment, null=True, on_delete="SET NULL")


class ContractorAccount(BaseModel):
    contractor = ForeignKeyField(Contractor, backref="accounts", on_delete="RESTRICT")
    account = CharField(max_length=34, index=True)
    learned_at = DateTimeField()  # UTC
    line = ForeignKeyField(StatementLine, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("contractor", "account"), True),)
