"""The database proxy every model binds to, and the common base model."""

from __future__ import annotations

from typing import ClassVar

import peewee
from peewee import AutoField, DatabaseProxy, Model

database = DatabaseProxy()


class BaseModel(Model):
    # The primary key peewee adds to every model that declares none, as the type checker
    # should see it: a column on the class (Document.id.in_(...)), an int on a row. An
    # annotation only: peewee still adds the field itself, exactly as before. (Setting and
    # Lease, keyed by a name of their own, have no id.)
    id: AutoField[int]
    # Likewise the exception peewee makes for each model (Document.DoesNotExist).
    DoesNotExist: ClassVar[type[peewee.DoesNotExist]]

    class Meta:
        database = database
        legacy_table_names = False
