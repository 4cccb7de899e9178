"""One document's claim on a day: interest, compensation and limitation together."""

import datetime as dt
from decimal import Decimal

import pytest

from windykacja.law.claim import DocumentTerms, claim_figures
from windykacja.law.compensation import EurRate, Missing
from windykacja.law.interest import load_rate_table

day = dt.date
D = Decimal
# A made-up rate for the January 2026 month-end, used only to check the arithmetic.
EUR = {"2026-01": EurRate(day(2026, 1, 30), D("4.2000"), "020/A/NBP/2026")}


@pytest.fixture(scope="module")
def rates():
    return load_rate_table()


def terms(gross="4920.00", payments=(), currency="PLN", exchange_rate=None,
          due=day(2026, 2, 26)):
    return DocumentTerms(issue_date=day(2026, 2, 12), due_date=due, legal_due_date=due,
                         gross=D(gross), currency=currency, exchange_rate=exchange_rate,
                         payments=tuple(payments))


def test_the_reference_example_paid_18_days_late(rates):
    # Reference §1.5: 4,920.00 PLN due 2026-02-26, credited 2026-03-16: 18 days at 14.00 %
    # (2026 H1) = 4920 x 0.14 x 18 / 365 = 33.97. Asked later, the interest stays 33.97.
    figures = claim_figures(terms(payments=[(day(2026, 3, 16), D("4920.00"))]), "business",
                            day(2026, 4, 30), rates, EUR)
    assert figures.interest_amount == D("33.97")
    assert figures.interest.days_late == 18


def test_a_partial_payment_lowers_the_base_from_the_next_day(rates):
    # 4920.00 for 10 days (27 Feb - 8 Mar) then 2920.00 for 12 days (9 - 20 Mar), 14 %:
    # 4920 x 14 x 10 / 36500 = 18.8712..., 2920 x 14 x 12 / 36500 = 13.4400; sum 32.31.
    figures = claim_figures(terms(payments=[(day(2026, 3, 8), D("2000.00"))]), "business",
                            day(2026, 3, 20), rates, EUR)
    assert figures.interest_amount == D("32.31")
    assert figures.days_late == 22


def test_compensation_for_a_business_debtor_uses_the_month_before_the_due_month(rates):
    figures = claim_figures(terms(), "business", day(2026, 3, 20), rates, EUR)
    assert figures.compensation.eur == 40  # 4,920.00 does not exceed 5,000
    assert figures.compensation_pln == D("168.00")  # 40 x 4.2000


def test_a_consumer_owes_no_compensation_and_the_ordinary_rate(rates):
    # Reference §1.5: 6 days at 9.50 % plus 12 days at 9.25 % = 22.65 (ordinary interest).
    figures = claim_figures(terms(payments=[(day(2026, 3, 16), D("4920.00"))]), "private",
                            day(2026, 3, 20), rates, EUR)
    assert figures.compensation is None
    assert figures.interest_amount == D("22.65")
    assert figures.limitation_date == day(2028, 12, 31)


def test_no_eur_rate_for_the_month_is_said(rates):
    figures = claim_figures(terms(due=day(2026, 4, 28)), "business", day(2026, 5, 5), rates, EUR)
    assert isinstance(figures.compensation, Missing)
    assert figures.compensation.month == "2026-03"
    assert figures.compensation_pln is None


def test_a_foreign_currency_claim_is_valued_at_its_exchange_rate(rates):
    # 1,500.00 EUR at 4.2500 = 6,375.00 PLN: above 5,000, so 70 EUR.
    figures = claim_figures(terms("1500.00", currency="EUR", exchange_rate=D("4.2500")),
                            "business", day(2026, 3, 20), rates, EUR)
    assert figures.compensation.eur == 70
    without = claim_figures(terms("1500.00", currency="EUR"), "business", day(2026, 3, 20),
                            rates, EUR)
    assert isinstance(without.compensation, Missing)
    assert "no exchange rate" in without.compensation.reason


def test_a_missing_interest_rate_is_an_answer_not_a_crash(rates):
    # The shipped table stops at 2026 H1 for business debtors.
    figures = claim_figures(terms(), "business", day(2026, 7, 10), rates, EUR)
    assert figures.interest is None
    assert "2026 H2" in figures.interest_missing
    assert figures.days_late == 134


def test_nothing_is_late_before_the_due_date(rates):
    figures = claim_figures(terms(), "business", day(2026, 2, 26), rates, EUR)
    assert figures.days_late == 0
    assert figures.interest_amount == D("0.00")
    assert figures.compensation is None
