"""The CSV files a person can import, by what they hold: the one table that the
``import`` command and the welcome screen share (KSeF XML and bank statements have
commands and screens of their own)."""

from __future__ import annotations

from .contractors import import_contractors
from .documents import import_documents
from .payments import import_payments

IMPORTERS = {
    "contractors": import_contractors,
    "documents": import_documents,
    "payments": import_payments,
}
