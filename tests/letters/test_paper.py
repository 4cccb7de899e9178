"""Printing, posting and the return receipt (issue 16): registered mail as a fact.

Real SQLite files, real passes, real PDFs read back with pypdf."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from pass_runner import run_one_pass
from pypdf import PdfReader

from windykacja.dunning.paper import (
    PaperRefused,
    planned_letters,
    post_letters,
    print_letters,
    printed_letters,
    record_outcome,
    reprint_batch,
)
from windykacja.ledger.event_words import event_text
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import (
    CollectionEvent,
    Document,
    EventKind,
    Letter,
    Message,
    MessageState,
    MessageText,
)

MONDAY = dt.date(2026, 11, 23)
COMPANY = {
    "company.name": "Nasza Firma Sp. z o.o.", "company.nip": "6762451230",
    "company.address": "ul. Długa 5, 31-147 Kraków",
    "company.bank_account": "PL61 1090 1014 0000 0712 1981 2874",
    "letters.enabled": "yes", "demand.max_count": "3",
}
NUMBER = "RR123456785PL"  # a valid S10 number (check digit 5)


@pytest.fixture
def paper(collection, clock, tmp_path):
    save_settings(COMPANY, "test", clock.now())
    bez = collection.contractor("BEZ", email="", name="Firma Bez Maila sp. z o.o.",
                                address="ul. Polna 2, 00-001 Warszawa")
    doc = collection.document(bez, due=MONDAY - dt.timedelta(days=10), number="FV/7",
                              gross="1234.56")
    run_one_pass(clock, tmp_path / "outbox")
    return doc


def _print(clock, tmp_path):
    return print_letters(clock, load_settings(), tmp_path / "letters", "anna")


def test_printing_writes_the_letters_and_the_dispatch_book(paper, clock, tmp_path):
    [letter] = planned_letters()

    printed = _print(clock, tmp_path)

    batch = printed.batch
    text = "\n".join(p.extract_text() for p in PdfReader(batch.pdf_path).pages)
    assert "Firma Bez Maila sp. z o.o." in text and "FV/7" in text
    assert "1 234,56 PLN" in text and "Przesyłka polecona" in text
    book = "\n".join(p.extract_text() for p in PdfReader(batch.book_pdf_path).pages)
    assert "Książka nadawcza" in book and "Firma Bez Maila" in book and str(letter.id) in book
    with open(batch.book_csv_path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows[0][:4] == ["Lp.", "Adresat", "Adres", "Numer nadawczy"]
    assert rows[1][1:3] == ["Firma Bez Maila sp. z o.o.", "ul. Polna 2, 00-001 Warszawa"]
    assert rows[1][4] == str(letter.id)
    assert Message.get_by_id(letter.id).state == MessageState.PRINTED
    assert planned_letters() == [] and [m.id for m in printed_letters()] == [letter.id]
    with pytest.raises(PaperRefused, match="no letters are waiting"):
        _print(clock, tmp_path)


def test_a_printed_letter_is_not_planned_again_until_posted(paper, clock, tmp_path):
    _print(clock, tmp_path)
    for days in (1, 2, 8, 15):
        run_one_pass(clock, tmp_path / "outbox", MONDAY + dt.timedelta(days=days))
    assert Message.select().count() == 1
    assert Document.get_by_id(paper.id).demands_sent == 0


def test_the_next_demand_counts_from_the_posting_day(paper, clock, tmp_path):
    _print(clock, tmp_path)
    clock.day = MONDAY + dt.timedelta(days=3)  # Thursday: posted on Wednesday
    [letter] = printed_letters()
    posted = MONDAY + dt.timedelta(days=2)
    post_letters(clock, [(letter, "rr 123 456 785 pl")], posted, "anna")

    stored = Document.get_by_id(paper.id)
    assert (stored.demands_sent, stored.last_demand_on) == (1, posted)
    row = Letter.get(Letter.message == letter.id)
    assert (row.posted_on, row.registered_number, row.posted_by) == (posted, NUMBER, "anna")
    event = CollectionEvent.get(CollectionEvent.kind == EventKind.DEMAND_SENT)
    assert event.day == posted
    assert event_text(event.kind, event.text, "pl") == f"wezwanie 1, list polecony {NUMBER}"
    # demand.repeat_every_days is 7: demand 2 is due 7 days after posting, not printing.
    every = load_settings().demand_repeat_every_days
    run_one_pass(clock, tmp_path / "outbox", posted + dt.timedelta(days=every - 1))
    assert Message.select().count() == 1
    run_one_pass(clock, tmp_path / "outbox", posted + dt.timedelta(days=every))
    second = Message.select().order_by(Message.id.desc()).first()
    assert (second.channel, second.state, second.subject) == (
        "letter", "planned", "WEZWANIE DO ZAPŁATY NR 2")


@pytest.mark.parametrize("number, problem", [
    ("", "give its number from the post office"),
    ("RR123456784PL", "check digit"),
    ("12345", "20 digits"),
])
def test_a_registered_letter_needs_a_good_number_and_nothing_changes_else(
        paper, clock, tmp_path, number, problem):
    _print(clock, tmp_path)
    [letter] = printed_letters()
    with pytest.raises(PaperRefused, match=problem) as refused:
        post_letters(clock, [(letter, number)], MONDAY, "anna")
    assert refused.value.field == "number"
    assert Message.get_by_id(letter.id).state == MessageState.PRINTED
    assert Document.get_by_id(paper.id).demands_sent == 0


def test_posting_days_in_the_future_or_before_printing_are_refused(paper, clock, tmp_path):
    _print(clock, tmp_path)
    [letter] = printed_letters()
    for day in (MONDAY + dt.timedelta(days=1), MONDAY - dt.timedelta(days=1)):
        with pytest.raises(PaperRefused) as refused:
            post_letters(clock, [(letter, NUMBER)], day, "anna")
        assert refused.value.field == "day"


def test_one_number_cannot_serve_two_letters(collection, clock, tmp_path):
    save_settings(COMPANY, "test", clock.now())
    for code in ("A", "B"):
        c = collection.contractor(code, email="", address="ul. Polna 2, 00-001 Warszawa")
        collection.document(c, due=MONDAY - dt.timedelta(days=10))
    run_one_pass(clock, tmp_path / "outbox")
    _print(clock, tmp_path)
    first, second = printed_letters()
    with pytest.raises(PaperRefused, match="already used"):
        post_letters(clock, [(first, NUMBER), (second, NUMBER)], MONDAY, "anna")
    assert [m.state for m in printed_letters()] == ["printed", "printed"]  # all or nothing


def test_delivery_and_return_go_on_the_timeline(collection, clock, tmp_path):
    save_settings(COMPANY, "test", clock.now())
    docs = []
    for code in ("A", "B"):
        c = collection.contractor(code, email="", address="ul. Polna 2, 00-001 Warszawa")
        docs.append(collection.document(c, due=MONDAY - dt.timedelta(days=10)))
    run_one_pass(clock, tmp_path / "outbox")
    _print(clock, tmp_path)
    first, second = printed_letters()
    post_letters(clock, [(first, NUMBER), (second, "00259007738905123456")], MONDAY, "anna")
    clock.day = MONDAY + dt.timedelta(days=20)
    record_outcome(clock, Message.get_by_id(first.id), MONDAY + dt.timedelta(days=3), "anna")
    record_outcome(clock, Message.get_by_id(second.id), MONDAY + dt.timedelta(days=17), "anna",
                   returned="unclaimed")
    delivered = CollectionEvent.get(CollectionEvent.kind == EventKind.LETTER_DELIVERED)
    returned = CollectionEvent.get(CollectionEvent.kind == EventKind.LETTER_RETURNED)
    assert (delivered.document_id, returned.document_id) == (docs[0].id, docs[1].id)
    assert event_text(delivered.kind, delivered.text, "pl") == f"list nr {first.id}, 26.11.2026"
    assert event_text(returned.kind, returned.text, "en") == (
        f"letter #{second.id} on 10.12.2026: not collected after two notices")
    # A returned letter keeps its step: the law counts from posting.
    assert Document.get_by_id(docs[1].id).demands_sent == 1
    with pytest.raises(PaperRefused, match="already recorded"):
        record_outcome(clock, Message.get_by_id(first.id), MONDAY + dt.timedelta(days=4),
                       "anna")


def test_a_reprint_draws_the_same_letters(paper, clock, tmp_path):
    batch = _print(clock, tmp_path).batch
    before = [p.extract_text() for p in PdfReader(batch.pdf_path).pages]
    # The contractor's name changes after printing: the reprint is the letter as stored.
    Document.get_by_id(paper.id).contractor.__class__.update(name="Inna Nazwa").execute()
    reprint_batch(load_settings(), batch)
    assert [p.extract_text() for p in PdfReader(batch.pdf_path).pages] == before


def test_a_letter_reads_back_as_it_prints_in_the_outbox_and_the_timeline(paper, clock):
    from windykacja.lists.message_view import read_message

    [letter] = planned_letters()
    view = read_message(letter)
    assert dict(view.headers)["To"] == (
        "Firma Bez Maila sp. z o.o., ul. Polna 2, 00-001 Warszawa")
    assert dict(view.headers)["Subject"] == letter.subject
    assert "FV/7" in view.text and "1 234,56 PLN" in view.text
    assert "{" not in view.text and '"paragraphs"' not in view.text  # never the stored JSON


def test_a_failed_letter_cannot_be_marked_sent_from_the_outbox(collection, clock, tmp_path):
    from windykacja.dunning.outbox import mark_sent_by_user

    save_settings({**COMPANY, "company.bank_account": ""}, "test", clock.now())
    bez = collection.contractor("BEZ", email="", address="ul. Polna 2, 00-001 Warszawa")
    doc = collection.document(bez, due=MONDAY - dt.timedelta(days=10))
    run_one_pass(clock, tmp_path / "outbox")
    [letter] = Message.select()
    assert letter.state == MessageState.FAILED and "sender_account" in letter.last_error
    with pytest.raises(ValueError, match="is a letter"):
        mark_sent_by_user(clock, letter, "anna")
    assert Document.get_by_id(doc.id).demands_sent == 0


def test_a_letter_refused_while_printing_is_named_and_nothing_is_written(
        paper, clock, tmp_path):
    """Checked when planned, a letter is checked again as it is drawn; a stored letter
    that no longer passes (here: its name made too long by hand) stops the batch with
    its number, and no file is left behind."""
    import json

    [letter] = planned_letters()
    stored = json.loads(letter.raw)
    stored["recipient_name"] = "Przedsiębiorstwo " * 20
    MessageText.update(raw=json.dumps(stored)).where(
        MessageText.message == letter.id).execute()
    with pytest.raises(PaperRefused, match=f"letter {letter.id}: recipient_name"):
        _print(clock, tmp_path)
    assert list((tmp_path / "letters").iterdir()) == []
    assert Message.get_by_id(letter.id).state == MessageState.PLANNED


@pytest.mark.parametrize("language, waiting, what", [
    ("pl", "1 list czeka na wydruk:", "wezwanie 1"),
    ("en", "1 letter waiting to be printed:", "demand 1")])
def test_letters_list_in_words_of_either_language(paper, clock, capsys, db_location,
                                                   language, waiting, what):
    from windykacja.app import main

    capsys.readouterr()
    assert main(["--db", db_location(), "--lang", language, "letters", "list"]) == 0
    out = capsys.readouterr().out
    assert waiting in out and what in out and "FV/7" in out
    assert "WEZWANIE" not in out  # the title is the debtor's; the list speaks the reader's


def test_letters_preview_draws_a_template_as_a_pdf_for_a_real_document(paper, clock, tmp_path,
                                                                       capsys, db_location):
    from windykacja.app import main
    from windykacja.dunning.render import save_override

    save_override("letter_demand", "pl", "closing", "Prosimy o pilną zapłatę.", "anna",
                  clock.now())
    target = tmp_path / "podglad.pdf"
    assert main(["--db", db_location(), "--lang", "pl", "letters", "preview",
                 "letter_demand", str(target)]) == 0
    assert "FV/7" in capsys.readouterr().out
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(target).pages).split())
    assert "Firma Bez Maila sp. z o.o." in text and "Prosimy o pilną zapłatę." in text
    assert planned_letters()[0].state == "planned"  # a preview stores nothing
