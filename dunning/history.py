"""A document's timeline and its next step, as the ``history`` command and the
document screen show them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..models import CollectionEvent, Document
from .facts import current_facts
from .policy import NoStep, Step, next_step
from .settings import CollectionSettings


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    day: dt.date
    kind: str
    text: str
    author: str
    message_id: int | None


def timeline(document: Document) -> list[TimelineEntry]:
    events = (
        CollectionEvent.select()
        .where(CollectionEvent.document == document.id)
        .order_by(CollectionEvent.at, CollectionEvent.id)
    )
    return [TimelineEntry(e.at, e.day, e.kind, e.text, e.author, e.message_id) for e in events]


def document_next_step(
    settings: CollectionSettings, document: Document, day: dt.date
) -> Step | NoStep:
    return next_step(settings, settings.sending_days, current_facts(document), day)
