"""The aging report as CSV, for a person with a spreadsheet, in the language of the
export (``csv_files``: Polish files with semicolons and decimal commas, English with commas
and decimal points; titles in words; UTF-8 with a BOM; written beside the target and
renamed at the end so a failed export leaves no half-written file).

One row per contractor in the report's order, then a totals row (no code, *RAZEM* /
*TOTAL* as the name). Amounts have no grouping (``1234,50``), so any spreadsheet reads
them as numbers. *In dispute* is the part contested in open disputes, out of the age
columns (``aging.py``); the total includes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from ..i18n import N_, words
from .aging import BUCKET_NAMES, AgingReport, AgingRow
from .csv_files import CsvStyle, write_file_atomically

CSV_COLUMNS = [N_("contractor code"), N_("contractor"), N_("currency"), *BUCKET_NAMES,
               N_("total"), N_("with the agency"), N_("documents"), N_("in dispute")]
TOTAL_NAME = N_("TOTAL")


def _line(row: AgingRow, currency: str, code: str, name: str, style: CsvStyle) -> list[str]:
    return [code, name, currency, *(style.amount(g) for g in row.grosze),
            style.amount(row.total_grosze), style.amount(row.in_recovery_grosze),
            str(row.documents), style.amount(row.disputed_grosze)]


def aging_csv_rows(report: AgingReport, language: str = "en") -> Iterator[list[str]]:
    """The header, each contractor, the totals, in ``language``."""
    say, style = words(language), CsvStyle(language)
    yield [say.t(title) for title in CSV_COLUMNS]
    for row in report.rows:
        yield _line(row, report.currency, row.code, row.name, style)
    yield _line(report.totals, report.currency, "", say.t(TOTAL_NAME), style)


def write_aging_csv(report: AgingReport, out: TextIO, language: str = "en") -> int:
    """Write the report to ``out``; returns the number of contractor rows."""
    CsvStyle(language).writer(out).writerows(aging_csv_rows(report, language))
    return len(report.rows)


def export_aging_file(report: AgingReport, target: Path, language: str = "en") -> int:
    """The report as a CSV file at ``target``; returns the number of contractor rows."""
    return write_file_atomically(target, lambda out: write_aging_csv(report, out, language))
