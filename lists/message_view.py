"""A stored message read back for people: its headers and its plain-text body, decoded
from the exact RFC 5322 text that was handed to the transport (``Message.raw``), so
what the screen shows is what the customer received."""

from __future__ import annotations

from dataclasses import dataclass
from email import message_from_string
from email.message import EmailMessage
from email.policy import default

from ..dunning.letters import letter_from_json
from ..i18n import N_, Words, words
from ..i18n import language as interface_language
from ..ledger.event_words import failure_text
from ..ledger.names import day_text
from ..models import Message, MessageRecipient, RecipientState
from .letter_queue import letter_text

SHOWN_HEADERS = ("From", "To", "Date", "Subject", "Message-ID")

# Each address's outcome (``models.RecipientState``), by its name.
RECIPIENT_STATE_NAMES = {
    RecipientState.ACCEPTED: N_("accepted by the server"),
    RecipientState.DEFERRED: N_("to retry"),
    RecipientState.REFUSED: N_("refused by the server"),
    RecipientState.SENDING: N_("being sent"),
    RecipientState.IN_DOUBT: N_("delivery in doubt"),
    RecipientState.WITHDRAWN: N_("not sent any more: a document changed"),
    RecipientState.BOUNCED: N_("accepted, then bounced: not delivered"),
}


@dataclass(frozen=True)
class RecipientView:
    """One address of a message: what the server said to it, and how many tries."""

    address: str
    state: str
    reply: str
    attempts: int


def recipients_of(message_id: int) -> tuple[RecipientView, ...]:
    rows = (MessageRecipient.select().where(MessageRecipient.message == message_id)
            .order_by(MessageRecipient.id))
    return tuple(RecipientView(r.address, r.state, r.reply, r.attempts) for r in rows)


def recipient_line(view: RecipientView, language: str | None = None) -> str:
    """``b@firma.pl — to retry (tried 1 time): 451 4.7.1 Greylisted`` in the reader's
    language; the server's own words stay as it wrote them."""
    w: Words = words(language or interface_language())
    english = RECIPIENT_STATE_NAMES.get(view.state)
    state = w.t(english) if english else w.t("unknown ({code})", code=view.state)
    tries = w.tn("{n} try", "{n} tries", view.attempts)
    line = w.t("{address} — {state} ({tries})", address=view.address, state=state,
               tries=tries)
    return f"{line}: {failure_text(view.reply, w.language)}" if view.reply else line


def error_text(text: str, language: str | None = None) -> str:
    """A message's stored ``last_error`` in the reader's words (the server's reply in it
    as written): ``event_words.failure_text`` in the interface language by default."""
    return failure_text(text, language or interface_language()) if text else ""


@dataclass(frozen=True)
class MessageView:
    id: int
    state: str
    headers: tuple[tuple[str, str], ...]
    text: str
    attempts: int
    last_error: str
    # Each address's outcome, once the message met a server (none before).
    recipients: tuple[RecipientView, ...] = ()


def _body(parsed: EmailMessage) -> str:
    part = parsed.get_body(preferencelist=("plain", "html"))
    # Mail lines end in CRLF on the wire; a screen wants plain newlines.
    return part.get_content().replace("\r\n", "\n") if part is not None else ""


def read_message(message: Message) -> MessageView:
    """Headers and text of a message; one not rendered yet shows its subject only; a
    letter (issue 16) its recipient, title and text as its PDF prints them."""
    if message.is_letter and message.raw:
        return _read_letter(message)
    if not message.raw:
        headers: tuple[tuple[str, str], ...] = (
            ("To", ", ".join(message.recipients.splitlines())), ("Subject", message.subject))
        return MessageView(message.id, message.state, headers, "", message.attempts,
                           message.last_error)
    parsed = message_from_string(message.raw, policy=default)
    headers = tuple((name, str(parsed[name])) for name in SHOWN_HEADERS if parsed[name])
    return MessageView(message.id, message.state, headers, _body(parsed), message.attempts,
                       message.last_error, recipients_of(message.id))


def _read_letter(message: Message) -> MessageView:
    data = letter_from_json(message.raw)
    headers = (("To", ", ".join((data.recipient_name, *data.recipient_address))),
               ("Date", day_text(data.date)), ("Subject", data.title))
    return MessageView(message.id, message.state, headers, "\n".join(letter_text(data)),
                       message.attempts, message.last_error)


def unaccepted_text(counts: tuple[tuple[str, int], ...], language: str | None = None) -> str:
    """How many addresses of a message did not accept it (yet), for a list's cell:
    ``1 address to retry``; "" when every address accepted it."""
    w = words(language or interface_language())
    parts = []
    for state, n in counts:
        if state == RecipientState.DEFERRED:
            parts.append(w.tn("{n} address to retry", "{n} addresses to retry", n))
        elif state == RecipientState.REFUSED:
            parts.append(w.tn("{n} address refused", "{n} addresses refused", n))
        elif state == RecipientState.IN_DOUBT:
            parts.append(w.tn("{n} address in doubt", "{n} addresses in doubt", n))
        elif state == RecipientState.WITHDRAWN:
            parts.append(w.tn("{n} address not sent any more", "{n} addresses not sent any more",
                              n))
        else:
            parts.append(w.tn("{n} address being sent", "{n} addresses being sent", n))
    return ", ".join(parts)
