"""Statutory interest against the reference's worked example and hand computations.

Rates come from the shipped table (law/data/interest_rates.json, i.e. the reference
../shared/reference/polish-law-formats.md §1.3 and §1.4). Every hand computation is written as
base x rate % x days / 365 with both ends of each stretch counted.
"""

import datetime as dt
import json
from decimal import Decimal

import pytest

from windykacja.law.interest import (
    InterestKind,
    PrincipalEvent,
    RateMissingError,
    RateTableError,
    add_rate,
    interest,
    load_rate_table,
    parse_rate_table,
)

D = Decimal
day = dt.date


@pytest.fixture(scope="module")
def rates():
    return load_rate_table()


def invoice(amount, on=day(2015, 1, 1)):
    # Issued before every due date used here, so the whole amount is owed from day one.
    return PrincipalEvent(on, D(amount))


def paid(amount, on):
    return PrincipalEvent(on, -D(amount))


# --- the reference's worked example (§1.5) ------------------------------------------------

def test_worked_example_business_is_33_97(rates):
    # Reference §1.5: 4,920.00 PLN due 2026-02-26, credited 2026-03-16, 18 days
    # (27 Feb -> 16 Mar) at 14.00 % (2026 H1): 4920 x 0.14 x 18 / 365 = 33.97.
    result = interest([invoice("4920.00"), paid("4920.00", day(2026, 3, 16))],
                      day(2026, 2, 26), day(2026, 4, 30), "business", rates)
    assert result.total == D("33.97")
    assert result.days_late == 18
    [row] = result.periods
    assert (row.start, row.end, row.days, row.base, row.rate) == (
        day(2026, 2, 27), day(2026, 3, 16), 18, D("4920.00"), D("14.00"))
    assert row.amount == D("33.97")


def test_worked_example_to_the_demand_date_without_payment(rates):
    # Same figures, computed up to and including 2026-03-16 instead of to a payment.
    result = interest([invoice("4920.00")], day(2026, 2, 26), day(2026, 3, 16),
                      InterestKind.BUSINESS, rates)
    assert result.total == D("33.97")


def test_worked_example_private_crosses_the_rate_decision(rates):
    # Reference §1.5, ordinary interest for comparison: 6 days (27 Feb - 4 Mar) at 9.50 %
    # plus 12 days (5 - 16 Mar) at 9.25 % (RPP cut in force 5 March 2026) = 22.65.
    result = interest([invoice("4920.00"), paid("4920.00", day(2026, 3, 16))],
                      day(2026, 2, 26), day(2026, 3, 31), "private", rates)
    assert [(r.start, r.end, r.days, r.rate) for r in result.periods] == [
        (day(2026, 2, 27), day(2026, 3, 4), 6, D("9.50")),
        (day(2026, 3, 5), day(2026, 3, 16), 12, D("9.25")),
    ]
    assert result.total == D("22.65")
    # Rounded per document, not per row: 4920 x 9.50 x 6 / 36500 = 7.6833 (7.68) and
    # 4920 x 9.25 x 12 / 36500 = 14.9622 (14.96) show 22.64, but 22.6455 rounds to 22.65.
    assert [r.amount for r in result.periods] == [D("7.68"), D("14.96")]


# --- rate periods -------------------------------------------------------------------------

def test_business_rate_is_fixed_per_half_year(rates):
    # 10,000.00 due 2025-06-20, to 2025-07-10. 2025 H1 = 15.75 %, 2025 H2 = 15.25 % (the
    # reference rate on 1 July was 5.25; its cut on 3 July does not change the H2 rate).
    # 21-30 Jun: 10000 x 15.75 x 10 / 36500 = 43.1507
    # 1-10 Jul:  10000 x 15.25 x 10 / 36500 = 41.7808   -> 31000 / 365 = 84.9315 -> 84.93
    result = interest([invoice("10000.00")], day(2025, 6, 20), day(2025, 7, 10),
                      "business", rates)
    assert [(r.start, r.end, r.days, r.rate) for r in result.periods] == [
        (day(2025, 6, 21), day(2025, 6, 30), 10, D("15.75")),
        (day(2025, 7, 1), day(2025, 7, 10), 10, D("15.25")),
    ]
    assert result.total == D("84.93")


def test_private_rate_changes_on_the_decision_day(rates):
    # Same claim, ordinary interest: 10.75 % to 2 Jul 2025, 10.50 % from 3 Jul 2025.
    # 21 Jun - 2 Jul: 10000 x 10.75 x 12 / 36500 = 35.3425
    # 3 - 10 Jul:     10000 x 10.50 x 8 / 36500  = 23.0137  -> 58.3562 -> 58.36
    result = interest([invoice("10000.00")], day(2025, 6, 20), day(2025, 7, 10),
                      "private", rates)
    assert [(r.days, r.rate) for r in result.periods] == [(12, D("10.75")), (8, D("10.50"))]
    assert result.total == D("58.36")


def test_healthcare_debtor_pays_reference_plus_8(rates):
    # The worked example at 12.00 % (2026 H1, ref 4.00 + 8 pp):
    # 4920 x 12 x 18 / 36500 = 29.1156 -> 29.12.
    result = interest([invoice("4920.00")], day(2026, 2, 26), day(2026, 3, 16),
                      "healthcare", rates)
    assert result.periods[0].rate == D("12.00")
    assert result.total == D("29.12")


def test_before_2020_everybody_paid_reference_plus_8(rates):
    # 2019 H2: 9.50 % for both kinds (reference §1.3). 36500 x 9.50 x 1 / 36500 = 9.50.
    for kind in ("business", "healthcare"):
        result = interest([invoice("36500.00")], day(2019, 9, 1), day(2019, 9, 2), kind, rates)
        assert result.total == D("9.50")


# --- payments -----------------------------------------------------------------------------

def test_partial_payments_lower_the_base_from_the_next_day(rates):
    # 10,000.00 due 2026-01-31, 4,000 credited 10 Feb, the remaining 6,000 on 2 Mar, at 14 %.
    # 1 - 10 Feb (10 days, payment day included): 10000 x 14 x 10 / 36500 = 38.3562
    # 11 Feb - 2 Mar (18 + 2 = 20 days):          6000 x 14 x 20 / 36500  = 46.0274
    # total 3,080,000 / 36,500 = 84.3836 -> 84.38
    result = interest([invoice("10000.00"), paid("4000.00", day(2026, 2, 10)),
                       paid("6000.00", day(2026, 3, 2))],
                      day(2026, 1, 31), day(2026, 3, 31), "business", rates)
    assert [(r.start, r.end, r.days, r.base) for r in result.periods] == [
        (day(2026, 2, 1), day(2026, 2, 10), 10, D("10000.00")),
        (day(2026, 2, 11), day(2026, 3, 2), 20, D("6000.00")),
    ]
    assert result.total == D("84.38")
    assert result.days_late == 30


def test_payment_on_or_before_the_due_date_never_bears_interest(rates):
    # 1,000 of 10,000 paid on the due date: 9000 x 14 x 10 / 36500 = 34.5205 -> 34.52.
    result = interest([invoice("10000.00"), paid("1000.00", day(2026, 1, 31))],
                      day(2026, 1, 31), day(2026, 2, 10), "business", rates)
    assert result.periods[0].base == D("9000.00")
    assert result.total == D("34.52")


def test_overpayment_gives_no_negative_interest(rates):
    # 120 paid on a 100 claim on day 1 of the delay: 1 day on 100 only,
    # 100 x 14 x 1 / 36500 = 0.0384 -> 0.04; nothing after it.
    result = interest([invoice("100.00"), paid("120.00", day(2026, 2, 1))],
                      day(2026, 1, 31), day(2026, 3, 31), "business", rates)
    assert result.total == D("0.04")
    assert result.days_late == 1


def test_interest_is_never_compounded(rates):
    # A whole leap year of ordinary interest at 11.25 % (in force 2023-10-05 to 2025-05-07)
    # on 1,000: 1000 x 11.25 x 366 / 36500 = 112.8082 -> 112.81; a base that grew by its own
    # interest would give more, and /366 would give exactly 112.50.
    result = interest([invoice("1000.00")], day(2023, 12, 31), day(2024, 12, 31),
                      "private", rates)
    assert [(r.days, r.base) for r in result.periods] == [(366, D("1000.00"))]
    assert result.total == D("112.81")


# --- day counting -------------------------------------------------------------------------

def test_leap_day_counts_and_the_year_is_still_365(rates):
    # Due 2024-02-20, to 2024-03-01: 21-29 Feb (9 days, 29 Feb included) + 1 Mar = 10 days
    # at 15.75 % (2024 H1): 10000 x 15.75 x 10 / 365 = 43.1507 -> 43.15 (with /366: 43.03).
    result = interest([invoice("10000.00")], day(2024, 2, 20), day(2024, 3, 1),
                      "business", rates)
    assert result.periods[0].days == 10
    assert result.total == D("43.15")


def test_no_interest_on_the_due_date_itself(rates):
    result = interest([invoice("36500.00")], day(2026, 2, 26), day(2026, 2, 26),
                      "business", rates)
    assert result.total == D("0.00")
    assert result.periods == ()
    assert result.days_late == 0


def test_first_day_of_delay_counts_once(rates):
    # Day after the due date, both ends counted: 36500 x 14 x 1 / 36500 = 14.00.
    result = interest([invoice("36500.00")], day(2026, 2, 26), day(2026, 2, 27),
                      "business", rates)
    assert (result.periods[0].start, result.periods[0].days) == (day(2026, 2, 27), 1)
    assert result.total == D("14.00")


def test_payment_day_itself_bears_interest(rates):
    # Credited on the first day of delay: that day still counts (SN III CZP 164/94), 14.00.
    result = interest([invoice("36500.00"), paid("36500.00", day(2026, 2, 27))],
                      day(2026, 2, 26), day(2026, 3, 31), "business", rates)
    assert result.total == D("14.00")
    assert result.days_late == 1


def test_rounding_is_half_up_to_the_grosz(rates):
    # 1003.75 x 14 x 73 / 36500 = 28.105 exactly (2 Jan - 15 Mar 2026 = 30 + 28 + 15 days);
    # half-up gives 28.11 where banker's rounding would give 28.10.
    result = interest([invoice("1003.75")], day(2026, 1, 1), day(2026, 3, 15),
                      "business", rates)
    assert result.periods[0].days == 73
    assert result.periods[0].exact == D("28.105")
    assert result.total == D("28.11")


# --- missing rates and bad input ----------------------------------------------------------

def test_business_rate_is_not_carried_into_an_unpublished_half_year(rates):
    # The table ends with 2026 H1: the reference has only a projection for 2026 H2.
    with pytest.raises(RateMissingError, match="2026 H2"):
        interest([invoice("100.00")], day(2026, 6, 29), day(2026, 7, 1), "business", rates)


def test_a_user_rate_fills_the_gap_without_changing_the_shipped_table(rates):
    table = add_rate(rates, "business", day(2026, 7, 1), D("13.75"), "M.P. 2026 (typed in)")
    # 30 Jun at 14.00 + 1 Jul at 13.75 on 36500: 14.00 + 13.75 = 27.75.
    result = interest([invoice("36500.00")], day(2026, 6, 29), day(2026, 7, 1),
                      "business", table)
    assert result.total == D("27.75")
    assert len(rates.business) == len(table.business) - 1


def test_add_rate_checks_what_the_user_typed(rates):
    with pytest.raises(RateTableError, match="1 January or 1 July"):
        add_rate(rates, "business", day(2026, 7, 3), D("13.75"), "typo")
    with pytest.raises(RateTableError, match="already has 14.00 %"):
        add_rate(rates, "business", day(2026, 1, 1), D("14.50"), "typo")
    with pytest.raises(RateTableError, match="Decimal"):
        add_rate(rates, "private", day(2026, 7, 3), 9.0, "float")
    with pytest.raises(RateTableError, match="comes from"):
        add_rate(rates, "private", day(2026, 7, 3), D("9.00"), "  ")
    with pytest.raises(RateTableError, match="unknown interest kind"):
        add_rate(rates, "consumer", day(2026, 7, 3), D("9.00"), "x")
    fixed = add_rate(rates, "business", day(2026, 1, 1), D("14.50"), "corrected",
                     replace_existing=True)
    assert [r.rate for r in fixed.business if r.start == day(2026, 1, 1)] == [D("14.50")]


def test_private_rate_before_the_table_is_missing(rates):
    with pytest.raises(RateMissingError, match="2016-01-01"):
        interest([invoice("100.00")], day(2015, 12, 30), day(2016, 1, 2), "private", rates)


def test_amounts_must_be_decimal(rates):
    with pytest.raises(TypeError, match="Decimal"):
        interest([PrincipalEvent(day(2026, 1, 1), 100.0)], day(2026, 1, 31),
                 day(2026, 2, 5), "business", rates)


def test_shipped_table_has_a_source_for_every_rate(rates):
    for kind in InterestKind:
        assert all(r.source for r in rates.rates_for(kind))
    # Reference §1.3 and §1.4 spot checks.
    assert {r.start: r.rate for r in rates.healthcare}[day(2020, 7, 1)] == D("8.10")
    assert {r.start: r.rate for r in rates.private}[day(2026, 3, 5)] == D("9.25")


def test_bad_table_rows_are_named():
    rows = [{"from": "2026-01-01", "rate": "14.00", "source": "s"},
            {"from": "2025-07-01", "rate": "15.25", "source": "s"}]
    data = {"series": {k: {"rates": rows[:1]} for k in ("business", "healthcare", "private")}}
    parse_rate_table(data)
    data["series"]["private"] = {"rates": rows}
    with pytest.raises(RateTableError, match="private rate #2: .*date order"):
        parse_rate_table(data)
    data["series"]["private"] = {"rates": [{"from": "2026-01-01", "rate": 9.5, "source": "s"}]}
    with pytest.raises(RateTableError, match="private rate #1: the rate must be written as text"):
        parse_rate_table(json.loads(json.dumps(data)))


def test_each_half_year_is_its_own_row_even_at_an_equal_rate(rates):
    # 2023 H1 and H2 are both 16.75 % but rest on separate notices.
    # 30 Jun: 36500 x 16.75 x 1 / 36500 = 16.75; 1-2 Jul: 33.50; total 50.25.
    result = interest([invoice("36500.00")], day(2023, 6, 29), day(2023, 7, 2),
                      "business", rates)
    assert [(r.start, r.days, r.amount) for r in result.periods] == [
        (day(2023, 6, 30), 1, D("16.75")), (day(2023, 7, 1), 2, D("33.50"))]
    assert result.total == D("50.25")


def test_a_payment_reversed_the_same_day_does_not_split_the_row(rates):
    # +100 and -100 on 1 Mar net to nothing: one row of 4 days (27 Feb - 2 Mar) at 14 %,
    # 36500 x 14 x 4 / 36500 = 56.00.
    result = interest([invoice("36500.00"), paid("100.00", day(2026, 3, 1)),
                       invoice("100.00", day(2026, 3, 1))],
                      day(2026, 2, 26), day(2026, 3, 2), "business", rates)
    assert [(r.start, r.end, r.days) for r in result.periods] == [
        (day(2026, 2, 27), day(2026, 3, 2), 4)]
    assert result.total == D("56.00")


def test_an_unknown_kind_is_named(rates):
    with pytest.raises(RateTableError, match="unknown interest kind 'consumer'"):
        interest([invoice("1.00")], day(2026, 1, 1), day(2026, 1, 5), "consumer", rates)
