"""An event's text as a person reads it, in their language.

Events are never edited, so the text stored with an event is the record; it is written
by our own code in a few fixed English shapes (below, each with the function that writes
it), and read back here into words of the reader's language: a payment's method by name,
a day in the reader's notation, an end reason in words instead of ``max_demands``. Text
of another shape — a note, a server's reply to a failed send, the recipients of a report
— is the person's or the server's own words and is shown as it is.

Reading the stored shapes (instead of adding a column of parameters) keeps every event
ever recorded readable in both languages, old databases included.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from ..i18n import Words, words
from ..models import EventKind
from .names import (
    CASE_STATUS_NAMES,
    END_REASON_NAMES,
    PAYMENT_METHOD_NAMES,
    day_text,
    name_of,
    reader,
)


def payment_text(amount: str, method: str, paid_on: dt.date) -> str:
    """The stored text of a payment-recorded or payment-removed event."""
    return f"{amount} ({method}) {paid_on.isoformat()}"


def step_text(kind: str, number: int) -> str:
    """The stored text of a reminder-sent or demand-sent event."""
    return "reminder" if kind == "reminder" else f"demand {number}"


def marked_sent_text(message_id: int) -> str:
    return f"message {message_id}"


def handed_over_text(case_id: int, order_id: int, agency: str) -> str:
    return f"case {case_id}, order {order_id}, {agency}"


def agency_status_text(case_id: int, status: str, note: str = "") -> str:
    return f"case {case_id}: {status}" + (f" — {note}" if note else "")


_PAYMENT = re.compile(r"^(?P<amount>.+) \((?P<method>\w+)\) (?P<day>\d{4}-\d{2}-\d{2})$")
_DEMAND = re.compile(r"^demand (?P<number>\d+)$")
_MARKED = re.compile(r"^message (?P<id>\d+)$")
_HANDED = re.compile(r"^case (?P<case>\d+), order (?P<order>\d+), (?P<agency>.*)$")
_STATUS = re.compile(r"^case (?P<case>\d+): (?P<status>\w+)(?: — (?P<note>.*))?$", re.S)


def _day(text: str, language: str) -> str:
    return day_text(dt.date.fromisoformat(text))


def _payment(text: str, language: str) -> str:
    match = _PAYMENT.match(text)
    if match is None:
        return text
    return words(language).t(
        "{amount} ({method}) paid on {day}", amount=match["amount"],
        method=name_of(PAYMENT_METHOD_NAMES, match["method"], language),
        day=_day(match["day"], language))


def _step(text: str, language: str) -> str:
    say = words(language)
    if text == "reminder":
        return say.t("reminder")
    match = _DEMAND.match(text)
    return say.t("demand {number}", number=match["number"]) if match else text


def _flag(text: str, language: str) -> str:
    say = words(language)
    return {"on": say.t("switched on"), "off": say.t("switched off")}.get(text, text)


def _end_reason(text: str, language: str) -> str:
    return name_of(END_REASON_NAMES, text, language) if text in END_REASON_NAMES else text


def _marked_sent(text: str, language: str) -> str:
    match = _MARKED.match(text)
    return words(language).t("message {id}", id=match["id"]) if match else text


def _handed_over(text: str, language: str) -> str:
    match = _HANDED.match(text)
    if match is None:
        return text
    return words(language).t("case {case}, order {order}, {agency}", case=match["case"],
                             order=match["order"], agency=match["agency"])


def _agency_status(text: str, language: str) -> str:
    match = _STATUS.match(text)
    if match is None or match["status"] not in CASE_STATUS_NAMES:
        return text
    status = name_of(CASE_STATUS_NAMES, match["status"], language)
    said = words(language).t("case {case}: {status}", case=match["case"], status=status)
    return f"{said} — {match['note']}" if match["note"] else said


_READERS: dict[str, Callable[[str, str], str]] = {
    EventKind.PAYMENT_RECORDED: _payment,
    EventKind.PAYMENT_REMOVED: _payment,
    EventKind.REMINDER_SENT: _step,
    EventKind.DEMAND_SENT: _step,
    EventKind.FLAG_CHANGED: _flag,
    EventKind.COLLECTION_FINISHED: _end_reason,
    EventKind.COLLECTION_RESUMED: _end_reason,
    EventKind.MESSAGE_MARKED_SENT: _marked_sent,
    EventKind.HANDED_TO_AGENCY: _handed_over,
    EventKind.AGENCY_STATUS: _agency_status,
}


def event_text(kind: str, text: str, language_or_words: str | Words | None = None) -> str:
    """The stored ``text`` of an event of ``kind``, in words of the reader's language."""
    read = _READERS.get(kind)
    language = reader(language_or_words).language
    return read(text or "", language) if read is not None else (text or "")


def author_name(author: str, language_or_words: str | Words | None = None) -> str:
    """Who did it: a person's user name as recorded; the program itself in words."""
    return reader(language_or_words).t("the program") if author == "system" else author
