"""The CSV files a person can import, by what they hold: the one table that the
``import`` command and the welcome screen share (KSeF XML and bank statements have
commands and screens of their own)."""

from __future__ import annotations

from typing import Protocol

from ..ledger.clock import Clock
from ..ledger.settings import CollectionSettings
from .contractors import import_contractors
from .csv_common import ImportSummary, Progress, StrPath
from .documents import import_documents
from .payments import import_payments


class CsvImporter(Protocol):
    """How every CSV importer is called; ``author``: who brought the file (the person
    importing when not given)."""

    def __call__(self, path: StrPath, clock: Clock, settings: CollectionSettings,
                 progress: Progress | None = None, *,
                 author: str | None = None) -> ImportSummary: ...


IMPORTERS: dict[str, CsvImporter] = {
    "contractors": import_contractors,
    "documents": import_documents,
    "payments": import_payments,
}
