"""The NBP EUR rates the compensation converts at, as data with their sources.

Art. 10 ust. 1a of the 2013 act converts the 40 / 70 / 100 EUR compensation at the NBP
table-A average EUR rate of the last business day of the month before the payment fell due
(reference §2). ``data/eur_rates.json`` ships one row per month: the table's date, its number
as NBP printed it (``252/A/NBP/2024``), the rate as text and where the figure was read.

Pure, like the rest of ``law``: no database, no clock, no network. The same checks serve the
shipped file, a rate a user types and a rate the NBP API returns (``ledger/rates.py``), so a
figure that passes here is one a demand can quote.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .compensation import EurRate
from .data_files import read_table
from .decimals import decimal_places

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# NBP numbers table A per year: "NNN/A/NBP/YYYY" (three digits, zero-padded).
TABLE_NO = re.compile(r"^(\d{3})/A/NBP/(\d{4})$")
# NBP publishes the EUR mid with four decimal places; a fifth is a typo.
MID_PLACES = 4
# A sanity bound, not a forecast: it refuses a rate typed in grosze or with a lost comma.
MID_LIMIT = Decimal(100)


class EurRateError(ValueError):
    """An EUR rate that cannot be used; the message names the row or the field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field  # month | effective_date | mid | table | source, when known


@dataclass(frozen=True)
class SourcedEurRate:
    """One month's rate with the sentence that says where it was read."""

    month: str
    rate: EurRate
    source: str
    source_pl: str = ""  # the same note in Polish, for a Polish reader


def parse_month(text: object, where: str = "") -> str:
    """``"2025-03"`` as the key of ``eur_rates`` (``YYYY-MM``), checked."""
    match = MONTH.match(str(text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise EurRateError(f"{where}\"{text}\" is not a month like 2025-03", "month")
    return f"{match.group(1)}-{match.group(2)}"


def parse_mid(value: object, where: str = "") -> Decimal:
    """The rate as an exact Decimal: text or Decimal only, never a binary float."""
    if isinstance(value, bool) or not isinstance(value, str | Decimal):
        raise EurRateError(f"{where}the rate must be written as text like \"4.2130\", got "
                           f"{value!r}", "mid")
    try:
        mid = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise EurRateError(f"{where}\"{value}\" is not a number", "mid") from None
    if not mid.is_finite() or not Decimal(0) < mid < MID_LIMIT:
        raise EurRateError(f"{where}{value} is not a rate in PLN per euro (more than 0, "
                           f"less than {MID_LIMIT})", "mid")
    if decimal_places(mid) > MID_PLACES:
        raise EurRateError(f"{where}{value} has more than {MID_PLACES} decimal places; NBP "
                           f"publishes the EUR rate with {MID_PLACES}", "mid")
    return mid


def check_eur_rate(month: object, effective_date: object, mid: object, table_no: object,
                   where: str = "") -> EurRate:
    """Build the rate of ``month`` from its parts, each checked; ``where`` prefixes errors.

    The table must be dated inside the month it stands for (the last business day's table
    is in that month), and its number must carry the same year as its date.
    """
    month = parse_month(month, where)
    try:
        day = (effective_date if isinstance(effective_date, dt.date)
               else dt.date.fromisoformat(str(effective_date).strip()))
    except ValueError:
        raise EurRateError(f"{where}\"{effective_date}\" is not a date like 2025-03-31",
                           "effective_date") from None
    if f"{day.year:04d}-{day.month:02d}" != month:
        raise EurRateError(f"{where}the table of {day.isoformat()} is not in {month}; the rate "
                           "of a month is the table of its last business day", "effective_date")
    number = str(table_no or "").strip()
    match = TABLE_NO.match(number)
    if not match:
        raise EurRateError(f"{where}\"{number}\" is not a table-A number like 252/A/NBP/2024",
                           "table")
    if int(match.group(2)) != day.year:
        raise EurRateError(f"{where}table {number} is of {match.group(2)}, but dated "
                           f"{day.isoformat()}", "table")
    return EurRate(day, parse_mid(mid, where), number)


def parse_eur_rates(data: Mapping[str, object]) -> dict[str, SourcedEurRate]:
    """Check the JSON form of the table (``data/eur_rates.json``); errors name the row."""
    rows = data.get("rates") if isinstance(data, Mapping) else None
    if not isinstance(rows, list):
        raise EurRateError("the EUR rate table has no \"rates\" list")
    table: dict[str, SourcedEurRate] = {}
    previous = ""
    for index, row in enumerate(rows, start=1):
        where = f"EUR rate row {index}: "
        if not isinstance(row, Mapping):
            raise EurRateError(f"{where}expected an object with month, effective_date, mid, "
                               "table, source")
        where = f"EUR rate row {index} ({row.get('month')}): "
        rate = check_eur_rate(row.get("month"), row.get("effective_date"), row.get("mid"),
                              row.get("table"), where)
        month = parse_month(row.get("month"), where)
        source = row.get("source")
        if not isinstance(source, str) or not source.strip():
            raise EurRateError(f"{where}say where the rate was read (\"source\")", "source")
        if month <= previous:
            raise EurRateError(f"{where}comes after {previous}; keep one row per month, in "
                               "date order", "month")
        source_pl = row.get("source_pl")
        source_pl = source_pl.strip() if isinstance(source_pl, str) else ""
        table[month] = SourcedEurRate(month, rate, source.strip(), source_pl)
        previous = month
    return table


def load_eur_table(path: Path | None = None) -> dict[str, SourcedEurRate]:
    """The shipped table (or the JSON file at ``path``), each rate with its source."""
    return parse_eur_rates(read_table("eur_rates.json", path))


def load_eur_rates(path: Path | None = None) -> dict[str, EurRate]:
    """``"YYYY-MM"`` → the EUR rate of that month's last business day, as shipped."""
    return {month: row.rate for month, row in load_eur_table(path).items()}
