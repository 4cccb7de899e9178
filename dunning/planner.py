"""Find the documents that may have a step due on a day, with indexed queries only.

Each query below walks one partial index of the initial migration (their WHERE
clauses are repeated here word for word, which is what lets SQLite use them) and
already filters out what can never send: contractors without an address, amounts
under the minimum, documents with a message still in the outbox. The pure policy
then decides for each row returned; nothing loops over every document.

Candidate rows come back as light ``Candidate`` values with their contractor, read by
one joined statement: building Peewee models for twenty thousand rows cost more than
the query itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..ledger.settings import CollectionSettings
from ..models import Document, MessageState, database, split_emails
from ..models.db import is_sqlite
from ..models.money import to_grosze

OPEN = (
    "document.outstanding > 0 AND document.subject_to_collection"
    " AND document.collection_ended_on IS NULL"
)
_UNFINISHED = ", ".join(f"'{state}'" for state in MessageState.UNFINISHED)
NO_PENDING_MESSAGE = (
    "NOT EXISTS (SELECT 1 FROM document_step s JOIN message m ON m.id = s.message_id"
    " WHERE s.document_id = document.id AND s.kind IN ('reminder', 'demand')"
    f" AND m.state IN ({_UNFINISHED}))"
)
HAS_EMAIL = "c.emails <> ''"
# With letters on (issue 16), a contractor with a postal address is reachable too.
REACHABLE = "(c.emails <> '' OR c.address <> '')"


def _reachable(settings: CollectionSettings) -> str:
    """Who can be written to at all; the policy then picks the channel (step_channel)."""
    return REACHABLE if settings.letters_enabled or settings.registry_warning else HAS_EMAIL
# outstanding × rate ≥ minimum, in integers: grosze × millionths against grosze × 10⁶.
AT_LEAST = "document.outstanding * COALESCE(document.exchange_rate, 1000000) >= %s"


def _param(value: dt.date | int):
    """Dates go to SQLite as ISO text (how Peewee stores them), to others as dates."""
    if isinstance(value, dt.date) and is_sqlite():
        return value.isoformat()
    return value


def _minimum(amount) -> int:
    """The threshold for AT_LEAST. The policy rounds the PLN amount half-up to the
    grosz, so x qualifies from M − ½ grosz: the SQL pre-filter must not be stricter
    than the rule it serves (it may be looser; the policy has the last word)."""
    return to_grosze(amount) * 1_000_000 - 500_000


DOCUMENT_COLUMNS = (
    "id", "number", "contractor_id", "issue_date", "due_date", "legal_due_date", "currency",
    "gross", "exchange_rate", "outstanding", "subject_to_collection", "reminder_sent_on",
    "demands_sent", "last_demand_on", "collection_ended_on", "recovery_case_id",
)
CONTRACTOR_COLUMNS = (
    "id", "code", "name", "nip", "address", "emails", "phone", "language", "kind",
    "vat_eu", "subject_to_collection", "registry_email_allowed",
)
# CROSS JOIN keeps the document's partial index as the driving loop: SQLite never
# reorders it, and elsewhere it is a plain inner join with the condition in WHERE.
CANDIDATE_SELECT = (
    "SELECT " + ", ".join(f"document.{c}" for c in DOCUMENT_COLUMNS) + ", "
    + ", ".join(f"c.{c}" for c in CONTRACTOR_COLUMNS)
    + " FROM document CROSS JOIN contractor c WHERE c.id = document.contractor_id AND "
)


@lru_cache(maxsize=4096)
def _iso_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _date(value) -> dt.date | None:
    """SQLite hands dates back as text (a few hundred distinct ones in a pass, hence
    the cache); PostgreSQL as dates."""
    if value is None or isinstance(value, dt.date):
        return value
    return _iso_date(value)


def _day(value) -> dt.date:
    """``_date`` of a column that is never NULL (the issue, due and legal due dates)."""
    return value if isinstance(value, dt.date) else _iso_date(value)


def _money(grosze: int) -> Decimal:
    return Decimal(grosze).scaleb(-2)  # exact: 12345 → 123.45


@dataclass(frozen=True)
class ContractorRow:
    id: int
    code: str
    name: str
    nip: str | None
    address: str
    emails: str
    phone: str
    language: str
    kind: str  # business | private | healthcare: which law applies (law/)
    vat_eu: str  # a company abroad: its EU/UK VAT number (the letters name it), else ""
    subject_to_collection: bool
    registry_email_allowed: bool = False  # issue 16: the registry warning by e-mail

    @property
    def email_list(self) -> list[str]:
        return split_emails(self.emails)

    @classmethod
    def from_columns(cls, values: Sequence[Any]) -> ContractorRow:
        """A row of ``CONTRACTOR_COLUMNS`` as read (SQLite gives the flag as 0 or 1)."""
        (id_, code, name, nip, address, emails, phone, language, kind, vat_eu,
         flag, registry_email) = values
        return cls(id_, code, name, nip, address, emails, phone, language, kind, vat_eu,
                   bool(flag), bool(registry_email))


@dataclass(frozen=True)
class Candidate:
    """A document the pass may send something for, as read by the planner."""

    id: int
    number: str
    contractor_id: int
    issue_date: dt.date
    due_date: dt.date
    legal_due_date: dt.date
    currency: str
    gross: Decimal
    exchange_rate: Decimal | None
    outstanding: Decimal
    subject_to_collection: bool
    reminder_sent_on: dt.date | None
    demands_sent: int
    last_demand_on: dt.date | None
    collection_ended_on: dt.date | None
    recovery_case: int | None
    contractor: ContractorRow


def _candidate(row: tuple) -> Candidate:
    (id_, number, contractor_id, issued, due, legal_due, currency, gross, rate, outstanding,
     flag, reminded, demands, last_demand, ended, case, *contractor) = row
    return Candidate(
        id_, number, contractor_id, _day(issued), _day(due), _day(legal_due), currency,
        _money(gross), None if rate is None else Document.exchange_rate.python_value(rate),
        _money(outstanding), bool(flag), _date(reminded), demands, _date(last_demand),
        _date(ended), case, ContractorRow.from_columns(contractor),
    )


def _placeholders(where: str) -> str:
    return where.replace("%s", database.obj.param)


def _select(where: str, params: list) -> Iterator[Candidate]:
    cursor = database.execute_sql(
        CANDIDATE_SELECT + _placeholders(where), [_param(p) for p in params]
    )
    for row in cursor:
        yield _candidate(row)


def _select_documents(where: str, params: list) -> Iterator[Document]:
    sql = "SELECT document.* FROM document WHERE " + _placeholders(where)
    return Document.raw(sql, *[_param(p) for p in params]).iterator()


def reminder_candidates(settings: CollectionSettings, first: dt.date, last: dt.date):
    """Documents whose reminder window [due − days_before, due] meets [first, last]."""
    reach = dt.timedelta(days=settings.reminder_days_before_due)
    where = (
        f"{OPEN} AND document.demands_sent = 0 AND document.due_date BETWEEN %s AND %s"
        f" AND document.reminder_sent_on IS NULL AND {_reachable(settings)} AND {AT_LEAST}"
        f" AND {NO_PENDING_MESSAGE}"
    )
    return _select(where, [first, last + reach, _minimum(settings.reminder_min_amount)])


def first_demand_candidates(settings: CollectionSettings, last: dt.date):
    """Documents whose first demand may be due by ``last``."""
    latest_legal_due = last - dt.timedelta(days=settings.demand_first_after_days)
    where = (
        f"{OPEN} AND document.demands_sent = 0 AND document.legal_due_date <= %s"
        f" AND {_reachable(settings)} AND {AT_LEAST} AND {NO_PENDING_MESSAGE}"
    )
    return _select(where, [latest_legal_due, _minimum(settings.demand_min_amount)])


def next_demand_candidates(settings: CollectionSettings, last: dt.date):
    """Documents whose demand k+1 (k ≥ 1) may be due by ``last``."""
    latest_previous = last - dt.timedelta(days=settings.demand_repeat_every_days)
    where = (
        f"{OPEN} AND document.demands_sent > 0 AND document.last_demand_on <= %s"
        f" AND document.demands_sent < %s AND {_reachable(settings)} AND {AT_LEAST}"
        f" AND {NO_PENDING_MESSAGE}"
    )
    return _select(
        where,
        [latest_previous, settings.demand_max_count, _minimum(settings.demand_min_amount)],
    )


# Documents under a promise to pay, open or broken (issue 15): a broken promise brings the
# next demand forward (``policy.earliest_demand``), earlier than the queries above look.
PROMISED = (
    "document.id IN (SELECT pd.document_id FROM promise_document pd"
    " JOIN promise p ON p.id = pd.promise_id WHERE p.state IN ('open', 'broken'))"
)


def promise_candidates(settings: CollectionSettings):
    """Documents whose demand a promise, open or broken, may bring forward; the policy
    decides (few rows: the promises table is small)."""
    where = (
        f"{OPEN} AND document.demands_sent < %s AND {_reachable(settings)} AND {AT_LEAST}"
        f" AND {NO_PENDING_MESSAGE} AND {PROMISED}"
    )
    return _select(where, [settings.demand_max_count, _minimum(settings.demand_min_amount)])


def expired_candidates(settings: CollectionSettings, day: dt.date):
    """Documents whose last allowed demand went out at least repeat-every days ago."""
    latest_previous = day - dt.timedelta(days=settings.demand_repeat_every_days)
    where = (
        f"{OPEN} AND document.demands_sent > 0 AND document.last_demand_on <= %s"
        " AND document.demands_sent >= %s"
    )
    return _select_documents(where, [latest_previous, settings.demand_max_count])


def step_candidates(settings: CollectionSettings, first: dt.date, last: dt.date):
    """Every document that may get a reminder or a demand on a day in [first, last]."""
    if settings.reminder_enabled:
        yield from reminder_candidates(settings, first, last)
    if settings.demand_enabled:
        yield from first_demand_candidates(settings, last)
        yield from next_demand_candidates(settings, last)
        yield from promise_candidates(settings)
