"""The debtor's answers in the pure rules (issue 15): a waiting reply and a dispute stop
the document; a promise waits until its date plus grace; a broken promise lets the next
step go on the next allowed day; a step sent since answers it.

The base document (tests/dunning/test_policy.py): issued 2026-10-19, due Monday
2026-11-02; first demand from Monday 2026-11-09, then every 14 days; every day allowed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from windykacja.dunning.policy import (
    DocumentFacts,
    NoStep,
    Step,
    after_sending,
    blocking_reason,
    earliest_demand,
    next_step,
    step_due,
)
from windykacja.dunning.wording import describe_reason
from windykacja.ledger.calendar import SendingDays
from windykacja.ledger.settings import CollectionSettings

DAYS = SendingDays(frozenset(range(7)), False)
SETTINGS = CollectionSettings(module_enabled=True)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def make_facts(**rest) -> DocumentFacts:
    """The base document of test_policy.py with ``rest`` (ISO strings for step dates)."""
    for name in ("reminder_sent_on", "last_demand_on"):
        if isinstance(rest.get(name), str):
            rest[name] = d(rest[name])
    return DocumentFacts(issue_date=d("2026-10-19"), due_date=d("2026-11-02"),
                         legal_due_date=d("2026-11-02"), outstanding_pln=Decimal("1000.00"),
                         **rest)


# Demand 1 went out on 2026-11-09; demand 2 would be due on 2026-11-23.
AFTER_ONE = make_facts(demands_sent=1, last_demand_on="2026-11-09")


def test_a_waiting_reply_stops_every_step_and_says_since_when():
    facts = replace(AFTER_ONE, reply_waiting_since=d("2026-11-12"))
    assert step_due(SETTINGS, DAYS, facts, d("2026-11-23")) is None
    outcome = next_step(SETTINGS, DAYS, facts, d("2026-11-23"))
    assert outcome == NoStep("reply_waiting", {"since": d("2026-11-12")})
    assert describe_reason(outcome) == "reply waiting since 12.11.2026"
    assert describe_reason(outcome, "pl") == "odpowiedź czeka od 12.11.2026"


def test_a_reminder_waits_for_a_reply_too():
    facts = make_facts(reply_waiting_since=d("2026-10-29"))
    assert step_due(SETTINGS, DAYS, facts, d("2026-10-30")) is None
    assert step_due(SETTINGS, DAYS, replace(facts, reply_waiting_since=None),
                    d("2026-10-30")) == Step("reminder", 0, d("2026-10-30"))


def test_a_dispute_stops_every_step_before_any_other_reason_but_paid():
    facts = replace(AFTER_ONE, disputed_since=d("2026-11-10"),
                    reply_waiting_since=d("2026-11-10"), has_email=False)
    assert blocking_reason(SETTINGS, facts) == NoStep("disputed", {"since": d("2026-11-10")})
    assert step_due(SETTINGS, DAYS, facts, d("2026-12-31")) is None
    paid = replace(facts, outstanding_pln=0)
    assert blocking_reason(SETTINGS, paid) == NoStep("paid")
    assert describe_reason(blocking_reason(SETTINGS, facts), "pl") == "sporny od 10.11.2026"


@pytest.mark.parametrize("day", ["2026-11-23", "2026-11-30", "2026-12-03"])
def test_a_promise_holds_the_next_step_until_its_date_plus_grace(day):
    facts = replace(AFTER_ONE, promised_until=d("2026-12-03"))
    assert step_due(SETTINGS, DAYS, facts, d(day)) is None
    assert next_step(SETTINGS, DAYS, facts, d(day)) == NoStep(
        "promised", {"until": d("2026-12-03")})


def test_after_an_unkept_promise_the_next_step_goes_the_next_day_not_after_the_spacing():
    # Demand 1 on 2026-11-20: demand 2 would wait until 2026-12-04. The promise ended on
    # 2026-11-25 unpaid, so demand 2 goes on 2026-11-26.
    facts = make_facts(demands_sent=1, last_demand_on="2026-11-20",
                       promised_until=d("2026-11-25"))
    assert step_due(SETTINGS, DAYS, facts, d("2026-11-25")) is None
    assert step_due(SETTINGS, DAYS, facts, d("2026-11-26")) == Step("demand", 2, d("2026-11-26"))
    broken = replace(facts, promised_until=None, promise_broken_on=d("2026-11-26"))
    assert earliest_demand(SETTINGS, broken) == d("2026-11-26")
    assert next_step(SETTINGS, DAYS, broken, d("2026-11-27")) == Step("demand", 2, d("2026-11-27"))


def test_a_step_sent_after_the_broken_promise_answers_it():
    broken = make_facts(demands_sent=1, last_demand_on="2026-11-20",
                        promise_broken_on=d("2026-11-26"))
    after = after_sending(broken, Step("demand", 2, d("2026-11-26")))
    # Demand 3 keeps the usual spacing from demand 2, not the day after the promise.
    assert earliest_demand(SETTINGS, after) == d("2026-12-10")
    assert step_due(SETTINGS, DAYS, after, d("2026-11-27")) is None


def test_the_forecast_view_of_an_open_promise_sends_one_step_then_the_usual_spacing():
    facts = make_facts(demands_sent=1, last_demand_on="2026-11-20",
                       promised_until=d("2026-11-25"))
    step = step_due(SETTINGS, DAYS, facts, d("2026-11-26"))
    assert step == Step("demand", 2, d("2026-11-26"))
    after = after_sending(facts, step)
    assert step_due(SETTINGS, DAYS, after, d("2026-11-27")) is None
    assert earliest_demand(SETTINGS, after) == d("2026-12-10")


def test_a_promise_lapsing_before_the_due_date_does_not_bring_a_demand_forward():
    facts = make_facts(promise_broken_on=d("2026-10-25"))
    assert earliest_demand(SETTINGS, facts) == d("2026-11-09")
    facts = make_facts(promised_until=d("2026-10-28"))
    assert step_due(SETTINGS, DAYS, facts, d("2026-11-03")) is None


def test_a_promise_that_ends_before_the_usual_day_changes_nothing_after_it():
    # Demand 1 on 2026-11-09, promise until 2026-11-30: demand 2 was due on 11-23
    # anyway, so it goes on 12-01, the first day after the promise.
    facts = replace(AFTER_ONE, promised_until=d("2026-11-30"))
    assert next_step(SETTINGS, DAYS, replace(facts, promised_until=None,
                                             promise_broken_on=d("2026-12-01")),
                     d("2026-12-01")) == Step("demand", 2, d("2026-12-01"))
    assert step_due(SETTINGS, DAYS, facts, d("2026-12-01")) == Step("demand", 2, d("2026-12-01"))


def test_the_words_of_a_promise_in_both_languages():
    reason = NoStep("promised", {"until": d("2026-12-15")})
    assert describe_reason(reason) == "promised to pay; waits until 15.12.2026"
    assert describe_reason(reason, "pl") == "obiecana zapłata; czeka do 15.12.2026"
