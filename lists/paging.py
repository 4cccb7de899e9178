"""Windows over long lists, fetched a page at a time with indexed queries.

The contractors, activity and outbox screens each show a list that may hold hundreds
of thousands of rows. A ``KeysetWindow`` knows only the row count (one ``COUNT``) and
reads pages of ``PAGE_SIZE`` rows as the screen asks for them, the way the unpaid list
does (``unpaid_list.py``):

* the page after (or before) a page already held is read by keyset,
  ``(order columns) > (values of the neighbour's last row)``, which walks an index
  from where the neighbour ended;
* the last page is the first page of the reversed order, so "jump to the end" costs
  the same as the start;
* any other page (a jump into the middle) falls back to ``OFFSET``.

A selective filter (a rare search term) would make the index walk read most of the
table to fill one page, so a window may be given a ``snapshot_limit``: when the
filtered count is at most that, the rows are read at once — with SQLite told not to
walk the order index (``+column``), so it starts from the filter's own index — and
served from memory.

Text search folds case and accents the way ``models/text.py`` does ("lodz" finds
"Łódź") without a stored folded column: each letter of the folded term becomes a
character class of every letter that folds to it, matched with ``GLOB`` on SQLite
(a C loop, ~100 ms over 100,000 rows, against ~700 ms for a Python fold per row)
and with a regular expression elsewhere. Letters that fold to two (``ß``) are not
matched by their two-letter spelling.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ..models.db import is_sqlite
from ..models.sql import execute
from ..models.text import fold

PAGE_SIZE = 100
CACHED_PAGES = 40
SNAPSHOT_LIMIT = 5000

R = TypeVar("R")


# -- folded text matching -----------------------------------------------------------
def _letter_variants() -> dict[str, str]:
    """For each folded letter, every ASCII and Latin-1/Latin Extended-A letter that
    folds to it (``l`` → ``LlĹĺĻļĽľŁł``)."""
    variants: dict[str, set[str]] = {}
    for code in (*range(0x20, 0x7F), *range(0xC0, 0x180)):
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1:
            variants.setdefault(folded, {folded}).add(char)
    return {key: "".join(sorted(chars)) for key, chars in variants.items() if len(chars) > 1}


_VARIANTS = _letter_variants()


def glob_pattern(term: str) -> str:
    """``*[Ll…Łł][Oo…Óó]…*`` for SQLite's case-sensitive ``GLOB``."""
    parts = []
    for char in fold(term):
        if char in _VARIANTS:
            parts.append(f"[{_VARIANTS[char]}]")
        elif char in "*?[":
            parts.append(f"[{char}]")
        else:
            parts.append(char)
    return "*" + "".join(parts) + "*"


def regex_pattern(term: str) -> str:
    """The same match as ``glob_pattern`` as a POSIX regular expression (PostgreSQL)."""
    parts = []
    for char in fold(term):
        if char in _VARIANTS:
            parts.append(f"[{_VARIANTS[char]}]")
        elif char.isalnum() or char == " ":
            parts.append(char)
        else:
            parts.append("\\" + char)
    return "".join(parts)


def text_match(expressions: Sequence[str], term: str) -> tuple[str, list[Any]]:
    """A condition true when any of ``expressions`` contains ``term``, case and
    accents folded. The expressions are joined into one string (one match per row
    instead of one per column); a hit spanning two fields is harmless."""
    joined = " || ' ' || ".join(f"COALESCE({e}, '')" for e in expressions)
    if is_sqlite():
        return f"({joined}) GLOB ?", [glob_pattern(term)]
    return f"({joined}) ~ ?", [regex_pattern(term)]


@dataclass(frozen=True)
class Listing(Generic[R]):
    """One list as SQL: what to select, from where, which rows, in what order.

    ``order`` are the columns the keyset walks, all in one direction, the last one
    unique (the id), and an index should lead with them; ``key_of`` gives a row's
    values of those columns.
    """

    columns: str  # "e.id, e.day, …"
    tables: str  # "collection_event e LEFT JOIN …"
    order: tuple[str, ...]
    make_row: Callable[[tuple], R]
    key_of: Callable[[R], tuple]
    where: str = "1 = 1"
    params: tuple[Any, ...] = ()
    descending: bool = False
    # Tables enough for the count (fewer joins), when the filter allows it.
    count_tables: str | None = None
    # A cheaper statement counting the same rows (a search index), and its parameters.
    count_statement: tuple[str, tuple[Any, ...]] | None = None

    def count(self) -> int:
        if self.count_statement is not None:
            return execute(*self.count_statement).fetchone()[0]
        tables = self.count_tables or self.tables
        return execute(f"SELECT COUNT(*) FROM {tables} WHERE {self.where}",
                       self.params).fetchone()[0]

    def position(self, key: tuple) -> int:
        """How many rows come before the row whose order values are ``key`` (where a
        row just saved stands in the list), by one indexed count."""
        comparison = ">" if self.descending else "<"
        marks = ", ".join("?" * len(key))
        where = f"{self.where} AND ({', '.join(self.order)}) {comparison} ({marks})"
        return execute(f"SELECT COUNT(*) FROM {self.tables} WHERE {where}",
                       [*self.params, *key]).fetchone()[0]

    def fetch(
        self, after: tuple | None = None, *, limit: int | None = None, offset: int = 0,
        reverse: bool = False, scan: bool = False,
    ) -> list[R]:
        """Rows in order (reversed with ``reverse``), past the row whose order values
        are ``after`` when given. ``scan`` keeps SQLite off the order index."""
        descending = self.descending != reverse
        direction = " DESC" if descending else ""
        where, params = self.where, list(self.params)
        if after is not None:
            comparison = "<" if descending else ">"
            columns = ", ".join(self.order)
            marks = ", ".join("?" * len(after))
            where += f" AND ({columns}) {comparison} ({marks})"
            params += list(after)
        first, *rest = self.order
        if scan and is_sqlite():
            first = "+" + first
        ordering = ", ".join(f"{c}{direction}" for c in (first, *rest))
        statement = f"SELECT {self.columns} FROM {self.tables} WHERE {where} ORDER BY {ordering}"
        if limit is not None:
            statement += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [self.make_row(row) for row in execute(statement, params)]


@dataclass
class KeysetWindow(Generic[R]):
    """Rows of one listing, fetched on demand; ``row(i)`` for 0 ≤ i < ``count``.

    ``load()`` counts (run it in a worker thread); ``row`` reads a missing page on the
    caller's thread, one indexed query of at most ``PAGE_SIZE`` rows. ``decorate``
    adds to a page what its rows need from other tables, one query per page.
    """

    listing: Listing[R]
    snapshot_limit: int = 0
    decorate: Callable[[list[R]], list[R]] | None = None
    page_size: int = PAGE_SIZE
    cached_pages: int = CACHED_PAGES
    count: int = 0
    # False while ``count`` is only a lower bound (the first page shown before the
    # count, ``UnpaidWindow.load(count=False)``): no page is then read as the last one.
    counted: bool = True
    statements: int = 0  # how many queries reached the database (for tests)
    _pages: OrderedDict[int, list[R]] = field(default_factory=OrderedDict)
    _snapshot: list[R] | None = None

    def load(self) -> KeysetWindow[R]:
        self.forget(self.listing.count(), counted=True)
        self.statements += 1
        if self.count and self.count <= self.snapshot_limit:
            self._snapshot = self._fetch(scan=True)
        if self.count:
            self.page(0)
        return self

    def forget(self, count: int, counted: bool) -> None:
        """No page read yet, ``count`` rows (a lower bound unless ``counted``)."""
        self._pages.clear()
        self._snapshot = None
        self.count, self.counted = count, counted

    def row(self, index: int) -> R | None:
        if not 0 <= index < self.count:
            return None
        rows = self.page(index // self.page_size)
        offset = index % self.page_size
        return rows[offset] if offset < len(rows) else None

    def index_of(self, predicate: Callable[[R], bool]) -> int | None:
        """Where a row is among the pages held (to keep the cursor on it)."""
        for number, rows in self._pages.items():
            for offset, row in enumerate(rows):
                if predicate(row):
                    return number * self.page_size + offset
        return None

    def page(self, number: int) -> list[R]:
        rows = self._pages.get(number)
        if rows is not None:
            self._pages.move_to_end(number)
            return rows
        rows = self._read_page(number)
        if self.decorate is not None:
            rows = self.decorate(rows)
        self._pages[number] = rows
        while len(self._pages) > self.cached_pages:
            self._pages.popitem(last=False)
        return rows

    def _fetch(self, *args: Any, **kwargs: Any) -> list[R]:
        self.statements += 1
        return self.listing.fetch(*args, **kwargs)

    def _read_page(self, number: int) -> list[R]:
        start = number * self.page_size
        size = min(self.page_size, self.count - start)
        if size <= 0:
            return []
        if self._snapshot is not None:
            return self._snapshot[start:start + size]
        key_of = self.listing.key_of
        before, after = self._pages.get(number - 1), self._pages.get(number + 1)
        if before:
            return self._fetch(key_of(before[-1]), limit=size)
        if after:
            return self._fetch(key_of(after[0]), limit=size, reverse=True)[::-1]
        if self.counted and start + size >= self.count:
            return self._fetch(limit=size, reverse=True)[::-1]
        return self._fetch(limit=size, offset=start)


class ChainedSource(Generic[R]):
    """Several windows shown one after the other as one list (the outbox: each state's
    messages in turn, each state walking its own ``(state, id)`` index)."""

    def __init__(self, windows: Sequence[KeysetWindow[R]]) -> None:
        self.windows = list(windows)
        self.count = 0

    def load(self) -> ChainedSource[R]:
        for window in self.windows:
            window.load()
        self.count = sum(w.count for w in self.windows)
        return self

    def row(self, index: int) -> R | None:
        if index < 0:
            return None
        for window in self.windows:
            if index < window.count:
                return window.row(index)
            index -= window.count
        return None

    def index_of(self, predicate: Callable[[R], bool]) -> int | None:
        start = 0
        for window in self.windows:
            found = window.index_of(predicate)
            if found is not None:
                return start + found
            start += window.count
        return None


class ListSource(Generic[R]):
    """A short list already in memory, with the same ``count`` / ``row`` face."""

    def __init__(self, rows: Sequence[R]) -> None:
        self.rows = list(rows)
        self.count = len(self.rows)

    def row(self, index: int) -> R | None:
        return self.rows[index] if 0 <= index < self.count else None
