"""Ninety days of collection through ``run-once --today``, day by day, with payments
arriving, checked message by message against a calendar worked out by hand.

Settings are the wizard's defaults: reminder 3 days before the due date, demand 1
seven days after the legal due date, then every 14 days, at most 3, Monday–Friday,
no sending on Polish holidays (11 Nov, 24–26 Dec, 1 and 6 Jan fall in the window).
"""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes

from windykacja.app import main
from windykacja.models import CollectionEvent, Document, DocumentStep, Message, MessageState

START = dt.date(2026, 11, 2)
DAYS = 90

CONTRACTORS = """code;name;nip;email;language
ANNA;Anna Nowak Usługi Księgowe;;anna@nowak.pl;pl
BOLEK;Bolek i Lolek s.c.;;biuro@bolek.pl;pl
CELINA;Celina Trade Ltd;;accounts@celina.co.uk;en
DAREK;Darek Bez Maila;;;pl
FELIKS;Feliks Budowa sp. z o.o.;;"feliks@budowa.pl,kasa@budowa.pl";pl
"""

DOCUMENTS = """number;contractor_code;issue_date;due_date;gross
FV/A;ANNA;2026-10-20;2026-11-06;1 230,00
FV/E;ANNA;2026-10-20;2026-11-06;500,00
FV/B;BOLEK;2026-11-02;2026-11-14;800,00
FV/C;CELINA;2026-12-01;2026-12-22;2 000,00
FV/D;DAREK;2026-11-20;2026-12-04;300,00
FV/F;FELIKS;2026-12-07;2026-12-24;4 920,00
"""

# day → payments file content (imported before that day's pass)
PAYMENTS = {
    dt.date(2026, 11, 20): "document_number;date;amount\nFV/E;2026-11-20;500,00\n",
    dt.date(2026, 11, 25): "document_number;date;amount\nFV/B;2026-11-25;800,00\n",
    dt.date(2027, 1, 5): "document_number;date;amount\nFV/C;2027-01-05;1 000,00\n",
}

# (day, contractor, kind, documents with their step number), worked out by hand:
EXPECTED = [
    # FV/A, FV/E due Fri 6 Nov: window opens Tue 3 Nov; one e-mail for both.
    ("2026-11-03", "ANNA", "reminder", {"FV/A": 0, "FV/E": 0}),
    # FV/B due Sat 14 Nov: window opens Wed 11 Nov, a holiday, so Thu 12 Nov.
    ("2026-11-12", "BOLEK", "reminder", {"FV/B": 0}),
    # legal due date 6 Nov (Fri) + 7 = Fri 13 Nov.
    ("2026-11-13", "ANNA", "demand", {"FV/A": 1, "FV/E": 1}),
    # FV/B legal due date: Sat 14 → Mon 16 Nov; + 7 = Mon 23 Nov. Paid 25 Nov: ends.
    ("2026-11-23", "BOLEK", "demand", {"FV/B": 1}),
    # FV/E paid on 20 Nov; FV/A alone: 13 Nov + 14 = Fri 27 Nov.
    ("2026-11-27", "ANNA", "demand", {"FV/A": 2}),
    # 27 Nov + 14 = Fri 11 Dec: the third and last demand.
    ("2026-12-11", "ANNA", "demand", {"FV/A": 3}),
    # FV/C due Tue 22 Dec: window opens Sat 19 Dec → Mon 21 Dec.
    # FV/F due Thu 24 Dec: window opens Mon 21 Dec.
    ("2026-12-21", "CELINA", "reminder", {"FV/C": 0}),
    ("2026-12-21", "FELIKS", "reminder", {"FV/F": 0}),
    # FV/C legal due Tue 22 Dec + 7 = Tue 29 Dec.
    ("2026-12-29", "CELINA", "demand", {"FV/C": 1}),
    # FV/F due 24 Dec (holiday) → legal due date Mon 28 Dec; + 7 = Mon 4 Jan.
    ("2027-01-04", "FELIKS", "demand", {"FV/F": 1}),
    # FV/C partly paid on 5 Jan, still owed: 29 Dec + 14 = Tue 12 Jan.
    ("2027-01-12", "CELINA", "demand", {"FV/C": 2}),
    ("2027-01-18", "FELIKS", "demand", {"FV/F": 2}),
    ("2027-01-26", "CELINA", "demand", {"FV/C": 3}),
]

# FV/A: last demand 11 Dec + 14 = Fri 25 Dec, a holiday; the next pass is Mon 28 Dec.
# FV/E and FV/B end when paid, on the day the payment is imported.
EXPECTED_ENDS = {"FV/A": ("2026-12-28", "max_demands"), "FV/E": ("2026-11-20", "paid"),
                 "FV/B": ("2026-11-25", "paid")}


def cli(db_path, *args):
    assert main(["--db", str(db_path), *args]) == 0, args


def test_ninety_days_of_collection(db_location, tmp_path, smtp_server):
    db_path = db_location("firma.db")
    files = {"contractors": CONTRACTORS, "documents": DOCUMENTS}
    cli(db_path, "settings", "set", "module.enabled=yes", "company.name=Przykładowa Firma",
        "sender.email=windykacja@przykladowa.pl", f"smtp.url=smtp://127.0.0.1:{smtp_server.port}")
    for kind, content in files.items():
        path = tmp_path / f"{kind}.csv"
        path.write_text(content, encoding="utf-8")
        cli(db_path, "import", kind, str(path))

    for offset in range(DAYS):
        day = START + dt.timedelta(days=offset)
        if day in PAYMENTS:
            path = tmp_path / f"payments-{day}.csv"
            path.write_text(PAYMENTS[day], encoding="utf-8")
            cli(db_path, "--today", day.isoformat(), "import", "payments", str(path))
        cli(db_path, "run-once", "--today", day.isoformat())

    actual = []
    for message in Message.select().order_by(Message.pass_date, Message.id):
        steps = {
            s.document.number: s.number
            for s in DocumentStep.select().where(DocumentStep.message == message.id)
        }
        assert message.state == MessageState.SENT, (message.id, message.last_error)
        actual.append((message.pass_date.isoformat(), message.contractor.code, message.kind,
                       steps))
    assert actual == EXPECTED

    # what the server received: each message exactly once, to every address
    received = [message_from_bytes(m.content) for m in smtp_server.messages]
    ids = [m["Message-ID"] for m in received]
    assert sorted(ids) == sorted(m.message_id for m in Message.select())
    feliks = [m for m in smtp_server.messages if "feliks@budowa.pl" in m.rcpt_tos]
    assert all(set(m.rcpt_tos) == {"feliks@budowa.pl", "kasa@budowa.pl"} for m in feliks)

    ends = {
        e.document.number: (e.day.isoformat(), e.text)
        for e in CollectionEvent.select().where(CollectionEvent.kind == "collection_finished")
    }
    assert ends == EXPECTED_ENDS
    assert Document.get(Document.number == "FV/D").demands_sent == 0
