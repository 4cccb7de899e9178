"""Limitation dates (KC art. 118, 554): 3 or 2 years, ending on 31 December."""

import datetime as dt

import pytest

from windykacja.law.limitation import due_dates_expiring, is_time_barred, limitation_date

D = dt.date


@pytest.mark.parametrize(("due", "kind", "barred_after"), [
    (D(2023, 3, 15), "business", D(2026, 12, 31)),   # 2026-03-15 moved to the year's end
    (D(2023, 1, 1), "business", D(2026, 12, 31)),
    (D(2023, 12, 31), "healthcare", D(2026, 12, 31)),
    (D(2024, 2, 29), "private", D(2026, 12, 31)),    # 2 years for a sale to a consumer
    (D(2024, 12, 31), "private", D(2026, 12, 31)),
])
def test_limitation_date_ends_on_the_last_day_of_a_year(due, kind, barred_after):
    assert limitation_date(due, kind) == barred_after
    assert not is_time_barred(due, kind, barred_after)
    assert is_time_barred(due, kind, barred_after + dt.timedelta(days=1))


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown contractor kind 'company'"):
        limitation_date(D(2024, 1, 1), "company")


def test_expiring_within_90_days_in_autumn_is_the_due_year_three_back():
    assert due_dates_expiring(D(2026, 11, 28), 90, "business") == (D(2023, 1, 1), D(2023, 12, 31))
    assert due_dates_expiring(D(2026, 11, 28), 90, "private") == (D(2024, 1, 1), D(2024, 12, 31))


def test_nothing_expires_within_90_days_in_spring():
    assert due_dates_expiring(D(2026, 3, 1), 90, "business") is None


def test_the_window_edges_day_by_day():
    # 31 December is the 90th day after 2 October (2 Oct + 90 days = 31 Dec).
    assert due_dates_expiring(D(2026, 10, 2), 90, "business") == (D(2023, 1, 1), D(2023, 12, 31))
    assert due_dates_expiring(D(2026, 10, 1), 90, "business") is None
    # On 31 December itself the claim is still alive; on 1 January the next year's window
    # is 90 days away.
    assert due_dates_expiring(D(2026, 12, 31), 90, "business") == (D(2023, 1, 1), D(2023, 12, 31))
    assert due_dates_expiring(D(2027, 1, 1), 90, "business") is None


def test_a_window_over_a_year_spans_two_due_years():
    assert due_dates_expiring(D(2026, 12, 1), 400, "business") == (D(2023, 1, 1), D(2024, 12, 31))
