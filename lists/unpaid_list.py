"""The unpaid documents list: a window over a million rows, fetched page by page.

Nothing here loads the whole list. ``UnpaidWindow`` is a ``listing.KeysetWindow``: it
counts once and reads pages of ``PAGE_SIZE`` rows as the screen asks for them, by
keyset ``(sort column, id) > (last value, last id)`` from a neighbouring page, which
walks the partial index ``document_unpaid_<column>`` (migrations 0002 and 0012); the last page
is the first of the reversed order, and only a jump into the middle uses ``OFFSET``.

Search matches the stored folded contractor name (``document.contractor_key``) and the
number with ``LIKE`` (``ILIKE`` on PostgreSQL): one indexed column instead of folding
per row, which matters at a million rows. A search for a rare term would make the
index walk read most of the table to fill one page, so a search matching at most
``SNAPSHOT_LIMIT`` rows is read whole and served from memory. On SQLite a term of three
characters or more is found through the trigram index ``document_search`` (migration
0018) instead of reading every unpaid row's entry: its matching ids and its count come
from that index, which matches exactly the rows the ``LIKE`` matches (``search_phrase``);
the pages of a larger result still walk the sort column's index with the ``LIKE``.

Each row carries its collection progress and its next step, decided by the pure policy
for the rows of the page only, and the status of its agency case (one query per page).

Decisions written down:

* *Days late* and *overdue* have one definition (``law/lateness.py``): days past the
  legal due date (Civil Code art. 115: a due date on a Saturday, Sunday or holiday moves
  to the next working day), overdue ⇔ days late > 0. The *late* column, the overdue
  filter (``legal_due_date <= latest_legal_due_date(today, 1)``, walking the partial
  index ``document_unpaid_late``) and the sort agree with the document screen, the
  letters, recovery and the aging report.
* Sorting by *days late* is sorting by the legal due date (reversed; ``late``), by
  *due date* by the invoice's own date; by *status* it is the number of demands sent.
  The *next step* column is computed per visible row, so the list cannot sort by it.
* Amounts sort by the amount in the document's own currency; the totals line sums per
  currency, never mixing them.
* *Expiring* keeps the claims still alive today that become time-barred within the
  given days (``law/limitation.py``: 3 years for businesses, 2 for consumers, ending on
  31 December), counted from the invoice's due date with no acknowledgment assumed:
  the earliest the claim can be barred.
* The *recovery* column shows the document's active case; a document whose case has
  ended (closed without success, withdrawn) shows that last case's status, so that the
  bookkeeper sees why it is back. The filter by case status follows the same reading:
  an active status matches through ``document.recovery_case_id``, a final one matches
  documents with no active case whose past case ended so.
* The debtor's answers (issue 15) show in the *status* column, short, in place of the
  progress (the next-step column says the rest, and is the first left out at 80
  columns): ``disputed``, ``address failing`` (a contractor's address a server refused
  for good), ``reply waiting`` (a reply nobody has decided about), ``promised`` with the
  day the debtor promised to pay by, ``promise broken`` (a promise found broken after the
  document's last step: ``policy.resume_day``) — the first that holds, in that order,
  the order of ``policy.blocking_reason``. Each is also a filter (``UnpaidQuery.answer``),
  written as ``document.id IN (SELECT document_id FROM <small answer table> …)`` so that
  SQLite drives from the answer tables' document indexes, never from the documents; a
  filter matching at most ``SNAPSHOT_LIMIT`` documents is read whole, as a search is.
  A filtered row shows its first state, which may be another (a disputed document with
  a reply waiting is listed under both and reads *disputed*).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import string
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from peewee import OperationalError

from ..dunning.facts import (
    answers_by_document,
    demand_hold_on,
    document_facts,
    failing_by_contractor,
)
from ..dunning.planner import CONTRACTOR_COLUMNS, DOCUMENT_COLUMNS, Candidate, _candidate, _money
from ..dunning.policy import DocumentFacts, NoStep, Step, held, next_step, resume_day
from ..law.interest import InterestKind
from ..law.lateness import days_late, latest_legal_due_date
from ..law.limitation import due_dates_expiring
from ..ledger.settings import CollectionSettings
from ..models import (
    CaseStatus,
    DisputeState,
    InboxState,
    MessageState,
    PromiseState,
    database,
)
from ..models.db import is_sqlite
from ..models.money import to_grosze
from ..models.sql import execute
from ..models.text import fold, like_pattern
from .paging import KeysetWindow, Listing

PAGE_SIZE = 100
CACHED_PAGES = 40
SNAPSHOT_LIMIT = 5000
UNPAID = "document.outstanding > 0"
# Overdue (law/lateness.py): the parameter is ``latest_legal_due_date(today, 1)``.
OVERDUE = "document.legal_due_date <= ?"
ANY_ACTIVE_CASE = "active"  # the case-status filter "in any active case"
# The trigram index of the unpaid documents' folded names and numbers (migration 0018).
SEARCH_INDEX = "document_search"
# The rows of the index a phrase matches (their rowid is the document's id).
INDEX_MATCH = f"FROM {SEARCH_INDEX} WHERE {SEARCH_INDEX} MATCH ?"
TRIGRAM = 3  # the shortest term the trigram index can answer
# How long the first page of a search matching thousands may walk the sort column's
# index (SQLite) before it is found by sorting the trigram index's matches instead: a
# term whose matches lie late in that order (a month's numbers, due late) walked 750,000
# entries of 1,000,000 for 300 ms; sorting its 108,000 matches' ids takes 90 ms.
WALK_SECONDS = 0.03
PROGRESS_STEPS = 10_000  # SQLite virtual machine steps between looks at the clock
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
ROW_COLUMNS = "document.contractor_key, " + ", ".join(
    [f"document.{c}" for c in DOCUMENT_COLUMNS] + [f"c.{c}" for c in CONTRACTOR_COLUMNS])



class Answer:
    """The debtor's answer as the list shows it and filters by (issue 15)."""

    DISPUTED = "disputed"
    ADDRESS_FAILING = "address_failing"
    REPLY_WAITING = "reply_waiting"
    PROMISED = "promised"
    PROMISE_BROKEN = "promise_broken"

    ALL = (DISPUTED, ADDRESS_FAILING, REPLY_WAITING, PROMISED, PROMISE_BROKEN)


_PROMISES_IN_STATE = (
    "SELECT pd.document_id FROM promise_document pd JOIN promise p ON p.id = pd.promise_id"
    " WHERE p.state = ?")
_LAST_STEP = "COALESCE(document.last_demand_on, document.reminder_sent_on)"
# Each answer as a condition on ``document`` and its parameters: subqueries over the
# small answer tables, which have document indexes (migration 0015).
ANSWER_FILTERS: dict[str, tuple[str, tuple]] = {
    Answer.DISPUTED: (
        "document.id IN (SELECT document_id FROM dispute WHERE state = ?)",
        (DisputeState.OPEN,)),
    Answer.ADDRESS_FAILING: (
        "document.contractor_id IN (SELECT contractor_id FROM failing_address)", ()),
    Answer.REPLY_WAITING: (
        "document.id IN (SELECT d.document_id FROM inbox_document d"
        " JOIN inbox_message m ON m.id = d.inbox_message_id WHERE m.state = ?)",
        (InboxState.WAITING,)),
    Answer.PROMISED: (f"document.id IN ({_PROMISES_IN_STATE})", (PromiseState.OPEN,)),
    # Broken after the last step (``policy.resume_day``), and no promise open since.
    Answer.PROMISE_BROKEN: (
        f"document.id IN ({_PROMISES_IN_STATE}) AND document.id NOT IN ({_PROMISES_IN_STATE})"
        f" AND ({_LAST_STEP} IS NULL OR {_LAST_STEP} < (SELECT MAX(p.settled_on)"
        " FROM promise_document pd JOIN promise p ON p.id = pd.promise_id"
        " WHERE pd.document_id = document.id AND p.state = ?))",
        (PromiseState.BROKEN, PromiseState.OPEN, PromiseState.BROKEN)),
}


# The sort keys of the list and the column each one walks (migration 0002's indexes;
# ``late``, the days-late column, walks 0012's ``document_unpaid_late``).
SORT_COLUMNS = {
    "number": "number",
    "contractor": "contractor_key",
    "issue": "issue_date",
    "due": "due_date",
    "late": "legal_due_date",
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
    case_status: str = ""  # "" any; ANY_ACTIVE_CASE; or one of CaseStatus.ALL
    # Only claims becoming time-barred within this many days (law/limitation.py); 0: all.
    expiring_within: int = 0
    answer: str = ""  # "" any; or one of Answer.ALL

    def __post_init__(self) -> None:
        if self.sort not in SORT_COLUMNS:
            raise ValueError(f"unknown sort key {self.sort!r}")
        if self.answer not in ("", *Answer.ALL):
            raise ValueError(f"unknown answer {self.answer!r}")
        if self.case_status not in ("", ANY_ACTIVE_CASE, *CaseStatus.ALL):
            raise ValueError(f"unknown case status {self.case_status!r}")

    def with_changes(self, **changes) -> UnpaidQuery:
        return replace(self, **changes)


@dataclass(frozen=True)
class UnpaidRow:
    document: Candidate
    next_step: Step | NoStep
    days_late: int  # law.lateness.days_late: from the legal due date
    contractor_key: str
    recovery_status: str | None = None  # CaseStatus of its (last) agency case, if any
    answer: str = ""  # the first of Answer.ALL that holds, or ""
    promised_by: dt.date | None = None  # with Answer.PROMISED: the day promised

    @property
    def id(self) -> int:
        return self.document.id


@dataclass(frozen=True)
class Totals:
    count: int
    by_currency: tuple[tuple[str, Decimal], ...]


def _like() -> str:
    return "LIKE" if is_sqlite() else "ILIKE"


def search_phrase(term: str) -> str | None:
    """``term`` as an FTS5 phrase for the trigram index (migration 0018), or None where
    the index cannot answer: PostgreSQL, or fewer than three characters once folded.

    The index holds ``lower(contractor_key)`` and ``lower(number)`` (SQLite's ``lower``
    folds ASCII letters only) and compares case-sensitively; ``LIKE`` folds ASCII letters
    only, on both sides. So the folded term with its ASCII letters lowered is a
    substring of an indexed column exactly when ``LIKE '%term%'`` matches the column;
    ``%``, ``_`` and ``\\`` are plain characters in a phrase, as the escaped pattern makes
    them; a double quote is written twice."""
    if not is_sqlite():
        return None
    text = fold(term.strip()).translate(_ASCII_LOWER)
    if len(text) < TRIGRAM:
        return None
    return '"' + text.replace('"', '""') + '"'


def _index_alone(query: UnpaidQuery) -> str | None:
    """The search's phrase when the trigram index alone answers the query: a search and
    no other filter (the index holds exactly the unpaid documents)."""
    if query.overdue_only or query.case_status or query.expiring_within or query.answer:
        return None
    return search_phrase(query.search)


def _filter(query: UnpaidQuery, indexed: bool = False) -> tuple[str, list]:
    """The WHERE clause and its parameters; with ``indexed``, a search the trigram index
    can answer is a lookup in it (for counts and matching ids; the same rows)."""
    where: list[str] = [UNPAID]
    params: list[object] = []
    if query.overdue_only:
        where.append(OVERDUE)
        params.append(latest_legal_due_date(query.today, 1))
    phrase = search_phrase(query.search) if indexed else None
    if phrase is not None:
        where.append(f"document.id IN (SELECT rowid {INDEX_MATCH})")
        params.append(phrase)
    elif query.search.strip():
        pattern = like_pattern(query.search.strip())
        where.append(
            f"(document.contractor_key {_like()} ? ESCAPE '\\'"
            f" OR document.number {_like()} ? ESCAPE '\\')"
        )
        params += [pattern, pattern]
    if query.case_status == ANY_ACTIVE_CASE:
        where.append("document.recovery_case_id IS NOT NULL")
    elif query.case_status in CaseStatus.ACTIVE:
        where.append("document.recovery_case_id IN (SELECT id FROM recovery_case WHERE status = ?)")
        params.append(query.case_status)
    elif query.case_status:
        where.append(
            "document.recovery_case_id IS NULL AND document.id IN (SELECT cd.document_id"
            " FROM case_document cd JOIN recovery_case rc ON rc.id = cd.case_id"
            " WHERE rc.status = ?)")
        params.append(query.case_status)
    if query.expiring_within:
        clause, values = _expiring(query.today, query.expiring_within)
        where.append(clause)
        params += values
    if query.answer:
        condition, answer_params = ANSWER_FILTERS[query.answer]
        where.append(condition)
        params += list(answer_params)
    return " AND ".join(where), params


def _expiring(today: dt.date, within_days: int) -> tuple[str, list]:
    """Claims alive today and barred within ``within_days``: for each contractor kind a
    range of due dates (the period ends on 31 December), so the due-date index serves."""
    parts, params = [], []
    for kinds, rule in (((InterestKind.BUSINESS, InterestKind.HEALTHCARE),
                         InterestKind.BUSINESS), ((InterestKind.PRIVATE,), InterestKind.PRIVATE)):
        window = due_dates_expiring(today, within_days, rule)
        if window is None:
            continue
        names = ", ".join(f"'{kind.value}'" for kind in kinds)
        parts.append("(document.due_date BETWEEN ? AND ? AND document.contractor_id IN"
                     f" (SELECT id FROM contractor WHERE kind IN ({names})))")
        params += list(window)
    return ("(" + " OR ".join(parts) + ")" if parts else "0 = 1"), params


def _counted_from(query: UnpaidQuery) -> str:
    """``document`` with the index a filtered count should walk. Left alone, SQLite
    reads ``outstanding > 0`` as a range on ``document_unpaid_outstanding`` and visits
    every unpaid row in the table (190–230 ms for 200,000; 4–24 ms with the hint)."""
    if not is_sqlite() or query.answer:  # an answer: its small table drives
        return "document"
    if search_phrase(query.search) is not None:  # the trigram index drives
        return "document"
    if query.search.strip():
        return "document INDEXED BY document_unpaid_search"
    if query.expiring_within:  # a few months of due dates: the narrower range
        return "document INDEXED BY document_unpaid_due"
    if query.overdue_only:
        return "document INDEXED BY document_unpaid_late"
    return "document"


def _count_statement(query: UnpaidQuery) -> tuple[str, list]:
    phrase = _index_alone(query)
    if phrase is not None:
        return f"SELECT COUNT(*) {INDEX_MATCH}", [phrase]
    where, params = _filter(query, indexed=True)
    return f"SELECT COUNT(*) FROM {_counted_from(query)} WHERE {where}", params


def count_unpaid(query: UnpaidQuery) -> int:
    statement, params = _count_statement(query)
    return execute(statement, params).fetchone()[0]


def matching_ids(query: UnpaidQuery, limit: int) -> list[int]:
    """The ids of at most ``limit`` documents the query matches, from the trigram index
    or the covering search index (no table reads)."""
    phrase = _index_alone(query)
    if phrase is not None:
        rows = execute(f"SELECT rowid {INDEX_MATCH} LIMIT {int(limit)}", [phrase])
    else:
        where, params = _filter(query, indexed=True)
        rows = execute(f"SELECT document.id FROM {_counted_from(query)} WHERE {where}"
                       f" LIMIT {int(limit)}", params)
    return [row[0] for row in rows]


def totals(query: UnpaidQuery) -> Totals:
    """Count and outstanding sums per currency of everything the query matches."""
    where, params = _filter(query, indexed=True)
    rows = execute(
        f"SELECT document.currency, COUNT(*), SUM(document.outstanding)"
        f" FROM {_counted_from(query)} WHERE {where}"
        " GROUP BY document.currency ORDER BY document.currency",
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


def case_statuses(ids: list[int]) -> dict[int, str]:
    """Each document's agency case status: its active case, else its latest past one.
    One query for a page; active links sort last, so they win."""
    if not ids:
        return {}
    rows = database.execute_sql(
        "SELECT cd.document_id, rc.status FROM case_document cd"
        " JOIN recovery_case rc ON rc.id = cd.case_id"
        f" WHERE cd.document_id IN ({', '.join(str(int(i)) for i in ids)})"
        " ORDER BY cd.active, cd.id"
    ).fetchall()
    return {document_id: status for document_id, status in rows}


def answer_of(facts: DocumentFacts) -> str:
    """The debtor's answer the status column shows: the first of ``Answer.ALL`` that
    holds ("" for none). Pure."""
    if facts.disputed_since is not None:
        return Answer.DISPUTED
    if facts.failing_addresses:
        return Answer.ADDRESS_FAILING
    if facts.reply_waiting_since is not None:
        return Answer.REPLY_WAITING
    if facts.promised_until is not None:
        return Answer.PROMISED
    if resume_day(facts) is not None:
        return Answer.PROMISE_BROKEN
    return ""


def decorate(
    documents: list[tuple[str, Candidate]], settings: CollectionSettings, today: dt.date
) -> list[UnpaidRow]:
    """Attach each document's next step (the pure policy), its days late, its agency
    case status and the debtor's answer."""
    ids = [d.id for _, d in documents]
    pending = _pending_messages(ids)
    failing = failing_by_contractor({d.contractor_id for _, d in documents})
    answers = answers_by_document(ids)
    statuses = case_statuses(ids)
    days = settings.sending_days
    hold = demand_hold_on(settings, today)
    rows = []
    for key, d in documents:
        facts = document_facts(d, d.contractor, pending.get(d.id), failing, answers)
        answer = answer_of(facts)
        rows.append(UnpaidRow(
            d, held(next_step(settings, days, facts, today), hold),
            days_late(d.legal_due_date, today), key, statuses.get(d.id), answer,
            answers[d.id].promised_by if answer == Answer.PROMISED else None))
    return rows


def unpaid_listing(
    query: UnpaidQuery, ids: list[int] | None = None
) -> Listing[Any]:
    """The query as a ``Listing``: rows led by the folded contractor name (the keyset
    needs it), ordered by the sort column and the id, walking its partial index.
    With ``ids`` (a small search's matches), just those documents.

    Its rows have two shapes, hence ``Any``: read as ``(contractor key, Candidate)``,
    held by the window as ``UnpaidRow`` once ``decorate`` has run, and ``key_of`` reads
    the held ones."""
    count: tuple[str, tuple] | None = None
    if ids is None:
        where, params = _filter(query)
        counted = _counted_from(query)
        statement, values = _count_statement(query)
        count = (statement, tuple(values))
    else:
        where = f"{UNPAID} AND document.id IN ({', '.join(str(int(i)) for i in ids) or 'NULL'})"
        params, counted = [], "document"
    # CROSS JOIN keeps the document's partial index as SQLite's driving loop.
    join = "CROSS JOIN" if is_sqlite() else "JOIN"
    return Listing(
        columns=ROW_COLUMNS,
        tables=f"document {join} contractor c ON c.id = document.contractor_id",
        order=("document." + SORT_COLUMNS[query.sort], "document.id"),
        make_row=lambda row: (row[0], _candidate(row[1:])),
        key_of=_sort_key(query.sort),
        where=where,
        params=tuple(params),
        descending=query.descending,
        count_tables=counted,
        count_statement=count,
    )


def _sort_key(sort: str) -> Callable[[UnpaidRow], tuple]:
    def key(row: UnpaidRow) -> tuple:
        if sort == "contractor":
            return row.contractor_key, row.id
        value = getattr(row.document, _ATTRIBUTE[sort])
        if sort == "outstanding":
            return to_grosze(value), row.id
        return value, row.id
    return key


class UnpaidWindow(KeysetWindow):
    """Rows of one query, fetched on demand; ``row(i)`` for 0 ≤ i < ``count``.

    A search is counted first and, when it matches at most ``SNAPSHOT_LIMIT`` rows,
    read whole (a rare term would make the index walk read most of the table to fill
    one page); each page gets its next steps from the pure policy.
    """

    def __init__(self, query: UnpaidQuery, settings: CollectionSettings) -> None:
        super().__init__(
            unpaid_listing(query),
            decorate=lambda rows: decorate(rows, settings, query.today),
            page_size=PAGE_SIZE,
        )
        self.query = query
        self.settings = settings

    def load(self, count: bool = True) -> UnpaidWindow:
        """A search first reads up to ``SNAPSHOT_LIMIT + 1`` matching ids from the
        covering index; fewer than that, and the window holds just those documents,
        read whole (one pass over the index instead of a count and a table scan). A
        filter by the debtor's answer likewise, its ids from the answer tables.

        With ``count=False``, a search or answer filter matching more than
        ``SNAPSHOT_LIMIT`` rows reads only its first page: ``count`` is then
        ``SNAPSHOT_LIMIT``, a lower bound, and ``counted`` is False until the caller gives
        ``set_count`` what ``count_rows()`` answers (counting 100,000 matches of a dense term takes
        longer than finding the first page's 100, and a screen can show those first)."""
        if self.query.search.strip() or self.query.answer:
            ids = matching_ids(self.query, SNAPSHOT_LIMIT + 1)
            self.statements += 1
            if len(ids) <= SNAPSHOT_LIMIT:
                self.listing = unpaid_listing(self.query, ids)
                self.snapshot_limit = SNAPSHOT_LIMIT
            elif not count:
                self.forget(SNAPSHOT_LIMIT, counted=False)
                self._first_page()
                return self
        super().load()
        return self

    def _first_page(self) -> None:
        """Page 0 of a window counted only to its lower bound: on SQLite, a search the
        trigram index answers walks the sort column's index for at most
        ``WALK_SECONDS``, then takes the first page's ids from sorting the index's
        matches (the same rows, the same order: the order's columns end with the id)."""
        phrase = _index_alone(self.query)
        if phrase is None or not is_sqlite():
            self.page(0)
            return
        rows = _within(WALK_SECONDS, lambda: self._fetch(limit=self.page_size))
        if rows is None:
            column = "document." + SORT_COLUMNS[self.query.sort]
            direction = " DESC" if self.query.descending else ""
            ids = [row[0] for row in execute(
                f"SELECT document.id FROM document WHERE {UNPAID} AND document.id IN"
                f" (SELECT rowid {INDEX_MATCH}) ORDER BY +{column}{direction},"
                f" document.id{direction} LIMIT {int(self.page_size)}", [phrase])]
            self.statements += 1
            rows = unpaid_listing(self.query, ids).fetch(scan=True)
            self.statements += 1
        self._pages[0] = self.decorate(rows) if self.decorate is not None else rows

    def count_rows(self) -> int:
        """The number of rows the query matches, for a window loaded without it (run it
        in a worker thread; give the answer to ``set_count`` on the interface's)."""
        self.statements += 1
        return self.listing.count()

    def set_count(self, count: int) -> None:
        """The count ``count_rows`` gave; a page the lower bound cut short is read again."""
        for number in [n for n, rows in self._pages.items() if len(rows) < self.page_size]:
            del self._pages[number]
        self.count, self.counted = count, True


def _within(seconds: float, read: Callable[[], list]) -> list | None:
    """``read()`` on this thread's SQLite connection, or None when it took more than
    ``seconds`` of this thread's processor time (SQLite's progress handler interrupts the
    statement; processor time, so that a busy machine does not make a walk look long)."""
    connection = database.connection()
    deadline = time.thread_time() + seconds
    connection.set_progress_handler(lambda: time.thread_time() > deadline, PROGRESS_STEPS)
    try:
        return read()
    except (OperationalError, sqlite3.OperationalError) as error:  # Peewee's, or a fetch's
        if "interrupted" not in str(error):
            raise
        return None
    finally:
        connection.set_progress_handler(None, 0)


# The Candidate attribute holding each sort key's value, for the keyset comparison.
_ATTRIBUTE = {
    "number": "number",
    "issue": "issue_date",
    "due": "due_date",
    "late": "legal_due_date",
    "outstanding": "outstanding",
    "currency": "currency",
    "progress": "demands_sent",
}
