"""Reading the CSV files people export from their bookkeeping (SPEC §10), all-or-nothing.

The three importers share everything here so that every file is read the same way and a
bookkeeper learns one set of rules:

* **Encoding.** Strict UTF-8 (with or without a BOM) first, then Windows-1250. The order
  matters: Windows-1250 decodes almost any byte, so trying it first would turn a UTF-8
  ``ł`` into ``Ĺ‚`` without a complaint, while real Windows-1250 text with Polish letters
  is practically never valid UTF-8.
* **Delimiter.** ``;`` (what Polish Excel writes) or ``,``, decided from the header line
  alone, since data lines hold amounts like ``1234,56`` and e-mail lists that would
  mislead a sniffer.
* **Header.** The first non-blank line; names are trimmed and case-insensitive. A missing
  required column or an unknown column is an error on that line naming the column:
  a typo such as ``emial`` must not silently drop a whole column of data.
* **Rows.** Blank lines are skipped. Each error carries the *physical* line number the
  user sees in an editor (a quoted value spanning lines counts from where it starts).
* **All or nothing** (SPEC §9, ARCHITECTURE "Nothing is half-stored"): ``run_import``
  checks every row, collects every problem (not just the first — the user fixes the file
  once), raises ``ImportRejected`` if there is any, and only then writes every row inside
  one transaction, so that even an unexpected failure while writing leaves nothing behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from peewee import DataError, IntegrityError

from ..i18n import t, tn
from ..ledger.names import os_reason
from ..ledger.settings_problems import describe_problem
from ..ledger.validation import (
    check_amount,
    check_currency,
    check_day,
    check_rate,
    parse_bool,
    single_line,
)
from ..ledger.versions import ChangedMeanwhile
from ..models import database
from ..models.db import cache_role
from ..models.money import parse_amount

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = [
    "FileSpec", "ImportRejected", "ImportSummary", "Outcome", "Row", "RowError", "StrPath",
    "UnreadableText", "decode_text", "parse_bool", "parse_choice", "parse_currency", "parse_date",
    "parse_positive_amount", "parse_rate", "read_rows", "run_import",
]

R = TypeVar("R")
D = TypeVar("D", bound="DataclassInstance")  # a record whose fields are an action's keywords
T = TypeVar("T")
Outcome = Literal["created", "updated", "unchanged"]
StrPath = str | PathLike[str]


@dataclass(frozen=True)
class RowError:
    """One problem in a file: ``line`` as an editor numbers it (header = 1), ``column``
    the column's name, or ``""`` when the problem concerns the whole line."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return t("line {line}, column {column}: {message}", line=self.line,
                     column=self.column, message=self.message)
        return t("line {line}: {message}", line=self.line, message=self.message)


class ImportRejected(Exception):
    """A file was refused; nothing from it was stored. ``errors`` lists every problem."""

    def __init__(self, path: StrPath, errors: Sequence[RowError]) -> None:
        self.path = Path(path)
        self.errors = list(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        head = tn("{path}: nothing was imported, {n} problem:",
                  "{path}: nothing was imported, {n} problems:", len(self.errors), path=self.path)
        return "\n".join([head, *(f"  {error}" for error in self.errors)])


@dataclass(frozen=True)
class ImportSummary:
    """What an accepted file did: data rows read, records created and records changed."""

    rows: int
    created: int
    updated: int

    @property
    def unchanged(self) -> int:
        return self.rows - self.created - self.updated


@dataclass(frozen=True)
class FileSpec:
    """The columns of one kind of file, written as SPEC §10 writes them."""

    columns: tuple[str, ...]
    optional: frozenset[str]

    @classmethod
    def parse(cls, text: str) -> FileSpec:
        """``"code, name, [nip]"`` → code and name required, nip optional."""
        names = [part.strip() for part in text.split(",")]
        return cls(
            columns=tuple(name.strip("[]") for name in names),
            optional=frozenset(name.strip("[]") for name in names if name.startswith("[")),
        )

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(name for name in self.columns if name not in self.optional)

    def describe(self) -> str:
        return ", ".join(f"[{n}]" if n in self.optional else n for n in self.columns)


@dataclass
class Row:
    """One data line: its trimmed values by column name, and the problems found in it.

    Row parsers read values through ``value``/``parse``, which record a ``RowError``
    instead of raising, so one line can report several problems at once.
    """

    line: int
    cells: dict[str, str]
    errors: list[RowError] = field(default_factory=list)

    def has(self, column: str) -> bool:
        """Whether the file has this column at all (absent optional columns keep data)."""
        return column in self.cells

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))

    def value(self, column: str, required: bool = False) -> str:
        text = self.cells.get(column, "")
        if required and not text:
            self.error(column, t("a value is required"))
        return text

    def reference(self, column: str, found: dict[str, T | None], find: Callable[[str], T | None],
                  missing: Callable[[str], str]) -> T | None:
        """The record this row names in ``column`` (a contractor's code, a document's
        number), looked up once per value in a file (``found`` keeps the answers); when
        there is none, an error in the words ``missing`` gives."""
        key = self.parse(column, single_line, required=True)
        if not key:
            return None
        if key not in found:
            found[key] = find(key)
        if found[key] is None:
            self.error(column, missing(key))
        return found[key]

    def parse(self, column: str, parser: Callable[[str], T], required: bool = False) -> T | None:
        """The parsed value; None when empty or invalid (an invalid one is recorded)."""
        text = self.value(column, required)
        if not text:
            return None
        try:
            return parser(text)
        except ValueError as exc:
            # A parser shared with the settings (amounts, NIP, e-mail, time) words its
            # refusal in English: the settings' table says it in the reader's language.
            self.error(column, describe_problem(str(exc)))
            return None


# --- value parsers: each raises ValueError with a message a bookkeeper can act on ---------

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_POLISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_RATE = re.compile(r"^\d+(\.\d{1,6})?$")
_CURRENCY = re.compile(r"^[A-Za-z]{3}$")


def parse_date(text: str) -> dt.date:
    """``YYYY-MM-DD`` or ``DD.MM.YYYY`` (what Polish Excel writes), within the dates
    accepted (``ledger/validation.py``: 2000-01-01 to 2099-12-31)."""
    value = text.strip()
    iso, polish = _ISO_DATE.match(value), _POLISH_DATE.match(value)
    try:
        if iso:
            day = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        elif polish:
            day = dt.date(int(polish[3]), int(polish[2]), int(polish[1]))
    except ValueError:
        raise ValueError(t("'{value}' is not a calendar date", value=value)) from None
    if iso or polish:
        return check_day(day)
    raise ValueError(t("'{value}' is not a date (use YYYY-MM-DD or DD.MM.YYYY)", value=value))


def parse_positive_amount(text: str) -> Decimal:
    """An amount (``1234.56``, ``1234,56``, ``1 234,56``) above zero and at most
    ``AMOUNT_MAX`` (``ledger/validation.py``)."""
    value = parse_amount(text)  # MoneyError is a ValueError
    if value <= 0:
        raise ValueError(t("'{value}' must be greater than zero", value=text.strip()))
    return check_amount(value)


def parse_rate(text: str) -> Decimal:
    """An exchange rate to PLN: ``.`` or ``,``, up to six decimal places, within
    ``RATE_MIN``–``RATE_MAX`` (``ledger/validation.py``)."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not _RATE.match(cleaned):
        raise ValueError(
            f"'{text.strip()}' is not an exchange rate (a number with up to 6 decimal "
            "places, e.g. 4.2954)"
        )
    try:
        value = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern already guards this
        raise ValueError(f"'{text.strip()}' is not an exchange rate") from None
    if value <= 0:
        raise ValueError(t("'{value}' must be greater than zero", value=text.strip()))
    return check_rate(value)


def parse_currency(text: str) -> str:
    """An ISO 4217 code of real money, upper-cased (``eur`` → ``EUR``); ``XXX``, ``XTS``
    and the like are refused (``ledger/validation.py``)."""
    value = text.strip()
    if not _CURRENCY.match(value):
        raise ValueError(f"'{value}' is not a currency code (three letters, e.g. PLN, EUR)")
    return check_currency(value)


def parse_choice(choices: Iterable[str]) -> Callable[[str], str]:
    """A parser accepting one of ``choices``, case-insensitively."""
    allowed = tuple(choices)

    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in allowed:
            raise ValueError(f"'{text.strip()}' is not one of: {', '.join(allowed)}")
        return value

    return parse


# --- reading a file ----------------------------------------------------------------------


class UnreadableText(ValueError):
    """The file cannot be read as CSV from ``line`` on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_text(data: bytes) -> str:
    """The file's text: UTF-8 (BOM or not), else Windows-1250 (see the module docstring).

    Raises ``UnreadableText`` with the line of the first byte neither encoding accepts.
    """
    nul = data.find(b"\x00")
    if nul >= 0:
        raise UnreadableText(
            _line_of(data, nul),
            "the file contains NUL bytes (UTF-16 or a spreadsheet?); save it as CSV in "
            "UTF-8 or Windows-1250",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1250")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        raise UnreadableText(
            _line_of(data, exc.start),
            f"the file is neither UTF-8 nor Windows-1250 (byte 0x{byte:02X} cannot be read)",
        ) from None


def _delimiter(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if header.count(";") > header.count(",") else ","


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, values) for every CSV record, blank lines included."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise UnreadableText(start, f"the line cannot be read as CSV ({exc})") from None
        yield start, values


def _header(
    line: int, values: list[str], spec: FileSpec
) -> tuple[list[str | None], list[RowError]]:
    """The column name of every position (None for an unnamed one) and the header's errors."""
    names: list[str | None] = []
    errors: list[RowError] = []
    for raw in values:
        name = raw.strip().lower()
        if not name:
            names.append(None)  # a trailing ";" in the header: allowed while its cells are empty
        elif name not in spec.columns:
            errors.append(RowError(line, name, t("unknown column (expected: {columns})",
                                                 columns=spec.describe())))
            names.append(None)
        elif name in names:
            errors.append(RowError(line, name, t("the column appears twice in the header")))
            names.append(None)
        else:
            names.append(name)
    for name in spec.required:
        if name not in names:
            errors.append(RowError(line, name, t("required column is missing")))
    return names, errors


def _row(line: int, values: list[str], names: list[str | None]) -> Row:
    row = Row(line, {name: "" for name in names if name is not None})
    if len(values) < len(names):
        row.error("", tn("{count} values, but the header names {n} column",
                         "{count} values, but the header names {n} columns", len(names),
                         count=len(values)))
        return row
    for position, raw in enumerate(values):
        name = names[position] if position < len(names) else None
        if name is not None:
            row.cells[name] = raw.strip()
        elif raw.strip():
            row.error("", tn(
                "{count} values, but the header names {n} column (a value containing the "
                "delimiter must be in double quotes)",
                "{count} values, but the header names {n} columns (a value containing the "
                "delimiter must be in double quotes)", len(names), count=len(values)))
            break
    return row


def read_rows(
    path: StrPath, spec: FileSpec, parse_row: Callable[[Row], R | None]
) -> list[tuple[int, R]]:
    """Every data row of the file parsed by ``parse_row``, as ``(line, record)``.

    ``parse_row`` reports problems on the ``Row`` it is given; a row with any problem
    contributes none of its record. Raises ``ImportRejected`` with all problems of the
    file. ``parse_row`` may keep state (codes seen so far, running totals).
    """
    try:
        text = decode_text(Path(path).read_bytes())
    except OSError as exc:
        raise ImportRejected(
            path, [RowError(1, "", t("the file cannot be read: {reason}", reason=os_reason(exc)))]
        ) from None
    except UnreadableText as exc:
        raise ImportRejected(path, [RowError(exc.line, "", exc.message)]) from None

    errors: list[RowError] = []
    parsed: list[tuple[int, R]] = []
    names: list[str | None] | None = None
    position: dict[str, int] = {}  # column → its place in the header
    try:
        for line, values in _records(text):
            if not any(value.strip() for value in values):
                continue
            if names is None:
                names, header_errors = _header(line, values, spec)
                if header_errors:  # rows cannot be understood without their columns
                    raise ImportRejected(path, header_errors)
                position = {name: i for i, name in enumerate(names) if name is not None}
                continue
            row = _row(line, values, names)
            record = parse_row(row) if not row.errors else None
            if row.errors:  # reported left to right, as the user reads the line
                errors.extend(sorted(row.errors, key=lambda e: position.get(e.column, -1)))
            elif record is not None:  # None comes only with an error recorded on the row
                parsed.append((line, record))
    except UnreadableText as exc:
        errors.append(RowError(exc.line, "", exc.message))
    if names is None and not errors:
        errors.append(
            RowError(1, "", f"the file is empty; its first line must name the columns: "
                            f"{spec.describe()}")
        )
    if errors:
        raise ImportRejected(path, errors)
    return parsed


def create_each(action: Callable[..., object], *leading: object,
                **fixed: object) -> Callable[[D], Outcome]:
    """A ``store_row`` that calls ``action(*leading, **fields of the record, **fixed)``:
    the records are named after the action's keywords, so nothing is copied field by
    field; ``fixed``: the same for every record (the author)."""

    def store(record: D) -> Outcome:
        action(*leading, **{f.name: getattr(record, f.name) for f in fields(record)}, **fixed)
        return "created"

    return store


Progress = Callable[[int, int], None]
PROGRESS_EVERY = 200


def run_import(
    path: StrPath,
    spec: FileSpec,
    parse_row: Callable[[Row], R | None],
    store_row: Callable[[R], Outcome],
    progress: Progress | None = None,
) -> ImportSummary:
    """Validate the whole file with ``parse_row``, then store every record with
    ``store_row`` in one transaction. Nothing is stored unless every row is valid.

    ``progress(done, total)`` is called while storing (every ``PROGRESS_EVERY`` rows and
    at the end), for the interface's progress bar.

    A database constraint failing while storing (another user created the same document
    a moment ago) rolls everything back and is reported as a rejection of that line.
    """
    # A file's rows are looked up and written once: SQLite's smaller cache for bulk
    # writers (models/db.py) took 52 MiB off an import at 1M documents, no slower.
    with cache_role("bulk"):
        return _import_rows(path, read_rows(path, spec, parse_row), store_row, progress)


def _import_rows(path: StrPath, parsed: list[tuple[int, R]], store_row: Callable[[R], Outcome],
                 progress: Progress | None) -> ImportSummary:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    line = 1  # the line being stored, for the report of a failure
    try:
        with database.atomic():
            for done, (line, record) in enumerate(parsed, 1):  # noqa: B007 - read below
                counts[store_row(record)] += 1
                if progress and (done % PROGRESS_EVERY == 0 or done == len(parsed)):
                    progress(done, len(parsed))
    except (IntegrityError, ChangedMeanwhile) as exc:
        # ChangedMeanwhile: on PostgreSQL, another session wrote a document between
        # this transaction's read of it and its write (ledger/versions.py).
        raise ImportRejected(
            path,
            [RowError(line, "", f"could not be stored ({exc}); the data may have changed "
                                "since the file was checked, import it again")],
        ) from exc
    except (OverflowError, DataError) as exc:
        # A value the checks let through but the database cannot hold (the limits of
        # ledger/validation.py are meant to make this impossible): the line, no traceback.
        raise ImportRejected(path, [RowError(line, "", t(
            "could not be stored: a value is too large for the database ({reason})",
            reason=" ".join(str(exc).split())))]) from exc
    return ImportSummary(rows=len(parsed), created=counts["created"], updated=counts["updated"])
