"""Handing finished messages to the world: SMTP, or a local Maildir outbox (SPEC §5).

Both transports are context managers with one method, ``send(raw, sender,
recipients) -> SendResult``; one transport object serves one pass. A failure is a
``SendError`` whose class tells the outbox what to do:

* ``RetryableSendError`` — try again on a later pass: the server could not be reached
  or timed out, dropped the connection before the message was complete, or answered
  4xx. ``TransportUnavailable`` is the kind that concerns every message (connection
  or login failed); the transport then fails the rest of the pass at once instead of
  waiting for a timeout per message.
* ``PermanentSendError`` — a person must act: a 5xx answer, every recipient refused
  with 5xx, a malformed address.
* ``InDoubtSendError`` — the whole message went out but the server's answer never
  came (connection lost or timed out after the final dot). It may have been
  delivered; like a message whose sender died mid-send it must not be resent
  automatically.

An error's text is stored (the message's ``last_error``, the ``send_failed`` event) in a
fixed English shape around the server's or the system's own words — ``every recipient
refused: a@b.pl: 550 …``, ``cannot connect to host:port: …`` — which
``event_words.FAILURE_FORMS`` reads back in the reader's language: change both together
(tests/dunning/test_failure_words.py sends through these transports to check).

The SMTP password comes from the URL, else ``$WINDYKACJA_SMTP_PASSWORD``, else a file
only its owner can read. It is kept out of every repr, message and log line.
"""

from __future__ import annotations

import base64
import mailbox
import os
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..ledger.settings import CollectionSettings
from ..ledger.smtp_url import SmtpConfig, parse_smtp_url
from .email_build import InvalidAddress, normalise_address

# --- results and errors -------------------------------------------------------------


@dataclass(frozen=True)
class SendResult:
    """A message accepted. ``refused``: recipients the server refused while it
    accepted others (address → the server's answer); ``reply``: the final answer
    (SMTP) or where the message was stored (Maildir)."""

    refused: dict[str, str] = field(default_factory=dict)
    reply: str = ""


class SendError(Exception):
    """A message not handed over; ``reason`` is what the server (or system) said.
    ``refused``: when every recipient was refused, each one's answer (address → reply),
    so that the outbox records each recipient's outcome; empty for a failure that
    concerned the whole message (connection, DATA)."""

    def __init__(self, reason: str, *, code: int | None = None,
                 refused: dict[str, str] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.refused = dict(refused or {})


class RetryableSendError(SendError):
    """Try again on a later pass."""


class TransportUnavailable(RetryableSendError):
    """The server could not be reached or refused the login: nothing is wrong with
    the message, and the rest of the pass would fail the same way."""


class PermanentSendError(SendError):
    """The server refused the message for good; a person must look at it."""


class InDoubtSendError(SendError):
    """The message was transmitted but its acceptance was never confirmed."""


class Transport(Protocol):
    """What a pass sends through (SmtpTransport, MaildirTransport, the demo's past): entered
    once per pass, ``send`` per message; leaving it never swallows an error."""

    def __enter__(self) -> Transport: ...

    def __exit__(self, *exc: object) -> None: ...

    def send(self, raw: str, sender: str, recipients: list[str]) -> SendResult: ...


#: How the worker (and the agency's e-mail gateway) gets a pass's transport: from the
#: settings and the folder of the local outbox used when no other is set. ``make_transport``.
TransportFactory = Callable[[CollectionSettings, Path], Transport]


# --- SMTP ---------------------------------------------------------------------------


class _Dropped(Exception):
    """The connection was lost before the message body went out: safe to retry."""


_CRLF = re.compile(r"\r\n|\r|\n")


def _wire(raw: str) -> bytes:
    """CRLF line ends and dot-stuffing, ending with the terminating dot line."""
    text = _CRLF.sub("\r\n", raw)
    if not text.endswith("\r\n"):
        text += "\r\n"
    text = re.sub(r"(?m)^\.", "..", text)
    return (text + ".\r\n").encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _reply_text(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}".strip()


def _check_envelope_address(address: str) -> str:
    """The address as SMTP needs it (IDN domain in punycode), or PermanentSendError."""
    try:
        return normalise_address(address)
    except InvalidAddress as exc:
        raise PermanentSendError(f"malformed address: {exc}") from None


class SmtpTransport:
    """One SMTP connection per pass, opened on the first ``send``.

    ``with SmtpTransport(config) as transport: transport.send(...)``. A connection that
    the server dropped between two messages is reopened once; a 421 answer closes it
    (the next message opens a new one).
    """

    def __init__(self, config: SmtpConfig, *, local_hostname: str | None = None) -> None:
        self.config = config
        self.local_hostname = local_hostname
        self.connections_opened = 0
        self._conn: smtplib.SMTP | None = None
        self._unavailable: TransportUnavailable | None = None

    def __repr__(self) -> str:
        return f"SmtpTransport({self.config.describe()})"

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.quit()
        except (smtplib.SMTPException, OSError):
            conn.close()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def _scrub(self, text: str) -> str:
        password = self.config.password
        return text.replace(password, "***") if password else text

    # connecting

    def _connection(self) -> smtplib.SMTP:
        if self._conn is not None and self._conn.sock is not None:
            return self._conn
        self._conn = None
        if self._unavailable is not None:
            raise TransportUnavailable(self._unavailable.reason, code=self._unavailable.code)
        try:
            self._conn = self._open()
        except TransportUnavailable as exc:
            self._unavailable = exc
            raise
        return self._conn

    def _open(self) -> smtplib.SMTP:
        cfg = self.config
        where = f"{cfg.host}:{cfg.port}"
        # Only for TLS: loading the system's certificates took 30-150 ms of every pass
        # that sends over a plain connection (a local relay), which never uses them.
        context = ssl.create_default_context() if cfg.security in ("tls", "starttls") else None
        conn: smtplib.SMTP | None = None
        try:
            if cfg.security == "tls":
                conn = smtplib.SMTP_SSL(
                    cfg.host, cfg.port, local_hostname=self.local_hostname,
                    timeout=cfg.timeout, context=context,
                )
            else:
                conn = smtplib.SMTP(
                    cfg.host, cfg.port, local_hostname=self.local_hostname, timeout=cfg.timeout
                )
            self.connections_opened += 1
            conn.ehlo()
            if cfg.security == "starttls":
                if not conn.has_extn("starttls"):
                    raise TransportUnavailable(f"{where} does not offer STARTTLS")
                conn.starttls(context=context)
                conn.ehlo()
            if cfg.username:
                self._login(conn)
            return conn
        except (TransportUnavailable, smtplib.SMTPException, OSError) as exc:
            self._close_quietly(conn)
            if isinstance(exc, TransportUnavailable):
                raise
            raise self._why_unavailable(exc, where) from None

    def _why_unavailable(self, exc: Exception, where: str) -> TransportUnavailable:
        """What stopped the connection from opening, in words, never with the password."""
        code = getattr(exc, "smtp_code", None)
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            text = (f"login to {where} as {self.config.username} refused: "
                    f"{_reply_text(exc.smtp_code, exc.smtp_error)}")
        elif isinstance(exc, smtplib.SMTPNotSupportedError):
            text = f"{where}: {exc}"
        elif isinstance(exc, smtplib.SMTPResponseException):
            text = f"{where} refused the connection: {_reply_text(exc.smtp_code, exc.smtp_error)}"
        else:
            text, code = f"cannot connect to {where}: {_oserror(exc)}", None
        return TransportUnavailable(self._scrub(text), code=code)

    def _login(self, conn: smtplib.SMTP) -> None:
        """``smtplib.login`` sends credentials as ASCII only; a user or password with
        Polish letters is sent as UTF-8 (RFC 4616) with AUTH PLAIN, else AUTH LOGIN."""
        user, password = self.config.username, self.config.password
        if (user + password).isascii():
            conn.login(user, password)
            return
        mechanisms = conn.esmtp_features.get("auth", "").upper().split()
        if "PLAIN" in mechanisms:
            token = _b64(b"\0" + user.encode() + b"\0" + password.encode())
            code, reply = conn.docmd("AUTH", f"PLAIN {token}")
        elif "LOGIN" in mechanisms:
            code, reply = conn.docmd("AUTH", f"LOGIN {_b64(user.encode())}")
            if code == 334:
                code, reply = conn.docmd(_b64(password.encode()))
        else:
            raise smtplib.SMTPNotSupportedError(
                "the server offers no AUTH PLAIN or LOGIN for a non-ASCII user or password"
            )
        if code not in (235, 503):  # 503: already authenticated
            raise smtplib.SMTPAuthenticationError(code, reply)

    @staticmethod
    def _close_quietly(conn: smtplib.SMTP | None) -> None:
        if conn is not None:
            conn.close()

    # sending

    def send(self, raw: str, sender: str, recipients: list[str]) -> SendResult:
        """Send one message; ``refused`` lists recipients refused while others were
        accepted (the message then counts as sent)."""
        if not recipients:
            raise PermanentSendError("the message has no recipients")
        sender = _check_envelope_address(sender)
        recipients = [_check_envelope_address(r) for r in recipients]
        data = _wire(raw)
        reused = self._conn is not None and self._conn.sock is not None
        try:
            return self._transaction(data, sender, recipients)
        except _Dropped as exc:
            self._drop()
            if not reused:
                raise RetryableSendError(self._scrub(f"connection lost: {exc}")) from None
        try:  # the server closed an idle connection: reconnect once
            return self._transaction(data, sender, recipients)
        except _Dropped as exc:
            self._drop()
            raise RetryableSendError(self._scrub(f"connection lost: {exc}")) from None

    def _command(self, conn: smtplib.SMTP, call, *args: Any) -> tuple[int, bytes]:
        try:
            return call(*args)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise _Dropped(_oserror(exc)) from None

    def _transaction(self, data: bytes, sender: str, recipients: list[str]) -> SendResult:
        conn = self._connection()
        options = []
        if conn.has_extn("size"):
            options.append(f"SIZE={len(data)}")
        if not data.isascii() and conn.has_extn("8bitmime"):
            options.append("BODY=8BITMIME")

        code, reply = self._command(conn, conn.mail, sender, options)
        if code != 250:
            self._fail(code, reply, f"sender {sender} refused")

        refused: dict[str, str] = {}
        for rcpt in recipients:
            code, reply = self._command(conn, conn.rcpt, rcpt)
            if code == 421:
                self._fail(code, reply, f"recipient {rcpt}")
            if code not in (250, 251):
                refused[rcpt] = _reply_text(code, reply)
        if len(refused) == len(recipients):
            self._reset()
            why = "; ".join(f"{r}: {answer}" for r, answer in refused.items())
            codes = [int(answer.split()[0]) for answer in refused.values()]
            error = PermanentSendError if all(c >= 500 for c in codes) else RetryableSendError
            raise error(self._scrub(f"every recipient refused: {why}"), code=codes[0],
                        refused={r: self._scrub(a) for r, a in refused.items()})

        code, reply = self._command(conn, conn.docmd, "data")
        if code != 354:
            self._fail(code, reply, "DATA refused")
        try:
            conn.send(data)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            # the final dot never arrived: the server discards the message
            self._drop()
            raise RetryableSendError(
                self._scrub(f"connection lost while sending the message: {_oserror(exc)}")
            ) from None
        try:
            code, reply = conn.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            raise InDoubtSendError(
                self._scrub(
                    "the message was sent but the server's answer never came "
                    f"({_oserror(exc)}); it may have been delivered"
                )
            ) from None
        if code != 250:
            self._fail(code, reply, "message refused")
        return SendResult(refused=refused, reply=_reply_text(code, reply))

    def _reset(self) -> None:
        conn = self._conn
        if conn is None:
            return
        try:
            conn.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def _fail(self, code: int, reply: bytes, what: str) -> None:
        reason = self._scrub(f"{what}: {_reply_text(code, reply)}")
        if code == 421:  # the server is closing the connection
            self._drop()
            raise RetryableSendError(reason, code=code)
        self._reset()
        if 500 <= code < 600:
            raise PermanentSendError(reason, code=code)
        raise RetryableSendError(reason, code=code)


def _oserror(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


# --- Maildir ------------------------------------------------------------------------


class MaildirTransport:
    """The local outbox: every message is written to ``new/`` of a Maildir folder and
    nothing leaves the machine (the default until SMTP is configured)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser()
        self._box: mailbox.Maildir | None = None

    def __repr__(self) -> str:
        return f"MaildirTransport({str(self.path)!r})"

    def __enter__(self) -> MaildirTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self._box = None

    def _mailbox(self) -> mailbox.Maildir:
        if self._box is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            box = mailbox.Maildir(self.path, factory=None, create=True)
            for sub in ("tmp", "new", "cur"):  # an existing empty folder lacks them
                (self.path / sub).mkdir(mode=0o700, exist_ok=True)
            self._box = box
        return self._box

    def send(self, raw: str, sender: str, recipients: list[str]) -> SendResult:
        if not recipients:
            raise PermanentSendError("the message has no recipients")
        try:
            key = self._mailbox().add(_CRLF.sub("\n", raw).encode("utf-8"))
        except OSError as exc:
            raise RetryableSendError(
                f"cannot write to the outbox folder {self.path}: {_oserror(exc)}"
            ) from None
        return SendResult(refused={}, reply=f"stored in {self.path / 'new' / key}")


def make_transport(
    settings: CollectionSettings, default_maildir: Path
) -> SmtpTransport | MaildirTransport:
    """SMTP when ``settings.smtp_url`` is set, else the Maildir outbox
    (``settings.outbox_maildir`` or ``default_maildir``). A ``TransportFactory``: both
    are Transports; the test e-mail reads which one to say where the message went."""
    if settings.smtp_url:
        return SmtpTransport(parse_smtp_url(settings.smtp_url))
    folder = Path(settings.outbox_maildir) if settings.outbox_maildir else default_maildir
    return MaildirTransport(folder)
