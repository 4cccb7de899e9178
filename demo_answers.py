"""What the debtors of the demo database answered (issue 15), so that a newcomer finds the
Inbox (key 9) and the answers' states in use, not empty.

``add_demo_answers`` runs after ``demo.build_demo`` (the ``demo`` command calls both): it
writes five messages into a local Maildir beside the database — a reply to a recent
demand with a transfer confirmation attached, an out-of-office answer, a bounce from an
address that no longer exists, a reply from a stranger nobody can match, and a reply a
contractor sent from an address the program knows — sets ``inbox.maildir`` to it and
reads it as the worker does; then a bookkeeper records, on the phone, a promise to pay
and a dispute. Everything goes through the same code as real mail and real people.
Kept apart from ``demo.py`` so that the tests built on ``build_demo`` keep their story.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from .importers.inbox import fetch_inbox
from .ledger.answers import make_promise, open_dispute
from .ledger.clock import Clock
from .ledger.settings import load_settings, save_settings
from .models import (
    Contractor,
    Document,
    DocumentStep,
    Message,
    MessageKind,
    MessageState,
    split_emails,
)

AUTHOR = "demo"
COMPANY_ADDRESS = "windykacja@przykladowa-firma.pl"


@dataclass(frozen=True)
class DemoAnswers:
    read: int  # messages read from the demo mailbox
    waiting: int  # of which a person must decide


def _recent_demands() -> list[Message]:
    """Sent demands to one address each, newest first, one per contractor."""
    seen: set[int] = set()
    found = []
    for message in (Message.select().where((Message.kind == MessageKind.DEMAND)
                                           & (Message.state == MessageState.SENT))
                    .order_by(Message.id.desc()).limit(200)):
        if message.contractor_id is None or message.contractor_id in seen \
                or "\n" in message.recipients:
            continue
        seen.add(message.contractor_id)
        found.append(message)
    return found


def _mail(sender: str, subject: str, body: str, sent: dt.datetime, **headers: str
          ) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = COMPANY_ADDRESS
    mail["Subject"] = subject
    mail["Date"] = format_datetime(sent)
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    mail.set_content(body)
    return mail


def _reply(demand: Message, sent: dt.datetime) -> bytes:
    contractor = Contractor.get_by_id(demand.contractor_id)
    mail = _mail(f"{contractor.name} <{demand.recipients}>", f"Re: {demand.subject}",
                 "Dzień dobry,\n\npołowę kwoty przelaliśmy wczoraj (potwierdzenie w "
                 "załączniku), resztę zapłacimy do końca miesiąca.\n\nPozdrawiam\n"
                 f"{contractor.name}\n", sent, In_Reply_To=demand.message_id,
                 Message_ID=f"<odp-{demand.id}@demo.invalid>")
    mail.add_attachment(b"%PDF-1.4\n% potwierdzenie przelewu (demo)\n%%EOF\n",
                        maintype="application", subtype="pdf",
                        filename="potwierdzenie przelewu.pdf")
    return mail.as_bytes()


def _out_of_office(demand: Message, sent: dt.datetime) -> bytes:
    return _mail(demand.recipients, f"Nieobecność: {demand.subject}",
                 "Jestem na urlopie do 4 stycznia, bez dostępu do poczty.\n"
                 "W pilnych sprawach proszę dzwonić do biura.\n", sent,
                 Auto_Submitted="auto-replied", In_Reply_To=demand.message_id,
                 Message_ID=f"<urlop-{demand.id}@demo.invalid>").as_bytes()


def _bounce(demand: Message, sent: dt.datetime) -> bytes:
    """A delivery status notification (RFC 3464) as Postfix writes one."""
    address, host = demand.recipients, "smtp.przykladowa-firma.pl"
    diagnostic = (f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in "
                  "virtual mailbox table")
    return "\r\n".join([
        "Return-Path: <>",
        f"From: Mail Delivery System <MAILER-DAEMON@{host}>",
        f"To: {COMPANY_ADDRESS}",
        "Subject: Undelivered Mail Returned to Sender",
        f"Date: {format_datetime(sent)}",
        f"Message-ID: <zwrot-{demand.id}@{host}>",
        "Auto-Submitted: auto-replied",
        "MIME-Version: 1.0",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="zwrot"',
        "",
        "--zwrot",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        f"This is the mail system at host {host}.",
        "",
        f"<{address}>: host mx said: {diagnostic}",
        "",
        "--zwrot",
        "Content-Type: message/delivery-status",
        "",
        f"Reporting-MTA: dns; {host}",
        "",
        f"Final-Recipient: rfc822; {address}",
        "Action: failed",
        "Status: 5.1.1",
        f"Diagnostic-Code: smtp; {diagnostic}",
        "",
        "--zwrot",
        "Content-Type: text/rfc822-headers",
        "",
        f"From: {COMPANY_ADDRESS}",
        f"To: {address}",
        f"Message-ID: {demand.message_id}",
        "",
        "--zwrot--",
        "",
    ]).encode("ascii", "replace")


def _stranger(sent: dt.datetime) -> bytes:
    return _mail("Biuro Rachunkowe Kowalczyk <biuro@kowalczyk-rachunki.example>",
                 "Pytanie o fakturę",
                 "Dzień dobry,\n\nprowadzimy księgowość jednego z Państwa klientów. "
                 "Prosimy o kopię faktury za październik.\n\nZ poważaniem\nEwa Kowalczyk\n",
                 sent, Message_ID="<pytanie@kowalczyk-rachunki.example>").as_bytes()


def _from_known_address(contractor: Contractor, sent: dt.datetime) -> bytes:
    return _mail(split_emails(contractor.emails)[0], "Faktury",
                 "Dzień dobry, proszę o telefon w sprawie rozłożenia płatności na raty.\n",
                 sent, Message_ID=f"<raty-{contractor.id}@demo.invalid>").as_bytes()


def _write(folder: Path, mails: list[bytes]) -> None:
    for part in ("new", "cur", "tmp"):
        (folder / part).mkdir(parents=True, exist_ok=True)
    for number, raw in enumerate(mails, start=1):
        path = folder / "new" / f"demo-{number}.eml"
        temporary = folder / "tmp" / path.name
        temporary.write_bytes(raw)
        temporary.replace(path)  # as a mail delivery agent does: never half a message


def add_demo_answers(clock: Clock, folder: Path) -> DemoAnswers:
    """Write the demo's incoming mail into the Maildir ``folder``, read it, and record a
    phoned promise and a dispute (see the module). A small demo with few demands gets
    the answers it has demands for."""
    demands = _recent_demands()
    today = clock.today()
    yesterday = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(10, 30),
                                    tzinfo=dt.UTC)
    answering = (_reply, _out_of_office, _bounce)
    mails = [write(demand, yesterday) for write, demand in zip(answering, demands,
                                                                 strict=False)]
    mails.append(_stranger(yesterday))
    if len(demands) > 3:
        mails.append(_from_known_address(Contractor.get_by_id(demands[3].contractor_id),
                                         yesterday))
    _write(folder, mails)
    settings = save_settings({"inbox.maildir": str(folder)}, AUTHOR, clock.now())
    [result] = fetch_inbox(clock, settings)
    promised = _first_open(demands[5:6] + demands[7:])
    if promised is not None:
        half = (promised.outstanding / 2).quantize(Decimal("0.01"))
        make_promise(clock, load_settings(), [promised], max(half, Decimal("0.01")),
                     today + dt.timedelta(days=7), author=AUTHOR,
                     note="telefon od księgowej kontrahenta")
    disputed = _first_open(demands[6:7] + demands[8:],
                           skip=promised.id if promised is not None else None)
    if disputed is not None:
        open_dispute(clock, disputed, "kontrahent twierdzi, że towar dotarł uszkodzony",
                     author=AUTHOR)
    return DemoAnswers(len(result.stored), result.waiting)


def _first_open(demands: list[Message], skip: int | None = None) -> Document | None:
    """An unpaid document one of ``demands`` carried (not ``skip``), the first found."""
    for demand in demands:
        found: Document | None = (Document.select().join(DocumentStep)
                                  .where((DocumentStep.message == demand.id)
                                         & (Document.outstanding > 0)
                                         & (Document.id != (skip or 0))).first())
        if found is not None:
            return found
    return None
