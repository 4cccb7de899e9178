"""Watched folders (issue 14): ``watched_file``, one row per file imported from a watched
folder, keyed by the SHA-256 of its content so the same content is imported once
(``models/watched.py``, ``importers/watched_folders.py``).

Frozen copy of the model of schema 13 (a migration never imports the application's models).
"""

from peewee import *  # noqa: F403


def up(migrator, db):
    class BankStatement(Model):
        class Meta:
            database = db
            table_name = 'bank_statement'

    class WatchedFile(Model):
        sha256 = CharField(max_length=64, unique=True)
        kind = CharField(max_length=16)
        folder = TextField()
        file_name = CharField()
        size = BigIntegerField()
        imported_at = DateTimeField(index=True)
        author = CharField()
        outcome = CharField(max_length=16)
        rows = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
        created = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
        updated = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
        number = CharField(default='', constraints=[SQL("DEFAULT ''")])
        statement = ForeignKeyField(BankStatement, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'watched_file'

    db.create_tables([WatchedFile])


def down(migrator, db):
    db.execute_sql("DROP TABLE watched_file")
