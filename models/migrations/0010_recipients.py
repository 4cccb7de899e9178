"""Each recipient's outcome (issue 12, point 5): ``message_recipient`` records, for every
address of a message, whether the server accepted it, deferred it (4xx, tried again on
the next passes) or refused it, with the server's answer; ``failing_address`` marks a
contractor's address that was refused for good, so that later messages skip it and a
person is told.

Frozen copies of the models of schema 10 (a migration never imports the application's
models).
"""

from peewee import *  # noqa: F403


def up(migrator, db):
    class Contractor(Model):
        class Meta:
            database = db
            table_name = 'contractor'

    class Message(Model):
        class Meta:
            database = db
            table_name = 'message'

    class MessageRecipient(Model):
        message = ForeignKeyField(Message, on_delete='RESTRICT')  # noqa: F405
        address = CharField()  # noqa: F405
        state = CharField()  # noqa: F405
        reply = TextField(default='')  # noqa: F405
        attempts = IntegerField(default=0)  # noqa: F405
        at = DateTimeField()  # noqa: F405

        class Meta:
            database = db
            table_name = 'message_recipient'
            indexes = ((('message', 'address'), True), (('state', 'message'), False))

    class FailingAddress(Model):
        contractor = ForeignKeyField(Contractor, on_delete='CASCADE')  # noqa: F405
        address = CharField()  # noqa: F405
        reply = TextField(default='')  # noqa: F405
        day = DateField()  # noqa: F405
        message = ForeignKeyField(Message, null=True, on_delete='SET NULL')  # noqa: F405

        class Meta:
            database = db
            table_name = 'failing_address'
            indexes = ((('contractor', 'address'), True),)

    db.create_tables([MessageRecipient, FailingAddress])


def down(migrator, db):
    for table in ('failing_address', 'message_recipient'):
        db.execute_sql(f"DROP TABLE {table}")
