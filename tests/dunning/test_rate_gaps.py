"""Which rate a demand lacks, and the one command that adds it (dunning/rate_gaps.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from windykacja.dunning.rate_gaps import RateGap, gaps_of
from windykacja.law.claim import DocumentTerms, claim_figures
from windykacja.law.compensation import EurRate
from windykacja.law.interest import load_rate_table

TODAY = dt.date(2026, 11, 23)


def figures(kind="business", due=dt.date(2026, 10, 26), gross="1234.56", currency="PLN",
            exchange_rate=None, eur=None):
    terms = DocumentTerms(due - dt.timedelta(days=14), due, due, Decimal(gross), currency,
                          exchange_rate, ())
    return claim_figures(terms, kind, TODAY, load_rate_table(), eur or {})


def test_a_commercial_half_year_without_its_notice_names_add_interest():
    [interest, eur] = gaps_of(figures(), interest=True, compensation=True)
    assert interest == RateGap("interest", "business", dt.date(2026, 7, 1))
    assert interest.period == "2026 H2"
    assert interest.command.startswith(
        "windykacja rates add-interest business 2026-07-01 RATE --source")
    assert eur == RateGap("compensation", "eur", dt.date(2026, 9, 1))
    assert eur.period == "2026-09"
    assert eur.command == "windykacja rates refresh --since 2026-09"


def test_healthcare_has_its_own_rate_and_a_consumer_no_compensation():
    [gap] = gaps_of(figures("healthcare"), interest=True, compensation=False)
    assert gap.command.startswith("windykacja rates add-interest healthcare 2026-07-01")
    # The ordinary rate runs until the next decision: a consumer lacks nothing in 2026.
    assert gaps_of(figures("private"), interest=True, compensation=True) == ()


def test_a_figure_not_claimed_is_no_gap_and_a_known_rate_none():
    assert gaps_of(figures(), interest=False, compensation=False) == ()
    eur = {"2026-09": EurRate(dt.date(2026, 9, 30), Decimal("4.2512"), "190/A/NBP/2026")}
    assert [g.figure for g in gaps_of(figures(eur=eur), interest=True,
                                      compensation=True)] == ["interest"]
    # A foreign document without its exchange rate: the tier is unknown, which is the
    # document's data, not a rate table's; the letter says it in words.
    assert gaps_of(figures(currency="EUR", gross="300.00"), interest=False,
                   compensation=True) == ()
