"""The worker lease: one row per database names the only process allowed to send."""

from peewee import CharField, DateTimeField

from .base import BaseModel


class WorkerLease(BaseModel):
    name = CharField(primary_key=True)
    holder = CharField()
    expires_at = DateTimeField()
    heartbeat_at = DateTimeField()
