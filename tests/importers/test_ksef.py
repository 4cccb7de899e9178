"""Importing KSeF e-invoices: the FA(3) and FA(2) samples, variants built from them by
replacing text, corrections, refusals with their lines, folders, re-imports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from windykacja.importers.ksef import import_ksef
from windykacja.importers.ksef_xml import FA2_NAMESPACE, FA3_NAMESPACE, MAX_BYTES
from windykacja.ledger.actions import create_contractor, record_payment
from windykacja.ledger.settings import CollectionSettings
from windykacja.models import (
    CollectionEvent,
    Contractor,
    Document,
    EventKind,
    KsefCorrection,
    database,
)
from windykacja.models.db import is_sqlite

DATA = Path(__file__).parent / "data"
FA3 = (DATA / "ksef_fa3_sample.xml").read_text(encoding="utf-8")
FA2 = (DATA / "ksef_fa2_sample.xml").read_text(encoding="utf-8")
ON = CollectionSettings(module_enabled=True)
OURS = CollectionSettings(module_enabled=True, company_nip="5220715471")

TERM = "<TerminPlatnosci>\n\t\t\t\t<Termin>2026-02-26</Termin>\n\t\t\t</TerminPlatnosci>"
BUYER_ID = "<NIP>7722744156</NIP>\n\t\t\t<Nazwa>Hurtownia Zielona Sp. z o.o.</Nazwa>"
KIND_VAT = "<RodzajFaktury>VAT</RodzajFaktury>"
BUYER_EMAIL = "ksiegowosc@przyklad-nabywca.invalid"


def variant(text: str, *replacements: tuple[str, str]) -> str:
    """The sample with each ``(old, new)`` replaced; ``old`` must occur exactly once, so a
    test cannot pass on a variant that silently stayed the sample."""
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def numbered(number: str) -> tuple[str, str]:
    """The replacement giving the sample invoice another number."""
    return ("<P_2>FV/2026/02/017</P_2>", f"<P_2>{number}</P_2>")


def correction(number: str, corrects: str, difference: str, kind: str = "KOR") -> str:
    """The FA(3) sample turned into a correcting invoice of ``corrects``."""
    return variant(
        FA3,
        numbered(number),
        ("<P_15>4920.00</P_15>", f"<P_15>{difference}</P_15>"),
        (KIND_VAT, f"<RodzajFaktury>{kind}</RodzajFaktury>\n"
                   "\t\t<PrzyczynaKorekty>Rabat</PrzyczynaKorekty>\n"
                   "\t\t<TypKorekty>1</TypKorekty>\n"
                   "\t\t<DaneFaKorygowanej>\n"
                   "\t\t\t<DataWystFaKorygowanej>2026-02-12</DataWystFaKorygowanej>\n"
                   f"\t\t\t<NrFaKorygowanej>{corrects}</NrFaKorygowanej>\n"
                   "\t\t\t<NrKSeFN>1</NrKSeFN>\n"
                   "\t\t</DaneFaKorygowanej>"),
    )


@pytest.fixture
def write_xml(tmp_path):
    """``write_xml(text, name)`` → the path of a file in the test's ``in`` folder."""
    folder = tmp_path / "in"
    folder.mkdir()

    def write(text: str, name: str = "invoice.xml") -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def only(summary):
    assert len(summary.results) == 1
    return summary.results[0]


def refused(path, clock, settings=ON) -> list[str]:
    result = only(import_ksef(path, clock, settings))
    assert result.outcome == "refused"
    return [str(problem) for problem in result.problems]


def doc(number: str) -> Document:
    return Document.get(Document.number == number)


def grosze(number: str) -> tuple[int, int]:
    return database.execute_sql(
        f"SELECT gross, outstanding FROM document WHERE number = {database.param}", (number,)
    ).fetchone()


# --- the samples -------------------------------------------------------------------------


def test_the_fa3_sample_becomes_a_contractor_and_an_unpaid_document(db, clock, write_xml):
    result = only(import_ksef(write_xml(FA3), clock, OURS))
    assert (result.outcome, result.number) == ("created", "FV/2026/02/017")
    invoice = doc("FV/2026/02/017")
    assert (invoice.issue_date, invoice.due_date, invoice.legal_due_date) == (
        dt.date(2026, 2, 12), dt.date(2026, 2, 26), dt.date(2026, 2, 26)
    )
    assert (invoice.currency, grosze("FV/2026/02/017")) == ("PLN", (492000, 492000))
    assert invoice.bank_account == "67102010556479528644154553"
    assert invoice.subject_to_collection and not list(invoice.payments)
    buyer = invoice.contractor
    assert (buyer.code, buyer.nip, buyer.kind, buyer.name) == (
        "KL-0042", "7722744156", "business", "Hurtownia Zielona Sp. z o.o."
    )
    assert (buyer.address, buyer.language) == ("ul. Lipowa 12, 00-950 Warszawa", "pl")
    # The sample's address is in the reserved .invalid domain: left out, and said so.
    assert buyer.emails == ""
    assert any(BUYER_EMAIL in w and "line 47" in w for w in result.warnings)


def test_the_buyers_email_and_phone_are_taken_when_valid(db, clock, write_xml):
    text = variant(FA3, (BUYER_EMAIL, "ksiegowosc@hurtownia-zielona.pl"),
                   ("<NrKlienta>", "<DaneKontaktowe><Telefon>601200300</Telefon>"
                                   "</DaneKontaktowe>\n<NrKlienta>"))
    assert only(import_ksef(write_xml(text), clock, ON)).warnings == ()
    buyer = doc("FV/2026/02/017").contractor
    assert (buyer.email_list, buyer.phone) == (["ksiegowosc@hurtownia-zielona.pl"], "601200300")


def test_the_fa2_sample_paid_at_issue_has_its_payment(db, clock, write_xml, author):
    assert only(import_ksef(write_xml(FA2), clock, OURS)).outcome == "created"
    invoice = doc("FV/2025/06/101")
    assert grosze("FV/2025/06/101") == (123000, 0)
    # No payment term, but paid in full: nothing to collect, due on the issue date.
    assert (invoice.issue_date, invoice.due_date) == (dt.date(2025, 6, 16),) * 2
    assert invoice.bank_account == ""
    (payment,) = invoice.payments
    assert (payment.paid_on, payment.amount, payment.method, payment.reference,
            payment.author) == (dt.date(2025, 6, 16), Decimal("1230.00"), "transfer", "KSeF",
                                "ksiegowa")
    events = CollectionEvent.select().where(CollectionEvent.document == invoice).order_by(
        CollectionEvent.id)
    assert [(e.kind, e.author) for e in events] == [
        (EventKind.DOCUMENT_ARRIVED, "ksiegowa"), (EventKind.PAYMENT_RECORDED, "ksiegowa")]
    assert events[0].text.startswith("file ") and events[0].text.endswith(".xml")
    assert invoice.contractor.nip == "7722744156"


def test_both_samples_are_the_same_buyer(db, clock, write_xml):
    write_xml(FA3, "a.xml")
    folder = write_xml(FA2, "b.xml").parent
    summary = import_ksef(folder, clock, ON)
    assert [r.outcome for r in summary.results] == ["created", "created"]
    assert Contractor.select().count() == 1


def test_cash_at_issue_is_a_cash_payment(db, clock, write_xml):
    cash = ("<FormaPlatnosci>2</FormaPlatnosci>", "<FormaPlatnosci>1</FormaPlatnosci>")
    text = variant(FA2, cash)
    import_ksef(write_xml(text), clock, ON)
    assert [p.method for p in doc("FV/2025/06/101").payments] == ["cash"]


# --- buyers ------------------------------------------------------------------------------


def test_a_buyer_without_nip_is_a_private_person(db, clock, write_xml):
    text = variant(FA3, (BUYER_ID, "<BrakID>1</BrakID>\n\t\t\t<Nazwa>Jan Kowalski</Nazwa>"))
    assert only(import_ksef(write_xml(text), clock, ON)).outcome == "created"
    buyer = doc("FV/2026/02/017").contractor
    assert (buyer.code, buyer.nip, buyer.kind, buyer.name) == (
        "KL-0042", None, "private", "Jan Kowalski"
    )


def test_a_private_buyer_is_found_again_by_customer_number_else_name_and_address(
    db, clock, write_xml
):
    def private(name: str) -> tuple[str, str]:
        return (BUYER_ID, f"<BrakID>1</BrakID>\n\t\t\t<Nazwa>{name}</Nazwa>")

    no_number = ("<NrKlienta>KL-0042</NrKlienta>", "")
    number_p7 = ("<NrKlienta>KL-0042</NrKlienta>", "<NrKlienta>P-7</NrKlienta>")
    elsewhere = ("<AdresL1>ul. Lipowa 12</AdresL1>", "<AdresL1>ul. Polna 3</AdresL1>")
    write_xml(variant(FA3, private("Jan Kowalski"), no_number), "1.xml")
    write_xml(variant(FA3, private("Jan Kowalski"), no_number, numbered("FV/2")), "2.xml")
    write_xml(variant(FA3, private("Anna Nowak"), number_p7, numbered("FV/3")), "3.xml")
    # Married since: another name and address, the same customer number.
    last = write_xml(variant(FA3, private("Anna Kowalska"), number_p7, elsewhere,
                             numbered("FV/4")), "4.xml")
    summary = import_ksef(last.parent, clock, ON)
    assert [r.outcome for r in summary.results] == ["created"] * 4
    jan, anna = doc("FV/2026/02/017").contractor, doc("FV/3").contractor
    assert (jan.code, jan.kind, anna.code, anna.name) == (
        "JAN-KOWALSKI", "private", "P-7", "Anna Nowak"
    )
    assert doc("FV/2").contractor_id == jan.id
    assert doc("FV/4").contractor_id == anna.id
    assert Contractor.select().count() == 2


def test_an_existing_contractor_with_the_nip_is_used_and_left_unchanged(db, clock, write_xml):
    mine = create_contractor(clock, code="HZ", name="Hurtownia Zielona", nip="7722744156",
                             emails="zarzad@hurtownia.pl", kind="healthcare")
    import_ksef(write_xml(FA3), clock, ON)
    assert doc("FV/2026/02/017").contractor_id == mine.id
    again = Contractor.get_by_id(mine.id)
    assert (again.name, again.emails, again.kind, again.address) == (
        "Hurtownia Zielona", "zarzad@hurtownia.pl", "healthcare", ""
    )


def test_two_contractors_with_the_nip_are_told_apart_by_customer_number(db, clock, write_xml):
    create_contractor(clock, code="HZ-1", name="Hurtownia Zielona (Kraków)", nip="7722744156")
    create_contractor(clock, code="KL-0042", name="Hurtownia Zielona", nip="7722744156")
    import_ksef(write_xml(FA3, "a.xml"), clock, ON)
    assert doc("FV/2026/02/017").contractor.code == "KL-0042"
    other = variant(FA3, numbered("FV/2"), ("<NrKlienta>KL-0042", "<NrKlienta>X"))
    problems = refused(write_xml(other, "b.xml"), clock)
    assert problems == [
        "line 39 (Podmiot2/DaneIdentyfikacyjne/NIP): NIP 7722744156 fits several contractors "
        "(HZ-1, KL-0042): set NrKlienta to one of these codes, or merge them"
    ]


def test_a_new_code_taken_by_someone_else_gets_a_suffix(db, clock, write_xml):
    create_contractor(clock, code="KL-0042", name="Inna firma", nip="5260250274")
    import_ksef(write_xml(FA3), clock, ON)
    assert doc("FV/2026/02/017").contractor.code == "KL-0042-2"


def test_a_buyer_abroad_with_an_eu_vat_number_is_a_business_writing_in_english(
    db, clock, write_xml
):
    text = variant(
        FA3,
        (BUYER_ID, "<KodUE>DE</KodUE>\n<NrVatUE>811907980</NrVatUE>\n<Nazwa>Grün GmbH</Nazwa>"),
        ("<KodKraju>PL</KodKraju>\n\t\t\t<AdresL1>ul. Lipowa 12</AdresL1>\n"
         "\t\t\t<AdresL2>00-950 Warszawa</AdresL2>",
         "<KodKraju>DE</KodKraju><AdresL1>Lindenstr. 3</AdresL1><AdresL2>10115 Berlin</AdresL2>"),
    )
    import_ksef(write_xml(text), clock, ON)
    buyer = doc("FV/2026/02/017").contractor
    assert (buyer.kind, buyer.nip, buyer.language, buyer.address) == (
        "business", None, "en", "Lindenstr. 3, 10115 Berlin, DE"
    )
    assert buyer.vat_eu == "DE811907980"  # kept for the agency and the letters


def test_a_uk_buyer_with_its_vat_number_as_nrid_is_a_business(db, clock, write_xml):
    """The UK left the EU: a British buyer has KodKraju GB and NrID, no NrVatUE. A valid UK
    VAT number keeps it a business (it was a private person), in the same field."""
    text = variant(
        FA3,
        (BUYER_ID, "<KodKraju>GB</KodKraju>\n<NrID>980 7806 84</NrID>\n"
                   "<Nazwa>Harrison Imports Ltd</Nazwa>"),
        ("<KodKraju>PL</KodKraju>\n\t\t\t<AdresL1>ul. Lipowa 12</AdresL1>\n"
         "\t\t\t<AdresL2>00-950 Warszawa</AdresL2>",
         "<KodKraju>GB</KodKraju><AdresL1>King Street 7</AdresL1><AdresL2>M2 4WU Manchester"
         "</AdresL2>"),
    )
    import_ksef(write_xml(text), clock, ON)
    buyer = doc("FV/2026/02/017").contractor
    assert (buyer.kind, buyer.nip, buyer.vat_eu, buyer.language) == (
        "business", None, "GB980780684", "en")


def test_a_buyer_abroad_is_the_contractor_with_its_eu_vat_number(db, clock, write_xml):
    """Another name and address on the invoice, the same EU VAT number: the same company."""
    known = create_contractor(clock, code="GR-1", name="Grün Handel GmbH",
                              address="Berlin", vat_eu="DE811907980")
    text = variant(
        FA3,
        (BUYER_ID, "<KodUE>DE</KodUE>\n<NrVatUE>811907980</NrVatUE>\n<Nazwa>Grün GmbH</Nazwa>"),
    )
    import_ksef(write_xml(text), clock, ON)
    assert doc("FV/2026/02/017").contractor_id == known.id


def test_a_buyer_nip_with_a_bad_checksum_is_refused(db, clock, write_xml, db_state):
    before = db_state()
    text = variant(FA3, ("<NIP>7722744156</NIP>", "<NIP>7722744157</NIP>"))
    assert refused(write_xml(text), clock) == [
        "line 39 (Podmiot2/DaneIdentyfikacyjne/NIP): NIP '7722744157' is not valid "
        "(checksum or length)"
    ]
    assert db_state() == before


# --- due dates and payments ---------------------------------------------------------------


def test_instalments_make_the_last_date_the_due_date_with_a_warning(db, clock, write_xml):
    text = variant(FA3, (TERM, "<TerminPlatnosci><Termin>2026-03-31</Termin></TerminPlatnosci>"
                               "<TerminPlatnosci><Termin>2026-02-26</Termin></TerminPlatnosci>"))
    result = only(import_ksef(write_xml(text), clock, ON))
    assert doc("FV/2026/02/017").due_date == dt.date(2026, 3, 31)
    assert "2 instalments (31.03.2026, 26.02.2026): the document is due on the last, " \
           "31.03.2026" in result.warnings


@pytest.mark.parametrize(
    ("replacement", "expected"),
    [
        pytest.param(
            (TERM, "<TerminPlatnosci>\n<TerminOpis><Ilosc>14</Ilosc><Jednostka>dni"
                   "</Jednostka><ZdarzeniePoczatkowe>od dostawy</ZdarzeniePoczatkowe>"
                   "</TerminOpis></TerminPlatnosci>"),
            "line 100 (Fa/Platnosc/TerminPlatnosci): the payment term has no date (14 dni od "
            "dostawy): the due date is not guessed; enter it by hand or correct the file",
            id="TerminOpis",
        ),
        pytest.param(
            (TERM, ""),
            "line 99 (Fa/Platnosc/TerminPlatnosci): the invoice has no payment due date: it is "
            "not guessed; enter it by hand or correct the file",
            id="no-term",
        ),
    ],
)
def test_a_missing_due_date_is_reported_and_nothing_stored(
    db, clock, write_xml, db_state, replacement, expected
):
    before = db_state()
    assert refused(write_xml(variant(FA3, replacement)), clock) == [expected]
    assert db_state() == before


def test_partly_paid_records_one_payment_per_part(db, clock, write_xml):
    parts = (
        "<FormaPlatnosci>",
        "<ZnacznikZaplatyCzesciowej>1</ZnacznikZaplatyCzesciowej>"
        "<ZaplataCzesciowa><KwotaZaplatyCzesciowej>1000.00</KwotaZaplatyCzesciowej>"
        "<DataZaplatyCzesciowej>2026-02-10</DataZaplatyCzesciowej></ZaplataCzesciowa>"
        "<ZaplataCzesciowa><KwotaZaplatyCzesciowej>420.50</KwotaZaplatyCzesciowej>"
        "<DataZaplatyCzesciowej>2026-02-11</DataZaplatyCzesciowej></ZaplataCzesciowa>"
        "<FormaPlatnosci>",
    )
    import_ksef(write_xml(variant(FA3, parts)), clock, ON)
    payments = [(p.paid_on, p.amount) for p in doc("FV/2026/02/017").payments]
    assert sorted(payments) == [(dt.date(2026, 2, 10), Decimal("1000.00")),
                                (dt.date(2026, 2, 11), Decimal("420.50"))]
    assert grosze("FV/2026/02/017") == (492000, 349950)


def test_parts_paid_beyond_the_gross_are_refused(db, clock, write_xml):
    parts = ("<FormaPlatnosci>", "<ZnacznikZaplatyCzesciowej>1</ZnacznikZaplatyCzesciowej>"
             "<ZaplataCzesciowa><KwotaZaplatyCzesciowej>5000.00</KwotaZaplatyCzesciowej>"
             "<DataZaplatyCzesciowej>2026-02-10</DataZaplatyCzesciowej></ZaplataCzesciowa>"
             "<FormaPlatnosci>")
    assert refused(write_xml(variant(FA3, parts)), clock) == [
        "line 99 (Fa/Platnosc): the payments (5 000,00 PLN) are more than the gross "
        "(4 920,00 PLN)"
    ]


# --- corrections ---------------------------------------------------------------------------


def test_a_correction_adjusts_the_corrected_document_once(db, clock, write_xml, db_state):
    import_ksef(write_xml(FA3, "invoice.xml"), clock, ON)
    kor = write_xml(correction("KOR/2026/02/001", "FV/2026/02/017", "-920.00"), "kor.xml")
    assert only(import_ksef(kor, clock, ON)).outcome == "corrected"
    assert grosze("FV/2026/02/017") == (400000, 400000)
    (row,) = KsefCorrection.select()
    assert (row.number, row.document.number, row.difference, row.source) == (
        "KOR/2026/02/001", "FV/2026/02/017", Decimal("-920.00"), "kor.xml"
    )
    (event,) = CollectionEvent.select().where(CollectionEvent.kind == EventKind.DOCUMENT_CORRECTED)
    assert event.document.number == "FV/2026/02/017"
    assert event.text == ("KOR/2026/02/001 (KOR, 2026-02-12): -920,00 PLN; gross "
                          "4 920,00 PLN → 4 000,00 PLN")
    after = db_state()
    # Again: the correction is applied once, and the corrected invoice's own file still
    # matches the document (its gross before the correction).
    assert only(import_ksef(kor, clock, ON)).outcome == "unchanged"
    assert only(import_ksef(write_xml(FA3, "again.xml"), clock, ON)).outcome == "unchanged"
    assert db_state() == after


def test_a_raising_correction_of_a_paid_document_resumes_nothing_it_did_not_end(
    db, clock, write_xml, author
):
    import_ksef(write_xml(FA2, "fa2.xml"), clock, ON)
    text = variant(correction("KOR/1", "FV/2025/06/101", "123.00", kind="KOR_ROZ"),
                   ("<P_1>2026-02-12</P_1>", "<P_1>2025-06-20</P_1>"))
    assert only(import_ksef(write_xml(text, "kor.xml"), clock, ON)).outcome == "corrected"
    assert grosze("FV/2025/06/101") == (135300, 12300)
    assert doc("FV/2025/06/101").collection_ended_on is None


def test_in_a_folder_a_correction_finds_its_invoice_whatever_the_names(db, clock, write_xml):
    write_xml(correction("KOR/2026/02/001", "FV/2026/02/017", "-920.00"), "0-kor.xml")
    folder = write_xml(FA3, "1-invoice.xml").parent
    summary = import_ksef(folder, clock, ON)
    assert [(r.path.name, r.outcome) for r in summary.results] == [
        ("1-invoice.xml", "created"), ("0-kor.xml", "corrected")
    ]
    assert grosze("FV/2026/02/017") == (400000, 400000)


def test_a_correction_of_an_unknown_invoice_is_refused(db, clock, write_xml, db_state):
    before = db_state()
    kor = write_xml(correction("KOR/1", "FV/9/9", "-10.00"))
    assert refused(kor, clock) == [
        "line 84 (Fa/DaneFaKorygowanej/NrFaKorygowanej): the corrected invoice FV/9/9 is "
        "not in the database (import it first)"
    ]
    assert db_state() == before


def test_a_correction_below_what_is_outstanding_is_refused(db, clock, write_xml, db_state):
    import_ksef(write_xml(FA3, "invoice.xml"), clock, ON)
    record_payment(clock, ON, doc("FV/2026/02/017"), dt.date(2026, 2, 20), Decimal("4500.00"))
    before = db_state()
    kor = write_xml(correction("KOR/1", "FV/2026/02/017", "-920.00"), "kor.xml")
    assert refused(kor, clock) == [
        "line 62 (Fa/P_15): the correction (-920,00 PLN) is more than the outstanding "
        "420,00 PLN of FV/2026/02/017: the overpayment must be refunded or set off by hand"
    ]
    assert db_state() == before


def test_a_correction_number_applied_with_another_difference_is_a_conflict(db, clock, write_xml):
    import_ksef(write_xml(FA3, "invoice.xml"), clock, ON)
    import_ksef(write_xml(correction("KOR/1", "FV/2026/02/017", "-20.00"), "a.xml"), clock, ON)
    problems = refused(write_xml(correction("KOR/1", "FV/2026/02/017", "-30.00"), "b.xml"), clock)
    assert problems == ["line 58 (Fa/P_2): conflict: correction KOR/1 was applied already to "
                        "FV/2026/02/017 with -20,00 PLN; nothing was changed"]
    assert grosze("FV/2026/02/017") == (490000, 490000)


# --- re-imports and conflicts ----------------------------------------------------------------


def test_importing_the_same_files_again_changes_nothing(db, clock, write_xml, db_state):
    write_xml(FA2, "fa2.xml")
    folder = write_xml(FA3, "fa3.xml").parent
    import_ksef(folder, clock, OURS)
    before = db_state()
    summary = import_ksef(folder, clock, OURS)
    assert [r.outcome for r in summary.results] == ["unchanged", "unchanged"]
    assert all(r.warnings == () for r in summary.results)
    assert db_state() == before


def test_the_same_number_with_other_data_is_a_conflict(db, clock, write_xml, db_state):
    import_ksef(write_xml(FA3, "a.xml"), clock, ON)
    before = db_state()
    other = variant(FA3, ("<P_15>4920.00</P_15>", "<P_15>5000.00</P_15>"),
                    ("<Termin>2026-02-26</Termin>", "<Termin>2026-03-12</Termin>"))
    assert refused(write_xml(other, "b.xml"), clock) == [
        "line 58 (Fa/P_2): conflict: FV/2026/02/017 is already in the database with other "
        "data (due date 26.02.2026 in the database, 12.03.2026 in the file; gross 4 920,00 PLN "
        "in the database, 5 000,00 PLN in the file); nothing was changed"
    ]
    assert db_state() == before


# --- files that are refused -------------------------------------------------------------------


def test_another_namespace_is_refused_naming_it(db, clock, write_xml, db_state):
    before = db_state()
    text = variant(FA3, (f'xmlns="{FA3_NAMESPACE}"', 'xmlns="http://crd.gov.pl/wzor/2021/11/29/11089/"'))
    assert refused(write_xml(text), clock) == [
        "line 11: namespace 'http://crd.gov.pl/wzor/2021/11/29/11089/' is neither KSeF FA(2) "
        f"({FA2_NAMESPACE}) nor FA(3) ({FA3_NAMESPACE})"
    ]
    assert db_state() == before


def test_an_fa3_header_in_the_fa2_namespace_is_read_as_fa2(db, clock, write_xml):
    text = variant(FA3, (f'xmlns="{FA3_NAMESPACE}"', f'xmlns="{FA2_NAMESPACE}"'))
    assert only(import_ksef(write_xml(text), clock, ON)).outcome == "created"


def test_malformed_xml_names_the_line_and_stores_nothing(db, clock, write_xml, db_state):
    before = db_state()
    text = variant(FA3, ("<P_1M>Warszawa</P_1M>", "<P_1M>Warszawa</P_1>"))
    assert refused(write_xml(text), clock) == [
        "line 57: the file is not well-formed XML (mismatched tag)"
    ]
    assert db_state() == before


def test_entities_are_refused_before_they_expand(db, clock, write_xml):
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE Faktura [\n <!ENTITY a "aaaaaaaaaa">\n'
            ' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n<Faktura>&b;</Faktura>\n')
    (problem,) = refused(write_xml(bomb), clock)
    assert problem.startswith("line 2: the file declares a DTD or entities")


def test_a_file_too_big_to_be_an_invoice_is_refused_unread(db, clock, write_xml):
    path = write_xml(FA3.replace("</Faktura>", "<!--" + "x" * MAX_BYTES + "--></Faktura>"))
    (problem,) = refused(path, clock)
    assert problem.startswith(f"the file has {path.stat().st_size:,} bytes; an e-invoice is")


def test_a_purchase_invoice_is_refused(db, clock, write_xml, db_state):
    before = db_state()
    settings = CollectionSettings(module_enabled=True, company_nip="5260250274")
    assert refused(write_xml(FA3), clock, settings) == [
        "line 23 (Podmiot1/DaneIdentyfikacyjne/NIP): the seller's NIP 5220715471 is not the "
        "company's (5260250274): a purchase invoice, not ours to collect"
    ]
    assert db_state() == before


def test_several_problems_of_one_file_are_listed_together(db, clock, write_xml):
    text = variant(FA3, ("<P_1>2026-02-12</P_1>", "<P_1>12.02.2026</P_1>"),
                   ("<KodWaluty>PLN</KodWaluty>", "<KodWaluty>zł</KodWaluty>"))
    assert refused(write_xml(text), clock) == [
        "line 56 (Fa/P_1): '12.02.2026' is not a date (YYYY-MM-DD)",
        "line 55 (Fa/KodWaluty): 'zł' is not a currency code (e.g. PLN)",
    ]


# --- folders ---------------------------------------------------------------------------------


def test_a_folder_imports_the_good_files_and_names_the_bad_ones(db, clock, write_xml):
    write_xml(FA3, "a.xml")
    write_xml("<Faktura>\n<Fa>\n</Faktura>\n", "b.xml")
    write_xml(FA2, "c.XML")
    folder = write_xml("not an invoice", "notes.txt").parent
    calls: list[tuple[int, int]] = []
    summary = import_ksef(folder, clock, ON,
                          progress=lambda done, total: calls.append((done, total)))
    assert [(r.path.name, r.outcome) for r in summary.results] == [
        ("a.xml", "created"), ("b.xml", "refused"), ("c.XML", "created")
    ]
    assert [str(p) for p in summary.refused[0].problems] == [
        "line 3: the file is not well-formed XML (mismatched tag)"
    ]
    assert (summary.count("created"), summary.count("refused")) == (2, 1)
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert Document.select().count() == 2


def test_a_folder_without_xml_files_is_an_error(db, clock, tmp_path):
    with pytest.raises(FileNotFoundError, match="holds no"):
        import_ksef(tmp_path, clock, ON)
    with pytest.raises(FileNotFoundError, match="no such file"):
        import_ksef(tmp_path / "missing", clock, ON)


def test_a_file_that_fails_while_storing_leaves_nothing_behind(db, clock, write_xml, db_state):
    """The contractor, the document and its payment are one transaction: a payment the
    database refuses (a trigger stands in for a constraint) rolls them all back."""
    before = db_state()
    parts = ("<FormaPlatnosci>", "<ZnacznikZaplatyCzesciowej>1</ZnacznikZaplatyCzesciowej>"
             "<ZaplataCzesciowa><KwotaZaplatyCzesciowej>100.00</KwotaZaplatyCzesciowej>"
             "<DataZaplatyCzesciowej>2026-02-10</DataZaplatyCzesciowej></ZaplataCzesciowa>"
             "<FormaPlatnosci>")
    path = write_xml(variant(FA3, parts))
    close_payments(db)
    [problem] = refused(path, clock)  # PostgreSQL adds the trigger's context after it
    assert problem.startswith("line 58: the database refused it (payments are closed")
    assert db_state() == before


def close_payments(db) -> None:
    """A trigger that refuses every new payment, in the database's own dialect."""
    if is_sqlite(db):
        db.execute_sql("CREATE TRIGGER no_payments BEFORE INSERT ON payment BEGIN "
                       "SELECT RAISE(ABORT, 'payments are closed'); END")
        return
    db.execute_sql("CREATE FUNCTION no_payments() RETURNS trigger LANGUAGE plpgsql AS "
                   "$$ BEGIN RAISE EXCEPTION 'payments are closed' "
                   "USING ERRCODE = 'check_violation'; END $$")
    db.execute_sql("CREATE TRIGGER no_payments BEFORE INSERT ON payment "
                   "FOR EACH ROW EXECUTE FUNCTION no_payments()")


def test_a_correction_that_settles_a_reminded_document_ends_its_collection(
    db, clock, write_xml
):
    import_ksef(write_xml(FA3, "invoice.xml"), clock, ON)
    Document.update(reminder_sent_on=dt.date(2026, 2, 23)).execute()
    kor = write_xml(correction("KOR/1", "FV/2026/02/017", "-4920.00"), "kor.xml")
    assert only(import_ksef(kor, clock, ON)).outcome == "corrected"
    settled = doc("FV/2026/02/017")
    assert (settled.gross, settled.outstanding) == (Decimal("0.00"), Decimal("0.00"))
    assert (settled.collection_ended_on, settled.collection_end_reason) == (clock.today(), "paid")
    kinds = [e.kind for e in settled.events.order_by(CollectionEvent.id)]
    assert kinds == [EventKind.DOCUMENT_ARRIVED, EventKind.DOCUMENT_CORRECTED,
                     EventKind.COLLECTION_FINISHED]


def put_in_recovery_case() -> None:
    Document.update(recovery_case=7).execute()


@pytest.mark.parametrize(
    ("currency", "before_correction", "expected"),
    [
        pytest.param(
            "EUR", None, "line 55 (Fa/KodWaluty): the correction is in EUR, the invoice "
            "FV/2026/02/017 in PLN", id="currency",
        ),
        pytest.param(
            "PLN", put_in_recovery_case,
            "line 84 (Fa/DaneFaKorygowanej/NrFaKorygowanej): FV/2026/02/017 is in recovery "
            "case 7: tell the agency and correct it by hand", id="recovery-case",
        ),
    ],
)
def test_corrections_the_ledger_cannot_take_are_refused(
    db, clock, write_xml, db_state, currency, before_correction, expected
):
    import_ksef(write_xml(FA3, "invoice.xml"), clock, ON)
    if before_correction:
        before_correction()
    before = db_state()
    text = variant(correction("KOR/1", "FV/2026/02/017", "-10.00"),
                   ("<KodWaluty>PLN</KodWaluty>", f"<KodWaluty>{currency}</KodWaluty>"))
    assert refused(write_xml(text, "kor.xml"), clock) == [expected]
    assert db_state() == before
