"""``forecast`` once today's pass has run (issue 12, point 9): the pass runs once a day,
so the forecast starts tomorrow and says so; nothing is listed under today."""

from __future__ import annotations

import datetime as dt

import pytest

from windykacja.app import main

TODAY = dt.date(2026, 11, 23)  # a Monday


@pytest.fixture
def location(db_location, collection, clock, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # the default outbox folder lands here
    clock.day = TODAY
    contractor = collection.contractor(email="klient@example.pl")
    collection.document(contractor, dt.date(2026, 11, 26), number="FV/SENT")
    return db_location()


def run(location, *args, language="en"):
    return main(["--db", location, "--lang", language, "--today", TODAY.isoformat(), *args])


@pytest.mark.parametrize("language", ["en", "pl"])
def test_after_the_pass_the_forecast_starts_tomorrow(location, collection, capsys,
                                                     language):
    assert run(location, "forecast") == 0
    assert "23.11.2026  reminder       FV/SENT" in capsys.readouterr().out  # before the pass
    assert run(location, "run-once") == 0
    # Entered after the pass: its reminder falls due today, but today's pass is over.
    later = collection.contractor(email="pozniej@example.pl")
    collection.document(later, dt.date(2026, 11, 26), number="FV/LATER")
    capsys.readouterr()
    assert run(location, "forecast", language=language) == 0
    shown = capsys.readouterr().out.splitlines()
    assert not any(line.startswith("23.11.2026") for line in shown)
    # FV/SENT's reminder went today: only its demand after the due date is left.
    assert [line[:10] for line in shown if "FV/SENT" in line] == ["03.12.2026"]
    later_lines = [line for line in shown if "FV/LATER" in line]
    assert later_lines[0].startswith("24.11.2026")  # with tomorrow's pass
    if language == "pl":
        assert shown[0] == ("Dzisiejszy przebieg już się odbył; prognoza zaczyna się od "
                            "jutra, 24.11.2026.")
    else:
        assert shown[0] == "Today's pass has run; the forecast starts tomorrow, 24.11.2026."
