from decimal import Decimal

import pytest

from windykacja.models.money import MoneyError, format_amount, parse_amount, to_grosze


@pytest.mark.parametrize(
    "text, expected",
    [("1234.56", "1234.56"), ("1234,56", "1234.56"), ("1 234,56", "1234.56"),
     ("1\u00a0234,5", "1234.50"), ("7", "7.00"), ("-3,10", "-3.10")],
)
def test_parse_amount_accepts_the_spec_forms(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "12.345", "1.234,56", "abc", "12,3,4"])
def test_parse_amount_refuses_what_is_not_money(text):
    with pytest.raises(MoneyError):
        parse_amount(text)


def test_to_grosze_refuses_fractions_of_a_grosz():
    assert to_grosze(Decimal("12345678901234.56")) == 1234567890123456
    with pytest.raises(MoneyError):
        to_grosze(Decimal("0.125"))


def test_format_amount_groups_thousands():
    assert format_amount(Decimal("1234567.8")) == "1 234 567,80 PLN"
    assert format_amount(Decimal("-5"), "EUR") == "-5,00 EUR"
