"""Sane limits on what is imported (issue 12, point 6; ``ledger/validation.py``):
amounts, dates, currencies and exchange rates out of range, and line breaks in names
and numbers, are refused with their line (or folded, for a name) in every importer —
CSV, MT940 and KSeF XML — and nothing of the file is stored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from importers.mt940_files import Transfer, mt940

from windykacja.app import main
from windykacja.importers.contractors import import_contractors
from windykacja.importers.csv_common import ImportRejected
from windykacja.importers.documents import import_documents
from windykacja.importers.ksef import import_ksef
from windykacja.importers.payments import import_payments
from windykacja.importers.statements import import_statement
from windykacja.ledger.actions import create_contractor, create_document
from windykacja.ledger.settings import CollectionSettings, parse_changes
from windykacja.ledger.validation import (
    AMOUNT_MAX,
    RATE_MAX,
    check_currency,
    fold_line,
    single_line,
)
from windykacja.models import Contractor, Document, Payment, database
from windykacja.models.db import open_database

ON = CollectionSettings(module_enabled=True)
OURS = CollectionSettings(module_enabled=True, company_nip="5220715471")
HEADER = "number;contractor_code;issue_date;due_date;currency;gross;exchange_rate\n"
HUGE = "92233720368547758,08"  # the gross of the issue: 2⁶³ grosze
DATA = Path(__file__).parent / "data"
FA3 = (DATA / "ksef_fa3_sample.xml").read_text(encoding="utf-8")


def problems(importer, path, clock, settings=ON) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as caught:
        importer(path, clock, settings)
    return [(e.line, e.column, e.message) for e in caught.value.errors]


# --- the limits themselves ---------------------------------------------------------------


def test_a_million_documents_at_the_limit_fit_a_64_bit_sum_of_grosze():
    grosze = int(AMOUNT_MAX * 100)
    assert grosze * 1_000_000 < 2**63
    # The pass compares outstanding × rate in SQL, grosze × millionths: a document's value
    # in PLN is held to the same limit, so the product fits too.
    assert grosze * 1_000_000 < 2**63 and int(RATE_MAX * 1_000_000) < 2**63


def test_currencies_are_iso_4217_money_only():
    assert check_currency("eur") == "EUR"
    assert {check_currency(c) for c in ("PLN", "USD", "CZK", "XOF", "HRK")} == {
        "PLN", "USD", "CZK", "XOF", "HRK"}  # HRK: legal tender until 2023
    for code in ("XXX", "XTS", "XAU", "XDR", "CLF", "ABC"):
        with pytest.raises(ValueError, match="is not a currency"):
            check_currency(code)


def test_names_are_folded_and_numbers_refused():
    assert fold_line("Alfa\r\nSp. z o.o.\x1b[2J\u2028x") == "Alfa Sp. z o.o. [2J x"
    assert single_line(" FV/1 ") == "FV/1"
    with pytest.raises(ValueError, match=r"'FV/1\\r\\n2026' contains a line break"):
        single_line("FV/1\r\n2026")


# --- CSV ---------------------------------------------------------------------------------


def test_the_issues_gross_is_refused_with_its_line_and_nothing_stored(
        db, clock, ledger, write_csv, db_state):
    path = write_csv(HEADER + "FV/9;K1;2026-11-02;2026-11-16;PLN;100,00;\n"
                     + f"FV/10;K1;2026-11-02;2026-11-16;PLN;{HUGE};\n")
    before = db_state()
    assert problems(import_documents, path, clock) == [(
        3, "gross", "92,233,720,368,547,758.08 is more than the largest amount accepted, "
                    "9,999,999,999.99")]
    assert db_state() == before


def test_the_largest_amount_is_accepted_and_a_grosz_more_refused(db, clock, ledger, write_csv):
    over = write_csv(HEADER + "FV/10;K1;2026-11-02;2026-11-16;PLN;10 000 000 000,00;\n")
    assert problems(import_documents, over, clock)[0][:2] == (2, "gross")
    at = write_csv(HEADER + "FV/10;K1;2026-11-02;2026-11-16;PLN;9 999 999 999,99;\n")
    import_documents(at, clock, ON)
    assert Document.get(Document.number == "FV/10").gross == AMOUNT_MAX


def test_dates_currencies_and_rates_out_of_range_are_refused_with_the_line(
        db, clock, ledger, write_csv, db_state):
    path = write_csv(
        HEADER
        + "FV/20;K1;1900-01-01;2026-11-16;PLN;100,00;\n"
        + "FV/21;K1;2026-11-02;9999-12-31;PLN;100,00;\n"
        + "FV/22;K1;31.12.1999;2026-11-16;PLN;100,00;\n"
        + "FV/23;K1;2026-11-02;2026-11-16;XXX;100,00;\n"
        + "FV/24;K1;2026-11-02;2026-11-16;XTS;100,00;\n"
        + "FV/25;K1;2026-11-02;2026-11-16;EUR;100,00;99999999999\n"
        + "FV/26;K1;2026-11-02;2026-11-16;EUR;100,00;0,00001\n"
        + "FV/27;K1;2026-11-02;2026-11-16;IDR;9 000 000 000,00;4,5\n"
        + "FV/28;K1;2026-11-02;2026-11-16;EUR;100,00;4,2954\n"  # a good line
    )
    before = db_state()
    found = problems(import_documents, path, clock)
    assert [(line, column) for line, column, _ in found] == [
        (2, "issue_date"), (3, "due_date"), (4, "issue_date"), (5, "currency"),
        (6, "currency"), (7, "exchange_rate"), (8, "exchange_rate"), (9, "exchange_rate")]
    messages = [message for _, _, message in found]
    assert messages[0] == "01.01.1900 is outside the dates accepted, 01.01.2000 to 31.12.2099"
    assert messages[3] == "'XXX' is not a currency (an ISO 4217 code such as PLN, EUR or USD)"
    assert messages[5] == ("the exchange rate 99,999,999,999 is outside the rates accepted, "
                           "0.0001 to 100,000")
    assert "more than the largest amount accepted" in messages[7]
    assert db_state() == before


def test_payments_out_of_range_are_refused_and_references_folded(
        db, clock, ledger, write_csv, author):
    bad = write_csv("document_number;date;amount;reference\n"
                    "FV/1;1900-01-01;10,00;x\nFV/1;2026-11-20;" + HUGE + ";y\n", name="p.csv")
    assert [(line, column) for line, column, _ in problems(import_payments, bad, clock)] == [
        (2, "date"), (3, "amount")]
    good = write_csv('document_number;date;amount;reference\n'
                     'FV/1;2026-11-20;10,00;"przelew\r\n2026-11-20 INFO forged"\n',
                     name="q.csv")
    import_payments(good, clock, ON)
    assert Payment.get().reference == "przelew 2026-11-20 INFO forged"


def test_a_line_break_folds_in_a_name_and_refuses_a_code_or_number(
        db, clock, ledger, write_csv, db_state):
    contractors = write_csv(
        'code;name;email;address\n'
        'K7;"Gamma\r\nsp. z o.o.";g@gamma.pl;"ul. Długa 1\n00-001 Warszawa"\n',
        name="k.csv")
    import_contractors(contractors, clock, ON)
    gamma = Contractor.get(Contractor.code == "K7")
    assert (gamma.name, gamma.address) == ("Gamma sp. z o.o.", "ul. Długa 1 00-001 Warszawa")

    before = db_state()
    codes = write_csv('code;name;email\n"K8\r\nK9";Delta;d@delta.pl\n', name="c.csv")
    assert problems(import_contractors, codes, clock) == [
        (2, "code", r"'K8\r\nK9' contains a line break or another control character")]
    numbers = write_csv(HEADER + '"FV/30\r\n2026-11-23 09:00 sent";K1;2026-11-02;2026-11-16;'
                        'PLN;100,00;\n"FV/31";K1;2026-11-02;2026-11-16;PLN;100,00;\n',
                        name="d.csv")
    assert [(line, column) for line, column, _ in problems(import_documents, numbers, clock)] == [
        (2, "number")]
    assert db_state() == before


# --- MT940 -------------------------------------------------------------------------------


def test_a_huge_credit_in_a_bank_statement_is_refused_with_its_line(
        db, clock, ledger, tmp_path, db_state):
    path = tmp_path / "huge.sta"
    path.write_bytes(mt940([Transfer(Decimal("100.00"), "FV/1"),
                            Transfer(Decimal(HUGE.replace(",", ".")), "FV/2")]))
    before = db_state()
    with pytest.raises(ImportRejected) as caught:
        import_statement(path, clock, OURS)
    (error,) = caught.value.errors
    assert error.line == 10  # the second :61:
    assert "is more than the largest amount accepted, 9,999,999,999.99" in error.message
    assert db_state() == before


def test_a_statement_in_a_currency_that_is_no_money_is_refused(db, clock, ledger, tmp_path):
    path = tmp_path / "xxx.sta"
    path.write_bytes(mt940([Transfer(Decimal("100.00"), "FV/1")]).replace(b"PLN", b"XXX"))
    with pytest.raises(ImportRejected) as caught:
        import_statement(path, clock, OURS)
    assert "'XXX' is not a currency" in caught.value.errors[0].message
    assert caught.value.errors[0].line == 4  # :60F:


# --- KSeF XML ----------------------------------------------------------------------------


def variant(*replacements: tuple[str, str]) -> str:
    text = FA3
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def write_xml(tmp_path):
    def write(text: str, name: str = "invoice.xml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def refused(path, clock) -> list[str]:
    (result,) = import_ksef(path, clock, ON).results
    assert result.outcome == "refused"
    return [str(problem) for problem in result.problems]


def test_ksef_a_line_break_in_the_buyers_name_is_folded(db, clock, write_xml):
    path = write_xml(variant(
        ("<Nazwa>Hurtownia Zielona Sp. z o.o.</Nazwa>",
         "<Nazwa>Hurtownia Zielona&#13;&#10;Sp. z o.o.</Nazwa>"),
        ("<AdresL1>ul. Lipowa 12</AdresL1>", "<AdresL1>ul. Lipowa 12\n\tlokal 3</AdresL1>")))
    (result,) = import_ksef(path, clock, ON).results
    assert result.outcome == "created"
    buyer = Document.get(Document.number == "FV/2026/02/017").contractor
    assert buyer.name == "Hurtownia Zielona Sp. z o.o."
    assert "\n" not in buyer.address and "ul. Lipowa 12 lokal 3" in buyer.address


def test_ksef_a_line_break_in_the_number_and_values_out_of_range_are_refused(
        db, clock, write_xml, db_state):
    before = db_state()
    number = write_xml(variant(("<P_2>FV/2026/02/017</P_2>", "<P_2>FV/2026/02/017&#10;x</P_2>")))
    assert refused(number, clock) == [
        r"line 58 (Fa/P_2): 'FV/2026/02/017\nx' contains a line break or another control "
        "character"]
    money = write_xml(variant(("<KodWaluty>PLN</KodWaluty>", "<KodWaluty>XXX</KodWaluty>"),
                              ("<P_1>2026-02-12</P_1>", "<P_1>1900-02-12</P_1>"),
                              ("<P_15>4920.00</P_15>", "<P_15>10000000000.00</P_15>")),
                      name="money.xml")
    found = refused(money, clock)
    assert found[:3] == [
        "line 56 (Fa/P_1): 12.02.1900 is outside the dates accepted, 01.01.2000 to 31.12.2099",
        "line 55 (Fa/KodWaluty): 'XXX' is not a currency (an ISO 4217 code such as PLN, EUR "
        "or USD)",
        "line 62 (Fa/P_15): 10,000,000,000.00 is more than the largest amount accepted, "
        "9,999,999,999.99"]
    assert db_state() == before


# --- the aging report at the limit -------------------------------------------------------


def test_report_aging_sums_many_documents_at_the_largest_amount(db_location, clock, capsys):
    """Before the limit, two documents of the issue's gross made SQLite's SUM overflow."""
    location = db_location("aging.db")
    open_database(location)
    contractor = create_contractor(clock, code="K1", name="Alfa", emails="a@alfa.pl")
    count = 2000
    with database.atomic():
        for n in range(count):
            create_document(clock, ON, contractor, f"FV/{n}", dt.date(2026, 1, 2),
                            dt.date(2026, 1, 16), AMOUNT_MAX)
    database.close()
    assert main(["--db", location, "--today", "2026-11-23", "report", "aging"]) == 0
    out = capsys.readouterr().out
    total = f"{AMOUNT_MAX * count:,.2f}"  # 19,999,999,999,980.00
    assert total in out or total.replace(",", " ").replace(".", ",") in out


def test_the_messages_in_polish(monkeypatch):
    from windykacja import i18n
    from windykacja.ledger.validation import check_amount, check_day, check_rate

    monkeypatch.setattr(i18n, "_language", "pl")
    messages = []
    for check, value in ((check_amount, Decimal("10000000000")), (check_day, dt.date(1900, 1, 1)),
                         (check_rate, Decimal("99999999999")), (check_currency, "XXX"),
                         (single_line, "FV/1\n")):
        with pytest.raises(ValueError) as caught:
            check(value)
        messages.append(str(caught.value))
    assert messages == [
        "10 000 000 000,00 to więcej niż największa przyjmowana kwota, 9 999 999 999,99",
        "data 01.01.1900 jest poza przyjmowanym zakresem dat, od 01.01.2000 do 31.12.2099",
        "kurs 99 999 999 999 jest poza przyjmowanym zakresem kursów, od 0,0001 do 100 000",
        "'XXX' nie jest walutą (podaj kod ISO 4217, np. PLN, EUR lub USD)",
        r"'FV/1\n' zawiera znak nowego wiersza lub inny znak sterujący",
    ]


def test_a_minimum_above_the_largest_amount_is_refused():
    """The settings screen, the wizard and ``settings set`` all parse through this."""
    with pytest.raises(ValueError, match="more than the largest amount accepted"):
        parse_changes({"demand.min_amount": "10 000 000 000"})
    assert parse_changes({"demand.min_amount": "9 999 999 999,99"}) == {
        "demand.min_amount": AMOUNT_MAX}


# --- the interface's editors ---------------------------------------------------------------


def test_the_contractor_editor_folds_a_name_and_refuses_a_code_with_a_line_break(db):
    from windykacja.lists.contractor_list import ContractorForm, check_contractor

    checked = check_contractor(ContractorForm(
        code="K1\r\nK2", name="Alfa\r\nsp. z o.o.", address="ul. Długa 1\n\x1b[2J",
        phone="22 123\t45 67"))
    assert checked.problems == {"code": "control"}
    assert (checked.fields["name"], checked.fields["address"], checked.fields["phone"]) == (
        "Alfa sp. z o.o.", "ul. Długa 1 [2J", "22 123 45 67")


def test_the_payment_dialog_refuses_a_date_before_2000():
    from windykacja.tui.screens.payment import PaymentDialog

    dialog = PaymentDialog(dt.date(2026, 11, 23), "FV/1", Decimal("10.00"))
    assert dialog._day("31.12.1999") == (
        None, "31.12.1999 is outside the dates accepted, 01.01.2000 to 31.12.2099")
    assert dialog._day("2026-11-20") == (dt.date(2026, 11, 20), "")


def test_a_today_outside_the_years_accepted_is_one_line(db_location, capsys):
    """--today 9999-12-31 overflowed the planner's date arithmetic with a traceback."""
    location = db_location("today.db")
    for command in (["run-once"], ["forecast"], ["history", "FV/1"]):
        assert main(["--db", location, "--today", "9999-12-31", *command]) == 1
        err = capsys.readouterr().err
        assert err == ("windykacja: --today: 31.12.9999 is outside the dates accepted, "
                       "01.01.2000 to 31.12.2099\n")
    assert main(["--db", location, "--today", "9999-12-31", "status"]) == 2  # cannot check
    assert "Traceback" not in capsys.readouterr().err


def test_text_settings_are_kept_on_one_line():
    """``settings set``/``settings import`` and the settings screen parse through this."""
    assert parse_changes({"company.name": "Firma\r\nBcc: x@y.pl", "sender.name": "Anna\tK"}) == {
        "company.name": "Firma Bcc: x@y.pl", "sender.name": "Anna K"}
