"""Nine weeks of collection in which every invoice arrives through KSeF and every payment
through a watched folder: nobody imports anything, the worker alone reminds and demands
on time. The variant of ``test_simulation.py`` for issue 14.

The KSeF stand-in serves the company's invoices; new ones are stored in it on some days,
before or after the day's pass. The worker (``dunning.worker.Worker``, as the headless
one and the interface's run it) ticks twice a day — 09:30, the pass being due from 09:00,
and 16:00 — on a clock that is the stand-in's, so that KSeF and the program agree on
"now". At every tick its before-pass hook (``importers/hooks.py``, the
arrivals: folders, then the KSeF sync, then payments) takes in what has come. Messages
go to the test SMTP server and are checked against a calendar worked out by hand.

Settings are the wizard's defaults: reminder 3 days before the due date, demand 1
seven days after the legal due date, then every 14 days, at most 3, Monday–Friday,
no sending on Polish holidays. The stand-in's invoices are due 14 days after issue;
invoice ``s`` (its serial, in the order they are stored) is issued ``s % 3`` days before
it is stored and belongs to buyer ``s % 4`` (``Kontrahent 00b``).
"""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes
from zoneinfo import ZoneInfo

from ksef_standin import SELLER_NIP, KsefStandIn, StandInClock

from windykacja.app import main
from windykacja.dunning.lease import Lease
from windykacja.dunning.worker import BEFORE_PASS_HOOKS, Worker
from windykacja.importers.hooks import arrivals_hook
from windykacja.importers.watched_folders import FolderWatcher
from windykacja.ledger.ksef_access import TOKEN_ENV
from windykacja.models import (
    CollectionEvent,
    Document,
    DocumentStep,
    EventKind,
    KsefInvoice,
    Message,
    MessageState,
)

WARSAW = ZoneInfo("Europe/Warsaw")
START = dt.date(2026, 11, 2)  # a Monday
LAST = dt.date(2027, 1, 5)
TICKS = (dt.time(9, 30), dt.time(16, 0))
BUYERS = 4

# When each invoice is stored in KSeF (serials 1, 2, … in this order), worked out:
ARRIVALS = [
    # 1: issued Sun 1 Nov, due Sun 15 Nov (legal due date Mon 16 Nov); buyer 1. Stored
    #    before the 09:30 tick: in before the first pass.
    dt.datetime(2026, 11, 2, 8, 0),
    # 2: issued Sat 31 Oct, due Sat 14 Nov (legal Mon 16 Nov); buyer 2. Stored after the
    #    day's pass: the 16:00 tick takes it.
    dt.datetime(2026, 11, 2, 12, 0),
    # 3: issued Fri 13 Nov, due Fri 27 Nov; buyer 3.
    dt.datetime(2026, 11, 13, 10, 0),
    # 4: issued Tue 17 Nov, due Tue 1 Dec; buyer 0.
    dt.datetime(2026, 11, 18, 8, 0),
    # 5: issued Mon 16 Nov, due Mon 30 Nov; buyer 1 again (with invoice 1).
    dt.datetime(2026, 11, 18, 8, 10),
    # 6: issued Wed 2 Dec, due Wed 16 Dec; buyer 2. Paid the morning it is stored: the
    #    payment's file waits in the folder for the invoice, which the sync brings first.
    dt.datetime(2026, 12, 2, 8, 0),
]

# When a payments file is dropped into the watched folder, paying an invoice in full:
PAYMENTS = [
    (dt.datetime(2026, 11, 25, 8, 30), 2),
    (dt.datetime(2026, 12, 2, 8, 30), 6),
]

# (day, buyer, kind, {serial: step number}), worked out by hand:
EXPECTED = [
    # 1 due Sun 15 Nov: window opens Thu 12 Nov. 2 due Sat 14 Nov: window opens Wed 11
    # Nov, a holiday, so Thu 12 Nov too.
    ("2026-11-12", 1, "reminder", {1: 0}),
    ("2026-11-12", 2, "reminder", {2: 0}),
    # Both legal due dates Mon 16 Nov; + 7 = Mon 23 Nov.
    ("2026-11-23", 1, "demand", {1: 1}),
    ("2026-11-23", 2, "demand", {2: 1}),  # then paid on Wed 25 Nov: it ends
    # 3 due Fri 27 Nov: window opens Tue 24 Nov.
    ("2026-11-24", 3, "reminder", {3: 0}),
    # 5 due Mon 30 Nov: window opens Fri 27 Nov.
    ("2026-11-27", 1, "reminder", {5: 0}),
    # 4 due Tue 1 Dec: window opens Sat 28 Nov, so Mon 30 Nov.
    ("2026-11-30", 0, "reminder", {4: 0}),
    # 3: legal due date Fri 27 Nov + 7 = Fri 4 Dec.
    ("2026-12-04", 3, "demand", {3: 1}),
    # 1: 23 Nov + 14 = Mon 7 Dec; 5: legal due date Mon 30 Nov + 7, the same day: one
    # message for buyer 1.
    ("2026-12-07", 1, "demand", {1: 2, 5: 1}),
    # 4: Tue 1 Dec + 7 = Tue 8 Dec.
    ("2026-12-08", 0, "demand", {4: 1}),
    ("2026-12-18", 3, "demand", {3: 2}),
    ("2026-12-21", 1, "demand", {1: 3, 5: 2}),
    ("2026-12-22", 0, "demand", {4: 2}),
    # 3: 18 Dec + 14 = Fri 1 Jan, a holiday; the next allowed day is Mon 4 Jan.
    ("2027-01-04", 1, "demand", {5: 3}),
    ("2027-01-04", 3, "demand", {3: 3}),
    ("2027-01-05", 0, "demand", {4: 3}),
]

# 1: its third demand on 21 Dec + 14 = Mon 4 Jan: collection ends. 2 ends when paid, on
# the day the payment's file is taken. 6, paid before anything was sent, never began.
EXPECTED_ENDS = {1: ("2027-01-04", "max_demands"), 2: ("2026-11-25", "paid")}



def move_to(ksef: KsefStandIn, local: dt.datetime) -> None:
    ksef.advance((local.replace(tzinfo=WARSAW) - ksef.now()).total_seconds())


def cli(location, *args):
    assert main(["--db", location, *args]) == 0, args


def test_nine_weeks_of_collection_with_invoices_only_from_ksef(db_location, tmp_path,
                                                                 smtp_server, monkeypatch):
    location = db_location("firma.db")
    payments = tmp_path / "bank"
    payments.mkdir()
    with KsefStandIn() as ksef:
        monkeypatch.setenv(TOKEN_ENV, ksef.token)
        cli(location, "settings", "set", "module.enabled=yes", "company.name=Przykładowa Firma",
            f"company.nip={SELLER_NIP}", "sender.email=windykacja@przykladowa.pl",
            f"smtp.url=smtp://127.0.0.1:{smtp_server.port}", f"ksef.environment={ksef.url}",
            f"ksef.since={START - dt.timedelta(days=1)}", f"folders.payments={payments}")
        clock = StandInClock(ksef)
        # The hook importers/hooks.register_hooks puts there, its second look at a new
        # file taken on the stand-in's clock rather than by sleeping.
        monkeypatch.setitem(BEFORE_PASS_HOOKS, "arrivals",
                            arrivals_hook(FolderWatcher(wait=ksef.advance)))
        worker = Worker(clock, tmp_path / "outbox", Lease(clock=clock))
        stored: list = []
        numbers: dict[str, int] = {}
        paid = 0

        day = START
        while day <= LAST:
            for at in TICKS:
                moment = dt.datetime.combine(day, at)
                move_to(ksef, moment)
                for when in ARRIVALS[len(stored):]:
                    if when > moment:
                        break
                    invoice = ksef.add_invoices(1, buyers=BUYERS,
                                                stored_from=when.replace(tzinfo=WARSAW))[0]
                    stored.append(invoice)
                    numbers[invoice.number] = len(stored)
                for when, serial in PAYMENTS[paid:]:
                    if when > moment:
                        break
                    invoice, paid = stored[serial - 1], paid + 1
                    amount = f"{invoice.gross:.2f}".replace(".", ",")
                    (payments / f"wplaty-{when:%Y%m%d}.csv").write_text(
                        f"document_number;date;amount\n{invoice.number};{when:%Y-%m-%d};"
                        f"{amount}\n", encoding="utf-8")
                worker.tick()
            day += dt.timedelta(days=1)

    assert len(stored) == len(ARRIVALS)
    # Nobody imported anything: every document came from the KSeF sync, at the first tick
    # after KSeF stored it.
    assert KsefInvoice.select().count() == Document.select().count() == len(ARRIVALS)
    for invoice, when in zip(stored, ARRIVALS, strict=True):
        document = Document.get(Document.number == invoice.number)
        first = document.events.order_by(CollectionEvent.id).first()
        assert (first.kind, first.text, first.author) == (
            EventKind.DOCUMENT_ARRIVED, f"ksef {invoice.ksef_number}", "system")
        synced = KsefInvoice.get(KsefInvoice.ksef_number == invoice.ksef_number).synced_at
        local = synced.replace(tzinfo=dt.UTC).astimezone(WARSAW).replace(tzinfo=None)
        tick = min(dt.datetime.combine(when.date(), at) for at in TICKS
                   if dt.datetime.combine(when.date(), at) >= when)
        assert tick <= local < tick + dt.timedelta(minutes=1), (invoice.number, local)

    buyer_of = {invoice.buyer_nip: int(invoice.buyer_name.split()[1]) for invoice in stored}
    actual = []
    for message in Message.select().order_by(Message.pass_date, Message.id):
        assert message.state == MessageState.SENT, (message.id, message.last_error)
        steps = {numbers[s.document.number]: s.number
                 for s in DocumentStep.select().where(DocumentStep.message == message.id)}
        actual.append((message.pass_date.isoformat(), buyer_of[message.contractor.nip],
                       message.kind, steps))
    assert sorted(actual, key=lambda m: (m[0], m[1])) == EXPECTED

    # What the server received: each message exactly once.
    received = [message_from_bytes(m.content)["Message-ID"] for m in smtp_server.messages]
    assert sorted(received) == sorted(m.message_id for m in Message.select())

    ends = {numbers[e.document.number]: (e.day.isoformat(), e.text)
            for e in CollectionEvent.select().where(CollectionEvent.kind == "collection_finished")}
    assert ends == EXPECTED_ENDS
    # Each payment found its invoice, 6's within the tick that brought the invoice.
    for when, serial in PAYMENTS:
        document = Document.get(Document.number == stored[serial - 1].number)
        assert [(p.paid_on, p.amount) for p in document.payments] == [
            (when.date(), stored[serial - 1].gross)]
    assert sorted(p.name for p in (payments / "done").iterdir()) == [
        f"wplaty-{when:%Y%m%d}.csv" for when, _ in PAYMENTS]
    assert not (payments / "refused").exists()
