"""Attachments on a composed message: multipart/mixed, the text first, files intact."""

from __future__ import annotations

import datetime as dt
import email
import json
from email.policy import default

from windykacja.dunning.email_build import compose, message_to_text


def _compose(**extra):
    return message_to_text(compose(
        sender_name="Dział należności", sender_email="windykacja@firma.pl",
        recipients=["przyjecia@agencja.pl"], subject="Zlecenie — sprawa 7",
        text="Treść zlecenia\n", html="<p>Treść zlecenia</p>\n", message_id="<7@firma.pl>",
        date=dt.datetime(2026, 11, 23, 9, 0), **extra))


def test_without_attachments_the_message_stays_alternative():
    parsed = email.message_from_string(_compose(), policy=default)
    assert parsed.get_content_type() == "multipart/alternative"
    assert list(parsed.iter_attachments()) == []


def test_attachments_make_it_mixed_with_the_alternative_first_and_round_trip():
    csv_text = "dłużnik;kwota\nŁódź Sp. z o.o.;1 234,56\n"
    raw = _compose(attachments=[
        ("case-7.csv", "text/csv; charset=utf-8", csv_text.encode("utf-8")),
        ("case-7.json", "application/json", json.dumps({"case": 7}).encode()),
    ])
    assert raw.isascii() and max(len(line) for line in raw.splitlines()) <= 78
    parsed = email.message_from_string(raw, policy=default)
    assert parsed.get_content_type() == "multipart/mixed"
    first = next(parsed.iter_parts())
    assert first.get_content_type() == "multipart/alternative"
    assert parsed.get_body(("plain",)).get_content().strip() == "Treść zlecenia"
    files = {part.get_filename(): part for part in parsed.iter_attachments()}
    assert files["case-7.csv"].get_content().replace("\r\n", "\n") == csv_text
    assert json.loads(files["case-7.json"].get_content()) == {"case": 7}
