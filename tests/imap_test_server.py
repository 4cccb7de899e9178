"""A real IMAP server for tests: Dovecot (Debian's ``dovecot-imapd``) on 127.0.0.1.

``DovecotServer`` writes its own configuration into a fresh temporary folder and starts
Dovecot there on two free ports of 127.0.0.1: plain IMAP and IMAP over TLS (``imaps``,
a self-signed certificate for 127.0.0.1 made with ``openssl``). Nothing of the system's
Dovecot is used or touched (``/etc/dovecot``, ``/run/dovecot``, ports 143/993).

Any user name logs in with ``IMAP_TEST_PASSWORD`` (Dovecot's static passdb; another one,
without spaces, with ``DovecotServer(password=...)``) and gets a mailbox of its own (a
Maildir under the temporary folder), so every test takes a fresh user from
``server.mailbox()`` and needs no cleaning up. A wrong password is refused
(``AUTHENTICATIONFAILED``) after half a second, without the growing penalty Dovecot
gives an address that keeps trying.

Use it through the fixtures ``dovecot`` (one server per test session) and ``imap_mailbox``
(a fresh user on it) in tests/conftest.py, or::

    with DovecotServer() as server:
        box = server.mailbox()
        uid = box.append(b"From: ...\\r\\n\\r\\nbody\\r\\n")

Where Dovecot is not installed (``.ci/imap.sh`` installs it) or cannot start,
``start()`` raises ``DovecotUnavailable`` with the reason and the fixtures skip with it.
As root, Dovecot runs as it does on a mail server (master as root, logins as
``dovenull``, mail as ``nobody``); as any other user it runs "rootless", every process
as that user. ``WINDYKACJA_TEST_DOVECOT`` may name the ``dovecot`` binary.

Run ``python tests/imap_test_server.py`` to get a server by hand (Ctrl+C stops it).
"""

from __future__ import annotations

import contextlib
import ctypes
import grp
import imaplib
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
IMAP_TEST_PASSWORD = "tajne-imap-123"
DOVECOT_ENV = "WINDYKACJA_TEST_DOVECOT"

def _die_with_parent() -> None:
    """In the server's process before it starts (Linux): SIGKILL when the process that
    started it ends, even by SIGKILL, so that an interrupted test run leaves no server
    behind. Dovecot's own processes end when their master does."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class DovecotUnavailable(RuntimeError):
    """No Dovecot here, or it would not start; the message says why."""


def dovecot_binary() -> str | None:
    """The ``dovecot`` program: $WINDYKACJA_TEST_DOVECOT, else on PATH, else Debian's
    /usr/sbin/dovecot (not on an ordinary user's PATH)."""
    named = os.environ.get(DOVECOT_ENV, "").strip()
    if named:
        return named if os.access(named, os.X_OK) else None
    found = shutil.which("dovecot")
    if found:
        return found
    return "/usr/sbin/dovecot" if os.access("/usr/sbin/dovecot", os.X_OK) else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _accepts(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
        return True
    return False


@dataclass(frozen=True)
class ImapMailbox:
    """One user's mailbox on the test server: where it is, how to log in, and ways to put
    mail into it the way a mail server would."""

    server: DovecotServer
    user: str
    password: str = IMAP_TEST_PASSWORD

    @property
    def host(self) -> str:
        return HOST

    @property
    def port(self) -> int:
        """Plain IMAP (no TLS)."""
        return self.server.port

    @property
    def tls_port(self) -> int:
        """IMAP over TLS from the first byte (imaps), a self-signed certificate."""
        return self.server.tls_port

    @property
    def cafile(self) -> Path:
        """The server's certificate: trust it with ``ssl_context()`` or SSL_CERT_FILE."""
        return self.server.certificate

    @property
    def url(self) -> str:
        """``imap://user@127.0.0.1:port/INBOX`` (no TLS; the password is not in it)."""
        return f"imap://{self.user}@{HOST}:{self.port}/INBOX"

    @property
    def imaps_url(self) -> str:
        """``imaps://user@127.0.0.1:port/INBOX`` (TLS; trust ``cafile``)."""
        return f"imaps://{self.user}@{HOST}:{self.tls_port}/INBOX"

    @property
    def maildir(self) -> Path:
        """The user's Maildir on disk (INBOX; other folders are ``.Name`` inside it)."""
        return self.server.folder / "mail" / self.user / "Maildir"

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that verifies the server against its own certificate."""
        return ssl.create_default_context(cafile=str(self.cafile))

    @contextlib.contextmanager
    def connect(self):
        """A logged-in ``imaplib.IMAP4`` on the plain port (for the test's own checks).
        AUTHENTICATE PLAIN, which carries any password in UTF-8 (LOGIN only ASCII)."""
        connection = imaplib.IMAP4(HOST, self.port, timeout=10)
        try:
            secret = f"\0{self.user}\0{self.password}".encode()
            connection.authenticate("PLAIN", lambda challenge: secret)
            yield connection
        finally:
            with contextlib.suppress(Exception):
                connection.logout()

    def append(self, raw: bytes, folder: str = "INBOX", flags: str = "") -> int:
        """Delivers one RFC 5322 message (bytes as they came over SMTP) by IMAP APPEND;
        returns its UID. ``folder`` is created when missing."""
        with self.connect() as connection:
            return self._append(connection, raw, folder, flags)

    def append_many(self, raws: Iterable[bytes], folder: str = "INBOX") -> list[int]:
        """Several messages over one connection; their UIDs in order."""
        with self.connect() as connection:
            return [self._append(connection, raw, folder, "") for raw in raws]

    @staticmethod
    def _append(connection: imaplib.IMAP4, raw: bytes, folder: str, flags: str) -> int:
        if folder.upper() != "INBOX":
            connection.create(folder)  # NO [ALREADYEXISTS] when it is there: fine
        typ, data = connection.append(folder, f"({flags})" if flags else None, None, raw)
        if typ != "OK":
            raise RuntimeError(f"APPEND to {folder} failed: {data!r}")
        found = re.search(rb"\[APPENDUID \d+ (\d+)\]", data[0] or b"")
        if not found:
            raise RuntimeError(f"APPEND gave no APPENDUID: {data!r}")
        return int(found.group(1))

    def drop_into_maildir(self, raws: Iterable[bytes]) -> int:
        """Writes messages straight into the INBOX Maildir's ``new/`` as a delivery agent
        does (fast: 10,000 messages in a second or two, where APPEND takes far longer);
        Dovecot gives them UIDs when a client next looks. Returns how many were written."""
        new, tmp = self.maildir / "new", self.maildir / "tmp"
        for part in (new, tmp, self.maildir / "cur"):
            part.mkdir(parents=True, exist_ok=True)
        owner = self.server.mail_owner
        count = 0
        stamp = int(time.time())
        for count, raw in enumerate(raws, start=1):
            name = f"{stamp}.M{count}P{os.getpid()}R{uuid.uuid4().hex[:8]}.windykacja-test"
            (tmp / name).write_bytes(raw)
            if owner:
                os.chown(tmp / name, *owner)
            os.rename(tmp / name, new / name)
        if owner:
            for path in [self.maildir.parent, self.maildir, *self.maildir.iterdir()]:
                os.chown(path, *owner)
        return count

    def set_uidvalidity(self, value: int, folder: str = "INBOX") -> None:
        """Gives ``folder`` a new UIDVALIDITY, as a server does after its index is rebuilt
        or the mailbox is restored: every UID a client kept is then meaningless."""
        self.server.doveadm("mailbox", "update", "-u", self.user, "--uid-validity",
                            str(value), folder)

    def disconnect_clients(self) -> int:
        """Drops every open IMAP connection of this user (``doveadm kick``), as a server
        restart or a network cut would; returns how many users were kicked (0 or 1)."""
        return 0 if self.server.doveadm("kick", self.user, ok=(0, 68)) == "" else 1


class DovecotServer:
    """A throw-away Dovecot on 127.0.0.1 (see the module's docstring)."""

    def __init__(
        self, without_capabilities: Iterable[str] = (), password: str = IMAP_TEST_PASSWORD
    ) -> None:
        self.without = {c.upper() for c in without_capabilities}
        self.password = password  # every user's; a non-ASCII one needs AUTHENTICATE PLAIN
        self.capabilities: list[str] | None = None  # imap_capability, when some are held back
        self.folder = Path()
        self.port = 0
        self.tls_port = 0
        self.binary = ""
        self.version = ""
        self.mail_owner: tuple[int, int] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._running = False

    # -- starting and stopping ---------------------------------------------------------

    def start(self, attempts: int = 3) -> DovecotServer:
        binary = dovecot_binary()
        if binary is None:
            where = os.environ.get(DOVECOT_ENV) or "dovecot on PATH or /usr/sbin/dovecot"
            raise DovecotUnavailable(
                f"Dovecot is not installed ({where}): no IMAP server to test against; "
                ".ci/imap.sh installs Debian's dovecot-imapd"
            )
        if shutil.which("openssl") is None:
            raise DovecotUnavailable("openssl is not installed: no certificate for imaps")
        self.binary = binary
        self.version = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        self.folder = Path(tempfile.mkdtemp(prefix="windykacja-imap-"))
        self.folder.chmod(0o755)  # the login and mail users pass through it
        try:
            self._make_certificate()
            self._launch(attempts)
            if self.without:
                # Dovecot can only be told the whole list (imap_capability): ask this
                # Dovecot what it offers, then start it again offering the rest.
                offered = self._offered_capabilities()
                self._kill()
                self.capabilities = [c for c in offered if c.upper() not in self.without]
                self._launch(attempts)
            return self
        except BaseException:
            self.stop()
            raise

    def _launch(self, attempts: int) -> None:
        for _attempt in range(attempts):
            self.port, self.tls_port = _free_port(), _free_port()
            self._write_config()
            if self._run_master():
                self._running = True
                return
        self._running = False
        raise DovecotUnavailable(f"Dovecot ({self.binary}) did not start:\n{self._log_tail()}")

    def _offered_capabilities(self) -> list[str]:
        with self.mailbox("capabilities").connect() as connection:
            typ, data = connection.capability()
        return data[0].decode("ascii").split()

    def stop(self) -> None:
        if self._running:
            self._kill()
            self._running = False
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> DovecotServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what tests use ----------------------------------------------------------------

    @property
    def certificate(self) -> Path:
        return self.folder / "cert.pem"

    @property
    def log(self) -> Path:
        return self.folder / "dovecot.log"

    def mailbox(self, user: str | None = None) -> ImapMailbox:
        """A user of this server: a fresh, empty one unless ``user`` is named."""
        return ImapMailbox(self, user or f"skrzynka-{uuid.uuid4().hex[:10]}", self.password)

    def doveadm(self, *args: str, ok: tuple[int, ...] = (0,)) -> str:
        """Runs Dovecot's admin tool against this server; its output ("" when it ended
        with another of the ``ok`` codes, as kick's 68 "no users kicked")."""
        beside = Path(self.binary).with_name("doveadm")  # Debian: /usr/bin, not /usr/sbin
        doveadm = str(beside) if beside.exists() else shutil.which("doveadm") or "doveadm"
        done = subprocess.run(
            [doveadm, "-c", str(self.folder / "dovecot.conf"), *args],
            capture_output=True, text=True, check=False, timeout=30,
        )
        if done.returncode not in ok:
            raise RuntimeError(
                f"doveadm {' '.join(args)} ended with {done.returncode}: "
                f"{(done.stderr or done.stdout).strip()}"
            )
        return done.stdout if done.returncode == 0 else ""

    # -- inside --------------------------------------------------------------------------

    def _make_certificate(self) -> None:
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", str(self.folder / "key.pem"), "-out", str(self.certificate),
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ],
            check=True,
            capture_output=True,
        )
        (self.folder / "key.pem").chmod(0o600)

    def _users(self) -> tuple[str, str, str, tuple[int, int]]:
        """(the internal and login users' settings, mail uid=…/gid=… args, mail owner)."""
        if os.geteuid() == 0:
            # As on a mail server: Debian's package made dovecot and dovenull; mail is
            # read and written as nobody (Dovecot refuses to do that as root).
            nobody = pwd.getpwnam("nobody")
            return (
                "default_internal_user = dovecot\ndefault_login_user = dovenull\n",
                f"uid={nobody.pw_uid} gid={nobody.pw_gid}",
                (nobody.pw_uid, nobody.pw_gid),
            )
        me = pwd.getpwuid(os.geteuid())
        group = grp.getgrgid(os.getegid()).gr_name
        return (
            f"default_internal_user = {me.pw_name}\ndefault_internal_group = {group}\n"
            f"default_login_user = {me.pw_name}\n",
            f"uid={me.pw_uid} gid={os.getegid()}",
            (me.pw_uid, os.getegid()),
        )

    def _write_config(self) -> None:
        folder = self.folder
        for part in ("run", "state", "mail"):
            (folder / part).mkdir(exist_ok=True)
        users, mail_ids, owner = self._users()
        rootless = os.geteuid() != 0
        self.mail_owner = owner if os.geteuid() == 0 else None
        if self.mail_owner:
            os.chown(folder / "mail", *owner)
        capability = ""
        if self.capabilities is not None:
            capability = f"imap_capability = {' '.join(self.capabilities)}\n"
        no_chroot = (
            "service imap-login {\n  chroot =\n}\n"
            "service auth-worker {\n  user = $default_internal_user\n}\n"
            if rootless else ""
        )
        (folder / "dovecot.conf").write_text(
            f"""# A throw-away Dovecot for Windykacja's tests (tests/imap_test_server.py).
protocols = imap
listen = {HOST}
base_dir = {folder}/run
state_dir = {folder}/state
instance_name = windykacja-test-{folder.name}
log_path = {folder}/dovecot.log
{users}first_valid_uid = 1
first_valid_gid = 1
ssl = yes
ssl_cert = <{folder}/cert.pem
ssl_key = <{folder}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:~/Maildir
mail_fsync = never
{capability}protocol imap {{
  mail_max_userip_connections = 100
}}
passdb {{
  driver = static
  args = password={self.password}
}}
userdb {{
  driver = static
  args = {mail_ids} home={folder}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = {HOST}
    port = {self.port}
  }}
  inet_listener imaps {{
    address = {HOST}
    port = {self.tls_port}
    ssl = yes
  }}
}}
# No growing delay (2, 4, 8, 15 s) after a wrong password from 127.0.0.1: tests try
# wrong passwords on purpose (doc.dovecot.org, "Authentication penalty support").
service anvil {{
  {"chroot =" if rootless else ""}
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
{no_chroot}""",
            encoding="utf-8",
        )

    def _run_master(self) -> bool:
        """Starts the master in the foreground, as our child in a process group of its
        own; True once both ports answer, False when it ended (a port taken meanwhile:
        the caller tries others). Its output goes to the log file."""
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                [self.binary, "-F", "-c", str(self.folder / "dovecot.conf")],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                start_new_session=True, preexec_fn=_die_with_parent,
            )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if _accepts(self.port) and _accepts(self.tls_port):
                return True
            if self._process.poll() is not None:
                return False
            time.sleep(0.02)
        self._kill()
        return False

    def _kill(self) -> None:
        """Ends the server at once, as ``pg_ctl -m immediate`` does: nothing in it must
        survive, and a graceful SIGTERM waits seconds for connected clients. The master's
        process group (its pid, never ours) holds its helpers and the IMAP processes."""
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if os.getpgid(process.pid) == process.pid != os.getpgrp():
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)

    def _log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-15:])
        return "(no log)"


if __name__ == "__main__":
    with DovecotServer() as server:
        box = server.mailbox("ksiegowa")
        print(f"{server.version} in {server.folder}")
        print(f"  {box.url}  and  {box.imaps_url}")
        print(f"  any user, password {IMAP_TEST_PASSWORD!r}; certificate {box.cafile}")
        print("Ctrl+C stops it.")
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
