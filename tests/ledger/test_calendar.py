"""Allowed sending days, Polish public holidays and the legal due date (SPEC §2 step 3, §4)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from windykacja.ledger import calendar
from windykacja.ledger.calendar import (
    WORKDAYS,
    SendingDays,
    format_weekdays,
    is_business_day,
    is_polish_holiday,
    legal_due_date,
    parse_weekdays,
)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --- Polish public holidays -------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        "2025-12-24",  # Christmas Eve is a public holiday from 2025 on
        "2026-12-24",
        "2027-12-24",
        "2026-12-25",
        "2026-12-26",
        "2026-11-11",  # Independence Day
        "2026-04-05",  # Easter Sunday
        "2026-04-06",  # Easter Monday
        "2026-06-04",  # Corpus Christi
        "2027-03-29",  # Easter Monday 2027
        "2026-01-01",
        "2026-01-06",  # Epiphany
        "2026-05-01",
        "2026-05-03",
        "2026-08-15",
        "2026-11-01",
    ],
)
def test_polish_holidays(day):
    assert is_polish_holiday(d(day)) is True


@pytest.mark.parametrize(
    "day",
    [
        "2024-12-24",  # Christmas Eve was a working day before 2025
        "2026-12-23",
        "2026-12-28",
        "2026-12-31",
        "2026-04-03",  # Good Friday is not a holiday in Poland
        "2026-04-07",
        "2026-11-10",
        "2026-11-12",
        "2026-06-05",
        "2027-03-30",
    ],
)
def test_working_days_are_not_holidays(day):
    assert is_polish_holiday(d(day)) is False


@pytest.mark.parametrize(
    "day, expected",
    [
        ("2026-11-10", True),  # Tuesday
        ("2026-11-11", False),  # Wednesday, Independence Day
        ("2026-11-14", False),  # Saturday
        ("2026-11-15", False),  # Sunday
        ("2026-12-24", False),  # Thursday, Christmas Eve
        ("2024-12-24", True),  # Tuesday, before Christmas Eve became a holiday
    ],
)
def test_is_business_day(day, expected):
    assert is_business_day(d(day)) is expected


# --- legal due date (Civil Code art. 115) --------------------------------------------------


@pytest.mark.parametrize(
    "due, legal",
    [
        pytest.param("2026-11-17", "2026-11-17", id="plain-tuesday-unchanged"),
        pytest.param("2026-11-20", "2026-11-20", id="plain-friday-unchanged"),
        pytest.param("2026-11-14", "2026-11-16", id="saturday-to-monday"),
        pytest.param("2026-11-15", "2026-11-16", id="sunday-to-monday"),
        pytest.param("2026-11-11", "2026-11-12", id="holiday-wednesday-to-thursday"),
        # Good Friday is a working day, so a due date on it stays although Easter follows.
        pytest.param("2026-04-03", "2026-04-03", id="friday-before-easter-unchanged"),
        # Saturday, Easter Sunday, Easter Monday -> Tuesday.
        pytest.param("2026-04-04", "2026-04-07", id="saturday-before-holiday-monday"),
        pytest.param("2026-04-06", "2026-04-07", id="easter-monday-to-tuesday"),
        pytest.param("2027-03-27", "2027-03-30", id="saturday-before-easter-monday-2027"),
        # Thursday 24th, Friday 25th holidays; 26th Saturday (and a holiday), 27th Sunday.
        pytest.param("2026-12-24", "2026-12-28", id="christmas-eve-2026-to-monday"),
        pytest.param("2026-12-25", "2026-12-28", id="christmas-day-to-monday"),
        pytest.param("2025-12-24", "2025-12-29", id="christmas-eve-2025-to-monday"),
        pytest.param("2024-12-24", "2024-12-24", id="christmas-eve-2024-was-a-working-day"),
        pytest.param("2026-06-04", "2026-06-05", id="corpus-christi-to-friday"),
        # Friday 2026-05-01 (holiday), Saturday, Sunday 3 May (holiday) -> Monday.
        pytest.param("2026-05-01", "2026-05-04", id="may-day-weekend"),
        # Thursday 2026-12-31 is a working day; a due date of Friday 1 January moves over
        # the weekend to Monday 4 January (Tuesday 6 January is a holiday, not in reach).
        pytest.param("2027-01-01", "2027-01-04", id="new-year-across-the-year"),
        pytest.param("2026-12-31", "2026-12-31", id="new-years-eve-unchanged"),
    ],
)
def test_legal_due_date(due, legal):
    assert legal_due_date(d(due)) == d(legal)


# --- allowed days ----------------------------------------------------------------------------


def test_default_sending_days_are_monday_to_friday_skipping_holidays():
    days = SendingDays()
    assert days.weekdays == WORKDAYS == frozenset({0, 1, 2, 3, 4})
    assert days.skip_holidays is True


@pytest.mark.parametrize(
    "weekdays, skip_holidays, day, allowed",
    [
        pytest.param(WORKDAYS, True, "2026-11-16", True, id="monday-selected"),
        pytest.param(WORKDAYS, True, "2026-11-14", False, id="saturday-not-selected"),
        pytest.param(WORKDAYS, True, "2026-11-15", False, id="sunday-not-selected"),
        pytest.param(frozenset({1, 3}), True, "2026-11-16", False, id="monday-not-in-tue-thu"),
        pytest.param(frozenset({1, 3}), True, "2026-11-17", True, id="tuesday-in-tue-thu"),
        pytest.param(frozenset({5}), True, "2026-11-14", True, id="saturday-only-on-saturday"),
        pytest.param(frozenset({5}), True, "2026-11-13", False, id="saturday-only-on-friday"),
        pytest.param(WORKDAYS, True, "2026-11-11", False, id="holiday-skipped"),
        pytest.param(WORKDAYS, False, "2026-11-11", True, id="holiday-allowed-option-off"),
        pytest.param(WORKDAYS, True, "2026-12-24", False, id="christmas-eve-skipped"),
        pytest.param(WORKDAYS, False, "2026-12-24", True, id="christmas-eve-option-off"),
        # A holiday on an unselected weekday stays disallowed with the option off.
        pytest.param(WORKDAYS, False, "2026-04-05", False, id="easter-sunday-option-off"),
        pytest.param(frozenset(range(7)), False, "2026-04-05", True, id="easter-sunday-all"),
        pytest.param(frozenset(range(7)), True, "2026-04-05", False, id="easter-sunday-skip"),
    ],
)
def test_is_allowed(weekdays, skip_holidays, day, allowed):
    assert SendingDays(weekdays, skip_holidays).is_allowed(d(day)) is allowed


@pytest.mark.parametrize(
    "weekdays, skip_holidays, start, until, expected",
    [
        pytest.param(WORKDAYS, True, "2026-11-17", None, "2026-11-17", id="start-allowed"),
        pytest.param(WORKDAYS, True, "2026-11-14", None, "2026-11-16", id="saturday-to-monday"),
        pytest.param(WORKDAYS, True, "2026-11-11", None, "2026-11-12", id="holiday-skipped"),
        pytest.param(WORKDAYS, False, "2026-11-11", None, "2026-11-11", id="holiday-option-off"),
        pytest.param(WORKDAYS, True, "2026-12-24", None, "2026-12-28", id="christmas-run"),
        pytest.param(WORKDAYS, False, "2026-12-24", None, "2026-12-24", id="christmas-off"),
        # Mondays only: 6 April 2026 is Easter Monday, so the next one is 13 April.
        pytest.param(frozenset({0}), True, "2026-04-01", None, "2026-04-13", id="mon-easter"),
        pytest.param(frozenset({0}), False, "2026-04-01", None, "2026-04-06", id="mon-no-skip"),
        pytest.param(frozenset({5}), True, "2026-11-16", None, "2026-11-21", id="saturdays"),
        pytest.param(
            WORKDAYS, True, "2026-11-14", "2026-11-16", "2026-11-16", id="until-inclusive"
        ),
        pytest.param(WORKDAYS, True, "2026-11-14", "2026-11-15", None, id="until-too-early"),
        pytest.param(WORKDAYS, True, "2026-12-24", "2026-12-27", None, id="until-in-holidays"),
        pytest.param(WORKDAYS, True, "2026-11-17", "2026-11-16", None, id="until-before-start"),
        pytest.param(
            WORKDAYS, True, "2026-11-17", "2026-11-17", "2026-11-17", id="until-equals-start"
        ),
        pytest.param(frozenset(), True, "2026-11-17", None, None, id="no-weekday-never"),
    ],
)
def test_first_allowed(weekdays, skip_holidays, start, until, expected):
    days = SendingDays(weekdays, skip_holidays)
    found = days.first_allowed(d(start), None if until is None else d(until))
    assert found == (None if expected is None else d(expected))


# --- weekday codes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("mon,tue,wed,thu,fri", {0, 1, 2, 3, 4}),
        ("mon,tue,fri", {0, 1, 4}),
        ("sun", {6}),
        (" Mon , SAT ", {0, 5}),
        ("mon;wed", {0, 2}),
        ("mon,mon,", {0}),
        ("sat,sun,mon,tue,wed,thu,fri", {0, 1, 2, 3, 4, 5, 6}),
    ],
)
def test_parse_weekdays(text, expected):
    assert parse_weekdays(text) == frozenset(expected)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "at least one weekday"),
        (" , ; ", "at least one weekday"),
        ("monday", "unknown weekday 'monday'"),
        ("mon,xyz,tue", "unknown weekday 'xyz'"),
        ("pon,wt", "unknown weekday 'pon'"),
        ("1,2", "unknown weekday '1'"),
    ],
)
def test_parse_weekdays_errors(text, message):
    with pytest.raises(ValueError, match=message):
        parse_weekdays(text)


def test_format_weekdays_round_trips():
    assert format_weekdays(frozenset({4, 0, 2})) == "mon,wed,fri"
    assert parse_weekdays(format_weekdays(frozenset({6, 5}))) == frozenset({5, 6})


# --- the holidays kept in the user's cache folder ----------------------------------------


def package_answer(year: int) -> frozenset[dt.date]:
    import holidays

    return frozenset(holidays.country_holidays("PL", years=year))


@pytest.fixture
def fresh_calendar():
    """No year kept in this process; the test's own cache folder (conftest)."""
    calendar._polish_holidays.cache_clear()
    yield calendar.cache_path()
    calendar._polish_holidays.cache_clear()


def test_the_cache_holds_the_packages_answers_year_by_year(fresh_calendar):
    for year in (2000, 2018, 2024, 2025, 2026, 2099):
        assert calendar._polish_holidays(year) == package_answer(year)
    calendar._polish_holidays.cache_clear()
    stored = json.loads(fresh_calendar.read_text(encoding="utf-8"))
    assert stored["stamp"] == calendar.package_stamp()
    assert sorted(stored["years"]) == ["2000", "2018", "2024", "2025", "2026", "2099"]
    for year in (2000, 2018, 2024, 2025, 2026, 2099):  # now read from the file
        assert calendar._polish_holidays(year) == package_answer(year)
    assert is_polish_holiday(d("2018-11-12"))  # the centenary of independence, once


def test_another_package_or_a_broken_file_means_asking_the_package(fresh_calendar):
    is_polish_holiday(d("2026-12-24"))
    stored = json.loads(fresh_calendar.read_text(encoding="utf-8"))
    # A year that is not true, under another package's stamp: never believed.
    stored["years"]["2026"] = ["2026-12-23"]
    fresh_calendar.write_text(json.dumps({**stored, "stamp": "another package"}), "utf-8")
    calendar._polish_holidays.cache_clear()
    assert not is_polish_holiday(d("2026-12-23")) and is_polish_holiday(d("2026-12-24"))
    assert json.loads(fresh_calendar.read_text("utf-8"))["stamp"] == calendar.package_stamp()
    for broken in ("{not json", "[]", '{"stamp": null}', json.dumps(
            {"stamp": calendar.package_stamp(), "years": {"2026": ["24.12.2026"]}})):
        fresh_calendar.write_text(broken, "utf-8")
        calendar._polish_holidays.cache_clear()
        assert is_polish_holiday(d("2026-12-24")) and not is_polish_holiday(d("2026-12-23"))


def test_a_cache_folder_that_cannot_be_written_is_no_error(fresh_calendar):
    fresh_calendar.parent.parent.mkdir(parents=True, exist_ok=True)
    fresh_calendar.parent.write_text("a file where the folder would be", "utf-8")
    assert is_polish_holiday(d("2026-12-24")) and not is_polish_holiday(d("2026-12-23"))
