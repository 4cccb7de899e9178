"""Property tests: random settings, documents and payments, simulated one pass a day.

Each simulated day the test does what a pass does for one document: ask ``step_due``,
record what it returns with ``after_sending``, then book the day's payments and end the
collection when ``collection_expired`` says so. The test keeps its own record of what was
sent and checks it against SPEC §4 after every step, and against an independent reading
of SPEC §4 (``spec_step``) every day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from hypothesis import event, given, settings
from hypothesis import strategies as st

from windykacja.dunning.policy import (
    DocumentFacts,
    NoStep,
    Step,
    after_sending,
    collection_expired,
    next_step,
    step_due,
)
from windykacja.ledger.calendar import is_polish_holiday, legal_due_date
from windykacja.ledger.settings import CollectionSettings
from windykacja.models.money import from_grosze

DAY = dt.timedelta(days=1)
SIMULATED_DAYS = 400
FIRST_DAY = dt.date(2024, 6, 1)
LAST_DAY = dt.date(2027, 12, 31)

mostly_true = st.sampled_from([True] * 9 + [False])
money = st.one_of(st.just(0), st.integers(1, 20_000), st.integers(1, 100_000)).map(from_grosze)


@st.composite
def collection_settings(draw) -> CollectionSettings:
    return CollectionSettings(
        module_enabled=draw(mostly_true),
        reminder_enabled=draw(mostly_true),
        reminder_min_amount=draw(money),
        reminder_days_before_due=draw(st.one_of(st.integers(0, 5), st.integers(0, 60))),
        demand_enabled=draw(mostly_true),
        demand_min_amount=draw(money),
        demand_first_after_days=draw(st.one_of(st.integers(1, 10), st.integers(1, 365))),
        demand_repeat_every_days=draw(st.one_of(st.integers(1, 10), st.integers(1, 365))),
        demand_max_count=draw(st.integers(1, 10)),
        schedule_weekdays=draw(st.frozensets(st.integers(0, 6), min_size=1)),
        schedule_skip_holidays=draw(st.booleans()),
    )


@dataclass(frozen=True)
class Document:
    issue_date: dt.date
    due_date: dt.date
    gross: Decimal
    subject_to_collection: bool
    contractor_subject_to_collection: bool
    has_email: bool
    recovery_case: int | None

    def facts(self) -> DocumentFacts:
        return DocumentFacts(
            issue_date=self.issue_date,
            due_date=self.due_date,
            legal_due_date=legal_due_date(self.due_date),
            outstanding_pln=self.gross,
            subject_to_collection=self.subject_to_collection,
            contractor_subject_to_collection=self.contractor_subject_to_collection,
            has_email=self.has_email,
            recovery_case=self.recovery_case,
        )


@st.composite
def documents(draw) -> Document:
    issue = draw(st.dates(FIRST_DAY, LAST_DAY))
    due = issue + DAY * draw(st.one_of(st.integers(0, 14), st.integers(0, 90)))
    return Document(
        issue_date=issue,
        due_date=due,
        gross=from_grosze(draw(st.integers(1, 500_000))),
        subject_to_collection=draw(mostly_true),
        contractor_subject_to_collection=draw(st.booleans()),
        has_email=draw(mostly_true),
        recovery_case=draw(st.sampled_from([None] * 9 + [12])),
    )


# (days after the issue date, amount)
payment_lists = st.lists(
    st.tuples(st.integers(-5, SIMULATED_DAYS), st.integers(1, 50_000).map(from_grosze)),
    max_size=3,
)


def allowed(config: CollectionSettings, day: dt.date) -> bool:
    """SPEC §4, read directly: weekday selected and, with the option on, not a holiday."""
    if day.weekday() not in config.schedule_weekdays:
        return False
    return not (config.schedule_skip_holidays and is_polish_holiday(day))


@dataclass
class Record:
    """The test's own ledger of what went out."""

    outstanding: Decimal
    reminder_on: dt.date | None = None
    demand_days: list[dt.date] = field(default_factory=list)
    ended_on: dt.date | None = None
    steps: list[Step] = field(default_factory=list)


def spec_step(config: CollectionSettings, doc: Document, rec: Record, day: dt.date):
    """What SPEC §4 says a pass on ``day`` sends, from the test's own ledger."""
    if not allowed(config, day):
        return None
    candidate = (
        config.module_enabled
        and doc.subject_to_collection
        and doc.recovery_case is None
        and doc.has_email
        and rec.outstanding > 0
        and rec.ended_on is None
    )
    if not candidate:
        return None
    t = doc.due_date - DAY * config.reminder_days_before_due
    if (
        config.reminder_enabled
        and rec.reminder_on is None
        and not rec.demand_days
        and doc.issue_date <= t <= day <= doc.due_date
        and rec.outstanding >= config.reminder_min_amount
    ):
        return ("reminder", 0)
    k = len(rec.demand_days)
    if config.demand_enabled and k < config.demand_max_count:
        if rec.outstanding < config.demand_min_amount:
            return None
        if k == 0:
            earliest = legal_due_date(doc.due_date) + DAY * config.demand_first_after_days
        else:
            earliest = rec.demand_days[-1] + DAY * config.demand_repeat_every_days
        if day >= earliest:
            return ("demand", k + 1)
    return None


def check_step(config: CollectionSettings, doc: Document, rec: Record, step: Step, day):
    """Every SPEC §4 rule a step that goes out on ``day`` must satisfy."""
    assert step.on == day
    assert (step.kind, step.number) not in {(s.kind, s.number) for s in rec.steps}
    assert all(s.on != day for s in rec.steps), "two steps in one day"
    assert day >= doc.issue_date
    assert allowed(config, day), f"{day} is not an allowed day"
    assert config.module_enabled
    assert doc.subject_to_collection and doc.recovery_case is None and doc.has_email
    assert rec.outstanding > 0
    assert rec.ended_on is None, "a step after the end of collection"
    if step.kind == "reminder":
        t = doc.due_date - DAY * config.reminder_days_before_due
        assert step.number == 0
        assert config.reminder_enabled
        assert rec.reminder_on is None and not rec.demand_days
        assert doc.issue_date <= t <= day <= doc.due_date
        assert rec.outstanding >= config.reminder_min_amount
    else:
        assert step.kind == "demand"
        assert config.demand_enabled
        assert step.number == len(rec.demand_days) + 1, "demands are numbered 1, 2, 3..."
        assert step.number <= config.demand_max_count
        assert rec.outstanding >= config.demand_min_amount
        legal = legal_due_date(doc.due_date)
        assert day > legal
        assert day >= legal + DAY * config.demand_first_after_days
        if rec.demand_days:
            assert day >= rec.demand_days[-1] + DAY * config.demand_repeat_every_days


@settings(max_examples=200, deadline=None)
@given(config=collection_settings(), doc=documents(), payments=payment_lists)
def test_simulated_passes_keep_every_rule(config, doc, payments):
    days = config.sending_days
    facts = doc.facts()
    rec = Record(outstanding=doc.gross)
    due_payments: dict[dt.date, Decimal] = {}
    for offset, amount in payments:
        on = doc.issue_date + DAY * offset
        due_payments[on] = due_payments.get(on, Decimal("0.00")) + amount

    day = doc.issue_date - DAY * 5
    for _ in range(SIMULATED_DAYS):
        assert facts.outstanding_pln == rec.outstanding
        expected = spec_step(config, doc, rec, day)
        step = step_due(config, days, facts, day)
        got = None if step is None else (step.kind, step.number)
        assert got == expected, f"on {day}: step_due {got}, SPEC §4 says {expected}"
        if step is not None:
            check_step(config, doc, rec, step, day)
            rec.steps.append(step)
            if step.kind == "reminder":
                rec.reminder_on = day
            else:
                rec.demand_days.append(day)
            facts = after_sending(facts, step)
            assert step_due(config, days, facts, day) is None, "a second step in one pass"

        if day in due_payments:
            rec.outstanding -= due_payments[day]
            facts = replace(facts, outstanding_pln=rec.outstanding)

        expired = collection_expired(config, facts, day)
        should_expire = (
            rec.ended_on is None
            and rec.outstanding > 0
            and len(rec.demand_days) >= config.demand_max_count
            and day >= rec.demand_days[-1] + DAY * config.demand_repeat_every_days
        )
        assert expired is should_expire
        if expired:
            # checked every day, so it ends exactly repeat-every days after the last
            # allowed demand unless the day's payment came first
            assert len(rec.demand_days) == config.demand_max_count
            rec.ended_on = day
            facts = replace(facts, collection_ended_on=day)
        day += DAY

    event(f"{len(rec.steps)} steps sent")
    event("collection expired" if rec.ended_on else "collection not expired")
    reminders = [s for s in rec.steps if s.kind == "reminder"]
    demands = [s.number for s in rec.steps if s.kind == "demand"]
    assert len(reminders) <= 1
    assert demands == list(range(1, len(demands) + 1))
    assert len(demands) <= config.demand_max_count
    if not config.module_enabled:
        assert rec.steps == []
    if rec.ended_on is not None:
        assert all(s.on < rec.ended_on for s in rec.steps)
        assert rec.ended_on == rec.demand_days[-1] + DAY * config.demand_repeat_every_days


@st.composite
def document_states(draw):
    """A document at some point of its collection, with its settings and a day to ask on."""
    config = draw(collection_settings())
    doc = draw(documents())
    facts = doc.facts()
    outstanding = draw(st.sampled_from([doc.gross, doc.gross, Decimal("0.00")]) | money)
    reminder_on = draw(
        st.one_of(st.none(), st.just(doc.due_date - DAY * config.reminder_days_before_due))
    )
    demands_sent = draw(st.integers(0, config.demand_max_count + 1))
    last_demand_on = None
    if demands_sent:
        first = facts.legal_due_date + DAY * config.demand_first_after_days
        last_demand_on = first + DAY * draw(st.integers(0, 400))
    facts = replace(
        facts,
        outstanding_pln=outstanding,
        reminder_sent_on=reminder_on,
        demands_sent=demands_sent,
        last_demand_on=last_demand_on,
        collection_ended_on=draw(st.sampled_from([None] * 19 + [doc.due_date])),
        unfinished_message=draw(st.sampled_from([None] * 19 + [(5, "in_doubt")])),
    )
    day = doc.issue_date + DAY * draw(st.integers(-10, 500))
    return config, facts, day


@settings(max_examples=200, deadline=None)
@given(state=document_states())
def test_next_step_predicts_the_pass(state):
    """Left alone, the document gets exactly the step ``next_step`` announced, on its day;
    and when ``next_step`` gives a reason instead, no pass sends anything."""
    config, facts, day = state
    days = config.sending_days
    outcome = next_step(config, days, facts, day)
    event(f"{outcome.kind} {outcome.number}" if isinstance(outcome, Step) else outcome.code)
    if isinstance(outcome, Step):
        assert outcome.on >= day
        assert days.is_allowed(outcome.on)
        probe = day
        while probe < outcome.on:
            assert step_due(config, days, facts, probe) is None, f"{probe} before {outcome}"
            probe += DAY
        assert step_due(config, days, facts, outcome.on) == outcome
    else:
        assert isinstance(outcome, NoStep)
        for offset in range(SIMULATED_DAYS):
            probe = day + DAY * offset
            assert step_due(config, days, facts, probe) is None, f"{outcome} but {probe}"
