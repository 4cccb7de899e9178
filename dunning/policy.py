"""The collection rules of SPEC §4 as pure functions.

Nothing here reads the database, the clock or the network: a pass, the forecast and
the document screen all hand in a ``DocumentFacts`` and a date and get back the step
that is due (``step_due``), the next step or the reason there is none
(``next_step``), or whether collection has run its course (``collection_expired``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from ..ledger.calendar import SendingDays
from ..ledger.settings import CollectionSettings

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class AddressFailure:
    """A contractor's address a mail server refused for good, with its answer and day."""

    address: str
    reply: str
    on: dt.date


@dataclass(frozen=True)
class DocumentFacts:
    """What the rules need to know about one document on one day."""

    issue_date: dt.date
    due_date: dt.date
    legal_due_date: dt.date
    outstanding_pln: Decimal  # the outstanding amount converted to PLN
    subject_to_collection: bool = True
    contractor_subject_to_collection: bool = True
    has_email: bool = True
    # A postal address to write a letter to (issue 16: with letters on, a contractor
    # without e-mail gets letters; ``step_channel``).
    has_address: bool = True
    # A business whose contract allows the debtor-registry warning by e-mail (art. 15
    # ust. 1a of the act of 9 April 2010); never a consumer.
    registry_by_email: bool = False
    # The contractor's addresses a server refused for good; with ``has_working_email``
    # False every address it has is among them, and nothing can be sent.
    failing_addresses: tuple[AddressFailure, ...] = ()
    has_working_email: bool = True
    recovery_case: int | None = None
    reminder_sent_on: dt.date | None = None
    demands_sent: int = 0
    last_demand_on: dt.date | None = None
    collection_ended_on: dt.date | None = None
    # (message id, state) of a message carrying a step of this document that is not
    # sent yet: nothing new is planned until it is resolved.
    unfinished_message: tuple[int, str] | None = None
    # The debtor's answers (issue 15). A reply nobody has decided about yet pauses the
    # document from the day it came; an open dispute stops it until a person resolves
    # it; an open promise to pay waits until ``promised_until`` (the date plus grace).
    reply_waiting_since: dt.date | None = None
    disputed_since: dt.date | None = None
    promised_until: dt.date | None = None
    # The day a promise was found broken: from then on the next step goes on the next
    # allowed day instead of waiting for the usual spacing (``earliest_demand``).
    promise_broken_on: dt.date | None = None


@dataclass(frozen=True)
class Step:
    kind: str  # "reminder" | "demand"
    number: int  # 0 for the reminder, k for demand k
    on: dt.date
    # How it goes out (issue 16, ``step_channel``): "email", "letter" or "both".
    channel: str = "email"

    def describe(self) -> str:
        what = "reminder" if self.kind == "reminder" else f"demand {self.number}"
        return f"{what} on {self.on.isoformat()}"


@dataclass(frozen=True)
class NoStep:
    """Why nothing will be sent: a reason code and the values its wording needs."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


def reminder_window(settings: CollectionSettings, facts: DocumentFacts) -> tuple[dt.date, dt.date]:
    start = facts.due_date - dt.timedelta(days=settings.reminder_days_before_due)
    return start, facts.due_date


def _reminder_possible(settings: CollectionSettings, facts: DocumentFacts) -> bool:
    start, _ = reminder_window(settings, facts)
    return (
        settings.reminder_enabled
        and facts.reminder_sent_on is None
        and facts.demands_sent == 0
        and facts.issue_date <= start
        and facts.outstanding_pln >= settings.reminder_min_amount
    )


def earliest_demand(settings: CollectionSettings, facts: DocumentFacts) -> dt.date:
    """E of SPEC §4: the first day demand k+1 may go out, before allowed-day rounding —
    brought forward to the day a promise to pay lapsed unkept (issue 15: collection
    resumes with the next step on the next allowed day), unless that was before the
    document fell due, when a demand would make no sense."""
    if facts.demands_sent == 0:
        usual = facts.legal_due_date + dt.timedelta(days=settings.demand_first_after_days)
    else:
        assert facts.last_demand_on is not None, "a sent demand always has its date"
        usual = facts.last_demand_on + dt.timedelta(days=settings.demand_repeat_every_days)
    resumes = resume_day(facts)
    if resumes is not None and resumes > facts.legal_due_date:
        return min(usual, resumes)
    return usual


def resume_day(facts: DocumentFacts) -> dt.date | None:
    """The day a promise to pay lapsed unkept: the day after an open promise's wait (the
    forecast's view: unpaid by then, it is broken), or the day one was found broken —
    unless a step has gone out since, which has already answered it."""
    if facts.promised_until is not None:
        resumes: dt.date | None = facts.promised_until + DAY
    else:
        resumes = facts.promise_broken_on
    last_step = facts.last_demand_on or facts.reminder_sent_on
    if resumes is None or (last_step is not None and last_step >= resumes):
        return None
    return resumes


def _demand_possible(settings: CollectionSettings, facts: DocumentFacts) -> bool:
    return (
        settings.demand_enabled
        and facts.demands_sent < settings.demand_max_count
        and facts.outstanding_pln >= settings.demand_min_amount
    )


def blocking_reason(settings: CollectionSettings, facts: DocumentFacts) -> NoStep | None:
    """The reason a document is not a candidate at all (SPEC §4, *candidate*)."""
    if not settings.module_enabled:
        return NoStep("module_off")
    # Paid first: of all the true reasons, it is the one a person asks about first (an
    # excluded or handed-over document that was then paid is, above all, paid).
    if facts.outstanding_pln <= 0:
        return NoStep("paid")
    if not facts.subject_to_collection:
        code = "contractor_excluded" if not facts.contractor_subject_to_collection else "excluded"
        return NoStep(code)
    if facts.recovery_case is not None:
        return NoStep("in_recovery", {"case": facts.recovery_case})
    if facts.disputed_since is not None:
        return NoStep("disputed", {"since": facts.disputed_since})
    # With letters on, a contractor with a postal address is written to on paper when
    # it has no e-mail address, or none that works (``step_channel``); so is the
    # registry warning, whatever the other steps do.
    by_letter = (settings.letters_enabled or settings.registry_warning) and facts.has_address
    if not facts.has_email and not by_letter:
        return NoStep("no_contact" if settings.letters_enabled else "no_email")
    if not facts.has_working_email and not by_letter:
        return NoStep("addresses_failing", {"failures": facts.failing_addresses})
    if facts.collection_ended_on is not None:
        return NoStep("finished", {"on": facts.collection_ended_on})
    if facts.unfinished_message is not None:
        message_id, state = facts.unfinished_message
        if state.startswith("letter "):  # a letter to print, or printed and not posted
            return NoStep("letter_pending", {"letter": message_id,
                                             "letter_state": state.removeprefix("letter ")})
        return NoStep("message_pending", {"message": message_id, "state": state})
    if facts.reply_waiting_since is not None:
        return NoStep("reply_waiting", {"since": facts.reply_waiting_since})
    return None


def promise_wait(facts: DocumentFacts, day: dt.date) -> NoStep | None:
    """Collection waits on ``day`` for an open promise to pay, if there is one."""
    if facts.promised_until is not None and day <= facts.promised_until:
        return NoStep("promised", {"until": facts.promised_until})
    return None


def demand_hold(hold_days: int, newest_statement: dt.date | None,
                day: dt.date) -> NoStep | None:
    """Why demands wait on ``day``, if they do: the newest imported bank statement is more
    than ``hold_days`` old, so money may have arrived that nobody has matched yet.

    No hold when it is switched off (0) or when no statement was ever imported: a user who
    does not import statements would otherwise never send a demand again.
    """
    if hold_days <= 0 or newest_statement is None:
        return None
    if (day - newest_statement).days <= hold_days:
        return None
    return NoStep("statement_stale", {"on": newest_statement, "days": hold_days})


def held(outcome: Step | NoStep, hold: NoStep | None) -> Step | NoStep:
    """A demand under a hold becomes the hold's reason; anything else passes through."""
    if hold is not None and isinstance(outcome, Step) and outcome.kind == "demand":
        return hold
    return outcome


def step_due(
    settings: CollectionSettings, days: SendingDays, facts: DocumentFacts, day: dt.date
) -> Step | None:
    """The one step a pass on ``day`` sends for this document, if any."""
    if not days.is_allowed(day) or blocking_reason(settings, facts) is not None:
        return None
    if promise_wait(facts, day) is not None:
        return None
    start, end = reminder_window(settings, facts)
    step = None
    if _reminder_possible(settings, facts) and start <= day <= end:
        step = Step("reminder", 0, day)
    elif _demand_possible(settings, facts) and day >= earliest_demand(settings, facts):
        step = Step("demand", facts.demands_sent + 1, day)
    if step is None:
        return None
    routed = with_channel(settings, step, facts)
    return routed if isinstance(routed, Step) else None


def with_channel(settings: CollectionSettings, step: Step, facts: DocumentFacts) -> Step | NoStep:
    """``step`` with the channel it goes by, or why it cannot go (``step_channel``)."""
    channel = step_channel(settings, step, facts.has_email and facts.has_working_email,
                           facts.has_address, facts.registry_by_email)
    return channel if isinstance(channel, NoStep) else replace(step, channel=channel)


def next_step(
    settings: CollectionSettings, days: SendingDays, facts: DocumentFacts, day: dt.date
) -> Step | NoStep:
    """What comes next for this document on or after ``day``, or why nothing will."""
    blocked = blocking_reason(settings, facts) or promise_wait(facts, day)
    if blocked is not None:
        return blocked
    if _reminder_possible(settings, facts):
        start, end = reminder_window(settings, facts)
        on = days.first_allowed(max(start, day), until=end)
        if on is not None:
            return with_channel(settings, Step("reminder", 0, on), facts)
    if not settings.demand_enabled:
        return NoStep("demands_off")
    if facts.demands_sent >= settings.demand_max_count:
        return NoStep(
            "max_demands", {"sent": facts.demands_sent, "max": settings.demand_max_count}
        )
    if facts.outstanding_pln < settings.demand_min_amount:
        return NoStep("below_demand_minimum", {"minimum": settings.demand_min_amount})
    on = days.first_allowed(max(earliest_demand(settings, facts), day))
    if on is None:
        return NoStep("no_allowed_day")
    return with_channel(settings, Step("demand", facts.demands_sent + 1, on), facts)


CHANNELS = ("email", "letter", "both")


def carries_registry_warning(settings: CollectionSettings, step: Step) -> bool:
    """The last demand carries the debtor-registry warning when Settings say so."""
    return (settings.registry_warning and step.kind == "demand"
            and step.number >= settings.demand_max_count)


def step_channel(settings: CollectionSettings, step: Step, has_email: bool,
                 has_address: bool, registry_by_email: bool = False) -> str | NoStep:
    """How ``step`` goes out (issue 16, docs/paper-design.md): ``email``, ``letter`` or
    ``both``, or why it cannot. The setting of its kind decides (the reminder, a demand,
    the last demand); a contractor without an e-mail address gets a letter instead; a
    letter needs a postal address. With the paper path off, every step is an e-mail —
    except the debtor-registry warning, which the act wants sent by registered letter,
    or by e-mail only to a business whose contract allows it (``registry_by_email``)."""
    if carries_registry_warning(settings, step) and not (registry_by_email and has_email):
        wanted = settings.letters_last_demand if settings.letters_enabled else "letter"
        if wanted == "email":
            wanted = "letter"
        if wanted == "both" and not has_email:
            wanted = "letter"
        return wanted if has_address else NoStep("no_address")
    if not settings.letters_enabled:
        return "email" if has_email else NoStep("no_email")
    if step.kind == "reminder":
        wanted = settings.letters_reminder
    elif step.number >= settings.demand_max_count:
        wanted = settings.letters_last_demand
    else:
        wanted = settings.letters_demand
    if wanted not in CHANNELS:
        raise ValueError(f"unknown channel {wanted!r} (use one of {', '.join(CHANNELS)})")
    if not has_email and wanted in ("email", "both"):
        wanted = "letter"
    if wanted == "email":
        return wanted
    if has_address:
        return wanted
    if wanted == "both":
        return "email"  # no address for the paper copy: the e-mail still goes
    return NoStep("no_address" if has_email else "no_contact")


def collection_expired(settings: CollectionSettings, facts: DocumentFacts, day: dt.date) -> bool:
    """The last allowed demand went out and repeat-every days passed unpaid (SPEC §4)."""
    return (
        facts.collection_ended_on is None
        and facts.outstanding_pln > 0
        and facts.demands_sent >= settings.demand_max_count
        and facts.last_demand_on is not None
        and day >= facts.last_demand_on + dt.timedelta(days=settings.demand_repeat_every_days)
    )


def after_sending(facts: DocumentFacts, step: Step) -> DocumentFacts:
    """The facts once ``step`` has gone out (used by the forecast's day-by-day walk)."""
    if step.kind == "reminder":
        return replace(facts, reminder_sent_on=step.on)
    return replace(facts, demands_sent=step.number, last_demand_on=step.on)
