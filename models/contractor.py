"""Contractors (kontrahenci): the customers collection writes to."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, IntegerField, TextField

from .base import BaseModel

LANGUAGES = ("pl", "en")
# Who the contractor is in law (migration 0005): decides the interest regime, whether
# compensation applies and the limitation period (law/).
KINDS = ("business", "private", "healthcare")


def split_emails(text: str) -> list[str]:
    """Addresses stored one per line; files may separate them with ``;`` or ``,``."""
    parts = text.replace(";", "\n").replace(",", "\n").splitlines()
    return [p.strip() for p in parts if p.strip()]


class Contractor(BaseModel):
    code = CharField(unique=True)
    name = CharField()
    nip = CharField(null=True)
    address = TextField(default="")
    emails = TextField(default="")  # one address per line
    phone = CharField(default="")
    language = CharField(default="pl", max_length=2)
    # Affects documents created later only (SPEC §3): the contractor editor says so.
    subject_to_collection = BooleanField(default=True)
    kind = CharField(default="business", max_length=12)
    # A company registered in another EU state has no Polish NIP but an EU VAT number
    # (migration 0011), compact with its country prefix: ``CZ12345678``; "" when none.
    vat_eu = CharField(default="")
    # The contract with this business allows the debtor-registry warning by e-mail
    # (art. 15 ust. 1a of the act of 9 April 2010; migration 0016). Never for a consumer.
    registry_email_allowed = BooleanField(default=False)
    created_at = DateTimeField()
    # Optimistic locking (migration 0009, ledger/versions.py): every write adds one, so
    # a save carrying the version its user saw is refused when someone wrote meanwhile.
    version = IntegerField(default=1)
    updated_by = CharField(default="")
    updated_at = DateTimeField(null=True)

    @property
    def email_list(self) -> list[str]:
        return split_emails(self.emails)
