"""importers/incoming_mail.py: one incoming message read into plain data and classified.

The samples of tests/inbox/data/ (what each one is: its README and test_bounce_samples.py)
must come out with exactly the addresses, status, diagnostic, original Message-ID, auto
reason, text and attachments that can be read in the files. Malformed input of every
kind the issue names (bad or missing charsets, 8-bit headers, no boundary, a cut
message, a 5 MB attachment, deep nesting, random bytes) must give an answer with the
problem noted, never an exception.
"""

from __future__ import annotations

import base64
import os
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from windykacja.importers.incoming_mail import (
    MAX_TEXT,
    Attachment,
    DeliveryFailure,
    IncomingMail,
    MailKind,
    attachment_bytes,
    html_to_text,
    read_mail,
)

DATA = Path(__file__).parent / "data"
OURS = "windykacja@przykladowa-firma.pl"


def sample(name: str) -> IncomingMail:
    return read_mail((DATA / name).read_bytes())


def mail(*header_lines: str, body: str | bytes = "Dzień dobry.\n", ctype: str = "") -> bytes:
    """A message from header lines and a body (LF line ends, as a Maildir keeps them)."""
    lines = list(header_lines)
    if ctype:
        lines.append(f"Content-Type: {ctype}")
    head = "\n".join(lines).encode("utf-8") + b"\n\n"
    return head + (body if isinstance(body, bytes) else body.encode("utf-8"))


PERSON = ("From: Jan Kowalski <jan@dluznik-test.pl>", f"To: {OURS}",
          "Subject: Re: Wezwanie", "Date: Mon, 07 Dec 2026 10:00:00 +0100",
          "Message-ID: <odp-1@dluznik-test.pl>", "MIME-Version: 1.0")


# --- the samples ---------------------------------------------------------------------

# name: (kind, from, [(address, status, diagnostic, permanent)], original, auto reason)
BOUNCES = {
    "bounce-postfix-5.1.1.eml": (
        MailKind.BOUNCE, "MAILER-DAEMON@smtp.przykladowa-firma.pl",
        [("biuro@stolarnia-kowalski.pl", "5.1.1",
          "550 5.1.1 <biuro@stolarnia-kowalski.pl>: Recipient address rejected: User "
          "unknown in virtual mailbox table", True)],
        "<5b1f0c3e8d2a4e6f9a7c1b3d5e7f9a2c@przykladowa-firma.pl>"),
    # Exim writes Status: 5.0.0; the remote server's 5.1.1 is the more precise code
    "bounce-exim-5.1.1.eml": (
        MailKind.BOUNCE, "Mailer-Daemon@s17.hosting-przyklad.pl",
        [("faktury@uslugi-nowak.pl", "5.1.1",
          "550 5.1.1 <faktury@uslugi-nowak.pl>: Recipient address rejected: User unknown "
          "in local recipient table", True)],
        "<0e4a7c9b2d6f48a1b3c5d7e9f1a2b4c6@przykladowa-firma.pl>"),
    # no report part: X-Failed-Recipients (a hyphenated domain) and the bounce's text
    "bounce-exim-legacy-plain.eml": (
        MailKind.BOUNCE, "Mailer-Daemon@serwer4.stary-hosting.pl",
        [("biuro@dabrowski-budowa.pl", "5.1.1",
          "550 5.1.1 <biuro@dabrowski-budowa.pl>: Recipient address rejected: User "
          "unknown in virtual mailbox table", True)],
        "<e1b3d5f7a9c24e6a8c0e2b4d6f8a1c3e@przykladowa-firma.pl>"),
    "bounce-m365-5.1.10.eml": (
        MailKind.BOUNCE, "postmaster@przykladowafirma.onmicrosoft.com",
        [("ksiegowosc@transport-wisniewski.pl", "5.1.10",
          "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address "
          "lookup", True)],
        "<9d2c4e6f8a0b4c1d3e5f7a9b1c3d5e7f@przykladowa-firma.pl>"),
    # a multi-line SMTP answer: its repeated "550-5.1.1" prefixes removed
    "bounce-gmail-5.1.1.eml": (
        MailKind.BOUNCE, "mailer-daemon@googlemail.com",
        [("kwiaciarnia.zielinski.faktury@gmail.com", "5.1.1",
          "550 5.1.1 The email account that you tried to reach does not exist. Please try "
          "double-checking the recipient's email address for typos or unnecessary spaces. "
          "For more information, go to https://support.google.com/mail/?p=NoSuchUser "
          "41be03b00d2f7-7fd3a6b2c1esor2837191a12.55 - gsmtp", True)],
        "<7a3e5c1b9d2f4a6c8e0b2d4f6a8c0e1d@przykladowa-firma.pl>"),
    # "X-Postfix;" is a diagnostic type too
    "delay-postfix-4.4.1.eml": (
        MailKind.DELAY, "MAILER-DAEMON@smtp.przykladowa-firma.pl",
        [("sekretariat@mechanika-wojcik.pl", "4.4.1",
          "connect to mx.mechanika-wojcik.pl[203.0.113.58]:25: Connection timed out",
          False)],
        "<c4d6e8f0a2b44c6e8f0a1b3c5d7e9f1b@przykladowa-firma.pl>"),
    "delay-gmail-4.2.2.eml": (
        MailKind.DELAY, "mailer-daemon@googlemail.com",
        [("hurtownia.mazur.biuro@gmail.com", "4.2.2",
          "452 4.2.2 The recipient's inbox is out of storage space. Please direct the "
          "recipient to https://support.google.com/mail/?p=OverQuotaTemp "
          "41be03b00d2f7-7fd3a6b2c1esor2837195a12.61 - gsmtp", False)],
        "<2f4a6c8e0b1d43f5a7c9e1b3d5f7a9c2@przykladowa-firma.pl>"),
}

# name: (from, auto reason, the beginning of the text, In-Reply-To)
AUTO_REPLIES = {
    "auto-sieve-vacation.eml": (
        "j.lewandowski@instalacje-lewandowski.pl", "Auto-Submitted: auto-replied (vacation)",
        "Dzień dobry,\n\ndo 14 grudnia 2026 r. przebywam na urlopie",
        ("<a8c0e2b4d6f849a1c3e5b7d9f1a3c5e7@przykladowa-firma.pl>",)),
    "auto-x-autoreply-pl.eml": (
        "biuro@kwiaciarnia-krol.pl", "X-Autoreply",
        "Dzień dobry,\n\ndziękujemy za wiadomość. Biuro jest nieczynne", ()),
    # no RFC 3834 header at all: the null return path and the subject decide
    "auto-exchange-oof-pl.eml": (
        "m.kaminska@kaminski-transport.pl", "subject",
        "Dzień dobry,\n\njestem nieobecna w biurze do 11 grudnia 2026 r.", ()),
    "auto-out-of-office-en.eml": (
        "accounts@baltic-freight.example", "Auto-Submitted: auto-replied",
        "Thank you for your email. I am out of the office until Monday, 14 December 2026,",
        ("<6e8a0c2e4b6d48f0a2c4e6b8d0f2a4c6@przykladowa-firma.pl>",)),
}


def test_every_sample_is_checked_here():
    names = {path.name for path in DATA.glob("*.eml")}
    replies = {name for name in names if name.startswith("reply-")}
    assert names == set(BOUNCES) | set(AUTO_REPLIES) | replies
    assert len(replies) == 4


@pytest.mark.parametrize("name", sorted(BOUNCES))
def test_bounce_and_delay_samples(name):
    kind, sender, failures, original = BOUNCES[name]
    got = sample(name)
    assert got.kind == kind
    assert got.from_address == sender
    assert [(f.address, f.status, f.diagnostic, f.permanent) for f in got.failures] == failures
    assert got.original_message_ids == (original,)
    assert got.auto_reason == ""  # although every one says Auto-Submitted: auto-replied
    assert got.return_path == ""
    assert OURS in got.to_addresses
    assert got.problems == ()
    assert got.size == (DATA / name).stat().st_size
    assert got.sent_at is not None and got.sent_at.utcoffset() is not None
    assert all(len(f.diagnostic) <= 300 and "\n" not in f.diagnostic for f in got.failures)


def test_the_bounce_text_is_the_notice_not_the_returned_original():
    got = sample("bounce-postfix-5.1.1.eml")
    assert got.text.startswith("This is the mail system at host smtp.przykladowa-firma.pl.")
    assert "WEZWANIE DO ZAPŁATY" not in got.text
    # the returned original is listed, as a message one can save
    (original,) = got.attachments
    assert original.content_type == "message/rfc822"
    assert original.name == "attachment-1.eml"
    returned = attachment_bytes((DATA / "bounce-postfix-5.1.1.eml").read_bytes(), original.index)
    assert b"Message-ID: <5b1f0c3e8d2a4e6f9a7c1b3d5e7f9a2c@przykladowa-firma.pl>" in returned
    assert abs(len(returned) - original.size) < 200  # an estimate for message/rfc822


def test_bounce_threading_headers_and_subjects():
    m365 = sample("bounce-m365-5.1.10.eml")
    assert m365.subject == ("Undeliverable: Wezwanie do zapłaty nr 2: FV/2026/09/088 – "
                            "Przykładowa Firma sp. z o.o.")
    assert m365.in_reply_to == ("<9d2c4e6f8a0b4c1d3e5f7a9b1c3d5e7f@przykladowa-firma.pl>",)
    assert m365.message_id == (
        "<0d1e2f3a-4b5c-4d6e-9f70-8a9b0c1d2e3f@AM9PR02MB7342.eurprd02.prod.outlook.com>")
    exim = sample("bounce-exim-5.1.1.eml")
    assert exim.in_reply_to == ()
    assert exim.references == ("<0e4a7c9b2d6f48a1b3c5d7e9f1a2b4c6@przykladowa-firma.pl>",)
    assert exim.sent_at == datetime(2026, 12, 7, 8, 0, 12, tzinfo=UTC)
    gmail = sample("bounce-gmail-5.1.1.eml")
    assert [a.name for a in gmail.attachments] == ["icon.png", "attachment-2.eml"]
    assert gmail.attachments[0].size == 69


def test_the_legacy_bounce_names_our_message_only_in_its_text():
    raw = (DATA / "bounce-exim-legacy-plain.eml").read_bytes()
    bare = raw.replace(
        b"References: <e1b3d5f7a9c24e6a8c0e2b4d6f8a1c3e@przykladowa-firma.pl>\n", b"")
    assert bare != raw
    got = read_mail(bare)
    assert got.kind == MailKind.BOUNCE and got.references == ()
    assert got.original_message_ids == (
        "<e1b3d5f7a9c24e6a8c0e2b4d6f8a1c3e@przykladowa-firma.pl>",)


@pytest.mark.parametrize("name", sorted(AUTO_REPLIES))
def test_auto_reply_samples(name):
    sender, reason, text, in_reply_to = AUTO_REPLIES[name]
    got = sample(name)
    assert got.kind == MailKind.AUTO_REPLY
    assert got.auto_reason == reason
    assert got.from_address == sender
    assert got.text.startswith(text)
    assert got.in_reply_to == in_reply_to
    assert got.failures == () and got.original_message_ids == ()
    assert got.problems == ()


def test_auto_reply_names_and_subjects():
    exchange = sample("auto-exchange-oof-pl.eml")
    assert exchange.from_name == "Monika Kamińska"
    assert exchange.subject.startswith("Odpowiedź automatyczna: Wezwanie do zapłaty nr 2")
    assert exchange.to_addresses == (OURS,)
    webmail = sample("auto-x-autoreply-pl.eml")
    assert webmail.from_name == "Kwiaciarnia Król"
    assert webmail.return_path == "biuro@kwiaciarnia-krol.pl"
    assert webmail.subject == "Odpowiedź automatyczna: Nieobecność w biurze"


def test_reply_plain():
    got = sample("reply-pl-plain.eml")
    assert got.kind == MailKind.REPLY
    assert (got.from_address, got.from_name) == ("p.wojcik@wojcik-transport.pl", "Piotr Wójcik")
    assert got.subject == "Wpłata za fakturę FV/2026/11/051"
    assert got.in_reply_to == () and got.references == ()
    assert got.text == (
        "Dzień dobry,\n\nfaktura FV/2026/11/051 na kwotę 1 845,00 zł została opłacona w "
        "piątek\n4 grudnia przelewem z naszego konta w PKO BP (tytuł: FV/2026/11/051).\n"
        "Proszę sprawdzić wpływ i nie wysyłać kolejnych przypomnień.\n\nPozdrawiam\n"
        "Piotr Wójcik\nWójcik Transport")
    assert got.sent_at == datetime(2026, 12, 7, 10, 42, 11, tzinfo=timezone(timedelta(hours=1)))
    assert got.attachments == () and got.failures == () and got.auto_reason == ""
    assert got.problems == ()


def test_reply_html_only_in_iso_8859_2():
    got = sample("reply-pl-html-only.eml")
    assert got.kind == MailKind.REPLY
    assert got.subject == "Reklamacja - uszkodzone płytki, faktura FV/2026/11/058"
    assert got.text == (
        "Dzień dobry,\n\ntowar z faktury FV/2026/11/058 dotarł do nas uszkodzony: dwie z "
        "pięciu palet płytek miały rozbite opakowania. Zgłaszamy reklamację na kwotę "
        "2 460,00 zł i do czasu jej rozpatrzenia nie zapłacimy tej części faktury. Zdjęcia "
        "prześlemy osobno.\n\nZ poważaniem\nBarbara Mazur\nHurtownia Budowlana Mazur")
    assert got.attachments == ()


def test_reply_with_a_pdf_named_in_rfc_2231():
    raw = (DATA / "reply-pl-pdf-attachment.eml").read_bytes()
    got = read_mail(raw)
    assert got.kind == MailKind.REPLY
    assert got.in_reply_to == ("<f6a8c0e2b4d64f8a0c2e4b6d8f0a2c4e@przykladowa-firma.pl>",)
    assert got.text.startswith("Dzień dobry,\n\nw załączeniu potwierdzenie przelewu")
    (pdf,) = got.attachments
    assert pdf == Attachment("Potwierdzenie wpłaty FV 2026-11-044.pdf", "application/pdf",
                             pdf.size, 1)
    content = attachment_bytes(raw, pdf.index)
    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
    assert len(content) == pdf.size
    assert attachment_bytes(raw, 0).startswith("Dzień dobry".encode())  # the text part
    assert attachment_bytes(raw, 99) == b"" and attachment_bytes(raw, -1) == b""


def test_reply_format_flowed_is_joined_and_the_quote_kept():
    got = sample("reply-pl-quoting-demand.eml")
    assert got.in_reply_to == got.references == (
        "<1a3c5e7b9d0f42a4c6e8b0d2f4a6c8e0@przykladowa-firma.pl>",)
    assert ("Kwotę 7 380,00 zł z faktury FV/2026/10/140 zapłacimy do 15 grudnia 2026 r. "
            "Prosimy o wstrzymanie dalszych wezwań do tego dnia.") in got.text
    assert "\n> WEZWANIE DO ZAPŁATY\n" in got.text


# --- bounces built here: the cases the samples do not have ---------------------------

REPORT_HEAD = ("Return-Path: <>", "From: Mail Delivery System <MAILER-DAEMON@mx.test.pl>",
               f"To: {OURS}", "Subject: Undelivered Mail Returned to Sender",
               "Auto-Submitted: auto-replied", "MIME-Version: 1.0")


def report(*blocks: str, encoding: str = "", dsn_type: str = "message/delivery-status",
           original: str = "") -> bytes:
    status = "Reporting-MTA: dns; mx.test.pl\n\n" + "\n\n".join(blocks) + "\n"
    cte = ""
    if encoding == "base64":
        status = base64.encodebytes(status.encode()).decode()
        cte = "Content-Transfer-Encoding: base64\n"
    body = ("--B\nContent-Type: text/plain\n\nThe mail system\n\n"
            f"--B\nContent-Type: {dsn_type}\n{cte}\n{status}\n")
    if original:
        body += f"--B\nContent-Type: text/rfc822-headers\n\n{original}\n"
    body += "--B--\n"
    return mail(*REPORT_HEAD, ctype="multipart/report; report-type=delivery-status; "
                "boundary=B", body=body)


def block(address: str, action: str, status: str, diagnostic: str = "") -> str:
    lines = [f"Final-Recipient: rfc822; {address}", f"Action: {action}", f"Status: {status}"]
    if diagnostic:
        lines.append(f"Diagnostic-Code: smtp; {diagnostic}")
    return "\n".join(lines)


def test_failed_with_a_4xx_status_is_a_bounce_that_does_not_blame_the_address():
    """docs/inbox.md: Action: failed with 4.x.x — the server gave up retrying. The message
    was not delivered (a bounce, permanent), but the address may be fine."""
    got = read_mail(report(block("biuro@firma-test.pl", "failed", "4.4.7",
                                 "450 4.4.7 delivery time expired")))
    assert got.kind == MailKind.BOUNCE
    (failure,) = got.failures
    assert failure == DeliveryFailure("biuro@firma-test.pl", "4.4.7",
                                      "450 4.4.7 delivery time expired", True)
    assert not failure.address_failed
    assert DeliveryFailure("a@b.pl", "5.1.1", "", True).address_failed
    assert DeliveryFailure("a@b.pl", "", "", True).address_failed


def test_several_recipients_permanent_and_temporary():
    got = read_mail(report(
        block("jeden@firma-test.pl", "failed", "5.2.1", "550 5.2.1 mailbox disabled"),
        block("dwa@Firma-Test.PL", "delayed", "4.2.2"),
        block("trzy@firma-test.pl", "delivered", "2.0.0"),
        original="Message-ID: <abc@przykladowa-firma.pl>\nSubject: x\n"))
    assert got.kind == MailKind.BOUNCE
    assert [(f.address, f.status, f.permanent) for f in got.failures] == [
        ("jeden@firma-test.pl", "5.2.1", True), ("dwa@firma-test.pl", "4.2.2", False)]
    assert got.original_message_ids == ("<abc@przykladowa-firma.pl>",)


def test_only_delays_is_a_delay():
    got = read_mail(report(block("dwa@firma-test.pl", "delayed", "4.4.1")))
    assert got.kind == MailKind.DELAY
    assert got.failures == (DeliveryFailure("dwa@firma-test.pl", "4.4.1", "", False),)


def test_a_base64_global_delivery_status_is_read():
    got = read_mail(report(block("faktury@firma-test.pl", "failed", "5.1.1",
                                 "550 5.1.1 no such user"),
                           encoding="base64", dsn_type="message/global-delivery-status"))
    assert got.kind == MailKind.BOUNCE
    assert got.failures == (
        DeliveryFailure("faktury@firma-test.pl", "5.1.1", "550 5.1.1 no such user", True),)


def test_original_recipient_is_preferred_and_garbage_addresses_are_skipped():
    got = read_mail(report(
        "Original-Recipient: rfc822;stary@firma-test.pl\n"
        + block("alias@firma-test.pl", "failed", "5.1.1"),
        block("=?utf-8?B?w7PFgg==?=@example.org", "failed", "5.1.1"),
        block("", "failed", "5.1.1")))
    assert [f.address for f in got.failures] == ["stary@firma-test.pl"]


def test_a_successful_delivery_report_is_automatic_not_a_bounce():
    got = read_mail(report(block("jeden@firma-test.pl", "delivered", "2.0.0")))
    assert got.kind == MailKind.AUTO_REPLY
    assert got.auto_reason == "delivery report (delivered)"
    assert got.failures == ()


def test_a_report_that_cannot_be_read_goes_to_a_person():
    raw = mail(*REPORT_HEAD, body="Something went wrong with your message, sorry.\n")
    got = read_mail(raw)
    assert got.kind == MailKind.REPLY
    assert got.problems == ("looks like a delivery report, but no failed address could be read",)


def test_exchange_ndr_marker_and_x_failed_recipients_without_a_report():
    raw = mail("From: <postmaster@firma-test.onmicrosoft.com>", f"To: {OURS}",
               "Subject: Niedostarczalne: Wezwanie", "X-MS-Exchange-Message-Is-Ndr:",
               "X-Failed-Recipients: ksiegowosc@transport-test-pl.pl, =?utf-8?q?x?=@a.pl",
               body="Remote server returned '550 5.4.1 Recipient address rejected'\n")
    got = read_mail(raw)
    assert got.kind == MailKind.BOUNCE
    assert got.failures == (DeliveryFailure("ksiegowosc@transport-test-pl.pl", "", "", True),)


def test_a_person_quoting_a_bounce_is_not_a_bounce():
    """flufl.bounce's heuristics would take this for a bounce; it is only asked about
    messages that look like reports (and a person's message does not)."""
    raw = mail(*PERSON, body=(
        "Dostałem od Was coś takiego:\n\n"
        "The following addresses had permanent fatal errors\n"
        "<biuro@firmatest.pl>\n\n"
        "The original message was received at Mon, 7 Dec 2026\n"))
    got = read_mail(raw)
    assert got.kind == MailKind.REPLY and got.failures == ()


# --- auto-replies built here ---------------------------------------------------------


@pytest.mark.parametrize(("extra", "subject", "kind", "reason"), [
    (["Auto-Submitted: auto-generated"], "Faktura", MailKind.AUTO_REPLY,
     "Auto-Submitted: auto-generated"),
    (["Auto-Submitted: no"], "Faktura", MailKind.REPLY, ""),
    (["Auto-Submitted: No (a person)"], "Faktura", MailKind.REPLY, ""),
    (["X-Autorespond: Out of office"], "Faktura", MailKind.AUTO_REPLY, "X-Autorespond"),
    (["X-Apple-Action: VACATION"], "Auto reply: Faktura", MailKind.AUTO_REPLY,
     "X-Apple-Action: VACATION"),
    (["X-Precedence: auto_reply"], "Faktura", MailKind.AUTO_REPLY, "X-Precedence: auto_reply"),
    # subjects decide only with a weak marker
    ([], "Odpowiedź automatyczna: Wezwanie", MailKind.REPLY, ""),
    ([], "Urlop", MailKind.REPLY, ""),
    (["Return-Path: <>"], "Urlop", MailKind.AUTO_REPLY, "subject"),
    (["X-Auto-Response-Suppress: All"], "Automatic reply: Payment demand",
     MailKind.AUTO_REPLY, "subject"),
    (["Precedence: bulk"], "Out of the office until Monday", MailKind.AUTO_REPLY, "subject"),
    (["X-MS-Exchange-Inbox-Rules-Loop: a@b.pl"], "Autoodpowiedź", MailKind.AUTO_REPLY,
     "subject"),
    (["Precedence: bulk"], "Wpłata za fakturę", MailKind.REPLY, ""),
    (["X-Auto-Response-Suppress: All"], "Re: Wezwanie", MailKind.REPLY, ""),
])
def test_auto_reply_markers(extra, subject, kind, reason):
    raw = mail("From: Jan <jan@dluznik-test.pl>", f"To: {OURS}", f"Subject: {subject}",
               *extra)
    got = read_mail(raw)
    assert (got.kind, got.auto_reason) == (kind, reason)


def test_a_read_receipt_is_automatic():
    raw = mail("From: jan@dluznik-test.pl", f"To: {OURS}", "Subject: Przeczytano: Wezwanie",
               ctype="multipart/report; report-type=disposition-notification; boundary=R",
               body=("--R\nContent-Type: text/plain\n\nWiadomość została wyświetlona.\n"
                     "--R\nContent-Type: message/disposition-notification\n\n"
                     "Final-Recipient: rfc822; jan@dluznik-test.pl\n"
                     "Disposition: manual-action/MDN-sent-manually; displayed\n--R--\n"))
    got = read_mail(raw)
    assert (got.kind, got.auto_reason) == (
        MailKind.AUTO_REPLY, "read receipt (disposition-notification)")
    assert got.text == "Wiadomość została wyświetlona."
    assert got.attachments == ()


# --- headers -------------------------------------------------------------------------


def test_addresses_are_normalised_unique_and_from_every_delivery_header():
    raw = mail("From: \"Kowalski, Jan\" <Jan.Kowalski@Dluznik-Test.PL>",
               "To: windykacja@PRZYKLADOWA-FIRMA.pl, inny@firma-test.pl",
               "Delivered-To: windykacja+5b1f@przykladowa-firma.pl",
               "X-Original-To: windykacja@przykladowa-firma.pl",
               "Envelope-to: windykacja+verp@przykladowa-firma.pl",
               "Return-Path: <Jan.Kowalski@dluznik-test.pl>", "Subject: x")
    got = read_mail(raw)
    assert (got.from_address, got.from_name) == ("Jan.Kowalski@dluznik-test.pl", "Kowalski, Jan")
    assert got.to_addresses == (OURS, "inny@firma-test.pl",
                                "windykacja+5b1f@przykladowa-firma.pl",
                                "windykacja+verp@przykladowa-firma.pl")
    assert got.return_path == "Jan.Kowalski@dluznik-test.pl"


def test_threading_ids():
    many = " ".join(f"<id{n}@a.pl>" for n in range(150))
    raw = mail("From: a@b.pl", "Message-ID: bez-nawiasow@dluznik-test.pl",
               "In-Reply-To: <x@przykladowa-firma.pl> (Anna's message)",
               f"References: {many}\n <ostatni@przykladowa-firma.pl>")
    got = read_mail(raw)
    assert got.message_id == "<bez-nawiasow@dluznik-test.pl>"
    assert got.in_reply_to == ("<x@przykladowa-firma.pl>",)
    assert len(got.references) == 100
    assert got.references[-1] == "<ostatni@przykladowa-firma.pl>"  # the last ones are kept


@pytest.mark.parametrize(("value", "expected"), [
    ("Mon, 07 Dec 2026 10:00:00 +0100",
     datetime(2026, 12, 7, 10, tzinfo=timezone(timedelta(hours=1)))),
    ("Mon, 07 Dec 2026 10:00:00 -0000", datetime(2026, 12, 7, 10, tzinfo=UTC)),
    ("wczoraj", None), ("Mon, 99 Dec 99999 99:99:99 +9999", None), ("", None),
])
def test_dates(value, expected):
    got = read_mail(mail("From: a@b.pl", f"Date: {value}"))
    assert got.sent_at == expected


def test_eight_bit_headers_utf8_is_legal_and_cp1250_is_guessed():
    utf8 = read_mail(mail("From: Paweł Łoś <p@firma-test.pl>", "Subject: Zapłata za fakturę"))
    assert (utf8.from_name, utf8.subject) == ("Paweł Łoś", "Zapłata za fakturę")
    assert utf8.problems == ()
    raw = mail("From: a@firma-test.pl", "Subject: PLACEHOLDER").replace(
        b"PLACEHOLDER", "Zapłata za fakturę, źle, świetnie".encode("cp1250"))
    cp1250 = read_mail(raw)
    assert cp1250.subject == "Zapłata za fakturę, źle, świetnie"
    assert cp1250.problems == ("the subject header has 8-bit characters; read as cp1250",)


def test_encoded_words_with_an_unknown_charset():
    got = read_mail(mail("From: a@firma-test.pl", "Subject: =?x-nieznany?Q?Zap=B3ata?= teraz"))
    assert got.subject == "Zapłata teraz"
    assert len(got.problems) == 1 and "subject" in got.problems[0]


def test_headers_policy_default_cannot_read_do_not_stop_anything():
    """``To: <"`` raises IndexError on ``msg["To"]`` with email.policy.default (Python
    3.11); the same for the other fuzz findings named in the module's docstring."""
    for value in ('<"', '().\\)]],<ł', '=?utf-8?q?ł@ [ ', '<a?==@[ \x00=?utf-8?q?'):
        raw = mail(f"From: {value}", f"To: {value}", f"Message-ID: {value}",
                   f"Subject: {value}", f"Content-Type: {value}", f"Date: {value}")
        got = read_mail(raw)
        assert got.kind == MailKind.REPLY
        assert got.from_address == "" and got.to_addresses == ()


def test_a_long_header_is_cut():
    got = read_mail(mail("From: a@b.pl", "Subject: " + "x" * 50_000))
    assert len(got.subject) == 500
    assert got.problems == ("the Subject header is too long; cut",)


# --- bodies and charsets -------------------------------------------------------------

POLISH = "Zażółć gęślą jaźń, płacimy w piątek."


@pytest.mark.parametrize(("charset", "encoded", "note"), [
    ("utf-8", POLISH.encode("utf-8"), None),
    ("iso-8859-2", POLISH.encode("iso-8859-2"), None),
    ("windows-1250", POLISH.encode("cp1250"), None),
    # Outlook's mislabel: Windows-1250 bytes declared as ISO-8859-2 (0x9C is ś, 0x9F ź)
    ("iso-8859-2", POLISH.encode("cp1250"), None),
    # no charset at all, UTF-8 bytes: the commonest case, not worth a note
    ("", POLISH.encode("utf-8"), None),
    ("", POLISH.encode("cp1250"), "the text: no charset does not fit the bytes; read as cp1250"),
    ("utf-8", POLISH.encode("cp1250"),
     "the text: 'utf-8' does not fit the bytes; read as cp1250"),
    ("x-nieznany", POLISH.encode("iso-8859-2"),
     "the text: 'x-nieznany' does not fit the bytes; read as iso-8859-2"),
    ("x-nieznany", POLISH.encode("utf-8"),
     "the text: 'x-nieznany' does not fit the bytes; read as utf-8"),
])
def test_charsets(charset, encoded, note):
    ctype = f"text/plain; charset={charset}" if charset else "text/plain"
    got = read_mail(mail(*PERSON, f"Content-Type: {ctype}",
                         "Content-Transfer-Encoding: 8bit", body=encoded + b"\n"))
    assert got.text == POLISH
    assert got.problems == ((note,) if note else ())


def test_utf8_with_a_few_broken_bytes_stays_utf8():
    body = POLISH.encode("utf-8") * 3 + b"\xff\n"
    got = read_mail(mail(*PERSON, ctype="text/plain; charset=utf-8", body=body))
    assert got.text == POLISH * 3 + "\ufffd"
    assert got.problems == (
        "the text: 'utf-8' does not fit the bytes; read as utf-8, damaged bytes replaced",)


def test_quoted_printable_and_base64_bodies():
    qp = read_mail(mail(*PERSON, "Content-Transfer-Encoding: quoted-printable",
                        ctype="text/plain; charset=utf-8", body="Zap=C5=82ata=\n dzi=C5=9B\n"))
    assert qp.text == "Zapłata dziś"
    b64 = read_mail(mail(*PERSON, "Content-Transfer-Encoding: base64",
                         ctype='text/plain; charset="UTF-8"',
                         body=base64.encodebytes(POLISH.encode()).decode()))
    assert b64.text == POLISH


def test_alternative_prefers_plain_and_mixed_keeps_every_inline_text():
    body = ("--M\nContent-Type: multipart/alternative; boundary=A\n\n"
            "--A\nContent-Type: text/plain; charset=utf-8\n\nPierwszy.\n"
            "--A\nContent-Type: text/html; charset=utf-8\n\n<p>HTML</p>\n--A--\n"
            "--M\nContent-Type: image/jpeg\nContent-Disposition: inline\n"
            "Content-Transfer-Encoding: base64\n\n/9j/4AAQ\n"
            "--M\nContent-Type: text/plain; charset=utf-8\n\nDrugi.\n--M--\n")
    got = read_mail(mail(*PERSON, ctype="multipart/mixed; boundary=M", body=body))
    assert got.text == "Pierwszy.\n\nDrugi."
    assert got.attachments == (Attachment("attachment-1.jpg", "image/jpeg", 6, 2),)


def test_html_only_is_read_as_text():
    html = ("<html><head><title>T</title><style>p {color: red}</style></head><body>"
            "<script>alert('x')</script><h1>Reklamacja</h1><p>Faktura   <b>FV/1</b>&nbsp;"
            "jest &amp; była\nbłędna.</p><ul><li>jeden</li><li>dwa</li></ul>"
            "<p>Zobacz <a href=\"https://zly.example/x\">potwierdzenie</a>.<br>Jan</p>"
            "<img src=\"https://tracker.example/p.gif\"><pre>  a\n  b</pre></body></html>")
    got = read_mail(mail(*PERSON, ctype="text/html; charset=utf-8", body=html))
    assert got.text == ("Reklamacja\n\nFaktura FV/1 jest & była błędna.\n\n- jeden\n"
                        "- dwa\n\nZobacz potwierdzenie.\nJan\n\n  a\n  b")
    assert "zly.example" not in got.text and "alert" not in got.text
    assert "tracker" not in got.text and "color" not in got.text


def test_html_to_text_survives_broken_markup():
    assert html_to_text("<p>a<b>b</p></i><!x><![if !vml]>c<<>d") == "ab\nc<<>d"


def test_a_charset_the_standard_library_chokes_on():
    """compat32's get_payload() decodes 8-bit text with the declared charset and raises
    ValueError for "utf\\0" (found by a fuzz): the raw payload is read instead."""
    body = "Zapłata.\n".encode()
    raw = mail(*PERSON, 'Content-Type: text/plain; charset="utf\x00"', body=body)
    got = read_mail(raw)
    assert got.text == "Zapłata."
    assert attachment_bytes(raw, 0) == body


def test_a_huge_html_part_is_read_only_at_its_beginning():
    html = "<p>Zapłacimy w piątek.</p>" + "<i></i>" * 200_000
    got = read_mail(mail(*PERSON, ctype="text/html; charset=utf-8", body=html))
    assert got.text == "Zapłacimy w piątek."
    assert got.problems == (
        "the HTML text is longer than 500000 bytes; only its beginning was read",)


def test_a_long_text_is_cut_with_a_marker():
    got = read_mail(mail(*PERSON, ctype="text/plain; charset=utf-8",
                         body="ą" * (MAX_TEXT + 5000)))
    assert len(got.text) == MAX_TEXT
    assert got.text.endswith("\n[…]") and got.text.startswith("ąąą")
    assert got.problems == (f"the text is longer than {MAX_TEXT} characters; cut",)


# --- attachments ---------------------------------------------------------------------


def attachment_mail(disposition: str, ctype: str = "application/pdf",
                    content: bytes = b"%PDF-1.4 x") -> bytes:
    body = ("--M\nContent-Type: text/plain; charset=utf-8\n\nW załączeniu.\n"
            f"--M\nContent-Type: {ctype}\nContent-Transfer-Encoding: base64\n"
            f"Content-Disposition: {disposition}\n\n"
            + base64.encodebytes(content).decode() + "--M--\n")
    return mail(*PERSON, ctype="multipart/mixed; boundary=M", body=body)


@pytest.mark.parametrize(("disposition", "name"), [
    ("attachment; filename*=utf-8''Potwierdzenie%20wp%C5%82aty%20%C5%BC%C3%B3%C5%82%C4%87.pdf",
     "Potwierdzenie wpłaty żółć.pdf"),
    ("attachment; filename*0*=utf-8''Zap%C5%82ata%20; filename*1*=cz%C4%99%C5%9B%C4%87%201.pdf",
     "Zapłata część 1.pdf"),
    ("attachment; filename*=iso-8859-2''Wp%B3ata.pdf", "Wpłata.pdf"),
    # RFC 2047 in a parameter: wrong, but what Outlook sends
    ('attachment; filename="=?utf-8?B?UMWCYXRub8WbxIcucGRm?="', "Płatność.pdf"),
    ('attachment; filename="..\\\\..\\\\Windows\\\\evil.pdf"', "evil.pdf"),
    ('attachment; filename="/etc/passwd"', "passwd"),
    ('attachment; filename="a\u202egnp.pdf"', "agnp.pdf"),  # right-to-left override
    ('attachment; filename="   "', "attachment-1.pdf"),
    ("attachment", "attachment-1.pdf"),
    ('attachment; filename="' + "x" * 300 + '.pdf"', "x" * 196 + ".pdf"),
])
def test_attachment_names(disposition, name):
    raw = attachment_mail(disposition)
    (attachment,) = read_mail(raw).attachments
    assert attachment.name == name
    assert len(attachment.name) <= 200
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(b"%PDF-1.4 x")
    assert attachment_bytes(raw, attachment.index) == b"%PDF-1.4 x"


def test_a_5_mb_attachment_is_listed_and_saved_exactly():
    content = b"%PDF-1.4\n" + os.urandom(5 * 2**20)
    raw = attachment_mail('attachment; filename="duzy.pdf"', content=content)
    got = read_mail(raw)
    assert got.kind == MailKind.REPLY
    assert got.text == "W załączeniu."
    assert got.attachments == (Attachment("duzy.pdf", "application/pdf", len(content), 1),)
    assert got.problems == ()
    assert attachment_bytes(raw, 1) == content


def test_attachment_bytes_of_a_quoted_printable_text_attachment():
    body = ("--M\nContent-Type: text/plain\n\nOto plik.\n"
            "--M\nContent-Type: text/csv; charset=utf-8; name=\"wyciag.csv\"\n"
            "Content-Transfer-Encoding: quoted-printable\n\nkwota;tytu=C5=82\n1;FV/1\n--M--\n")
    raw = mail(*PERSON, ctype="multipart/mixed; boundary=M", body=body)
    (csv,) = read_mail(raw).attachments
    assert (csv.name, csv.content_type, csv.size) == ("wyciag.csv", "text/csv", 19)
    assert attachment_bytes(raw, csv.index) == "kwota;tytuł\n1;FV/1".encode()


# --- malformed input -----------------------------------------------------------------


def test_empty_input():
    got = read_mail(b"")
    assert got.kind == MailKind.REPLY
    assert got.problems == ("the message is empty",)
    assert got.size == 0 and got.text == "" and got.sent_at is None


def test_a_multipart_without_a_boundary_is_read_as_text():
    got = read_mail(mail(*PERSON, ctype="multipart/mixed",
                         body="--X\nContent-Type: text/plain\n\nZapłacimy jutro.\n--X--\n"))
    assert got.kind == MailKind.REPLY
    assert "Zapłacimy jutro." in got.text
    assert "a multipart part has no boundary (multipart/mixed)" in got.problems


def test_a_message_cut_in_the_middle_of_an_attachment():
    raw = attachment_mail('attachment; filename="a.pdf"', content=os.urandom(30_000))
    got = read_mail(raw[:20_000], truncated=True)
    assert got.kind == MailKind.REPLY
    assert got.text == "W załączeniu."
    assert got.problems[0] == "the message was cut at 20000 bytes; its end is missing"
    assert "the closing multipart boundary is missing (multipart/mixed)" in got.problems
    (attachment,) = got.attachments
    assert 0 < attachment.size < 20_000


def test_damaged_base64_is_noted():
    raw = mail(*PERSON, "Content-Transfer-Encoding: base64", ctype="text/plain; charset=utf-8",
               body="WmFw*xYJhdGE=\n")
    got = read_mail(raw)
    assert got.kind == MailKind.REPLY
    assert any("base64" in problem for problem in got.problems)


def test_deep_nesting_is_bounded():
    body = "".join(f"--B{n}\nContent-Type: multipart/mixed; boundary=B{n + 1}\n\n"
                   for n in range(40))
    got = read_mail(mail(*PERSON, ctype="multipart/mixed; boundary=B0",
                         body=body + "--B40\nContent-Type: text/plain\n\nGłęboko.\n"))
    assert got.kind == MailKind.REPLY
    assert "MIME parts nested more than 20 deep were not read" in got.problems


def test_nesting_deeper_than_the_parser_can_go_is_read_as_text():
    body = "".join(f"--B{n}\nContent-Type: multipart/mixed; boundary=B{n + 1}\n\n"
                   for n in range(3000))
    got = read_mail(mail(*PERSON, ctype="multipart/mixed; boundary=B0", body=body))
    assert got.kind == MailKind.REPLY
    assert got.subject == "Re: Wezwanie"
    assert "the MIME structure is nested too deeply; read as plain text" in got.problems
    assert len(got.text) <= MAX_TEXT


def test_many_parts_are_bounded():
    body = "".join(f"--M\nContent-Type: application/octet-stream\n"
                   f"Content-Disposition: attachment; filename=p{n}.bin\n\n{n}\n"
                   for n in range(500)) + "--M--\n"
    got = read_mail(mail(*PERSON, ctype="multipart/mixed; boundary=M", body=body))
    assert len(got.attachments) < 200
    assert "more than 200 MIME parts; the rest were not read" in got.problems


def test_many_problems_are_bounded():
    headers = [f"Subject{n}: x" for n in range(5)] + [
        f"X-{n}: " + "y" * 20_000 for n in range(40)]
    got = read_mail(mail("From: a@b.pl", *headers))
    assert len(got.problems) == 20
    assert got.problems[-1] == "more problems not listed"


def check_answer(got: IncomingMail, raw: bytes) -> None:
    # read, not only caught by the last line of defence (read_mail's except)
    assert not any(p.startswith("the message could not be read") for p in got.problems)
    assert isinstance(got.kind, MailKind)
    assert got.size == len(raw)
    assert len(got.text) <= MAX_TEXT
    assert len(got.subject) <= 500 and "\n" not in got.subject
    assert len(got.problems) <= 20
    assert all(isinstance(a, Attachment) and len(a.name) <= 200 and a.size >= 0
               for a in got.attachments)
    for address in (got.from_address, got.return_path, *got.to_addresses):
        assert address == "" or re.fullmatch(r"[^@\s]+@[^@\sA-Z]+", address)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(raw):
    check_answer(read_mail(raw), raw)


HEADER_PIECES = st.sampled_from([
    '"', "\\", "<", ">", "@", ",", ";", ":", "(", ")", "=?utf-8?q?", "=?utf-8?b?", "?=",
    " ", "a", "ł", "[", "]", ".", "=", "\t", "\n ", "=C5=82", "Zm9v", "*", "'", "%C5",
    "boundary=", "charset=", "rfc822", "multipart/mixed", "\udcff", "\x00",
])
HEADER_VALUE = st.lists(HEADER_PIECES, max_size=12).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(
    st.sampled_from(["From", "To", "Subject", "Date", "Message-ID", "References",
                     "Content-Type", "Content-Disposition", "Content-Transfer-Encoding",
                     "Return-Path", "Auto-Submitted", "X-Failed-Recipients"]),
    HEADER_VALUE, max_size=8),
    st.binary(max_size=300))
def test_malformed_headers_never_raise(headers, body):
    head = "".join(f"{name}: {value}\n" for name, value in headers.items())
    raw = head.encode("utf-8", "surrogateescape") + b"\n" + body
    got = read_mail(raw)
    check_answer(got, raw)
    for leaf in range(3):
        assert isinstance(attachment_bytes(raw, leaf), bytes)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(path.name for path in DATA.glob("*.eml"))),
       st.integers(min_value=0, max_value=8000), st.binary(max_size=40))
def test_samples_cut_or_spliced_never_raise(name, at, junk):
    raw = (DATA / name).read_bytes()
    damaged = raw[:at] + junk + raw[at + len(junk):]
    check_answer(read_mail(damaged, truncated=True), damaged)
    check_answer(read_mail(raw[:at], truncated=True), raw[:at])
