"""The aging report as CSV, written the way the activity export writes its file
(``dunning/activity.py``): the ``csv`` module's default dialect (commas, CRLF), English
column names, UTF-8 with a BOM (Excel needs it to read Polish letters), written beside
the target and renamed at the end so a failed export leaves no half-written file.

One row per contractor in the report's order, then a totals row (no code, ``TOTAL`` as
the name). Amounts have a dot and two decimals and no grouping (``1234.50``), so any
spreadsheet reads them as numbers whatever its locale's grouping.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .aging import BUCKET_KEYS, AgingReport, AgingRow
from .csv_files import write_file_atomically

CSV_COLUMNS = ["contractor_code", "contractor", "currency", *BUCKET_KEYS, "total",
               "in_recovery", "documents"]
TOTAL_NAME = "TOTAL"


def _amount(grosze: int) -> str:
    sign = "-" if grosze < 0 else ""
    whole, cents = divmod(abs(grosze), 100)
    return f"{sign}{whole}.{cents:02d}"


def _line(row: AgingRow, currency: str, code: str, name: str) -> list[str]:
    return [code, name, currency, *(_amount(g) for g in row.grosze), _amount(row.total_grosze),
            _amount(row.in_recovery_grosze), str(row.documents)]


def aging_csv_rows(report: AgingReport) -> Iterator[list[str]]:
    """The header, each contractor, the totals."""
    yield CSV_COLUMNS
    for row in report.rows:
        yield _line(row, report.currency, row.code, row.name)
    yield _line(report.totals, report.currency, "", TOTAL_NAME)


def write_aging_csv(report: AgingReport, out: TextIO) -> int:
    """Write the report to ``out``; returns the number of contractor rows."""
    csv.writer(out).writerows(aging_csv_rows(report))
    return len(report.rows)


def export_aging_file(report: AgingReport, target: Path) -> int:
    """The report as a CSV file at ``target``; returns the number of contractor rows."""
    return write_file_atomically(target, lambda out: write_aging_csv(report, out))
