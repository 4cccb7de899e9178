"""What the interface's status line says about collection: the last pass, the next
one, how many messages need a person, and whether the collection mailbox fails."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..dunning.facts import demand_hold_on
from ..ledger.clock import Clock
from ..ledger.settings import CollectionSettings
from ..models import MailboxState, Message, MessageState, PassRun


@dataclass(frozen=True)
class CollectionStatus:
    module_enabled: bool
    last_pass: PassRun | None
    next_pass: dt.datetime | None
    needs_attention: int
    # The newest bank statement, when demands wait for a newer one today.
    demands_held_since: dt.date | None = None
    # The failure code of a collection mailbox that cannot be read (issue 15), "" if none.
    mailbox_failure: str = ""


def next_pass_at(
    settings: CollectionSettings, now: dt.datetime, ran_today: bool
) -> dt.datetime | None:
    """When the worker will next run a pass: today at the set hour if today is allowed
    and has not had its pass (a missed hour runs at once, hence ``now``), else the
    next allowed day. None while the module is off or no day is allowed."""
    if not settings.module_enabled:
        return None
    today = now.date()
    days = settings.sending_days
    if not ran_today and days.is_allowed(today):
        return max(now, dt.datetime.combine(today, settings.schedule_time))
    day = days.first_allowed(today + dt.timedelta(days=1), today + dt.timedelta(days=400))
    return None if day is None else dt.datetime.combine(day, settings.schedule_time)


def mailbox_failure() -> str:
    """The failure of the first mailbox that cannot be read, "" when each can (one
    short read: a row per mailbox)."""
    failing = (MailboxState.select(MailboxState.failure).where(MailboxState.failure != "")
               .order_by(MailboxState.source).first())
    return failing.failure if failing is not None else ""


def collection_status(settings: CollectionSettings, clock: Clock,
                      answers: bool = True) -> CollectionStatus:
    """``answers``: False while the mailbox's table does not exist yet (a database older
    than migration 0015, which ``status`` reads without upgrading)."""
    # Imported here: the passes' module brings the whole engine (letters, Jinja2,
    # ReportLab), which the interface's first frame does not need.
    from ..dunning.passes import last_pass

    now = clock.local_now().replace(tzinfo=None)
    ran_today = PassRun.select().where(
        (PassRun.pass_date == now.date()) & PassRun.finished_at.is_null(False)
    ).exists()
    attention = Message.select().where(Message.state.in_(MessageState.NEEDS_ATTENTION)).count()
    hold = demand_hold_on(settings, now.date()) if settings.module_enabled else None
    return CollectionStatus(
        settings.module_enabled, last_pass(), next_pass_at(settings, now, ran_today), attention,
        hold.params["on"] if hold is not None else None,
        mailbox_failure() if answers else "",
    )
