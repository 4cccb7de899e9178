"""Polish law (issue 5): the contractor's legal kind, and the rate tables people add to.

* ``contractor.kind``: ``business`` (default: the product started as B2B collection),
  ``private`` (a consumer) or ``healthcare`` (a public entity that is a healthcare
  provider). It decides the interest regime, compensation and the limitation period.
* ``interest_rate``: statutory rates a user adds (a new Monitor Polski notice) on top of
  the table shipped in ``law/data/interest_rates.json``.
* ``eur_rate``: NBP table-A EUR mid rates per month (the last business day's), refreshed
  from the NBP API or typed; they override the table shipped in ``law/data``.

Frozen copies of the models of schema 5 (a migration never imports the application's models).
"""

from peewee import *  # noqa: F403


def up(migrator, db):
    class InterestRate(Model):
        kind = CharField()
        valid_from = DateField()
        rate = CharField()  # percent a year as text, e.g. "13.75": exact, no float
        source = TextField()
        author = CharField(default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'interest_rate'
            indexes = ((('kind', 'valid_from'), True),)

    class EurRate(Model):
        month = CharField(max_length=7, unique=True)  # YYYY-MM
        effective_date = DateField()
        mid = CharField()  # PLN per EUR as text, e.g. "4.2192"
        table_no = CharField()
        source = TextField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'eur_rate'

    migrator.migrate(
        migrator.add_column("contractor", "kind", CharField(default="business", max_length=12,
                                              constraints=[SQL("DEFAULT 'business'")]))
    )
    db.create_tables([InterestRate, EurRate])


def down(migrator, db):
    db.execute_sql("DROP TABLE eur_rate")
    db.execute_sql("DROP TABLE interest_rate")
    migrator.migrate(migrator.drop_column("contractor", "kind"))
