"""Reading the collection mailbox end to end (issue 15): real passes write demands to the
Maildir outbox; answers arrive in a local Maildir or on the real IMAP server (Dovecot);
``fetch_inbox`` stores each once and applies what it means."""

from __future__ import annotations

import datetime as dt
import random
from email.message import EmailMessage

import pytest
from inbox_mail import bounce_of, mail
from pass_runner import run_one_pass

from windykacja.dunning.history import document_next_step
from windykacja.dunning.wording import describe_next
from windykacja.importers.inbox import fetch_inbox, result_lines
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.lists.inbox import attachment_content, inbox_view
from windykacja.models import (
    CollectionEvent,
    Document,
    EventKind,
    FailingAddress,
    InboxDocument,
    InboxMessage,
    InboxState,
    MailboxState,
    MatchedBy,
    Message,
    MessageState,
)

MONDAY = dt.date(2026, 11, 23)


@pytest.fixture
def demanded(collection, clock, tmp_path):
    """Two contractors each sent demand 1 on Monday (the Maildir outbox)."""
    first = collection.contractor("K1", email="biuro@kowalski.pl")
    collection.document(first, due=MONDAY - dt.timedelta(days=10), number="FV/1")
    collection.document(first, due=MONDAY - dt.timedelta(days=9), number="FV/2")
    second = collection.contractor("K2", email="ksiegowosc@nowak.pl")
    collection.document(second, due=MONDAY - dt.timedelta(days=10), number="FV/3")
    run_one_pass(clock, tmp_path / "outbox", MONDAY)
    clock.day = MONDAY + dt.timedelta(days=1)
    return {m.contractor.code: m for m in Message.select()}


def maildir(tmp_path, clock):
    box = tmp_path / "Maildir"
    for part in ("new", "cur", "tmp"):
        (box / part).mkdir(parents=True, exist_ok=True)
    save_settings({"inbox.maildir": str(box)}, "test", clock.now())
    return box


def deliver(box, raw: bytes, name: str | None = None) -> None:
    name = name or f"{random.getrandbits(64):x}.test"
    (box / "new" / name).write_bytes(raw)


def next_words(number, clock, language="en"):
    document = Document.get(Document.number == number)
    return describe_next(document_next_step(load_settings(), document, clock.today()),
                         language)


def fetch(clock):
    [result] = fetch_inbox(clock, load_settings())
    return result


def test_a_reply_to_our_demand_pauses_exactly_its_documents(demanded, clock, tmp_path):
    box = maildir(tmp_path, clock)
    ours = demanded["K1"]
    deliver(box, mail("Jan Kowalski <biuro@kowalski.pl>", "Re: Wezwanie",
                      "Zapłacimy w piątek.\n", in_reply_to=ours.message_id))
    result = fetch(clock)
    assert (len(result.stored), result.waiting, result.failure) == (1, 1, None)
    reply = InboxMessage.get()
    assert (reply.kind, reply.state, reply.matched_by, reply.our_message_id) == (
        "reply", InboxState.WAITING, MatchedBy.MESSAGE, ours.id)
    assert "Zapłacimy w piątek." in reply.text
    assert next_words("FV/1", clock) == "reply waiting since 24.11.2026"
    assert next_words("FV/2", clock, "pl") == "odpowiedź czeka od 24.11.2026"
    assert next_words("FV/3", clock) == "demand 2 on 07.12.2026"  # the other debtor
    assert [p.name for p in (box / "cur").iterdir()][0].endswith(":2,S")
    assert not list((box / "new").iterdir())
    # Nothing more arrives: a second read stores nothing.
    assert fetch(clock).stored == []
    assert result_lines([fetch(clock)]) == [f"Mailbox maildir:{box}: no new messages"]


def test_a_bounce_undoes_the_step_and_marks_the_address(demanded, clock, tmp_path):
    box = maildir(tmp_path, clock)
    ours = demanded["K2"]
    deliver(box, bounce_of(ours.message_id, "ksiegowosc@nowak.pl"))
    result = fetch(clock)
    assert [s.undelivered for s in result.stored] == [True]
    assert Message.get_by_id(ours.id).state == MessageState.UNDELIVERED
    assert Document.get(Document.number == "FV/3").demands_sent == 0
    assert FailingAddress.get().address == "ksiegowosc@nowak.pl"
    assert InboxMessage.get().state == InboxState.DONE
    assert next_words("FV/3", clock).startswith(
        "no working e-mail address (address ksiegowosc@nowak.pl refused: 550 5.1.1")


def test_a_bounce_without_the_original_finds_our_latest_message_to_the_address(
        demanded, clock, tmp_path):
    box = maildir(tmp_path, clock)
    raw = (b"Return-Path: <>\r\nFrom: MAILER-DAEMON@mx.example\r\nTo: w@przykladowa.pl\r\n"
           b"Subject: Mail delivery failed\r\nX-Failed-Recipients: ksiegowosc@nowak.pl\r\n"
           b"Message-ID: <b1@mx.example>\r\n\r\nA message that you sent could not be "
           b"delivered.\r\n\r\n  ksiegowosc@nowak.pl\r\n    mailbox is full\r\n")
    deliver(box, raw)
    fetch(clock)
    assert InboxMessage.get().our_message_id == demanded["K2"].id
    assert Message.get_by_id(demanded["K2"].id).state == MessageState.UNDELIVERED


def test_an_automatic_reply_is_noted_and_pauses_nothing(demanded, clock, tmp_path):
    box = maildir(tmp_path, clock)
    deliver(box, mail("biuro@kowalski.pl", "Nieobecność: Re: Wezwanie", "Jestem na urlopie.",
                      in_reply_to=demanded["K1"].message_id, Auto_Submitted="auto-replied"))
    fetch(clock)
    message = InboxMessage.get()
    assert (message.kind, message.state) == ("auto_reply", InboxState.DONE)
    assert next_words("FV/1", clock) == "demand 2 on 07.12.2026"
    assert CollectionEvent.select().where(
        CollectionEvent.kind == EventKind.AUTO_REPLY_RECEIVED).count() == 2


def test_a_reply_only_the_sender_identifies_pauses_the_contractors_open_documents(
        demanded, clock, tmp_path):
    box = maildir(tmp_path, clock)
    deliver(box, mail("BIURO@Kowalski.pl", "Faktury", "Proszę o kontakt telefoniczny."))
    fetch(clock)
    reply = InboxMessage.get()
    assert reply.matched_by == MatchedBy.SENDER
    assert sorted(d.document.number for d in InboxDocument.select()) == ["FV/1", "FV/2"]


def test_a_stranger_waits_unmatched_and_pauses_nothing(demanded, clock, tmp_path):
    box = maildir(tmp_path, clock)
    deliver(box, mail("ktos@gdzies.pl", "Pytanie", "Dzień dobry"))
    fetch(clock)
    reply = InboxMessage.get()
    assert (reply.state, reply.matched_by, reply.contractor_id) == (InboxState.WAITING, "",
                                                                    None)
    assert InboxDocument.select().count() == 0
    assert next_words("FV/1", clock) == "demand 2 on 07.12.2026"


def test_old_mail_found_on_the_first_read_pauses_nothing(demanded, clock, tmp_path):
    box = maildir(tmp_path, clock)
    deliver(box, mail("biuro@kowalski.pl", "Stara sprawa", "…",
                      date=dt.datetime(2026, 9, 1, tzinfo=dt.UTC)))
    fetch(clock)
    assert InboxMessage.get().state == InboxState.DONE
    assert next_words("FV/1", clock) == "demand 2 on 07.12.2026"


def test_the_same_message_delivered_twice_is_stored_once(demanded, clock, tmp_path):
    box = maildir(tmp_path, clock)
    raw = mail("biuro@kowalski.pl", "Re: Wezwanie", "Zapłacimy.", message_id="<raz@kowalski.pl>")
    deliver(box, raw, "one")
    deliver(box, raw, "two")
    result = fetch(clock)
    assert (len(result.stored), result.skipped) == (1, 1)
    assert len(list((box / "cur").iterdir())) == 2


@pytest.mark.parametrize("raw", [
    b"",
    bytes(random.Random(7).getrandbits(8) for _ in range(4000)),
    b"From: =?x-unknown?Q?=C5=81?= <a@b.pl>\r\nSubject: \xc5\x81\xf3d\xbc\r\n"
    b"Content-Type: multipart/mixed; boundary=\"nie-ma\"\r\n\r\n--inny\r\nz\xb3y\r\n",
    b"Content-Type: text/plain; charset=klingon\r\n\r\n\xff\xfe zap\xc5\x82ata",
])
def test_bad_input_is_stored_and_stops_nothing(demanded, clock, tmp_path, raw):
    box = maildir(tmp_path, clock)
    deliver(box, raw, "bad")
    deliver(box, mail("biuro@kowalski.pl", "Re", "ok", in_reply_to=demanded["K1"].message_id),
            "good")
    result = fetch(clock)
    assert (len(result.stored), result.failure) == (2, None)
    assert InboxMessage.select().count() == 2


def test_a_mail_bomb_is_taken_in_over_several_runs(demanded, clock, tmp_path):
    box = maildir(tmp_path, clock)
    for n in range(120):
        deliver(box, mail(f"spam{n}@spam.example", "Oferta", "Kup teraz"), f"{n:04d}")
    first = fetch_inbox(clock, load_settings(), limit=50)[0]
    assert (len(first.stored), first.more) == (50, True)
    assert "more on the next run" in result_lines([first])[0]
    rest = fetch_inbox(clock, load_settings(), limit=100)[0]
    assert (len(rest.stored), rest.more) == (70, False)
    assert InboxMessage.select().count() == 120


# --- the real IMAP server -----------------------------------------------------------------

def use_imap(clock, box, monkeypatch, move_to=""):
    monkeypatch.setenv("WINDYKACJA_IMAP_PASSWORD", box.password)
    save_settings({"imap.url": f"{box.imaps_url}?cafile={box.cafile}",
                   "inbox.move_to": move_to}, "test", clock.now())


def test_imap_each_message_once_across_runs_and_moved_after(demanded, clock, imap_mailbox,
                                                           monkeypatch):
    use_imap(clock, imap_mailbox, monkeypatch, move_to="Windykacja")
    ours = demanded["K1"]
    imap_mailbox.append(mail("biuro@kowalski.pl", "Re: Wezwanie", "Zapłacimy.",
                             in_reply_to=ours.message_id))
    imap_mailbox.append(bounce_of(demanded["K2"].message_id, "ksiegowosc@nowak.pl"))
    first = fetch(clock)
    assert (len(first.stored), first.failure) == (2, None), first.detail
    state = MailboxState.get()
    assert state.last_uid == 2 and state.uidvalidity
    assert fetch(clock).stored == []  # nothing new; the two were moved away
    with imap_mailbox.connect() as connection:
        connection.select("INBOX")
        assert connection.search(None, "ALL")[1] == [b""]
        connection.select("Windykacja")
        assert connection.search(None, "ALL")[1] == [b"1 2"]
    imap_mailbox.append(mail("biuro@kowalski.pl", "Re: Re", "Jeszcze jedno."))
    assert len(fetch(clock).stored) == 1
    assert InboxMessage.select().count() == 3


def test_imap_a_renumbered_folder_stores_nothing_twice(demanded, clock, imap_mailbox,
                                                      monkeypatch):
    use_imap(clock, imap_mailbox, monkeypatch)
    imap_mailbox.append(mail("biuro@kowalski.pl", "Re", "raz", message_id="<r1@kowalski.pl>"))
    assert len(fetch(clock).stored) == 1
    imap_mailbox.set_uidvalidity(4242)
    again = fetch(clock)
    assert (again.stored, again.skipped) == ([], 1)
    assert MailboxState.get().uidvalidity == 4242


def test_imap_a_refused_login_is_recorded_and_never_shows_the_password(demanded, clock,
                                                                       imap_mailbox,
                                                                       monkeypatch):
    use_imap(clock, imap_mailbox, monkeypatch)
    monkeypatch.setenv("WINDYKACJA_IMAP_PASSWORD", "zle-haslo-987")
    result = fetch(clock)
    assert result.failure == "login"
    state = MailboxState.get()
    assert (state.failure, state.failing_since is not None) == ("login", True)
    assert "zle-haslo-987" not in result.detail + result_lines([result])[0]
    monkeypatch.setenv("WINDYKACJA_IMAP_PASSWORD", imap_mailbox.password)
    assert fetch(clock).failure is None
    assert MailboxState.get().failure == ""


def test_with_verp_a_bounce_that_returns_nothing_finds_its_message_by_the_return_path(
        collection, clock, tmp_path, smtp_server):
    save_settings({"smtp.url": f"smtp://127.0.0.1:{smtp_server.port}", "smtp.verp": "yes"},
                  "test", clock.now())
    first = collection.contractor("K1", email="biuro@kowalski.pl\nszef@kowalski.pl")
    collection.document(first, due=MONDAY - dt.timedelta(days=10), number="FV/1")
    run_one_pass(clock, tmp_path / "outbox", MONDAY)
    ours = Message.get()
    [received] = smtp_server.messages
    token = ours.message_id[1:17]
    assert received.mail_from == f"windykacja+b{token}@przykladowa.pl"
    # A report with neither the original nor In-Reply-To, both addresses failed, to the
    # return path; a forged one with a token of no message of ours matches nothing.
    box = maildir(tmp_path, clock)
    report = ("Return-Path: <>\r\nFrom: MAILER-DAEMON@mx.example\r\n"
              "To: {to}\r\nSubject: failure notice\r\n"
              "X-Failed-Recipients: biuro@kowalski.pl, szef@kowalski.pl\r\n"
              "Message-ID: <{n}@mx.example>\r\n\r\nSorry, no mailbox here by that name.\r\n")
    deliver(box, report.format(to="windykacja+b0123456789abcdef@przykladowa.pl",
                               n=1).encode())
    deliver(box, report.format(to=received.mail_from, n=2).encode())
    fetch(clock)
    forged, real = InboxMessage.select().order_by(InboxMessage.id)
    assert (forged.our_message_id, forged.matched_by) == (None, "")
    assert (real.our_message_id, real.matched_by) == (ours.id, MatchedBy.VERP)
    assert Message.get_by_id(ours.id).state == MessageState.UNDELIVERED


def test_a_50_mb_message_is_kept_cut_short_and_stops_nothing(demanded, clock, tmp_path):
    box = maildir(tmp_path, clock)
    head = mail("biuro@kowalski.pl", "Re: Wezwanie — skany", "W załączniku skany.",
                in_reply_to=demanded["K1"].message_id)
    body = b"A" * (50 * 1024 * 1024)
    deliver(box, head + b"\n" + body, "big")
    deliver(box, mail("ksiegowosc@nowak.pl", "Re", "ok"), "small")
    result = fetch(clock)
    assert (len(result.stored), result.failure) == (2, None)
    big = InboxMessage.get(InboxMessage.key.endswith("big"))
    assert big.truncated and big.size == len(head) + 1 + len(body)
    assert len(bytes(big.raw)) <= 11 * 1024 * 1024
    assert big.state == InboxState.WAITING and big.our_message_id == demanded["K1"].id


def test_a_big_reply_is_read_from_its_start_and_listed_whole_when_opened(demanded, clock,
                                                                         tmp_path):
    box = maildir(tmp_path, clock)
    message = EmailMessage()
    message["From"] = "biuro@kowalski.pl"
    message["Subject"] = "Re: Wezwanie — skany"
    message["In-Reply-To"] = demanded["K1"].message_id
    message.set_content("Skany w załącznikach.\n")
    scans = [bytes(random.Random(n).getrandbits(8) for _ in range(900_000)) for n in range(3)]
    for n, scan in enumerate(scans, start=1):
        message.add_attachment(scan, maintype="application", subtype="pdf",
                               filename=f"skan-{n}.pdf")
    deliver(box, message.as_bytes(), "scans")
    fetch(clock)
    stored = InboxMessage.get()
    assert stored.state == InboxState.WAITING and "Skany w załącznikach." in stored.text
    view = inbox_view(stored.id)
    assert [(a.name, a.size) for a in view.attachments] == [
        (f"skan-{n}.pdf", 900_000) for n in (1, 2, 3)]
    assert view.problems == ()
    assert attachment_content(stored.id, view.attachments[2].index) == scans[2]


def test_a_batch_ends_at_its_count_or_its_bytes():
    from windykacja.importers import inbox
    from windykacja.importers.mail_source import FetchedMail

    def mails(count, size):
        return (FetchedMail(f"k{n}", None, b"x" * size, size, False) for n in range(count))

    result = inbox.InboxResult("test")
    assert [len(b) for b in inbox._batches(mails(120, 10), None, result)] == [50, 50, 20]
    big = [len(b) for b in inbox._batches(mails(7, 3 * 1024 * 1024), None, result)]
    assert big == [3, 3, 1]  # 9 MiB passes the 8 MiB bound
    limited = inbox.InboxResult("test")
    assert sum(len(b) for b in inbox._batches(mails(10, 10), 4, limited)) == 4
    assert limited.more
