"""Letters on paper and the debtor registry as ``status`` shows them (issue 16): the
print queue, the letters printed and not confirmed posted, those that cannot be printed,
the debtors who may be reported, and the updates the registry must be asked for.

A printed letter's step counts only once a person confirms its posting, and no pass
prints it again: until then ``status`` asks for the confirmation (or a reprint), every
time, so that a letter left in a drawer is not forgotten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from ..i18n import tn
from ..ledger.names import day_text
from ..models import Letter, LetterBatch, Message, MessageChannel, MessageState
from ..models.sql import tuple_rows
from .registry import debtor_states, updates_due

Need = tuple[str, str]


@dataclass(frozen=True)
class LettersView:
    to_print: int
    printed: int  # printed, not confirmed posted
    oldest_printed: dt.date | None  # the day of the oldest batch among them
    failed: int  # letters that cannot be printed as they stand (a person mends them)
    # The debtor registry (registry.py): debtors who may be reported today and are not
    # yet; reported claims the bureau must be asked to update, the earliest deadline.
    reportable: int = 0
    updates: int = 0
    update_by: dt.date | None = None


def letters_view(today: dt.date) -> LettersView:
    counts: dict[str, int] = dict(tuple_rows(
        Message.select(Message.state, fn.COUNT(Message.id))
        .where(Message.channel == MessageChannel.LETTER).group_by(Message.state)))
    oldest = (LetterBatch.select(fn.MIN(LetterBatch.day)).join(Letter)
              .join(Message).where(Message.state == MessageState.PRINTED).scalar())
    if isinstance(oldest, str):  # SQLite hands an aggregate's date back as text
        oldest = dt.date.fromisoformat(oldest)
    reportable = sum(1 for state in debtor_states(today)
                     if state.report is None and state.eligibility.reportable)
    due = updates_due()
    return LettersView(counts.get(MessageState.PLANNED, 0), counts.get(MessageState.PRINTED, 0),
                       oldest, counts.get(MessageState.FAILED, 0), reportable, len(due),
                       min((u.due_by for u in due), default=None))


def letter_problems(view: LettersView) -> list[Need]:
    problems: list[Need] = []
    if view.to_print:
        problems.append(("letters_to_print", tn(
            "{n} letter waits to be printed ('windykacja letters print', or the print queue: "
            "key 0)",
            "{n} letters wait to be printed ('windykacja letters print', or the print queue: "
            "key 0)", view.to_print)))
    if view.printed and view.oldest_printed is not None:
        problems.append(("letters_not_posted", tn(
            "{n} printed letter is not confirmed posted (printed {day}): its step does not "
            "count until it is ('windykacja letters post ID:NUMBER --on DAY')",
            "{n} printed letters are not confirmed posted (the oldest printed {day}): their "
            "steps do not count until they are ('windykacja letters post ID:NUMBER --on DAY')",
            view.printed, day=day_text(view.oldest_printed))))
    if view.updates and view.update_by is not None:
        problems.append(("registry_update", tn(
            "the debtor registry must be asked to update {n} reported claim after a payment "
            "or a change, by {day} (art. 29 of the act of 9 April 2010): 'windykacja "
            "registry list', then 'windykacja registry updated CODE'",
            "the debtor registry must be asked to update {n} reported claims after a payment "
            "or a change, the first by {day} (art. 29 of the act of 9 April 2010): "
            "'windykacja registry list', then 'windykacja registry updated CODE'",
            view.updates, day=day_text(view.update_by))))
    return problems


def registry_line(view: LettersView) -> str:
    return " · ".join((
        tn("{n} debtor may be reported", "{n} debtors may be reported", view.reportable),
        tn("{n} update due", "{n} updates due", view.updates)))


def letter_line(view: LettersView) -> str:
    parts = [tn("{n} to print", "{n} to print", view.to_print),
             tn("{n} printed, not posted", "{n} printed, not posted", view.printed)]
    if view.failed:
        parts.append(tn("{n} cannot be printed", "{n} cannot be printed", view.failed))
    return " · ".join(parts)
