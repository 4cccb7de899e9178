"""The stored texts of the answer events (issue 15) in the reader's words.

The forms are written by ``importers/inbox_store.py``, ``dunning/bounces.py`` and
``ledger/answers.py`` (change them together):

- ``inbox <id> from <address>: <subject>`` — a reply or an automatic reply;
- ``inbox <id>: <step> to <address>: <server's words>`` — not delivered, or delayed;
- ``<resume|not_relevant> inbox <id>[ — <note>]`` — a person's decision;
- ``promise <id>: <amount> by <YYYY-MM-DD>, waits until <YYYY-MM-DD>[ — <note>]``,
  ``promise <id>: <amount> by <YYYY-MM-DD>`` (kept, broken), ``promise <id>[ — <note>]``
  and ``promise <id> replaced by promise <id>`` (withdrawn);
- ``dispute <id>[: <amount>][ — <reason or resolution>]``.

A subject, an address, a server's answer and a person's note stay as they were written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

from ..i18n import Words, words
from .names import DECISION_NAMES, amount_text, day_text, name_of

_AMOUNT = r"-?\d[\d\u00a0 ]*,\d{2} [A-Z]{3}"
_NOTE = r"(?: — (?P<note>.*))?$"
_FROM = re.compile(r"^inbox (?P<id>\d+) from (?P<address>\S*): (?P<subject>.*)$", re.S)
_NOT_DELIVERED = re.compile(
    r"^inbox (?P<id>\d+): (?P<step>reminder|demand \d+) to (?P<address>\S+): (?P<reply>.*)$",
    re.S)
_DECIDED = re.compile(r"^(?P<decision>resume|not_relevant) inbox (?P<id>\d+)" + _NOTE, re.S)
_PROMISE = re.compile(
    rf"^promise (?P<id>\d+): (?P<amount>{_AMOUNT}) by (?P<by>\d{{4}}-\d\d-\d\d)"
    rf"(?:, waits until (?P<until>\d{{4}}-\d\d-\d\d))?" + _NOTE, re.S)
_PROMISE_ONLY = re.compile(r"^promise (?P<id>\d+)" + _NOTE, re.S)
_REPLACED = re.compile(r"^promise (?P<id>\d+) replaced by promise (?P<new>\d+)$")
_DISPUTE = re.compile(rf"^dispute (?P<id>\d+)(?:: (?P<amount>{_AMOUNT}))?" + _NOTE, re.S)


def _amount(text: str, language: str) -> str:
    figure, currency = text.rsplit(" ", 1)
    value = Decimal(re.sub(r"[\s\u00a0]", "", figure).replace(",", "."))
    return amount_text(value, currency, language)


def _day(text: str, language: str) -> str:
    return day_text(dt.date.fromisoformat(text), language)


def _noted(text: str, note: str | None) -> str:
    return f"{text} — {note}" if note else text


def step_words(step: str, w: Words) -> str:
    """``reminder`` / ``demand 2`` in words."""
    if step == "reminder":
        return w.t("reminder")
    return w.t("demand {number}", number=step.split()[1])


def _from(m: re.Match[str], w: Words, language: str) -> str:
    return w.t("from {address}: {subject} (inbox message {id})", address=m["address"],
               subject=m["subject"], id=m["id"])


def _not_delivered(m: re.Match[str], w: Words, language: str) -> str:
    return w.t("{step} to {address}: {reply} (inbox message {id})",
               step=step_words(m["step"], w), address=m["address"], reply=m["reply"],
               id=m["id"])


def _decided(m: re.Match[str], w: Words, language: str) -> str:
    text = w.t("{decision} (inbox message {id})",
               decision=name_of(DECISION_NAMES, m["decision"], w), id=m["id"])
    return _noted(text, m["note"])


def _promise(m: re.Match[str], w: Words, language: str) -> str:
    amount, by = _amount(m["amount"], language), _day(m["by"], language)
    if m["until"]:
        text = w.t("promise {id}: {amount} by {day}, collection waits until {until}",
                   id=m["id"], amount=amount, day=by, until=_day(m["until"], language))
    else:
        text = w.t("promise {id}: {amount} by {day}", id=m["id"], amount=amount, day=by)
    return _noted(text, m["note"])


def _promise_only(m: re.Match[str], w: Words, language: str) -> str:
    return _noted(w.t("promise {id}", id=m["id"]), m["note"])


def _replaced(m: re.Match[str], w: Words, language: str) -> str:
    return w.t("promise {id} replaced by promise {new}", id=m["id"], new=m["new"])


def _dispute(m: re.Match[str], w: Words, language: str) -> str:
    if m["amount"]:
        text = w.t("dispute {id}: {amount}", id=m["id"],
                   amount=_amount(m["amount"], language))
    else:
        text = w.t("dispute {id}", id=m["id"])
    return _noted(text, m["note"])


_Form = tuple[re.Pattern[str], Callable[[re.Match[str], Words, str], str]]
FORMS: dict[str, tuple[_Form, ...]] = {
    "reply_received": ((_FROM, _from),),
    "auto_reply_received": ((_FROM, _from),),
    "delivery_failed": ((_NOT_DELIVERED, _not_delivered),),
    "delivery_delayed": ((_NOT_DELIVERED, _not_delivered),),
    "reply_decided": ((_DECIDED, _decided),),
    "promise_made": ((_PROMISE, _promise),),
    "promise_kept": ((_PROMISE, _promise),),
    "promise_broken": ((_PROMISE, _promise),),
    "promise_withdrawn": ((_REPLACED, _replaced), (_PROMISE_ONLY, _promise_only)),
    "dispute_opened": ((_DISPUTE, _dispute),),
    "dispute_resolved": ((_DISPUTE, _dispute),),
}


def answer_event_text(kind: str, text: str, language: str) -> str | None:
    """The text of an answer event in words; None for another kind or an unknown form."""
    for pattern, wording in FORMS.get(kind, ()):
        if m := pattern.match(text):
            return wording(m, words(language), language)
    return None
