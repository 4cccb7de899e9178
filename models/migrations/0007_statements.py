"""Bank statements (issue 5): imported MT940 files, their credits, the payments they
recorded and the payers' accounts learned from them (``models/statement.py``).

Frozen copies of the models of schema 7 (a migration never imports the application's
models). ``bank_statement.sha256`` refuses the same file twice and
``statement_line.line_key`` the same credit from an overlapping file, in the database
and not only in the importer. ``statement_line (status, booked_on, id)`` serves the
list of credits waiting for a person; ``bank_statement.statement_date`` the planner's
``max(statement_date)``.
"""

from peewee import *  # noqa: F403

MoneyField = BigIntegerField  # noqa: F405


def up(migrator, db):
    class Contractor(Model):
        class Meta:
            database = db
            table_name = 'contractor'

    class Document(Model):
        class Meta:
            database = db
            table_name = 'document'

    class Payment(Model):
        class Meta:
            database = db
            table_name = 'payment'

    class BankStatement(Model):
        sha256 = CharField(max_length=64, unique=True)
        file_name = CharField(default='')
        account = CharField()
        number = CharField(default='')
        profile = CharField()
        statement_date = DateField(index=True)
        imported_at = DateTimeField()
        author = CharField()
        class Meta:
            database = db
            table_name = 'bank_statement'

    class StatementLine(Model):
        statement = ForeignKeyField(BankStatement, on_delete='RESTRICT')
        line_key = CharField(max_length=64, unique=True)
        booked_on = DateField()
        amount = MoneyField()
        currency = CharField(max_length=3)
        title = TextField(default='')
        payer_name = TextField(default='')
        payer_account = CharField(default='')
        bank_reference = CharField(default='')
        status = CharField(max_length=10)
        reason = CharField(default='')
        unexplained = TextField(default='')
        candidates = TextField(default='')
        decided_at = DateTimeField(null=True)
        decided_by = CharField(default='')
        class Meta:
            database = db
            table_name = 'statement_line'
            indexes = ((('status', 'booked_on', 'id'), False),)

    class StatementPayment(Model):
        line = ForeignKeyField(StatementLine, on_delete='RESTRICT')
        document = ForeignKeyField(Document, on_delete='RESTRICT')
        amount = MoneyField()
        payment = ForeignKeyField(Payment, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'statement_payment'

    class ContractorAccount(Model):
        contractor = ForeignKeyField(Contractor, on_delete='RESTRICT')
        account = CharField(max_length=34, index=True)
        learned_at = DateTimeField()
        line = ForeignKeyField(StatementLine, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'contractor_account'
            indexes = ((('contractor', 'account'), True),)

    db.create_tables([BankStatement, StatementLine, StatementPayment, ContractorAccount])


def down(migrator, db):
    for table in ('contractor_account', 'statement_payment', 'statement_line',
                  'bank_statement'):
        db.execute_sql(f"DROP TABLE {table}")
