"""A document's collection progress in a few words (SPEC §7: "reminder 12.11",
"demand 2/3", "excluded", "finished"), as a code and its values for any language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    code: str  # finished | excluded | demand | reminder | none
    sent_on: dt.date | None = None
    demands: int = 0
    of: int = 0


def collection_progress(
    *, subject_to_collection: bool, collection_ended_on: dt.date | None,
    reminder_sent_on: dt.date | None, demands_sent: int, last_demand_on: dt.date | None,
    max_demands: int,
) -> Progress:
    if collection_ended_on is not None:
        return Progress("finished", collection_ended_on)
    if not subject_to_collection:
        return Progress("excluded")
    if demands_sent:
        return Progress("demand", last_demand_on, demands_sent, max(max_demands, demands_sent))
    if reminder_sent_on is not None:
        return Progress("reminder", reminder_sent_on)
    return Progress("none")


def progress_of(document, max_demands: int) -> Progress:
    """For anything with a document's fields (a Document, a planner Candidate)."""
    return collection_progress(
        subject_to_collection=document.subject_to_collection,
        collection_ended_on=document.collection_ended_on,
        reminder_sent_on=document.reminder_sent_on,
        demands_sent=document.demands_sent,
        last_demand_on=document.last_demand_on,
        max_demands=max_demands,
    )
