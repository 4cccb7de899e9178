"""A document's timeline and its next step, as the ``history`` command and the
document screen show them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..ledger.event_words import author_name, event_text
from ..ledger.settings import CollectionSettings
from ..models import CollectionEvent, Document
from .facts import current_facts, demand_hold_on
from .policy import NoStep, Step, held, next_step


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    day: dt.date
    kind: str
    text: str
    author: str
    message_id: int | None


def events_of(document_id: int):
    """A document's collection events, oldest first: the one order every history uses."""
    return (
        CollectionEvent.select()
        .where(CollectionEvent.document == document_id)
        .order_by(CollectionEvent.at, CollectionEvent.id)
    )


def history_views(document_id: int) -> list[dict]:
    """The events as plain data for a template (reports, the agency package)."""
    return [{"day": e.day, "kind": e.kind, "text": e.text, "author": e.author}
            for e in events_of(document_id)]


def history_in_words(document_id: int, language: str) -> list[dict]:
    """``history_views`` as a report to a person reads it: every code in an event's text
    (an end reason, a payment method, where the document came from) and the author
    ``system`` in the words of ``language``, amounts in its notation. The kind stays a
    code: the templates name it."""
    return [{**e, "text": event_text(e["kind"], e["text"], language),
             "author": author_name(e["author"], language)}
            for e in history_views(document_id)]


def timeline(document: Document) -> list[TimelineEntry]:
    return [TimelineEntry(e.at, e.day, e.kind, e.text, e.author, e.message_id)
            for e in events_of(document.id)]


def document_next_step(
    settings: CollectionSettings, document: Document, day: dt.date
) -> Step | NoStep:
    return held(next_step(settings, settings.sending_days, current_facts(document), day),
                demand_hold_on(settings, day))
