"""One index on ``message.letter_of_id`` instead of two (issue 17).

Migration 0016 added the column with ``add_column``, which indexes a foreign key by
itself (``message_letter_of_id``), and then created ``message_letter_of`` on the same
column: every message written kept both. The second one goes.
"""


def up(migrator, db):
    db.execute_sql("DROP INDEX IF EXISTS message_letter_of")


def down(migrator, db):
    db.execute_sql("CREATE INDEX message_letter_of ON message (letter_of_id)")
