"""A user's edits of the default message templates, one row per template part."""

from peewee import CharField, DateTimeField, TextField

from .base import BaseModel


class TemplateOverride(BaseModel):
    name = CharField()  # reminder | demand | report
    language = CharField(max_length=2)
    part = CharField()  # subject | text | html
    source = TextField()
    author = CharField(default="")
    updated_at = DateTimeField()

    class Meta:
        indexes = ((("name", "language", "part"), True),)
