"""Rate tables people add to: statutory interest rates and NBP EUR rates (migration 0005).

Both hold numbers as text so that a rate keeps exactly the digits of its notice; the law
package parses them into ``Decimal``.
"""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, TextField

from .base import BaseModel


class InterestRate(BaseModel):
    """A statutory rate added by a user, applying from ``valid_from`` for one kind."""

    kind = CharField()  # business | healthcare | private (law.interest.InterestKind)
    valid_from = DateField()
    rate = CharField()
    source = TextField()
    author = CharField(default="")
    created_at = DateTimeField()

    class Meta:
        indexes = ((("kind", "valid_from"), True),)


class EurRate(BaseModel):
    """The NBP table-A EUR mid rate of the last business day of ``month`` (YYYY-MM)."""

    month = CharField(max_length=7, unique=True)
    effective_date = DateField()
    mid = CharField()
    table_no = CharField()
    source = TextField()
    updated_at = DateTimeField()
