"""Reading the collection mailbox (issue 15): an IMAP folder (``imaps://…``, through
imapclient) or a local Maildir (where fetchmail or getmail deliver). This is only the
transport: it hands over each new message's raw bytes with a key that names it for good;
parsing, classifying, recording and deciding what is new are the caller's.

IMAP, in one session::

    with ImapMailbox(parse_imap_url(url)) as box:
        state = box.select()                    # UIDVALIDITY, UIDNEXT, EXISTS
        for mail in box.new_messages(after_uid=last_uid_seen):
            ...                                 # process and commit, mail by mail
        box.move_processed(up_to_uid=last_uid_committed, folder="Przetworzone")

Decisions (docs/inbox.md, "imapclient facts", has the sources):

- **Nothing is marked read.** Messages are fetched with ``BODY.PEEK`` (RFC 3501 §6.4.5)
  and the folder is opened read-only (EXAMINE) unless processed mail is being moved, so
  a person reading the same mailbox with their own client still sees what is unread,
  and reading can change nothing on the server.
- **Keys.** ``imap:<uidvalidity>:<uid>``: a UID means something only with its folder's
  UIDVALIDITY (RFC 3501 §2.3.1.1). A change of UIDVALIDITY is reported by ``select()``
  and in the keys, never interpreted here: the caller decides (e.g. falls back to the
  Message-ID). Maildir: ``maildir:<unique name>``, the file name without the ``:2,``
  flags a mail reader appends, so the key survives the move to ``cur/``.
- **The ``n:*`` trap.** ``UID SEARCH UID n:*`` always names the last message, even
  when nothing is newer than n (RFC 3501 §6.4.8): UIDs not above ``after_uid`` are
  dropped.
- **Bounded memory.** Sizes (``RFC822.SIZE``) are fetched first, ``batch`` UIDs at a
  time; then the small messages in groups of at most ``batch`` messages *and* about
  ``max_bytes`` bytes (a group of a hundred 10 MB messages would be a gigabyte), and a
  message over ``max_bytes`` alone, as its header (itself cut at ``max_bytes``) plus the
  first ``max_bytes`` of its body: ``truncated=True``, ``size`` the full size. Only one
  group is in memory at a time, and each message is let go of once handed over. UIDs
  are looked for in windows of ``SEARCH_WINDOW`` when the folder is big, because
  imaplib refuses a response line over 1 MB (a ``SEARCH`` answer naming 140,000 UIDs).
- **Timeouts.** imapclient has none by default (a silent server hangs the caller
  forever); the URL's ``timeout`` (default 30 s) is used for connecting and every read.
- **Logging in.** ``AUTHENTICATE PLAIN`` when the server offers it (UTF-8: a Polish
  password works), else ``LOGIN``, which imaplib can send in ASCII only.
- **Errors.** Every failure — no connection, a refused login, an untrusted certificate,
  a timeout, a missing folder, the connection dropped halfway — is a ``MailboxError``
  with a ``code`` (``CODES``) and a message in plain English naming the server and the
  folder, never the password. After ``unavailable`` or ``timeout`` the session is
  unusable (its state is unknown): leave the ``with`` block and connect again later.
- **Moving.** ``move_processed`` moves every message with a UID up to the one given
  (so a crash between the caller's commit and the move is mended by the next call) with
  MOVE (RFC 6851), else COPY + ``\\Deleted`` + ``UID EXPUNGE`` (UIDPLUS, RFC 4315) of
  exactly those UIDs — never a plain EXPUNGE, which would remove every message marked
  deleted, someone else's too; a server with neither is refused (``setup``). Nothing is
  ever deleted otherwise. It refuses (``folder``) when the folder's UIDVALIDITY is not
  the one the UIDs were read under: those numbers would name other messages.

Maildir (``MaildirBox``): the messages in ``new/``, oldest first; ``mark_processed``
moves one to ``cur/`` with the ``S`` (seen) flag, as a mail reader does. Only ``new/``
is read: a Maildir another mail reader also reads may have moved a message to ``cur/``
before Windykacja saw it — point Windykacja at a Maildir only it reads.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import socket
import ssl
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NoReturn

from imapclient import IMAPClient
from imapclient.exceptions import (
    CapabilityError,
    IMAPClientAbortError,
    IMAPClientError,
    LoginError,
)

from ..ledger.imap_url import PASSWORD_ENV, ImapConfig

MAX_BYTES = 10 * 1024 * 1024
SEARCH_WINDOW = 20_000  # UIDs per UID SEARCH in a big folder (a response line ≈ 150 kB)
SETS_PER_COMMAND = 500  # UID ranges per MOVE / COPY / STORE / EXPUNGE command line
CODES = ("setup", "login", "unavailable", "folder", "timeout")


@dataclass(frozen=True)
class FetchedMail:
    key: str  # "imap:<uidvalidity>:<uid>" | "maildir:<unique name>"
    uid: int | None  # the IMAP UID; None for a Maildir
    raw: bytes  # the message; when truncated its header and the start of its body
    size: int  # the full size (RFC822.SIZE / the file's size)
    truncated: bool


@dataclass(frozen=True)
class FolderState:
    uidvalidity: int
    uidnext: int  # 0 when the server did not say (RFC 3501 requires it)
    exists: int


class MailboxError(Exception):
    """The mailbox could not be read; ``code`` says what kind of trouble (``CODES``):
    ``setup`` (the settings: no password, a CA file, TLS, a server without a needed
    capability), ``login`` (refused), ``unavailable`` (no connection, or it broke),
    ``folder`` (missing, not a Maildir, renumbered), ``timeout`` (no answer in time)."""

    def __init__(self, code: str, message: str) -> None:
        if code not in CODES:
            raise ValueError(f"unknown mailbox error code {code!r}")
        super().__init__(message)
        self.code = code


# --- IMAP -----------------------------------------------------------------------------


class ImapMailbox:
    """One IMAP session on the configured folder (see the module's docstring):
    connects and logs in on ``__enter__``, logs out on ``__exit__``, even after an error."""

    def __init__(self, config: ImapConfig) -> None:
        self.config = config
        self._client: IMAPClient | None = None
        self._state: FolderState | None = None
        self._readonly = True
        self._broken = False

    @property
    def where(self) -> str:
        return f"{self.config.host}:{self.config.port}"

    # -- the session -------------------------------------------------------------------

    def __enter__(self) -> ImapMailbox:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self) -> None:
        config = self.config
        if not config.password:
            raise MailboxError(
                "setup",
                f"there is no password for {config.username} on the IMAP server "
                f"{self.where}: put it in the URL, in ${PASSWORD_ENV} or in a file named "
                "by password_file=",
            )
        context = self._ssl_context()
        self._broken = False
        with self._talking("connecting", "unavailable"):
            self._client = IMAPClient(
                config.host, port=config.port, ssl=config.security == "tls",
                ssl_context=context, timeout=config.timeout,
            )
        try:
            if config.security == "starttls":
                with self._talking("starting TLS (STARTTLS)", "setup"):
                    self._client.starttls(context)
            self._login(self._client)
        except BaseException:
            self._broken = True  # no LOGOUT into a half-open session
            self.close()
            raise

    def close(self) -> None:
        client, self._client = self._client, None
        self._state = None
        if client is None:
            return
        if not self._broken:
            with contextlib.suppress(Exception):
                client.logout()  # closes the socket too
                return
        with contextlib.suppress(Exception):
            client.shutdown()

    def _ssl_context(self) -> ssl.SSLContext | None:
        if self.config.security == "none":
            return None
        cafile = self.config.cafile or None
        try:
            return ssl.create_default_context(cafile=cafile)
        except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
            raise MailboxError(
                "setup",
                f"the CA file {cafile} for the IMAP server {self.where} cannot be used: "
                f"{_reason(exc)}",
            ) from exc

    def _login(self, client: IMAPClient) -> None:
        user, password = self.config.username, self.config.password
        with self._talking("logging in", "login"):
            if client.has_capability("AUTH=PLAIN"):
                client.plain_login(user, password)  # SASL PLAIN: UTF-8
                return
            try:
                client.login(user, password)
            except UnicodeEncodeError:
                raise MailboxError(
                    "setup",
                    f"the IMAP server {self.where} offers only LOGIN, which cannot carry a "
                    "password with letters beyond ASCII (such as Polish ones); the server "
                    "would need AUTH=PLAIN",
                ) from None

    # -- the folder --------------------------------------------------------------------

    def select(self, *, readonly: bool = True) -> FolderState:
        """Opens the configured folder — read-only (EXAMINE) unless asked otherwise —
        and says its UIDVALIDITY, UIDNEXT and number of messages."""
        client = self._session()
        folder = self.config.folder
        with self._talking(f"opening the folder {folder}", "folder"):
            info = client.select_folder(folder, readonly=readonly)
        if b"UIDVALIDITY" not in info:
            raise MailboxError(
                "folder",
                f"the IMAP server {self.where} gave no UIDVALIDITY for the folder {folder}, "
                "so its messages cannot be told apart from one session to the next",
            )
        self._readonly = readonly
        self._state = FolderState(
            uidvalidity=int(info[b"UIDVALIDITY"]),
            uidnext=int(info.get(b"UIDNEXT") or 0),
            exists=int(info.get(b"EXISTS") or 0),
        )
        return self._state

    def new_messages(
        self, after_uid: int, *, batch: int = 100, max_bytes: int = MAX_BYTES
    ) -> Iterator[FetchedMail]:
        """Every message with a UID above ``after_uid``, lowest UID first, fetched
        ``batch`` at a time (see the module's docstring for the sizes). Selects the
        folder first when ``select()`` was not called. A generator: nothing is fetched
        until it is iterated, and mail that arrives meanwhile is included."""
        if after_uid < 0 or batch < 1 or max_bytes < 1:
            raise ValueError("after_uid must be 0 or more, batch and max_bytes 1 or more")
        state = self._state or self.select()
        for uids in self._uid_windows(after_uid + 1, None, state, "looking for new mail"):
            for start in range(0, len(uids), batch):
                yield from self._fetch(uids[start:start + batch], state, max_bytes)

    def _uid_windows(
        self, first: int, last: int | None, state: FolderState, doing: str,
        criteria: Sequence[str] = (),
    ) -> Iterator[list[int]]:
        """The UIDs from ``first`` to ``last`` (None: the newest), ascending, a window of
        UIDs per UID SEARCH when the folder holds more than ``SEARCH_WINDOW`` messages."""
        client = self._session()
        end = last
        while end is None or first <= end:
            if state.exists <= SEARCH_WINDOW or not state.uidnext or first >= state.uidnext:
                upper = end  # one search is small enough
            else:
                upper = first + SEARCH_WINDOW - 1
                upper = min(upper, end) if end is not None else min(upper, state.uidnext - 1)
            span = f"{first}:{upper if upper is not None else '*'}"
            with self._talking(doing, "unavailable"):
                if upper is None:
                    # '*' is the newest UID this session knows of: a search does not see
                    # mail delivered since the last command (Dovecot), a NOOP does.
                    client.noop()
                found = client.search(["UID", span, *criteria])
            # n:* also names the last message when none is above n (RFC 3501 §6.4.8).
            yield sorted(uid for uid in found
                         if uid >= first and (upper is None or uid <= upper))
            if upper is None or upper == end:
                return
            first = upper + 1

    def _fetch(
        self, uids: list[int], state: FolderState, max_bytes: int
    ) -> Iterator[FetchedMail]:
        client = self._session()
        with self._talking("reading message sizes", "unavailable"):
            answer = client.fetch(uids, ["RFC822.SIZE"])
        sizes = [(uid, int(answer[uid][b"RFC822.SIZE"])) for uid in uids
                 if b"RFC822.SIZE" in answer.get(uid, {})]  # absent: deleted meanwhile
        del answer
        group: list[tuple[int, int]] = []
        group_bytes = 0
        for uid, size in sizes:
            if size > max_bytes:
                yield from self._fetch_whole(group, state)
                group, group_bytes = [], 0
                mail = self._fetch_start(uid, size, state, max_bytes)
                if mail is not None:
                    yield mail
                continue
            if group and (group_bytes + size > max_bytes):
                yield from self._fetch_whole(group, state)
                group, group_bytes = [], 0
            group.append((uid, size))
            group_bytes += size
        yield from self._fetch_whole(group, state)

    def _fetch_whole(
        self, group: list[tuple[int, int]], state: FolderState
    ) -> Iterator[FetchedMail]:
        if not group:
            return
        client = self._session()
        with self._talking("reading messages", "unavailable"):
            answer = client.fetch([uid for uid, _ in group], ["BODY.PEEK[]"])
        for uid, size in group:
            raw = answer.pop(uid, {}).get(b"BODY[]")  # the key has no .PEEK
            if raw is not None:
                yield FetchedMail(f"imap:{state.uidvalidity}:{uid}", uid, bytes(raw), size,
                                  truncated=False)

    def _fetch_start(
        self, uid: int, size: int, state: FolderState, max_bytes: int
    ) -> FetchedMail | None:
        """A message over ``max_bytes``: its header (cut at ``max_bytes``) and the start
        of its body, never the whole of it."""
        client = self._session()
        with self._talking("reading a large message", "unavailable"):
            answer = client.fetch(
                [uid], [f"BODY.PEEK[HEADER]<0.{max_bytes}>", f"BODY.PEEK[TEXT]<0.{max_bytes}>"]
            ).get(uid)
        if not answer:
            return None
        header = _part(answer, b"BODY[HEADER]")
        text = _part(answer, b"BODY[TEXT]")
        return FetchedMail(f"imap:{state.uidvalidity}:{uid}", uid, header + text, size,
                           truncated=True)

    def move_processed(
        self, up_to_uid: int, folder: str, *, uidvalidity: int | None = None
    ) -> int:
        """Moves every message still in the folder with a UID up to ``up_to_uid`` to
        ``folder`` (created when missing); returns how many. Idempotent: messages moved
        before are no longer there. ``uidvalidity`` (default: the one ``select()`` saw
        in this session) must still be the folder's, else nothing moves (``folder``)."""
        target = folder.strip()
        source = self.config.folder
        if not target:
            raise ValueError("the folder to move processed mail to has no name")
        if target == source or target.upper() == source.upper() == "INBOX":
            raise MailboxError(
                "setup",
                f"processed mail cannot be moved to {target}: that is the folder being read",
            )
        expected = uidvalidity if uidvalidity is not None else (
            self._state.uidvalidity if self._state else None)
        if up_to_uid < 1:
            return 0
        client = self._session()
        state = self._state if self._state and not self._readonly else self.select(
            readonly=False)
        if expected is not None and state.uidvalidity != expected:
            raise MailboxError(
                "folder",
                f"the folder {source} on the IMAP server {self.where} was renumbered "
                f"(UIDVALIDITY {expected}, now {state.uidvalidity}); nothing was moved",
            )
        with self._talking(f"creating the folder {target}", "folder"):
            if not client.folder_exists(target):
                try:
                    client.create_folder(target)
                except IMAPClientError as exc:  # created meanwhile by someone else
                    if "ALREADYEXISTS" not in str(exc).upper():
                        raise
        with self._talking("checking what the server can do", "unavailable"):
            can_move = client.has_capability("MOVE")
            can_uid_expunge = client.has_capability("UIDPLUS")
        if not can_move and not can_uid_expunge:
            raise MailboxError(
                "setup",
                f"the IMAP server {self.where} offers neither MOVE nor UIDPLUS, so processed "
                "mail cannot be moved without touching other messages; leave the folder for "
                "processed mail empty in the settings",
            )
        # Without MOVE, a message marked \Deleted is not copied again: a crash between
        # our STORE and UID EXPUNGE leaves it there, already copied (harmless; the
        # person's mail client expunges it), and a person's own deletion is theirs.
        criteria = () if can_move else ("NOT", "DELETED")
        moved = 0
        for uids in self._uid_windows(1, up_to_uid, state, "looking for processed mail",
                                      criteria):
            for sets in _sequence_sets(uids, SETS_PER_COMMAND):
                with self._talking(f"moving processed mail to {target}", "folder"):
                    if can_move:
                        client.move(sets, target)
                    else:
                        client.copy(sets, target)
                        client.delete_messages(sets, silent=True)
                        client.uid_expunge(sets)
            moved += len(uids)
        return moved

    # -- errors ------------------------------------------------------------------------

    def _session(self) -> IMAPClient:
        if self._client is None or self._broken:
            raise MailboxError(
                "unavailable",
                f"the session with the IMAP server {self.where} is closed; connect again",
            )
        return self._client

    @contextlib.contextmanager
    def _talking(self, doing: str, code: str) -> Iterator[None]:
        """Turns whatever a step raises into a MailboxError; ``code`` is for a refusal
        by the server (a NO or BAD answer) at this step."""
        try:
            yield
        except MailboxError:
            raise
        except BaseException as exc:
            if not isinstance(exc, Exception):
                self._broken = True  # KeyboardInterrupt & co.: the session is in doubt
                raise
            self._fail(exc, doing, code)

    def _fail(self, exc: Exception, doing: str, code: str) -> NoReturn:
        where, folder = self.where, self.config.folder
        server = f"the IMAP server {where}"
        scrub = self._scrub
        if isinstance(exc, LoginError):
            raise MailboxError(
                "login", scrub(f"{server} refused the login of {self.config.username}: "
                               f"{_server_text(exc)}")) from exc
        if isinstance(exc, CapabilityError):
            raise MailboxError("setup", scrub(f"{server}: {_server_text(exc)}")) from exc
        self._broken = self._broken or not isinstance(exc, IMAPClientError) or isinstance(
            exc, IMAPClientAbortError)
        if isinstance(exc, IMAPClientAbortError):
            raise MailboxError(
                "unavailable", scrub(f"the connection to {server} was lost while {doing} "
                                     f"(folder {folder}): {_server_text(exc)}")) from exc
        if isinstance(exc, IMAPClientError):
            if code == "folder" and "select" in str(exc).lower():
                text = f"the folder {folder} cannot be opened on {server}: {_server_text(exc)}"
            else:
                text = f"{server} refused {doing} (folder {folder}): {_server_text(exc)}"
            raise MailboxError(code, scrub(text)) from exc
        if isinstance(exc, TimeoutError):
            raise MailboxError(
                "timeout", f"{server} did not answer within {self.config.timeout:g} seconds "
                           f"while {doing} (folder {folder})") from exc
        if isinstance(exc, ssl.SSLCertVerificationError):
            raise MailboxError(
                "setup", f"the certificate of {server} is not trusted ("
                         f"{exc.verify_message or _reason(exc)}): give the certificate or "
                         "its CA with cafile= in the IMAP URL") from exc
        if isinstance(exc, ssl.SSLError) and doing in ("connecting", "starting TLS (STARTTLS)"):
            raise MailboxError(
                "setup", f"TLS with {server} failed ({_reason(exc)}): is {self.config.port} "
                         "the port for this kind of connection (imaps:// 993, imap:// 143)?"
            ) from exc
        if isinstance(exc, socket.gaierror):
            raise MailboxError(
                "unavailable", f"the IMAP server {self.config.host} cannot be found: "
                               f"{_reason(exc)}") from exc
        if isinstance(exc, ConnectionRefusedError):
            raise MailboxError(
                "unavailable", f"{server} refused the connection (nothing listens on port "
                               f"{self.config.port}?)") from exc
        if isinstance(exc, OSError):
            lost = "cannot be reached" if doing == "connecting" else f"was lost while {doing}"
            raise MailboxError(
                "unavailable", scrub(f"the connection to {server} {lost} (folder {folder}): "
                                     f"{_reason(exc)}")) from exc
        raise MailboxError(
            "unavailable", scrub(f"{server} gave an answer that could not be understood while "
                                 f"{doing} (folder {folder}): {type(exc).__name__}: {exc}")
        ) from exc

    def _scrub(self, text: str) -> str:
        password = self.config.password
        return text.replace(password, "***") if password else text


def _server_text(exc: BaseException) -> str:
    """The server's words in an imapclient error, without Python's ``b'…'`` around them."""
    text = str(exc).strip()
    found = re.fullmatch(r"(.*?)b(['\"])(.*)\2(.*)", text, flags=re.S)
    if found:
        text = f"{found.group(1)}{found.group(3)}{found.group(4)}"
    return " ".join(text.split()) or type(exc).__name__


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, ssl.SSLError) and exc.reason:
        return str(exc.reason).replace("_", " ").lower()
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _part(answer: dict[bytes, object], section: bytes) -> bytes:
    """A fetched section's bytes whatever the ``<origin>`` suffix of its key; b"" for
    NIL or none."""
    for key, value in answer.items():
        if isinstance(key, bytes) and key.split(b"<")[0] == section:
            return bytes(value) if isinstance(value, (bytes, bytearray)) else b""
    return b""


def _sequence_sets(uids: Sequence[int], per_command: int) -> Iterator[list[str]]:
    """Ascending UIDs as IMAP sequence sets (``3:7``, ``9``), ``per_command`` at a time;
    a range is written only for UIDs that are all in ``uids``, so exactly those are named."""
    ranges: list[str] = []
    start = previous = None
    for uid in uids:
        if previous is not None and uid == previous + 1:
            previous = uid
            continue
        if start is not None:
            ranges.append(f"{start}:{previous}" if previous != start else str(start))
        start = previous = uid
    if start is not None:
        ranges.append(f"{start}:{previous}" if previous != start else str(start))
    for index in range(0, len(ranges), per_command):
        yield ranges[index:index + per_command]


# --- Maildir --------------------------------------------------------------------------

_HEADER_END = re.compile(rb"(?:^|\n)\r?\n")
_CHUNK = 64 * 1024


class MaildirBox:
    """A Maildir (``new/``, ``cur/``, ``tmp/``) as fetchmail, getmail or a local delivery
    agent fills it (see the module's docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path).expanduser()
        missing = [part for part in ("new", "cur", "tmp") if not (self.path / part).is_dir()]
        if missing:
            raise MailboxError(
                "folder",
                f"{self.path} is not a Maildir: it has no "
                f"{', '.join(part + '/' for part in missing)} (a Maildir has the folders "
                "new/, cur/ and tmp/)",
            )
        self._names: dict[str, str] = {}  # key → the file's name in new/

    def new_messages(self, *, max_bytes: int = MAX_BYTES) -> Iterator[FetchedMail]:
        """The messages in ``new/``, oldest first (by the file's time, then its name),
        each read with at most ``max_bytes`` of its body. A file gone before it is read
        (another reader took it) is passed over."""
        if max_bytes < 1:
            raise ValueError("max_bytes must be 1 or more")
        for name in self._listing():
            path = self.path / "new" / name
            try:
                with path.open("rb") as file:
                    raw, size, truncated = _read_bounded(file, max_bytes)
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise MailboxError(
                    "folder", f"the message {path} cannot be read: {_reason(exc)}") from exc
            key = f"maildir:{_unique(name)}"
            self._names[key] = name
            yield FetchedMail(key, None, raw, size, truncated)

    def _listing(self) -> list[str]:
        found: list[tuple[int, str]] = []
        try:
            with os.scandir(self.path / "new") as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    with contextlib.suppress(FileNotFoundError):
                        if entry.is_file():
                            found.append((entry.stat().st_mtime_ns, entry.name))
        except OSError as exc:
            raise MailboxError(
                "folder", f"the Maildir {self.path} cannot be read: {_reason(exc)}") from exc
        return [name for _, name in sorted(found)]

    def mark_processed(self, mail: FetchedMail) -> None:
        """Moves the message from ``new/`` to ``cur/`` with the seen flag
        (``<unique>:2,S``, keeping flags it had). Already moved or gone: nothing to do.
        Never deletes."""
        if not mail.key.startswith("maildir:"):
            raise ValueError(f"{mail.key} is not a message of a Maildir")
        unique = mail.key.removeprefix("maildir:")
        # The name just read first; new/ is listed only when it has gone (a crash between
        # the commit and this move, or another reader): listing it for every message made
        # a run of 10,000 quadratic (the inbox benchmark).
        remembered = self._names.pop(mail.key, "")
        tried: set[str] = set()
        for name in itertools.chain([remembered], self._names_in_new(unique)):
            if not name or name in tried:
                continue
            tried.add(name)
            info = name.partition(":")[2]
            flags = set(info[2:]) if info.startswith("2,") else set()
            target = f"{unique}:2,{''.join(sorted(flags | {'S'}))}"
            try:
                os.rename(self.path / "new" / name, self.path / "cur" / target)
                return
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise MailboxError(
                    "folder", f"the message {name} cannot be moved from new/ to cur/ in "
                              f"{self.path}: {_reason(exc)}") from exc

    def _names_in_new(self, unique: str) -> Iterable[str]:
        if (self.path / "new" / unique).exists():
            yield unique
        with contextlib.suppress(OSError), os.scandir(self.path / "new") as entries:
            for entry in entries:
                if entry.name.startswith(unique + ":"):
                    yield entry.name


def _unique(name: str) -> str:
    """A Maildir file's unique part: the name without the ``:2,<flags>`` info."""
    return name.partition(":")[0]


def _read_bounded(file: BinaryIO, max_bytes: int) -> tuple[bytes, int, bool]:
    """(the bytes, the file's size, whether cut): all of a file up to ``max_bytes``,
    else its header (cut at ``max_bytes``) and the first ``max_bytes`` of its body."""
    size = os.fstat(file.fileno()).st_size
    if size <= max_bytes:
        return file.read(max_bytes), size, False
    buffer = bytearray()
    end = -1
    while len(buffer) < max_bytes:
        chunk = file.read(min(_CHUNK, max_bytes - len(buffer)))
        if not chunk:
            break
        searched = max(0, len(buffer) - 2)
        buffer += chunk
        found = _HEADER_END.search(buffer, searched)
        if found:
            end = found.end()
            break
    if end < 0:
        return bytes(buffer), size, True  # no end of header within max_bytes
    header = bytes(buffer[:end])
    del buffer
    file.seek(end)
    return header + file.read(max_bytes), size, True
