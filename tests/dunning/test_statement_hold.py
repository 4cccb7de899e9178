"""Demands wait while the newest imported bank statement is older than N days (default 3),
so nobody is chased for money that has already arrived; reminders still go."""

import datetime as dt
from pathlib import Path

import pytest

from windykacja.dunning.history import document_next_step
from windykacja.dunning.passes import plan_day
from windykacja.dunning.policy import NoStep, Step, demand_hold, held
from windykacja.dunning.wording import describe_next
from windykacja.importers.statements import import_statement
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.lists.status import collection_status
from windykacja.models import Message

SAMPLE = Path(__file__).parent.parent / "importers" / "data" / "mt940_pl_sample.sta"
STATEMENT_DAY = dt.date(2026, 3, 16)  # the sample's closing balance date
day = dt.date


@pytest.mark.parametrize(("hold_days", "newest", "today", "is_held"), [
    (3, day(2026, 3, 16), day(2026, 3, 19), False),  # three days old: still fresh
    (3, day(2026, 3, 16), day(2026, 3, 20), True),   # four days old: demands wait
    (0, day(2026, 3, 16), day(2026, 12, 1), False),  # 0 switches the hold off
    (3, None, day(2026, 12, 1), False),              # never imported a statement: no hold
])
def test_the_hold_day_by_day(hold_days, newest, today, is_held):
    assert (demand_hold(hold_days, newest, today) is not None) == is_held


def test_a_hold_turns_only_demands_into_its_reason():
    hold = NoStep("statement_stale", {"on": day(2026, 3, 16), "days": 3})
    assert held(Step("demand", 1, day(2026, 3, 20)), hold) is hold
    reminder = Step("reminder", 0, day(2026, 3, 20))
    assert held(reminder, hold) is reminder
    assert describe_next(hold, "pl") == ("wezwania wstrzymane: najnowszy wyciąg bankowy jest z "
                                         "16.03.2026 (starszy niż 3 dni)")
    one_day = NoStep("statement_stale", {"on": day(2026, 3, 16), "days": 1})
    assert describe_next(one_day, "pl").endswith("(starszy niż 1 dzień)")
    assert describe_next(one_day, "en").endswith("older than 1 day")


@pytest.fixture
def ledger(collection, clock):
    import_statement(SAMPLE, clock, load_settings())
    contractor = collection.contractor()
    overdue = collection.document(contractor, day(2026, 3, 2), number="LATE")
    soon = collection.document(contractor, day(2026, 3, 22), number="SOON")
    return overdue, soon


def test_a_stale_statement_holds_demands_but_not_reminders(ledger, clock):
    overdue, _ = ledger
    clock.day = day(2026, 3, 20)
    plan_day(clock, load_settings(), clock.day)
    assert [m.kind for m in Message.select()] == ["reminder"]
    assert describe_next(document_next_step(load_settings(), overdue, clock.day)) == (
        "demands held: the newest bank statement is from 16.03.2026, older than 3 days")
    assert collection_status(load_settings(), clock).demands_held_since == STATEMENT_DAY


def test_demands_go_when_the_statement_is_fresh_or_the_hold_is_off(ledger, clock):
    clock.day = day(2026, 3, 19)
    plan_day(clock, load_settings(), clock.day)
    assert sorted(m.kind for m in Message.select()) == ["demand", "reminder"]
    save_settings({"statement.hold_days": "0"}, "test", clock.now())
    clock.day = day(2026, 3, 20)
    assert collection_status(load_settings(), clock).demands_held_since is None
