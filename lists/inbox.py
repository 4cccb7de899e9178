"""The Inbox as a list and one incoming message read back (issue 15).

The list shows what waits for a person first (replies to decide, messages nobody could
match), newest first, then everything else newest first — each part its own window
walking the index ``inbox_message (state, id)``. A message's view has its text (HTML
already as text), its attachments, what it was matched to, the documents it concerns
with their outstanding amounts, and — for a bounce — each failed address with the
server's words.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from decimal import Decimal

from ..importers.inbox import PARSE_LIMIT
from ..importers.inbox_match import message_documents
from ..importers.incoming_mail import attachment_bytes, read_mail
from ..ledger.answers import reply_document_ids
from ..models import (
    Contractor,
    Document,
    InboxDocument,
    InboxKind,
    InboxMessage,
    InboxState,
    Message,
)
from ..models.sql import as_datetime, as_required_date, as_required_datetime, tuple_rows
from .paging import ChainedSource, KeysetWindow, Listing


@dataclass(frozen=True)
class InboxRow:
    id: int
    kind: str
    state: str
    day: dt.date
    received_at: dt.datetime
    sent_at: dt.datetime | None
    from_address: str
    from_name: str
    subject: str
    contractor: str
    matched_by: str
    decision: str
    documents: tuple[str, ...] = ()  # numbers, filled per page

    @property
    def waiting(self) -> bool:
        return self.state == InboxState.WAITING


def _row(values: tuple) -> InboxRow:
    (id_, kind, state, day, received_at, sent_at, from_address, from_name, subject,
     contractor, matched_by, decision) = values
    return InboxRow(id_, kind, state, as_required_date(day), as_required_datetime(received_at),
                    as_datetime(sent_at), from_address or "", from_name or "",
                    " ".join((subject or "").split()), contractor or "", matched_by or "",
                    decision or "")


def document_numbers(inbox_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The numbers of the documents each message concerns, in one query."""
    if not inbox_ids:
        return {}
    found: dict[int, list[str]] = {}
    for inbox_id, number in tuple_rows(
            InboxDocument.select(InboxDocument.inbox_message, Document.number).join(Document)
            .where(InboxDocument.inbox_message.in_(inbox_ids)).order_by(Document.number)):
        found.setdefault(inbox_id, []).append(number)
    return {key: tuple(numbers) for key, numbers in found.items()}


def _with_documents(rows: list[InboxRow]) -> list[InboxRow]:
    numbers = document_numbers([r.id for r in rows])
    return [replace(row, documents=numbers.get(row.id, ())) for row in rows]


def state_listing(state: str, kind: str | None = None) -> Listing[InboxRow]:
    where, params = "i.state = ?", [state]
    if kind:
        where += " AND i.kind = ?"
        params.append(kind)
    return Listing(
        columns=("i.id, i.kind, i.state, i.day, i.received_at, i.sent_at, i.from_address,"
                 " i.from_name, i.subject, c.name, i.matched_by, i.decision"),
        tables="inbox_message i LEFT JOIN contractor c ON c.id = i.contractor_id",
        count_tables="inbox_message i",
        order=("i.id",),
        make_row=_row,
        key_of=lambda row: (row.id,),
        where=where,
        params=tuple(params),
        descending=True,
    )


def inbox_source(waiting_only: bool = False, kind: str | None = None
                 ) -> ChainedSource[InboxRow]:
    """Waiting messages first, then the rest (unless ``waiting_only``); call ``load()``."""
    states = [InboxState.WAITING] if waiting_only else [InboxState.WAITING, InboxState.DONE]
    return ChainedSource([KeysetWindow(state_listing(s, kind), decorate=_with_documents)
                          for s in states])


# --- one message -------------------------------------------------------------------------

@dataclass(frozen=True)
class AttachmentView:
    name: str
    content_type: str
    size: int
    index: int


@dataclass(frozen=True)
class FailureView:
    address: str
    status: str
    diagnostic: str
    permanent: bool


@dataclass(frozen=True)
class DocumentLine:
    id: int
    number: str
    currency: str
    outstanding: Decimal
    due_date: dt.date


@dataclass(frozen=True)
class InboxView:
    row: InboxRow
    message_id: str
    text: str
    size: int
    truncated: bool
    problems: tuple[str, ...]
    attachments: tuple[AttachmentView, ...]
    failures: tuple[FailureView, ...]
    documents: tuple[DocumentLine, ...]
    contractor_id: int | None
    our_message_id: int | None
    our_subject: str
    our_state: str  # our message's state ("undelivered" after a bounce), "" when none
    decided_by: str
    decided_at: dt.datetime | None
    note: str


def _attachments(text: str) -> tuple[AttachmentView, ...]:
    if not text:
        return ()
    return tuple(AttachmentView(a["name"], a["content_type"], int(a["size"]), int(a["index"]))
                 for a in json.loads(text))


def _failures(text: str) -> tuple[FailureView, ...]:
    views = []
    for line in text.splitlines():
        address, status, diagnostic, kind = (line.split("\t") + ["", "", "", ""])[:4]
        views.append(FailureView(address, status, diagnostic, kind == "P"))
    return tuple(views)


def inbox_view(inbox_id: int) -> InboxView:
    """One message as it was stored (``InboxMessage.DoesNotExist`` when there is none)."""
    message = InboxMessage.get_by_id(inbox_id)
    contractor = (Contractor.get_by_id(message.contractor_id).name
                  if message.contractor_id is not None else "")
    ids = reply_document_ids(message.id)
    if not ids and message.our_message_id is not None:
        ids = message_documents(message.our_message_id)  # a report: its message's
    documents = tuple(DocumentLine(d.id, d.number, d.currency, d.outstanding, d.due_date)
                      for d in Document.select().where(Document.id.in_(ids))
                      .order_by(Document.number))
    ours = (Message.get_by_id(message.our_message_id)
            if message.our_message_id is not None else None)
    row = InboxRow(message.id, message.kind, message.state, as_required_date(message.day),
                   as_required_datetime(message.received_at), as_datetime(message.sent_at),
                   message.from_address, message.from_name, message.subject, contractor,
                   message.matched_by, message.decision,
                   tuple(d.number for d in documents))
    text, attachments = message.text, _attachments(message.attachments)
    problems = tuple(p for p in message.problems.splitlines() if p)
    if message.size > PARSE_LIMIT and message.raw is not None:
        # Read from its first MiB when it came (importers/inbox.py): now the whole of it.
        whole = read_mail(bytes(message.raw), truncated=message.truncated)
        text, problems = whole.text, whole.problems
        attachments = tuple(AttachmentView(a.name, a.content_type, a.size, a.index)
                            for a in whole.attachments)
    return InboxView(
        row, message.message_id, text, message.size, message.truncated, problems,
        attachments, _failures(message.failures), documents,
        message.contractor_id, message.our_message_id, ours.subject if ours else "",
        ours.state if ours else "",
        message.decided_by, as_datetime(message.decided_at), message.note)


def attachment_content(inbox_id: int, index: int) -> bytes:
    """The decoded content of one attachment, from the stored raw message."""
    raw = InboxMessage.select(InboxMessage.raw).where(InboxMessage.id == inbox_id).scalar()
    if raw is None:
        raise LookupError("the message was too large to keep its attachments")
    return attachment_bytes(bytes(raw), index)


def waiting_counts() -> tuple[int, dt.date | None]:
    """How many messages wait for a person, and the day the oldest came."""
    row = (InboxMessage.select(InboxMessage.id, InboxMessage.day)
           .where(InboxMessage.state == InboxState.WAITING).order_by(InboxMessage.id).first())
    count = InboxMessage.select().where(InboxMessage.state == InboxState.WAITING).count()
    return count, as_required_date(row.day) if row is not None else None


__all__ = ["InboxKind", "InboxRow", "InboxView", "attachment_content", "inbox_source",
           "inbox_view", "waiting_counts"]
