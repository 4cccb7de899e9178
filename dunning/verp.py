"""VERP: a return path per message, so that a bounce names the message it is about even
when the reporting server returns nothing of the original (RFC 5321 §4.5.5: bounces go to
the envelope sender; "variable envelope return path").

With ``smtp.verp`` on, a reminder or demand goes out with the envelope sender
``windykacja+b<token>@firma.pl`` for the sender ``windykacja@firma.pl``, where the token
is the first ``TOKEN_LENGTH`` hex digits of the message's own random Message-ID
(``email_build.new_message_id``). The bounce comes back to that address — the mail
server must deliver ``+`` addresses to the sender's mailbox (Postfix
``recipient_delimiter = +``, Gmail, Microsoft 365 and most hosts do) — and the inbox
finds the message by the token. The token is 64 random bits, not the message's number,
so nobody can forge a bounce of a message they never saw.
"""

from __future__ import annotations

import re

TOKEN_LENGTH = 16
_MESSAGE_ID = re.compile(r"^<([0-9a-f]{32})@")
_TOKEN = re.compile(rf"\+b([0-9a-f]{{{TOKEN_LENGTH}}})@", re.IGNORECASE)


def verp_sender(sender: str, message_id: str) -> str:
    """The envelope sender for the message ``message_id`` (``sender`` itself when the
    Message-ID is not one of ours or the sender has no ``@``)."""
    found = _MESSAGE_ID.match(message_id)
    local, at, domain = sender.rpartition("@")
    if not found or not at or not local:
        return sender
    return f"{local}+b{found[1][:TOKEN_LENGTH]}@{domain}"


def verp_token(address: str) -> str | None:
    """The token of a VERP address (``windykacja+b0123…@firma.pl``), lower-cased."""
    found = _TOKEN.search(address)
    return found[1].lower() if found else None


def message_id_prefix(token: str) -> str:
    """What the Message-ID of the token's message starts with."""
    return f"<{token}"
