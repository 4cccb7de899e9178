"""The aging report (struktura wiekowa należności): what each contractor still owes,
split by how long ago it fell due, in one currency.

One aggregate statement reads every unpaid document of the currency
(``document.outstanding > 0``, written exactly as the unpaid list writes it so that the
partial indexes apply) and sums the outstanding amounts per contractor into six
buckets. The bucket edges are dates computed here from the clock's today and passed as
parameters, so the statement is plain SQL on SQLite and PostgreSQL alike (no date
functions). Migration 0008 adds the covering index ``document_unpaid_aging`` the
statement walks in contractor order (0012 puts ``legal_due_date`` in it in place of
``due_date``): 235 ms for 200,000 unpaid documents of 85,000
contractors, names included, instead of 505–555 ms through the table and a sort
(benchmarks/RESULTS.md, "Aging report"); a few thousand contractors take 15 ms.

Decisions written down:

* Days late have the one definition of ``law/lateness.py``: days past the
  ``legal_due_date`` (the due date moved past a Saturday, Sunday or holiday, Civil Code
  art. 115), as the unpaid list, the document screen, the letters and recovery count
  them, so that a document is in the bucket its days late say everywhere else. *Not
  due* ⇔ days late = 0: a document whose legal due date is today is not due yet; one
  day later it is in 1–30. (Until issue 12 the report counted from the contractual due
  date, and an invoice due on a Saturday showed two days later here than in its demand.)
* Amounts in different currencies are never added: a report is for one currency, and
  it lists the currencies that have something outstanding so the reader can switch.
* A document handed to a recovery agency (an active case) is still owed to us, so it
  stays in its bucket; each row also says how much of its total is with the agency.
* Documents excluded from collection (the flag off) are owed all the same and are
  counted. An overpaid document (outstanding below zero) is not a debt and is left out.
* Disputed amounts are shown apart (issue 15): the part of a document an open dispute
  contests — ``Dispute.amount``, or the whole outstanding when the dispute names none;
  never more than the outstanding — is taken out of its age bucket and shown in a
  column of its own, *disputed*; the rest of the document stays in its bucket. The
  buckets then say what is simply late, and the total (buckets + disputed) still says
  everything owed. The disputes come from a second, small statement over the open
  disputes of the currency (a handful of rows), applied to the contractors' rows here,
  so the aggregate over every unpaid document is unchanged.
* Rows are the statement's own tuples (``AgingRow``), amounts in integer grosze with
  ``Decimal`` on request: with 85,000 contractors, dataclasses holding a ``Decimal``
  per amount took 235 ms to build, and a screen shows a few dozen rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import NamedTuple, cast

from ..i18n import N_
from ..law.lateness import latest_legal_due_date
from ..models import DisputeState
from ..models.sql import as_required_date, execute
from .unpaid_list import UNPAID

DEFAULT_CURRENCY = "PLN"


@dataclass(frozen=True)
class Bucket:
    """Days late, both ends inclusive; ``None`` leaves that end open."""

    key: str
    first_day: int | None
    last_day: int | None


BUCKETS: tuple[Bucket, ...] = (
    Bucket("not_due", None, 0),
    Bucket("days_1_30", 1, 30),
    Bucket("days_31_60", 31, 60),
    Bucket("days_61_90", 61, 90),
    Bucket("days_91_180", 91, 180),
    Bucket("days_over_180", 181, None),
)
BUCKET_KEYS = tuple(bucket.key for bucket in BUCKETS)
# Each bucket's name for a reader (the chart, a contractor's whole row, the CSV's titles).
BUCKET_NAMES = (N_("not due"), N_("1–30 days"), N_("31–60 days"), N_("61–90 days"),
                N_("91–180 days"), N_("over 180 days"))


def bucket_index(days_late: int) -> int:
    """Which bucket a document ``days_late`` days past its legal due date
    (``law.lateness.days_late``) falls in."""
    for index, bucket in enumerate(BUCKETS):
        if bucket.last_day is None or days_late <= bucket.last_day:
            return index
    raise AssertionError("the last bucket is open-ended")


def bucket_edges(today: dt.date) -> list[dt.date]:
    """The earliest legal due date of each bucket but the last: a document belongs to
    the first bucket whose edge its legal due date reaches (``legal_due_date >= edge`` ⇔
    ``days_late <= last_day``, ``law.lateness.latest_legal_due_date``)."""
    return [latest_legal_due_date(today, b.last_day) for b in BUCKETS
            if b.last_day is not None]


def _money(grosze: int) -> Decimal:
    return Decimal(grosze).scaleb(-2)  # exact: 12345 → 123.45


class AgingRow(NamedTuple):
    """One contractor's debt in one currency, amounts in integer grosze; ``Decimal``
    through the properties. A plain tuple straight from the statement's row, so that
    85,000 of them cost little more than fetching them."""

    contractor_id: int
    code: str
    name: str
    not_due_grosze: int
    days_1_30_grosze: int
    days_31_60_grosze: int
    days_61_90_grosze: int
    days_91_180_grosze: int
    days_over_180_grosze: int
    total_grosze: int
    documents: int
    in_recovery_grosze: int  # part of the total in an active agency case
    disputed_grosze: int = 0  # contested in an open dispute: out of the buckets

    @property
    def disputed(self) -> Decimal:
        return _money(self.disputed_grosze)

    @property
    def grosze(self) -> tuple[int, ...]:
        """Outstanding per bucket, in the order of ``BUCKETS``."""
        # The bucket columns, all grosze (a slice of a NamedTuple is typed as holding
        # any of its fields' types).
        return cast("tuple[int, ...]", self[FIRST_AMOUNT:FIRST_AMOUNT + len(BUCKETS)])

    @property
    def amounts(self) -> tuple[Decimal, ...]:
        return tuple(_money(g) for g in self.grosze)

    @property
    def total(self) -> Decimal:
        return _money(self.total_grosze)

    @property
    def in_recovery(self) -> Decimal:
        return _money(self.in_recovery_grosze)


FIRST_AMOUNT = AgingRow._fields.index("not_due_grosze")
# The field each sort key orders by.
SORT_FIELDS = {
    **{key: FIRST_AMOUNT + index for index, key in enumerate(BUCKET_KEYS)},
    "total": AgingRow._fields.index("total_grosze"),
    "documents": AgingRow._fields.index("documents"),
    "in_recovery": AgingRow._fields.index("in_recovery_grosze"),
    "disputed": AgingRow._fields.index("disputed_grosze"),
}


@dataclass(frozen=True)
class AgingReport:
    today: dt.date
    currency: str
    currencies: tuple[str, ...]  # every currency with something outstanding
    rows: tuple[AgingRow, ...]
    totals: AgingRow  # the sum of the rows (contractor id 0)

    @property
    def bucket_totals(self) -> tuple[Decimal, ...]:
        return self.totals.amounts

    @property
    def total(self) -> Decimal:
        return self.totals.total


def currencies_outstanding() -> tuple[str, ...]:
    """Currencies with an unpaid document, alphabetically (the covering index
    ``document_unpaid_totals`` answers it without reading the table)."""
    rows = execute(
        f"SELECT DISTINCT document.currency FROM document WHERE {UNPAID}"
        " ORDER BY document.currency").fetchall()
    return tuple(row[0] for row in rows)


def default_currency(currencies: Sequence[str]) -> str:
    """PLN when anything is owed in it, else the first currency that has a debt."""
    if DEFAULT_CURRENCY in currencies or not currencies:
        return DEFAULT_CURRENCY
    return currencies[0]


def _aggregate(edges: list[dt.date]) -> tuple[str, list]:
    """The per-contractor sums: one ``SUM(CASE …)`` per bucket, each reading as its
    bucket's own condition (``edges`` from ``bucket_edges``)."""
    conditions, params = [], []
    for index in range(len(BUCKETS)):
        parts = []
        if index > 0:
            parts.append("document.legal_due_date < ?")
            params.append(edges[index - 1])
        if index < len(edges):
            parts.append("document.legal_due_date >= ?")
            params.append(edges[index])
        conditions.append(" AND ".join(parts))
    # CAST: PostgreSQL sums a bigint into a numeric, which would arrive as a Decimal.
    sums = ", ".join(
        f"CAST(SUM(CASE WHEN {condition} THEN document.outstanding ELSE 0 END) AS BIGINT)"
        f" AS b{index}" for index, condition in enumerate(conditions))
    statement = (
        f"SELECT document.contractor_id AS contractor_id, {sums},"
        " CAST(SUM(document.outstanding) AS BIGINT) AS total, COUNT(*) AS documents,"
        " CAST(SUM(CASE WHEN document.recovery_case_id IS NOT NULL"
        " THEN document.outstanding ELSE 0 END) AS BIGINT) AS in_recovery"
        f" FROM document WHERE {UNPAID} AND document.currency = ?"
        " GROUP BY document.contractor_id"
    )
    return statement, params


def aging_rows(today: dt.date, currency: str) -> list[AgingRow]:
    """Every contractor owing something in ``currency``, in no particular order."""
    edges = bucket_edges(today)
    aggregate, params = _aggregate(edges)
    columns = ", ".join(f"a.b{index}" for index in range(len(BUCKETS)))
    cursor = execute(
        f"SELECT c.id, c.code, c.name, {columns}, a.total, a.documents, a.in_recovery, 0"
        f" FROM ({aggregate}) a JOIN contractor c ON c.id = a.contractor_id",
        [*params, currency],
    )
    rows = list(map(AgingRow._make, cursor))
    return _apart(rows, disputed_parts(currency), edges)


def disputed_parts(currency: str) -> list[tuple[int, dt.date, int]]:
    """(contractor id, legal due date, grosze contested) of each unpaid document of
    ``currency`` under an open dispute: from the open disputes, a few rows."""
    rows = execute(
        "SELECT document.contractor_id, document.legal_due_date, document.outstanding,"
        " dispute.amount FROM dispute JOIN document ON document.id = dispute.document_id"
        f" WHERE dispute.state = ? AND {UNPAID} AND document.currency = ?",
        [DisputeState.OPEN, currency]).fetchall()
    return [(contractor_id, as_required_date(due), min(outstanding, amount or outstanding))
            for contractor_id, due, outstanding, amount in rows]


def _apart(rows: list[AgingRow], disputed: list[tuple[int, dt.date, int]],
           edges: list[dt.date]) -> list[AgingRow]:
    """``rows`` with each disputed part moved from its bucket to *disputed*."""
    if not disputed:
        return rows
    moved: dict[int, list[int]] = {}
    for contractor_id, due, grosze in disputed:
        # The bucket ``_aggregate`` put it in: the first whose edge its due date reaches.
        index = next((i for i, edge in enumerate(edges) if due >= edge), len(edges))
        sums = moved.setdefault(contractor_id, [0] * (len(BUCKETS) + 1))
        sums[index] += grosze
        sums[-1] += grosze
    out = []
    for row in rows:
        taken = moved.get(row.contractor_id)
        if taken is None:
            out.append(row)
            continue
        buckets = [g - m for g, m in zip(row.grosze, taken, strict=False)]
        out.append(AgingRow._make((row.contractor_id, row.code, row.name, *buckets,
                                   row.total_grosze, row.documents, row.in_recovery_grosze,
                                   taken[-1])))
    return out


def sum_rows(rows: Sequence[AgingRow]) -> AgingRow:
    """The totals line (contractor id 0): each bucket, the total, the documents and the
    part with an agency."""
    sums = [sum(map(itemgetter(i), rows)) for i in range(FIRST_AMOUNT, len(AgingRow._fields))]
    return AgingRow(0, "", "", *sums)


# -- sorting ---------------------------------------------------------------------------
TEXT_SORTS = ("code", "name")
SORTS = (*TEXT_SORTS, *SORT_FIELDS)


def _folded_name(row: AgingRow) -> str:
    return row.name.casefold()


def sort_rows(
    rows: Sequence[AgingRow], by: str = "total", descending: bool | None = None
) -> tuple[AgingRow, ...]:
    """``rows`` ordered by a column: amounts largest first and names from A unless
    told otherwise; equal amounts by name (either way), then by contractor id, so the
    order is the same on every run.

    Built of stable sorts (by id, by name, by the column) on keys that allocate no
    tuples — ``itemgetter`` reads a field in C, a folded name is a plain string — so
    85,000 rows sort in ~30 ms without waking the garbage collector on a big heap."""
    if by not in SORTS:
        raise ValueError(f"unknown sort key {by!r}; one of {', '.join(SORTS)}")
    if descending is None:
        descending = by not in TEXT_SORTS
    ordered = sorted(rows, key=itemgetter(0))  # by contractor id: the last tie-breaker
    if by == "code":
        return tuple(sorted(ordered, key=lambda r: r.code.casefold(), reverse=descending))
    by_name = sorted(ordered, key=_folded_name, reverse=descending and by == "name")
    if by == "name":
        return tuple(by_name)
    return tuple(sorted(by_name, key=itemgetter(SORT_FIELDS[by]), reverse=descending))


def aging_report(
    today: dt.date, currency: str | None = None, by: str = "total",
    descending: bool | None = None,
) -> AgingReport:
    """The report for ``currency`` (None: ``default_currency``) on ``today``, rows
    sorted by ``by`` (total, largest first, by default)."""
    currencies = currencies_outstanding()
    currency = currency or default_currency(currencies)
    rows = aging_rows(today, currency)
    return AgingReport(
        today=today,
        currency=currency,
        currencies=currencies,
        rows=sort_rows(rows, by, descending),
        totals=sum_rows(rows),
    )
