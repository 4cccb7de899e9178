"""``forecast.coming_gaps`` walks only the documents that may lack a rate, and answers
exactly what the whole forecast says (``summarise(forecast(...))``): on real databases
with interest and EUR rates missing, rates that end inside the window, consumers and
businesses, foreign documents, payments, demands already sent, and every setting that
turns a figure off. The oracle is the forecast itself; each scenario also checks that
the oracle found gaps where it should, so a shortcut that wrongly says "no gaps" fails.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from windykacja.dunning.forecast import coming_gaps, forecast
from windykacja.dunning.rate_gaps import lacking_before, summarise
from windykacja.law.compensation import EurRate
from windykacja.law.interest import load_rate_table
from windykacja.ledger.actions import record_payment
from windykacja.ledger.rates import add_eur_rate, add_interest_rate
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import Document

# Legal due dates around every edge the rate tables have: the first ordinary and
# commercial rates (1.1.2016), the first EUR month (2019-12, for payments due in
# January 2020), the last shipped EUR month (2025-03), the last shipped half-year
# (2026 H1), and the windows below.
EDGES = [dt.date(2015, 11, 30), dt.date(2015, 12, 30), dt.date(2015, 12, 31),
         dt.date(2016, 1, 4), dt.date(2019, 11, 29), dt.date(2019, 12, 31),
         dt.date(2020, 1, 2), dt.date(2020, 1, 31), dt.date(2025, 3, 31),
         dt.date(2025, 4, 1), dt.date(2025, 4, 30), dt.date(2025, 5, 5),
         dt.date(2026, 5, 29), dt.date(2026, 6, 5), dt.date(2026, 6, 30),
         dt.date(2026, 7, 1), dt.date(2026, 10, 26), dt.date(2026, 11, 2),
         dt.date(2026, 11, 13), dt.date(2026, 12, 1)]
# Windows (first day): across the first rates, inside a covered half-year, across the
# end of the shipped half-years, across a new year, after the tables.
STARTS = [dt.date(2015, 12, 21), dt.date(2016, 1, 11), dt.date(2020, 1, 13),
          dt.date(2025, 5, 12), dt.date(2026, 6, 1), dt.date(2026, 6, 22),
          dt.date(2026, 11, 23), dt.date(2026, 12, 21)]
FLAGS = [("yes", "yes"), ("yes", "no"), ("no", "yes"), ("no", "no")]


def _ledger(collection, seed: int) -> None:
    """Documents of every kind at and between the edges: some paid in part, some in
    EUR, some with demands already sent."""
    rng = random.Random(seed)
    contractors = [collection.contractor(kind=kind, name=f"{kind} {n}")
                   for kind in ("business", "healthcare", "private") for n in range(2)]
    dues = EDGES + [dt.date(2015, 6, 1) + dt.timedelta(days=rng.randrange(4300))
                    for _ in range(20)]
    for index, due in enumerate(dues * 2):
        contractor = contractors[index % len(contractors)]
        foreign = rng.random() < 0.2
        document = collection.document(
            contractor, due, gross=f"{rng.randrange(100, 90_000)}.{rng.randrange(100):02d}",
            number=f"FV/{seed}/{index}", currency="EUR" if foreign else "PLN",
            exchange_rate=(Decimal("4.3120") if rng.random() < 0.7 else None)
            if foreign else None)
        if rng.random() < 0.25:
            record_payment(collection.clock, load_settings(), document,
                           min(due + dt.timedelta(days=rng.randrange(-5, 40)),
                               collection.clock.today()),
                           Decimal("50.00"))
        if rng.random() < 0.3:
            sent = due + dt.timedelta(days=rng.randrange(8, 30))
            Document.update(demands_sent=rng.choice([1, 2]), last_demand_on=sent).where(
                Document.id == document.id).execute()


def _set(collection, interest: str, compensation: str, **more: str) -> None:
    save_settings({"demand.include_interest": interest,
                   "demand.include_compensation": compensation, **more},
                  "test", collection.clock.now())


def _compare(collection) -> list:
    """Every window and setting: the shortcut against the forecast; the oracle's gaps."""
    found = []
    for interest, compensation in FLAGS:
        _set(collection, interest, compensation)
        settings = load_settings()
        for start in STARTS:
            for days in (1, 14):
                expected = summarise(forecast(settings, start, days))
                assert coming_gaps(settings, start, days) == expected, (
                    start, days, interest, compensation)
                found += [(interest, compensation, summary.gap.figure, summary.gap.kind)
                          for summary in expected]
    return found


def _add_the_missing_rates(collection) -> None:
    clock = collection.clock
    for kind in ("business", "healthcare"):
        for start in ("2026-07-01", "2027-01-01"):
            add_interest_rate(clock, kind, start, "11.75", "M.P. 2026 poz. 1", "test")
    month = dt.date(2025, 4, 1)
    while month < dt.date(2026, 12, 1):
        end = (month + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        add_eur_rate(clock, f"{month:%Y-%m}", end, "4.2500", f"001/A/NBP/{month.year}",
                     "NBP", "test")
        month = end + dt.timedelta(days=1)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_shipped_tables_alone_the_same_gaps_as_the_forecast(collection, seed):
    _ledger(collection, seed)
    found = _compare(collection)
    # The oracle found what a wrong "no gaps" would hide: each kind's interest, the
    # compensation, with and without the other figure.
    assert {(f[2], f[3]) for f in found} >= {
        ("interest", "business"), ("interest", "healthcare"), ("interest", "private"),
        ("compensation", "eur")}
    assert ("no", "yes", "compensation", "eur") in found
    assert not [f for f in found if f[:2] == ("no", "no")]


def test_rates_added_leave_only_the_oldest_documents_and_the_same_answer(collection):
    _ledger(collection, 3)
    _add_the_missing_rates(collection)
    found = _compare(collection)
    # Rates now run to the end of 2027 H1 and EUR to 2026-11: only documents due before
    # the tables (interest before 2016, EUR before 2020) and the windows before them lack.
    assert ("interest", "private") in {(f[2], f[3]) for f in found}
    assert ("compensation", "eur") in {(f[2], f[3]) for f in found}


def test_covered_window_with_only_recent_documents_has_no_gaps(collection):
    business = collection.contractor(kind="business")
    for due in (dt.date(2026, 10, 26), dt.date(2026, 11, 2)):
        collection.document(business, due)
    _set(collection, "yes", "yes")
    settings = load_settings()
    start = dt.date(2026, 11, 23)
    before = summarise(forecast(settings, start))
    assert [s.gap.figure for s in before] == ["compensation", "compensation", "interest"]
    assert coming_gaps(settings, start) == before
    _add_the_missing_rates(collection)
    assert summarise(forecast(settings, start)) == coming_gaps(settings, start) == ()
    assert [i.kind for i in forecast(settings, start)].count("demand") == 2


def test_a_rate_ending_inside_the_window_marks_only_the_demands_after_it(collection):
    business = collection.contractor(kind="business")
    early = collection.document(business, dt.date(2026, 6, 1), number="FV/early")
    late = collection.document(business, dt.date(2026, 6, 26), number="FV/late")
    _set(collection, "yes", "no")
    settings = load_settings()
    # 2026 H1 has its rate, H2 none: the window 22.06-5.07 crosses into it.
    start = dt.date(2026, 6, 22)
    [summary] = coming_gaps(settings, start)
    assert summary == summarise(forecast(settings, start))[0]
    assert summary.gap.start == dt.date(2026, 7, 1)
    # Its first demand goes on Friday 3.07, in H2; the early one's on Monday 22.06, in H1.
    assert summary.documents == (late.number,)
    assert summary.first_day == dt.date(2026, 7, 3)
    days = {i.document: i.day for i in forecast(settings, start) if i.kind == "demand"}
    assert days == {early.number: start, late.number: dt.date(2026, 7, 3)}


def test_a_contractor_of_an_unknown_kind_is_walked_and_fails_as_the_forecast_does(
        collection):
    odd = collection.contractor(kind="charity")
    collection.document(odd, dt.date(2026, 10, 26))
    _add_the_missing_rates(collection)
    settings = load_settings()
    with pytest.raises(ValueError):
        forecast(settings, dt.date(2026, 11, 23))
    with pytest.raises(ValueError):
        coming_gaps(settings, dt.date(2026, 11, 23))


def test_no_demands_or_module_off_no_gaps(collection):
    _ledger(collection, 4)
    for flags in ({"demand.enabled": "no"}, {"module.enabled": "no"}):
        _set(collection, "yes", "yes", **flags)
        settings = load_settings()
        for start in STARTS:
            assert summarise(forecast(settings, start)) == coming_gaps(settings, start) == ()


def test_lacking_before_reads_the_tables():
    rates = load_rate_table()
    eur = {f"{y}-{m:02d}": EurRate(dt.date(y, m, 28), Decimal("4.3"), "t")
           for y in range(2019, 2027) for m in range(1, 13) if (y, m) >= (2019, 12)}
    last = dt.date(2026, 6, 30)
    safe = lacking_before(rates, eur, last, interest=True, compensation=False)
    # Commercial rows from 2016 H1 to 2026 H1 without a break; the ordinary from its first.
    assert safe == {"business": dt.date(2015, 12, 31), "healthcare": dt.date(2015, 12, 31),
                    "private": rates.private[0].start - dt.timedelta(days=1)}
    # One day later the window reaches 2026 H2, which has no row: every late document.
    later = lacking_before(rates, eur, last + dt.timedelta(days=1), interest=True,
                           compensation=False)
    assert later["business"] == later["healthcare"] == last + dt.timedelta(days=1)
    # EUR from 2019-12 (payments due from January 2020); consumers owe no compensation.
    safe = lacking_before(rates, eur, last, interest=False, compensation=True)
    assert safe == {"business": dt.date(2020, 1, 1), "healthcare": dt.date(2020, 1, 1),
                    "private": dt.date.min}
    # A malformed row counts as missing: the documents it serves are computed (and fail).
    broken = dict(eur, **{"2023-05": EurRate(dt.date(2023, 5, 31), Decimal(0), "t")})
    assert lacking_before(rates, broken, last, interest=False,
                          compensation=True)["business"] == dt.date(2023, 7, 1)
    # Without the month of the window's last late day, every late document may lack.
    del eur["2026-05"]
    assert lacking_before(rates, eur, last, interest=False,
                          compensation=True)["business"] == last
