"""The shipped NBP EUR table (law/data/eur_rates.json) and its parser.

Spot checks are read from the NBP yearly archives of table A
(https://nbp.pl/statystyka-i-sprawozdawczosc/kursy/archiwum-tabela-a-csv-xls/), as copied in
the public repositories each row's "source" names.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from windykacja.law.compensation import Compensation, EurRate, Missing, compensation
from windykacja.law.eur_rates import (
    EurRateError,
    check_eur_rate,
    load_eur_rates,
    load_eur_table,
    parse_eur_rates,
)
from windykacja.ledger.calendar import is_business_day

D = Decimal


def good_row(**changes):
    row = {"month": "2024-12", "effective_date": "2024-12-31", "mid": "4.2730",
           "table": "252/A/NBP/2024", "source": "test"}
    row.update(changes)
    return row


def test_the_shipped_table_parses_one_row_a_month_from_december_2019():
    rates = load_eur_rates()
    months = sorted(rates)
    assert months[0] == "2019-12"
    year, month = 2019, 12
    for key in months:  # no month skipped
        assert key == f"{year:04d}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    assert all(isinstance(rate.mid, Decimal) for rate in rates.values())


@pytest.mark.parametrize(("month", "day", "mid", "table"), [
    # rafglo/Industry-Risk-Management archiwum_tab_a_2019.csv, line 20191231, column 1EUR.
    ("2019-12", dt.date(2019, 12, 31), "4.2585", "251/A/NBP/2019"),
    # rafglo/Industry-Risk-Management archiwum_tab_a_2024.csv, line 20241231, column 1EUR.
    ("2024-12", dt.date(2024, 12, 31), "4.2730", "252/A/NBP/2024"),
    # arbiza/exchange-rate-from-previous-day archiwum_tab_a_2022.csv, line 20221031:
    # 31 October 2022 was a Monday; 1 November is a holiday.
    ("2022-10", dt.date(2022, 10, 31), "4.7089", "211/A/NBP/2022"),
    # rafglo/Industry-Risk-Management archiwum_tab_a_2023.csv, line 20230929: 30 September
    # 2023 was a Saturday, so the month's last table is Friday's.
    ("2023-09", dt.date(2023, 9, 29), "4.6356", "189/A/NBP/2023"),
])
def test_spot_checks_against_the_nbp_archives(month, day, mid, table):
    assert load_eur_rates()[month] == EurRate(day, D(mid), table)


def test_every_shipped_row_is_its_months_last_business_day_and_names_its_source():
    for month, row in load_eur_table().items():
        day = row.rate.effective_date
        assert is_business_day(day), month
        after = [day + dt.timedelta(days=n) for n in range(1, 5)]
        assert not [d for d in after if d.month == day.month and is_business_day(d)], month
        assert "archiwum_tab_a_" in row.source and "GitHub" in row.source, month


def test_the_shipped_table_feeds_the_compensation():
    # Due 2025-02-26 → the rate of January 2025: 4.2130 (table 021/A/NBP/2025), 40 EUR.
    result = compensation(D("1000.00"), dt.date(2025, 2, 26), load_eur_rates())
    assert isinstance(result, Compensation)
    assert result.pln == D("168.52") and result.rate.table_no == "021/A/NBP/2025"
    # A month not shipped is reported, never guessed.
    assert isinstance(compensation(D("1000.00"), dt.date(2099, 2, 1), load_eur_rates()),
                      Missing)


@pytest.mark.parametrize(("change", "message"), [
    ({"mid": "4,27301"}, "has more than 4 decimal places"),
    ({"mid": 4.273}, "must be written as text"),
    ({"mid": "0"}, "is not a rate in PLN per euro"),
    ({"effective_date": "2025-01-02"}, "is not in 2024-12"),
    ({"effective_date": "31.12.2024"}, "is not a date like"),
    ({"table": "252/NBP/2024"}, "is not a table-A number"),
    ({"table": "252/A/NBP/2023"}, "table 252/A/NBP/2023 is of 2023"),
    ({"month": "2024-13"}, "is not a month like"),
    ({"source": " "}, "say where the rate was read"),
])
def test_a_bad_row_names_itself(change, message):
    rows = [good_row(month="2024-11", effective_date="2024-11-29", table="232/A/NBP/2024"),
            good_row(**change)]
    with pytest.raises(EurRateError) as error:
        parse_eur_rates({"rates": rows})
    assert str(error.value).startswith(f"EUR rate row 2 ({rows[1]['month']}): ")
    assert message in str(error.value)


def test_rows_must_be_in_order_one_per_month():
    with pytest.raises(EurRateError, match="row 2 .*comes after 2024-12"):
        parse_eur_rates({"rates": [good_row(), good_row()]})


def test_a_file_is_read_with_exact_numbers(tmp_path):
    path = tmp_path / "eur.json"
    path.write_text('{"rates": [{"month": "2024-12", "effective_date": "2024-12-31", '
                    '"mid": 4.2730, "table": "252/A/NBP/2024", "source": "x"}]}')
    assert load_eur_rates(path)["2024-12"].mid == D("4.2730")
    path.write_text(json.dumps({"nothing": []}))
    with pytest.raises(EurRateError, match="no \"rates\" list"):
        load_eur_rates(path)


def test_check_names_the_field_for_a_form():
    with pytest.raises(EurRateError) as error:
        check_eur_rate("2024-12", "2024-12-31", "abc", "252/A/NBP/2024")
    assert error.value.field == "mid"
