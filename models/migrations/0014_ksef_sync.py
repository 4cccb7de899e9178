"""KSeF sync (issue 14): ``ksef_sync_state`` (the checkpoint and the last run, one row per
environment and NIP) and ``ksef_invoice`` (one row per KSeF number handled), see
``models/ksef_sync.py``.

Frozen copies of the models of schema 14 (a migration never imports the application's models).
"""

from peewee import *  # noqa: F403


def up(migrator, db):
    class Document(Model):
        class Meta:
            database = db
            table_name = 'document'

    class KsefSyncState(Model):
        environment = CharField()
        nip = CharField(max_length=10)
        checkpoint = DateTimeField(null=True)
        last_run_at = DateTimeField(null=True)
        last_success_at = DateTimeField(null=True)
        last_added = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
        failure = CharField(max_length=32, default='', constraints=[SQL("DEFAULT ''")])
        failure_detail = TextField(default='', constraints=[SQL("DEFAULT ''")])
        failing_since = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'ksef_sync_state'
            indexes = ((('environment', 'nip'), True),)

    class KsefInvoice(Model):
        ksef_number = CharField(max_length=40, unique=True)
        invoice_number = CharField()
        document = ForeignKeyField(Document, null=True, on_delete='RESTRICT')
        stored_at = DateTimeField()
        synced_at = DateTimeField()
        outcome = CharField(max_length=16)
        problem = TextField(default='', constraints=[SQL("DEFAULT ''")])
        class Meta:
            database = db
            table_name = 'ksef_invoice'

    db.create_tables([KsefSyncState, KsefInvoice])


def down(migrator, db):
    db.execute_sql("DROP TABLE ksef_invoice")
    db.execute_sql("DROP TABLE ksef_sync_state")
