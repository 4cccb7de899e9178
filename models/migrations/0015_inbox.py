"""The collection mailbox and the debtor's answers (issue 15): ``mailbox_state``,
``inbox_message``, ``inbox_document`` (``models/inbox.py``), ``promise``,
``promise_document``, ``dispute`` and ``undelivered_step`` (``models/answers.py``).

Frozen copies of the models of schema 15 (a migration never imports the application's models).
"""

from peewee import *  # noqa: F403


def up(migrator, db):
    class Ref(Model):
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

    class MailboxState(Ref):
        source = CharField(unique=True)
        uidvalidity = IntegerField(null=True)
        last_uid = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
        last_run_at = DateTimeField(null=True)
        last_success_at = DateTimeField(null=True)
        last_fetched = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
        failure = CharField(max_length=32, default='', constraints=[SQL("DEFAULT ''")])
        failure_detail = TextField(default='', constraints=[SQL("DEFAULT ''")])
        failing_since = DateTimeField(null=True)
        class Meta:
            table_name = 'mailbox_state'

    class InboxMessage(Ref):
        source = CharField()
        key = CharField()
        message_id = CharField(default='', index=True)
        kind = CharField(max_length=16)
        state = CharField(max_length=16, default='done')
        from_address = CharField(default='')
        from_name = CharField(default='')
        subject = TextField(default='')
        sent_at = DateTimeField(null=True)
        received_at = DateTimeField()
        day = DateField()
        size = IntegerField(default=0)
        truncated = BooleanField(default=False)
        text = TextField(default='')
        attachments = TextField(default='')
        failures = TextField(default='')
        problems = TextField(default='')
        raw = BlobField(null=True)
        contractor = ForeignKeyField(Contractor, null=True, on_delete='RESTRICT')
        our_message = ForeignKeyField(Message, null=True, on_delete='RESTRICT')
        matched_by = CharField(max_length=16, default='')
        decision = CharField(max_length=16, default='')
        decided_by = CharField(default='')
        decided_at = DateTimeField(null=True)
        note = TextField(default='')
        class Meta:
            table_name = 'inbox_message'
            indexes = ((('source', 'key'), True), (('state', 'id'), False))

    class InboxDocument(Ref):
        inbox_message = ForeignKeyField(InboxMessage, on_delete='CASCADE')
        document = ForeignKeyField(Document, on_delete='RESTRICT')
        class Meta:
            table_name = 'inbox_document'
            indexes = ((('inbox_message', 'document'), True), (('document',), False))

    class Promise(Ref):
        contractor = ForeignKeyField(Contractor, on_delete='RESTRICT')
        amount = BigIntegerField()
        currency = CharField(default='PLN', max_length=3)
        pay_by = DateField()
        wait_until = DateField()
        made_on = DateField()
        made_by = CharField()
        outstanding_at_start = BigIntegerField()
        inbox_message = ForeignKeyField(InboxMessage, null=True, on_delete='SET NULL')
        note = TextField(default='')
        state = CharField(max_length=16, default='open')
        settled_on = DateField(null=True)
        created_at = DateTimeField()
        class Meta:
            table_name = 'promise'
            indexes = ((('state', 'wait_until'), False),)

    class PromiseDocument(Ref):
        promise = ForeignKeyField(Promise, on_delete='CASCADE')
        document = ForeignKeyField(Document, on_delete='RESTRICT')
        class Meta:
            table_name = 'promise_document'
            indexes = ((('promise', 'document'), True), (('document',), False))

    class Dispute(Ref):
        document = ForeignKeyField(Document, on_delete='RESTRICT')
        reason = TextField()
        amount = BigIntegerField(null=True)
        opened_on = DateField()
        opened_by = CharField()
        inbox_message = ForeignKeyField(InboxMessage, null=True, on_delete='SET NULL')
        state = CharField(max_length=16, default='open')
        resolved_on = DateField(null=True)
        resolved_by = CharField(default='')
        resolution = TextField(default='')
        created_at = DateTimeField()
        class Meta:
            table_name = 'dispute'
            indexes = ((('state', 'document'), False), (('document',), False))

    class UndeliveredStep(Ref):
        document = ForeignKeyField(Document, on_delete='RESTRICT')
        kind = CharField()
        number = IntegerField()
        message = ForeignKeyField(Message, on_delete='RESTRICT')
        planned_for = DateField()
        day = DateField()
        inbox_message = ForeignKeyField(InboxMessage, null=True, on_delete='SET NULL')
        class Meta:
            table_name = 'undelivered_step'
            indexes = ((('document',), False), (('message',), False))

    db.create_tables([MailboxState, InboxMessage, InboxDocument, Promise, PromiseDocument,
                      Dispute, UndeliveredStep])
    # Every reply and bounce looks up our message by its Message-ID.
    db.execute_sql("CREATE INDEX message_message_id ON message (message_id)")


def down(migrator, db):
    db.execute_sql("DROP INDEX message_message_id")
    for table in ('undelivered_step', 'dispute', 'promise_document', 'promise',
                  'inbox_document', 'inbox_message', 'mailbox_state'):
        db.execute_sql(f"DROP TABLE {table}")
