"""Incoming mail for the inbox tests: a sample bounce to aim at one of our messages, and
replies written with the standard library."""

from __future__ import annotations

import datetime as dt
import random
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

DATA = Path(__file__).parent / "inbox" / "data"
BOUNCE = (DATA / "bounce-postfix-5.1.1.eml").read_bytes()
SAMPLE_ID = b"<5b1f0c3e8d2a4e6f9a7c1b3d5e7f9a2c@przykladowa-firma.pl>"
SAMPLE_ADDRESS = b"biuro@stolarnia-kowalski.pl"


def bounce_of(message_id: str, address: str) -> bytes:
    """The Postfix sample as a bounce of our message ``message_id`` sent to ``address``."""
    return BOUNCE.replace(SAMPLE_ID, message_id.encode()).replace(SAMPLE_ADDRESS,
                                                                 address.encode())


def mail(sender, subject, body, in_reply_to="", message_id=None, date=None, **headers):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "windykacja@przykladowa.pl"
    message["Subject"] = subject
    message["Date"] = format_datetime(date or dt.datetime(2026, 11, 24, 10, 0,
                                                           tzinfo=dt.UTC))
    message["Message-ID"] = message_id or f"<{random.getrandbits(64):x}@debtor.pl>"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    for key, value in headers.items():
        message[key.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()
