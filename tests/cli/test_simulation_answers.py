"""Seven weeks of collection in which the debtors answer (issue 15): a reply pauses, a
promise is kept, a promise is broken and collection resumes on the right day, a dispute
stops a demand and a hand-over until it is resolved, and a bounce sends the same step
again once the address is fixed. The variant of ``test_simulation.py``: ``run-once
--today`` day by day (its before-pass hooks read the collection mailbox, a Maildir),
people act through the commands, messages go to the test SMTP server and are checked
against a calendar worked out by hand.

Settings are the wizard's defaults: reminder 3 days before the due date, demand 1 seven
days after the legal due date, then every 14 days, at most 3, Monday–Friday, no sending
on Polish holidays (11 Nov, 24–26 Dec); a promise waits 3 days past its date.
"""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes

from inbox_mail import bounce_of, mail

from windykacja.app import main
from windykacja.models import (
    Contractor,
    Document,
    DocumentStep,
    InboxMessage,
    Message,
    MessageState,
    Promise,
    UndeliveredStep,
)
from windykacja.recovery.cases import refusal_reason

START = dt.date(2026, 11, 2)  # a Monday
LAST = dt.date(2026, 12, 22)

CONTRACTORS = """code;name;email
ANNA;Anna Nowak Usługi;anna@nowak.pl
BOLEK;Bolek i Lolek s.c.;biuro@bolek.pl
CELINA;Celina Handel;celina@handel.pl
DAREK;Darek Transport;darek@stary-transport.pl
"""
FIXED = "code;name;email\nDAREK;Darek Transport;darek@transport.pl\n"

DOCUMENTS = """number;contractor_code;issue_date;due_date;gross
FV/A;ANNA;2026-10-20;2026-11-06;1 230,00
FV/B;BOLEK;2026-11-02;2026-11-14;800,00
FV/C;CELINA;2026-11-01;2026-11-20;2 000,00
FV/D;DAREK;2026-10-30;2026-11-13;300,00
"""

# (day, contractor, kind, documents with their step number, recipients), by hand:
EXPECTED = [
    ("2026-11-03", "ANNA", "reminder", {"FV/A": 0}),  # due Fri 6 Nov: window from Tue 3
    ("2026-11-10", "DAREK", "reminder", {"FV/D": 0}),  # due Fri 13 Nov
    ("2026-11-12", "BOLEK", "reminder", {"FV/B": 0}),  # due Sat 14; Wed 11 a holiday
    ("2026-11-13", "ANNA", "demand", {"FV/A": 1}),  # legal due Fri 6 Nov + 7
    ("2026-11-17", "CELINA", "reminder", {"FV/C": 0}),  # due Fri 20 Nov
    # Fri 13 Nov + 7. Bounced (its report read on Mon 23 Nov): undelivered.
    ("2026-11-20", "DAREK", "demand", {}),
    ("2026-11-23", "BOLEK", "demand", {"FV/B": 1}),  # legal due Mon 16 Nov + 7
    # The address fixed on Thu 26 Nov: the same demand 1 again, that day.
    ("2026-11-26", "DAREK", "demand", {"FV/D": 1}),
    # Fri 27 Nov: FV/A's demand 2 waits for the reply of Wed 25 Nov, FV/C's demand 1
    # for the dispute of Wed 25 Nov. BOLEK promised on Tue 24 Nov to pay by Mon 30 Nov:
    # the wait ends Thu 3 Dec; unpaid, demand 2 goes Fri 4 Dec (not Mon 7 Dec).
    ("2026-12-04", "BOLEK", "demand", {"FV/B": 2}),
    # The dispute resolved on Mon 7 Dec: demand 1, due since 27 Nov, goes that day.
    ("2026-12-07", "CELINA", "demand", {"FV/C": 1}),
    ("2026-12-10", "DAREK", "demand", {"FV/D": 2}),  # Thu 26 Nov + 14
    ("2026-12-18", "BOLEK", "demand", {"FV/B": 3}),  # Fri 4 Dec + 14
    ("2026-12-21", "CELINA", "demand", {"FV/C": 2}),  # Mon 7 Dec + 14
]


def cli(db_path, *args):
    assert main(["--db", str(db_path), *args]) == 0, args


def our_message(code: str, kind: str) -> Message:
    return (Message.select().join(Contractor)
            .where((Contractor.code == code) & (Message.kind == kind))
            .order_by(Message.id.desc()).get())


def test_seven_weeks_of_answers(db_location, tmp_path, smtp_server):
    db_path = db_location("firma.db")
    box = tmp_path / "Maildir"
    for part in ("new", "cur", "tmp"):
        (box / part).mkdir(parents=True)
    cli(db_path, "settings", "set", "module.enabled=yes", "company.name=Przykładowa Firma",
        "sender.email=windykacja@przykladowa.pl", f"inbox.maildir={box}",
        f"smtp.url=smtp://127.0.0.1:{smtp_server.port}")
    for kind, content in (("contractors", CONTRACTORS), ("documents", DOCUMENTS)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(content, encoding="utf-8")
        cli(db_path, "import", kind, str(path))

    day = START
    while day <= LAST:
        today = ("--today", day.isoformat())
        before_pass(db_path, day, today, box, tmp_path)
        cli(db_path, "run-once", *today)
        after_pass(db_path, day, today)
        day += dt.timedelta(days=1)

    actual = []
    for message in Message.select().order_by(Message.pass_date, Message.id):
        steps = {s.document.number: s.number for s in DocumentStep.select()
                 .where(DocumentStep.message == message.id)}
        actual.append((message.pass_date.isoformat(), message.contractor.code, message.kind,
                       steps))
    assert actual == EXPECTED

    # The bounced demand: undelivered, its step recorded apart; the same step went to the
    # fixed address; the old address never got anything after the bounce.
    bounced = Message.get(Message.pass_date == dt.date(2026, 11, 20))
    assert bounced.state == MessageState.UNDELIVERED
    assert [(u.document.number, u.kind, u.number) for u in UndeliveredStep.select()] == [
        ("FV/D", "demand", 1)]
    received = [(m.rcpt_tos, message_from_bytes(m.content)["Message-ID"])
                for m in smtp_server.messages]
    darek = [to for to, _ in received if any("darek" in a for a in to)]
    assert darek == [("darek@stary-transport.pl",)] * 2 + [("darek@transport.pl",)] * 2
    assert Document.get(Document.number == "FV/D").demands_sent == 2

    by_contractor = {p.contractor.code: p for p in Promise.select()}
    assert (by_contractor["BOLEK"].state, by_contractor["BOLEK"].settled_on) == (
        "broken", dt.date(2026, 12, 4))
    assert (by_contractor["ANNA"].state, by_contractor["ANNA"].settled_on) == (
        "kept", dt.date(2026, 12, 3))
    anna = Document.get(Document.number == "FV/A")
    assert (anna.outstanding, anna.collection_end_reason, anna.demands_sent) == (0, "paid", 1)


def before_pass(db_path, day, today, box, tmp_path):
    """What arrives or what people do before the day's pass."""
    if day == dt.date(2026, 11, 23):  # the report of Darek's demand 1 bounce
        demand = our_message("DAREK", "demand")
        (box / "new" / "bounce").write_bytes(bounce_of(demand.message_id,
                                                       "darek@stary-transport.pl"))
    if day == dt.date(2026, 11, 24):  # Bolek phones: he will pay on Monday
        cli(db_path, *today, "promise", "add", "FV/B", "--amount", "800,00",
            "--by", "2026-11-30", "--note", "telefon")
    if day == dt.date(2026, 11, 25):
        demand = our_message("ANNA", "demand")
        (box / "new" / "anna").write_bytes(mail(
            "Anna Nowak <anna@nowak.pl>", "Re: Wezwanie do zapłaty",
            "Dzień dobry, zapłacę do 4 grudnia.\n", in_reply_to=demand.message_id))
        cli(db_path, *today, "dispute", "add", "FV/C", "--reason", "towar uszkodzony")
    if day == dt.date(2026, 11, 26):  # Darek's new address
        path = tmp_path / "fixed.csv"
        path.write_text(FIXED, encoding="utf-8")
        cli(db_path, *today, "import", "contractors", str(path))
    if day == dt.date(2026, 11, 30):  # Anna's reply decided: a promise
        reply = InboxMessage.get(InboxMessage.from_address == "anna@nowak.pl")
        cli(db_path, *today, "promise", "add", "FV/A", "--amount", "1230,00",
            "--by", "2026-12-04", "--reply", str(reply.id))
    if day == dt.date(2026, 12, 3):
        path = tmp_path / "payments.csv"
        path.write_text("document_number;date;amount\nFV/A;2026-12-03;1 230,00\n",
                        encoding="utf-8")
        cli(db_path, *today, "import", "payments", str(path))
    if day == dt.date(2026, 12, 7):
        cli(db_path, *today, "dispute", "resolve", "1", "--resolution",
            "wymieniono towar; faktura bez zmian")


def after_pass(db_path, day, today):
    """What must hold after some days' passes."""
    if day == dt.date(2026, 11, 23):
        assert Message.get(Message.pass_date == dt.date(2026, 11, 20)).state == "undelivered"
    if day == dt.date(2026, 11, 27):
        celina = Document.get(Document.number == "FV/C")
        assert refusal_reason(celina, day) == "disputed"  # no hand-over either
        reply = InboxMessage.get(InboxMessage.from_address == "anna@nowak.pl")
        assert reply.state == "waiting"
