"""The due-date index of the unpaid list carries the two searched columns (issue 17).

The list's first page of a search matching thousands of documents walks
``document_unpaid_due`` (0002), its default order, until 100 rows match the ``LIKE`` on
the folded contractor name and the number: with ``(due_date, id)`` alone SQLite read
each walked document's table row to test it, scattered over the table (``fv/2026/10``
at 200,000 unpaid of 1,000,000: 21,000 rows, 27–45 ms). With the two columns in the
index, SQLite tests the ``LIKE`` on the index entry and reads the table only for the
rows it keeps (5.7 ms). The index keeps its name and its order, so everything that
walked it still does.

SQLite only: PostgreSQL's search goes through its trigram indexes (0018).
"""

from peewee import SqliteDatabase

NAME = "document_unpaid_due"
UNPAID = "outstanding > 0"


def up(migrator, db):
    if isinstance(db, SqliteDatabase):
        db.execute_sql(f"DROP INDEX IF EXISTS {NAME}")
        db.execute_sql(f"CREATE INDEX {NAME} ON document (due_date, id, contractor_key, number)"
                       f" WHERE {UNPAID}")
        _statistics(db)


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        db.execute_sql(f"DROP INDEX IF EXISTS {NAME}")
        db.execute_sql(f"CREATE INDEX {NAME} ON document (due_date, id) WHERE {UNPAID}")
        _statistics(db)


def _statistics(db) -> None:
    """Where the file has the planner's statistics (an ``ANALYZE`` ran), the index gets
    its own again: dropping it dropped them."""
    if db.execute_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        db.execute_sql(f"ANALYZE {NAME}")
