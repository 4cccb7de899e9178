"""What commands print: lines to stdout, warnings to stderr, failures in the user's words."""

from __future__ import annotations

import sys

from ..i18n import t
from ..ledger.names import moment_text
from ..models import Contractor, Document
from ..session import CommandError, Context


def say(text: str = "") -> None:
    print(text)


def warn(text: str) -> None:
    print(text, file=sys.stderr)


def lease_held(exc, ctx: Context) -> CommandError:
    """``LeaseHeld`` in the user's words, its time local."""
    return CommandError(t(
        "another worker ({holder}) is sending for this database; its lease runs until "
        "{until} ({zone})", holder=exc.holder,
        until=moment_text(exc.expires_at, ctx.clock.timezone), zone=ctx.clock.timezone.key))


def find_document(number: str) -> Document:
    """The document numbered ``number``, or the command fails naming it."""
    document: Document | None = Document.get_or_none(Document.number == number)
    if document is None:
        raise CommandError(t("no document numbered {number}", number=repr(number)))
    return document


def find_contractor(code: str) -> Contractor:
    """The contractor with the code ``code``, or the command fails naming it."""
    contractor: Contractor | None = Contractor.get_or_none(Contractor.code == code)
    if contractor is None:
        raise CommandError(t("no contractor with the code {code}", code=repr(code)))
    return contractor
