"""A stored message read back for people: its headers and its plain-text body, decoded
from the exact RFC 5322 text that was handed to the transport (``Message.raw``), so
what the screen shows is what the customer received."""

from __future__ import annotations

from dataclasses import dataclass
from email import message_from_string
from email.message import EmailMessage
from email.policy import default

from ..models import Message

SHOWN_HEADERS = ("From", "To", "Date", "Subject", "Message-ID")


@dataclass(frozen=True)
class MessageView:
    id: int
    state: str
    headers: tuple[tuple[str, str], ...]
    text: str
    attempts: int
    last_error: str


def _body(parsed: EmailMessage) -> str:
    part = parsed.get_body(preferencelist=("plain", "html"))
    # Mail lines end in CRLF on the wire; a screen wants plain newlines.
    return part.get_content().replace("\r\n", "\n") if part is not None else ""


def read_message(message: Message) -> MessageView:
    """Headers and text of a message; one not rendered yet shows its subject only."""
    if not message.raw:
        headers = (("To", ", ".join(message.recipients.splitlines())),
                   ("Subject", message.subject))
        return MessageView(message.id, message.state, headers, "", message.attempts,
                           message.last_error)
    parsed = message_from_string(message.raw, policy=default)
    headers = tuple((name, str(parsed[name])) for name in SHOWN_HEADERS if parsed[name])
    return MessageView(message.id, message.state, headers, _body(parsed), message.attempts,
                       message.last_error)
