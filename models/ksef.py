"""Corrections applied from KSeF correcting invoices (migration 0006).

A correcting invoice (``RodzajFaktury`` KOR, KOR_ZAL, KOR_ROZ) is not a document of its
own: it changes the gross and the outstanding amount of the invoice it corrects. One
row per correction, keyed by the correction's own number, is what makes importing the
same correction twice change nothing, and lets a re-import of the corrected invoice
recognise its original gross (the stored gross minus the differences applied).
"""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField

from .base import BaseModel
from .document import Document
from .money import MoneyField


class KsefCorrection(BaseModel):
    number = CharField(unique=True)  # the correcting invoice's own number (Fa/P_2)
    document = ForeignKeyField(Document, backref="ksef_corrections", on_delete="RESTRICT")
    issue_date = DateField()
    difference = MoneyField()  # Fa/P_15 of the correction: added to gross and outstanding
    source = CharField(default="")  # the file's name, for the user who asks "where from?"
    created_at = DateTimeField()
