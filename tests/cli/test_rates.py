"""``windykacja rates …`` on a real database file, the refresh against a real HTTP server
shaped like the NBP API (tests/nbp_api.py; its figures are fixtures)."""

from __future__ import annotations

import pytest
from nbp_api import NbpApi

from windykacja.app import build_parser, main
from windykacja.models import EurRate, InterestRate
from windykacja.models.db import open_database


def run(db_path, *args):
    return main(["--db", str(db_path), "--today", "2025-07-15", *args])


@pytest.mark.parametrize("action", ["list", "refresh", "add-interest", "add-eur",
                                    "remove-interest"])
def test_every_rates_action_has_help(action, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["rates", action, "--help"])
    assert exit_info.value.code == 0
    assert "usage: windykacja rates" in capsys.readouterr().out


def test_list_shows_rates_with_their_sources(db_location, capsys):
    assert run(db_location("r.db"), "rates", "list", "--interest", "healthcare") == 0
    out = capsys.readouterr().out
    assert "healthcare 01.01.2026   12.00 %  shipped" in out
    assert "EUR" not in out
    assert run(db_location("r.db"), "rates", "list", "--eur") == 0
    out = capsys.readouterr().out
    assert "2024-12  31.12.2024  4.2730  252/A/NBP/2024  shipped" in out
    assert "archiwum_tab_a_2024.csv" in out and "interest" not in out


def test_add_interest_then_list_and_remove(db_location, capsys, monkeypatch):
    monkeypatch.setenv("WINDYKACJA_USER", "anna")
    db_path = db_location("r.db")
    assert run(db_path, "rates", "add-interest", "business", "2026-07-01", "13.75",
               "--source", "M.P. 2026 poz. 600") == 0
    assert "Stored: business interest 13.75 % a year from 01.07.2026" in \
        capsys.readouterr().out
    run(db_path, "rates", "list", "--interest", "business")
    assert "business   01.07.2026   13.75 %  stored   M.P. 2026 poz. 600 [anna]" in \
        capsys.readouterr().out
    assert run(db_path, "rates", "remove-interest", "business", "2026-07-01") == 0
    assert run(db_path, "rates", "remove-interest", "business", "2026-07-01") == 1
    assert "no stored business rate" in capsys.readouterr().err


def test_a_bad_interest_rate_exits_1_with_the_reason(db_location, capsys):
    db_path = db_location("r.db")
    assert run(db_path, "rates", "add-interest", "business", "2026-08-01", "13.75",
               "--source", "x") == 1
    assert "starts on 1 January or 1 July, not on 01.08.2026" in capsys.readouterr().err
    open_database(str(db_path))
    assert InterestRate.select().count() == 0


def test_add_eur_overrides_the_shipped_rate_and_says_so(db_location, capsys):
    db_path = db_location("r.db")
    assert run(db_path, "rates", "add-eur", "2024-12", "2024-12-31", "4.2731",
               "--table", "252/A/NBP/2024", "--source", "typed") == 0
    captured = capsys.readouterr()
    assert "Stored: EUR 4.2731 for 2024-12" in captured.out
    assert "overrides the shipped 4.2730" in captured.err
    assert run(db_path, "rates", "add-eur", "2025-04", "2025-05-02", "4.27",
               "--table", "083/A/NBP/2025", "--source", "typed") == 1
    assert "is not from 2025-04" in capsys.readouterr().err


def test_refresh_from_a_mirror_given_by_option_or_environment(db_location, capsys, monkeypatch):
    db_path = db_location("r.db")
    with NbpApi() as api:
        api.months["2025-04"] = [("082/A/NBP/2025", "2025-04-30", "4.2778")]
        api.months["2025-06"] = [("124/A/NBP/2025", "2025-06-30", "4.2400")]
        monkeypatch.setenv("WINDYKACJA_NBP_URL", api.url)
        assert run(db_path, "rates", "refresh") == 0
        captured = capsys.readouterr()
        assert "2025-04: 4.2778 (table 082/A/NBP/2025 of 30.04.2025)" in captured.out
        assert "2 of 3 months stored" in captured.out
        assert "2025-05: NBP published no table A that month; skipped" in captured.err
        assert run(db_path, "rates", "refresh") == 0
        assert "Nothing to fetch" in capsys.readouterr().out
        monkeypatch.delenv("WINDYKACJA_NBP_URL")
        api.answers["2025-05"] = "500"
        assert run(db_path, "rates", "refresh", "--since", "2025-05", "--url", api.url) == 1
    err = capsys.readouterr().err
    assert "EUR rates not refreshed, nothing stored:" in err
    assert f"{api.url}/rates/a/eur/2025-05-01/2025-05-31/?format=json: NBP answered HTTP 500" \
        in err
    open_database(str(db_path))
    assert EurRate.select().count() == 2
