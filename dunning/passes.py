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

from ..ledger.actions import EndReason, finish_collection
from ..ledger.answers import settle_promises
from ..ledger.clock import Clock, utc_now_naive
from ..ledger.settings import CollectionSettings
from ..models import (
    Contractor,
    Document,
    DocumentStep,
    Message,
    MessageChannel,
    MessageKind,
    MessageState,
    PassRun,
    database,
    with_texts,
)
from ..models.sql import tuple_rows
from .claims import load_law_tables
from .facts import (
    AnswerMap,
    FailingMap,
    answers_by_document,
    demand_hold_on,
    document_facts,
    failing_by_contractor,
)
from .lease import Lease
from .messages import PlannedStep, plan_contractor_message, plan_report
from .outbox import (
    RecipientRow,
    StepRow,
    addresses_to_send,
    cancel,
    contractors_with_failing_addresses,
    declare_in_doubt,
    mark_recipients_sending,
    mark_sending,
    messages_with_deferred_recipients,
    pages_to_send,
    recipients_of,
    record_delivery,
    record_refusal,
    report_events_without_report,
    steps_of,
    withdraw_deferred_recipients,
)
from .planner import ContractorRow, expired_candidates, step_candidates
from .policy import NoStep, blocking_reason, held, promise_wait, step_due
from .render import load_overrides
from .transports import InDoubtSendError, PermanentSendError, RetryableSendError, Transport
from .verp import verp_sender


@dataclass
class MessageOutcome:
    message_id: int
    kind: str
    recipients: str
    documents: list[str]
    state: str
    error: str = ""
    # A sent message tried again for its deferred addresses only (``recipients``): its
    # step went out before, so a pass does not count it as a message again.
    again: bool = False


@dataclass
class PassResult:
    day: dt.date
    skipped: str = ""  # why nothing ran: "module off", "not an allowed day"
    outcomes: list[MessageOutcome] = field(default_factory=list)
    finished: list[str] = field(default_factory=list)  # documents whose collection ended
    in_doubt: list[int] = field(default_factory=list)
    held: NoStep | None = None  # why demands waited in this pass, if they did
    stopped: bool = False  # the process was stopping: the pass ended early (``StopCheck``)

    def count(self, state: str) -> int:
        return sum(1 for o in self.outcomes if o.state == state and not o.again)

    @property
    def messages(self) -> list[MessageOutcome]:
        """The messages tried for the first time or as a whole (not a retry of one
        address of a message already sent)."""
        return [o for o in self.outcomes if not o.again]


#: Asked between two chunks of planning and between two messages sent: True when the
#: process is stopping (a person quit the interface while its worker ran a pass). A pass
#: stopped there is whole as far as it went — each chunk of planning committed, each
#: message sent recorded as sent — and is not recorded as finished, so the next look at
#: the clock runs it again: it plans what is left and sends what waits, nothing twice
#: (the steps' unique constraint). At 1M documents a pass is minutes of work; without
#: this, quitting waited for all of it.
StopCheck = Callable[[], bool]


def _never() -> bool:
    return False


#: How many candidates ``decide_day`` reads between two looks at ``stop``.
STOP_EVERY = 256


class _Stopped(Exception):
    """A ``StopCheck`` said so: out of the loops it was asked in, nothing half-written."""


def _replan_stale_messages(settings: CollectionSettings, day: dt.date,
                           stop: StopCheck = _never) -> None:
    """A message waiting to be sent (a retry, a resend, or one a crashed pass planned)
    goes out as rendered only if nothing about its documents changed since: a
    document paid, excluded, re-priced, answered (a reply, a dispute, a promise) in
    between gets a fresh plan, or none. Each message is checked and withdrawn on its
    own, so a ``stop`` between two leaves the rest for the next pass."""
    waiting = [MessageState.PLANNED, MessageState.RETRY]
    failing = failing_by_contractor()
    answers = answers_by_document()
    # ids only: a day of retries after an outage is thousands of stored e-mails
    ids = [i for (i,) in tuple_rows(Message.select(Message.id)
                                    .where(Message.state.in_(waiting)).order_by(Message.id))]
    for start in range(0, len(ids), STALE_BATCH):
        batch = ids[start:start + STALE_BATCH]
        stale = _stale(settings, batch, failing, answers, day)
        for message_id in batch:
            if stop():
                return
            if message_id in stale:
                cancel(Message(id=message_id),
                       "re-planned: a document changed before it was sent")
    # A sent message waiting for an address that answered 4xx: the same check, so that a
    # document paid or excluded since is not demanded again at that address.
    deferred = messages_with_deferred_recipients()
    stale = _stale(settings, [m.id for m in deferred], failing, answers, day)
    for message in deferred:
        if stop():
            return
        if message.id in stale:
            withdraw_deferred_recipients(message)


#: Messages whose documents are read together by ``_stale`` (one query for their steps,
#: one for their documents, one for the contractors): one message at a time took 1.35 ms
#: each, 11 s for the 8,300 messages a stopped pass left waiting at 1M documents.
STALE_BATCH = 500


def _stale(settings: CollectionSettings, message_ids: list[int], failing: FailingMap,
           answers: AnswerMap, day: dt.date) -> set[int]:
    """Of ``message_ids``, those with a document paid, excluded or re-priced since the
    message was rendered, or whose debtor answered so that collection of it waits.
    (Withdrawing one message changes no other's answer: the facts come from the
    documents, their contractors and the maps read once.)"""
    steps = [(message_id, document_id, outstanding) for message_id, document_id, outstanding
             in tuple_rows(DocumentStep.select(DocumentStep.message, DocumentStep.document,
                                               DocumentStep.outstanding)
                           .where(DocumentStep.message.in_(message_ids)
                                  & DocumentStep.outstanding.is_null(False)))]
    if not steps:  # reports state history, not amounts
        return set()
    documents = {d.id: d for d in Document.select().where(
        Document.id.in_(list({document_id for _, document_id, _ in steps})))}
    contractors = {c.id: c for c in Contractor.select().where(
        Contractor.id.in_(list({d.contractor_id for d in documents.values()})))}
    stale: set[int] = set()
    for message_id, document_id, outstanding in steps:
        if message_id in stale:
            continue
        document = documents[document_id]
        facts = document_facts(document, contractors[document.contractor_id],
                               failing=failing, answers=answers)
        blocked = blocking_reason(settings, facts) or promise_wait(facts, day)
        if blocked is not None and blocked.code == "addresses_failing":
            blocked = None  # its own addresses: a person resent it, or one answered 4xx
        if document.outstanding != outstanding or blocked:
            stale.add(message_id)
    return stale


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
    # (contractor, kind, channel): one message each (a letter and an e-mail apart).
    groups: dict[tuple[int, str, str], list[PlannedStep]]
    # Why demands wait today (a stale bank statement), if they do; reminders still go.
    hold: NoStep | None = None
    # The addresses a server refused for good: a message goes to the others only.
    failing: FailingMap = field(default_factory=dict)

    @property
    def step_count(self) -> int:
        return sum(len(steps) for steps in self.groups.values())


def decide_day(settings: CollectionSettings, day: dt.date,
               stop: StopCheck = _never) -> DueSteps:
    """Which steps are due on ``day``: the indexed candidates through the pure policy.
    Reads only; nothing is written until the messages are planned. ``stop`` is asked
    every ``STOP_EVERY`` candidates (``_Stopped``: seconds of reading at 1M documents)."""
    due = DueSteps({}, defaultdict(list), demand_hold_on(settings, day), failing_by_contractor())
    answers = answers_by_document()
    seen: set[int] = set()
    for document in step_candidates(settings, day, day):
        if document.id in seen:
            continue
        if not len(seen) % STOP_EVERY and stop():
            raise _Stopped
        seen.add(document.id)
        step = step_due(settings, settings.sending_days,
                        document_facts(document, document.contractor, failing=due.failing,
                                       answers=answers), day)
        if step is not None and held(step, due.hold) is step:
            due.contractors[document.contractor_id] = document.contractor
            known = answers.get(document.id)
            due.groups[(document.contractor_id, step.kind, step.channel)].append(
                PlannedStep(document, step, known is not None
                            and known.promise_broken_on is not None))
    return due


#: Contractors' messages written in one transaction by ``plan_day``: about a tenth of a
#: second at 1M documents, as long as another session may wait to write (a commit per
#: message made planning a quarter slower: benchmarks/RESULTS.md, issue 17).
PLAN_CHUNK = 100


def plan_day(clock: Clock, settings: CollectionSettings, day: dt.date,
             result: PassResult | None = None, stop: StopCheck = _never
             ) -> list[PlannedMessage]:
    """Write the messages a pass on ``day`` sends; reports them (failed renders too),
    and the demand hold in ``result`` when one is given. ``stop``: see ``StopCheck``
    (``result.stopped`` says it ended early)."""
    overrides = load_overrides()
    try:
        due = decide_day(settings, day, stop)
    except _Stopped:
        if result is not None:
            result.stopped = True
        return []
    if result is not None:
        result.held = due.hold
    planned: list[PlannedMessage] = []
    tables = load_law_tables() if due.groups else None
    groups = sorted(due.groups.items())
    for start in range(0, len(groups), PLAN_CHUNK):
        if stop():
            if result is not None:
                result.stopped = True
            return planned
        # One transaction a chunk, each message a savepoint within it (messages._save):
        # a commit per message cost more than writing it, and a step another pass
        # planned first still loses only its own message.
        with database.atomic():
            for (contractor_id, kind, channel), steps in groups[start:start + PLAN_CHUNK]:
                message = plan_contractor_message(
                    clock, settings, due.contractors[contractor_id], kind, steps, day,
                    overrides, tables, due.failing.get(contractor_id), channel,
                )
                if message is not None:
                    planned.append(PlannedMessage(message.id, message.kind, message.state))
    if settings.report_enabled and settings.report_email:
        for event in report_events_without_report():
            message = plan_report(clock, settings, event, day, overrides)
            if message is not None:
                planned.append(PlannedMessage(message.id, message.kind, message.state))
    return planned


VERP_KINDS = (MessageKind.REMINDER, MessageKind.DEMAND)


def envelope_sender(settings: CollectionSettings, message: Message) -> str:
    """The SMTP envelope sender (where bounces go): the sender's address, or with
    ``smtp.verp`` a reminder's or demand's own return path (``verp.py``)."""
    sender = settings.sender_email or "windykacja@localhost"
    if settings.smtp_verp and message.kind in VERP_KINDS:
        return verp_sender(sender, message.message_id)
    return sender


def send_pending(
    clock: Clock,
    settings: CollectionSettings,
    transport: Transport,
    lease: Lease | None = None,
    on_message: Callable[[MessageOutcome], None] | None = None,
    stop: StopCheck = _never,
) -> list[MessageOutcome]:
    """Send every planned or retryable message over one connection, in id order;
    ``stop`` is asked before each (``StopCheck``: the rest waits for the next pass)."""
    outcomes: list[MessageOutcome] = []
    tried: set[int] = set()
    marked = contractors_with_failing_addresses()

    def report(outcome: MessageOutcome) -> None:
        outcomes.append(outcome)
        if on_message is not None:
            on_message(outcome)

    with transport:
        try:
            for page in pages_to_send():
                tried.update(m.id for m in page)
                _send_in_turn(clock, settings, transport, page, lease, report, marked, stop)
            # Sent messages with an address that answered 4xx on an earlier pass: the
            # same message to it alone (one sent in this very pass waits for the next).
            later = [m for m in messages_with_deferred_recipients() if m.id not in tried]
            if later:
                _send_in_turn(clock, settings, transport, later, lease, report, marked, stop)
        except _Stopped:
            pass
    return outcomes


def send_messages(
    clock: Clock, settings: CollectionSettings, transport: Transport, message_ids: list[int],
    lease: Lease | None = None,
) -> list[MessageOutcome]:
    """Send these messages now, if they are still planned or retryable, exactly as a pass
    would (the same states, never twice): for a message that should not wait for the
    next pass, such as an order to an agency. The caller must hold the worker lease."""
    outcomes: list[MessageOutcome] = []
    waiting = [MessageState.PLANNED, MessageState.RETRY]
    messages = with_texts(list(Message.select().where(Message.id.in_(message_ids)
                                                      & Message.state.in_(waiting)
                                                      & (Message.channel
                                                         == MessageChannel.EMAIL))
                               .order_by(Message.id)))
    if messages:
        with transport:
            _send_in_turn(clock, settings, transport, messages, lease, outcomes.append)
    return outcomes


def _send_in_turn(clock: Clock, settings: CollectionSettings, transport: Transport,
                  messages: list[Message], lease: Lease | None,
                  report: Callable[[MessageOutcome], None], marked: set[int] | None = None,
                  stop: StopCheck = _never) -> None:
    """Send ``messages`` one after another (``_send_one``), their steps and recipients
    read once; ``stop`` is asked before each (``_Stopped``)."""
    ids = [m.id for m in messages]
    steps, recorded = steps_of(ids), recipients_of(ids)
    for message in messages:
        if stop():
            raise _Stopped
        if lease is not None:
            lease.renew_if_due()
        report(_send_one(clock, transport, envelope_sender(settings, message), message,
                         steps[message.id], recorded[message.id], marked))


def _send_one(clock: Clock, transport: Transport, sender: str, message: Message,
              steps: list[StepRow], recorded: dict[str, RecipientRow],
              marked: set[int] | None = None) -> MessageOutcome:
    """One try of a message: to every address the first time, later only to those that
    neither accepted nor were refused for good (outbox.py, "each recipient's outcome").
    A sent message tried again for a deferred address reports ``again``: its step went
    out before and is not counted again."""
    targets = addresses_to_send(message, recorded)
    again = message.state == MessageState.SENT
    if again:
        mark_recipients_sending(message, recorded, targets)
    else:
        mark_sending(message)
    error = ""
    try:
        result = transport.send(message.raw, sender, targets)
    except InDoubtSendError as exc:
        error = exc.reason
        record_refusal(clock, message, recorded, targets, exc, exc.reason, in_doubt=True,
                       marked=marked)
    except (RetryableSendError, PermanentSendError) as exc:
        error = exc.reason
        if again and exc.refused:  # the one address tried: its own answer
            error = "; ".join(f"{a}: {r}" for a, r in exc.refused.items())
        record_refusal(clock, message, recorded, targets, exc, exc.reason,
                       retryable=isinstance(exc, RetryableSendError), marked=marked)
    else:
        error = record_delivery(clock, message, recorded, targets,
                                getattr(result, "refused", None) or {}, steps, marked)
    return MessageOutcome(
        message.id, message.kind, ", ".join(targets),
        [s.document_number for s in steps], message.state, error, again,
    )


def _record_pass(clock: Clock, day: dt.date, result: PassResult | None) -> None:
    now = utc_now_naive(clock)
    with database.atomic():
        run = PassRun.get_or_none(PassRun.pass_date == day)
        if run is None:
            run = PassRun.create(pass_date=day, started_at=now)
        if result is not None:
            run.finished_at = now
            run.planned = len(result.messages)
            run.sent = result.count(MessageState.SENT)
            run.failed = len(result.messages) - run.sent
            run.save()


def run_pass(
    clock: Clock,
    settings: CollectionSettings,
    day: dt.date,
    transport: Transport,
    lease: Lease,
    on_message: Callable[[MessageOutcome], None] | None = None,
    stop: StopCheck = _never,
) -> PassResult:
    """A whole pass for ``day``; the caller must hold ``lease``. ``stop``: see
    ``StopCheck`` — a pass stopped early is not recorded as finished."""
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
    settle_promises(clock)  # a promise kept by a payment, or broken by the calendar
    asked = _Asked(stop)
    _replan_stale_messages(settings, day, asked)
    if not asked():
        result.finished = _finish_expired(clock, settings, day)
        plan_day(clock, settings, day, result, asked)
    if not asked.stopped:
        result.outcomes = send_pending(clock, settings, transport, lease, on_message, asked)
    result.stopped = asked.stopped
    if not result.stopped:
        _record_pass(clock, day, result)
    return result


class _Asked:
    """A ``StopCheck`` that remembers whether it ever said stop (a stop asked for after
    the last message went out leaves a finished pass)."""

    def __init__(self, stop: StopCheck) -> None:
        self.stop, self.stopped = stop, False

    def __call__(self) -> bool:
        self.stopped = self.stopped or self.stop()
        return self.stopped


def last_pass() -> PassRun | None:
    return PassRun.select().order_by(PassRun.pass_date.desc()).first()


__all__ = ["MessageOutcome", "PassResult", "last_pass", "plan_day", "run_pass", "send_messages",
           "send_pending"]
