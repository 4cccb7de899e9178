"""KSeF e-invoices (issue 5): the bank account an invoice names, and applied corrections.

* ``document.bank_account``: ``Platnosc/RachunekBankowy/NrRB`` of the invoice, empty for
  documents from other sources.
* ``ksef_correction``: one row per correcting invoice applied to a document, keyed by the
  correction's own number, so that a correction is applied once however often its file
  is imported (``importers/ksef.py``).
* indexes on ``contractor.nip`` and ``contractor.name``: the importer finds an invoice's
  buyer by NIP (or, for a private person, by name and address) once per file, and a
  folder holds thousands of files.

Frozen copies of the models of schema 6 (a migration never imports the application's models).
"""

from peewee import *  # noqa: F403

MoneyField = BigIntegerField  # noqa: F405


def up(migrator, db):
    class Document(Model):
        class Meta:
            database = db
            table_name = 'document'

    class KsefCorrection(Model):
        number = CharField(unique=True)
        document = ForeignKeyField(Document, on_delete='RESTRICT')
        issue_date = DateField()
        difference = MoneyField()
        source = CharField(default='', constraints=[SQL("DEFAULT ''")])
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'ksef_correction'

    migrator.migrate(
        migrator.add_column('document', 'bank_account', CharField(default='', constraints=[SQL("DEFAULT ''")]))
    )
    db.create_tables([KsefCorrection])
    db.execute_sql("CREATE INDEX contractor_nip ON contractor (nip)")
    db.execute_sql("CREATE INDEX contractor_name ON contractor (name)")


def down(migrator, db):
    db.execute_sql("DROP INDEX contractor_name")
    db.execute_sql("DROP INDEX contractor_nip")
    migrator.migrate(migrator.drop_table('ksef_correction'))
    migrator.migrate(migrator.drop_column('document', 'bank_account'))
