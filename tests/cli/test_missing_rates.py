"""A figure the program cannot compute is never printed as a number by a command either:
``history`` says what is claimed instead and how to add the rate, ``forecast`` marks the
demands that lack one; rates read in the reader's notation (``4,2000`` in Polish)."""

from __future__ import annotations

import datetime as dt

import pytest

from windykacja.app import main
from windykacja.ledger.settings import save_settings
from windykacja.models import EurRate

TODAY = dt.date(2026, 11, 23)  # 2026 H2: the shipped table has no business rate


@pytest.fixture
def location(db_location, collection, clock):
    clock.day = TODAY
    save_settings({"demand.include_compensation": "yes"}, "test", clock.now())
    contractor = collection.contractor(email="klient@example.pl")
    # Due on 26 October: the compensation needs September's EUR rate, stored here.
    collection.document(contractor, dt.date(2026, 10, 26), gross="1234.56", number="FV/7")
    EurRate.create(month="2026-09", effective_date=dt.date(2026, 9, 30), mid="4.2512",
                   table_no="190/A/NBP/2026", source="test", updated_at=clock.now())
    return db_location()


def run(location, *args, language="en"):
    return main(["--db", location, "--lang", language, "--today", TODAY.isoformat(), *args])


@pytest.mark.parametrize("language", ["en", "pl"])
def test_history_states_no_zero_interest_and_the_rate_in_the_readers_notation(
        location, capsys, language):
    assert run(location, "history", "FV/7", language=language) == 0
    shown = capsys.readouterr().out
    command = "windykacja rates add-interest business 2026-07-01 RATE"
    assert command in shown
    if language == "pl":
        assert "Odsetki: bez kwoty: w tabeli brak stawki od 01.07.2026" in shown
        # 40 EUR x 4.2512 = 170.05 PLN; the rate with a decimal comma.
        assert "Rekompensata: 40 EUR × 4,2512 (NBP 190/A/NBP/2026, 30.09.2026) = 170,05 PLN" \
            in shown
        assert "4.2512" not in shown
        assert ("Wezwanie wysłane dziś żądałoby: 1 404,61 PLN + odsetki od 27.10.2026 do dnia "
                "zapłaty") in shown
        assert "Odsetki do" not in shown and "0,00 PLN +" not in shown
    else:
        assert "Interest: no amount: the table has no rate from 01.07.2026" in shown
        assert "Compensation: 40 EUR × 4.2512 (NBP 190/A/NBP/2026, 30.09.2026) = 170.05 PLN" \
            in shown
        assert ("A demand sent today would claim: 1,404.61 PLN + interest from 27.10.2026 "
                "until payment") in shown


def test_history_without_the_eur_rate_states_the_compensation_in_eur(location, capsys):
    EurRate.delete().execute()
    assert run(location, "history", "FV/7") == 0
    shown = capsys.readouterr().out
    assert "Compensation: 40 EUR; no PLN amount: the NBP EUR rate for 2026-09 is not known. " \
        "Add it: 'windykacja rates refresh --since 2026-09'" in shown
    assert ("A demand sent today would claim: 1,234.56 PLN + interest from 27.10.2026 until "
            "payment + 40 EUR") in shown


def test_forecast_marks_the_demands_that_lack_a_rate(location, capsys):
    assert run(location, "forecast") == 0
    captured = capsys.readouterr()
    [line] = [row for row in captured.out.splitlines() if "FV/7" in row]
    assert line.endswith("[no interest rate 2026 H2]")
    assert ("no commercial-transaction interest rate for 2026 H2: 1 demand from 23.11.2026 "
            "will claim the interest in words") in captured.err
    assert "windykacja rates add-interest business 2026-07-01 RATE" in captured.err


@pytest.mark.parametrize("language", ["en", "pl"])
def test_run_once_says_before_the_pass_which_demands_lack_a_figure(location, capsys, language):
    assert run(location, "forecast") == 0
    [line] = [row for row in capsys.readouterr().out.splitlines() if "FV/7" in row]
    day = dt.datetime.strptime(line.split()[0], "%d.%m.%Y").date()
    assert main(["--db", location, "--lang", language, "--today", day.isoformat(),
                 "run-once"]) == 0
    captured = capsys.readouterr()
    command = "'windykacja rates add-interest business 2026-07-01 RATE"
    [warning] = [row for row in captured.err.splitlines() if command in row]
    assert ("no commercial-transaction interest rate for 2026 H2: 1 demand" in warning
            if language == "en" else "brak stawki odsetek" in warning), warning
    assert "FV/7" in captured.out  # the demand still went out, claiming interest in words
