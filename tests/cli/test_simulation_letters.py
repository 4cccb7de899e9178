"""Two months of collection on paper (issue 16): two contractors without e-mail get
letters; each step counts from the day its posting is confirmed, never from printing;
a printed letter not yet confirmed is not repeated; the last demand carries the
debtor-registry warning, and the debtor becomes reportable exactly one month after its
posting — and never when the claims are under the act's 500 zł.

The variant of ``test_simulation.py``: ``run-once --today`` day by day, people print and
post through ``letters`` commands, the registry through ``registry``; every date below is
worked out by hand. Settings are the wizard's defaults (reminder 3 days before the due
date, demand 1 seven days after the legal due date, then every 14 days, Monday–Friday,
no sending on Polish holidays) with two demands at most, letters on, and the warning.
"""

from __future__ import annotations

import datetime as dt

import pytest

from windykacja.app import main
from windykacja.models import (
    CollectionEvent,
    Contractor,
    Document,
    DocumentStep,
    EventKind,
    Letter,
    Message,
    RegistryClaim,
)

START = dt.date(2026, 11, 2)  # a Monday
LAST = dt.date(2027, 1, 4)

CONTRACTORS = """code;name;email;address
PAPIER;Papiernia Wschód sp. z o.o.;;ul. Polna 2, 00-001 Warszawa
MALY;Mały Sklep s.c.;;ul. Krótka 1, 30-001 Kraków
"""
DOCUMENTS = """number;contractor_code;issue_date;due_date;gross
FV/P;PAPIER;2026-10-20;2026-11-06;1 500,00
FV/M;MALY;2026-10-20;2026-11-06;300,00
"""
BUREAU = "Krajowy Rejestr Długów Biuro Informacji Gospodarczej S.A."
SEAT = "ul. Danuty Siedzikówny 12, 51-214 Wrocław"

# (day planned, contractor, kind, variant, document → step number), by hand:
EXPECTED = [
    # FV/P and FV/M fall due Fri 6 Nov: the reminder window opens Tue 3 Nov.
    ("2026-11-03", "MALY", "reminder", "", {"FV/M": 0}),
    ("2026-11-03", "PAPIER", "reminder", "", {"FV/P": 0}),
    # Legal due Fri 6 Nov + 7 days.
    ("2026-11-13", "MALY", "demand", "", {"FV/M": 1}),
    ("2026-11-13", "PAPIER", "demand", "", {"FV/P": 1}),
    # Demand 1 printed on Fri 13 Nov but posted on Mon 16 Nov: + 14 = Mon 30 Nov (from
    # printing it would have been Fri 27 Nov). The last demand: the registry warning.
    ("2026-11-30", "MALY", "demand", "registry", {"FV/M": 2}),
    ("2026-11-30", "PAPIER", "demand", "registry", {"FV/P": 2}),
]
NUMBERS = {  # registered numbers, valid S10 check digits
    ("FV/P", 1): "RR000000014PL", ("FV/M", 1): "RR000000028PL",
    ("FV/P", 2): "RR000000031PL", ("FV/M", 2): "RR000000045PL",
}


def cli(db_path, *args):
    assert main(["--db", str(db_path), *args]) == 0, args


def letters_of(day: dt.date) -> list[Message]:
    return list(Message.select().where((Message.channel == "letter")
                                       & (Message.pass_date == day)).order_by(Message.id))


def post(db_path, today, day: dt.date, posted: dt.date):
    """Confirm the posting of the letters planned on ``day``, on ``posted``."""
    args = []
    for letter in letters_of(day):
        step = DocumentStep.get(DocumentStep.message == letter.id)
        number = NUMBERS.get((step.document.number, step.number))
        args.append(f"{letter.id}:{number}" if number else str(letter.id))
    cli(db_path, *today, "letters", "post", *args, "--on", posted.isoformat())


def test_two_months_on_paper(db_location, tmp_path, capsys):
    db_path = db_location("firma.db")
    cli(db_path, "settings", "set", "module.enabled=yes", "company.name=Nasza Firma Sp. z o.o.",
        "company.nip=6762451230", "company.address=ul. Długa 5, 31-147 Kraków",
        "company.bank_account=PL61 1090 1014 0000 0712 1981 2874", "demand.max_count=2",
        "letters.enabled=yes", "registry.warning=yes", f"registry.bureau_name={BUREAU}",
        f"registry.bureau_address={SEAT}", f"letters.folder={tmp_path / 'letters'}")
    for kind, content in (("contractors", CONTRACTORS), ("documents", DOCUMENTS)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(content, encoding="utf-8")
        cli(db_path, "import", kind, str(path))

    day = START
    while day <= LAST:
        today = ("--today", day.isoformat())
        cli(db_path, "run-once", *today)
        after_pass(db_path, day, today, capsys, tmp_path)
        day += dt.timedelta(days=1)

    actual = []
    for message in Message.select().order_by(Message.pass_date, Message.contractor, Message.id):
        steps = {s.document.number: s.number for s in DocumentStep.select()
                 .where(DocumentStep.message == message.id)}
        actual.append((message.pass_date.isoformat(), message.contractor.code, message.kind,
                       message.variant, steps))
    assert sorted(actual, key=lambda row: row[:2]) == EXPECTED
    assert all(m.channel == "letter" and m.state == "sent" for m in Message.select())
    paper = Document.get(Document.number == "FV/P")
    assert (paper.demands_sent, paper.last_demand_on) == (2, dt.date(2026, 12, 1))
    assert paper.reminder_sent_on == dt.date(2026, 11, 4)  # posted, not printed (3 Nov)


def after_pass(db_path, day, today, capsys, tmp_path):
    """What people do after the day's pass, and what must hold then."""
    if day in (dt.date(2026, 11, 3), dt.date(2026, 11, 13), dt.date(2026, 11, 30)):
        cli(db_path, *today, "letters", "print")
        assert {m.state for m in letters_of(day)} == {"printed"}
    if day == dt.date(2026, 11, 4):
        post(db_path, today, dt.date(2026, 11, 3), day)
    if day == dt.date(2026, 11, 16):  # demand 1, printed on Friday, posted on Monday
        assert Document.get(Document.number == "FV/P").demands_sent == 0  # not yet
        post(db_path, today, dt.date(2026, 11, 13), day)
    if day == dt.date(2026, 11, 27):  # 14 days after printing: nothing, it counts from posting
        assert Message.select().where(Message.pass_date == day).count() == 0
    if day == dt.date(2026, 12, 1):
        post(db_path, today, dt.date(2026, 11, 30), day)
    if day == dt.date(2026, 12, 4):  # the return receipt of PAPIER's warning
        letter = Letter.get(Letter.registered_number == NUMBERS[("FV/P", 2)])
        cli(db_path, *today, "letters", "delivered", str(letter.message_id), "--on",
            "2026-12-03")
    if day == dt.date(2027, 1, 1):  # a month from Tue 1 Dec ends Fri 1 Jan: not yet
        capsys.readouterr()
        cli(db_path, *today, "registry", "list")
        out = capsys.readouterr().out
        assert "may be reported from 02.01.2027: a month has not passed" in out
        assert "MAY BE REPORTED" not in out
        assert main(["--db", str(db_path), *today, "registry", "report", "PAPIER"]) == 1
    if day == dt.date(2027, 1, 2):
        capsys.readouterr()
        cli(db_path, *today, "registry", "list")
        out = capsys.readouterr().out
        maly, papier = out.split("PAPIER", 1)  # by name: Mały Sklep, then Papiernia
        assert "MAY BE REPORTED (since 02.01.2027)" in papier
        assert "may not be reported" in maly and "under the act's 500.00 PLN" in maly
        cli(db_path, *today, "registry", "report", "PAPIER", "--file",
            str(tmp_path / "rejestr.csv"))
        assert main(["--db", str(db_path), *today, "registry", "report", "MALY"]) == 1
    if day == dt.date(2027, 1, 4):  # PAPIER pays half: the bureau must hear by 18 Jan
        path = tmp_path / "payments.csv"
        path.write_text("document_number;date;amount\nFV/P;2027-01-04;750,00\n",
                        encoding="utf-8")
        cli(db_path, *today, "import", "payments", str(path))
        capsys.readouterr()
        assert main(["--db", str(db_path), *today, "status"]) == 1  # needs a person
        out = capsys.readouterr().out
        assert "update 1 reported claim" in out and "by 18.01.2027" in out
        cli(db_path, *today, "registry", "updated", "PAPIER")
        [claim] = RegistryClaim.select()
        assert (claim.outstanding_reported, claim.updated_on) == (
            pytest.approx(750), dt.date(2027, 1, 4))
        main(["--db", str(db_path), *today, "status"])
        assert "update 1 reported claim" not in capsys.readouterr().out
        events = [e.kind for e in CollectionEvent.select().where(
            CollectionEvent.document == Document.get(Document.number == "FV/P").id)]
        assert EventKind.REGISTRY_REPORTED in events and EventKind.REGISTRY_UPDATED in events
        assert Contractor.get(Contractor.code == "PAPIER").registry_reports.count() == 1
