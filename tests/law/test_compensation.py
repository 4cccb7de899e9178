"""Compensation for recovery costs (art. 10 of the 2013 act), reference §2.

The reference gives no NBP EUR figures, so the rates below are fixture values chosen to make
the products easy to check by hand; they are not NBP rates.
"""

import datetime as dt
from decimal import Decimal

import pytest

from windykacja.law.compensation import (
    Compensation,
    EurRate,
    Missing,
    compensation,
    compensation_eur,
    rate_month,
)

D = Decimal
day = dt.date
# Fixture: 31 Jan 2026 is a Saturday, so the last business day of January is Friday 30th.
JANUARY = EurRate(day(2026, 1, 30), D("4.2000"), "fixture/A/NBP/2026")
RATES = {"2026-01": JANUARY}
DUE = day(2026, 2, 26)


@pytest.mark.parametrize(("claim", "eur", "pln"), [
    # Reference §2 table and its "watch the edges" note; PLN = EUR x 4.2000 (fixture).
    ("0.01", 40, "168.00"),
    ("5000.00", 40, "168.00"),      # "nie przekracza 5000 zł": exactly 5,000 is still 40 EUR
    ("5000.01", 70, "294.00"),
    ("49999.99", 70, "294.00"),     # "niższa niż 50 000 zł"
    ("50000.00", 100, "420.00"),    # exactly 50,000 is the top tier
    ("1000000.00", 100, "420.00"),
])
def test_tiers_at_their_boundaries(claim, eur, pln):
    result = compensation(D(claim), DUE, RATES)
    assert isinstance(result, Compensation)
    assert (result.eur, result.pln, result.rate) == (D(eur), D(pln), JANUARY)


def test_rate_month_is_the_month_before_the_due_month():
    # Reference §2: due 26 Feb 2026 -> the last business day of January 2026.
    assert rate_month(day(2026, 2, 26)) == "2026-01"
    assert rate_month(day(2026, 3, 1)) == "2026-02"
    assert rate_month(day(2026, 1, 31)) == "2025-12"


def test_missing_rate_is_said_not_invented():
    result = compensation(D("4920.00"), day(2026, 3, 16), RATES)
    assert isinstance(result, Missing)
    assert result.month == "2026-02"
    assert "2026-02" in result.reason and "40 EUR" in result.reason
    # The statutory amount is still known, for a demand to state in EUR.
    assert result.eur == D(40)
    assert compensation(D("6000.00"), day(2026, 3, 16), RATES).eur == D(70)


def test_conversion_rounds_half_up_to_the_grosz():
    # 70 x 4.2115 = 294.805 -> 294.81 (banker's rounding would give 294.80).
    rates = {"2026-01": EurRate(day(2026, 1, 30), D("4.2115"), "fixture/A/NBP/2026")}
    result = compensation(D("6000.00"), DUE, rates)
    assert result.pln == D("294.81")


def test_before_2020_it_was_a_flat_40_eur():
    # Reference §2: the tiers apply since 1 Jan 2020; before that a flat 40 EUR.
    assert compensation_eur(D("60000.00"), day(2019, 12, 31)) == D(40)
    assert compensation_eur(D("60000.00"), day(2020, 1, 1)) == D(100)


def test_a_rate_from_another_month_is_refused():
    rates = {"2026-01": EurRate(day(2025, 12, 31), D("4.2000"), "fixture")}
    with pytest.raises(ValueError, match="outside that month"):
        compensation(D("100.00"), DUE, rates)


def test_claim_must_be_a_positive_decimal():
    with pytest.raises(TypeError, match="Decimal"):
        compensation(5000.0, DUE, RATES)
    with pytest.raises(ValueError, match="positive"):
        compensation(D("0"), DUE, RATES)
