"""Find the documents that may have a step due on a day, with indexed queries only.

Each query below walks one partial index of the initial migration (their WHERE
clauses are repeated here word for word, which is what lets SQLite use them) and
already filters out what can never send: contractors without an address, amounts
under the minimum, documents with a message still in the outbox. The pure policy
then decides for each row returned; nothing loops over every document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..models import Contractor, Document, MessageState, database
from ..models.db import is_sqlite
from ..models.money import to_grosze
from .settings import CollectionSettings

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
# A correlated EXISTS (not IN): an IN list would tempt SQLite to drive the query from
# the contractor index and visit every document of every contractor.
HAS_EMAIL = (
    "EXISTS (SELECT 1 FROM contractor c"
    " WHERE c.id = document.contractor_id AND c.emails <> '')"
)
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


def _select(where: str, params: list) -> Iterator[Document]:
    placeholder = database.obj.param
    sql = (
        "SELECT document.* FROM document WHERE "
        + where.replace("%s", placeholder)
    )
    return Document.raw(sql, *[_param(p) for p in params]).iterator()


def reminder_candidates(settings: CollectionSettings, first: dt.date, last: dt.date):
    """Documents whose reminder window [due − days_before, due] meets [first, last]."""
    reach = dt.timedelta(days=settings.reminder_days_before_due)
    where = (
        f"{OPEN} AND document.demands_sent = 0 AND document.due_date BETWEEN %s AND %s"
        f" AND document.reminder_sent_on IS NULL AND {HAS_EMAIL} AND {AT_LEAST}"
        f" AND {NO_PENDING_MESSAGE}"
    )
    return _select(where, [first, last + reach, _minimum(settings.reminder_min_amount)])


def first_demand_candidates(settings: CollectionSettings, last: dt.date):
    """Documents whose first demand may be due by ``last``."""
    latest_legal_due = last - dt.timedelta(days=settings.demand_first_after_days)
    where = (
        f"{OPEN} AND document.demands_sent = 0 AND document.legal_due_date <= %s"
        f" AND {HAS_EMAIL} AND {AT_LEAST} AND {NO_PENDING_MESSAGE}"
    )
    return _select(where, [latest_legal_due, _minimum(settings.demand_min_amount)])


def next_demand_candidates(settings: CollectionSettings, last: dt.date):
    """Documents whose demand k+1 (k ≥ 1) may be due by ``last``."""
    latest_previous = last - dt.timedelta(days=settings.demand_repeat_every_days)
    where = (
        f"{OPEN} AND document.demands_sent > 0 AND document.last_demand_on <= %s"
        f" AND document.demands_sent < %s AND {HAS_EMAIL} AND {AT_LEAST}"
        f" AND {NO_PENDING_MESSAGE}"
    )
    return _select(
        where,
        [latest_previous, settings.demand_max_count, _minimum(settings.demand_min_amount)],
    )


def expired_candidates(settings: CollectionSettings, day: dt.date):
    """Documents whose last allowed demand went out at least repeat-every days ago."""
    latest_previous = day - dt.timedelta(days=settings.demand_repeat_every_days)
    where = (
        f"{OPEN} AND document.demands_sent > 0 AND document.last_demand_on <= %s"
        " AND document.demands_sent >= %s"
    )
    return _select(where, [latest_previous, settings.demand_max_count])


def step_candidates(settings: CollectionSettings, first: dt.date, last: dt.date):
    """Every document that may get a reminder or a demand on a day in [first, last]."""
    if settings.reminder_enabled:
        yield from reminder_candidates(settings, first, last)
    if settings.demand_enabled:
        yield from first_demand_candidates(settings, last)
        yield from next_demand_candidates(settings, last)


def contractors_by_id(documents: list[Document]) -> dict[int, Contractor]:
    ids = sorted({d.contractor_id for d in documents})
    found: dict[int, Contractor] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.update({c.id: c for c in Contractor.select().where(Contractor.id.in_(chunk))})
    return found
