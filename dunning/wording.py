"""The words for steps, reasons, events and message states, shared by every output.

The English text is written here (marked ``N_()`` in the tables, so that extraction finds
it); the Polish wording is in the gettext catalogue (``i18n/locale/pl``). Every function
takes the reader's language, because a letter, a report or a command's output may be read
in a language other than the interface's: ``words(language)`` looks the text up.

Codes are never shown as words: each table maps a code to words, and a code a table does
not know (a newer program's value read by an older one) shows as "unknown (code)", as every
table of ``names.py`` does — visibly unknown, instead of passing for a word. Amounts and
dates as every output shows them (``names.amount_text``, ``names.day_text``): Polish
``1 234,56 PLN``, English ``1,234.56 PLN``; ``23.11.2026`` in both languages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from ..i18n import N_, Words, t, words
from ..ledger.names import MESSAGE_STATE_NAMES, amount_text, day_text, name_of
from .policy import NoStep, Step


def _max_demands(w: Words, sent: int, **limit: int) -> str:
    return w.tn("{sent} of {n} demand sent", "{sent} of {n} demands sent", limit["max"],
                sent=sent)


def _statement_stale(w: Words, on: str, days: int) -> str:
    return w.tn("demands held: the newest bank statement is from {on}, older than {n} day",
                "demands held: the newest bank statement is from {on}, older than {n} days",
                days, on=on)


LETTER_STATES = {
    "planned": N_("letter {letter} waits to be printed"),
    "printed": N_("letter {letter} printed, its posting not confirmed"),
    "failed": N_("letter {letter} cannot be printed"),
}
LETTER_ON_ITS_WAY = N_("letter {letter} waiting")  # a state of a newer program


def _letter_pending(w: Words, letter: int, letter_state: str) -> str:
    """A letter on its way (issue 16): the next step waits for it to be posted."""
    return w.t(LETTER_STATES.get(letter_state, LETTER_ON_ITS_WAY), letter=letter)


def _addresses_failing(w: Words, failures: tuple = ()) -> str:
    """Every address of the contractor was refused for good (outbox, addresses.py)."""
    listed = "; ".join(
        w.t("address {address} refused: {reply}, {day}", address=f.address, reply=f.reply,
            day=day_text(f.on, w.language)) for f in failures)
    return w.t("no working e-mail address ({failures})", failures=listed)


# Why nothing will be sent, by the code of ``policy.NoStep``: the English text with the
# reason's values as placeholders, or (where a count needs its plural form) a function
# of the reader's words and those values.
REASONS: dict[str, str | Callable[..., str]] = {
    "module_off": N_("collection module is off"),
    "excluded": N_("document excluded from collection"),
    "contractor_excluded": N_("contractor excluded"),
    "in_recovery": N_("in recovery case {case}"),
    "paid": N_("paid in full"),
    "no_email": N_("no e-mail address"),
    "addresses_failing": _addresses_failing,
    "finished": N_("collection finished on {on}"),
    "message_pending": N_("message {message} waiting in the outbox ({state})"),
    "letter_pending": _letter_pending,
    "demands_off": N_("demands are switched off"),
    "max_demands": _max_demands,
    "below_demand_minimum": N_("below the demand minimum of {minimum}"),
    "no_allowed_day": N_("no allowed sending day"),
    "statement_stale": _statement_stale,
    # The debtor's answers (issue 15).
    "disputed": N_("disputed since {since}"),
    "reply_waiting": N_("reply waiting since {since}"),
    "promised": N_("promised to pay; waits until {until}"),
    # Letters on paper (issue 16): a step that must go as a letter, without an address.
    "no_address": N_("no postal address for the letter"),
    "no_contact": N_("no e-mail address and no postal address"),
}

EVENT_NAMES = {
    "reminder_sent": N_("reminder sent"),
    "demand_sent": N_("demand sent"),
    "send_failed": N_("send failed"),
    "note": N_("note"),
    # With its text (event_words: "switched on" / "switched off") one line for a
    # bookkeeper: "collection  switched off" ("windykacja  wyłączona").
    "flag_changed": N_("collection"),
    "payment_recorded": N_("payment recorded"),
    "payment_removed": N_("payment removed"),
    "collection_finished": N_("collection finished"),
    "collection_resumed": N_("collection resumed"),
    "report_sent": N_("report sent"),
    "message_marked_sent": N_("marked as sent"),
    "handed_to_agency": N_("handed to agency"),
    "agency_status": N_("agency status"),
    "document_corrected": N_("corrected by an invoice"),
    # With its text (event_words.origin_text) where it came from: "document added  from
    # the KSeF sync (KSeF number …)" ("dodano dokument  z synchronizacji z KSeF (…)").
    "document_arrived": N_("document added"),
    # What came back and what a person decided (issue 15); event_words gives the rest.
    "reply_received": N_("reply received"),
    "auto_reply_received": N_("automatic reply"),
    "delivery_failed": N_("not delivered"),
    "delivery_delayed": N_("delivery delayed"),
    "reply_decided": N_("reply handled"),
    "promise_made": N_("promise to pay"),
    "promise_kept": N_("promise kept"),
    "promise_broken": N_("promise broken"),
    "promise_withdrawn": N_("promise withdrawn"),
    "dispute_opened": N_("dispute opened"),
    "dispute_resolved": N_("dispute resolved"),
    # Letters on paper (issue 16); posting is the step's own event ("demand sent").
    "letter_delivered": N_("letter delivered"),
    "letter_returned": N_("letter returned"),
    "letter_copy_sent": N_("copy of the letter by e-mail"),
    "registry_reported": N_("reported to the debtor registry"),
    "registry_updated": N_("debtor registry asked to update"),
}


def describe_event_kind(kind: str, language: str = "en") -> str:
    return name_of(EVENT_NAMES, kind, language)


def _value(key: str, value, language: str):
    if isinstance(value, Decimal):
        return amount_text(value, "PLN", language)
    if isinstance(value, dt.date):
        return day_text(value, language)
    if key == "state":
        return name_of(MESSAGE_STATE_NAMES, value, language)
    return value


def describe_reason(reason: NoStep, language: str = "en") -> str:
    w = words(language)
    wording = REASONS.get(reason.code)
    if wording is None:
        return w.t("unknown ({code})", code=reason.code)
    params = {key: _value(key, value, language) for key, value in reason.params.items()}
    if callable(wording):
        return wording(w, **params)
    return w.t(wording, **params)


CHANNEL_WORDS = {"letter": N_("{step} (letter)"), "both": N_("{step} (letter and e-mail)")}


def channel_words(step: str, channel: str, language: str | None = None) -> str:
    """``demand 2`` as it goes: unchanged by e-mail, ``demand 2 (letter)`` on paper."""
    if channel not in CHANNEL_WORDS:
        return step
    w = words(language) if language else None
    return w.t(CHANNEL_WORDS[channel], step=step) if w else t(CHANNEL_WORDS[channel], step=step)


def describe_step(step: Step, language: str = "en") -> str:
    w, on = words(language), day_text(step.on, language)
    if step.kind == "reminder":
        said = w.t("reminder on {day}", day=on)
    else:
        said = w.t("demand {number} on {day}", number=step.number, day=on)
    return channel_words(said, step.channel, language)


def describe_next(outcome: Step | NoStep, language: str = "en") -> str:
    if isinstance(outcome, Step):
        return describe_step(outcome, language)
    return describe_reason(outcome, language)
