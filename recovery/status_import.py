"""Case statuses from the agency's file: CSV or JSON, all or nothing (SPEC §8, §10).

* **CSV**: ``case, status, [date], [note]``, or ``external_ref`` (the agency's own case
  number) instead of ``case``; comma or semicolon, UTF-8 or Windows-1250 — read by
  ``importers.csv_common`` like every other file, so the rules are the ones a
  bookkeeper already knows.
* **JSON**: a list of ``{"case": …, "status": …, "date": …, "note": …}`` (or
  ``"external_ref"`` instead of ``"case"``). A file whose name ends in ``.json``, or
  whose text starts with ``[``, is read as JSON.
* **Status names** in Polish or English (``status_names``): ``odzyskano``, ``sąd``,
  ``egzekucja``, ``recovered``…
* **Refused** — the whole file, every problem listed with its line (JSON: its index in
  the list, from 0): an unknown case or status, a date in the future, and a change away from a final
  status (recovered, closed, withdrawn). A row that repeats the case's current status
  changes nothing. Rows apply in file order, so a file may walk a case through several
  statuses; the checks follow it row by row.
* The agency's ``date`` and ``note`` go into the status change's note; the change itself
  is dated when it is recorded, as every event is.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import N_, t
from ..importers.csv_common import (
    FileSpec,
    ImportRejected,
    Row,
    RowError,
    StrPath,
    decode_text,
    parse_date,
    read_rows,
)
from ..ledger.clock import Clock
from ..ledger.names import CASE_STATUS_NAMES, day_text, name_of, os_reason
from ..ledger.validation import fold_line
from ..models import CaseStatus, RecoveryCase, database
from .cases import RecoveryError, set_status
from .status_names import parse_status

SPEC = FileSpec.parse("[case], [external_ref], status, [date], [note]")


@dataclass(frozen=True)
class StatusRow:
    case_id: int
    status: str
    date: dt.date | None
    note: str


@dataclass(frozen=True)
class StatusImportSummary:
    rows: int
    changed: int

    @property
    def unchanged(self) -> int:
        return self.rows - self.changed


class ItemError(RowError):
    """A problem in a JSON file: ``line`` holds the item's index in the list."""

    def __str__(self) -> str:
        if self.column:
            return t("index {index}, {key}: {message}", index=self.line, key=self.column,
                     message=self.message)
        return t("index {index}: {message}", index=self.line, message=self.message)


class _Checker:
    """Checks rows in file order against the cases as they will be after earlier rows."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.status: dict[int, str] = {}  # the case's status after the rows so far

    def check(self, row: Row) -> StatusRow | None:
        case = self._case(row)
        name = row.value("status", required=True)
        status = parse_status(name) if name else None
        if name and status is None:
            row.error("status", t("unknown status '{name}' (e.g. przyjęta, polubowny, sąd, "
                                  "egzekucja, odzyskano, zamknięta bez sukcesu, wycofana)",
                                  name=name))
        date = row.parse("date", parse_date)
        if date is not None and date > self.today:
            row.error("date", t("{day} is in the future", day=day_text(date)))
        if case is None or status is None or row.errors:
            return None
        current = self.status.get(case.id, case.status)
        if current in CaseStatus.FINAL and status != current:
            row.error("status", t("case {case} is already {current}; it cannot become {status}",
                                  case=case.id, current=name_of(CASE_STATUS_NAMES, current),
                                  status=name_of(CASE_STATUS_NAMES, status)))
            return None
        self.status[case.id] = status
        return StatusRow(case.id, status, date, fold_line(row.value("note")))

    def _case(self, row: Row) -> RecoveryCase | None:
        ident, ref = row.value("case").lstrip("#").strip(), row.value("external_ref")
        if ident:
            if not ident.isdigit():
                row.error("case", t("'{value}' is not a case number", value=ident))
                return None
            case = RecoveryCase.get_or_none(RecoveryCase.id == int(ident))
            if case is None:
                row.error("case", t("there is no case {case}", case=ident))
            return case
        if ref:
            found = list(RecoveryCase.select().where(RecoveryCase.external_ref == ref).limit(2))
            if len(found) != 1:
                row.error("external_ref", t("no case has the agency reference '{ref}'", ref=ref)
                          if not found
                          else t("several cases have the agency reference '{ref}'", ref=ref))
                return None
            return found[0]
        row.error("case", t("a case number (or the agency's external_ref) is required"))
        return None


# The JSON parser's common complaints (English whatever the reader's language) in words.
_JSON_REASONS = {
    "Expecting value": N_("a value is missing at column {column}"),
    "Expecting ',' delimiter": N_("a comma is missing at column {column}"),
    "Expecting ':' delimiter": N_("a colon is missing at column {column}"),
    "Expecting property name enclosed in double quotes":
        N_("a key in double quotes is expected at column {column}"),
    "Unterminated string starting at": N_("a text opened at column {column} is not closed"),
    "Extra data": N_("something follows the list at column {column}"),
    "Invalid control character at": N_("a control character at column {column}"),
}


def _json_rows(path: Path, checker: _Checker) -> list[tuple[int, StatusRow]]:
    try:
        data = json.loads(decode_text(path.read_bytes()))
    except json.JSONDecodeError as exc:
        reason = _JSON_REASONS.get(exc.msg)
        raise ImportRejected(path, [RowError(exc.lineno, "", t(
            "not valid JSON: {reason}",
            reason=t(reason, column=exc.colno) if reason else exc.msg))]) from None
    if not isinstance(data, list):
        raise ImportRejected(path, [ItemError(0, "", t("the file must be a JSON list of "
                                                     "{case, status, date, note} objects"))])
    errors: list[RowError] = []
    parsed: list[tuple[int, StatusRow]] = []
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            errors.append(ItemError(index, "", t("each item must be an object")))
            continue
        unknown = sorted(set(item) - set(SPEC.columns))
        row = Row(index, {k: _text(item.get(k)) for k in SPEC.columns})
        for key in unknown:
            row.error(key, t("unknown key (expected: {keys})", keys=SPEC.describe()))
        record = checker.check(row)
        if row.errors:
            errors.extend(ItemError(e.line, e.column, e.message) for e in row.errors)
        elif record is not None:
            parsed.append((index, record))
    if errors:
        raise ImportRejected(path, errors)
    return parsed


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _is_json(path: Path) -> bool:
    if path.suffix.lower() == ".json":
        return True
    try:
        head = path.read_bytes()[:64].decode("utf-8-sig", "replace").lstrip()
    except OSError:
        return False
    return head.startswith("[")


def read_status_file(path: StrPath, today: dt.date) -> list[tuple[int, StatusRow]]:
    """Every row checked; raises ``ImportRejected`` listing all problems."""
    path = Path(path)
    checker = _Checker(today)
    if _is_json(path):
        try:
            return _json_rows(path, checker)
        except OSError as exc:
            raise ImportRejected(path, [RowError(1, "", t("the file cannot be read: {reason}",
                                                          reason=os_reason(exc)))]) from None
    return read_rows(path, SPEC, checker.check)


def import_status(path: StrPath, clock: Clock) -> StatusImportSummary:
    """Check the whole file, then record every change in one transaction."""
    rows = read_status_file(path, clock.today())
    changed = 0
    try:
        with database.atomic():
            for _, row in rows:
                note = " — ".join(part for part in (
                    f"agency date {row.date.isoformat()}" if row.date else "", row.note) if part)
                case = RecoveryCase.get_by_id(row.case_id)
                if set_status(clock, case, row.status, source="import", note=note):
                    changed += 1
    except RecoveryError as exc:  # checked above; another session may have moved a case
        raise ImportRejected(path, [RowError(1, "", str(exc))]) from None
    return StatusImportSummary(len(rows), changed)


__all__ = ["SPEC", "ItemError", "StatusImportSummary", "StatusRow", "import_status",
           "read_status_file"]
