"""A foreign company and the agency's commission per payment (issue 12, point 4).

* ``contractor.vat_eu``: the EU VAT number of a company registered in another member
  state (``CZ12345678``, compact, with its country prefix; empty when none). Such a
  company has no Polish NIP and is still a business: the recovery agency gets the
  number, and the law treats it as a business (``contractor.kind``). Added with its
  default in the schema (``DEFAULT ''``), as one ``ADD COLUMN … NOT NULL DEFAULT``.
* ``case_commission``: the commission recorded against a recovery case, one entry per
  agency payment. Removing the payment adds a *reversing* entry (the negative amount,
  the same payment id) instead of deleting the first one, so the case's history keeps
  both; ``recovery_case.commission_recorded`` stays the sum of its entries. The payment
  is named by its id only (no foreign key): the payment row itself is deleted when it is
  removed, its entries are not.

Frozen copies of the columns and tables of schema 11 (a migration never imports the
application's models).
"""

from peewee import *  # noqa: F403

MoneyField = BigIntegerField  # noqa: F405


def _vat_eu():
    return CharField(default='', constraints=[SQL("DEFAULT ''")])  # noqa: F405


def up(migrator, db):
    class RecoveryCase(Model):  # noqa: F405
        class Meta:
            database = db
            table_name = 'recovery_case'

    class Document(Model):  # noqa: F405
        class Meta:
            database = db
            table_name = 'document'

    class CaseCommission(Model):  # noqa: F405
        case = ForeignKeyField(RecoveryCase, on_delete='RESTRICT')  # noqa: F405
        document = ForeignKeyField(Document, on_delete='RESTRICT')  # noqa: F405
        payment_id = IntegerField(index=True)  # noqa: F405
        payment_amount = MoneyField()
        amount = MoneyField()  # PLN; negative: the reversal of a removed payment's entry
        at = DateTimeField()  # noqa: F405
        author = CharField()  # noqa: F405

        class Meta:
            database = db
            table_name = 'case_commission'

    migrator.migrate(migrator.add_column('contractor', 'vat_eu', _vat_eu(),
                                         allow_not_null=True))
    db.create_tables([CaseCommission])


def down(migrator, db):
    db.execute_sql("DROP TABLE case_commission")
    migrator.migrate(migrator.drop_column('contractor', 'vat_eu'))
