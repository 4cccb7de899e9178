"""A message's text in a table of its own, ``message_text`` (issue 17).

``message.raw`` — the exact RFC 5322 text sent, or a letter's content as JSON, about
6 KB — moves to ``message_text (message_id, raw)``, one row per message that has a
text. SQLite rewrites a whole row, overflow pages included, whenever a column changes
size, so every "sending" and "sent" mark of the outbox rewrote the text it never
changes; with the text elsewhere each mark touches one small row.

Messages without a text (a template failed) get no row: reading one gives "".
``down`` puts the texts back into the column.

Frozen copies of the columns of schema 20 (a migration never imports the application's
models).
"""

from peewee import *  # noqa: F403


def _message_text(db):
    class Message(Model):  # noqa: F405
        class Meta:
            database = db
            table_name = 'message'

    class MessageText(Model):  # noqa: F405
        message = ForeignKeyField(Message, primary_key=True,  # noqa: F405
                                  on_delete='CASCADE')
        raw = TextField()  # noqa: F405

        class Meta:
            database = db
            table_name = 'message_text'

    return MessageText


def up(migrator, db):
    db.create_tables([_message_text(db)])
    db.execute_sql("INSERT INTO message_text (message_id, raw)"
                   " SELECT id, raw FROM message WHERE raw <> ''")
    migrator.migrate(migrator.drop_column('message', 'raw'))


def down(migrator, db):
    migrator.migrate(
        migrator.add_column('message', 'raw',
                            TextField(default='', constraints=[SQL("DEFAULT ''")])),  # noqa: F405
    )
    db.execute_sql("UPDATE message SET raw = (SELECT t.raw FROM message_text t"
                   " WHERE t.message_id = message.id) WHERE id IN"
                   " (SELECT message_id FROM message_text)")
    db.execute_sql("DROP TABLE message_text")
