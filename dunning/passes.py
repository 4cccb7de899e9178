"""One pass (SPEC §4): decide what is due on a day, render it, send it, record it.

Order of work, each step in short transactions of its own:
1. declare in doubt what a dead sender left in "sending" (we hold the lease now);
2. re-plan waiting messages whose documents changed since they were rendered;
3. end the collection of documents whose last demand has run its course;
4. plan: candidates from indexed queries → pure policy → one message per contractor
   and kind, plus owed end-of-collection reports;
5. send everything planned or retryable over one transport connection.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..models import (
    Document,
    DocumentStep,
    Message,
    MessageState,
    PassRun,
    database,
)
from .actions import EndReason, finish_collection
from .claims import load_law_tables
from .clock import Clock, utc_now_naive
from .facts import document_facts
from .lease import Lease
from .messages import PlannedStep, plan_contractor_message, plan_report
from .outbox import (
    StepRow,
    cancel,
    declare_in_doubt,
    mark_failed,
    mark_in_doubt,
    mark_sending,
    mark_sent,
    pages_to_send,
    report_events_without_report,
    steps_of,
)
from .planner import ContractorRow, expired_candidates, step_candidates
from .policy import NoStep, blocking_reason, held, step_due
from .render import load_overrides
from .settings import CollectionSettings
from .statements import demand_hold_on
from .transports import InDoubtSendError, PermanentSendError, RetryableSendError


@dataclass
class MessageOutcome:
    message_id: int
    kind: str
    recipients: str
    documents: list[str]
    state: str
    error: str = ""


@dataclass
class PassResult:
    day: dt.date
    skipped: str = ""  # why nothing ran: "module off", "not an allowed day"
    outcomes: list[MessageOutcome] = field(default_factory=list)
    finished: list[str] = field(default_factory=list)  # documents whose collection ended
    in_doubt: list[int] = field(default_factory=list)
    held: NoStep | None = None  # why demands waited in this pass, if they did

    def count(self, state: str) -> int:
        return sum(1 for o in self.outcomes if o.state == state)


def _replan_stale_messages(settings: CollectionSettings) -> None:
    """A message waiting to be sent (a retry, a resend, or one a crashed pass planned)
    goes out as rendered only if nothing about its documents changed since: a
    document paid, excluded or re-priced in between gets a fresh plan, or none."""
    waiting = [MessageState.PLANNED, MessageState.RETRY]
    # ids only: a day of retries after an outage is thousands of stored e-mails
    for message in Message.select(Message.id).where(Message.state.in_(waiting)):
        for step in DocumentStep.select().where(DocumentStep.message == message.id):
            if step.outstanding is None:
                continue  # reports state history, not amounts
            document = Document.get_by_id(step.document_id)
            facts = document_facts(document, document.contractor)
            if document.outstanding != step.outstanding or blocking_reason(settings, facts):
                cancel(message, "re-planned: a document changed before it was sent")
                break


def _finish_expired(clock: Clock, settings: CollectionSettings, day: dt.date) -> list[str]:
    ended = []
    for document in list(expired_candidates(settings, day)):
        with database.atomic():
            finish_collection(clock, settings, document, EndReason.MAX_DEMANDS, "system")
        ended.append(document.number)
    return ended


@dataclass(frozen=True)
class PlannedMessage:
    """What planning reports of a message it wrote; the rendered text stays stored
    (a big day renders tens of thousands of e-mails: keeping them here cost 100 MiB)."""

    id: int
    kind: str
    state: str


@dataclass
class DueSteps:
    """The steps due on a day, grouped one message per contractor and kind."""

    contractors: dict[int, ContractorRow]
    groups: dict[tuple[int, str], list[PlannedStep]]
    # Why demands wait today (a stale bank statement), if they do; reminders still go.
    hold: NoStep | None = None

    @property
    def step_count(self) -> int:
        return sum(len(steps) for steps in self.groups.values())


def decide_day(settings: CollectionSettings, day: dt.date) -> DueSteps:
    """Which steps are due on ``day``: the indexed candidates through the pure policy.
    Reads only; nothing is written until the messages are planned."""
    due = DueSteps({}, defaultdict(list), demand_hold_on(settings, day))
    seen: set[int] = set()
    for document in step_candidates(settings, day, day):
        if document.id in seen:
            continue
        seen.add(document.id)
        step = step_due(settings, settings.sending_days,
                        document_facts(document, document.contractor), day)
        if step is not None and held(step, due.hold) is step:
            due.contractors[document.contractor_id] = document.contractor
            due.groups[(document.contractor_id, step.kind)].append(PlannedStep(document, step))
    return due


def plan_day(clock: Clock, settings: CollectionSettings, day: dt.date,
             result: PassResult | None = None) -> list[PlannedMessage]:
    """Write the messages a pass on ``day`` sends; reports them (failed renders too),
    and the demand hold in ``result`` when one is given."""
    overrides = load_overrides()
    due = decide_day(settings, day)
    if result is not None:
        result.held = due.hold
    planned = []
    tables = load_law_tables() if due.groups else None
    for (contractor_id, kind), steps in sorted(due.groups.items()):
        message = plan_contractor_message(
            clock, settings, due.contractors[contractor_id], kind, steps, day, overrides,
            tables,
        )
        if message is not None:
            planned.append(PlannedMessage(message.id, message.kind, message.state))
    if settings.report_enabled and settings.report_email:
        for event in report_events_without_report():
            message = plan_report(clock, settings, event, day, overrides)
            if message is not None:
                planned.append(PlannedMessage(message.id, message.kind, message.state))
    return planned


def send_pending(
    clock: Clock,
    settings: CollectionSettings,
    transport,
    lease: Lease | None = None,
    on_message: Callable[[MessageOutcome], None] | None = None,
) -> list[MessageOutcome]:
    """Send every planned or retryable message over one connection, in id order."""
    outcomes = []
    sender = settings.sender_email or "windykacja@localhost"
    with transport:
        for page in pages_to_send():
            steps = steps_of([m.id for m in page])
            for message in page:
                if lease is not None:
                    lease.renew_if_due()
                outcome = _send_one(clock, transport, sender, message, steps[message.id])
                outcomes.append(outcome)
                if on_message is not None:
                    on_message(outcome)
    return outcomes


def send_messages(
    clock: Clock, settings: CollectionSettings, transport, message_ids: list[int],
    lease: Lease | None = None,
) -> list[MessageOutcome]:
    """Send these messages now, if they are still planned or retryable, exactly as a pass
    would (the same states, never twice): for a message that should not wait for the
    next pass, such as an order to an agency. The caller must hold the worker lease."""
    outcomes = []
    sender = settings.sender_email or "windykacja@localhost"
    waiting = [MessageState.PLANNED, MessageState.RETRY]
    messages = list(Message.select().where(Message.id.in_(message_ids)
                                           & Message.state.in_(waiting)).order_by(Message.id))
    if not messages:
        return outcomes
    steps = steps_of([m.id for m in messages])
    with transport:
        for message in messages:
            if lease is not None:
                lease.renew_if_due()
            outcomes.append(_send_one(clock, transport, sender, message, steps[message.id]))
    return outcomes


def _send_one(clock: Clock, transport, sender: str, message: Message,
              steps: list[StepRow]) -> MessageOutcome:
    mark_sending(message)
    error = ""
    try:
        result = transport.send(message.raw, sender, message.recipients.split("\n"))
    except RetryableSendError as exc:
        error = exc.reason
        mark_failed(clock, message, exc.reason, retryable=True)
    except PermanentSendError as exc:
        error = exc.reason
        mark_failed(clock, message, exc.reason, retryable=False)
    except InDoubtSendError as exc:
        error = exc.reason
        mark_in_doubt(clock, message, exc.reason)
    else:
        refused = getattr(result, "refused", None) or {}
        error = f"refused by the server: {', '.join(refused)}" if refused else ""
        mark_sent(clock, message, note=error, steps=steps)
    return MessageOutcome(
        message.id, message.kind, message.recipients.replace("\n", ", "),
        [s.document_number for s in steps], message.state, error,
    )


def _record_pass(clock: Clock, day: dt.date, result: PassResult | None) -> None:
    now = utc_now_naive(clock)
    with database.atomic():
        run = PassRun.get_or_none(PassRun.pass_date == day)
        if run is None:
            run = PassRun.create(pass_date=day, started_at=now)
        if result is not None:
            run.finished_at = now
            run.planned = len(result.outcomes)
            run.sent = result.count(MessageState.SENT)
            run.failed = len(result.outcomes) - run.sent
            run.save()


def run_pass(
    clock: Clock,
    settings: CollectionSettings,
    day: dt.date,
    transport,
    lease: Lease,
    on_message: Callable[[MessageOutcome], None] | None = None,
) -> PassResult:
    """A whole pass for ``day``; the caller must hold ``lease``."""
    result = PassResult(day)
    if not settings.module_enabled:
        result.skipped = "module off"
        return result
    if not settings.sending_days.is_allowed(day):
        result.skipped = "not an allowed day"
        return result
    lease.renew()
    _record_pass(clock, day, None)
    result.in_doubt = [m.id for m in declare_in_doubt(clock)]
    _replan_stale_messages(settings)
    result.finished = _finish_expired(clock, settings, day)
    plan_day(clock, settings, day, result)
    result.outcomes = send_pending(clock, settings, transport, lease, on_message)
    _record_pass(clock, day, result)
    return result


def last_pass() -> PassRun | None:
    return PassRun.select().order_by(PassRun.pass_date.desc()).first()


__all__ = ["MessageOutcome", "PassResult", "last_pass", "plan_day", "run_pass", "send_messages",
           "send_pending"]
