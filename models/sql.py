"""Raw SQL on whichever database is bound: ``?`` placeholders, dates in and out.

The lists and the bank matcher run a few hand-written statements (keyset pages, one
pass over the open documents); Peewee's own queries need none of this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from peewee import Field, Model, ModelSelect

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


# --- inserting with the statement built once --------------------------------------------
# Peewee builds an INSERT's SQL anew for every call; for the day's pass that cost more
# than the write itself (two inserts a message, ~0.3 ms each of building). The statement
# for a model and a set of columns is written once per dialect (both ours quote names
# with double quotes) and reused; values go through each field's ``db_value``, as
# Peewee's own insert does. Only the columns named are written: the caller gives the
# defaults (a model instance's ``__data__`` holds them).


@lru_cache(maxsize=64)
def _insert_statement(model: type[Model], names: tuple[str, ...], param: str,
                      returning: bool) -> tuple[str, list[Field]]:
    fields = [model._meta.fields[name] for name in names]
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    statement = (f'INSERT INTO "{model._meta.table_name}" ({columns}) '
                 f"VALUES ({', '.join([param] * len(fields))})")
    if returning:
        key = model._meta.primary_key
        assert key, f"{model.__name__} has a primary key"
        statement += f' RETURNING "{key.column_name}"'
    return statement, fields


def insert_row(model: type[Model], values: Mapping[str, Any]) -> int:
    """Insert one row of ``model`` (field name → value, the id left out); its new id."""
    returning = bool(database.obj.returning_clause)
    statement, fields = _insert_statement(model, tuple(values), database.obj.param, returning)
    cursor = database.execute_sql(
        statement, [field.db_value(value) for field, value in zip(fields, values.values(),
                                                                  strict=True)])
    return int(cursor.fetchone()[0] if returning else cursor.lastrowid)


def insert_rows(model: type[Model], names: tuple[str, ...],
                rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows of ``model``, each a sequence of values in the order of ``names``."""
    statement, fields = _insert_statement(model, names, database.obj.param, False)
    params = [[field.db_value(value) for field, value in zip(fields, row, strict=True)]
              for row in rows]
    if params:
        database.cursor().executemany(statement, params)
