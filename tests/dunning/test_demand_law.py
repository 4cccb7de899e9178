"""Demands state what Polish law adds to the principal: interest and compensation.

Figures are hand-computed in comments: base x rate x days / 36500, with the 2026 H1
commercial rate of 14.00 % (reference §1.3) and a made-up EUR rate stored as a user's.
"""

import datetime as dt
import email
from decimal import Decimal
from email.policy import default

import pytest

from windykacja.dunning.passes import plan_day
from windykacja.ledger.actions import record_payment
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import EurRate, Message

DUE = dt.date(2026, 2, 26)  # a Thursday: the legal due date is the same day
DAY = dt.date(2026, 3, 20)  # a Friday, 22 days later; the first demand is due


@pytest.fixture
def ledger(collection, clock):
    clock.day = DAY
    EurRate.create(month="2026-01", effective_date=dt.date(2026, 1, 30), mid="4.2000",
                   table_no="020/A/NBP/2026", source="test", updated_at=clock.now())
    return collection


def demand_text(language="pl") -> tuple[str, str]:
    message = Message.get()
    parsed = email.message_from_string(message.raw, policy=default)
    return (parsed.get_body(("plain",)).get_content(),
            parsed.get_body(("html",)).get_content())


def settings(clock, **values):
    save_settings(values, "test", clock.now())
    return load_settings()


def test_a_business_demand_states_interest_to_its_day(ledger, clock):
    contractor = ledger.contractor()
    document = ledger.document(contractor, DUE, gross="4920.00", number="FV/2026/02/017")
    record_payment(clock, load_settings(), document, dt.date(2026, 3, 8), Decimal("2000.00"))
    plan_day(clock, load_settings(), DAY)
    text, html = demand_text()
    # 4920.00 for 10 days (27 Feb - 8 Mar) + 2920.00 for 12 days (9 - 20 Mar) at 14 %:
    # 18.8712... + 13.4400 = 32.31.
    assert "odsetki do dnia 20.03.2026: 32,31 PLN" in text
    assert "kwota 4 920,00 PLN, zapłacono 2 000,00 PLN, pozostało do zapłaty 2 920,00 PLN" in text
    assert "dni opóźnienia: 22" in text
    assert "razem 2 952,31 PLN" in text
    assert "odsetki ustawowe za opóźnienie w transakcjach handlowych" in text
    assert "rekompensat" not in text  # off by default: many creditors keep goodwill
    assert "32,31 PLN" in html and "2 952,31 PLN" in html


def test_compensation_when_settings_claim_it(ledger, clock):
    contractor = ledger.contractor()
    ledger.document(contractor, DUE, gross="4920.00")
    plan_day(clock, settings(clock, **{"demand.include_compensation": "yes"}), DAY)
    text, html = demand_text()
    # 4,920.00 does not exceed 5,000: 40 EUR x 4.2000 = 168.00 PLN.
    # The rate in Polish notation (4,2000), as every number in a Polish letter.
    assert "rekompensata: 168,00 PLN (40 EUR po średnim kursie NBP 4,2000" in text
    assert "4.2000" not in text and "4,2000" in html and "4.2000" not in html
    assert "art. 10 ust. 1" in text
    # 4920 x 14 x 22 / 36500 = 41.5167 -> 41.52; with the principal and 168.00: 5,129.52.
    assert "razem 5 129,52 PLN" in text
    assert "168,00 PLN" in html


def test_no_eur_rate_is_said_not_invented(ledger, clock):
    contractor = ledger.contractor()
    # Due in April: the rate needed is March's, which nobody stored.
    ledger.document(contractor, dt.date(2026, 4, 2), gross="100.00")
    clock.day = dt.date(2026, 4, 20)
    plan_day(clock, settings(clock, **{"demand.include_compensation": "yes"}), clock.day)
    text, html = demand_text()
    # 100.00 does not exceed 5,000: the statutory 40 EUR, stated in EUR, no PLN figure.
    assert "rekompensata: 40 EUR, w złotych według średniego kursu NBP" in text
    assert "40 EUR" in html
    for part in (text, html):
        assert "rekompensata 0,00" not in part and "168,00" not in part
    # The total is the principal plus the interest (100 x 14 x 18 / 36500 = 0.69) plus
    # 40 EUR, never a PLN sum that leaves the compensation out.
    assert "razem 100,69 PLN oraz rekompensatą 40 EUR w złotych" in text
    assert "100,69 PLN + 40 EUR" in html
    assert "art. 10 ust. 1a" in text


def test_a_consumer_gets_the_ordinary_rate_and_no_compensation(ledger, clock):
    contractor = ledger.contractor(kind="private")
    ledger.document(contractor, DUE, gross="4920.00")
    plan_day(clock, settings(clock, **{"demand.include_compensation": "yes"}), DAY)
    text, _ = demand_text()
    # Ordinary interest: 6 days at 9.50 % (27 Feb - 4 Mar) + 16 days at 9.25 % (5 - 20 Mar):
    # 7.6833 + 19.9496 = 27.63.
    assert "odsetki do dnia 20.03.2026: 27,63 PLN" in text
    assert "odsetki ustawowe za opóźnienie naliczone" in text
    assert "rekompensat" not in text


def test_interest_can_be_left_out(ledger, clock):
    contractor = ledger.contractor()
    ledger.document(contractor, DUE, gross="4920.00")
    plan_day(clock, settings(clock, **{"demand.include_interest": "no"}), DAY)
    text, _ = demand_text()
    assert "odsetki do dnia" not in text
    assert "Zastrzegamy sobie prawo do naliczenia odsetek" in text


def test_a_rate_not_yet_published_leaves_interest_running_until_payment(ledger, clock):
    # The shipped table has no business rate for 2026 H2.
    contractor = ledger.contractor()
    ledger.document(contractor, dt.date(2026, 6, 25), gross="1000.00")
    clock.day = dt.date(2026, 7, 15)
    plan_day(clock, load_settings(), clock.day)
    text, html = demand_text()
    assert ("odsetki ustawowe za opóźnienie w transakcjach handlowych: od dnia "
            "26.06.2026 do dnia zapłaty") in text
    assert "stawka odsetek za część okresu opóźnienia nie została jeszcze ogłoszona" in text


def test_a_contradicting_added_rate_does_not_stop_the_pass(ledger, clock):
    # A release shipped 14.00 % for 2026 H1 while the user had typed 13.00 %: the pass
    # computes with the shipped, sourced rate and the conflict is kept for the screen.
    from windykacja.dunning.claims import load_law_tables
    from windykacja.models import InterestRate

    InterestRate.create(kind="business", valid_from=dt.date(2026, 1, 1), rate="13.00",
                        source="typed", author="anna", created_at=clock.now())
    assert "remove-interest business 2026-01-01" in load_law_tables().problem
    contractor = ledger.contractor()
    ledger.document(contractor, DUE, gross="4920.00")
    plan_day(clock, load_settings(), DAY)
    text, _ = demand_text()
    assert "odsetki do dnia 20.03.2026: 41,52 PLN" in text  # 4920 x 14 x 22 / 36500


NO_RATE_DAY = dt.date(2026, 7, 15)  # 2026 H2: the shipped table has no business rate


def _demand_without_a_rate(ledger, clock, language, **contractor):
    contractor = ledger.contractor(language=language, **contractor)
    document = ledger.document(contractor, dt.date(2026, 6, 25), gross="1234.56")
    # A part payment, so that no amount in the letter is a plain zero.
    record_payment(clock, load_settings(), document, dt.date(2026, 6, 20), Decimal("34.55"))
    clock.day = NO_RATE_DAY
    plan_day(clock, load_settings(), clock.day)
    return demand_text()


@pytest.mark.parametrize("language", ["pl", "en"])
def test_no_rate_for_the_period_prints_no_zero_and_claims_interest_in_words(
        ledger, clock, language):
    text, html = _demand_without_a_rate(ledger, clock, language)
    for part in (text, html):
        # Nothing is stated as a number for the interest: no 0,00, no total without it.
        assert "0,00" not in part
        assert "razem" not in part and "in all" not in part
    if language == "pl":
        basis = ("art. 7 ust. 1 w zw. z art. 4 pkt 3 ustawy z dnia 8 marca 2013 r. o "
                 "przeciwdziałaniu nadmiernym opóźnieniom w transakcjach handlowych")
        assert ("należność główna 1 200,01 PLN wraz z odsetkami ustawowymi za opóźnienie w "
                "transakcjach handlowych od dnia 26.06.2026 do dnia zapłaty") in text
        assert "od dnia następującego po terminie płatności do dnia zapłaty" in text
        assert "Do należności głównej doliczyliśmy" not in text  # nothing was added
        assert "1 200,01 PLN + odsetki" in html
    else:
        basis = ("art. 7(1) in connection with art. 4(3) of the Polish Act of 8 March 2013 "
                 "on counteracting excessive delays in commercial transactions")
        assert ("principal 1,200.01 PLN, plus statutory interest for late payment in "
                "commercial transactions from 26.06.2026 until the day of payment") in text
        assert "We have added" not in text
        assert "1,200.01 PLN + interest" in html
    assert basis in text and basis in html


def test_a_consumer_without_a_rate_is_told_the_civil_code(ledger, clock):
    # The ordinary rate runs until the next decision, so only a day before the table's
    # first row lacks it: an old document shows the Civil Code basis in words.
    contractor = ledger.contractor(kind="private")
    document = ledger.document(contractor, dt.date(2015, 12, 1), gross="1234.56")
    record_payment(clock, load_settings(), document, dt.date(2015, 11, 20), Decimal("34.55"))
    clock.day = dt.date(2016, 1, 20)
    plan_day(clock, load_settings(), clock.day)
    text, html = demand_text()
    for part in (text, html):
        assert "art. 481 § 1 i 2 Kodeksu cywilnego" in part
        assert "0,00" not in part
    assert "wraz z odsetkami ustawowymi za opóźnienie od dnia 02.12.2015 do dnia zapłaty" in text
