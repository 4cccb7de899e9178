"""Rate tables people extend (ledger/rates.py): stored interest rates on top of the shipped
table, stored EUR rates over the shipped ones, and the refresh from a real HTTP server
shaped like the NBP API (tests/nbp_api.py). Figures served by the test server are fixtures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from nbp_api import NbpApi

from windykacja.law.eur_rates import load_eur_rates
from windykacja.law.interest import PrincipalEvent, RateMissingError, interest
from windykacja.ledger.clock import FixedClock
from windykacja.ledger.rates import (
    RateConflictError,
    RateInputError,
    RefreshError,
    add_eur_rate,
    add_interest_rate,
    eur_rates,
    eur_rows,
    interest_rows,
    interest_table,
    months_to_refresh,
    newest_interest_rates,
    refresh_eur_rates,
    remove_interest_rate,
)
from windykacja.models import EurRate, InterestRate

D = Decimal
day = dt.date
NOTICE = "M.P. 2026 poz. 600 (test fixture)"
# Fixture rates for the server: the shipped table ends with 2025-03.
APRIL = [("061/A/NBP/2025", "2025-04-01", "4.1818"), ("082/A/NBP/2025", "2025-04-30", "4.2778")]
JUNE = [("124/A/NBP/2025", "2025-06-30", "4.2400")]


def owed(gross="4920.00"):
    return [PrincipalEvent(day(2026, 6, 1), D(gross))]


# --- statutory interest ---------------------------------------------------------------


def test_a_user_rate_fills_a_half_year_and_is_used_by_interest(db, clock):
    # The shipped table stops at 2026 H1: interest into July has no rate yet.
    with pytest.raises(RateMissingError, match="2026 H2"):
        interest(owed(), day(2026, 6, 30), day(2026, 7, 18), "business", interest_table())
    row = add_interest_rate(clock, "business", "2026-07-01", "13,75", NOTICE, "anna")
    assert (row.rate, row.origin) == (D("13.75"), "stored")
    result = interest(owed(), day(2026, 6, 30), day(2026, 7, 18), "business",
                      interest_table())
    # 4,920.00 x 13.75 % x 18 / 365 = 33.3616… → 33.36
    assert result.total == D("33.36") and result.periods[0].source == NOTICE
    assert newest_interest_rates()["business"].start == day(2026, 7, 1)
    stored = InterestRate.get()
    assert (stored.rate, stored.author, stored.created_at) == ("13.75", "anna",
                                                               dt.datetime(2026, 11, 23, 8, 0))


@pytest.mark.parametrize(("kind", "start", "rate", "field", "message"), [
    ("business", "2026-07-02", "13.75", "valid_from", "starts on 1 January or 1 July"),
    ("healthcare", "2026-03-01", "11.75", "valid_from", "starts on 1 January or 1 July"),
    ("business", "2026-07-01", "0", "rate", "out of range"),
    ("business", "2026-07-01", "100", "rate", "out of range"),
    ("business", "2026-07-01", "abc", "rate", "is not a rate in percent"),
    ("private", "2026-02-01", "9.40", "valid_from", "must start after that day"),
    ("business", "2026-01-01", "13.00", "valid_from", "the shipped table has 14.00 %"),
    ("business", "2026-01-01", "14.00", "valid_from", "nothing to add"),
    ("business", "1.7.2026", "", "rate", "is not a rate"),
    ("lawyer", "2026-07-01", "13.75", "kind", "unknown interest kind"),
    ("business", "2026-13-01", "13.75", "valid_from", "is not a date"),
])
def test_a_rate_that_does_not_fit_is_refused_and_nothing_stored(db, clock, kind, start, rate,
                                                                field, message):
    with pytest.raises(RateInputError) as error:
        add_interest_rate(clock, kind, start, rate, NOTICE, "anna")
    assert error.value.field == field and message in str(error.value)
    assert InterestRate.select().count() == 0


def test_a_rate_needs_its_source_and_is_stored_once(db, clock):
    with pytest.raises(RateInputError, match="say where the rate comes from"):
        add_interest_rate(clock, "private", "2026-04-02", "9.00", "  ", "anna")
    add_interest_rate(clock, "private", "2026-04-02", "9.00", "RPP 1/2026", "anna")
    with pytest.raises(RateInputError, match="already stored"):
        add_interest_rate(clock, "private", "2026-04-02", "8.75", "RPP 1/2026", "anna")
    rows = interest_rows("private")
    assert [(r.start, r.rate, r.origin) for r in rows[-2:]] == [
        (day(2026, 3, 5), D("9.25"), "shipped"), (day(2026, 4, 2), D("9.00"), "stored")]


def test_a_stored_rate_the_release_contradicts_stops_interest_with_a_remedy(db, clock):
    # An older release lacked 2026 H1; the user typed 13.00 %; this release ships 14.00 %.
    InterestRate.create(kind="business", valid_from=day(2026, 1, 1), rate="13.00",
                        source="typed", author="anna", created_at=dt.datetime(2026, 1, 5))
    with pytest.raises(RateConflictError) as error:
        interest_table()
    text = str(error.value)
    assert "13.00 % from 2026-01-01 (added by anna: typed)" in text
    assert "the shipped table has 14.00 %" in text
    assert "windykacja rates remove-interest business 2026-01-01" in text
    assert remove_interest_rate("business", "2026-01-01")
    assert not remove_interest_rate("business", "2026-01-01")
    assert interest_table().business[-1].rate == D("14.00")


def test_a_stored_rate_the_release_agrees_with_is_superseded(db):
    InterestRate.create(kind="business", valid_from=day(2026, 1, 1), rate="14.00",
                        source="typed", author="anna", created_at=dt.datetime(2026, 1, 5))
    row = [r for r in interest_rows("business") if r.start == day(2026, 1, 1)][0]
    assert (row.origin, row.author) == ("shipped", "")
    assert row.source.startswith("computed")  # the shipped row's source, not the typed one


# --- EUR rates ------------------------------------------------------------------------


def test_a_stored_eur_rate_overrides_the_shipped_one(db, clock):
    shipped = load_eur_rates()["2024-12"]
    add_eur_rate(clock, "2024-12", "2024-12-31", "4.2731", "252/A/NBP/2024", "typed", "anna")
    assert eur_rates()["2024-12"].mid == D("4.2731") != shipped.mid
    row = [r for r in eur_rows() if r.month == "2024-12"][0]
    assert row.origin == "stored" and row.source == "typed (entered by anna)"
    with pytest.raises(RateInputError, match="already has a stored rate 4.2731"):
        add_eur_rate(clock, "2024-12", "2024-12-31", "4.2730", "252/A/NBP/2024", "x", "anna")
    add_eur_rate(clock, "2024-12", "2024-12-31", "4.2730", "252/A/NBP/2024", "x", "anna",
                 replace=True)
    assert eur_rates()["2024-12"] == shipped


@pytest.mark.parametrize(("args", "field"), [
    (("2025-04", "2025-05-02", "4.27", "083/A/NBP/2025", "x"), "effective_date"),
    (("2025-04", "2025-04-30", "4.27", "83/A/2025", "x"), "table"),
    (("2025-04", "2025-04-30", "42778", "083/A/NBP/2025", "x"), "mid"),
    (("2025-4", "2025-04-30", "4.27", "083/A/NBP/2025", "x"), "month"),
    (("2025-04", "2025-04-30", "4.27", "083/A/NBP/2025", ""), "source"),
])
def test_a_bad_eur_rate_is_refused_naming_the_field(db, clock, args, field):
    with pytest.raises(RateInputError) as error:
        add_eur_rate(clock, *args, author="anna")
    assert error.value.field == field
    assert EurRate.select().count() == 0


# --- refresh from the NBP API ---------------------------------------------------------


def july(year=2025):
    return FixedClock(day(year, 7, 15))


def test_refresh_stores_each_months_last_table_and_skips_a_month_without_one(db):
    with NbpApi() as api:
        api.months.update({"2025-04": APRIL, "2025-06": JUNE})  # May: 404
        result = refresh_eur_rates(july(), api.url)
    assert result.months == ("2025-04", "2025-05", "2025-06")
    assert result.no_table == ("2025-05",)
    rates = eur_rates()
    assert rates["2025-04"].effective_date == day(2025, 4, 30)
    assert rates["2025-04"].mid == D("4.2778") and rates["2025-04"].table_no == "082/A/NBP/2025"
    assert str(rates["2025-06"].mid) == "4.2400"  # the JSON number's digits, exactly
    assert "2025-05" not in rates
    april = [r for r in eur_rows() if r.month == "2025-04"][0]
    assert april.source.startswith("NBP API, table 082/A/NBP/2025 of 2025-04-30: http://")
    path, headers = api.requests[0]
    assert path == "/api/exchangerates/rates/a/eur/2025-04-01/2025-04-30/?format=json"
    assert headers["User-Agent"].startswith("windykacja/")
    # The next refresh starts after the newest known month: nothing left to ask.
    assert months_to_refresh(july()) == []


@pytest.mark.parametrize(("answer", "message"), [
    ("500", "NBP answered HTTP 500"),
    ("garbage", "the answer is not JSON"),
    ("slow", "no answer within 0.3 s"),
])
def test_a_failed_month_stores_nothing_and_names_the_url(db, answer, message):
    with NbpApi() as api:
        api.months.update({"2025-04": APRIL, "2025-06": JUNE})
        api.answers["2025-06"] = answer
        with pytest.raises(RefreshError) as error:
            refresh_eur_rates(july(), api.url, timeout=0.3)
    text = str(error.value)
    assert text.startswith(f"{api.url}/rates/a/eur/2025-06-01/2025-06-30/?format=json: ")
    assert message in text
    assert EurRate.select().count() == 0  # April was fetched, and not stored either


def test_a_table_dated_outside_its_month_is_refused(db):
    with NbpApi() as api:
        api.months["2025-04"] = [("083/A/NBP/2025", "2025-05-02", "4.2700")]
        with pytest.raises(RefreshError, match="is not in 2025-04"):
            refresh_eur_rates(FixedClock(day(2025, 5, 10)), api.url)
    assert EurRate.select().count() == 0


def test_since_asks_again_and_an_unreachable_server_is_an_error(db):
    with NbpApi() as api:
        api.months["2025-02"] = [("041/A/NBP/2025", "2025-02-28", "4.1575")]
        result = refresh_eur_rates(FixedClock(day(2025, 3, 3)), api.url, since="2025-02")
    assert [r.month for r in result.stored] == ["2025-02"]
    assert [r for r in eur_rows() if r.month == "2025-02"][0].origin == "stored"
    with pytest.raises(RefreshError, match="cannot connect"):
        refresh_eur_rates(july(), api.url)  # the server is gone
    with pytest.raises(RateInputError, match="not an http"):
        refresh_eur_rates(july(), "file:///etc")
