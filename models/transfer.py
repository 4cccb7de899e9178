"""Moving house: every row of one Windykacja database copied into another, empty one
(SQLite ⇄ PostgreSQL), and the check that nothing was lost on the way.

The copy knows nothing of the application's models: it reads the tables, columns,
primary and foreign keys of the migrated schema from the source itself, so a table a
later migration adds is copied without a change here, and so is the migration history
(``schema_migration``) — the target then knows it is at the source's version.

How, and why:

* Both databases must be at this program's schema version: the source exactly (a
  source behind or ahead is refused, naming the migrations), the target is migrated
  here first. A target with any row in any table (the history of its own migrations
  aside) is refused: a copy never merges.
* Tables go in foreign-key order, ids kept, in batches read by keyset on the primary
  key (``WHERE id > last ORDER BY id LIMIT n``): memory stays bounded on a million
  documents, and PostgreSQL's client would otherwise load a whole table at once.
* The source is read in one snapshot (a deferred read transaction on SQLite, REPEATABLE
  READ on PostgreSQL), so a person saving a note meanwhile cannot make the copy
  inconsistent; the rows are written in one transaction on the target: all or nothing.
  PostgreSQL receives them through ``COPY``, SQLite through ``executemany``.
* Values are converted only where the two dialects differ: SQLite keeps dates as ISO
  text and booleans as 0/1; PostgreSQL accepts both in ``COPY`` and returns ``date``,
  ``datetime`` and ``bool``, which become ISO text and 0/1 for SQLite.
* On PostgreSQL each table's id sequence is set to its largest id afterwards
  (``setval``), otherwise the next insert would collide with a copied id; and the
  tables are ``ANALYZE``d, so that the first queries do not wait for autovacuum's
  statistics.
* After the commit the two databases are measured per table — rows, distinct keys,
  the sum of every integer column (money is integer grosze), the count of values, the
  total length of every text column, the earliest and latest of every date — and any
  difference is reported. The source's measures come from the same snapshot the copy
  read.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from peewee import Database, PostgresqlDatabase, SqliteDatabase

# In peewee (it turns a driver's errors into peewee's), though not in the stubs it ships.
from peewee import __exception_wrapper__ as as_peewee_errors  # type: ignore[attr-defined]

from .backup import HISTORY_TABLE
from .db import apply_migrations, shipped_migrations

BATCH_ROWS = 5_000

Progress = Callable[[str, int, int], None]  # table, rows copied so far, rows in the table


class TransferRefused(Exception):
    """The copy was not started; the message says why and what to do."""


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # integer | boolean | date | datetime | text | other


@dataclass(frozen=True)
class Table:
    name: str
    key: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass(frozen=True)
class Difference:
    table: str
    measure: str
    source: object
    target: object


@dataclass
class TransferReport:
    tables: list[tuple[str, int, float]] = field(default_factory=list)  # name, rows, seconds
    differences: list[Difference] = field(default_factory=list)
    seconds: float = 0.0  # the whole move
    check_seconds: float = 0.0  # of which measuring both sides after the copy

    @property
    def rows(self) -> int:
        return sum(rows for _, rows, _ in self.tables)


# --- the schema, read from the database itself ------------------------------------------


def quote(name: str) -> str:
    """An identifier quoted the same way for SQLite and PostgreSQL."""
    return '"' + name.replace('"', '""') + '"'


def column_kind(data_type: str) -> str:
    """What a declared column type holds, in the terms both dialects share. SQLite
    declares booleans INTEGER, which is also how it stores them."""
    declared = data_type.lower()
    if "bool" in declared:
        return "boolean"
    if "int" in declared:
        return "integer"
    if declared.startswith("timestamp") or "datetime" in declared:
        return "datetime"
    if "date" in declared:
        return "date"
    if "char" in declared or "text" in declared or "clob" in declared:
        return "text"
    return "other"


# The tables SQLite's FTS5 keeps for a full-text table of its own (its shadow tables).
FTS5_SHADOWS = ("data", "idx", "content", "docsize", "config")


def derived_tables(db: Database) -> set[str]:
    """SQLite's virtual tables (the search index of migration 0018) and their shadow
    tables: an index of rows held elsewhere, which the target's own triggers fill as the
    rows arrive, so never copied or compared."""
    if not isinstance(db, SqliteDatabase):
        return set()
    virtual = [row[0] for row in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table'"
        " AND sql LIKE 'CREATE VIRTUAL TABLE%'")]
    return {*virtual, *(f"{name}_{shadow}" for name in virtual for shadow in FTS5_SHADOWS)}


def user_tables(db: Database) -> list[str]:
    """Every table but SQLite's own (``sqlite_sequence``, ``sqlite_stat1``) and the
    search index's (``derived_tables``)."""
    derived = derived_tables(db)
    return [name for name in db.get_tables()
            if not name.startswith("sqlite_") and name not in derived]


def describe(db: Database) -> dict[str, Table]:
    tables = {}
    for name in user_tables(db):
        keys = db.get_primary_keys(name)
        if len(keys) != 1:
            raise TransferRefused(f"table {name} has no single-column primary key to copy by")
        columns = tuple(Column(c.name, column_kind(c.data_type)) for c in db.get_columns(name))
        tables[name] = Table(name, keys[0], columns)
    return tables


def copy_order(db: Database, tables: Iterable[str]) -> list[str]:
    """Tables ordered so that each comes after every table its foreign keys name."""
    names = sorted(tables)
    needs = {
        name: {fk.dest_table for fk in db.get_foreign_keys(name) if fk.dest_table != name}
        for name in names
    }
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered and needs[n] <= set(ordered)]
        if not ready:
            cycle = ", ".join(n for n in names if n not in ordered)
            raise TransferRefused(f"the foreign keys of {cycle} form a cycle; no order to copy in")
        ordered.extend(ready)
    return ordered


# --- schema versions ---------------------------------------------------------------------


def applied_migrations(db: Database) -> list[str]:
    if HISTORY_TABLE not in db.get_tables():
        return []
    cursor = db.execute_sql(f"SELECT name FROM {HISTORY_TABLE} ORDER BY id")
    return [name for (name,) in cursor.fetchall()]


def check_source_version(source: Database) -> None:
    shipped, applied = shipped_migrations(), applied_migrations(source)
    unknown = [name for name in applied if name not in shipped]
    if unknown:
        raise TransferRefused(
            f"the source is ahead of this program: it has migration {', '.join(unknown)}, "
            "which this version does not know; copy it with the Windykacja that wrote it"
        )
    missing = [name for name in shipped if name not in applied]
    if missing:
        raise TransferRefused(
            f"the source is behind this program: migration {', '.join(missing)} is not "
            "applied; open it once with this version (it is migrated at start, after a "
            "backup) and copy it then"
        )


def check_target(target: Database, source_tables: Iterable[str]) -> None:
    """An empty target at this program's schema version or older (migrated next), with
    no table the source lacks: another program's database is refused before a table of
    ours is created in it."""
    unknown = [name for name in applied_migrations(target) if name not in shipped_migrations()]
    if unknown:
        raise TransferRefused(
            f"the target is ahead of this program (migration {', '.join(unknown)}); "
            "copy-db fills only an empty database"
        )
    foreign = sorted(set(user_tables(target)) - set(source_tables))
    if foreign:
        raise TransferRefused(
            f"the target has tables Windykacja does not make ({', '.join(foreign)}): "
            "copy-db fills only an empty database of its own; nothing was copied"
        )
    full = [
        name for name in user_tables(target)
        if name != HISTORY_TABLE
        and target.execute_sql(f"SELECT 1 FROM {quote(name)} LIMIT 1").fetchone()
    ]
    if full:
        raise TransferRefused(
            f"the target is not empty (rows in {', '.join(full)}): copy-db fills only an "
            "empty database (for PostgreSQL: createdb a new one; for SQLite: a new file "
            "name); nothing was copied"
        )


def check_same_schema(source: dict[str, Table], target: dict[str, Table]) -> None:
    if set(source) != set(target):
        odd = sorted(set(source) ^ set(target))
        raise TransferRefused(f"the two schemas differ at tables {', '.join(odd)}")
    for name, table in source.items():
        if set(table.column_names) != set(target[name].column_names):
            raise TransferRefused(f"the two schemas differ at the columns of {name}")


# --- reading and writing -----------------------------------------------------------------


def read_batches(db: Database, table: Table, columns: tuple[str, ...],
                 batch: int) -> Iterator[list[tuple]]:
    """The table's rows in key order, ``batch`` at a time, by keyset."""
    names = ", ".join(quote(c) for c in columns)
    key = quote(table.key)
    position = columns.index(table.key)
    first = f"SELECT {names} FROM {quote(table.name)} ORDER BY {key} LIMIT {batch}"
    after = (f"SELECT {names} FROM {quote(table.name)} WHERE {key} > {db.param} "
             f"ORDER BY {key} LIMIT {batch}")
    rows = db.execute_sql(first).fetchall()
    while rows:
        yield rows
        if len(rows) < batch:
            return
        rows = db.execute_sql(after, (rows[-1][position],)).fetchall()


def sqlite_value(value: object) -> object:
    """A PostgreSQL value as SQLite keeps it (the form Peewee writes)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class SqliteWriter:
    def __init__(self, db: Database, convert: bool) -> None:
        self.db, self.convert = db, convert

    def write(self, table: str, columns: tuple[str, ...], batches: Iterable[list[tuple]],
              counted: Callable[[int], None]) -> None:
        marks = ", ".join("?" for _ in columns)
        sql = (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
               f"VALUES ({marks})")
        cursor = self.db.cursor()
        for rows in batches:
            if self.convert:
                rows = [tuple(sqlite_value(v) for v in row) for row in rows]
            with as_peewee_errors:  # the driver's errors as Peewee's, as for any query
                cursor.executemany(sql, rows)
            counted(len(rows))


class PostgresWriter:
    def __init__(self, db: Database) -> None:
        self.db = db

    def write(self, table: str, columns: tuple[str, ...], batches: Iterable[list[tuple]],
              counted: Callable[[int], None]) -> None:
        sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        with as_peewee_errors, self.db.cursor().copy(sql) as copy:
            for rows in batches:
                for row in rows:
                    copy.write_row(row)
                counted(len(rows))

    def reset_sequences(self, tables: Iterable[Table]) -> None:
        """Each serial key's sequence to the largest id copied (keys that are not
        serial, such as ``setting.key``, have no sequence and are passed over)."""
        for table in tables:
            if next(c.kind for c in table.columns if c.name == table.key) != "integer":
                continue
            name, key = quote(table.name), quote(table.key)
            self.db.execute_sql(
                f"SELECT setval(pg_get_serial_sequence({self.db.param}, {self.db.param}), "
                f"MAX({key})) FROM {name} HAVING MAX({key}) IS NOT NULL",
                (name, table.key),
            )


def writer_for(target: Database, source: Database) -> SqliteWriter | PostgresWriter:
    if isinstance(target, SqliteDatabase):
        return SqliteWriter(target, convert=not isinstance(source, SqliteDatabase))
    if isinstance(target, PostgresqlDatabase):
        return PostgresWriter(target)
    raise TransferRefused("copy-db writes to SQLite or PostgreSQL only")


def snapshot(source: Database):
    """A read transaction whose every query sees the same moment of the source."""
    if isinstance(source, SqliteDatabase):
        return source.atomic("DEFERRED")
    return source.atomic("REPEATABLE READ")


# --- measuring ---------------------------------------------------------------------------


def measures_sql(db: Database, table: Table) -> tuple[list[str], str]:
    """Labels and one SELECT computing every measure of ``table`` in one scan."""
    labels = ["rows", f"distinct {table.key}"]
    terms = ["COUNT(*)", f"COUNT(DISTINCT {quote(table.key)})"]
    postgres = isinstance(db, PostgresqlDatabase)
    for column in table.columns:
        c = quote(column.name)
        labels.append(f"values of {column.name}")
        terms.append(f"COUNT({c})")
        if column.kind == "integer":
            labels.append(f"sum of {column.name}")
            terms.append(f"SUM({c})")
        elif column.kind == "boolean":
            labels.append(f"sum of {column.name}")
            terms.append(f"SUM(CASE WHEN {c} THEN 1 ELSE 0 END)" if postgres else f"SUM({c})")
        elif column.kind == "text":
            labels.append(f"length of {column.name}")
            terms.append(f"SUM(LENGTH({c}))")
        elif column.kind in ("date", "datetime"):
            labels += [f"earliest {column.name}", f"latest {column.name}"]
            terms += [f"MIN({c})", f"MAX({c})"]
    return labels, f"SELECT {', '.join(terms)} FROM {quote(table.name)}"


def comparable(value: object) -> object:
    """A measure as both dialects can agree on it: integers, ISO text."""
    if isinstance(value, Decimal):
        return int(value)
    return sqlite_value(value)


def measure(db: Database, table: Table) -> dict[str, object]:
    labels, sql = measures_sql(db, table)
    values = db.execute_sql(sql).fetchone()
    return {label: comparable(value) for label, value in zip(labels, values, strict=True)}


def differences(table: str, expected: dict[str, object],
                found: dict[str, object]) -> list[Difference]:
    return [
        Difference(table, label, expected.get(label), found.get(label))
        for label in dict.fromkeys([*expected, *found])
        if expected.get(label) != found.get(label)
    ]


# --- the whole move ----------------------------------------------------------------------


def copy_database(source: Database, target: Database, progress: Progress | None = None,
                  batch: int = BATCH_ROWS) -> TransferReport:
    """Copy every row of ``source`` into the empty ``target`` and compare the two.

    Raises ``TransferRefused`` before writing a row when the versions or the target are
    wrong. Differences found after the copy are in the report: the target, committed,
    is left as it is for inspection."""
    started = time.perf_counter()
    check_source_version(source)
    check_target(target, user_tables(source))
    apply_migrations(target)
    tables, target_tables = describe(source), describe(target)
    check_same_schema(tables, target_tables)
    order = copy_order(source, tables)
    writer = writer_for(target, source)
    report = TransferReport()
    with snapshot(source):
        with target.atomic():
            target.execute_sql(f"DELETE FROM {HISTORY_TABLE}")  # the source's history instead
            for name in order:
                report.tables.append(copy_table(source, writer, tables[name], progress, batch))
            if isinstance(writer, PostgresWriter):
                writer.reset_sequences(tables.values())
                target.execute_sql("ANALYZE")  # statistics for the planner from the start
        checking = time.perf_counter()
        expected = {name: measure(source, tables[name]) for name in order}
    for name in order:
        found = measure(target, target_tables[name])  # the target's own column types
        report.differences += differences(name, expected[name], found)
    report.seconds = time.perf_counter() - started
    report.check_seconds = time.perf_counter() - checking
    return report


def copy_table(source: Database, writer: SqliteWriter | PostgresWriter, table: Table,
               progress: Progress | None, batch: int) -> tuple[str, int, float]:
    started = time.perf_counter()
    total = source.execute_sql(f"SELECT COUNT(*) FROM {quote(table.name)}").fetchone()[0]
    copied = 0

    def counted(rows: int) -> None:
        nonlocal copied
        copied += rows
        if progress:
            progress(table.name, copied, total)

    if progress:
        progress(table.name, 0, total)
    writer.write(table.name, table.column_names,
                 read_batches(source, table, table.column_names, batch), counted)
    return table.name, copied, time.perf_counter() - started
