"""Letters to a company abroad (issue 12, point 4 follow-up): a debtor with an EU or UK VAT
number and no Polish NIP is named by that number in every letter — "nr VAT UE: CZ…" /
"EU VAT no.: …", "nr VAT UK" / "UK VAT no." for a UK company — never by an empty "NIP:".
Through ``run-once`` on a real SQLite file; the letters are read from the Maildir outbox."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
from pathlib import Path

from windykacja.app import main

TODAY = dt.date(2026, 11, 23)


def letters(outbox: Path) -> dict[str, dict[str, str]]:
    """To whom → {"text": …, "html": …} for every message in the outbox."""
    found = {}
    for path in (outbox / "new").iterdir():
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        parts = {}
        for part in message.walk():
            if part.get_content_type() in ("text/plain", "text/html"):
                parts[part.get_content_subtype().replace("plain", "text")] = part.get_content()
        found[str(message["To"])] = parts
    return found


def test_a_debtor_abroad_is_named_by_its_vat_number_in_every_letter(
        collection, db_location, tmp_path):
    companies = {
        "novak@trans.cz": ("Novák Trans a.s.", "CZ57304246", "en"),
        "novak@obchod.cz": ("Novák Obchod a.s.", "CZ57304246", "pl"),
        "ap@harrison.co.uk": ("Harrison Imports Ltd", "GB980780684", "en"),
        "ap@whitmore.co.uk": ("Whitmore Components plc", "GB980780684", "pl"),
    }
    for address, (name, vat, language) in companies.items():
        company = collection.contractor(email=address, name=name, vat_eu=vat,
                                        language=language)
        collection.document(company, due=TODAY - dt.timedelta(days=30))  # a demand
        other = collection.contractor(email="r." + address, name=name, vat_eu=vat,
                                      language=language)
        collection.document(other, due=TODAY + dt.timedelta(days=3))  # a reminder
    assert main(["--db", db_location(), "--today", TODAY.isoformat(), "run-once"]) == 0
    data_home = Path(os.environ["XDG_DATA_HOME"]) / "windykacja"
    outbox = (data_home if "://" in db_location() else tmp_path) / "outbox"
    sent = letters(outbox)
    expected = {
        "novak@trans.cz": "EU VAT no.: CZ57304246", "r.novak@trans.cz": "EU VAT no. CZ57304246",
        "novak@obchod.cz": "nr VAT UE: CZ57304246", "r.novak@obchod.cz": "nr VAT UE CZ57304246",
        "ap@harrison.co.uk": "UK VAT no.: GB980780684",
        "r.ap@harrison.co.uk": "UK VAT no. GB980780684",
        "ap@whitmore.co.uk": "nr VAT UK: GB980780684",
        "r.ap@whitmore.co.uk": "nr VAT UK GB980780684",
    }
    assert set(sent) == set(expected)
    for address, words in expected.items():
        for part, body in sent[address].items():
            assert words in body, (address, part)
            assert "NIP: \n" not in body and "NIP: <br>" not in body and "(NIP )" not in body
