"""Files imported from the watched folders (issue 14, migration 0013).

One row per file imported, keyed by the SHA-256 of its content: a file whose content is
here already is never imported again, whatever its name (``importers/watched_folders.py``).
The row is written in the same transaction as what the file stored, so a row exists
exactly when the file's records do. A file refused has no row (nothing of it was stored;
the same content put back after a fix of the database is tried again).

Where a record came from, for the screens that say so: ``kind`` and ``file_name`` name
the file; a KSeF file's ``number`` is the invoice (or correction) it brought, a
statement's ``statement`` the bank statement it became; a CSV file's counts say what it
did (the file itself stays in the folder's ``done/``).
"""

from __future__ import annotations

from peewee import (
    BigIntegerField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from .base import BaseModel
from .statement import BankStatement


class WatchedFile(BaseModel):
    sha256 = CharField(max_length=64, unique=True)
    kind = CharField(max_length=16)  # contractors, documents, payments, ksef, statements
    folder = TextField()  # the watched folder as the setting named it
    file_name = CharField()  # the name it had there (done/ may add a suffix)
    size = BigIntegerField()
    imported_at = DateTimeField(index=True)  # UTC
    author = CharField()
    outcome = CharField(max_length=16)  # imported (CSV); created, unchanged, corrected (KSeF)
    rows = IntegerField(default=0)  # CSV: data rows read
    created = IntegerField(default=0)  # CSV: records created
    updated = IntegerField(default=0)  # CSV: records changed
    number = CharField(default="")  # KSeF: the invoice's or the correction's number
    statement = ForeignKeyField(BankStatement, null=True, on_delete="SET NULL")
