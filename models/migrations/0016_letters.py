"""Letters on paper (issue 16, docs/paper-design.md).

* ``message.channel``: ``email`` (every message so far) or ``letter``. A letter is a
  message: it carries its documents' steps under the same unique constraint, so a step
  is planned once whichever way it goes. Its ``raw`` is the letter's content as JSON
  (``dunning/letters.py``), from which its PDF is drawn.
* ``message.letter_of``: an e-mail sent as a copy of a letter (the channel ``both``);
  it carries no step of its own.
* ``message.variant``: ``registry`` for a demand with the debtor-registry warning,
  else empty.
* ``contractor.registry_email_allowed``: the contract with this business allows the
  registry warning by e-mail (art. 15 ust. 1a of the act of 9 April 2010).
* ``letter_batch``: one print job (the PDF of its letters and the dispatch book);
  ``letter``: one row per printed letter, with its posting (the day and the registered
  number, which its step counts from) and its delivery or return.

Frozen copies of the columns and tables of schema 16 (a migration never imports the
application's models).
"""

from peewee import *  # noqa: F403


def up(migrator, db):
    class Message(Model):  # noqa: F405
        class Meta:
            database = db
            table_name = 'message'

    class LetterBatch(Model):  # noqa: F405
        day = DateField()  # noqa: F405
        created_at = DateTimeField()  # noqa: F405
        created_by = CharField()  # noqa: F405
        letters = IntegerField()  # noqa: F405
        pdf_path = TextField()  # noqa: F405
        book_pdf_path = TextField()  # noqa: F405
        book_csv_path = TextField()  # noqa: F405

        class Meta:
            database = db
            table_name = 'letter_batch'

    class Letter(Model):  # noqa: F405
        message = ForeignKeyField(Message, unique=True, on_delete='RESTRICT')  # noqa: F405
        batch = ForeignKeyField(LetterBatch, on_delete='RESTRICT')  # noqa: F405
        posted_on = DateField(null=True)  # noqa: F405
        registered_number = CharField(default='')  # noqa: F405
        posted_by = CharField(default='')  # noqa: F405
        delivered_on = DateField(null=True)  # noqa: F405
        returned_on = DateField(null=True)  # noqa: F405
        return_reason = CharField(max_length=16, default='')  # noqa: F405
        outcome_by = CharField(default='')  # noqa: F405

        class Meta:
            database = db
            table_name = 'letter'
            indexes = ((('batch',), False), (('registered_number',), False))

    text = lambda: CharField(default='', constraints=[SQL("DEFAULT ''")])  # noqa: E731, F405
    migrator.migrate(
        migrator.add_column('message', 'channel',
                            CharField(max_length=8, default='email',  # noqa: F405
                                      constraints=[SQL("DEFAULT 'email'")]),  # noqa: F405
                            allow_not_null=True),
        migrator.add_column('message', 'letter_of_id',
                            ForeignKeyField(Message, null=True,  # noqa: F405
                                            on_delete='RESTRICT', field=Message.id)),
        migrator.add_column('message', 'variant', text(), allow_not_null=True),
        migrator.add_column('contractor', 'registry_email_allowed',
                            BooleanField(default=False,  # noqa: F405
                                         constraints=[SQL("DEFAULT FALSE")]),  # noqa: F405
                            allow_not_null=True),
    )
    db.create_tables([LetterBatch, Letter])
    # The print queue and the posting dialog read letters by channel and state.
    db.execute_sql("CREATE INDEX message_channel_state ON message (channel, state, id)")
    db.execute_sql("CREATE INDEX message_letter_of ON message (letter_of_id)")


def down(migrator, db):
    db.execute_sql("DROP INDEX message_letter_of")
    # add_column indexed the foreign key itself; SQLite's drop_column rebuilds the table
    # with its indexes, so one on the dropped column must go first
    db.execute_sql("DROP INDEX message_letter_of_id")
    db.execute_sql("DROP INDEX message_channel_state")
    db.execute_sql("DROP TABLE letter")
    db.execute_sql("DROP TABLE letter_batch")
    migrator.migrate(
        migrator.drop_column('contractor', 'registry_email_allowed'),
        migrator.drop_column('message', 'variant'),
        migrator.drop_column('message', 'letter_of_id'),
        migrator.drop_column('message', 'channel'),
    )
