"""Reports to a bureau of economic information (issue 16): ``registry_report`` (one debtor
reported to one bureau on one day, on the strength of one warning) and ``registry_claim``
(each claim reported, with the outstanding amount the bureau holds; art. 29 updates).

Frozen copies of the tables of schema 17 (a migration never imports the application's
models).
"""

from peewee import *  # noqa: F403


def up(migrator, db):
    class Ref(Model):  # noqa: F405
        class Meta:
            database = db

    class Contractor(Ref):
        class Meta:
            table_name = 'contractor'

    class Document(Ref):
        class Meta:
            table_name = 'document'

    class Message(Ref):
        class Meta:
            table_name = 'message'

    class RegistryReport(Ref):
        contractor = ForeignKeyField(Contractor, on_delete='RESTRICT')  # noqa: F405
        warning = ForeignKeyField(Message, on_delete='RESTRICT')  # noqa: F405
        bureau_name = CharField()  # noqa: F405
        bureau_address = TextField()  # noqa: F405
        reported_on = DateField()  # noqa: F405
        reported_by = CharField()  # noqa: F405
        created_at = DateTimeField()  # noqa: F405
        path = TextField()  # noqa: F405

        class Meta:
            table_name = 'registry_report'

    class RegistryClaim(Ref):
        report = ForeignKeyField(RegistryReport, on_delete='CASCADE')  # noqa: F405
        document = ForeignKeyField(Document, on_delete='RESTRICT')  # noqa: F405
        outstanding_reported = BigIntegerField()  # noqa: F405
        updated_on = DateField(null=True)  # noqa: F405
        updated_by = CharField(default='')  # noqa: F405

        class Meta:
            table_name = 'registry_claim'
            indexes = ((('report', 'document'), True), (('document',), False))

    db.create_tables([RegistryReport, RegistryClaim])


def down(migrator, db):
    db.execute_sql("DROP TABLE registry_claim")
    db.execute_sql("DROP TABLE registry_report")
