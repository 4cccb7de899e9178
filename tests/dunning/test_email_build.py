"""Building messages: encodings, structure, and no header injection through any value."""

from __future__ import annotations

import datetime as dt
import re
from email import policy
from email.header import decode_header, make_header
from email.parser import Parser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from windykacja.dunning.email_build import (
    InvalidAddress,
    compose,
    header_safe,
    message_to_text,
    new_message_id,
)

WHEN = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
HEADERS = ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"]


def build(**changes):
    fields = dict(
        sender_name="Dział należności – Żółta Łódź Sp. z o.o.",
        sender_email="windykacja@zolta-lodz.pl",
        recipients=["ksiegowosc@klient.pl", "prezes@klient.pl"],
        subject="Wezwanie do zapłaty nr 2: FV/2026/11/001 – Żółta Łódź Sp. z o.o.",
        text="Szanowni Państwo,\nzażółć gęślą jaźń: 1 234,56 PLN\n.\n",
        html="<p>Szanowni Państwo,</p><p>zażółć gęślą jaźń: <b>1 234,56 PLN</b></p>",
        message_id="<abc123@zolta-lodz.pl>",
        date=WHEN,
    )
    fields.update(changes)
    return message_to_text(compose(**fields))


def parse(raw: str):
    return Parser(policy=policy.default).parsestr(raw)


def test_a_message_is_multipart_alternative_with_polish_text_intact():
    raw = build()
    assert raw.isascii()
    assert "\r\n" in raw and "\n" not in raw.replace("\r\n", "")
    assert max(len(line) for line in raw.split("\r\n")) <= 78
    msg = parse(raw)
    assert msg.keys() == HEADERS
    assert msg.get_content_type() == "multipart/alternative"
    assert msg["Subject"] == "Wezwanie do zapłaty nr 2: FV/2026/11/001 – Żółta Łódź Sp. z o.o."
    sender = msg["From"].addresses[0]
    assert sender.addr_spec == "windykacja@zolta-lodz.pl"
    assert " ".join(sender.display_name.split()) == "Dział należności – Żółta Łódź Sp. z o.o."
    assert [a.addr_spec for a in msg["To"].addresses] == [
        "ksiegowosc@klient.pl", "prezes@klient.pl",
    ]
    assert msg["Message-ID"] == "<abc123@zolta-lodz.pl>"
    assert msg["Date"].datetime == WHEN
    plain, html = (part for part in msg.iter_parts())
    assert plain.get_content_type() == "text/plain"
    body = plain.get_content().replace("\r\n", "\n")  # the wire text keeps CRLF
    assert body == "Szanowni Państwo,\nzażółć gęślą jaźń: 1 234,56 PLN\n.\n"
    assert html.get_content_type() == "text/html"
    assert "<b>1 234,56 PLN</b>" in html.get_content()


def test_rfc_2047_decoders_read_the_display_name_exactly():
    raw = build(sender_name="Przedsiębiorstwo Handlowo-Usługowe „Żółw” Spółka Jawna Kraków")
    header = re.search(r"^From: (.*?)\r\n(?! )", raw, re.S | re.M).group(1)
    phrase = re.sub(r"\r\n ", " ", header).rsplit(" <", 1)[0]
    assert str(make_header(decode_header(phrase))) == (
        "Przedsiębiorstwo Handlowo-Usługowe „Żółw” Spółka Jawna Kraków"
    )


@pytest.mark.parametrize("breaker", ["\r\n", "\n", "\r", "\x0b", "\x0c", "\x85", "\u2028"])
def test_a_line_break_in_the_subject_or_a_name_adds_no_header(breaker):
    evil = f"ACME{breaker}Bcc: ofiara@example.com{breaker}X-Evil: 1"
    raw = build(sender_name=evil, subject=f"Wezwanie {evil}", message_id=f"<a@b>{breaker}Bcc: x@y")
    msg = parse(raw)
    assert msg.keys() == HEADERS
    assert msg["Bcc"] is None and msg["X-Evil"] is None
    assert "Bcc: ofiara@example.com" in msg["Subject"]
    assert "\n" not in msg["Subject"] and "\r" not in msg["Subject"]
    assert "Bcc: ofiara@example.com" in msg["From"].addresses[0].display_name
    for line in raw.split("\r\n"):
        assert not line.lower().startswith(("bcc:", "x-evil:"))


def test_a_line_break_in_an_address_is_refused_not_sent():
    with pytest.raises(InvalidAddress):
        build(recipients=["klient@example.com\r\nBcc: ofiara@example.com"])
    with pytest.raises(InvalidAddress):
        build(sender_email="a@b.pl\nBcc: c@d.pl")


@pytest.mark.parametrize("address", ["", "klient", "@example.com", "a@b@c.pl", "a b@c.pl",
                                     "Jan <jan@x.pl>", "łukasz@x.pl", "a,b@x.pl"])
def test_malformed_addresses_are_refused(address):
    with pytest.raises(InvalidAddress):
        build(recipients=[address])


def test_no_recipients_is_refused():
    with pytest.raises(InvalidAddress):
        build(recipients=[])


def test_an_international_domain_is_sent_as_punycode():
    msg = parse(build(recipients=["biuro@łódź.pl"]))
    assert msg["To"].addresses[0].domain == "xn--d-uga0v4h.pl"


def test_many_recipients_fold_within_78_characters():
    recipients = [f"osoba.numer.{i}@bardzo-dluga-domena-klienta.pl" for i in range(12)]
    raw = build(recipients=recipients)
    assert max(len(line) for line in raw.split("\r\n")) <= 78
    assert [a.addr_spec for a in parse(raw)["To"].addresses] == recipients


def test_a_naive_date_is_utc_and_an_aware_one_keeps_its_offset():
    naive = parse(build(date=dt.datetime(2026, 11, 23, 8, 0)))
    assert naive["Date"].datetime == WHEN
    warsaw = dt.timezone(dt.timedelta(hours=1))
    aware = parse(build(date=dt.datetime(2026, 11, 23, 9, 0, tzinfo=warsaw)))
    assert "+0100" in str(aware["Date"])


def test_message_ids_are_unique_and_well_formed():
    ids = {new_message_id("firma.pl") for _ in range(100)}
    assert len(ids) == 100
    assert all(re.fullmatch(r"<[0-9a-f]{32}@firma\.pl>", i) for i in ids)
    assert new_message_id("").endswith("@windykacja.invalid>")
    assert new_message_id("zła domena\r\nBcc: x").endswith("@windykacja.invalid>")


header_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=120
)


@settings(max_examples=300, deadline=None)
@given(subject=header_text, name=header_text)
def test_any_subject_and_name_stay_single_headers(subject, name):
    raw = build(subject=subject, sender_name=name)
    assert raw.isascii()
    assert max(len(line) for line in raw.split("\r\n")) <= 78
    msg = parse(raw)
    assert msg.keys() == HEADERS
    assert msg["Subject"] == header_safe(subject)
    display = msg["From"].addresses[0].display_name
    assert "".join(display.split()) == "".join(header_safe(name).split())
    assert msg["From"].addresses[0].addr_spec == "windykacja@zolta-lodz.pl"


def test_an_address_the_email_parser_trips_over_is_refused_in_words():
    """Python 3.11's address parser raises an AttributeError of its own on 'x@[' (found
    by the property test): refused as any malformed address, never a traceback."""
    with pytest.raises(InvalidAddress, match="is not an e-mail address"):
        build(recipients=["klient@["])
