"""Settings as key/value rows; ``ledger.settings`` gives them types and defaults."""

from peewee import CharField, DateTimeField, TextField

from .base import BaseModel


class Setting(BaseModel):
    key = CharField(primary_key=True)
    value = TextField()
    author = CharField(default="")
    updated_at = DateTimeField(null=True)
