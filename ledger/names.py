"""Words for the codes we store: the one table per kind of code, for every output.

A code (``transfer``, ``in_doubt``, ``partly_recovered``, ``max_demands``) is how the
database remembers a thing; a person reads its name, in their language. Every screen,
command, letter, report and CSV that shows a code asks ``name_of`` here, so that a code
has one name everywhere and no code reaches a reader: an unknown code (a newer program's
value read by an older one) shows as "unknown (code)" — visibly so, instead of passing for
a word.

Also here, because every output shows them beside the names: a day, a moment and an amount
in the reader's notation (days as ``07.12.2026`` in both languages — the documents are
Polish and the interface shows them so; amounts ``1 234,56 PLN`` in Polish, ``1,234.56 PLN``
in English; moments in the company's time zone). An event's stored text in words:
``event_words.py``.
"""

from __future__ import annotations

import datetime as dt
import errno
import re
import socket
from decimal import Decimal

from ..i18n import N_, Words, language, words
from ..models import (
    CaseStatus,
    Decision,
    DisputeState,
    InboxKind,
    MessageKind,
    MessageState,
    PromiseState,
)
from ..models.document import PAYMENT_METHODS
from ..models.money import format_amount

PAYMENT_METHOD_NAMES = {
    "transfer": N_("transfer"),
    "cash": N_("cash"),
    "agency": N_("through the agency"),
    "offset": N_("offset"),
    "correction": N_("correction"),
}
assert set(PAYMENT_METHOD_NAMES) == set(PAYMENT_METHODS)

MESSAGE_STATE_NAMES = {
    MessageState.PLANNED: N_("planned"),
    MessageState.SENDING: N_("sending"),
    MessageState.SENT: N_("sent"),
    MessageState.RETRY: N_("to retry"),
    MessageState.FAILED: N_("failed"),
    MessageState.IN_DOUBT: N_("in doubt"),
    MessageState.CANCELLED: N_("cancelled"),
    MessageState.UNDELIVERED: N_("not delivered (bounced)"),
    MessageState.PRINTED: N_("printed, not posted"),
}

MESSAGE_KIND_NAMES = {
    MessageKind.REMINDER: N_("reminder"),
    MessageKind.DEMAND: N_("demand"),
    MessageKind.REPORT: N_("report"),
    MessageKind.TEST: N_("test e-mail"),
    MessageKind.AGENCY: N_("order to the agency"),
}

CASE_STATUS_NAMES = {
    CaseStatus.NOT_SENT: N_("not sent"),
    CaseStatus.WAITING: N_("waiting for the agency"),
    CaseStatus.ACCEPTED: N_("accepted"),
    CaseStatus.AMICABLE: N_("amicable stage"),
    CaseStatus.COURT: N_("in court"),
    CaseStatus.ENFORCEMENT: N_("enforcement"),
    CaseStatus.PARTLY_RECOVERED: N_("partly recovered"),
    CaseStatus.RECOVERED: N_("recovered"),
    CaseStatus.CLOSED: N_("closed without success"),
    CaseStatus.WITHDRAWN: N_("withdrawn"),
}

# Why collection of a document ended (``Document.collection_end_reason``, the text of its
# collection-finished and collection-resumed events); the codes are ledger.actions.EndReason.
END_REASON_NAMES = {
    "paid": N_("paid in full"),
    "flag_off": N_("excluded from collection"),
    "max_demands": N_("the last demand went unanswered"),
    "recovery": N_("handed to the collection agency"),
}

# Which statutory interest applies (``law.interest.InterestKind``: the contractor's kind).
INTEREST_KIND_NAMES = {
    "business": N_("business"),
    "healthcare": N_("healthcare"),
    "private": N_("private"),
}

# What came back (issue 15): the kinds of incoming message, a person's decision about a
# reply, and the states of promises and disputes.
INBOX_KIND_NAMES = {
    InboxKind.BOUNCE: N_("bounce"),
    InboxKind.DELAY: N_("delivery delayed"),
    InboxKind.AUTO_REPLY: N_("auto-reply"),
    InboxKind.REPLY: N_("reply"),
}

DECISION_NAMES = {
    Decision.PROMISE: N_("promise to pay"),
    Decision.DISPUTE: N_("dispute"),
    Decision.RESUME: N_("collection resumed"),
    Decision.NOT_RELEVANT: N_("not relevant"),
}

PROMISE_STATE_NAMES = {
    PromiseState.OPEN: N_("open"),
    PromiseState.KEPT: N_("kept"),
    PromiseState.BROKEN: N_("broken"),
    PromiseState.WITHDRAWN: N_("withdrawn"),
}

DISPUTE_STATE_NAMES = {
    DisputeState.OPEN: N_("dispute open"),
    DisputeState.RESOLVED: N_("dispute resolved"),
}

TABLES = {
    "payment_method": PAYMENT_METHOD_NAMES,
    "message_state": MESSAGE_STATE_NAMES,
    "message_kind": MESSAGE_KIND_NAMES,
    "case_status": CASE_STATUS_NAMES,
    "end_reason": END_REASON_NAMES,
    "interest_kind": INTEREST_KIND_NAMES,
    "inbox_kind": INBOX_KIND_NAMES,
    "decision": DECISION_NAMES,
    "promise_state": PROMISE_STATE_NAMES,
    "dispute_state": DISPUTE_STATE_NAMES,
}


def reader(language_or_words: str | Words | None = None) -> Words:
    """The wording functions for a language code, a ``Words``, or (None) the interface's."""
    if isinstance(language_or_words, Words):
        return language_or_words
    return words(language_or_words or language())


def name_of(table: dict[str, str], code: str | None,
            language_or_words: str | Words | None = None) -> str:
    """The name of ``code`` from one of the tables above, in the reader's language."""
    say = reader(language_or_words)
    if code is None or code == "":
        return ""
    english = table.get(code)
    if english is None:
        return say.t("unknown ({code})", code=code)
    return say.t(english)


def day_text(day: dt.date | None, language_or_words: str | Words | None = None) -> str:
    """A calendar day as every output shows it: ``07.12.2026``."""
    return day.strftime("%d.%m.%Y") if day else ""


def moment_text(utc: dt.datetime | None, timezone: dt.tzinfo,
                language_or_words: str | Words | None = None) -> str:
    """A stored UTC timestamp (naive) as local time in the company's zone."""
    if utc is None:
        return ""
    aware = utc if utc.tzinfo else utc.replace(tzinfo=dt.UTC)
    return aware.astimezone(timezone).strftime("%d.%m.%Y %H:%M")


def number_text(value: int | float | Decimal, places: int = 0,
                language_or_words: str | Words | None = None) -> str:
    """A count or a measure with ``places`` decimals in the reader's notation: ``12 345``
    and ``1,5`` in Polish (a plain space groups, as in amounts), ``12,345`` and ``1.5`` in
    English."""
    english = f"{value:,.{places}f}"
    if reader(language_or_words).language != "pl":
        return english
    return english.replace(",", " ").replace(".", ",")


def amount_text(value: Decimal, currency: str = "",
                language_or_words: str | Words | None = None) -> str:
    """``1 234,56 PLN`` in Polish, ``1,234.56 PLN`` in English."""
    if reader(language_or_words).language == "pl":
        return format_amount(value, currency)
    return f"{value:,.2f} {currency}".rstrip()



# The system's reasons a file cannot be read or written (OSError.strerror is English
# whatever the reader's language): the common ones in words, any other as the system says.
OS_REASONS = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.EISDIR: N_("it is a folder"),
    errno.ENOTDIR: N_("a part of the path is not a folder"),
    errno.ENOSPC: N_("no space left on the disk"),
    errno.EROFS: N_("the file system is read-only"),
    errno.ECONNREFUSED: N_("connection refused"),
    errno.ETIMEDOUT: N_("the connection timed out"),
    errno.EHOSTUNREACH: N_("no route to the host"),
    errno.ENETUNREACH: N_("the network is unreachable"),
    socket.EAI_NONAME: N_("unknown host name"),
}
_ERRNO_TEXT = re.compile(r"\[Errno (?P<number>-?\d+)\] [^\]\[()]*")


def os_reason(error: OSError, language_or_words: str | Words | None = None) -> str:
    """Why the system refused a file, in the reader's words."""
    if error.errno in OS_REASONS:
        return reader(language_or_words).t(OS_REASONS[error.errno])
    return error.strerror or str(error)


def os_reason_text(text: str, language_or_words: str | Words | None = None) -> str:
    """``text`` (a reason as stored, e.g. ``[Errno 111] Connection refused``) with the
    system's known reasons in the reader's words."""
    def word(match: re.Match[str]) -> str:
        wording = OS_REASONS.get(int(match["number"]))
        return reader(language_or_words).t(wording) if wording else match[0]
    return _ERRNO_TEXT.sub(word, text)
