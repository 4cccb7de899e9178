"""One real test e-mail through the configured transport (Settings → SMTP).

The message goes out through ``make_transport`` exactly as a pass's messages do, so a
success here means the server, the login and the sender address work; a failure comes
back as ``TestMailError`` carrying what the server (or the system) said, with the
password never in it (the transport scrubs its own errors).

It is not stored as a collection message: it concerns no document and is no part of
the legal record.
"""

from __future__ import annotations

import html
from pathlib import Path

from ..ledger.clock import Clock
from ..ledger.settings import CollectionSettings
from .email_build import InvalidAddress, compose, message_to_text, new_message_id
from .transports import SendError, SmtpTransport, make_transport

# Wordings of the message itself, in the user's language (``report.language``).
_WORDS = {
    "pl": {
        "subject": "Windykacja: wiadomość testowa",
        "text": "To jest wiadomość testowa z programu Windykacja.\n"
                "Skoro dotarła, wysyłka e-maili działa.\n\nNadawca: {sender}\nSerwer: {where}\n",
    },
    "en": {
        "subject": "Windykacja: test e-mail",
        "text": "This is a test e-mail from Windykacja.\n"
                "If it reached you, sending e-mail works.\n\nSender: {sender}\nServer: {where}\n",
    },
}


class TestMailError(Exception):
    """The test e-mail did not go out; ``reason`` says why, in the server's words."""

    __test__ = False  # not a pytest test class, whatever its name says

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def send_test_email(
    settings: CollectionSettings,
    default_maildir: Path,
    recipient: str,
    clock: Clock,
    language: str = "pl",
) -> str:
    """Send one short message to ``recipient``; returns the server's final answer (or
    where the Maildir stored it). Raises ``TestMailError`` with the reason."""
    if not settings.sender_email:
        raise TestMailError("the sender e-mail is not set")
    words = _WORDS.get(language, _WORDS["en"])
    try:
        transport = make_transport(settings, default_maildir)
    except ValueError as exc:  # an SMTP URL or password file that cannot be used
        raise TestMailError(str(exc)) from None
    # describe() leaves the password out; the Maildir's folder is no secret.
    where = (transport.config.describe() if isinstance(transport, SmtpTransport)
             else str(transport.path))
    text = words["text"].format(sender=settings.sender_email, where=where)
    try:
        message = compose(
            sender_name=settings.sender_name or settings.company_name,
            sender_email=settings.sender_email,
            recipients=[recipient],
            subject=words["subject"],
            text=text,
            html="<p>" + "<br>\n".join(html.escape(line) for line in text.splitlines()) + "</p>",
            message_id=new_message_id(settings.sender_email.rpartition("@")[2]),
            date=clock.local_now(),
        )
    except InvalidAddress as exc:
        raise TestMailError(f"address: {exc}") from None
    try:
        with transport:
            result = transport.send(message_to_text(message), settings.sender_email,
                                    [recipient])
    except SendError as exc:
        raise TestMailError(exc.reason) from None
    if result.refused:
        raise TestMailError("; ".join(f"{r}: {a}" for r, a in result.refused.items()))
    return result.reply

