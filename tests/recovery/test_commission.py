"""The commission table (SPEC §8 step 4, issue 4): every boundary, the minimum, the age jump."""

from __future__ import annotations

import copy
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from windykacja.recovery import agencies
from windykacja.recovery.agencies import (
    Agency,
    AgencyError,
    agency_from_dict,
    default_agency,
    load_agency,
)
from windykacja.recovery.commission import (
    AgeRule,
    CommissionTable,
    CommissionTableError,
    commission,
)

SHIPPED = Path(agencies.__file__).parent / "data" / "example_agency.json"

PUBLISHED = {
    "currency": "PLN",
    "amount_limits": ["10000.00", "50000.00"],
    "days_limits": [30, 180, 365],
    "rates": [[6, 8, 10, 12], [4, 6, 8, 10], [2, 4, 6, 8]],
    "minimum_fee": "50.00",
    "age_rule": {"after_days": 730, "rate": 18},
}

D = Decimal


@pytest.fixture(scope="module")
def table() -> CommissionTable:
    return load_agency(SHIPPED).commission


def rate_of(table: CommissionTable, amount: str, days: int) -> Decimal:
    return commission(table, D(amount), days).rate


# --- band boundaries -----------------------------------------------------------------


@pytest.mark.parametrize(("amount", "band", "rate"), [
    ("0.01", 0, 10), ("10000.00", 0, 10), ("10000.01", 1, 8),
    ("50000.00", 1, 8), ("50000.01", 2, 6), ("9999999.99", 2, 6),
])
def test_amount_limits_are_inclusive_upper_limits(table, amount, band, rate):
    result = commission(table, D(amount), 200)  # 181–365 days column
    assert result.amount_band == band
    assert result.rate == rate


@pytest.mark.parametrize(("days", "band", "rate"), [
    (0, 0, 6), (1, 0, 6), (30, 0, 6), (31, 1, 8), (180, 1, 8), (181, 2, 10),
    (365, 2, 10), (366, 3, 12), (730, 3, 12),
])
def test_days_limits_are_inclusive_upper_limits(table, days, band, rate):
    result = commission(table, D("5000.00"), days)
    assert result.days_band == band
    assert result.rate == rate
    assert not result.age_rule_applied


def test_every_cell_of_the_grid(table):
    amounts = ["10000.00", "50000.00", "50000.01"]
    days = [30, 180, 365, 366]
    grid = [[rate_of(table, amount, day) for day in days] for amount in amounts]
    assert grid == [[6, 8, 10, 12], [4, 6, 8, 10], [2, 4, 6, 8]]


def test_exact_boundary_amounts(table):
    assert commission(table, D("10000.00"), 30).amount == D("600.00")
    assert commission(table, D("10000.01"), 30).amount == D("400.00")  # 400.0004
    assert commission(table, D("50000.00"), 366).amount == D("5000.00")
    assert commission(table, D("50000.01"), 366).amount == D("4000.00")  # 4000.0008


# --- the minimum fee -------------------------------------------------------------------


def test_minimum_fee_when_the_rate_gives_less(table):
    result = commission(table, D("300.00"), 10)  # 6% = 18.00
    assert result.by_rate == D("18.00")
    assert result.amount == D("50.00")
    assert result.minimum_applied
    assert "minimum fee 50.00 PLN" in result.basis
    assert "18.00 PLN" in result.basis


def test_minimum_fee_exactly_reached_is_the_rate(table):
    result = commission(table, D("833.34"), 10)  # 6% = 50.0004 -> 50.00
    assert result.amount == D("50.00")
    assert not result.minimum_applied
    below = commission(table, D("833.25"), 10)  # 6% = 49.995 -> 50.00 half-up
    assert below.by_rate == D("50.00") and not below.minimum_applied
    assert commission(table, D("833.24"), 10).minimum_applied  # 49.9944 -> 49.99


def test_minimum_fee_even_above_the_amount(table):
    assert commission(table, D("20.00"), 5).amount == D("50.00")


# --- the age rule ------------------------------------------------------------------------


@pytest.mark.parametrize(("amount", "cell_rate"), [
    ("10000.00", 12), ("50000.00", 10), ("50000.01", 8),
])
def test_age_jump_from_730_to_731_days_in_every_amount_band(table, amount, cell_rate):
    at_730 = commission(table, D(amount), 730)
    at_731 = commission(table, D(amount), 731)
    assert at_730.rate == cell_rate and not at_730.age_rule_applied
    assert at_731.rate == 18 and at_731.age_rule_applied
    assert at_731.amount == (D(amount) * 18 / 100).quantize(D("0.01"), ROUND_HALF_UP)
    assert "more than 730" in at_731.basis


def test_age_rule_with_the_minimum(table):
    result = commission(table, D("100.00"), 1000)
    assert result.age_rule_applied and result.minimum_applied
    assert result.amount == D("50.00")


# --- rounding ------------------------------------------------------------------------------


@pytest.mark.parametrize(("amount", "days", "expected"), [
    ("12345.65", 100, "740.74"),   # 6%: 740.739 -> 740.74
    ("10000.25", 100, "600.02"),   # 6%: 600.015 -> half-up 600.02 (banker's would say .02 too)
    ("10000.75", 100, "600.05"),   # 6%: 600.045 -> half-up 600.05, banker's would give 600.04
    ("50000.25", 10, "1000.01"),   # 2%: 1000.005 -> half-up 1000.01, banker's gives 1000.00
    ("1234.58", 800, "222.22"),    # 18%: 222.2244 -> 222.22
])
def test_rounding_half_up_to_the_grosz(table, amount, days, expected):
    result = commission(table, D(amount), days)
    assert result.amount == D(expected)
    assert result.amount.as_tuple().exponent == -2


def test_inputs_refused(table):
    with pytest.raises(TypeError):
        commission(table, 1000.0, 10)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="whole grosze"):
        commission(table, D("100.001"), 10)
    with pytest.raises(ValueError, match="positive"):
        commission(table, D("0"), 10)
    with pytest.raises(ValueError, match="negative"):
        commission(table, D("100"), -1)


def test_basis_in_both_languages(table):
    result = commission(table, D("12000.00"), 200)
    assert result.basis == ("8% of 12,000.00 PLN (amount 10,000.01–50,000.00 PLN, "
                            "oldest receivable 181–365 days overdue)")
    assert result.describe("pl") == ("8% od 12 000,00 PLN (kwota 10 000,01–50 000,00 PLN, "
                                     "najstarsza należność przeterminowana 181–365 dni)")


def test_band_labels(table):
    assert table.amount_band_labels() == [
        "up to 10,000.00 PLN", "10,000.01–50,000.00 PLN", "over 50,000.00 PLN"]
    assert table.days_band_labels() == [
        "up to 30 days", "31–180 days", "181–365 days", "over 365 days"]
    assert table.days_band_labels("pl")[-1] == "powyżej 365 dni"


# --- invalid tables --------------------------------------------------------------------------


def broken(**changes) -> dict:
    data = copy.deepcopy(PUBLISHED)
    for key, value in changes.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(("data", "reason"), [
    (broken(amount_limits=["50000.00", "10000.00"]), r"amount_limits must be in ascending"),
    (broken(amount_limits=["10000.00", "10000.00"]), r"amount_limits must be in ascending"),
    (broken(days_limits=[30, 365, 180]), r"days_limits must be in ascending"),
    (broken(rates=[[6, 8, 10, 12], [4, 6, 8, 10]]), r"rates has 2 row\(s\).*3 amount bands"),
    (broken(rates=[[6, 8, 10, 12], [4, 6, 8], [2, 4, 6, 8]]),
     r"rates\[1\] has 3 rate\(s\).*a rate for every cell"),
    (broken(rates=[[6, 8, 10, 12], [4, 6, 8, 101], [2, 4, 6, 8]]),
     r"rates\[1\]\[3\] 101% is outside 0–100"),
    (broken(rates=[[6, 8, 10, -1], [4, 6, 8, 10], [2, 4, 6, 8]]),
     r"rates\[0\]\[3\] -1% is outside 0–100"),
    (broken(rates=[[6, 8, "ten", 12], [4, 6, 8, 10], [2, 4, 6, 8]]),
     r"rates\[0\]\[2\]: 'ten' is not a number"),
    (broken(rates=[[6, 8, 10.5, 12], [4, 6, 8, 10], [2, 4, 6, 8]]),
     r"rates\[0\]\[2\].*float"),
    (broken(minimum_fee="-1.00"), r"minimum_fee cannot be negative"),
    (broken(minimum_fee="50.001"), r"minimum_fee 50.001 is not in whole grosze"),
    (broken(minimum_fee=None), r"minimum_fee is missing"),
    (broken(amount_limits=["0.00", "50000.00"]), r"amount_limits\[0\] must be more than 0"),
    (broken(days_limits=[30, 180, "365"]), r"days_limits\[2\] must be a whole number"),
    (broken(days_limits=[-5, 180, 365]), r"days_limits\[0\] cannot be negative"),
    (broken(currency="EUR"), r"only PLN"),
    (broken(rate=[1]), r"unknown key\(s\) rate"),
    (broken(age_rule={"after_days": 730}), r"age_rule.rate is missing"),
    (broken(age_rule={"after_days": 730, "rate": 10}),
     r"age_rule.rate 10% is lower than rates\[0\]\[3\] 12%.*must be higher"),
    (broken(age_rule={"after_days": 100, "rate": 11}),
     r"age_rule.rate 11% is lower than rates\[0\]\[3\] 12%"),
    (broken(age_rule={"after_days": 730, "rate": 180}), r"age_rule.rate 180% is outside"),
    (broken(rates="6%"), r"rates must be a list"),
])
def test_invalid_tables_refused_with_the_reason(data, reason):
    with pytest.raises(CommissionTableError, match=reason):
        CommissionTable.from_dict(data)


def test_table_built_in_code_is_checked_too():
    with pytest.raises(CommissionTableError, match="rates has 1 row"):
        CommissionTable(amount_limits=(D("100.00"),), days_limits=(), rates=((D(5),),),
                        minimum_fee=D("0"))


def test_age_rule_may_stay_below_cells_it_never_replaces():
    # after_days 365 leaves the ≤365 column alone; only the open-ended column is replaced.
    table = CommissionTable.from_dict(
        broken(rates=[[6, 8, 20, 12], [4, 6, 8, 10], [2, 4, 6, 8]],
               age_rule={"after_days": 365, "rate": 15}))
    assert commission(table, D("1000.00"), 365).rate == 20
    assert commission(table, D("1000.00"), 366).rate == 15


def test_table_without_an_age_rule_or_limits():
    table = CommissionTable.from_dict(
        {"amount_limits": [], "days_limits": [], "rates": [["7.5"]], "minimum_fee": "0"})
    result = commission(table, D("1000.00"), 5000)
    assert result.rate == D("7.5") and not result.age_rule_applied
    assert result.amount == D("75.00")
    assert result.basis == "7.5% of 1,000.00 PLN (flat rate)"
    assert table.amount_band_labels() == ["any amount"]


def test_to_dict_round_trips(table):
    again = CommissionTable.from_dict(json.loads(json.dumps(table.to_dict())))
    assert again == table


# --- the shipped agency ------------------------------------------------------------------------


def test_shipped_file_is_the_published_example():
    agency = load_agency(SHIPPED)
    assert isinstance(agency, Agency)
    table = agency.commission
    assert table.amount_limits == (D("10000.00"), D("50000.00"))
    assert table.days_limits == (30, 180, 365)
    assert table.minimum_fee == D("50.00")
    assert table.age_rule == AgeRule(after_days=730, rate=D(18))
    rates = [rate for row in table.rates for rate in row]
    assert min(rates) == 2 and max(rates) == 12  # the published 2–12% range
    # Higher for older debts, lower for larger amounts.
    for row in table.rates:
        assert list(row) == sorted(row)
    for column in zip(*table.rates, strict=True):
        assert list(column) == sorted(column, reverse=True)
    assert table == CommissionTable.from_dict(PUBLISHED)


def test_shipped_agency_fields():
    agency = load_agency(SHIPPED)
    assert agency.code == "example_agency"
    assert agency.terms_version == "2026-01"
    assert agency.gateway.kind == "email"
    assert agency.gateway.intake_email == "zlecenia@agencja.example"
    assert 25 <= len(agency.terms.splitlines()) <= 60
    assert "prowizja wyłącznie od kwot faktycznie odzyskanych" in " ".join(agency.terms.split())
    assert agency.terms_en and agency.terms_text("en") == agency.terms_en
    assert agency.terms_text("pl") == agency.terms
    assert "assumption" in agency.note and "2–12%" in agency.source


def test_by_code_and_default_agree_with_the_file():
    assert load_agency("example_agency") == load_agency(SHIPPED) == default_agency()


# --- malformed agency files ----------------------------------------------------------------------


def shipped_data() -> dict:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "agency.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "reason"), [
    (lambda d: d.pop("terms"), r"missing terms"),
    (lambda d: d.update(terms=""), r"terms must be the full text"),
    (lambda d: d.update(code="Bad Code"), r"code 'Bad Code' must be lower-case"),
    (lambda d: d.update(gateway={"kind": "fax"}), r"gateway.kind must be one of email, http"),
    (lambda d: d.update(gateway={"kind": "email", "intake_email": "nope"}),
     r"gateway.intake_email: e-mail 'nope' is not valid"),
    (lambda d: d.update(gateway={"kind": "http", "url": "ftp://x"}), r"gateway.url must start"),
    (lambda d: d["commission"].update(minimum_fee="abc"),
     r"commission: minimum_fee: 'abc' is not a number"),
    (lambda d: d.update(colour="red"), r"unknown key\(s\) colour"),
])
def test_malformed_agency_refused(tmp_path, change, reason):
    data = shipped_data()
    change(data)
    path = write(tmp_path, data)
    with pytest.raises(AgencyError, match=reason) as raised:
        load_agency(path)
    assert str(path) in str(raised.value)


def test_not_json_refused_with_the_line(tmp_path):
    path = tmp_path / "agency.json"
    path.write_text('{"code": "x",\n  oops}', encoding="utf-8")
    with pytest.raises(AgencyError, match=r"not valid JSON \(line 2"):
        load_agency(path)


def test_missing_file_and_unknown_code(tmp_path):
    with pytest.raises(AgencyError, match="cannot read"):
        load_agency(tmp_path / "none.json")
    with pytest.raises(AgencyError, match=r"no agency with the code 'nobody' \(known: "
                                          r"example_agency"):
        load_agency("nobody")


def test_decimal_rates_from_the_file_are_exact(tmp_path):
    data = shipped_data()
    text = json.dumps(data).replace('"rate": 18', '"rate": 18.5')
    path = tmp_path / "agency.json"
    path.write_text(text, encoding="utf-8")
    assert load_agency(path).commission.age_rule == AgeRule(730, D("18.5"))


def test_http_gateway():
    data = shipped_data()
    data["gateway"] = {"kind": "http", "url": "http://127.0.0.1:8080/cases"}
    assert agency_from_dict(data).gateway.url == "http://127.0.0.1:8080/cases"


# --- properties --------------------------------------------------------------------------------


amounts = st.decimals(min_value=D("0.01"), max_value=D("10000000.00"), places=2,
                      allow_nan=False, allow_infinity=False)
days = st.integers(min_value=0, max_value=5000)


@st.composite
def monotonic_tables(draw) -> CommissionTable:
    """Random tables whose rates never fall as the debt gets older (like real ones)."""
    amount_limits = sorted(draw(st.sets(st.integers(1, 10_000_000), max_size=3)))
    days_limits = sorted(draw(st.sets(st.integers(0, 1000), max_size=4)))
    rows = []
    for _ in range(len(amount_limits) + 1):
        steps = draw(st.lists(st.integers(0, 500), min_size=len(days_limits) + 1,
                              max_size=len(days_limits) + 1))
        row, total = [], 0
        for step in steps:
            total = min(total + step, 10_000)
            row.append(D(total) / 100)  # hundredths of a percent
        rows.append(row)
    data = {
        "amount_limits": [str(D(limit) / 100) for limit in amount_limits],
        "days_limits": days_limits,
        "rates": [[str(rate) for rate in row] for row in rows],
        "minimum_fee": str(D(draw(st.integers(0, 100_000))) / 100),
    }
    if draw(st.booleans()):
        highest = max(rate for row in rows for rate in row)
        data["age_rule"] = {"after_days": draw(st.integers(0, 2000)),
                            "rate": str(min(highest + D(draw(st.integers(0, 1000))) / 100,
                                            D(100)))}
    return CommissionTable.from_dict(data)


tables = st.one_of(st.just(CommissionTable.from_dict(PUBLISHED)), monotonic_tables())


@given(tables, amounts, days, days)
def test_commission_bounds_and_never_falls_with_age(table, amount, days_a, days_b):
    result = commission(table, amount, days_a)
    ceiling = (table.max_rate * amount / 100).quantize(D("0.01"), ROUND_HALF_UP)
    assert result.amount >= table.minimum_fee
    assert result.amount <= ceiling + table.minimum_fee
    assert result.amount == max(result.by_rate, table.minimum_fee)
    younger, older = sorted((days_a, days_b))
    assert commission(table, amount, younger).amount <= commission(table, amount, older).amount
