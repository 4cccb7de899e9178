"""Raw SQL on whichever database is bound: ``?`` placeholders, dates in and out.

The lists and the bank matcher run a few hand-written statements (keyset pages, one
pass over the open documents); Peewee's own queries need none of this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from peewee import ModelSelect

from . import database
from .db import is_sqlite


def sql_value(value: Any) -> Any:
    """Dates go to SQLite as ISO text (how Peewee stores them), to others as dates."""
    if isinstance(value, dt.date) and is_sqlite():
        return value.isoformat()
    return value


def execute(statement: str, params: Sequence[Any] = ()):
    """Run ``statement`` written with ``?`` placeholders on the bound database."""
    return database.execute_sql(
        statement.replace("?", database.obj.param), [sql_value(p) for p in params]
    )


def tuple_rows(query: ModelSelect[Any]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``query.tuples()``: each a tuple of the columns selected. (As the type
    checker should see them: peewee's stubs type a ``.tuples()`` query's rows as models.)"""
    return iter(query.tuples())


def as_date(value: Any) -> dt.date | None:
    """SQLite hands dates back as text, PostgreSQL as dates."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def as_datetime(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(value)


def as_required_date(value: Any) -> dt.date:
    """``as_date`` of a column that is never NULL (a due date, an event's day)."""
    day = as_date(value)
    if day is None:
        raise TypeError("NULL read from a date column declared NOT NULL")
    return day


def as_required_datetime(value: Any) -> dt.datetime:
    """``as_datetime`` of a column that is never NULL (when a row was written)."""
    moment = as_datetime(value)
    if moment is None:
        raise TypeError("NULL read from a time column declared NOT NULL")
    return moment
