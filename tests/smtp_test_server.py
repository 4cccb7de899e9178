"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, on a free port, in a thread.

``SmtpTestServer`` records every message it accepts (envelope sender, recipients, the
exact bytes and the user that logged in), counts connections, and can be told to
answer badly: a code for chosen recipients at RCPT time, a code for the DATA of the
next N messages, or to drop every open connection. With ``users`` it offers AUTH
PLAIN and LOGIN without TLS and accepts only those user/password pairs.

Use it through the ``smtp_server`` fixture (tests/conftest.py), or::

    with SmtpTestServer() as server:
        ...  # server.host, server.port, server.messages
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import socket
import ssl
import subprocess
import threading
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"
SMTP_TEST_USER = "robot@naszafirma.pl"
SMTP_TEST_PASSWORD = "tajne-hasło-123"


@dataclass(frozen=True)
class ReceivedMessage:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes
    login: str | None

    def parsed(self) -> EmailMessage:
        return email.message_from_bytes(self.content, policy=policy.default)


class RecordingHandler:
    """aiosmtpd handler: records, refuses on demand, counts sessions."""

    def __init__(self) -> None:
        self.messages: list[ReceivedMessage] = []
        self.rcpt_replies: dict[str, str] = {}
        self.data_replies: deque[str] = deque()
        self.sessions: list[object] = []
        self.servers: list[object] = []
        self.logins: list[str] = []
        # Seconds to wait after taking a message in, before answering 250: a slow server
        # keeps a client between "sent" and "acknowledged", where crash tests kill it.
        self.delay = 0.0
        # Called with the recipients of each message as it is taken in (in the server's
        # thread): a test looks at what the sender had committed at that moment.
        self.on_data: Callable[[tuple[str, ...]], None] | None = None
        self._lock = threading.Lock()

    def _note(self, server, session) -> None:
        with self._lock:
            if not any(s is session for s in self.sessions):
                self.sessions.append(session)
                self.servers.append(server)

    async def handle_HELO(self, server, session, envelope, hostname):
        self._note(server, session)
        session.host_name = hostname
        return f"250 {server.hostname}"

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self._note(server, session)
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.rcpt_replies.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            reply = self.data_replies.popleft() if self.data_replies else None
        if reply is not None:
            return reply
        auth = session.auth_data
        login = auth.login.decode() if isinstance(auth, LoginPassword) else None
        self.messages.append(
            ReceivedMessage(
                mail_from=envelope.mail_from,
                rcpt_tos=tuple(envelope.rcpt_tos),
                content=bytes(envelope.original_content or envelope.content),
                login=login,
            )
        )
        if self.on_data is not None:
            self.on_data(tuple(envelope.rcpt_tos))
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


class _Controller(Controller):
    """Binds port 0 and learns the real port before aiosmtpd's start-up probe."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        return super()._trigger_server()


class SmtpTestServer:
    """``users``: accepted logins. ``tls``: a server SSLContext, offered with STARTTLS,
    or from the first byte with ``implicit_tls=True`` (as smtps:// on port 465)."""

    def __init__(
        self,
        users: dict[str, str] | None = None,
        *,
        tls: ssl.SSLContext | None = None,
        implicit_tls: bool = False,
    ) -> None:
        self.handler = RecordingHandler()
        self.users = dict(users or {})
        kwargs: dict = {}
        if self.users:
            kwargs.update(authenticator=self._authenticate, auth_require_tls=False)
        if tls is not None and implicit_tls:
            kwargs["ssl_context"] = tls
        elif tls is not None:
            kwargs.update(tls_context=tls, require_starttls=False)
        self._controller = _Controller(self.handler, hostname=HOST, port=0, **kwargs)
        self.host = HOST
        self.port = 0

    # lifecycle

    def start(self) -> SmtpTestServer:
        with warnings.catch_warnings():  # "AUTH without TLS" is the point here
            warnings.simplefilter("ignore")
            self._controller.start()
        self.port = self._controller.port
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> SmtpTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # what happened

    @property
    def messages(self) -> list[ReceivedMessage]:
        return list(self.handler.messages)

    @property
    def connections(self) -> int:
        """Connections that greeted us (EHLO/HELO); the start-up probe is not one."""
        return len(self.handler.sessions)

    @property
    def logins(self) -> list[str]:
        return list(self.handler.logins)

    # misbehaving on request

    @property
    def delay(self) -> float:
        return self.handler.delay

    @delay.setter
    def delay(self, seconds: float) -> None:
        self.handler.delay = seconds

    def refuse_recipient(self, address: str, reply: str = "550 5.1.1 Mailbox unavailable"):
        self.handler.rcpt_replies[address.lower()] = reply

    def fail_next_data(self, reply: str, count: int = 1) -> None:
        """Answer the DATA of the next ``count`` messages with ``reply`` (e.g. 451)."""
        for _ in range(count):
            self.handler.data_replies.append(reply)

    def disconnect_all(self) -> None:
        """Close every open client connection from the server side, and wait for it."""

        async def close() -> None:
            for server in self.handler.servers:
                transport = getattr(server, "transport", None)
                if transport is not None:
                    transport.close()
            await asyncio.sleep(0.05)

        asyncio.run_coroutine_threadsafe(close(), self._controller.loop).result(timeout=5)

    # AUTH

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            user = auth_data.login.decode()
            if self.users.get(user) == auth_data.password.decode():
                self.handler.logins.append(user)
                return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connecting is refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never says a word (a hung server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        sock.listen(8)
        yield sock.getsockname()[1]


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 made with the ``openssl`` command;
    returns (certificate, key). Raises FileNotFoundError without openssl."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def server_tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context
