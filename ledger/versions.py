"""Two people editing the same contractor or document: optimistic locking.

Every write that changes a contractor's or a document's own columns goes through
``touch`` (or ``touch_many``, or ``VERSION_SET`` in hand-written SQL), which in the same
``UPDATE`` adds one to ``version`` and records ``updated_by``/``updated_at``
(migration 0009). A save that carries the version its user saw adds
``AND version = ?``: when another session wrote the row meanwhile, no row matches,
``ChangedMeanwhile`` says who and when, and the caller's transaction rolls back, so
nothing is stored. The check and the write are one statement, so it holds on
PostgreSQL (where the ``UPDATE`` waits for a concurrent writer's row lock, then
re-reads the row) as on SQLite (where write transactions are serialised).

Decisions written down:

* ``version`` counts writes, not actions: a payment that settles a document writes
  its outstanding and the end of its collection, two increments. Only equality is
  ever compared.
* Background writers (the pass, imports) never carry a version the user saw; they
  increment only. A write that has just read the row in its own transaction passes
  that version, so that a concurrent session cannot slip between the read and the
  write (PostgreSQL's READ COMMITTED would otherwise let the second write win).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..models import Contractor, Document
from .clock import Clock, utc_now_naive

# The rows that carry a version (migration 0009).
Versioned = Contractor | Document

# For hand-written UPDATEs of ``document``/``contractor``; parameters (author, UTC now).
VERSION_SET = "version = version + 1, updated_by = ?, updated_at = ?"


class ChangedMeanwhile(Exception):
    """The row was saved by someone else after the user read it; nothing was stored.

    ``who`` is the author of that save ('' when unknown), ``when`` its local time (the
    clock's time zone), ``today`` the local day now, so that a screen can word it in
    its own language.
    """

    def __init__(self, who: str, when: dt.datetime | None, today: dt.date) -> None:
        self.who, self.when, self.today = who, when, today
        super().__init__(self.describe())

    def describe(self) -> str:
        who = self.who or "someone"
        if self.when is None:
            return f"changed by {who} meanwhile, reload"
        if self.when.date() != self.today:
            return f"changed by {who} on {self.when:%d.%m.%Y} at {self.when:%H:%M}, reload"
        return f"changed by {who} at {self.when:%H:%M}, reload"


def touch(
    model: type[Versioned], row_id: int, clock: Clock, author: str,
    expected: int | None = None, **fields: object,
) -> None:
    """Write ``fields`` of one row and mark it changed by ``author`` now; with
    ``expected``, only if its version is still that, else ``ChangedMeanwhile``."""
    query = model.update(**fields, **_marks(model, clock, author)).where(model.id == row_id)
    if expected is not None:
        query = query.where(model.version == expected)
    if query.execute() == 0:
        raise changed_meanwhile(model, row_id, clock)


def touch_many(
    model: type[Versioned], ids: Iterable[int], clock: Clock, author: str, **fields: object
) -> int:
    """Write ``fields`` of several rows (no check: a background or bulk writer)."""
    ids = list(ids)
    if not ids:
        return 0
    written: int = model.update(**fields, **_marks(model, clock, author)).where(
        model.id.in_(ids)).execute()
    return written


def check_version(row: Versioned, expected: int | None, clock: Clock) -> None:
    """Refuse at once when a row just read is not the version the user saw."""
    if expected is not None and row.version != expected:
        raise _describe(row.updated_by, row.updated_at, clock)


def changed_meanwhile(model: type[Versioned], row_id: int, clock: Clock) -> ChangedMeanwhile:
    """Who changed the row and when, read after a conditional write found no row."""
    found = (model.select(model.updated_by, model.updated_at)
             .where(model.id == row_id).tuples().first())
    if found is None:
        raise model.DoesNotExist(f"{model._meta.table_name} {row_id} no longer exists")
    who, at = found
    return _describe(who, at, clock)


def _marks(model: type[Versioned], clock: Clock, author: str) -> dict[str, object]:
    return {"version": model.version + 1, "updated_by": author,
            "updated_at": utc_now_naive(clock)}


def _describe(who: str | None, at: dt.datetime | None, clock: Clock) -> ChangedMeanwhile:
    when = None
    if at is not None:
        when = at.replace(tzinfo=dt.UTC).astimezone(clock.timezone)
    return ChangedMeanwhile(who or "", when, clock.today())
