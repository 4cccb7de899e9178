"""Activity (zestawienie działań): every event of every document, filtered, and CSV.

The screen's list and the CSV export read the same filtered rows (one ``Listing``),
so a file holds exactly what the screen showed: newest first on screen, oldest first
in the file. Rows are streamed from an indexed query, so an export of years of
history never holds it all in memory, and the screen pages by keyset on
``(day, id)`` (the index ``collection_event_day``).

Decisions written down:

* An event without a document (a message marked sent by hand) belongs to its
  message's contractor, so it shows with the contractor's name and a contractor
  filter finds it.
* The contractor filter matches the code or the name, the author filter the author,
  each as a part of the text with case and accents folded ("lodz" finds "Łódź").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..dunning.wording import describe_event_kind
from ..i18n import N_, words
from ..ledger.event_words import author_name, event_text, local_moment
from ..models.sql import as_required_date, as_required_datetime, execute
from .csv_files import CsvStyle, write_file_atomically
from .paging import SNAPSHOT_LIMIT, KeysetWindow, Listing, text_match


@dataclass(frozen=True)
class ActivityFilter:
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    kinds: tuple[str, ...] = ()
    contractor: str = ""  # code or part of the name
    author: str = ""  # part of the author's name

    @property
    def selective(self) -> bool:
        """Whether the filter may leave few rows scattered over a long history."""
        return bool(self.kinds or self.contractor.strip() or self.author.strip())


@dataclass(frozen=True)
class ActivityRow:
    id: int
    day: dt.date
    at: dt.datetime  # UTC
    kind: str
    author: str
    text: str
    document_id: int | None
    message_id: int | None
    document_number: str
    contractor_code: str
    contractor_name: str


# The export's column titles (``{zone}``: the company's time zone the times are in).
CSV_COLUMNS = [N_("day"), N_("time ({zone})"), N_("document"), N_("contractor code"),
               N_("contractor"), N_("event"), N_("author"), N_("description"),
               N_("message no.")]

_SELECT = (
    "e.id, e.day, e.at, e.kind, e.author, e.text, e.document_id, e.message_id,"
    " d.number, c.code, c.name"
)
_TABLES = (
    "collection_event e"
    " LEFT JOIN document d ON d.id = e.document_id"
    " LEFT JOIN message m ON m.id = e.message_id"
    " LEFT JOIN contractor c ON c.id = COALESCE(d.contractor_id, m.contractor_id)"
)


def _row(values: tuple) -> ActivityRow:
    (id_, day, at, kind, author, text, document_id, message_id, number, code,
     name) = values
    return ActivityRow(id_, as_required_date(day), as_required_datetime(at), kind,
                       author or "", text or "", document_id, message_id, number or "",
                       code or "", name or "")


def _where(flt: ActivityFilter) -> tuple[str, list]:
    where: list[str] = []
    params: list = []
    if flt.first_day:
        where.append("e.day >= ?")
        params.append(flt.first_day)
    if flt.last_day:
        where.append("e.day <= ?")
        params.append(flt.last_day)
    if flt.kinds:
        where.append(f"e.kind IN ({', '.join('?' * len(flt.kinds))})")
        params += list(flt.kinds)
    if flt.author.strip():
        condition, values = text_match(["e.author"], flt.author.strip())
        where.append(condition)
        params += values
    if flt.contractor.strip():
        # Through the events' own indexes (document_id, message_id), not a join
        # condition, so that a count for one contractor never reads every event.
        condition, values = text_match(["k.code", "k.name"], flt.contractor.strip())
        where.append(
            f"(e.document_id IN (SELECT d2.id FROM document d2 WHERE d2.contractor_id IN"
            f" (SELECT k.id FROM contractor k WHERE {condition}))"
            f" OR e.message_id IN (SELECT m2.id FROM message m2 WHERE m2.contractor_id IN"
            f" (SELECT k.id FROM contractor k WHERE {condition})))"
        )
        params += values + values
    return " AND ".join(where) or "1 = 1", params


def activity_listing(flt: ActivityFilter, newest_first: bool = True) -> Listing[ActivityRow]:
    where, params = _where(flt)
    return Listing(
        columns=_SELECT,
        tables=_TABLES,
        order=("e.day", "e.id"),
        make_row=_row,
        key_of=lambda row: (row.day, row.id),
        where=where,
        params=tuple(params),
        descending=newest_first,
        count_tables="collection_event e",
    )


def activity_window(flt: ActivityFilter) -> KeysetWindow[ActivityRow]:
    """The (not yet loaded) newest-first window over the events ``flt`` lets through."""
    return KeysetWindow(activity_listing(flt),
                        snapshot_limit=SNAPSHOT_LIMIT if flt.selective else 0)


# How far back the author filter looks for names to suggest: the newest events through
# the (day, id) index, so that the list costs the same on a history of any length.
RECENT_EVENTS = 20_000


def recent_authors(limit: int = RECENT_EVENTS) -> list[str]:
    """The authors of the newest ``limit`` events, sorted: the names people type in the
    author filter (the filter itself still matches any part of any author)."""
    rows = execute(
        "SELECT DISTINCT recent.author FROM (SELECT e.author FROM collection_event e"
        " ORDER BY e.day DESC, e.id DESC LIMIT ?) recent", (limit,))
    return sorted({author for (author,) in rows if author}, key=str.casefold)


def activity_events(flt: ActivityFilter) -> Iterator[ActivityRow]:
    """Every matching event, oldest first, streamed."""
    listing = activity_listing(flt, newest_first=False)
    statement = (
        f"SELECT {listing.columns} FROM {listing.tables} WHERE {listing.where}"
        " ORDER BY e.day, e.id"
    )
    for values in execute(statement, listing.params):
        yield _row(values)


def activity_header(language: str, timezone: dt.tzinfo) -> list[str]:
    say = words(language)
    return [say.t(title, zone=str(timezone)) for title in CSV_COLUMNS]


def activity_rows(flt: ActivityFilter, language: str,
                  timezone: dt.tzinfo) -> Iterator[list[str]]:
    """Each event as the reader reads it: its kind, text and author in words, its time
    local (``HH:MM:SS``) on its company-local day."""
    for e in activity_events(flt):
        yield [
            e.day.isoformat(), local_moment(e.at, timezone).strftime("%H:%M:%S"),
            e.document_number, e.contractor_code, e.contractor_name,
            describe_event_kind(e.kind, language), author_name(e.author, language),
            event_text(e.kind, e.text, language), str(e.message_id or ""),
        ]


def write_activity_csv(flt: ActivityFilter, out: TextIO, language: str,
                       timezone: dt.tzinfo) -> int:
    writer = CsvStyle(language).writer(out)
    writer.writerow(activity_header(language, timezone))
    count = 0
    for row in activity_rows(flt, language, timezone):
        writer.writerow(row)
        count += 1
    return count


def export_activity_file(flt: ActivityFilter, target: Path, language: str,
                         timezone: dt.tzinfo) -> int:
    """Write the CSV to ``target`` (``csv_files.write_file_atomically``) in the reader's
    ``language`` and the company's ``timezone``; returns the number of events."""
    return write_file_atomically(
        target, lambda out: write_activity_csv(flt, out, language, timezone))
