"""The rate tables people extend: statutory interest rates and NBP EUR rates.

Both start from the tables shipped in ``law/data`` (each row with its source) and add what
is stored in the database (migration 0005): a rate a user typed from a new Monitor Polski
notice or RPP resolution, and EUR rates typed or fetched from the NBP API.

Rules written down:

* **Interest: the shipped table is the published record; a stored rate may only add to
  it.** A commercial (business / healthcare) rate covers one half-year, so a stored one may
  fill any half-year the shipped table lacks, before or after its rows. An ordinary
  (private) rate runs until the next reference-rate decision, so a stored one may only start
  after the newest shipped decision: one inside the shipped history would split a period the
  table says is whole. A stored rate equal to a shipped one (a release caught up with the
  user) is simply superseded; one that disagrees stops the computation with a message naming
  both figures and ``rates remove-interest``, rather than picking one silently.
* **EUR: a stored rate overrides the shipped one for its month.** The API's figure is the
  source the shipped table was copied from, and a user who types a rate has the table in
  front of them. A stored rate is replaced only when asked (``replace``), so a typo does not
  silently overwrite a figure a demand may already have quoted.
* **A refresh stores all or nothing.** Every month is fetched first; only when every answer
  is usable are they stored, in one transaction. Running it again is cheap, and a half-done
  refresh would leave a gap the next refresh would not fill (it starts after the newest
  known month).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..i18n import N_, language, t
from ..law.compensation import EurRate as EurRateValue
from ..law.decimals import decimal_places
from ..law.eur_rates import (
    EurRateError,
    SourcedEurRate,
    check_eur_rate,
    load_eur_table,
    parse_month,
)
from ..law.interest import (
    HALF_YEARLY,
    InterestKind,
    RateTable,
    RateTableError,
    add_rate,
    load_rate_table,
)
from ..models import EurRate, InterestRate, database
from .clock import Clock, utc_now_naive

NBP_API = "https://api.nbp.pl/api/exchangerates"
NBP_URL_ENV = "WINDYKACJA_NBP_URL"
USER_AGENT = "windykacja/0.1 (statutory compensation; rates refresh)"
SHIPPED, STORED = "shipped", "stored"
# The first month the shipped EUR table covers; a refresh with nothing known starts here.
FIRST_EUR_MONTH = "2019-12"


class RateInputError(ValueError):
    """A rate someone typed that cannot be stored; ``field`` says which part is wrong."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class RateConflictError(RateTableError):
    """A stored interest rate disagrees with the shipped table; the message says which."""


class RefreshError(Exception):
    """Fetching EUR rates from NBP failed; the message names the URL. Nothing was stored."""


# --- statutory interest ------------------------------------------------------------------


@functools.cache
def shipped_interest_table() -> RateTable:
    """The shipped table, read once: it is immutable data of this release."""
    return load_rate_table()


@dataclass(frozen=True)
class InterestRow:
    """One rate as the lists show it: where it applies from, the figure and its source."""

    kind: str
    start: dt.date
    rate: Decimal
    source: str
    origin: str  # shipped | stored
    author: str = ""


def _kind(kind: str) -> InterestKind:
    try:
        return InterestKind(str(kind).strip().lower())
    except ValueError:
        raise RateInputError(f"unknown interest kind \"{kind}\"; use one of "
                             f"{', '.join(k.value for k in InterestKind)}", "kind") from None


def _stored_interest() -> list[InterestRow]:
    rows = []
    for row in InterestRate.select().order_by(InterestRate.kind, InterestRate.valid_from):
        try:
            rate = Decimal(row.rate)
        except InvalidOperation:
            raise RateTableError(f"stored {row.kind} interest rate from {row.valid_from}: "
                                 f"\"{row.rate}\" is not a number") from None
        rows.append(InterestRow(row.kind, row.valid_from, rate, row.source, STORED,
                                row.author))
    return rows


def _conflict(shipped: RateTable, kind: InterestKind, start: dt.date,
              rate: Decimal) -> tuple[bool, str]:
    """``(superseded, problem)`` for a user's rate against the shipped table.

    ``superseded``: the shipped table already has exactly this rate (nothing to add).
    ``problem``: why the rate may not be added, or "" when it may.
    """
    rates = shipped.rates_for(kind)
    same_day = next((r for r in rates if r.start == start), None)
    if same_day is not None:
        if same_day.rate == rate:
            return True, ""
        return False, (f"the shipped table has {same_day.rate} % from {start.isoformat()} "
                       f"({same_day.source})")
    if kind not in HALF_YEARLY and rates and start < rates[-1].start:
        return False, (f"the ordinary rate changes only on a reference-rate decision and the "
                       f"shipped table lists them up to {rates[-1].start.isoformat()}; a new "
                       f"rate must start after that day")
    return False, ""


def interest_table() -> RateTable:
    """The shipped table with the stored rates added (see the rules above).

    Raises ``RateConflictError`` naming the stored row when one disagrees with the shipped
    table; interest computed from a table with two answers would be a guess.
    """
    shipped = shipped_interest_table()
    table = shipped
    for row in _stored_interest():
        kind = _kind(row.kind)
        superseded, problem = _conflict(shipped, kind, row.start, row.rate)
        if superseded:
            continue
        if problem:
            raise RateConflictError(
                f"the stored {kind.value} interest rate of {row.rate} % from "
                f"{row.start.isoformat()} (added by {row.author or 'someone'}: {row.source}) "
                f"conflicts with this release: {problem}. If the shipped figure is right, "
                f"remove the stored one: windykacja rates remove-interest {kind.value} "
                f"{row.start.isoformat()}")
        table = add_rate(table, kind, row.start, row.rate, row.source)
    return table


def interest_rows(kind: str | None = None) -> list[InterestRow]:
    """Every rate in force for ``kind`` (or all kinds), shipped and stored, by start date."""
    table = interest_table()
    stored = {(r.kind, r.start): r for r in _stored_interest()}
    kinds = [_kind(kind)] if kind else list(InterestKind)
    rows = []
    for each in kinds:
        for rate in table.rates_for(each):
            mine = stored.get((each.value, rate.start))
            shipped = mine is None or _conflict(shipped_interest_table(), each, rate.start,
                                                rate.rate)[0]
            rows.append(InterestRow(each.value, rate.start, rate.rate, rate.source,
                                    SHIPPED if shipped else STORED,
                                    "" if shipped or mine is None else mine.author))
    return rows


def newest_interest_rates() -> dict[str, InterestRow]:
    """The newest rate of each kind, for the Settings screen."""
    newest: dict[str, InterestRow] = {}
    for row in interest_rows():
        newest[row.kind] = row
    return newest


def parse_rate_percent(text: str | Decimal) -> Decimal:
    """A rate in percent a year as typed ("13,75", "13.75 %"), exact."""
    if isinstance(text, Decimal):
        value = text
    else:
        cleaned = str(text).strip().rstrip("%").strip().replace(",", ".")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise RateInputError(f"\"{text}\" is not a rate in percent like 13.75",
                                 "rate") from None
    if not value.is_finite() or not Decimal(0) < value < Decimal(100):
        raise RateInputError(f"a rate of {text} % a year is out of range (more than 0, less "
                             "than 100)", "rate")
    if decimal_places(value) > 4:
        raise RateInputError(f"{text} has more than 4 decimal places", "rate")
    return value


def parse_day(text: str | dt.date) -> dt.date:
    if isinstance(text, dt.date):
        return text
    for form in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(str(text).strip(), form).date()
        except ValueError:
            continue
    raise RateInputError(f"\"{text}\" is not a date like 2026-07-01", "valid_from")


def add_interest_rate(clock: Clock, kind: str, valid_from: str | dt.date,
                      rate: str | Decimal, source: str, author: str) -> InterestRow:
    """Store a statutory rate a user read in a notice, after every check, in one write.

    Business and healthcare rates are fixed per half-year (art. 11b), so they start on
    1 January or 1 July. The rate must fit the shipped table (module docstring).
    """
    kind_value = _kind(kind)
    start = parse_day(valid_from)
    percent = parse_rate_percent(rate)
    if kind_value in HALF_YEARLY and (start.day != 1 or start.month not in (1, 7)):
        raise RateInputError(
            f"a {kind_value.value} rate is fixed for a half-year (art. 11b of the 2013 act), "
            f"so it starts on 1 January or 1 July, not on {start.isoformat()}", "valid_from")
    source = (source or "").strip()
    if not source:
        raise RateInputError("say where the rate comes from (the Monitor Polski notice or the "
                             "RPP resolution)", "source")
    superseded, problem = _conflict(shipped_interest_table(), kind_value, start, percent)
    if superseded:
        raise RateInputError(f"the shipped table already has {percent} % from "
                             f"{start.isoformat()}; nothing to add", "valid_from")
    if problem:
        raise RateInputError(problem, "valid_from")
    with database.atomic():
        clash = InterestRate.get_or_none((InterestRate.kind == kind_value.value)
                                         & (InterestRate.valid_from == start))
        if clash is not None:
            raise RateInputError(f"a {kind_value.value} rate from {start.isoformat()} is "
                                 f"already stored ({clash.rate} %, {clash.source})",
                                 "valid_from")
        try:
            add_rate(interest_table(), kind_value, start, percent, source)
        except RateTableError as exc:
            raise RateInputError(str(exc), "rate") from None
        InterestRate.create(kind=kind_value.value, valid_from=start, rate=str(percent),
                            source=source, author=author, created_at=utc_now_naive(clock))
    return InterestRow(kind_value.value, start, percent, source, STORED, author)


def remove_interest_rate(kind: str, valid_from: str | dt.date) -> bool:
    """Delete a stored rate (the shipped table is never changed); False if none was stored."""
    kind_value = _kind(kind)
    start = parse_day(valid_from)
    with database.atomic():
        deleted = (InterestRate.delete()
                   .where((InterestRate.kind == kind_value.value)
                          & (InterestRate.valid_from == start))
                   .execute())
    return bool(deleted)


# --- EUR rates ---------------------------------------------------------------------------


@functools.cache
def shipped_eur_table() -> dict[str, SourcedEurRate]:
    return load_eur_table()


# --- a rate's provenance note in the reader's language ------------------------------------

# The notes the program itself writes beside a rate it stores (add_eur_rate, the NBP
# refresh): English in the database, worded for the reader when shown.
_PROGRAM_NOTES = [
    (re.compile(r"NBP API, table (?P<table>\S+) of (?P<day>\d{4}-\d\d-\d\d): (?P<url>\S+) "
                r"\(fetched (?P<fetched>\d{4}-\d\d-\d\d)\)"),
     N_("NBP API, table {table} of {day}: {url} (fetched {fetched})")),
    (re.compile(r"(?P<source>.*) \(entered by (?P<author>[^()]*)\)"),
     N_("{source} (entered by {author})")),
]


@functools.cache
def _shipped_notes_in_polish() -> dict[str, str]:
    """Each shipped note → its Polish wording (``source_pl`` in the shipped tables)."""
    table = shipped_interest_table()
    notes = {rate.source: rate.source_pl for kind in InterestKind
             for rate in table.rates_for(kind) if rate.source_pl}
    notes.update({row.source: row.source_pl for row in shipped_eur_table().values()
                  if row.source_pl})
    return notes


def source_text(source: str) -> str:
    """A rate's provenance note as the reader reads it.

    The shipped tables give each note in Polish too (``source_pl``, beside the English
    ``source`` in ``law/data/*.json``): a Polish reader gets that one. The notes the
    program writes on rates it stores are worded through the catalogue; a note a user
    typed is shown as typed.
    """
    if language() != "pl":
        return source
    shipped = _shipped_notes_in_polish().get(source)
    if shipped:
        return shipped
    for pattern, wording in _PROGRAM_NOTES:
        match = pattern.fullmatch(source)
        if match:
            values = match.groupdict()
            for name in ("day", "fetched"):
                if name in values:
                    values[name] = dt.date.fromisoformat(values[name]).strftime("%d.%m.%Y")
            return t(wording, **values)
    return source


@dataclass(frozen=True)
class EurRow:
    month: str
    rate: EurRateValue
    source: str
    origin: str  # shipped | stored


def _stored_eur() -> dict[str, SourcedEurRate]:
    stored = {}
    for row in EurRate.select().order_by(EurRate.month):
        where = f"stored EUR rate {row.month}: "
        try:
            rate = check_eur_rate(row.month, row.effective_date, row.mid, row.table_no, where)
        except EurRateError as exc:
            raise RateTableError(str(exc)) from None
        stored[row.month] = SourcedEurRate(row.month, rate, row.source)
    return stored


def eur_rows() -> list[EurRow]:
    """Every month's rate, the stored one where there is one, in month order."""
    rows = {m: EurRow(m, r.rate, r.source, SHIPPED) for m, r in shipped_eur_table().items()}
    rows.update({m: EurRow(m, r.rate, r.source, STORED) for m, r in _stored_eur().items()})
    return [rows[month] for month in sorted(rows)]


def eur_rates() -> dict[str, EurRateValue]:
    """``"YYYY-MM"`` → EUR rate: the shipped table, overridden by stored rows."""
    return {row.month: row.rate for row in eur_rows()}


def _check_eur_input(month: str, effective_date: str | dt.date, mid: str | Decimal,
                     table_no: str, source: str) -> SourcedEurRate:
    try:
        month = parse_month(month)
        rate = check_eur_rate(month, effective_date, mid, table_no)
    except EurRateError as exc:
        raise RateInputError(str(exc), exc.field) from None
    if not (source or "").strip():
        raise RateInputError("say where the rate was read (the NBP table)", "source")
    return SourcedEurRate(month, rate, source.strip())


def _store_eur(clock: Clock, rows: list[SourcedEurRate]) -> None:
    now = utc_now_naive(clock)
    for row in rows:
        values = {EurRate.effective_date: row.rate.effective_date,
                  EurRate.mid: str(row.rate.mid), EurRate.table_no: row.rate.table_no,
                  EurRate.source: row.source, EurRate.updated_at: now}
        (EurRate.insert(month=row.month, effective_date=row.rate.effective_date,
                        mid=str(row.rate.mid), table_no=row.rate.table_no, source=row.source,
                        updated_at=now)
         .on_conflict(conflict_target=[EurRate.month], update=values)
         .execute())


def add_eur_rate(clock: Clock, month: str, effective_date: str | dt.date,
                 mid: str | Decimal, table_no: str, source: str, author: str,
                 *, replace: bool = False) -> EurRow:
    """Store a month's EUR rate a user read in an NBP table (it overrides the shipped one).

    A month with a different stored rate is changed only with ``replace``.
    """
    row = _check_eur_input(month, effective_date, mid, table_no, source)
    row = SourcedEurRate(row.month, row.rate, f"{row.source} (entered by {author})")
    with database.atomic():
        existing = EurRate.get_or_none(EurRate.month == row.month)
        if existing is not None and not replace and (
                existing.mid, existing.table_no) != (str(row.rate.mid), row.rate.table_no):
            raise RateInputError(f"{row.month} already has a stored rate {existing.mid} "
                                 f"(table {existing.table_no}); replace it explicitly if it "
                                 "is wrong", "month")
        _store_eur(clock, [row])
    return EurRow(row.month, row.rate, row.source, STORED)


# --- refreshing EUR rates from the NBP API -------------------------------------------------


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh asked for and what it stored; ``no_table``: months NBP had none for."""

    months: tuple[str, ...]
    stored: tuple[SourcedEurRate, ...]
    no_table: tuple[str, ...]


def nbp_base_url(environ: Mapping[str, str] | None = None) -> str:
    """``$WINDYKACJA_NBP_URL`` (a mirror, or a test server), else the NBP API."""
    environ = os.environ if environ is None else environ
    return (environ.get(NBP_URL_ENV) or NBP_API).rstrip("/")


def _month_after(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + 1:04d}-01" if number == 12 else f"{year:04d}-{number + 1:02d}"


def _month_bounds(month: str) -> tuple[dt.date, dt.date]:
    first = dt.date(int(month[:4]), int(month[5:]), 1)
    last = dt.date.fromisoformat(f"{_month_after(month)}-01") - dt.timedelta(days=1)
    return first, last


def months_to_refresh(clock: Clock, since: str | None = None) -> list[str]:
    """From ``since`` (else the month after the newest known one) to last month."""
    today = clock.today()
    end = f"{today.year:04d}-{today.month:02d}"
    if since:
        try:
            month = parse_month(since)
        except EurRateError as exc:
            raise RateInputError(str(exc), "month") from None
    else:
        known = sorted(eur_rates())
        month = _month_after(known[-1]) if known else FIRST_EUR_MONTH
    months = []
    while month < end:
        months.append(month)
        month = _month_after(month)
    return months


def _get(url: str, timeout: float) -> bytes | None:
    """The body of a GET, or None for 404 (NBP's "Brak danych": no table in the range)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json",
                                                   "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: bytes = response.read()
            return body
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise RefreshError(f"{url}: NBP answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise RefreshError(f"{url}: no answer within {timeout:g} s") from None
        raise RefreshError(f"{url}: cannot connect ({exc.reason})") from None
    except TimeoutError:
        raise RefreshError(f"{url}: no answer within {timeout:g} s") from None
    except OSError as exc:  # the connection dropped mid-answer
        raise RefreshError(f"{url}: the connection failed ({exc})") from None


def _fetch_month(base: str, month: str, timeout: float,
                 today: dt.date) -> SourcedEurRate | None:
    first, last = _month_bounds(month)
    url = f"{base}/rates/a/eur/{first.isoformat()}/{last.isoformat()}/?format=json"
    body = _get(url, timeout)
    if body is None:
        return None
    try:
        # parse_float: the mid arrives as the exact Decimal of its JSON text.
        answer = json.loads(body.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RefreshError(f"{url}: the answer is not JSON") from None
    rates = answer.get("rates") if isinstance(answer, dict) else None
    if not isinstance(rates, list) or not rates or not all(isinstance(r, dict) for r in rates):
        raise RefreshError(f"{url}: the answer has no list of rates")
    if str(answer.get("code", "EUR")).upper() != "EUR":
        raise RefreshError(f"{url}: the answer is for {answer.get('code')}, not EUR")
    newest = rates[-1]  # ascending by date: the last entry is the month's last table
    try:
        rate = check_eur_rate(month, newest.get("effectiveDate"), newest.get("mid"),
                              newest.get("no"), f"{url}: ")
    except EurRateError as exc:
        raise RefreshError(str(exc)) from None
    source = (f"NBP API, table {rate.table_no} of {rate.effective_date.isoformat()}: {url} "
              f"(fetched {today.isoformat()})")
    return SourcedEurRate(month, rate, source)


def refresh_eur_rates(clock: Clock, base_url: str = NBP_API, since: str | None = None,
                      timeout: float = 10) -> RefreshResult:
    """Fetch the EUR rate of every month from ``since`` (else after the newest known one)
    to last month, and store them all in one transaction, or none (``RefreshError``)."""
    base = base_url.rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise RateInputError(f"\"{base_url}\" is not an http:// or https:// address", "url")
    months = months_to_refresh(clock, since)
    fetched: list[SourcedEurRate] = []
    no_table: list[str] = []
    for month in months:
        row = _fetch_month(base, month, timeout, clock.today())
        if row is None:
            no_table.append(month)
        else:
            fetched.append(row)
    if fetched:
        with database.atomic():
            _store_eur(clock, fetched)
    return RefreshResult(tuple(months), tuple(fetched), tuple(no_table))
