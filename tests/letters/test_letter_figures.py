"""The letter says what the e-mail says, to the grosz (issue 16, "Tests and measures"):
the same demand planned both ways (``both``: the letter and its e-mail copy from one
claim) is printed through the print queue, its text read back with pypdf, and its payment
code rendered with pypdfium2 and decoded with zxing-cpp into exactly the account, amount,
name and title.

Figures by hand (as tests/dunning/test_demand_law.py): 4 920,00 PLN due Thu 26 Feb 2026,
2 000,00 paid on 8 Mar; on Fri 20 Mar at 14 %: 4920 x 14 x 10 / 36500 = 18.8712 plus
2920 x 14 x 12 / 36500 = 13.4400, interest 32,31; compensation 40 EUR x 4,2000 = 168,00;
total 2 920,00 + 32,31 + 168,00 = 3 120,31 PLN.
"""

from __future__ import annotations

import datetime as dt
import email
from decimal import Decimal
from email.policy import default

import pytest
from dunning.test_letter_pdf import decode_codes
from pypdf import PdfReader

from windykacja.dunning.paper import print_letters
from windykacja.dunning.passes import plan_day
from windykacja.dunning.payment_codes import zbp_payload
from windykacja.ledger.actions import record_payment
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import EurRate, Message

DUE = dt.date(2026, 2, 26)
DAY = dt.date(2026, 3, 20)
ACCOUNT = "PL61 1090 1014 0000 0712 1981 2874"


@pytest.fixture
def demand(collection, clock):
    clock.day = DAY
    EurRate.create(month="2026-01", effective_date=dt.date(2026, 1, 30), mid="4.2000",
                   table_no="020/A/NBP/2026", source="test", updated_at=clock.now())
    save_settings({
        "company.name": "Nasza Firma Sp. z o.o.", "company.nip": "6762451230",
        "company.address": "ul. Długa 5, 31-147 Kraków", "company.bank_account": ACCOUNT,
        "letters.enabled": "yes", "letters.demand": "both",
        "demand.include_compensation": "yes",
    }, "test", clock.now())
    contractor = collection.contractor("ANNA", email="anna@example.pl",
                                       address="ul. Polna 2, 00-001 Warszawa")
    document = collection.document(contractor, DUE, gross="4920.00", number="FV/2026/02/017")
    record_payment(clock, load_settings(), document, dt.date(2026, 3, 8), Decimal("2000.00"))
    plan_day(clock, load_settings(), DAY)
    return document


def _email_text() -> str:
    copy = Message.get((Message.channel == "email") & Message.letter_of.is_null(False))
    return email.message_from_string(copy.raw, policy=default).get_body(("plain",)).get_content()


def test_the_printed_letter_carries_the_emails_figures(demand, clock, tmp_path):
    text = _email_text()
    for figure in ("odsetki do dnia 20.03.2026: 32,31 PLN", "rekompensata: 168,00 PLN",
                   "razem 3 120,31 PLN", "pozostało do zapłaty 2 920,00 PLN"):
        assert figure in text  # the e-mail, as test_demand_law computes it

    batch = print_letters(clock, load_settings(), tmp_path, "anna").batch
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(batch.pdf_path).pages).split())
    for figure in ("2 920,00 PLN", "32,31 PLN", "168,00 PLN", "3 120,31 PLN", "FV/2026/02/017",
                   "Termin zapłaty: 27.03.2026", "20.03.2026"):
        assert figure in pdf, figure
    assert "Razem do zapłaty" in pdf and "unknown" not in pdf and "nieznane" not in pdf


def test_the_payment_code_pays_exactly_the_total_to_our_account(demand, clock, tmp_path):
    batch = print_letters(clock, load_settings(), tmp_path, "anna").batch
    [code] = decode_codes(batch.pdf_path, 0)
    assert code.text == zbp_payload("6762451230", ACCOUNT, Decimal("3120.31"),
                                    "Nasza Firma Sp. z o.o.", "FV/2026/02/017")
    nip, country, account, amount, name, title = code.text.split("|")[:6]
    assert (nip, country, account) == ("6762451230", "PL", "61109010140000071219812874")
    # The name cut to the standard's 20 characters.
    assert (amount, name, title) == ("312031", "Nasza Firma Sp. z o.", "FV/2026/02/017")


def test_an_unknown_compensation_never_prints_as_zero_and_keeps_the_eur_code(
        collection, clock):
    """A EUR demand claiming compensation whose NBP rate is not stored: its PLN row has
    nothing known. It printed "Razem znane kwoty 0,00 PLN" and, two currencies seen,
    lost its EPC code (found by the 1,000-letter benchmark)."""
    from windykacja.dunning.letters import letter_from_json

    clock.day = DAY
    save_settings({
        "company.name": "Nasza Firma Sp. z o.o.", "company.nip": "6762451230",
        "company.address": "ul. Długa 5, 31-147 Kraków", "company.bank_account": ACCOUNT,
        "letters.enabled": "yes", "demand.include_compensation": "yes",
    }, "test", clock.now())
    firma = collection.contractor("CZ", email="", address="Husova 50, 702 00 Ostrava")
    collection.document(firma, DUE, gross="350.00", number="FV/EUR/1", currency="EUR",
                        exchange_rate=Decimal("4.2500"))
    plan_day(clock, load_settings(), DAY)  # no EUR rate for January is stored

    data = letter_from_json(Message.get().raw)
    assert [t.amount for t in data.totals if t.amount.endswith("PLN")] == []
    assert all(not t.amount.startswith("0,00") for t in data.totals)
    assert data.payment_code is not None and data.payment_code.kind == "epc"
