"""Recovery (issue 4): agreements, orders, cases, their documents and status history,
and ``document.recovery_case``, the document's active case.

Frozen copies of the models of schema 4 (a migration never imports the application's
models). ``case_document_active`` makes "one active case per document" a database
rule, not only the application's.
"""

from peewee import *  # noqa: F403

MoneyField = RateField = BigIntegerField  # noqa: F405


def up(migrator, db):
    class Contractor(Model):
        class Meta:
            database = db
            table_name = 'contractor'

    class Document(Model):
        class Meta:
            database = db
            table_name = 'document'

    class Agreement(Model):
        agency = CharField()
        terms_version = CharField()
        person_name = CharField()
        person_position = CharField(default='')
        person_email = CharField()
        person_phone = CharField(default='')
        concluded_at = DateTimeField()
        author = CharField()
        class Meta:
            database = db
            table_name = 'agreement'

    class RecoveryOrder(Model):
        agency = CharField()
        created_at = DateTimeField()
        finished_at = DateTimeField(null=True)
        author = CharField()
        class Meta:
            database = db
            table_name = 'recovery_order'

    class RecoveryCase(Model):
        order = ForeignKeyField(RecoveryOrder, on_delete='RESTRICT')
        contractor = ForeignKeyField(Contractor, on_delete='RESTRICT')
        status = CharField(default='not_sent')
        status_at = DateTimeField()
        debtor = TextField()
        total = MoneyField()
        oldest_days_overdue = IntegerField()
        commission_rate = RateField()
        commission = MoneyField()
        commission_from_debtor = BooleanField(default=False)
        commission_recorded = MoneyField(default=0)
        external_ref = CharField(default='')
        send_error = TextField(default='')
        attempts = IntegerField(default=0)
        sent_at = DateTimeField(null=True)
        created_at = DateTimeField()
        author = CharField()
        class Meta:
            database = db
            table_name = 'recovery_case'

    class CaseDocument(Model):
        case = ForeignKeyField(RecoveryCase, on_delete='RESTRICT')
        document = ForeignKeyField(Document, on_delete='RESTRICT')
        outstanding = MoneyField()
        days_overdue = IntegerField()
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'case_document'

    class CaseStatusChange(Model):
        case = ForeignKeyField(RecoveryCase, on_delete='RESTRICT')
        status = CharField()
        at = DateTimeField()
        source = CharField()
        note = TextField(default='')
        author = CharField()
        class Meta:
            database = db
            table_name = 'case_status_change'

    db.create_tables([Agreement, RecoveryOrder, RecoveryCase, CaseDocument, CaseStatusChange])
    db.execute_sql(
        "CREATE UNIQUE INDEX case_document_active ON case_document (document_id) WHERE active"
    )
    db.execute_sql("CREATE INDEX recovery_case_status ON recovery_case (status, id)")
    migrator.migrate(
        migrator.add_column('document', 'recovery_case_id', IntegerField(null=True))
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column('document', 'recovery_case_id'))
    for table in ('case_status_change', 'case_document', 'recovery_case', 'recovery_order',
                  'agreement'):
        migrator.migrate(migrator.drop_table(table))
