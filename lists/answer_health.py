"""What came back from debtors (issue 15) as ``windykacja status`` shows it, and what of
it needs a person.

Read from the database only (``status`` may run as another user than the worker, and
never touches the mailbox). What needs a person:

* replies waiting for a decision — each pauses the collection of its documents until a
  person decides in the Inbox; told with the day the oldest came, and how many of them
  nobody could match to a contractor (those pause nothing until assigned);
* a mailbox that cannot be read: its setup, a refused login or a missing folder at
  once, since nothing changes until a person acts; a server that cannot be reached or
  does not answer only once it has lasted ``MAILBOX_OUTAGE_GRACE``, since the next reads
  go on by themselves. Meanwhile bounces and replies are not seen: demands may go to a
  dead address, or to a debtor who has answered.

Told, but asking for nobody: broken promises not yet followed by a step (the next step
goes on the next allowed day by itself), open promises, open disputes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ..i18n import t, tn
from ..importers.inbox import FAILURE_WORDS
from ..ledger.names import day_text
from ..models import (
    Dispute,
    DisputeState,
    InboxMessage,
    InboxState,
    MailboxState,
    Promise,
    PromiseState,
)
from .arrivals import with_detail
from .inbox import waiting_counts
from .unpaid_list import Answer, UnpaidQuery, count_unpaid

#: One reason a person is needed: a code for scripts and the words (``health.Problem``).
Need = tuple[str, str]

#: Failures that last only until the server answers again: a person is asked only after.
MAILBOX_OUTAGE_GRACE = dt.timedelta(hours=3)
PASSING = frozenset({"unavailable", "timeout"})


@dataclass(frozen=True)
class AnswersView:
    """The debtors' answers and the mailboxes as ``status`` shows them."""

    waiting: int  # replies (and unmatched messages) waiting for a person
    oldest_waiting: dt.date | None
    unmatched: int  # of ``waiting``: not matched to any contractor
    mailboxes: tuple[MailboxState, ...]
    promises_open: int
    broken_not_followed: int  # unpaid documents with a broken promise and no step since
    disputes_open: int


def answers_view(today: dt.date) -> AnswersView:
    count, oldest = waiting_counts()
    return AnswersView(
        waiting=count,
        oldest_waiting=oldest,
        unmatched=InboxMessage.select().where((InboxMessage.state == InboxState.WAITING)
                                              & InboxMessage.contractor.is_null()).count(),
        mailboxes=tuple(MailboxState.select().order_by(MailboxState.source)),
        promises_open=Promise.select().where(Promise.state == PromiseState.OPEN).count(),
        broken_not_followed=count_unpaid(UnpaidQuery(today, answer=Answer.PROMISE_BROKEN)),
        disputes_open=Dispute.select().where(Dispute.state == DisputeState.OPEN).count(),
    )


def mailbox_failure(state: MailboxState) -> str:
    """A stored failure in words, with what the server said."""
    words = t(FAILURE_WORDS[state.failure]) if state.failure in FAILURE_WORDS \
        else state.failure  # a code of a newer program: as it is
    return with_detail(words, state.failure_detail)


def answer_problems(view: AnswersView, now_utc: dt.datetime,
                    moment: Callable[[dt.datetime], str]) -> list[Need]:
    """``moment``: a stored UTC time as the reader's local time."""
    problems: list[Need] = []
    if view.waiting and view.oldest_waiting is not None:
        text = tn(
            "{n} reply waits for a decision (since {day}): collection of its documents is "
            "paused until a person decides in the Inbox ('windykacja inbox list')",
            "{n} replies wait for a decision (the oldest since {day}): collection of their "
            "documents is paused until a person decides in the Inbox ('windykacja inbox "
            "list')", view.waiting, day=day_text(view.oldest_waiting))
        if view.unmatched:
            text += tn("; {n} of them is from an unknown sender: assign it to a contractor",
                       "; {n} of them are from unknown senders: assign them to contractors",
                       view.unmatched)
        problems.append(("reply_waiting", text))
    for state in view.mailboxes:
        if not state.failure:
            continue
        since = state.failing_since or state.last_run_at or now_utc
        if state.failure in PASSING and now_utc - since < MAILBOX_OUTAGE_GRACE:
            continue
        problems.append(("mailbox_failing", t(
            "the mailbox {source} cannot be read since {since}: {problem}; bounces and "
            "replies are not seen until it is mended (imap.url, inbox.maildir)",
            source=state.source, since=moment(since), problem=mailbox_failure(state))))
    return problems


def answer_lines(view: AnswersView) -> tuple[str, str, str]:
    """The replies, the promises and the disputes, each in a few words."""
    replies = tn("{n} waiting", "{n} waiting", view.waiting)
    if view.waiting and view.oldest_waiting is not None:
        replies = t("{replies}, the oldest since {day}", replies=replies,
                    day=day_text(view.oldest_waiting))
    if view.unmatched:
        replies = t("{replies}; {n} from unknown senders", replies=replies,
                    n=view.unmatched)
    promises = tn("{n} open", "{n} open", view.promises_open)
    if view.broken_not_followed:
        promises = t("{promises}; {broken}", promises=promises, broken=tn(
            "{n} document with a broken promise and no step since",
            "{n} documents with a broken promise and no step since",
            view.broken_not_followed))
    disputes = tn("{n} unresolved", "{n} unresolved", view.disputes_open)
    return replies, promises, disputes
