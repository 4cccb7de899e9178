"""Two people editing the same row (issue 6): optimistic locking on contractors and
documents.

* ``version`` (integer, 1 for every existing row): every write adds one; a save that
  carries the version its user saw is refused when it moved (``ledger/versions.py``).
* ``updated_by``, ``updated_at``: who wrote the row last and when (UTC), so that the
  refusal can say "changed by ewa at 10:42, reload".

Each column is added with its default in the schema (``DEFAULT 1``, ``DEFAULT ''``), so
that rows written by plain SQL still get it, and as one ``ADD COLUMN … NOT NULL
DEFAULT`` (``allow_not_null``): neither SQLite nor PostgreSQL then rewrites a table of
a million documents, where adding the column as NULL, filling it and adding NOT NULL
would update every row and, on SQLite, rebuild the table.

Frozen copies of the columns of schema 9 (a migration never imports the application's
models).
"""

from peewee import *  # noqa: F403

TABLES = ('contractor', 'document')


def columns():
    return (
        ('version', IntegerField(default=1, constraints=[SQL('DEFAULT 1')])),  # noqa: F405
        ('updated_by', CharField(default='', constraints=[SQL("DEFAULT ''")])),  # noqa: F405
        ('updated_at', DateTimeField(null=True)),  # noqa: F405
    )


def up(migrator, db):
    migrator.migrate(*[
        migrator.add_column(table, name, field, allow_not_null=not field.null)
        for table in TABLES for name, field in columns()
    ])


def down(migrator, db):
    migrator.migrate(*[
        migrator.drop_column(table, name) for table in TABLES for name, _ in columns()
    ])
