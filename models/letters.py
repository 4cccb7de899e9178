"""Letters on paper (issue 16, migration 0016): print jobs and each letter's posting.

A letter is a ``Message`` with ``channel = 'letter'``; printing it in a batch writes
its ``Letter`` row. The step it carries counts as done from ``posted_on``, the day a
person confirms it was posted (``ledger``: never from the day it was printed); the
registered number is the post office's, and delivery or return is recorded later from
the return receipt or the returned envelope.
"""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .base import BaseModel
from .collection import Message


class ReturnReason:
    UNCLAIMED = "unclaimed"  # awizo twice, not collected (art. 139 KPC's "doręczenie zastępcze")
    REFUSED = "refused"  # the addressee refused to take it
    MOVED = "moved"  # no such addressee at the address
    OTHER = "other"

    ALL = (UNCLAIMED, REFUSED, MOVED, OTHER)


class LetterBatch(BaseModel):
    """One print job: the PDF of its letters and its dispatch book (PDF and CSV)."""

    day = DateField()
    created_at = DateTimeField()
    created_by = CharField()
    letters = IntegerField()
    pdf_path = TextField()
    book_pdf_path = TextField()
    book_csv_path = TextField()

    class Meta:
        table_name = "letter_batch"


class Letter(BaseModel):
    message = ForeignKeyField(Message, unique=True, backref="letter_rows", on_delete="RESTRICT")
    message_id: ForeignKeyField[int]  # for the type checker: peewee adds it
    batch = ForeignKeyField(LetterBatch, backref="letter_rows", on_delete="RESTRICT")
    batch_id: ForeignKeyField[int]
    posted_on = DateField(null=True)
    registered_number = CharField(default="")
    posted_by = CharField(default="")
    delivered_on = DateField(null=True)
    returned_on = DateField(null=True)
    return_reason = CharField(max_length=16, default="")
    outcome_by = CharField(default="")

    class Meta:
        table_name = "letter"
        indexes = ((("batch",), False), (("registered_number",), False))
