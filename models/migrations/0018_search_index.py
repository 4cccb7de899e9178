"""A trigram search index for the unpaid list (issue 17): a search keystroke at a
million documents read every unpaid row's entry in ``document_unpaid_search`` (0003)
to count the matches, 102–114 ms at 200,000 unpaid and more than twice that with all
of them unpaid.

SQLite: ``document_search``, an FTS5 table with the ``trigram`` tokenizer holding, for
each *unpaid* document (``outstanding > 0``, the rows the list shows), the two things a
search compares: the folded contractor name (``contractor_key``) and the number, each
through SQLite's ``lower()`` (ASCII letters only, as ``LIKE`` folds them). The table is
*contentless* (it keeps the index alone, the text stays in ``document``) and
``case_sensitive 1``: a phrase of three characters or more matches exactly the rows in
which ``LIKE '%term%'`` matches one of the two columns (``lists/unpaid_list.py``
searches with the term folded and lower-cased the same way). Triggers keep it in step
with every insert, delete and update of those columns or of ``outstanding``; an update
of anything else (a partial payment, a step sent) does not touch it. A later migration
that rebuilds the ``document`` table (SQLite's ALTER by copy) drops its triggers and
must create them again (``create_triggers``).

PostgreSQL: the list's query stays ``ILIKE``; GIN trigram indexes (``pg_trgm``) on the
two columns of the unpaid documents let the planner answer it without reading every
row. ``pg_trgm`` ships with PostgreSQL (contrib); where it is not installed, or the
user may not create an extension, the migration creates nothing and the search works
as before, only slower (the README says so).
"""

from peewee import SqliteDatabase

TABLE = "document_search"
PG_INDEXES = {
    "document_search_key": "contractor_key",
    "document_search_number": "number",
}
_COLUMNS = "rowid, key, number"


def _values(row: str) -> str:
    return f"{row}.id, lower({row}.contractor_key), lower({row}.number)"


def create_triggers(db) -> None:
    """The triggers keeping ``document_search`` equal to the unpaid documents."""
    add = f"INSERT INTO {TABLE} ({_COLUMNS}) VALUES ({_values('new')});"
    remove = (f"INSERT INTO {TABLE} ({TABLE}, {_COLUMNS}) VALUES ('delete', "
              f"{_values('old')});")
    changed = ("(new.contractor_key IS NOT old.contractor_key"
               " OR new.number IS NOT old.number)")
    db.execute_sql(f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON document"
                   f" WHEN new.outstanding > 0 BEGIN {add} END")
    db.execute_sql(f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON document"
                   f" WHEN old.outstanding > 0 BEGIN {remove} END")
    db.execute_sql(
        f"CREATE TRIGGER {TABLE}_update_old AFTER UPDATE OF contractor_key, number,"
        " outstanding ON document WHEN old.outstanding > 0"
        f" AND (new.outstanding <= 0 OR {changed}) BEGIN {remove} END")
    db.execute_sql(
        f"CREATE TRIGGER {TABLE}_update_new AFTER UPDATE OF contractor_key, number,"
        " outstanding ON document WHEN new.outstanding > 0"
        f" AND (old.outstanding <= 0 OR {changed}) BEGIN {add} END")


def up(migrator, db):
    if isinstance(db, SqliteDatabase):
        db.execute_sql(
            f"CREATE VIRTUAL TABLE {TABLE} USING fts5(key, number, content='',"
            " columnsize=0, tokenize='trigram case_sensitive 1')")
        db.execute_sql(f"INSERT INTO {TABLE} ({_COLUMNS}) SELECT id, lower(contractor_key),"
                       " lower(number) FROM document WHERE outstanding > 0")
        db.execute_sql(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")
        create_triggers(db)
        return
    try:
        with db.atomic():  # a savepoint: a refusal leaves the migration's transaction usable
            db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # not installed, or not ours to create: the search stays as it was
        return
    for name, column in PG_INDEXES.items():
        db.execute_sql(f"CREATE INDEX {name} ON document USING gin ({column} gin_trgm_ops)"
                       " WHERE outstanding > 0")


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        for trigger in ("insert", "delete", "update_old", "update_new"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS {TABLE}_{trigger}")
        db.execute_sql(f"DROP TABLE IF EXISTS {TABLE}")
        return
    for name in PG_INDEXES:
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")
