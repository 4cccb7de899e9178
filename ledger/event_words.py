"""What a collection event's stored text says, in the reader's words; and local times.

An event's text is written in a fixed form by the code that records it: ``demand 2``,
``on``, ``max_demands``, ``1 234,56 PLN (transfer) 2026-11-04``, ``case 3: partly_recovered
— note``. ``event_text`` turns each form into the reader's language, every code in it
through the tables of ``ledger.names`` (never ``t(code)``) and every amount and date in the
reader's notation; a note, a server's answer and other free text are shown as written.
Where a document came from (``ksef <KSeF number>``, ``file <path>[, line <n>]``) is
``origin_text``'s.
The author ``system`` (what the program did by itself) is a word too: Polish readers say
"system" as well, so its Polish wording is the same word.

The command output (the user's language) and the report e-mail (the report language)
share these, so a document's history reads the same in both. ``amount_text``,
``day_text`` and ``moment_text`` are ``ledger.names``' (re-exported for the commands).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ..i18n import N_, words
from .agency_namers import AGENCY_NAMERS
from .answer_words import answer_event_text, step_words
from .identity import SYSTEM
from .letter_words import letter_failure_text
from .names import (
    CASE_STATUS_NAMES,
    END_REASON_NAMES,
    MESSAGE_STATE_NAMES,
    PAYMENT_METHOD_NAMES,
    amount_text,
    day_text,
    name_of,
)

AUTHOR_NAMES = {
    SYSTEM: N_("system"),
}


def author_name(author: str | None, language: str) -> str:
    """``system`` in words; a person's name (their login) as it is."""
    if author in AUTHOR_NAMES:
        return words(language).t(AUTHOR_NAMES[author])
    return author or ""


def local_moment(utc: dt.datetime, timezone: dt.tzinfo) -> dt.datetime:
    """A stored UTC timestamp (naive) in the company's time zone (naive, for printing)."""
    return utc.replace(tzinfo=dt.UTC).astimezone(timezone).replace(tzinfo=None)


_AMOUNT = r"-?\d[\d\u00a0 ]*,\d{2} [A-Z]{3}"
_PAYMENT = re.compile(rf"^(?P<amount>{_AMOUNT}) \((?P<method>\w+)\) (?P<day>\d{{4}}-\d\d-\d\d)$")
_DEMAND = re.compile(r"^demand (?P<number>\d+)$")
# A step posted as a letter (issue 16): ``demand 2 by letter RR123456789PL`` (registered)
# or ``demand 2 by letter`` (an ordinary one); a letter's delivery or return:
# ``letter 17 on 2026-12-10`` / ``letter 17 on 2026-12-24 unclaimed``.
_BY_LETTER = re.compile(r"^(?P<step>reminder|demand \d+) by letter(?: (?P<number>\S+))?$")
_LETTER_OUTCOME = re.compile(r"^letter (?P<id>\d+) on (?P<day>\d{4}-\d\d-\d\d)"
                             r"(?: (?P<reason>\w+))?$")
_REPORT = re.compile(r"^report (?P<id>\d+)(?: on (?P<day>\d{4}-\d\d-\d\d))?$")
RETURN_REASON_NAMES = {
    "unclaimed": N_("not collected after two notices"),
    "refused": N_("refused by the addressee"),
    "moved": N_("addressee unknown at the address"),
    "other": N_("returned for another reason"),
}
_CASE_STATUS = re.compile(r"^case (?P<case>\d+): (?P<status>\w+)(?: — (?P<note>.*))?$", re.S)
_HANDED = re.compile(r"^case (?P<case>\d+), order (?P<order>\d+), (?P<agency>.*)$", re.S)
_MESSAGE = re.compile(r"^message (?P<message>\d+)$")
_FAILURE = re.compile(r"^(?P<state>retry|failed|in doubt): (?P<reason>.*)$", re.S)
_FAILURE_STATES = {"retry": "retry", "failed": "failed", "in doubt": "in_doubt"}
_CORRECTED = re.compile(
    rf"^(?P<number>.*) \((?P<kind>[^,()]*), (?P<day>\d{{4}}-\d\d-\d\d)\): "
    rf"(?P<difference>\+?{_AMOUNT}); gross (?P<before>{_AMOUNT}) → (?P<after>{_AMOUNT})$"
)
_REASON_KINDS = ("collection_finished", "collection_resumed")
# Where a document came from (``document_arrived``), as ``ledger.actions.create_document``
# is given it: ``ksef <KSeF number>`` by the KSeF sync, ``file <path>`` by a KSeF file,
# ``file <path>, line <n>`` by a CSV file. A path is shown as it was written.
ORIGIN_FORMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.S), wording) for pattern, wording in (
        (r"^ksef (?P<number>\S+)$", N_("from the KSeF sync (KSeF number {number})")),
        (r"^file (?P<path>.+), line (?P<line>\d+)$", N_("from the file {path}, line {line}")),
        (r"^file (?P<path>.+)$", N_("from the file {path}")),
    )
)


def _amount(text: str, language: str) -> str:
    """A stored Polish-notation amount (``1 234,56 PLN``) in the reader's notation."""
    sign = "+" if text.startswith("+") else ""
    figure, currency = text.lstrip("+").rsplit(" ", 1)
    value = Decimal(re.sub(r"[\s\u00a0]", "", figure).replace(",", "."))
    return sign + amount_text(value, currency, language)


# AGENCY_NAMERS (imported above, from agency_namers.py): how an agency's code becomes the
# name people read, put there by recovery at start-up; until then the code stands for itself.


def agency_name(code: str) -> str:
    """An agency's name for its code: the code is ours, the name is what people read."""
    for namer in AGENCY_NAMERS:
        return namer(code)
    return code


def _iso_day(text: str) -> str:
    return day_text(dt.date.fromisoformat(text))


# Why a message was not sent, as the transports and the outbox store it (``last_error``
# and the ``send_failed`` event): a fixed English shape of our own around the server's or
# the system's words, which stay as they were. Each shape is read back here in the
# reader's words; a text of no known shape is shown as it is. The shapes are written by
# dunning/transports.py, dunning/outbox.py and dunning/messages.py: change them together.
_TIMED_OUT = N_("timed out")
FAILURE_FORMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.S), wording) for pattern, wording in (
        (r"^every recipient refused: (?P<answers>.*)$",
         N_("every recipient refused: {answers}")),
        (r"^sender (?P<sender>\S+) refused: (?P<reply>.*)$",
         N_("sender {sender} refused: {reply}")),
        (r"^recipient (?P<address>\S+): (?P<reply>.*)$", N_("recipient {address}: {reply}")),
        (r"^DATA refused: (?P<reply>.*)$",
         N_("the server refused to take the message (DATA): {reply}")),
        (r"^message refused: (?P<reply>.*)$", N_("message refused: {reply}")),
        (r"^connection lost while sending the message: (?P<why>.*)$",
         N_("connection lost while sending the message: {why}")),
        (r"^connection lost: (?P<why>.*)$", N_("connection lost: {why}")),
        (r"^the message was sent but the server's answer never came \((?P<why>.*)\); "
         r"it may have been delivered$",
         N_("the message was sent but the server's answer never came ({why}); it may "
            "have been delivered")),
        (r"^malformed address: (?P<why>.*)$", N_("malformed address: {why}")),
        (r"^the message has no recipients$", N_("the message has no recipients")),
        (r"^(?P<where>\S+) does not offer STARTTLS$", N_("{where} does not offer STARTTLS")),
        (r"^login to (?P<where>\S+) as (?P<user>.*) refused: (?P<reply>.*)$",
         N_("login to {where} as {user} refused: {reply}")),
        (r"^(?P<where>\S+) refused the connection: (?P<reply>.*)$",
         N_("{where} refused the connection: {reply}")),
        (r"^cannot connect to (?P<where>\S+): (?P<why>.*)$",
         N_("cannot connect to {where}: {why}")),
        (r"^cannot write to the outbox folder (?P<path>.*): (?P<why>.*)$",
         N_("cannot write to the outbox folder {path}: {why}")),
        (r"^the sender stopped while sending; it may or may not have gone out$",
         N_("the sender stopped while sending; it may or may not have gone out")),
        (r"^the sender stopped while sending$", N_("the sender stopped while sending")),
        (r"^template: (?P<problem>.*)$", N_("template: {problem}")),
        (r"^address: (?P<problem>.*)$", N_("address: {problem}")),
    )
)
_GAVE_UP = re.compile(r"^gave up after (?P<n>\d+) attempts?: (?P<reason>.*)$", re.S)


def failure_text(text: str, language: str) -> str:
    """A stored send failure (``every recipient refused: a@b.pl: 550 …``) in the reader's
    words; the server's reply inside it as the server wrote it."""
    w = words(language)
    letter = letter_failure_text(text, language)  # a letter that cannot be printed
    if letter is not None:
        return letter
    if m := _GAVE_UP.match(text):
        return w.tn("gave up after {n} attempt: {reason}",
                    "gave up after {n} attempts: {reason}", int(m["n"]),
                    reason=failure_text(m["reason"], language))
    for pattern, wording in FAILURE_FORMS:
        if m := pattern.match(text):
            fields = {key: (w.t(_TIMED_OUT) if key == "why" and value == _TIMED_OUT
                            else value) for key, value in m.groupdict().items()}
            return w.t(wording, **fields)
    return text


def origin_text(text: str, language: str) -> str:
    """Where a document came from (``ksef 5265877635-20261207-…``, ``file faktury.csv,
    line 3``) in the reader's words; a text of another form as it was written."""
    for pattern, wording in ORIGIN_FORMS:
        if m := pattern.match(text):
            return words(language).t(wording, **m.groupdict())
    return text


def event_text(kind: str, text: str, language: str) -> str:
    """The text stored with an event of ``kind``, in ``language``."""
    if not text:
        return ""
    if kind in _REASON_KINDS:
        return name_of(END_REASON_NAMES, text, language)
    if kind == "document_arrived":
        return origin_text(text, language)
    worded = answer_event_text(kind, text, language)
    if worded is None:
        worded = _document_event_text(kind, text, language)
    if worded is None:
        worded = _agency_or_sending_text(kind, text, language)
    # None: a note, recipients, a server's answer: the words as they were written.
    return text if worded is None else worded


def _document_event_text(kind: str, text: str, language: str) -> str | None:
    """A flag switched, a reminder or demand sent, a payment, a correction; else None."""
    w = words(language)
    if kind == "flag_changed" and text in ("on", "off"):
        return w.t("switched on") if text == "on" else w.t("switched off")
    if (kind == "reminder_sent" and text == "reminder") or (
            kind == "demand_sent" and _DEMAND.match(text)):
        return step_words(text, w)
    if kind in ("reminder_sent", "demand_sent", "letter_copy_sent"):
        return letter_step_text(kind, text, language)
    if kind in ("registry_reported", "registry_updated") and (m := _REPORT.match(text)):
        if m["day"]:
            return w.t("report #{id} on {day}", id=m["id"], day=_iso_day(m["day"]))
        return w.t("report #{id}", id=m["id"])
    if kind in ("letter_delivered", "letter_returned") and (m := _LETTER_OUTCOME.match(text)):
        said = w.t("letter #{id} on {day}", id=m["id"], day=_iso_day(m["day"]))
        if m["reason"]:
            return f"{said}: {name_of(RETURN_REASON_NAMES, m['reason'], language)}"
        return said
    if kind in ("payment_recorded", "payment_removed") and (m := _PAYMENT.match(text)):
        return w.t("{amount} ({method}) {day}", amount=_amount(m["amount"], language),
                   method=name_of(PAYMENT_METHOD_NAMES, m["method"], language),
                   day=_iso_day(m["day"]))
    if kind == "document_corrected" and (m := _CORRECTED.match(text)):
        return w.t("{number} ({kind}, {day}): {difference}; gross {before} → {after}",
                   number=m["number"], kind=m["kind"], day=_iso_day(m["day"]),
                   difference=_amount(m["difference"], language),
                   before=_amount(m["before"], language),
                   after=_amount(m["after"], language))
    return None


def letter_step_text(kind: str, text: str, language: str) -> str | None:
    """A step posted as a letter, or a letter's e-mail copy, in words; else None."""
    w = words(language)
    if kind == "letter_copy_sent" and (text == "reminder" or _DEMAND.match(text)):
        return step_words(text, w)
    m = _BY_LETTER.match(text)
    if m is None:
        return None
    step = step_words(m["step"], w)
    if m["number"]:
        return w.t("{step}, registered letter {number}", step=step, number=m["number"])
    return w.t("{step}, by letter", step=step)


def _agency_or_sending_text(kind: str, text: str, language: str) -> str | None:
    """A case's status or hand-over, a message marked sent, a failure; else None."""
    w = words(language)
    if kind == "agency_status" and (m := _CASE_STATUS.match(text)):
        status = name_of(CASE_STATUS_NAMES, m["status"], language)
        described = w.t("case {case}: {status}", case=m["case"], status=status)
        return f"{described} — {m['note']}" if m["note"] else described
    if kind == "handed_to_agency" and (m := _HANDED.match(text)):
        return w.t("case {case}, order {order}, {agency}", case=m["case"], order=m["order"],
                   agency=agency_name(m["agency"]))
    if kind == "message_marked_sent" and (m := _MESSAGE.match(text)):
        return w.t("message #{message}", message=m["message"])
    if kind == "send_failed" and (m := _FAILURE.match(text)):
        state = name_of(MESSAGE_STATE_NAMES, _FAILURE_STATES[m["state"]], language)
        return f"{state}: {failure_text(m['reason'], language)}"
    if kind == "send_failed":  # a message that never rendered: "template: …"
        return failure_text(text, language)
    return None
