"""Letters planned by a real pass (issue 16): the channel per step, the letter's content
stored as JSON, and e-mail untouched where letters are off."""

from __future__ import annotations

import datetime as dt
import email
import json
import mailbox

import pytest
from pass_runner import run_one_pass

from windykacja.dunning.letters import letter_from_json
from windykacja.ledger.settings import save_settings
from windykacja.models import DocumentStep, Message, MessageState

MONDAY = dt.date(2026, 11, 23)
COMPANY = {
    "company.name": "Nasza Firma Sp. z o.o.", "company.nip": "6762451230",
    "company.address": "ul. Długa 5, 31-147 Kraków",
    "company.bank_account": "PL61 1090 1014 0000 0712 1981 2874",
}


@pytest.fixture
def letters_on(collection, clock):
    def switch(**channels):
        values = {"letters.enabled": "yes", **COMPANY}
        values.update({f"letters.{k}": v for k, v in channels.items()})
        save_settings(values, "test", clock.now())
        return collection
    return switch


def delivered(outbox):
    return [email.message_from_bytes(m.as_bytes()) for m in mailbox.Maildir(outbox).itervalues()]


def test_without_letters_a_contractor_without_email_gets_nothing(collection, clock, tmp_path):
    bez = collection.contractor("BEZ", email="", address="ul. Polna 2, 00-001 Warszawa")
    collection.document(bez, due=MONDAY - dt.timedelta(days=10))
    result = run_one_pass(clock, tmp_path / "outbox")
    assert result.outcomes == [] and Message.select().count() == 0


def test_a_contractor_without_email_gets_a_letter_waiting_to_be_printed(letters_on, clock,
                                                                        tmp_path):
    ledger = letters_on()
    bez = ledger.contractor("BEZ", email="", address="ul. Polna 2, 00-001 Warszawa")
    doc = ledger.document(bez, due=MONDAY - dt.timedelta(days=10), number="FV/7")

    result = run_one_pass(clock, tmp_path / "outbox")

    assert result.outcomes == []  # nothing is e-mailed; the letter waits for the printer
    [letter] = Message.select()
    assert (letter.channel, letter.kind, letter.state) == ("letter", "demand", "planned")
    data = letter_from_json(letter.raw)
    assert data.recipient_name == bez.name
    assert data.recipient_address == ("ul. Polna 2", "00-001 Warszawa")
    assert data.place == "Kraków" and data.date == MONDAY
    assert [d.number for d in data.documents] == ["FV/7"]
    assert data.payment_code is not None and data.payment_code.kind == "zbp"
    assert json.loads(letter.raw)["title"] == letter.subject
    [step] = DocumentStep.select()
    assert (step.document_id, step.kind, step.number) == (doc.id, "demand", 1)
    # Not sent until posted: the document still stands at no demand, and the next pass
    # plans nothing new for it.
    assert doc.__class__.get_by_id(doc.id).demands_sent == 0
    clock.day = MONDAY + dt.timedelta(days=1)
    run_one_pass(clock, tmp_path / "outbox")
    assert Message.select().count() == 1


def test_letters_for_demands_only_keep_reminders_by_email(letters_on, clock, tmp_path):
    ledger = letters_on(demand="letter", last_demand="letter")
    anna = ledger.contractor("ANNA", email="anna@example.pl", address="ul. A 1, 00-001 Warszawa")
    ledger.document(anna, due=MONDAY + dt.timedelta(days=2), number="FV/R")
    ledger.document(anna, due=MONDAY - dt.timedelta(days=10), number="FV/D")

    result = run_one_pass(clock, tmp_path / "outbox")

    assert [(o.kind, o.documents) for o in result.outcomes] == [("reminder", ["FV/R"])]
    letter = Message.get(Message.channel == "letter")
    assert letter.kind == "demand" and letter.state == MessageState.PLANNED


def test_both_sends_an_email_copy_with_the_pdf_and_the_letter_carries_the_step(
        letters_on, clock, tmp_path):
    ledger = letters_on(demand="both", last_demand="both")
    anna = ledger.contractor("ANNA", email="anna@example.pl", address="ul. A 1, 00-001 Warszawa")
    doc = ledger.document(anna, due=MONDAY - dt.timedelta(days=10), number="FV/B")

    result = run_one_pass(clock, tmp_path / "outbox")

    letter = Message.get(Message.channel == "letter")
    copy = Message.get(Message.channel == "email")
    assert copy.letter_of_id == letter.id and copy.state == MessageState.SENT
    assert [o.message_id for o in result.outcomes] == [copy.id]
    [step] = DocumentStep.select()
    assert step.message_id == letter.id  # the copy carries no step
    assert doc.__class__.get_by_id(doc.id).demands_sent == 0  # counts from posting
    [mail] = delivered(tmp_path / "outbox")
    pdfs = [p for p in mail.walk() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_payload(decode=True).startswith(b"%PDF")
    text = next(p for p in mail.walk() if p.get_content_type() == "text/plain")
    assert "Tę samą treść wysyłamy również listem poleconym" in text.get_payload(decode=True
                                                                                ).decode()


def test_a_letter_that_cannot_be_printed_fails_naming_the_field(letters_on, clock, tmp_path):
    ledger = letters_on()
    # 141 characters: over the letter's 120 (Poczta Polska's two fields of 60), within
    # what a contractor's name may hold (a 300-character one is refused on entry).
    long_name = "Przedsiębiorstwo " + "Bardzo Długiej Nazwy " * 6
    bez = ledger.contractor("BEZ", email="", name=long_name.strip(),
                            address="ul. Polna 2, 00-001 Warszawa")
    ledger.document(bez, due=MONDAY - dt.timedelta(days=10))

    run_one_pass(clock, tmp_path / "outbox")

    [letter] = Message.select()
    assert letter.state == MessageState.FAILED
    assert letter.last_error.startswith("letter: recipient_name:")
    assert letter.raw == ""


def test_a_contractor_with_neither_email_nor_address_is_not_written_to(letters_on, clock,
                                                                       tmp_path):
    ledger = letters_on()
    nobody = ledger.contractor("NIKT", email="", address="")
    ledger.document(nobody, due=MONDAY - dt.timedelta(days=10))
    run_one_pass(clock, tmp_path / "outbox")
    assert Message.select().count() == 0


def test_why_not_says_the_letter_waits_to_be_printed_then_posted(letters_on, clock, tmp_path):
    from windykacja.dunning.facts import current_facts
    from windykacja.dunning.paper import print_letters
    from windykacja.dunning.policy import next_step
    from windykacja.dunning.wording import describe_next
    from windykacja.ledger.settings import load_settings

    ledger = letters_on()
    bez = ledger.contractor("BEZ", email="", address="ul. Polna 2, 00-001 Warszawa")
    doc = ledger.document(bez, due=MONDAY - dt.timedelta(days=10))
    run_one_pass(clock, tmp_path / "outbox")
    settings = load_settings()

    def why(language):
        document = doc.__class__.get_by_id(doc.id)
        return describe_next(next_step(settings, settings.sending_days, current_facts(document),
                                       MONDAY), language)

    letter = Message.get()
    assert why("en") == f"letter {letter.id} waits to be printed"
    print_letters(clock, settings, tmp_path / "letters", "anna")
    assert why("pl") == f"list {letter.id} wydrukowany, nadania nie potwierdzono"


def test_the_forecast_says_which_steps_go_by_letter(letters_on, clock, tmp_path):
    from windykacja.dunning.forecast_days import forecast_days
    from windykacja.dunning.policy import Step
    from windykacja.dunning.wording import describe_step
    from windykacja.ledger.settings import load_settings

    ledger = letters_on()
    bez = ledger.contractor("BEZ", email="", address="ul. Polna 2, 00-001 Warszawa")
    ledger.document(bez, due=MONDAY - dt.timedelta(days=10), number="FV/L")
    anna = ledger.contractor("ANNA", email="anna@example.pl", address="")
    ledger.document(anna, due=MONDAY - dt.timedelta(days=10), number="FV/E")

    [today] = [d for d in forecast_days(load_settings(), MONDAY, 1)]
    assert {(m.contractor, m.channel) for m in today.messages} == {
        (bez.name, "letter"), (anna.name, "email")}
    step = next(m for m in today.messages if m.channel == "letter").steps[0]
    assert step.channel == "letter"
    assert describe_step(Step("demand", 1, MONDAY, "letter"), "pl") == (
        "wezwanie 1 dnia 23.11.2026 (list)")


def test_run_once_and_status_say_what_letters_wait_for(letters_on, clock, db_location,
                                                       capsys):
    """The pass never sends a letter: run-once says how many wait to be printed, and a
    contractor whose e-mail addresses all failed reads 'its steps go by letter'."""
    from windykacja.app import main
    from windykacja.ledger.addresses import mark_failing

    ledger = letters_on()
    bez = ledger.contractor("BEZ", email="", address="ul. Polna 2, 00-001 Warszawa")
    ledger.document(bez, due=MONDAY - dt.timedelta(days=10))
    zly = ledger.contractor("ZLY", email="zly@example.pl", address="ul. A 1, 00-001 Warszawa")
    mark_failing(zly.id, "zly@example.pl", "550 5.1.1 User unknown", MONDAY, None)
    location = db_location()
    assert main(["--db", location, "--today", MONDAY.isoformat(), "run-once"]) == 0
    assert "1 letter waits to be printed: windykacja letters print" in capsys.readouterr().out
    main(["--db", location, "--today", MONDAY.isoformat(), "status"])
    out = capsys.readouterr().out
    assert "no e-mail can reach this contractor; its steps go by letter meanwhile" in out
    assert "1 letter waits to be printed" in out
