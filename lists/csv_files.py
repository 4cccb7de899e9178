"""Exported CSV files: written so that a failure never leaves half of one behind, and in
the reader's language and spreadsheet conventions.

Decisions written down (README, *Exported CSV files*):

* A file is for a person first: column titles and every value in words of the language
  the export was made in (the interface's or the command's ``--lang``), never a stored code.
* Polish: semicolons between columns and a decimal comma (``1234,56``), which is what a
  Polish Excel or LibreOffice opens as columns and numbers with a double-click; English:
  commas and a decimal point. Amounts carry no grouping, so they stay numbers.
* Days as ``2026-11-23`` in both: every spreadsheet reads ISO days as dates, whatever its
  locale. Times are local, with the zone named in the column title.
* UTF-8 with a BOM: Excel needs it to read Polish letters.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO


@dataclass(frozen=True)
class CsvStyle:
    """How a reader's spreadsheet wants its CSV: the column separator and decimal mark."""

    language: str

    @property
    def delimiter(self) -> str:
        return ";" if self.language == "pl" else ","

    def amount(self, grosze: int) -> str:
        """An amount from integer grosze: ``-1234,50`` (Polish) or ``-1234.50``."""
        sign = "-" if grosze < 0 else ""
        whole, cents = divmod(abs(grosze), 100)
        mark = "," if self.language == "pl" else "."
        return f"{sign}{whole}{mark}{cents:02d}"

    def writer(self, out: TextIO):
        return csv.writer(out, delimiter=self.delimiter)


def write_file_atomically(target: Path, write: Callable[[TextIO], int]) -> int:
    """``write`` into ``target.part`` (UTF-8 with a BOM, which Excel needs to read Polish
    letters), then rename it to ``target``; on any failure the partial file is removed and
    ``target`` is left as it was. Returns what ``write`` returned (the rows written)."""
    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as out:
            count = write(out)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return count
