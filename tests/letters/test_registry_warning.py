"""The last demand with the debtor-registry warning (issue 16, point 4), planned by a
real pass: by registered letter, or by e-mail to a business whose contract allows it;
never without the bureau's firm and seat."""

from __future__ import annotations

import datetime as dt
import email
import mailbox

import pytest
from pass_runner import run_one_pass
from pypdf import PdfReader

from windykacja.dunning.letters import letter_from_json
from windykacja.dunning.render import save_override
from windykacja.ledger.settings import save_settings
from windykacja.models import Contractor, Message, MessageState

MONDAY = dt.date(2026, 11, 23)
BUREAU = "Krajowy Rejestr Długów Biuro Informacji Gospodarczej S.A."
SEAT = "ul. Danuty Siedzikówny 12, 51-214 Wrocław"
SETTINGS = {
    "company.name": "Nasza Firma Sp. z o.o.", "company.nip": "6762451230",
    "company.address": "ul. Długa 5, 31-147 Kraków",
    "company.bank_account": "PL61 1090 1014 0000 0712 1981 2874",
    "demand.max_count": "1", "registry.warning": "yes",
    "registry.bureau_name": BUREAU, "registry.bureau_address": SEAT,
}


@pytest.fixture
def registry(collection, clock):
    save_settings(SETTINGS, "test", clock.now())
    return collection


def _text(letter: Message) -> str:
    data = letter_from_json(letter.raw)
    return " ".join(" ".join((*data.paragraphs, *data.closing)).split())


def test_the_warning_goes_by_registered_letter_even_with_letters_off(registry, clock, tmp_path):
    anna = registry.contractor("ANNA", email="anna@example.pl", address="ul. A 1, 00-001 Warszawa")
    registry.document(anna, due=MONDAY - dt.timedelta(days=10), number="FV/1")

    result = run_one_pass(clock, tmp_path / "outbox")

    assert result.outcomes == []  # no e-mail: the warning waits for the printer
    [letter] = Message.select()
    assert (letter.channel, letter.variant, letter.state) == ("letter", "registry", "planned")
    text = _text(letter)
    assert BUREAU in text and SEAT in text
    assert "art. 15 ust. 1" in text and "9 kwietnia 2010" in text
    assert letter_from_json(letter.raw).notes == ("Przesyłka polecona",)


def test_a_consumer_is_warned_under_article_14(registry, clock, tmp_path):
    jan = registry.contractor("JAN", email="", kind="private", name="Jan Kowalski",
                              address="ul. B 2, 00-002 Warszawa")
    registry.document(jan, due=MONDAY - dt.timedelta(days=10))
    run_one_pass(clock, tmp_path / "outbox")
    assert "art. 14 ust. 1" in _text(Message.get())


def test_by_email_where_the_contract_allows_it_with_the_warning_letter_attached(
        registry, clock, tmp_path):
    firma = registry.contractor("FIRMA", email="biuro@firma.pl", address="ul. C 3, 00-003 Warszawa")
    Contractor.update(registry_email_allowed=True).where(Contractor.id == firma.id).execute()
    registry.document(firma, due=MONDAY - dt.timedelta(days=10), number="FV/9")

    run_one_pass(clock, tmp_path / "outbox")

    [sent] = Message.select()
    assert (sent.channel, sent.variant, sent.state) == ("email", "registry", MessageState.SENT)
    [mail] = [email.message_from_bytes(m.as_bytes())
              for m in mailbox.Maildir(tmp_path / "outbox").itervalues()]
    body = " ".join(next(p for p in mail.walk() if p.get_content_type() == "text/plain")
                    .get_payload(decode=True).decode().split())
    assert BUREAU in body and SEAT in body and "art. 15 ust. 1" in body  # in the text too
    [pdf] = [p for p in mail.walk() if p.get_content_type() == "application/pdf"]
    path = tmp_path / "warning.pdf"
    path.write_bytes(pdf.get_payload(decode=True))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())
    assert BUREAU in text and "51-214 Wrocław" in text and "FV/9" in text


def test_a_consumer_is_never_warned_by_email_whatever_the_flag(registry, clock, tmp_path):
    jan = registry.contractor("JAN", email="jan@example.pl", kind="private",
                              address="ul. B 2, 00-002 Warszawa")
    Contractor.update(registry_email_allowed=True).where(Contractor.id == jan.id).execute()
    registry.document(jan, due=MONDAY - dt.timedelta(days=10))
    run_one_pass(clock, tmp_path / "outbox")
    assert Message.get().channel == "letter"


def test_without_the_bureau_in_settings_the_warning_fails_saying_so(collection, clock, tmp_path):
    save_settings({**SETTINGS, "registry.bureau_address": ""}, "test", clock.now())
    anna = collection.contractor("ANNA", email="", address="ul. A 1, 00-001 Warszawa")
    collection.document(anna, due=MONDAY - dt.timedelta(days=10))
    run_one_pass(clock, tmp_path / "outbox")
    [letter] = Message.select()
    assert letter.state == MessageState.FAILED and letter.variant == "registry"
    assert "registry.bureau_address" in letter.last_error


def test_a_users_template_that_drops_the_bureau_fails_instead_of_warning_in_vain(
        registry, clock, tmp_path):
    save_override("letter_registry", "pl", "closing", "Prosimy o zapłatę.", "anna", clock.now())
    anna = registry.contractor("ANNA", email="", address="ul. A 1, 00-001 Warszawa")
    registry.document(anna, due=MONDAY - dt.timedelta(days=10))
    run_one_pass(clock, tmp_path / "outbox")
    [letter] = Message.select()
    assert letter.state == MessageState.FAILED
    assert "does not name the bureau" in letter.last_error and letter.raw == ""


def test_the_editor_keeps_the_flag_for_a_business_and_never_for_a_consumer(collection, clock):
    from windykacja.lists.contractor_list import ContractorForm, save_contractor

    form = ContractorForm(code="F1", name="Firma", kind="business", registry_email_allowed=True)
    _, firma = save_contractor(clock, form)
    _, osoba = save_contractor(clock, ContractorForm(
        code="P1", name="Jan Kowalski", kind="private", registry_email_allowed=True))
    assert firma.registry_email_allowed is True
    assert osoba.registry_email_allowed is False
