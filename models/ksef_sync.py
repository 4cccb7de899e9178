"""The KSeF sync's memory (issue 14, migration 0014).

``KsefSyncState``: one row per KSeF environment and NIP. ``checkpoint`` is the ``from``
of the next incremental metadata query (UTC, ``PermanentStorage`` dates, docs/ksef-sync.md
1.4); it is written in the same transaction as the invoices it covers, so a crash keeps
both or neither. The rest says how the last run went, for ``status`` and the top line:
``failure`` is a code (``importers/ksef_sync.py`` ``Failure``) and ``failure_detail``
KSeF's own words; both are empty after a run that ended well.

``KsefInvoice``: one row per KSeF number handled, written with the document it became
(or the correction it applied), so an invoice is imported once however often KSeF lists
it — the XML does not carry its own KSeF number. A refused invoice keeps its row with
the reason, is not downloaded again by the next runs, and is tried again on
``ksef sync --retry``.
"""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .base import BaseModel
from .document import Document


class KsefSyncState(BaseModel):
    environment = CharField()  # production, demo, test, or the URL of a stand-in/proxy
    nip = CharField(max_length=10)
    checkpoint = DateTimeField(null=True)  # UTC, naive; None until the first run ends a page
    last_run_at = DateTimeField(null=True)  # UTC: when the last run started
    last_success_at = DateTimeField(null=True)  # UTC: when a run last ended well
    last_added = IntegerField(default=0)  # invoices the last run created or applied
    failure = CharField(max_length=32, default="")
    failure_detail = TextField(default="")
    failing_since = DateTimeField(null=True)  # UTC: the first run of the current failure

    class Meta:
        indexes = ((("environment", "nip"), True),)


class KsefInvoice(BaseModel):
    ksef_number = CharField(max_length=40, unique=True)
    invoice_number = CharField()  # Fa/P_2, as the metadata names it
    # The document it created or matched; for a correction, the document it corrected.
    document = ForeignKeyField(Document, null=True, backref="ksef_invoices",
                               on_delete="RESTRICT")
    stored_at = DateTimeField()  # UTC: its permanentStorageDate in KSeF
    synced_at = DateTimeField()  # UTC
    outcome = CharField(max_length=16)  # created, unchanged, corrected, refused
    problem = TextField(default="")  # refused: the importer's words, line by line
