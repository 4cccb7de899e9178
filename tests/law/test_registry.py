"""When a debtor may be reported to a debtor registry (issue 16, point 4): the act's
thresholds, the 30 days, the month after the warning (KC art. 112), the six years for
consumers, and the cautious readings of law/registry.py, day by day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from windykacja.law.registry import (
    DebtorKind,
    RegistryClaim,
    RegistryWarning,
    Unmet,
    WarningChannel,
    month_after,
    registry_eligibility,
)

BUSINESS, CONSUMER = DebtorKind.BUSINESS, DebtorKind.CONSUMER


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def claim(amount: str, due: str, **more) -> RegistryClaim:
    return RegistryClaim(Decimal(amount), d(due), **more)


def posted(day: str, channel=WarningChannel.REGISTERED, names_bureau=True) -> RegistryWarning:
    return RegistryWarning(d(day), channel, names_bureau)


@pytest.mark.parametrize("sent, month_ends", [
    ("2027-01-15", "2027-02-15"),
    ("2027-01-31", "2027-02-28"),
    ("2028-01-31", "2028-02-29"),  # a leap year
    ("2027-03-31", "2027-04-30"),
    ("2027-12-20", "2028-01-20"),
])
def test_a_month_ends_on_the_same_date_or_the_months_last_day(sent, month_ends):
    assert month_after(d(sent)) == d(month_ends)


def test_a_business_exactly_one_month_after_posting_and_not_a_day_before():
    claims = (claim("500.00", "2026-12-01"),)
    warning = posted("2027-01-15")
    before = registry_eligibility(BUSINESS, claims, warning, d("2027-02-15"))
    assert before.unmet == (Unmet("month_not_passed", {"from": d("2027-02-16")}),)
    assert before.eligible_from == d("2027-02-16") and not before.reportable
    on = registry_eligibility(BUSINESS, claims, warning, d("2027-02-16"))
    assert on.reportable and on.eligible_from == d("2027-02-16")


def test_below_the_threshold_it_never_becomes_reportable():
    claims = (claim("499.99", "2026-10-01"),)
    for day in ("2027-02-16", "2028-01-01"):
        result = registry_eligibility(BUSINESS, claims, posted("2027-01-15"), d(day))
        assert result.eligible_from is None
        assert result.unmet == (Unmet("below_threshold", {
            "total": Decimal("499.99"), "threshold": Decimal("500.00")}),)


def test_a_consumer_from_200_zl():
    claims = (claim("200.00", "2026-10-01"),)
    assert registry_eligibility(CONSUMER, claims, posted("2027-01-15"), d("2027-02-16")
                                ).reportable
    assert not registry_eligibility(CONSUMER, (claim("199.99", "2026-10-01"),),
                                    posted("2027-01-15"), d("2027-02-16")).reportable


def test_claims_count_only_once_due_for_thirty_whole_days():
    # 300 due 1 Dec counts from 1 Jan; the second 300, due 20 Jan, is due from 21 Jan and
    # has been for 30 whole days (21 Jan - 19 Feb) from 20 Feb: the total reaches 500 on
    # 20 Feb, although the month after the warning ended on 15 Feb.
    claims = (claim("300.00", "2026-12-01"), claim("300.00", "2027-01-20"))
    result = registry_eligibility(BUSINESS, claims, posted("2027-01-15"), d("2027-02-16"))
    assert result.unmet == (Unmet("not_due_long_enough", {"from": d("2027-02-20")}),)
    assert result.eligible_from == d("2027-02-20")
    assert not registry_eligibility(BUSINESS, claims, posted("2027-01-15"), d("2027-02-19")
                                    ).reportable
    assert registry_eligibility(BUSINESS, claims, posted("2027-01-15"), d("2027-02-20")
                                ).reportable


def test_disputed_and_unwarned_claims_do_not_count():
    claims = (claim("400.00", "2026-10-01"), claim("400.00", "2026-10-01", disputed=True),
              claim("400.00", "2026-10-01", in_warning=False))
    result = registry_eligibility(BUSINESS, claims, posted("2027-01-15"), d("2027-03-01"))
    assert result.eligible_from is None
    assert result.unmet[0].code == "below_threshold"
    assert result.unmet[0].params["total"] == Decimal("400.00")


def test_no_warning_or_one_without_the_bureau_never_allows_it():
    claims = (claim("900.00", "2026-10-01"),)
    nothing = registry_eligibility(BUSINESS, claims, None, d("2027-03-01"))
    assert (nothing.eligible_from, nothing.unmet) == (None, (Unmet("no_warning"),))
    unnamed = registry_eligibility(BUSINESS, claims, posted("2027-01-15", names_bureau=False),
                                   d("2027-03-01"))
    assert unnamed.unmet == (Unmet("warning_without_bureau"),)


def test_an_e_mail_warning_counts_for_a_business_under_its_contract_not_for_a_consumer():
    claims = (claim("900.00", "2026-10-01"),)
    email = posted("2027-01-15", WarningChannel.EMAIL_PER_CONTRACT)
    assert registry_eligibility(BUSINESS, claims, email, d("2027-02-16")).reportable
    consumer = registry_eligibility(CONSUMER, claims, email, d("2027-02-16"))
    assert consumer.unmet == (Unmet("email_warning_to_consumer"),)


def test_a_consumers_claim_older_than_six_years_is_not_reported():
    claims = (claim("300.00", "2021-01-10"),)
    warning = posted("2026-12-01")
    assert registry_eligibility(CONSUMER, claims, warning, d("2027-01-10")).reportable
    late = registry_eligibility(CONSUMER, claims, warning, d("2027-01-11"))
    assert late.eligible_from is None and late.unmet[0].code == "below_threshold"
    # a business has no such limit in the act
    assert registry_eligibility(BUSINESS, (claim("600.00", "2021-01-10"),), warning,
                                d("2027-01-11")).reportable
