"""The inbox, promise and dispute commands as a bookkeeper uses them (issue 15), in Polish
and English: what they print, what they store, and a refusal naming the field with exit
status 1 and nothing stored."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest
from pass_runner import run_one_pass

from windykacja.app import main
from windykacja.ledger.settings import save_settings
from windykacja.models import Dispute, InboxMessage, Message, Promise

MONDAY = dt.date(2026, 11, 23)
TODAY = "2026-11-24"


@pytest.fixture
def mailbox(collection, clock, tmp_path, db_location):
    """A demand sent on Monday, a reply to it (with a PDF) waiting in a Maildir."""
    contractor = collection.contractor("K1", email="biuro@kowalski.pl", name="Kowalski sp.j.")
    collection.document(contractor, due=MONDAY - dt.timedelta(days=10), number="FV/1")
    run_one_pass(clock, tmp_path / "outbox", MONDAY)
    box = tmp_path / "Maildir"
    for part in ("new", "cur", "tmp"):
        (box / part).mkdir(parents=True)
    reply = EmailMessage()
    reply["From"] = "Jan Kowalski <biuro@kowalski.pl>"
    reply["To"] = "windykacja@przykladowa.pl"
    reply["Subject"] = "Re: Wezwanie do zapłaty"
    reply["In-Reply-To"] = Message.get().message_id
    reply.set_content("Dzień dobry,\nzapłacimy do 15 grudnia.\n")
    reply.add_attachment(b"%PDF-1.4 potwierdzenie", maintype="application", subtype="pdf",
                         filename="potwierdzenie przelewu.pdf")
    (box / "new" / "reply").write_bytes(reply.as_bytes())
    save_settings({"inbox.maildir": str(box)}, "test", clock.now())
    return db_location()


def run(location, *args, lang="pl"):
    return main(["--db", location, "--lang", lang, "--today", TODAY, *args])


def test_fetch_list_show_save_and_promise_in_polish(mailbox, capsys, tmp_path):
    assert run(mailbox, "inbox", "fetch") == 0
    assert "1 nowa wiadomość, 1 czeka na decyzję" in capsys.readouterr().out
    assert run(mailbox, "inbox", "list") == 0
    listed = capsys.readouterr().out
    assert "odpowiedź" in listed and "Kowalski sp.j." in listed and "[FV/1]" in listed
    reply = InboxMessage.get()
    assert run(mailbox, "inbox", "show", str(reply.id)) == 0
    shown = capsys.readouterr().out
    assert "Wiadomość przychodząca nr 1: odpowiedź" in shown
    assert "Dokument FV/1: do zapłaty 1 000,00 PLN, termin 13.11.2026" in shown
    assert "Załącznik 1: potwierdzenie przelewu.pdf (application/pdf" in shown
    assert "zapłacimy do 15 grudnia." in shown
    assert run(mailbox, "inbox", "save", str(reply.id), "1", str(tmp_path)) == 0
    assert (tmp_path / "potwierdzenie przelewu.pdf").read_bytes() == b"%PDF-1.4 potwierdzenie"
    assert run(mailbox, "inbox", "save", str(reply.id), "1", str(tmp_path)) == 1
    assert "już istnieje; dodaj --force" in capsys.readouterr().err

    assert run(mailbox, "promise", "add", "FV/1", "--amount", "1000,00", "--by",
               "2026-12-15", "--reply", str(reply.id)) == 0
    assert capsys.readouterr().out.strip() == (
        "Obietnica nr 1: 1 000,00 PLN do 15.12.2026; windykacja FV/1 czeka do 18.12.2026.")
    assert InboxMessage.get().decision == "promise"
    assert run(mailbox, "inbox", "list") == 0
    assert capsys.readouterr().out.strip() == "W skrzynce nic nie czeka."
    assert run(mailbox, "history", "FV/1") == 0
    history = capsys.readouterr().out
    assert "otrzymano odpowiedź    od biuro@kowalski.pl: Re: Wezwanie do zapłaty" in history
    assert "obietnica zapłaty" in history
    assert "Następny krok: obiecana zapłata; czeka do 18.12.2026" in history


@pytest.mark.parametrize("args, lang, error", [
    (("promise", "add", "FV/1", "--amount", "0", "--by", "2026-12-15"), "pl",
     "kwota: musi być większa od zera"),
    (("promise", "add", "FV/1", "--amount", "100", "--by", "2026-11-01"), "en",
     "date: a promise to pay cannot be for a day already past"),
    (("promise", "add", "FV/1", "--amount", "sto", "--by", "2026-12-15"), "pl",
     "--amount: „sto” to nie kwota"),
    (("promise", "add", "--amount", "1", "--by", "2026-12-15"), "en",
     "name the documents, or --contractor CODE"),
    (("dispute", "add", "FV/1", "--reason", "   "), "pl", "powód: napisz, czego dotyczy"),
    (("dispute", "add", "FV/9", "--reason", "x"), "en", "no document numbered 'FV/9'"),
    (("inbox", "decide", "7", "resume"), "pl", "nie ma wiadomości przychodzącej nr 7"),
])
def test_refusals_name_the_field_and_store_nothing(mailbox, capsys, args, lang, error):
    assert run(mailbox, *args, lang=lang) == 1
    assert error in capsys.readouterr().err
    assert Promise.select().count() == 0 and Dispute.select().count() == 0


def test_a_phoned_dispute_and_its_resolution_in_english(mailbox, capsys):
    assert run(mailbox, "dispute", "add", "FV/1", "--reason", "goods damaged", "--amount",
               "200,00", lang="en") == 0
    assert capsys.readouterr().out.strip() == (
        "Dispute #1: FV/1 is not collected or handed to an agency until it is resolved.")
    assert run(mailbox, "dispute", "list", lang="en") == 0
    assert "dispute open" in capsys.readouterr().out
    assert run(mailbox, "history", "FV/1", lang="en") == 0
    assert "Next: disputed since 24.11.2026" in capsys.readouterr().out
    assert run(mailbox, "dispute", "resolve", "1", "--resolution", "credit note issued",
               lang="en") == 0
    assert run(mailbox, "dispute", "list", "--all", lang="en") == 0
    listed = capsys.readouterr().out
    assert "dispute resolved" in listed and "24.11.2026: credit note issued" in listed
