"""SPEC §4, sentence by sentence, against the pure collection rules.

Every table row is one concrete document on one concrete day with the exact step (or no
step) the rules must produce. The base document is issued Monday 2026-10-19 and due
Monday 2026-11-02 (a business day, so its legal due date is the same day); with the
default settings its reminder window is Friday 2026-10-30 .. 2026-11-02 and its first
demand is due Monday 2026-11-09.
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
    collection_expired,
    earliest_demand,
    next_step,
    reminder_window,
    step_due,
)
from windykacja.dunning.wording import describe_next, describe_reason, describe_step
from windykacja.ledger.calendar import SendingDays, legal_due_date
from windykacja.ledger.settings import CollectionSettings

DATE_FIELDS = ("reminder_sent_on", "last_demand_on", "collection_ended_on")
ALL_WEEK = frozenset(range(7))


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def make_settings(**overrides) -> CollectionSettings:
    return replace(CollectionSettings(module_enabled=True), **overrides)


def make_facts(
    issue: str = "2026-10-19", due: str = "2026-11-02", outstanding: str = "1000.00", **rest
) -> DocumentFacts:
    for name in DATE_FIELDS:
        if isinstance(rest.get(name), str):
            rest[name] = d(rest[name])
    due_date = d(due)
    return DocumentFacts(
        issue_date=d(issue),
        due_date=due_date,
        legal_due_date=legal_due_date(due_date),
        outstanding_pln=Decimal(outstanding),
        **rest,
    )


def case(case_id: str, day: str, expected, settings: dict | None = None, **facts):
    """expected: None, "reminder" or ("demand", k)."""
    return pytest.param(settings or {}, facts, day, expected, id=case_id)


def expected_step(expected, day: dt.date) -> Step | None:
    if expected is None:
        return None
    if expected == "reminder":
        return Step("reminder", 0, day)
    kind, number = expected
    return Step(kind, number, day)


D1 = ("demand", 1)
D2 = ("demand", 2)

STEP_DUE_CASES = [
    # "A pass is run for a date D (today, or a simulated date). Only allowed days send: a day
    # is **allowed** if its weekday is selected and, with the holiday option on, it is not a
    # Polish public holiday."
    case("allowed-monday-sends", "2026-11-09", D1),
    case("weekday-not-selected", "2026-11-09", None, {"schedule_weekdays": frozenset({1, 2})}),
    case("next-selected-weekday", "2026-11-10", D1, {"schedule_weekdays": frozenset({1, 2})}),
    case("saturday-not-selected", "2026-11-14", None),
    case("saturday-selected", "2026-11-14", D1, {"schedule_weekdays": ALL_WEEK}),
    case("sunday-selected", "2026-11-15", D1, {"schedule_weekdays": frozenset({6})}),
    # Due Wednesday 2026-11-04 -> E = Wednesday 2026-11-11, Independence Day.
    case("holiday-option-on", "2026-11-11", None, due="2026-11-04"),
    case("holiday-option-off-sends", "2026-11-11", D1, {"schedule_skip_holidays": False},
         due="2026-11-04"),
    case("day-after-holiday", "2026-11-12", D1, due="2026-11-04"),
    case("christmas-eve-option-on", "2026-12-24", None, due="2026-12-16"),
    case("christmas-eve-option-off", "2026-12-24", D1, {"schedule_skip_holidays": False},
         due="2026-12-16"),
    # "On a day that is not allowed, a pass records nothing and sends nothing."
    case("reminder-window-sunday", "2026-11-01", None),
    case("reminder-window-monday", "2026-11-02", "reminder"),
    case("reminder-on-holiday-due", "2026-11-11", None, {"reminder_days_before_due": 0},
         due="2026-11-11"),
    case("reminder-on-holiday-option-off", "2026-11-11", "reminder",
         {"reminder_days_before_due": 0, "schedule_skip_holidays": False}, due="2026-11-11"),
    # "A document is a **candidate** on D when: the module is on; its flag is on; it has no
    # active recovery case; its contractor has an e-mail address; its outstanding amount is
    # above zero."
    case("candidate-control", "2026-11-09", D1),
    case("candidate-reminder-control", "2026-10-30", "reminder"),
    case("module-off", "2026-11-09", None, {"module_enabled": False}),
    case("module-off-no-reminder", "2026-10-30", None, {"module_enabled": False}),
    case("document-flag-off", "2026-11-09", None, subject_to_collection=False),
    case("document-flag-off-no-reminder", "2026-10-30", None, subject_to_collection=False),
    case("both-flags-off", "2026-11-09", None, subject_to_collection=False,
         contractor_subject_to_collection=False),
    # SPEC §3: the contractor's flag only seeds new documents; the document's flag decides.
    case("contractor-flag-off-document-on", "2026-11-09", D1,
         contractor_subject_to_collection=False),
    case("recovery-case", "2026-11-09", None, recovery_case=12),
    case("recovery-case-no-reminder", "2026-10-30", None, recovery_case=12),
    case("no-email", "2026-11-09", None, has_email=False),
    case("no-email-no-reminder", "2026-10-30", None, has_email=False),
    case("outstanding-zero", "2026-11-09", None, outstanding="0.00"),
    case("outstanding-zero-no-reminder", "2026-10-30", None, outstanding="0.00"),
    case("overpaid", "2026-11-09", None, outstanding="-0.01"),
    case("one-grosz-outstanding", "2026-11-09", D1, outstanding="0.01"),
    case("collection-finished", "2026-11-30", None, demands_sent=3,
         last_demand_on="2026-11-09", collection_ended_on="2026-11-23"),
    case("message-unfinished", "2026-11-09", None, unfinished_message=(7, "in_doubt")),
    # "Amount thresholds compare the outstanding amount converted to PLN (with the document's
    # exchange rate when it has one; PLN documents as they are); an outstanding amount equal to
    # the minimum qualifies."
    case("demand-min-equal", "2026-11-09", D1, {"demand_min_amount": Decimal("200.00")},
         outstanding="200.00"),
    case("demand-min-grosz-below", "2026-11-09", None, {"demand_min_amount": Decimal("200.00")},
         outstanding="199.99"),
    case("demand-min-grosz-above", "2026-11-09", D1, {"demand_min_amount": Decimal("200.00")},
         outstanding="200.01"),
    case("reminder-min-equal", "2026-10-30", "reminder",
         {"reminder_min_amount": Decimal("200.00")}, outstanding="200.00"),
    case("reminder-min-grosz-below", "2026-10-30", None,
         {"reminder_min_amount": Decimal("200.00")}, outstanding="199.99"),
    # 50.00 EUR at 4.30 = 215.00 PLN: under a 200.00 minimum in EUR, over it in PLN.
    case("eur-converted-reaches-minimum", "2026-11-09", D1,
         {"demand_min_amount": Decimal("200.00")},
         outstanding=str(Decimal("50.00") * Decimal("4.30"))),
    case("eur-converted-equal-minimum", "2026-11-09", D1,
         {"demand_min_amount": Decimal("215.00")},
         outstanding=str(Decimal("50.00") * Decimal("4.30"))),
    # 46.51 EUR at 4.30 = 199.993 PLN: below 200.00 PLN.
    case("eur-converted-below-minimum", "2026-11-09", None,
         {"demand_min_amount": Decimal("200.00")},
         outstanding=str(Decimal("46.51") * Decimal("4.30"))),
    # "**Reminder.** Let T = due date − days-before. A candidate with no reminder yet gets one on
    # the first allowed day D with T ≤ D ≤ due date, if its outstanding amount reaches the
    # reminder minimum."
    # Due Thursday 2026-11-19, 2 days before: T = Tuesday 2026-11-17.
    case("reminder-T-minus-1", "2026-11-16", None, {"reminder_days_before_due": 2},
         due="2026-11-19"),
    case("reminder-T", "2026-11-17", "reminder", {"reminder_days_before_due": 2},
         due="2026-11-19"),
    case("reminder-inside-window", "2026-11-18", "reminder", {"reminder_days_before_due": 2},
         due="2026-11-19"),
    case("reminder-due-date", "2026-11-19", "reminder", {"reminder_days_before_due": 2},
         due="2026-11-19"),
    case("reminder-due-plus-1", "2026-11-20", None, {"reminder_days_before_due": 2},
         due="2026-11-19"),
    # default 3 days before: T = Monday 2026-11-16
    case("reminder-default-T-minus-1", "2026-11-13", None, due="2026-11-19"),
    case("reminder-default-T", "2026-11-16", "reminder", due="2026-11-19"),
    # days before = 0: on the due date only
    case("reminder-0-day-before", "2026-11-18", None, {"reminder_days_before_due": 0},
         due="2026-11-19"),
    case("reminder-0-due-date", "2026-11-19", "reminder", {"reminder_days_before_due": 0},
         due="2026-11-19"),
    case("reminder-0-day-after", "2026-11-20", None, {"reminder_days_before_due": 0},
         due="2026-11-19"),
    case("reminder-60-days-before", "2026-09-21", "reminder", {"reminder_days_before_due": 60},
         issue="2026-09-01", due="2026-11-20"),
    case("reminder-60-day-before-T", "2026-09-18", None, {"reminder_days_before_due": 60},
         issue="2026-09-01", due="2026-11-20"),
    # Due Tuesday 2026-11-24, 3 days before: T = Saturday -> first allowed day Monday.
    case("reminder-T-saturday", "2026-11-21", None, due="2026-11-24"),
    case("reminder-T-saturday-monday", "2026-11-23", "reminder", due="2026-11-24"),
    case("reminder-window-holiday-skipped", "2026-11-11", None, due="2026-11-12"),
    case("reminder-after-holiday", "2026-11-12", "reminder", due="2026-11-12"),
    case("reminder-already-sent", "2026-11-18", None, {"reminder_days_before_due": 2},
         due="2026-11-19", reminder_sent_on="2026-11-17"),
    case("reminders-disabled", "2026-11-18", None,
         {"reminder_days_before_due": 2, "reminder_enabled": False}, due="2026-11-19"),
    case("reminder-below-minimum", "2026-11-18", None,
         {"reminder_days_before_due": 2, "reminder_min_amount": Decimal("500.00")},
         due="2026-11-19", outstanding="499.99"),
    case("reminder-minimum-not-demand-minimum", "2026-11-18", "reminder",
         {"reminder_days_before_due": 2, "demand_min_amount": Decimal("500.00")},
         due="2026-11-19", outstanding="10.00"),
    # "A document whose issue date is after T gets no reminder."
    case("issue-on-T-reminded", "2026-11-17", "reminder", {"reminder_days_before_due": 2},
         issue="2026-11-17", due="2026-11-19"),
    case("issue-after-T-not-reminded", "2026-11-18", None, {"reminder_days_before_due": 2},
         issue="2026-11-18", due="2026-11-19"),
    case("issue-after-T-not-on-due", "2026-11-19", None, {"reminder_days_before_due": 2},
         issue="2026-11-18", due="2026-11-19"),
    case("issued-on-due-0-days", "2026-11-19", "reminder", {"reminder_days_before_due": 0},
         issue="2026-11-19", due="2026-11-19"),
    # "**Demands.** A document is overdue only after its **legal due date**: the due date, moved
    # to the next day that is not a Saturday, Sunday or Polish public holiday when it falls on
    # one (Civil Code art. 115 — the customer may still pay on time that day)."
    # Due Saturday 2026-11-14, legal due Monday 2026-11-16; first demand counts from Monday.
    case("saturday-due-1-day-monday", "2026-11-16", None, {"demand_first_after_days": 1},
         due="2026-11-14"),
    case("saturday-due-1-day-tuesday", "2026-11-17", D1, {"demand_first_after_days": 1},
         due="2026-11-14"),
    case("saturday-due-3-days-not-tuesday", "2026-11-17", None, {"demand_first_after_days": 3},
         due="2026-11-14"),
    case("saturday-due-3-days-not-wednesday", "2026-11-18", None,
         {"demand_first_after_days": 3}, due="2026-11-14"),
    case("saturday-due-3-days-thursday", "2026-11-19", D1, {"demand_first_after_days": 3},
         due="2026-11-14"),
    # contrast: due Friday 2026-11-13, E = Saturday -> the first demand goes out on Monday
    case("friday-due-1-day-monday", "2026-11-16", D1, {"demand_first_after_days": 1},
         due="2026-11-13"),
    case("saturday-due-default-friday", "2026-11-20", None, due="2026-11-14"),
    case("saturday-due-default-monday", "2026-11-23", D1, due="2026-11-14"),
    # Due Christmas Eve 2026 -> legal due Monday 2026-12-28 -> E = Monday 2027-01-04.
    case("christmas-due-plus-7", "2026-12-31", None, due="2026-12-24"),
    case("christmas-legal-due-plus-6", "2027-01-03", None, {"schedule_weekdays": ALL_WEEK},
         due="2026-12-24"),
    case("christmas-legal-due-plus-7", "2027-01-04", D1, due="2026-12-24"),
    case("holiday-due-1-day", "2026-11-12", None, {"demand_first_after_days": 1},
         due="2026-11-11"),
    case("holiday-due-1-day-after-legal", "2026-11-13", D1, {"demand_first_after_days": 1},
         due="2026-11-11"),
    # "Let k be the number of demands already sent. If k < the maximum and the outstanding
    # amount reaches the demand minimum, demand k+1 is due on the first allowed day on or
    # after E, where E = legal due date + first-after days for k = 0, and E = (the date
    # demand k was actually sent) + repeat-every days for k ≥ 1."
    case("first-after-8-day-before-E", "2026-11-09", None, {"demand_first_after_days": 8}),
    case("first-after-8-on-E", "2026-11-10", D1, {"demand_first_after_days": 8}),
    case("first-after-365", "2027-11-02", D1, {"demand_first_after_days": 365}),
    case("first-after-365-day-before", "2027-11-01", None, {"demand_first_after_days": 365}),
    # E on Sunday 2026-11-08 -> Monday
    case("E-sunday-friday-before", "2026-11-06", None, {"demand_first_after_days": 6}),
    case("E-sunday-monday", "2026-11-09", D1, {"demand_first_after_days": 6}),
    case("E-long-past-still-demand-1", "2027-02-01", D1),
    case("demand-2-day-before-E", "2026-11-23", None, demands_sent=1,
         last_demand_on="2026-11-10", reminder_sent_on="2026-10-30"),
    case("demand-2-on-E", "2026-11-24", D2, demands_sent=1, last_demand_on="2026-11-10"),
    # demand 1 was due 2026-11-09 but actually went out on Friday 2026-11-13
    case("demand-2-counts-from-actual-send", "2026-11-23", None, demands_sent=1,
         last_demand_on="2026-11-13"),
    case("demand-2-actual-send-plus-14", "2026-11-27", D2, demands_sent=1,
         last_demand_on="2026-11-13"),
    case("demand-2-E-holiday", "2026-11-11", None, {"demand_repeat_every_days": 1},
         demands_sent=1, last_demand_on="2026-11-10"),
    case("demand-2-E-holiday-next-day", "2026-11-12", D2, {"demand_repeat_every_days": 1},
         demands_sent=1, last_demand_on="2026-11-10"),
    case("demand-2-E-sunday-monday", "2026-11-16", D2, {"demand_repeat_every_days": 6},
         demands_sent=1, last_demand_on="2026-11-09"),
    case("demand-3-of-3", "2026-12-07", ("demand", 3), demands_sent=2,
         last_demand_on="2026-11-23"),
    case("max-3-reached", "2026-12-21", None, demands_sent=3, last_demand_on="2026-12-07"),
    case("max-3-reached-long-after", "2027-06-01", None, demands_sent=3,
         last_demand_on="2026-12-07"),
    case("max-5-demand-4", "2026-12-21", ("demand", 4), {"demand_max_count": 5},
         demands_sent=3, last_demand_on="2026-12-07"),
    case("max-1-reached", "2026-12-21", None, {"demand_max_count": 1}, demands_sent=1,
         last_demand_on="2026-11-09"),
    case("max-10-demand-10", "2026-12-21", ("demand", 10), {"demand_max_count": 10},
         demands_sent=9, last_demand_on="2026-12-07"),
    case("max-10-reached", "2026-12-21", None, {"demand_max_count": 10}, demands_sent=10,
         last_demand_on="2026-12-07"),
    case("demand-2-min-equal", "2026-11-24", D2, {"demand_min_amount": Decimal("200.00")},
         outstanding="200.00", demands_sent=1, last_demand_on="2026-11-10"),
    case("demand-2-min-grosz-below", "2026-11-24", None,
         {"demand_min_amount": Decimal("200.00")}, outstanding="199.99", demands_sent=1,
         last_demand_on="2026-11-10"),
    case("demand-min-not-reminder-min", "2026-11-09", D1,
         {"reminder_min_amount": Decimal("5000.00")}, outstanding="10.00"),
    case("demands-disabled", "2026-11-09", None, {"demand_enabled": False}),
    # "A document gets at most one message per pass; a pass that finds several steps overdue
    # (the machine was off for a week) sends only the next one, and the interval counts from
    # that day."
    case("week-gap-only-demand-1", "2026-11-16", D1,
         {"demand_first_after_days": 1, "demand_repeat_every_days": 1}),
    case("week-gap-only-demand-2", "2026-11-16", D2, {"demand_repeat_every_days": 1},
         demands_sent=1, last_demand_on="2026-11-06"),
    case("reminder-missed-no-late-reminder", "2026-11-09", D1),
    # "**Catch-up.** ... Days missed entirely are not replayed one by one: the next pass simply
    # finds what is due."
    case("catch-up-after-a-month", "2026-12-14", ("demand", 3), demands_sent=2,
         last_demand_on="2026-11-16"),
    # "If a paid document becomes unpaid again (a payment is removed), collection resumes
    # where it stopped."
    case("unpaid-again-resumes-at-demand-2", "2026-12-14", D2, demands_sent=1,
         last_demand_on="2026-11-09", reminder_sent_on="2026-10-30"),
]


@pytest.mark.parametrize("settings_kw, facts_kw, day, expected", STEP_DUE_CASES)
def test_step_due(settings_kw, facts_kw, day, expected):
    settings = make_settings(**settings_kw)
    facts = make_facts(**facts_kw)
    on = d(day)
    assert step_due(settings, settings.sending_days, facts, on) == expected_step(expected, on)


# "A document gets at most one message per pass; a pass that finds several steps overdue (the
# machine was off for a week) sends only the next one, and the interval counts from that day."
def test_week_long_gap_sends_only_the_next_step_and_counts_from_that_day():
    settings = make_settings(demand_first_after_days=1, demand_repeat_every_days=2)
    days = settings.sending_days
    facts = make_facts()  # due Monday 2026-11-02 -> demand 1 due Tuesday 2026-11-03
    # The machine is off until Monday 2026-11-16: demands 1..3 would all be overdue by now.
    day = d("2026-11-16")
    step = step_due(settings, days, facts, day)
    assert step == Step("demand", 1, day)
    facts = after_sending(facts, step)
    assert facts.demands_sent == 1 and facts.last_demand_on == day
    # a second look in the same pass finds nothing more
    assert step_due(settings, days, facts, day) is None
    assert step_due(settings, days, facts, d("2026-11-17")) is None
    # the interval counts from the day demand 1 actually went out
    assert step_due(settings, days, facts, d("2026-11-18")) == Step("demand", 2, d("2026-11-18"))
    assert next_step(settings, days, facts, d("2026-11-17")) == Step("demand", 2, d("2026-11-18"))


def test_day_by_day_walk_sends_one_step_a_day_on_the_expected_days():
    """The forecast walk: same functions as the pass, one step per document and day."""
    settings = make_settings(demand_first_after_days=1, demand_repeat_every_days=2)
    days = settings.sending_days
    facts = make_facts(issue="2026-11-02", due="2026-11-19")
    sent = []
    day = d("2026-11-14")
    while day <= d("2026-12-06"):
        step = step_due(settings, days, facts, day)
        if step is not None:
            sent.append(step.describe())
            facts = after_sending(facts, step)
        day += dt.timedelta(days=1)
    assert sent == [
        "reminder on 2026-11-16",  # T = Monday 2026-11-16
        "demand 1 on 2026-11-20",  # legal due Thursday 2026-11-19 + 1
        "demand 2 on 2026-11-23",  # Sunday 2026-11-22 -> Monday
        "demand 3 on 2026-11-25",
    ]
    assert collection_expired(settings, facts, d("2026-11-26")) is False
    assert collection_expired(settings, facts, d("2026-11-27")) is True


# "**Grouping.** All of one contractor's messages of the same kind in one pass go out as one
# e-mail listing every document (each document still counts its own reminder or demand)."
def test_documents_of_one_contractor_count_their_own_demands():
    settings = make_settings()
    day = d("2026-12-07")
    first = make_facts(due="2026-11-20")  # E = 2026-11-27; demand 1 overdue
    second = make_facts(demands_sent=2, last_demand_on="2026-11-23")
    steps = [step_due(settings, settings.sending_days, f, day) for f in (first, second)]
    assert steps == [Step("demand", 1, day), Step("demand", 3, day)]


# --- after_sending, helpers ----------------------------------------------------------------


def test_after_sending_a_reminder_records_only_the_reminder():
    facts = make_facts()
    after = after_sending(facts, Step("reminder", 0, d("2026-10-30")))
    assert after == replace(facts, reminder_sent_on=d("2026-10-30"))
    assert after.demands_sent == 0 and after.last_demand_on is None


def test_after_sending_a_demand_records_its_number_and_day():
    facts = make_facts(demands_sent=1, last_demand_on="2026-11-09")
    after = after_sending(facts, Step("demand", 2, d("2026-11-25")))
    assert after.demands_sent == 2
    assert after.last_demand_on == d("2026-11-25")
    assert after.reminder_sent_on is None


def test_reminder_window_and_earliest_demand():
    settings = make_settings(reminder_days_before_due=5, demand_first_after_days=10)
    facts = make_facts(due="2026-11-14")  # Saturday -> legal due Monday 2026-11-16
    assert reminder_window(settings, facts) == (d("2026-11-09"), d("2026-11-14"))
    assert earliest_demand(settings, facts) == d("2026-11-26")
    later = make_facts(due="2026-11-14", demands_sent=2, last_demand_on="2026-12-01")
    assert earliest_demand(settings, later) == d("2026-12-15")


def test_default_settings_match_the_wizard():
    settings = CollectionSettings()
    assert settings.module_enabled is False  # off until the wizard is completed
    assert settings.reminder_enabled is True
    assert settings.reminder_min_amount == Decimal("0.00")
    assert settings.reminder_days_before_due == 3
    assert settings.demand_enabled is True
    assert settings.demand_min_amount == Decimal("0.00")
    assert settings.demand_first_after_days == 7
    assert settings.demand_repeat_every_days == 14
    assert settings.demand_max_count == 3
    assert settings.schedule_weekdays == frozenset({0, 1, 2, 3, 4})
    assert settings.schedule_time == dt.time(9, 0)
    assert settings.schedule_skip_holidays is True
    assert settings.sending_days == SendingDays(frozenset({0, 1, 2, 3, 4}), True)


def test_module_off_by_default_sends_nothing():
    settings = CollectionSettings()
    assert step_due(settings, settings.sending_days, make_facts(), d("2026-11-09")) is None
    assert next_step(settings, settings.sending_days, make_facts(), d("2026-11-09")) == NoStep(
        "module_off"
    )


# --- next step, or why not -------------------------------------------------------------------

# "**Next step, or why not.** For any document and date the engine can say what comes next and
# when ("demand 2 on 2026-12-07") or why nothing will ("contractor excluded", "below the demand
# minimum of 200.00 PLN", "no e-mail address", "3 of 3 demands sent", "in recovery case 12")."


def nxt(case_id, day, expected, english, polish, settings=None, **facts):
    return pytest.param(settings or {}, facts, day, expected, english, polish, id=case_id)


NEXT_STEP_CASES = [
    nxt("reminder-ahead", "2026-11-02", Step("reminder", 0, d("2026-11-16")),
        "reminder on 16.11.2026", "przypomnienie dnia 16.11.2026", issue="2026-11-02",
        due="2026-11-19"),
    nxt("reminder-today", "2026-11-17", Step("reminder", 0, d("2026-11-17")),
        "reminder on 17.11.2026", "przypomnienie dnia 17.11.2026", issue="2026-11-02",
        due="2026-11-19"),
    nxt("reminder-T-saturday-to-monday", "2026-11-02", Step("reminder", 0, d("2026-11-23")),
        "reminder on 23.11.2026", "przypomnienie dnia 23.11.2026", issue="2026-11-02",
        due="2026-11-24"),
    # days before = 0, due Saturday: the window has no allowed day, the next step is demand 1
    # from the legal due date Monday 2026-11-16 + 7.
    nxt("empty-reminder-window-demand-1", "2026-11-02", Step("demand", 1, d("2026-11-23")),
        "demand 1 on 23.11.2026", "wezwanie 1 dnia 23.11.2026", {"reminder_days_before_due": 0},
        issue="2026-11-02", due="2026-11-14"),
    nxt("issued-after-T-demand-1", "2026-11-18", Step("demand", 1, d("2026-11-26")),
        "demand 1 on 26.11.2026", "wezwanie 1 dnia 26.11.2026", issue="2026-11-18",
        due="2026-11-19"),
    nxt("reminder-below-minimum-demand-1", "2026-10-20", Step("demand", 1, d("2026-11-09")),
        "demand 1 on 09.11.2026", "wezwanie 1 dnia 09.11.2026",
        {"reminder_min_amount": Decimal("5000.00")}),
    nxt("reminders-off-demand-1", "2026-10-20", Step("demand", 1, d("2026-11-09")),
        "demand 1 on 09.11.2026", "wezwanie 1 dnia 09.11.2026", {"reminder_enabled": False}),
    nxt("window-passed-demand-1", "2026-11-03", Step("demand", 1, d("2026-11-09")),
        "demand 1 on 09.11.2026", "wezwanie 1 dnia 09.11.2026"),
    nxt("demand-1-overdue-today", "2026-11-20", Step("demand", 1, d("2026-11-20")),
        "demand 1 on 20.11.2026", "wezwanie 1 dnia 20.11.2026"),
    nxt("demand-1-overdue-saturday-to-monday", "2026-11-21", Step("demand", 1, d("2026-11-23")),
        "demand 1 on 23.11.2026", "wezwanie 1 dnia 23.11.2026"),
    nxt("demand-2-on-2026-12-07", "2026-11-24", Step("demand", 2, d("2026-12-07")),
        "demand 2 on 07.12.2026", "wezwanie 2 dnia 07.12.2026", demands_sent=1,
        last_demand_on="2026-11-23", reminder_sent_on="2026-10-30"),
    nxt("christmas-legal-due", "2026-12-22", Step("demand", 1, d("2027-01-04")),
        "demand 1 on 04.01.2027", "wezwanie 1 dnia 04.01.2027", due="2026-12-24",
        reminder_sent_on="2026-12-21"),
    nxt("demand-2-after-holiday", "2026-11-10", Step("demand", 2, d("2026-11-12")),
        "demand 2 on 12.11.2026", "wezwanie 2 dnia 12.11.2026", {"demand_repeat_every_days": 1},
        demands_sent=1, last_demand_on="2026-11-10"),
    nxt("module-off", "2026-11-09", NoStep("module_off"), "collection module is off",
        "moduł windykacji jest wyłączony", {"module_enabled": False}),
    nxt("document-excluded", "2026-11-09", NoStep("excluded"),
        "document excluded from collection", "dokument wyłączony z windykacji",
        subject_to_collection=False),
    nxt("contractor-excluded", "2026-11-09", NoStep("contractor_excluded"),
        "contractor excluded", "kontrahent wyłączony z windykacji",
        subject_to_collection=False, contractor_subject_to_collection=False),
    nxt("in-recovery-case-12", "2026-11-09", NoStep("in_recovery", {"case": 12}),
        "in recovery case 12", "w sprawie windykacyjnej 12", recovery_case=12),
    nxt("paid", "2026-11-09", NoStep("paid"), "paid in full", "zapłacono w całości",
        outstanding="0.00"),
    nxt("no-email", "2026-11-09", NoStep("no_email"), "no e-mail address",
        "brak adresu e-mail", has_email=False),
    nxt("finished", "2026-12-08", NoStep("finished", {"on": d("2026-12-07")}),
        "collection finished on 07.12.2026", "windykacja zakończona 07.12.2026",
        demands_sent=3, last_demand_on="2026-11-23", collection_ended_on="2026-12-07"),
    nxt("message-pending", "2026-11-09", NoStep("message_pending", {"message": 41,
        "state": "in_doubt"}), "message 41 waiting in the outbox (in doubt)",
        "wiadomość 41 czeka w skrzynce nadawczej (niepewna)",
        unfinished_message=(41, "in_doubt")),
    nxt("demands-off", "2026-11-09", NoStep("demands_off"), "demands are switched off",
        "wezwania są wyłączone", {"demand_enabled": False}),
    nxt("3-of-3-demands", "2026-12-08", NoStep("max_demands", {"sent": 3, "max": 3}),
        "3 of 3 demands sent", "wysłano wezwań: 3 z 3", demands_sent=3,
        last_demand_on="2026-11-23"),
    nxt("1-of-1-demands", "2026-12-08", NoStep("max_demands", {"sent": 1, "max": 1}),
        "1 of 1 demand sent", "wysłano wezwań: 1 z 1", {"demand_max_count": 1},
        demands_sent=1, last_demand_on="2026-11-23"),
    nxt("below-demand-minimum-200", "2026-11-09",
        NoStep("below_demand_minimum", {"minimum": Decimal("200.00")}),
        "below the demand minimum of 200.00 PLN", "poniżej minimum wezwania 200,00 PLN",
        {"demand_min_amount": Decimal("200.00")}, outstanding="199.99"),
    nxt("below-demand-minimum-1234.5", "2026-11-09",
        NoStep("below_demand_minimum", {"minimum": Decimal("1234.50")}),
        "below the demand minimum of 1,234.50 PLN", "poniżej minimum wezwania 1 234,50 PLN",
        {"demand_min_amount": Decimal("1234.50")}, outstanding="1000.00"),
    nxt("equal-demand-minimum-not-below", "2026-11-09", Step("demand", 1, d("2026-11-09")),
        "demand 1 on 09.11.2026", "wezwanie 1 dnia 09.11.2026",
        {"demand_min_amount": Decimal("200.00")}, outstanding="200.00"),
    # Only reachable with an empty weekday set (the wizard refuses it).
    nxt("no-allowed-day", "2026-11-03", NoStep("no_allowed_day"), "no allowed sending day",
        "brak dozwolonego dnia wysyłki", {"schedule_weekdays": frozenset()}),
]


@pytest.mark.parametrize(
    "settings_kw, facts_kw, day, expected, english, polish", NEXT_STEP_CASES
)
def test_next_step_and_its_wording(settings_kw, facts_kw, day, expected, english, polish):
    settings = make_settings(**settings_kw)
    facts = make_facts(**facts_kw)
    outcome = next_step(settings, settings.sending_days, facts, d(day))
    assert outcome == expected
    assert describe_next(outcome, "en") == english
    assert describe_next(outcome, "pl") == polish
    if isinstance(outcome, Step):
        assert describe_step(outcome) == english
    else:
        assert describe_reason(outcome) == english


@pytest.mark.parametrize(
    "facts_kw, code",
    [
        ({"subject_to_collection": False}, "excluded"),
        ({"subject_to_collection": False, "contractor_subject_to_collection": False},
         "contractor_excluded"),
        ({"recovery_case": 3}, "in_recovery"),
        ({"outstanding": "0.00"}, "paid"),
        ({"has_email": False}, "no_email"),
        ({"collection_ended_on": "2026-12-01"}, "finished"),
        ({"unfinished_message": (1, "planned")}, "message_pending"),
        ({}, None),
        ({"contractor_subject_to_collection": False}, None),
    ],
)
def test_blocking_reason(facts_kw, code):
    reason = blocking_reason(make_settings(), make_facts(**facts_kw))
    assert (None if reason is None else reason.code) == code


def test_next_step_agrees_with_the_pass_on_its_day():
    """What the document screen predicts is what the pass then sends."""
    settings = make_settings()
    facts = make_facts(demands_sent=1, last_demand_on="2026-11-23")
    predicted = next_step(settings, settings.sending_days, facts, d("2026-11-24"))
    assert predicted == Step("demand", 2, d("2026-12-07"))
    for day in ("2026-11-24", "2026-12-04", "2026-12-06"):
        assert step_due(settings, settings.sending_days, facts, d(day)) is None
    assert step_due(settings, settings.sending_days, facts, d("2026-12-07")) == predicted


# --- end of collection -------------------------------------------------------------------------

# "**End of collection.** Collection of a document ends when it is paid in full after at least
# one message went out, when its last allowed demand was sent and repeat-every days passed
# without full payment, when it is handed to an agency, or when a user switches its flag off
# while messages have gone out."
EXPIRY_CASES = [
    # last demand 3 of 3 on Monday 2026-11-23, repeat every 14 days -> Monday 2026-12-07
    pytest.param({}, {}, "2026-12-06", False, id="a-day-before"),
    pytest.param({}, {}, "2026-12-07", True, id="exactly-repeat-days-after"),
    pytest.param({}, {}, "2026-12-08", True, id="a-day-after"),
    pytest.param({}, {}, "2026-11-23", False, id="on-the-last-demand-day"),
    pytest.param({}, {"outstanding": "0.00"}, "2026-12-07", False, id="paid-in-full"),
    pytest.param({}, {"outstanding": "0.01"}, "2026-12-07", True, id="one-grosz-unpaid"),
    pytest.param({}, {"demands_sent": 2}, "2026-12-07", False, id="not-the-last-demand"),
    pytest.param({"demand_max_count": 2}, {"demands_sent": 2}, "2026-12-07", True,
                 id="last-of-max-2"),
    pytest.param({}, {"collection_ended_on": "2026-12-07"}, "2026-12-08", False,
                 id="already-ended"),
    pytest.param({"demand_repeat_every_days": 1}, {}, "2026-11-24", True, id="repeat-1"),
    pytest.param({"demand_repeat_every_days": 1}, {}, "2026-11-23", False,
                 id="repeat-1-same-day"),
    pytest.param({"demand_repeat_every_days": 365}, {}, "2027-11-22", False,
                 id="repeat-365-day-before"),
    pytest.param({"demand_repeat_every_days": 365}, {}, "2027-11-23", True, id="repeat-365"),
]


@pytest.mark.parametrize("settings_kw, facts_kw, day, expired", EXPIRY_CASES)
def test_collection_expired(settings_kw, facts_kw, day, expired):
    settings = make_settings(**settings_kw)
    facts_kw = {"demands_sent": 3, "last_demand_on": "2026-11-23", **facts_kw}
    facts = make_facts(**facts_kw)
    assert collection_expired(settings, facts, d(day)) is expired


def test_no_demand_before_any_was_sent_never_expires():
    settings = make_settings()
    assert collection_expired(settings, make_facts(), d("2027-06-01")) is False
    reminded = make_facts(reminder_sent_on="2026-10-30")
    assert collection_expired(settings, reminded, d("2027-06-01")) is False


# "If a paid document becomes unpaid again (a payment is removed), collection resumes where it
# stopped."
def test_unpaid_again_resumes_where_it_stopped():
    settings = make_settings()
    paid = make_facts(outstanding="0.00", demands_sent=1, last_demand_on="2026-11-09",
                      reminder_sent_on="2026-10-30")
    assert next_step(settings, settings.sending_days, paid, d("2026-11-12")) == NoStep("paid")
    unpaid = replace(paid, outstanding_pln=Decimal("250.00"))
    assert next_step(settings, settings.sending_days, unpaid, d("2026-11-12")) == Step(
        "demand", 2, d("2026-11-23")
    )
    assert step_due(settings, settings.sending_days, unpaid, d("2026-11-23")) == Step(
        "demand", 2, d("2026-11-23")
    )


def test_every_event_kind_has_words_in_both_languages():
    from windykacja.dunning.wording import EVENT_NAMES, describe_event_kind
    from windykacja.models import EventKind

    assert set(EVENT_NAMES) == set(EventKind.ALL)
    assert describe_event_kind("demand_sent", "pl") == "wysłano wezwanie"
    assert describe_event_kind("demand_sent", "en") == "demand sent"


@pytest.mark.parametrize("facts_kw", [
    {"subject_to_collection": False},
    {"subject_to_collection": False, "contractor_subject_to_collection": False},
    {"recovery_case": 7},
])
def test_a_paid_document_says_paid_whatever_else_is_true(facts_kw):
    """A paid document that was also excluded or handed over reads "paid in full", the
    truth a person asks about first (it said "contractor excluded")."""
    facts = make_facts(outstanding="0.00", **facts_kw)
    assert blocking_reason(make_settings(), facts) == NoStep("paid")
