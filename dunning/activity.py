"""Activity (zestawienie działań): every event of every document, filtered, and CSV.

Rows are streamed from an indexed query, so an export of years of history never
holds it all in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from peewee import JOIN

from ..models import CollectionEvent, Contractor, Document


@dataclass(frozen=True)
class ActivityFilter:
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    kinds: tuple[str, ...] = ()
    contractor: str = ""  # code or part of the name
    author: str = ""


CSV_COLUMNS = ["day", "time_utc", "document", "contractor_code", "contractor", "kind",
               "author", "text", "message_id"]


def activity_query(flt: ActivityFilter):
    query = (
        CollectionEvent.select(CollectionEvent, Document.number, Contractor.code, Contractor.name)
        .join(Document, join_type=JOIN.LEFT_OUTER)
        .join(Contractor, join_type=JOIN.LEFT_OUTER)
    )
    if flt.first_day:
        query = query.where(CollectionEvent.day >= flt.first_day)
    if flt.last_day:
        query = query.where(CollectionEvent.day <= flt.last_day)
    if flt.kinds:
        query = query.where(CollectionEvent.kind.in_(flt.kinds))
    if flt.author:
        query = query.where(CollectionEvent.author == flt.author)
    if flt.contractor:
        query = query.where(
            (Contractor.code == flt.contractor) | Contractor.name.contains(flt.contractor)
        )
    return query.order_by(CollectionEvent.day, CollectionEvent.id)


def activity_rows(flt: ActivityFilter) -> Iterator[list[str]]:
    for e in activity_query(flt).objects().iterator():
        yield [
            e.day.isoformat(), e.at.strftime("%Y-%m-%d %H:%M:%S"), e.number or "",
            e.code or "", e.name or "", e.kind, e.author, e.text,
            str(e.message_id or ""),
        ]


def write_activity_csv(flt: ActivityFilter, out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in activity_rows(flt):
        writer.writerow(row)
        count += 1
    return count
