"""The unpaid list (issue 3): a folded contractor name on each document, and one partial
index per sortable column of the list.

Every index is ``(column, id) WHERE outstanding > 0`` so that the list pages through a
million unpaid documents in any order by keyset (``lists/unpaid_list.py`` repeats the
WHERE clause word for word, which is what lets SQLite use a partial index).
"""

from peewee import *  # noqa: F403

from windykacja.models.text import fold

UNPAID = "outstanding > 0"
SORT_COLUMNS = {
    "number": "number",
    "contractor": "contractor_key",
    "issue": "issue_date",
    "due": "due_date",
    "outstanding": "outstanding",
    "currency": "currency",
    "progress": "demands_sent",
}


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("document", "contractor_key", CharField(default=""))
    )
    rows = db.execute_sql("SELECT id, name FROM contractor").fetchall()
    for contractor_id, name in rows:
        db.execute_sql(
            f"UPDATE document SET contractor_key = {db.param} WHERE contractor_id = {db.param}",
            (fold(name), contractor_id),
        )
    for name, column in SORT_COLUMNS.items():
        db.execute_sql(
            f"CREATE INDEX document_unpaid_{name} ON document ({column}, id) WHERE {UNPAID}"
        )


def down(migrator, db):
    for name in SORT_COLUMNS:
        db.execute_sql(f"DROP INDEX document_unpaid_{name}")
    migrator.migrate(migrator.drop_column("document", "contractor_key"))
