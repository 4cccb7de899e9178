"""The unpaid documents list: a window over a million rows, fetched page by page.

Nothing here loads the whole list. ``UnpaidWindow`` knows the row count (one indexed
``COUNT``) and fetches pages of ``PAGE_SIZE`` rows as the screen asks for them:

* the page after (or before) a page already held is read by keyset,
  ``(sort column, id) > (last value, last id)``, which walks the partial index
  ``document_unpaid_<column>`` (migration 0002) from where the neighbour ended;
* the last page is the first page of the reversed order, so "jump to the end" costs
  the same as the start;
* any other page (a jump into the middle) falls back to ``OFFSET``.

A search for a rare term would make the index walk read most of the table to fill one
page, so a search is counted first and, when it matches at most ``SNAPSHOT_LIMIT``
rows, they are read at once (scan and sort: ``ORDER BY +column`` keeps SQLite off the
index) and served from memory.

Each row carries its collection progress and its next step, decided by the pure policy
for the rows of the page only.

Decisions written down:

* *Overdue* means the due date has passed (``due_date < today``), the same day count
  as the *days overdue* column; demands wait for the legal due date (holidays), so an
  invoice can be overdue for two days before it may get its first demand.
* Sorting by *days overdue* is sorting by due date (reversed); by *status* it is the
  number of demands sent. The *next step* column is computed per visible row, so the
  list cannot sort by it.
* Amounts sort by the amount in the document's own currency; the totals line sums per
  currency, never mixing them.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from ..models import MessageState, database
from ..models.db import is_sqlite
from ..models.text import like_pattern
from .facts import document_facts
from .planner import CANDIDATE_SELECT, Candidate, _candidate, _money, _param
from .policy import NoStep, Step, next_step
from .settings import CollectionSettings

PAGE_SIZE = 100
CACHED_PAGES = 40
SNAPSHOT_LIMIT = 5000
UNPAID = "document.outstanding > 0"
# The planner's joined row, led by the folded contractor name (the keyset needs it).
ROW_SELECT = CANDIDATE_SELECT.replace("SELECT ", "SELECT document.contractor_key, ", 1)

# The sort keys of the list and the column each one walks (migration 0002's indexes).
SORT_COLUMNS = {
    "number": "number",
    "contractor": "contractor_key",
    "issue": "issue_date",
    "due": "due_date",
    "outstanding": "outstanding",
    "currency": "currency",
    "progress": "demands_sent",
}


@dataclass(frozen=True)
class UnpaidQuery:
    today: dt.date
    overdue_only: bool = False
    search: str = ""
    sort: str = "due"
    descending: bool = False

    def __post_init__(self) -> None:
        if self.sort not in SORT_COLUMNS:
            raise ValueError(f"unknown sort key {self.sort!r}")

    def with_changes(self, **changes) -> UnpaidQuery:
        return replace(self, **changes)


@dataclass(frozen=True)
class UnpaidRow:
    document: Candidate
    next_step: Step | NoStep
    days_overdue: int
    contractor_key: str

    @property
    def id(self) -> int:
        return self.document.id


@dataclass(frozen=True)
class Totals:
    count: int
    by_currency: tuple[tuple[str, Decimal], ...]


def _like() -> str:
    return "LIKE" if is_sqlite() else "ILIKE"


def _filter(query: UnpaidQuery) -> tuple[str, list]:
    where, params = [UNPAID], []
    if query.overdue_only:
        where.append("document.due_date < %s")
        params.append(query.today)
    if query.search.strip():
        pattern = like_pattern(query.search.strip())
        where.append(
            f"(document.contractor_key {_like()} %s ESCAPE '\\'"
            f" OR document.number {_like()} %s ESCAPE '\\')"
        )
        params += [pattern, pattern]
    return " AND ".join(where), params


def _sql(statement: str) -> str:
    return statement.replace("%s", database.obj.param)


def _execute(statement: str, params: Sequence):
    return database.execute_sql(_sql(statement), [_param(p) for p in params])


def count_unpaid(query: UnpaidQuery) -> int:
    where, params = _filter(query)
    return _execute(f"SELECT COUNT(*) FROM document WHERE {where}", params).fetchone()[0]


def totals(query: UnpaidQuery) -> Totals:
    """Count and outstanding sums per currency of everything the query matches."""
    where, params = _filter(query)
    rows = _execute(
        f"SELECT document.currency, COUNT(*), SUM(document.outstanding) FROM document"
        f" WHERE {where} GROUP BY document.currency ORDER BY document.currency",
        params,
    ).fetchall()
    return Totals(
        sum(count for _, count, _ in rows),
        tuple((currency, _money(total)) for currency, _, total in rows),
    )


def _pending_messages(ids: list[int]) -> dict[int, tuple[int, str]]:
    if not ids:
        return {}
    states = ", ".join(f"'{s}'" for s in MessageState.UNFINISHED)
    rows = database.execute_sql(
        "SELECT s.document_id, m.id, m.state FROM document_step s"
        " JOIN message m ON m.id = s.message_id"
        f" WHERE s.document_id IN ({', '.join(str(int(i)) for i in ids)})"
        f" AND s.kind IN ('reminder', 'demand') AND m.state IN ({states})"
        " ORDER BY m.id"
    ).fetchall()
    return {document_id: (message_id, state) for document_id, message_id, state in rows}


def decorate(
    documents: list[tuple[str, Candidate]], settings: CollectionSettings, today: dt.date
) -> list[UnpaidRow]:
    """Attach each document's next step (the pure policy) and its days overdue."""
    pending = _pending_messages([d.id for _, d in documents])
    days = settings.sending_days
    return [
        UnpaidRow(
            d,
            next_step(settings, days, document_facts(d, d.contractor, pending.get(d.id)), today),
            max(0, (today - d.due_date).days),
            key,
        )
        for key, d in documents
    ]


class UnpaidWindow:
    """Rows of one query, fetched on demand; ``row(i)`` for 0 ≤ i < ``count``."""

    def __init__(self, query: UnpaidQuery, settings: CollectionSettings) -> None:
        self.query = query
        self.settings = settings
        self.count = 0
        self._pages: OrderedDict[int, list[UnpaidRow]] = OrderedDict()
        self._snapshot: list[tuple[str, Candidate]] | None = None
        self.statements = 0  # how many queries reached the database (for benchmarks)

    # -- loading -----------------------------------------------------------------------
    def load(self) -> UnpaidWindow:
        """Count the rows (and read a small search result whole). Safe in a thread."""
        self._pages.clear()
        self._snapshot = None
        self.count = count_unpaid(self.query)
        self.statements += 1
        if self.query.search.strip() and self.count <= SNAPSHOT_LIMIT:
            self._snapshot = self._fetch("", [], scan=True)
        if self.count:
            self.page(0)
        return self

    def row(self, index: int) -> UnpaidRow | None:
        if not 0 <= index < self.count:
            return None
        rows = self.page(index // PAGE_SIZE)
        offset = index % PAGE_SIZE
        return rows[offset] if offset < len(rows) else None

    def index_of(self, document_id: int) -> int | None:
        """Where a document is among the pages held (to keep the cursor on it)."""
        for number, rows in self._pages.items():
            for offset, row in enumerate(rows):
                if row.id == document_id:
                    return number * PAGE_SIZE + offset
        return None

    def page(self, number: int) -> list[UnpaidRow]:
        rows = self._pages.get(number)
        if rows is not None:
            self._pages.move_to_end(number)
            return rows
        rows = decorate(self._read_page(number), self.settings, self.query.today)
        self._pages[number] = rows
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        return rows

    # -- SQL ---------------------------------------------------------------------------
    def _read_page(self, number: int) -> list[tuple[str, Candidate]]:
        start = number * PAGE_SIZE
        size = min(PAGE_SIZE, self.count - start)
        if self._snapshot is not None:
            return self._snapshot[start:start + size]
        before, after = self._pages.get(number - 1), self._pages.get(number + 1)
        if before:
            return self._fetch(*self._keyset(before[-1], forwards=True), limit=size)
        if after:
            rows = self._fetch(*self._keyset(after[0], forwards=False), limit=size, reverse=True)
            return rows[::-1]
        if start + size >= self.count:
            return self._fetch("", [], limit=size, reverse=True)[::-1]
        return self._fetch("", [], limit=size, offset=start)

    def _column(self) -> str:
        return "document." + SORT_COLUMNS[self.query.sort]

    def _keyset(self, row: UnpaidRow, forwards: bool) -> tuple[str, list]:
        ascending = forwards != self.query.descending
        if self.query.sort == "contractor":
            value = row.contractor_key
        else:
            value = getattr(row.document, _ATTRIBUTE[self.query.sort])
        if self.query.sort == "outstanding":
            value = int(value.scaleb(2))
        comparison = ">" if ascending else "<"
        return f" AND ({self._column()}, document.id) {comparison} (%s, %s)", [value, row.id]

    def _fetch(
        self, extra: str, extra_params: list, limit: int | None = None, offset: int = 0,
        reverse: bool = False, scan: bool = False,
    ) -> list[tuple[str, Candidate]]:
        where, params = _filter(self.query)
        descending = self.query.descending != reverse
        direction = " DESC" if descending else ""
        column = ("+" if scan and is_sqlite() else "") + self._column()
        statement = (
            ROW_SELECT + where + extra
            + f" ORDER BY {column}{direction}, document.id{direction}"
        )
        if limit is not None:
            statement += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        self.statements += 1
        return [(row[0], _candidate(row[1:])) for row in _execute(statement, params + extra_params)]


# The Candidate attribute holding each sort key's value, for the keyset comparison.
_ATTRIBUTE = {
    "number": "number",
    "issue": "issue_date",
    "due": "due_date",
    "outstanding": "outstanding",
    "currency": "currency",
    "progress": "demands_sent",
}
