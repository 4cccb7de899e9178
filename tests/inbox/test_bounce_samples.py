"""The answer samples in tests/inbox/data/ and what flufl.bounce makes of them.

This is the oracle the inbox classifier of issue 15 builds on: which sample is a
permanent failure of which address, which is only a delay, and that auto-replies and
human replies report no failed address at all. Every sample must also be a
well-formed message for the standard ``email`` package (policy.default), carry the
delivery-status fields its MTA writes, and point at one of our messages by a
Message-ID of the form ``dunning.email_build.new_message_id`` makes.

Where each sample's shape comes from: tests/inbox/data/README.md; what it means:
docs/inbox.md ("Bounces", "Auto-replies", "Matching a reply to our message").
"""

from __future__ import annotations

import email
import re
from email import policy
from email.message import EmailMessage, Message
from pathlib import Path

import pytest
from flufl.bounce import all_failures, scan_message

from windykacja.dunning.email_build import new_message_id

DATA = Path(__file__).parent / "data"
OUR_DOMAIN = "przykladowa-firma.pl"
#: The Message-ID form of our outgoing mail (dunning/email_build.py, new_message_id).
OUR_ID = re.compile(r"<[0-9a-f]{32}@" + re.escape(OUR_DOMAIN) + ">")

# name: (kind, temporary failures, permanent failures, our Message-ID it refers to)
SAMPLES: dict[str, tuple[str, set[str], set[str], str]] = {
    "bounce-postfix-5.1.1.eml": (
        "bounce", set(), {"biuro@stolarnia-kowalski.pl"},
        "<5b1f0c3e8d2a4e6f9a7c1b3d5e7f9a2c@przykladowa-firma.pl>"),
    "bounce-exim-5.1.1.eml": (
        "bounce", set(), {"faktury@uslugi-nowak.pl"},
        "<0e4a7c9b2d6f48a1b3c5d7e9f1a2b4c6@przykladowa-firma.pl>"),
    "bounce-exim-legacy-plain.eml": (
        "bounce", set(), {"biuro@dabrowski-budowa.pl"},
        "<e1b3d5f7a9c24e6a8c0e2b4d6f8a1c3e@przykladowa-firma.pl>"),
    "bounce-m365-5.1.10.eml": (
        "bounce", set(), {"ksiegowosc@transport-wisniewski.pl"},
        "<9d2c4e6f8a0b4c1d3e5f7a9b1c3d5e7f@przykladowa-firma.pl>"),
    "bounce-gmail-5.1.1.eml": (
        "bounce", set(), {"kwiaciarnia.zielinski.faktury@gmail.com"},
        "<7a3e5c1b9d2f4a6c8e0b2d4f6a8c0e1d@przykladowa-firma.pl>"),
    "delay-postfix-4.4.1.eml": (
        "delay", {"sekretariat@mechanika-wojcik.pl"}, set(),
        "<c4d6e8f0a2b44c6e8f0a1b3c5d7e9f1b@przykladowa-firma.pl>"),
    "delay-gmail-4.2.2.eml": (
        "delay", {"hurtownia.mazur.biuro@gmail.com"}, set(),
        "<2f4a6c8e0b1d43f5a7c9e1b3d5f7a9c2@przykladowa-firma.pl>"),
    "auto-sieve-vacation.eml": (
        "auto-reply", set(), set(),
        "<a8c0e2b4d6f849a1c3e5b7d9f1a3c5e7@przykladowa-firma.pl>"),
    "auto-x-autoreply-pl.eml": ("auto-reply", set(), set(), ""),
    "auto-exchange-oof-pl.eml": ("auto-reply", set(), set(), ""),
    "auto-out-of-office-en.eml": (
        "auto-reply", set(), set(),
        "<6e8a0c2e4b6d48f0a2c4e6b8d0f2a4c6@przykladowa-firma.pl>"),
    "reply-pl-plain.eml": ("reply", set(), set(), ""),
    "reply-pl-html-only.eml": ("reply", set(), set(), ""),
    "reply-pl-pdf-attachment.eml": (
        "reply", set(), set(), "<f6a8c0e2b4d64f8a0c2e4b6d8f0a2c4e@przykladowa-firma.pl>"),
    "reply-pl-quoting-demand.eml": (
        "reply", set(), set(), "<1a3c5e7b9d0f42a4c6e8b0d2f4a6c8e0@przykladowa-firma.pl>"),
}

# The per-recipient delivery-status fields of each bounce and delay (RFC 3464 §2.3).
DELIVERY_STATUS = {
    "bounce-postfix-5.1.1.eml": ("failed", "5.1.1", "smtp; 550 5.1.1 <biuro@stolarnia-kowalski"),
    "bounce-exim-5.1.1.eml": ("failed", "5.0.0", "smtp; 550 5.1.1 <faktury@uslugi-nowak.pl>"),
    "bounce-m365-5.1.10.eml": ("failed", "5.1.10", "smtp;550 5.1.10 RESOLVER.ADR.RecipientNot"),
    "bounce-gmail-5.1.1.eml": ("failed", "5.1.1", "smtp; 550-5.1.1 The email account that"),
    "delay-postfix-4.4.1.eml": ("delayed", "4.4.1", "X-Postfix; connect to mx.mechanika-wojcik.pl"),
    "delay-gmail-4.2.2.eml": ("delayed", "4.2.2", "smtp; 452-4.2.2 The recipient's inbox is out"),
}

# The header each auto-reply carries and the subject it starts with (docs/inbox.md,
# "Auto-replies"). Exchange's X-Auto-Response-Suppress only asks others not to answer
# automatically (newsletters send it too): for that sample the subject and the null
# return path are what give it away.
AUTO_SIGNALS = {
    "auto-sieve-vacation.eml": ("Auto-Submitted", "auto-replied (vacation)"),
    "auto-x-autoreply-pl.eml": ("X-Autoreply", "yes"),
    "auto-exchange-oof-pl.eml": ("X-Auto-Response-Suppress", "All"),
    "auto-out-of-office-en.eml": ("Auto-Submitted", "auto-replied"),
}
AUTO_SUBJECTS = {
    "auto-sieve-vacation.eml": "Auto: Wezwanie do zapłaty nr 1: FV/2026/10/125",
    "auto-x-autoreply-pl.eml": "Odpowiedź automatyczna: Nieobecność w biurze",
    "auto-exchange-oof-pl.eml": "Odpowiedź automatyczna: Wezwanie do zapłaty nr 2",
    "auto-out-of-office-en.eml": "Out of Office: Payment demand no. 1",
}


def parse(name: str, message_policy=policy.default) -> Message:
    return email.message_from_bytes((DATA / name).read_bytes(), policy=message_policy)


def addresses(found: frozenset[bytes]) -> set[str]:
    return {address.decode("ascii") for address in found}


def test_every_sample_in_the_folder_is_classified_here():
    assert {path.name for path in DATA.glob("*.eml")} == set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_is_well_formed(name):
    msg = parse(name)
    assert isinstance(msg, EmailMessage)
    problems = [(part.get_content_type(), defect) for part in msg.walk() for defect in part.defects]
    assert problems == []
    for header in ("From", "To", "Subject", "Date", "Message-ID"):
        value = msg[header]
        assert value is not None, header
        assert list(value.defects) == [], (header, value.defects)
    assert msg["Date"].datetime.tzinfo is not None
    # every leaf decodes with its declared charset and transfer encoding (the header
    # blocks of a message/delivery-status are parts too, but have no body)
    for part in leaves(msg):
        assert part.get_content(), part.get_content_type()


def leaves(part: Message) -> list[Message]:
    if part.get_content_type() == "message/delivery-status":
        return []
    if part.is_multipart():
        return [leaf for child in part.get_payload() for leaf in leaves(child)]
    return [part]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_flufl_bounce_finds_exactly_the_failed_addresses(name):
    kind, temporary, permanent, _ = SAMPLES[name]
    found_temporary, found_permanent = all_failures(parse(name))
    assert addresses(found_temporary) == temporary
    assert addresses(found_permanent) == permanent
    assert addresses(scan_message(parse(name))) == permanent
    # Mailman parses with the default compat32 policy; the answer is the same
    assert all_failures(parse(name, policy.compat32)) == (found_temporary, found_permanent)
    if kind in ("auto-reply", "reply"):
        assert not found_temporary and not found_permanent


def delivery_status_blocks(msg: Message) -> list[Message]:
    """The field blocks of the message/delivery-status part; an empty block (Microsoft
    365 ends the part with two blank lines, which the parser reads as one) is left out."""
    blocks: list[Message] = []
    for part in msg.walk():
        if part.get_content_type() == "message/delivery-status":
            blocks.extend(block for block in part.get_payload() if block.keys())
    return blocks


@pytest.mark.parametrize("name", sorted(DELIVERY_STATUS))
def test_delivery_status_fields(name):
    action, status, diagnostic = DELIVERY_STATUS[name]
    per_message, *per_recipient = delivery_status_blocks(parse(name))
    assert per_message["Reporting-MTA"].startswith("dns;")
    assert len(per_recipient) == 1
    block = per_recipient[0]
    assert block["Action"] == action
    assert block["Status"] == status
    assert " ".join(block["Diagnostic-Code"].split()).startswith(diagnostic)
    # RFC 3463: the class digit says permanent (5) or transient (4)
    assert status[0] == ("5" if action == "failed" else "4")
    _, temporary, permanent, _ = SAMPLES[name]
    final = block["Final-Recipient"].split(";", 1)[1].strip()
    assert final in (permanent if action == "failed" else temporary)


def our_ids_named_in(msg: Message) -> set[str]:
    """Our Message-IDs the sample names: threading headers, Google's
    X-Original-Message-ID, and the Message-ID of the returned original."""
    found: set[str] = set()
    for part in msg.walk():
        headers: list[str] = []
        if part.get_content_type() == "text/rfc822-headers":
            headers.append(part.get_content())
        for header in ("In-Reply-To", "References", "X-Original-Message-ID", "Message-ID"):
            headers.extend(str(value) for value in part.get_all(header, []))
        for text in headers:
            found.update(OUR_ID.findall(text))
        if part.get_content_type() == "message/rfc822":
            for inner in part.get_payload():
                found.update(OUR_ID.findall(str(inner.get("Message-ID", ""))))
    return found


def test_our_message_id_form_is_what_the_product_makes():
    assert OUR_ID.fullmatch(new_message_id(OUR_DOMAIN))


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_refers_to_one_of_our_messages_or_to_none(name):
    kind, _, _, ours = SAMPLES[name]
    named = our_ids_named_in(parse(name))
    assert named == ({ours} if ours else set())
    if kind in ("bounce", "delay"):
        # a bounce always carries the original (or its headers): the sure way back
        assert ours


@pytest.mark.parametrize("name", sorted(AUTO_SIGNALS))
def test_auto_reply_signal(name):
    msg = parse(name)
    header, value = AUTO_SIGNALS[name]
    assert msg[header] == value
    assert msg["Subject"].startswith(AUTO_SUBJECTS[name])
    if name == "auto-exchange-oof-pl.eml":
        # nothing in RFC 3834 terms: no Auto-Submitted, no In-Reply-To
        assert msg["Auto-Submitted"] is None and msg["In-Reply-To"] is None
        assert msg["Return-Path"] == "<>"


def test_bounces_say_auto_submitted_too():
    """Postfix, Exim, Microsoft 365 and Google mark their bounces `Auto-Submitted:
    auto-replied` as well: a classifier must ask "is it a bounce?" before "is it an
    auto-reply?"."""
    for name, (kind, *_rest) in SAMPLES.items():
        if kind in ("bounce", "delay"):
            assert parse(name)["Auto-Submitted"] == "auto-replied", name


def test_human_reply_parts():
    plain = parse("reply-pl-plain.eml")
    assert plain["In-Reply-To"] is None and plain["References"] is None
    assert "opłacona w piątek" in plain.get_content()

    html = parse("reply-pl-html-only.eml")
    assert html.get_content_type() == "text/html"
    assert html.get_content_charset() == "iso-8859-2"
    assert "reklamację na kwotę" in html.get_content()
    assert html["Subject"] == "Reklamacja - uszkodzone płytki, faktura FV/2026/11/058"

    with_pdf = parse("reply-pl-pdf-attachment.eml")
    (attachment,) = list(with_pdf.iter_attachments())
    assert attachment.get_filename() == "Potwierdzenie wpłaty FV 2026-11-044.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF-1.4")
    body = with_pdf.get_body(preferencelist=("plain",))
    assert "potwierdzenie przelewu" in body.get_content()
    assert with_pdf["References"] is None

    quoting = parse("reply-pl-quoting-demand.eml")
    ours = SAMPLES["reply-pl-quoting-demand.eml"][3]
    assert quoting["In-Reply-To"] == ours and quoting["References"] == ours
    text = quoting.get_content()
    assert "zapłacimy do 15 grudnia 2026 r." in text
    assert "> WEZWANIE DO ZAPŁATY" in text


def test_heuristic_detectors_skip_hyphenated_domains():
    """A known limit of flufl.bounce 6.0.0 (docs/inbox.md): its heuristic detectors
    check addresses against ``simplematch.VALID``, whose domain part has no hyphen. The
    old Exim bounce is found only through its X-Failed-Recipients header; without it,
    the same text yields the address only when the domain has no hyphen. If this test
    starts failing, flufl.bounce has changed and the docs should say so."""
    raw = (DATA / "bounce-exim-legacy-plain.eml").read_bytes()
    headerless = raw.replace(b"X-Failed-Recipients: biuro@dabrowski-budowa.pl\n", b"")
    assert headerless != raw

    def parsed(data: bytes) -> Message:
        return email.message_from_bytes(data, policy=policy.default)

    assert all_failures(parsed(headerless)) == (frozenset(), frozenset())
    unhyphenated = headerless.replace(b"dabrowski-budowa.pl", b"dabrowskibudowa.pl")
    assert all_failures(parsed(unhyphenated)) == (frozenset(), {b"biuro@dabrowskibudowa.pl"})
