"""Whether collection runs unattended as it should: what ``windykacja status`` reports.

``check_health`` gathers the facts (the last pass, the next, the lease, the outbox by
state, the oldest in-doubt message, failed messages, the demand hold) and lists what
needs a person. The command turns that into an exit status for monitoring:

* ``OK`` (0): nothing to do — collection is off, or on and running;
* ``ATTENTION`` (1): a person must act; every reason is listed (``Problem``);
* ``UNKNOWN`` (2): the database could not be read (the command's business).

What needs a person, and how it is told from the database alone (the worker writes
nothing else down):

* a message *in doubt* or *failed* — never resent by itself;
* a message left *sending* while no live process holds the lease — its sender died;
  the next pass will declare it in doubt;
* the latest pass started and did not finish while the lease has lapsed — the worker
  died or gave up mid-pass; a pass still unfinished ``PASS_STUCK_AFTER`` after it
  started, with the lease alive, is a worker failing the same pass again and again
  (it retries every poll) or stuck;
* with collection on, allowed days without a pass — more than ``missed_days_allowed``
  of them; today counts once ``PASS_GRACE`` has passed after the set hour with no pass
  begun. Before the first pass ever, only today can count;
* demands held because the newest bank statement is stale — nobody is chased, and only
  importing a statement releases them;
* a contractor's address that a mail server refused for good (5xx, or 4xx after every
  retry) — later messages skip it, and with no working address left nobody is written
  to; only correcting the address clears it;
* demands of the coming days (the forecast's window) that lack a rate — their interest
  or compensation cannot be computed, so they would claim it in words; the problem names
  the command that adds the rate (``rate_gaps.py``);
* migrations not yet applied — the database is older than the program now installed,
  so the running worker is an old one; starting the program upgrades it;
* what arrives by itself (``arrivals.py``): the KSeF sync failing, invoices from KSeF
  refused, a watched folder missing or with refused files;
* what debtors answered (``answer_health.py``): replies waiting for a decision (with the
  oldest's day), and a collection mailbox that cannot be read.

A lapsed lease on its own is normal: a worker renews it only while it runs a pass.
The lease is compared with the wall clock (``lease_clock``), as the lease itself is,
even when the business day is simulated.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from ..dunning.forecast import coming_gaps
from ..dunning.lease import LEASE_NAME
from ..dunning.outbox import counts_by_state
from ..dunning.rate_gaps import describe_gap
from ..i18n import t, tn
from ..ledger.clock import Clock, SystemClock, utc_now_naive
from ..ledger.names import day_text, moment_text
from ..ledger.settings import CollectionSettings
from ..models import (
    Message,
    MessageRecipient,
    MessageState,
    PassRun,
    RecipientState,
    WorkerLease,
)
from ..models.sql import tuple_rows
from .answer_health import AnswersView, answer_problems, answers_view
from .arrivals import (
    FolderState,
    KsefView,
    folder_problems,
    folders_view,
    ksef_problems,
    ksef_view,
)
from .failing_addresses import FailingView, failing_addresses
from .letter_health import LettersView, letter_problems, letters_view
from .status import collection_status

OK, ATTENTION, UNKNOWN = 0, 1, 2
PASS_GRACE = dt.timedelta(hours=1)
PASS_STUCK_AFTER = dt.timedelta(hours=3)
MISSED_DAYS_LOOKBACK = 400  # allowed days are counted back this far at most
FAILED_LISTED = 5


@dataclass(frozen=True)
class Problem:
    """One reason a person is needed: ``code`` for scripts, ``text`` for people."""

    code: str
    text: str


@dataclass(frozen=True)
class LeaseState:
    holder: str
    expires_at: dt.datetime  # UTC
    live: bool


@dataclass(frozen=True)
class InDoubt:
    id: int
    created_at: dt.datetime  # UTC
    age: dt.timedelta
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class Health:
    now: dt.datetime  # company-local, naive
    module_enabled: bool
    last_pass: PassRun | None
    next_pass: dt.datetime | None  # company-local, naive
    lease: LeaseState | None
    outbox: dict[str, int]
    oldest_in_doubt: InDoubt | None
    failed_ids: tuple[int, ...]  # the first FAILED_LISTED, oldest first
    demands_held_since: dt.date | None
    last_finished: dt.date | None  # the day of the last pass that finished
    missed_days: int
    pending_migrations: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = field(default=())
    # Contractors' addresses a mail server refused for good (addresses.py), the first
    # FAILED_LISTED, and how many there are; addresses of sent messages left in doubt.
    failing_addresses: tuple[FailingView, ...] = ()
    failing_count: int = 0
    recipients_in_doubt: int = 0
    # The rates the demands of the coming days lack (rate_gaps.GapSummary): they would
    # claim the interest in words and the compensation in EUR only.
    rate_gaps: tuple = ()
    # The KSeF connection and the watched folders (arrivals.py); None while the database
    # lacks their tables (migrations 0014, 0013 pending).
    ksef: KsefView | None = None
    folders: tuple[FolderState, ...] | None = None
    # The debtors' answers and the mailboxes (answer_health.py); None while the database
    # lacks their tables (migration 0015 pending).
    answers: AnswersView | None = None
    # Letters on paper (letter_health.py); None while migration 0016 is pending.
    letters: LettersView | None = None

    @property
    def exit_code(self) -> int:
        return ATTENTION if self.problems else OK


def _lease(lease_clock: Clock) -> LeaseState | None:
    row = WorkerLease.get_or_none(WorkerLease.name == LEASE_NAME)
    if row is None:
        return None
    return LeaseState(row.holder, row.expires_at, row.expires_at > utc_now_naive(lease_clock))


def _oldest_in_doubt(now_utc: dt.datetime) -> InDoubt | None:
    message = (Message.select(Message.id, Message.created_at, Message.recipients)
               .where(Message.state == MessageState.IN_DOUBT)
               .order_by(Message.created_at, Message.id).first())
    if message is None:
        return None
    recipients = tuple(r for r in message.recipients.split("\n") if r)
    return InDoubt(message.id, message.created_at, max(dt.timedelta(0),
                   now_utc - message.created_at), recipients)


def _failed_ids() -> tuple[int, ...]:
    rows = tuple_rows(Message.select(Message.id).where(Message.state == MessageState.FAILED)
                      .order_by(Message.id).limit(FAILED_LISTED))
    return tuple(i for (i,) in rows)


def last_finished_pass_day() -> dt.date | None:
    row = (PassRun.select(PassRun.pass_date).where(PassRun.finished_at.is_null(False))
           .order_by(PassRun.pass_date.desc()).first())
    return None if row is None else row.pass_date


def missed_pass_days(
    settings: CollectionSettings, now: dt.datetime, last_finished: dt.date | None
) -> int:
    """Allowed days without a pass since the last finished one (``now`` company-local):
    the days strictly between, and today once ``PASS_GRACE`` after the set hour has gone
    with no pass begun today. Zero while collection is off."""
    if not settings.module_enabled:
        return 0
    today = now.date()
    days = settings.sending_days
    missed = 0
    if last_finished is not None:
        start = max(last_finished + dt.timedelta(days=1),
                    today - dt.timedelta(days=MISSED_DAYS_LOOKBACK))
        day = start
        while day < today:
            missed += days.is_allowed(day)
            day += dt.timedelta(days=1)
    started_today = PassRun.select().where(PassRun.pass_date == today).exists()
    hour_gone = now >= dt.datetime.combine(today, settings.schedule_time) + PASS_GRACE
    if days.is_allowed(today) and hour_gone and not started_today:
        missed += 1
    return missed


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def describe_age(age: dt.timedelta) -> str:
    """``3 d 4 h``, ``5 h 12 min``, ``7 min``: how long ago, to a person's precision."""
    minutes = int(age.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return t("{days} d {hours} h", days=days, hours=hours)
    if hours:
        return t("{hours} h {minutes} min", hours=hours, minutes=minutes)
    return t("{minutes} min", minutes=minutes)


def _problems(health: Health, settings: CollectionSettings, now_utc: dt.datetime,
              missed_days_allowed: int) -> list[Problem]:
    problems = _outbox_problems(health)
    problems += _pass_problems(health, settings, now_utc, missed_days_allowed)
    problems += _address_problems(health, settings)
    for gap in health.rate_gaps:
        problems.append(Problem("rate_missing", describe_gap(gap)))
    zone = ZoneInfo(settings.timezone)
    if health.ksef is not None:
        problems += [Problem(code, text) for code, text in ksef_problems(
            health.ksef, now_utc, lambda utc: moment_text(utc, zone))]
    if health.folders is not None:
        problems += [Problem(code, text) for code, text in folder_problems(health.folders)]
    if health.answers is not None:
        problems += [Problem(code, text) for code, text in answer_problems(
            health.answers, now_utc, lambda utc: moment_text(utc, zone))]
    if health.letters is not None:
        problems += [Problem(code, text) for code, text in letter_problems(health.letters)]
    if health.pending_migrations:
        problems.append(Problem("schema_old", tn(
            "the database is older than this program ({n} migration to apply): restart the "
            "worker or open the interface, which upgrade it",
            "the database is older than this program ({n} migrations to apply): restart the "
            "worker or open the interface, which upgrade it", len(health.pending_migrations))))
    return problems


def _outbox_problems(health: Health) -> list[Problem]:
    """Messages in doubt, failed for good, or left sending by a worker that died."""
    problems = []
    outbox = health.outbox
    in_doubt = outbox.get(MessageState.IN_DOUBT, 0)
    oldest = health.oldest_in_doubt
    # Counted and read in turn: a message settled between the two reads may leave none.
    if in_doubt and oldest is not None:
        problems.append(Problem("in_doubt", tn(
            "{n} message is in doubt (may or may not have gone out; the oldest #{oldest}): "
            "check with the recipient, then 'outbox mark-sent ID' or 'outbox resend ID'",
            "{n} messages are in doubt (may or may not have gone out; the oldest #{oldest}): "
            "check with the recipient, then 'outbox mark-sent ID' or 'outbox resend ID'",
            in_doubt, oldest=oldest.id)))
    failed = outbox.get(MessageState.FAILED, 0)
    if failed:
        problems.append(Problem("failed", tn(
            "{n} message failed for good: 'windykacja outbox' says why; fix the address or "
            "the server, then 'outbox resend ID'",
            "{n} messages failed for good: 'windykacja outbox' says why; fix the address or "
            "the server, then 'outbox resend ID'", failed)))
    lease_live = health.lease is not None and health.lease.live
    sending = outbox.get(MessageState.SENDING, 0)
    if sending and not lease_live:
        problems.append(Problem("sender_died", tn(
            "{n} message was being sent by a worker that stopped (no live lease): the next "
            "pass declares it in doubt",
            "{n} messages were being sent by a worker that stopped (no live lease): the next "
            "pass declares them in doubt", sending)))
    return problems


def _pass_problems(health: Health, settings: CollectionSettings, now_utc: dt.datetime,
                   missed_days_allowed: int) -> list[Problem]:
    """The last pass stopped or stuck, days without a pass, demands held."""
    problems = []
    lease_live = health.lease is not None and health.lease.live
    run = health.last_pass
    if run is not None and run.finished_at is None:
        running_for = now_utc - run.started_at
        if not lease_live:
            zone = ZoneInfo(settings.timezone)
            started = run.started_at.replace(tzinfo=dt.UTC).astimezone(zone)
            problems.append(Problem("pass_stopped", t(
                "the pass for {day} started at {when} ({zone}) and stopped unfinished (its "
                "worker died or failed): see the worker's log", day=day_text(run.pass_date),
                when=started.strftime("%d.%m.%Y %H:%M"), zone=settings.timezone)))
        elif running_for >= PASS_STUCK_AFTER:
            problems.append(Problem("pass_stuck", t(
                "the pass for {day} has been unfinished for {age}: the worker is failing or "
                "stuck; see its log", day=day_text(run.pass_date),
                age=describe_age(running_for))))
    if health.missed_days > missed_days_allowed:
        since = t(" since {day}", day=day_text(health.last_finished)) \
            if health.last_finished else ""
        problems.append(Problem("no_pass", tn(
            "no pass on {n} allowed day{since}: is the worker running? ('windykacja worker', "
            "the systemd unit, or cron)",
            "no pass on {n} allowed days{since}: is the worker running? ('windykacja worker', "
            "the systemd unit, or cron)", health.missed_days, since=since)))
    if health.demands_held_since is not None:
        problems.append(Problem("demands_held", tn(
            "demands are held: the newest bank statement is of {day}, older than {n} day; "
            "import a newer one ('windykacja import statement FILE')",
            "demands are held: the newest bank statement is of {day}, older than {n} days; "
            "import a newer one ('windykacja import statement FILE')",
            settings.statement_hold_days, day=day_text(health.demands_held_since))))
    return problems


def _address_effect(failing: FailingView, letters: bool) -> str:
    if failing.others_work:
        return t("messages go to its other addresses only")
    if letters and failing.has_address:
        return t("no e-mail can reach this contractor; its steps go by letter meanwhile")
    return t("no message can reach this contractor")


def _address_problems(health: Health, settings: CollectionSettings) -> list[Problem]:
    """Addresses that refused mail, and addresses a dead sender left in doubt."""
    problems = []
    for failing in health.failing_addresses:
        problems.append(Problem("address_failing", t(
            "address {address} of {contractor} refused: {reply}, {day}; {effect} — correct "
            "the address in the contractor's card",
            address=failing.address,
            contractor=failing.contractor_code + " (" + failing.contractor_name + ")",
            reply=failing.reply,
            day=day_text(failing.day),
            effect=_address_effect(failing, settings.letters_enabled))))
    if health.failing_count > len(health.failing_addresses):
        more = health.failing_count - len(health.failing_addresses)
        problems.append(Problem("address_failing", tn(
            "{n} more failing address: see the unpaid list's next step",
            "{n} more failing addresses: see the unpaid list's next step", more)))
    if health.recipients_in_doubt:
        problems.append(Problem("recipient_in_doubt", tn(
            "{n} address of a sent message is in doubt (the sender stopped while sending to "
            "it): 'windykacja outbox' lists it; check with the recipient, then "
            "'outbox mark-sent ID' or 'outbox resend ID'",
            "{n} addresses of sent messages are in doubt (the sender stopped while sending to "
            "them): 'windykacja outbox' lists them; check with the recipients, then "
            "'outbox mark-sent ID' or 'outbox resend ID'", health.recipients_in_doubt)))
    return problems


def _recipient_health(pending_migrations: tuple[str, ...]) -> dict:
    """Failing addresses and addresses in doubt — once their tables exist (a database
    older than migration 0010 has none; ``status`` says it needs upgrading)."""
    if any(name.startswith("0010_") for name in pending_migrations):
        return {}
    failing = failing_addresses()
    return {
        "failing_addresses": tuple(failing[:FAILED_LISTED]),
        "failing_count": len(failing),
        "recipients_in_doubt": MessageRecipient.select().where(
            MessageRecipient.state == RecipientState.IN_DOUBT).count(),
    }


def _arrivals(settings: CollectionSettings, pending_migrations: tuple[str, ...]) -> dict:
    """The KSeF connection and the watched folders — once their tables exist."""
    out: dict = {}
    if not any(name.startswith("0013_") for name in pending_migrations):
        out["folders"] = folders_view(settings)
    if not any(name.startswith("0014_") for name in pending_migrations):
        out["ksef"] = ksef_view(settings)
    return out


def answers_ready(pending_migrations: tuple[str, ...]) -> bool:
    """Whether the answers' tables exist (migration 0015 applied)."""
    return not any(name.startswith("0015_") for name in pending_migrations)


def letters_ready(pending_migrations: tuple[str, ...]) -> bool:
    """Whether the letters' and the registry's tables exist (migrations 0016, 0017)."""
    return not any(name.startswith(("0016_", "0017_")) for name in pending_migrations)


def check_health(
    settings: CollectionSettings, clock: Clock, *, lease_clock: Clock | None = None,
    missed_days_allowed: int = 0, pending_migrations: tuple[str, ...] = (),
) -> Health:
    """Read everything ``windykacja status`` shows and decide what needs a person.
    Reads only; raises whatever the database raises when it cannot be read."""
    now = clock.local_now().replace(tzinfo=None)
    now_utc = utc_now_naive(clock)
    ready = answers_ready(tuple(pending_migrations))
    status = collection_status(settings, clock, answers=ready)
    last_finished = last_finished_pass_day()
    health = Health(
        now=now,
        module_enabled=settings.module_enabled,
        last_pass=status.last_pass,
        next_pass=status.next_pass,
        lease=_lease(lease_clock or SystemClock()),
        outbox=counts_by_state(),
        oldest_in_doubt=_oldest_in_doubt(now_utc),
        failed_ids=_failed_ids(),
        demands_held_since=status.demands_held_since,
        last_finished=last_finished,
        missed_days=missed_pass_days(settings, now, last_finished),
        pending_migrations=tuple(pending_migrations),
        **_recipient_health(pending_migrations),
        rate_gaps=coming_gaps(settings, now.date()),
        **_arrivals(settings, pending_migrations),
        answers=answers_view(now.date()) if ready else None,
        letters=letters_view(now.date()) if letters_ready(tuple(pending_migrations)) else None,
    )
    problems = _problems(health, settings, now_utc, missed_days_allowed)
    return dataclasses.replace(health, problems=tuple(problems))
