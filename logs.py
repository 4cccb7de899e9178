"""Where the program logs, how the files rotate, and the filter that keeps secrets out.

Every process logs to a rotating file in one folder: ``$WINDYKACJA_LOG_DIR`` if set (the
systemd unit points it at ``/var/log/windykacja``), else the user's log directory
(``~/.local/state/windykacja/log`` on Linux), where the interface always logged. The
interface and the commands write ``windykacja.log``; the headless worker, which runs for
years, writes ``worker.log`` of its own, so that two processes rarely rotate one file
(Python's rotation is not coordinated between processes). Each file is rotated at
``MAX_BYTES`` and ``BACKUPS`` old ones are kept: at most 30 MiB a file. Our own records
(the ``windykacja.*`` loggers) and the migrations applied are written from INFO up, other
libraries' from WARNING up.

No secret reaches a log: ``SecretFilter`` sits on every handler and rewrites each record
(message, traceback, stack) before it is written. It masks the password of any URL
(``smtp://user:***@host``, a PostgreSQL URL too), any ``Bearer`` token, and, literally,
the secrets configured now: the SMTP password (from the URL, ``$WINDYKACJA_SMTP_PASSWORD``
or its password file), the agency's API token (``recovery.api_token`` or
``$WINDYKACJA_AGENCY_TOKEN``) and the KSeF token (``$WINDYKACJA_KSEF_TOKEN`` or its file).
Settings change while a worker runs, so the filter reads
them again at most once a minute — only on a thread that already has the database open,
never opening a connection of its own, and never while it is itself logging.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from platformdirs import user_log_dir

from .ledger.imap_url import PASSWORD_ENV as IMAP_PASSWORD_ENV
from .ledger.imap_url import parse_imap_url
from .ledger.ksef_access import read_ksef_token
from .ledger.settings import AGENCY_TOKEN_ENV, load_settings
from .ledger.smtp_url import PASSWORD_ENV, parse_smtp_url
from .models import database

LOG_DIR_ENV = "WINDYKACJA_LOG_DIR"
INTERFACE_LOG = "windykacja.log"  # the interface and the commands
WORKER_LOG = "worker.log"  # the headless worker
MAX_BYTES = 5 * 2**20
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s[%(process)d]: %(message)s"
MASK = "***"
REFRESH_SECONDS = 60.0
OWN_LOGGERS = ("windykacja", "peewee.migrations")

_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/@:]*:)([^\s/@]+)(@)")
_BEARER = re.compile(r"(?i)(\bbearer\s+)[^\s'\",;]+")


def log_dir() -> Path:
    """The folder of every log file (not created here)."""
    configured = os.environ.get(LOG_DIR_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    return Path(user_log_dir("windykacja", appauthor=False))


def url_password(url: str) -> str:
    """The password inside a URL (percent-decoded), or ''."""
    try:
        password = urlsplit(url).password
    except ValueError:
        return ""
    return unquote(password) if password else ""


def configured_secrets() -> list[str]:
    """The secrets of the current settings and environment, as they could appear in text.

    Reads the ``setting`` table: call it only with the database open on this thread."""
    settings = load_settings()
    found = [settings.recovery_api_token, os.environ.get(AGENCY_TOKEN_ENV, ""),
             os.environ.get(PASSWORD_ENV, ""), url_password(settings.smtp_url)]
    # A URL the transport refuses, or an unreadable password file, gives no password.
    with contextlib.suppress(ValueError):
        if settings.smtp_url:
            found.append(parse_smtp_url(settings.smtp_url).password)
    found += [os.environ.get(IMAP_PASSWORD_ENV, ""), url_password(settings.imap_url)]
    with contextlib.suppress(ValueError):
        if settings.imap_url:
            found.append(parse_imap_url(settings.imap_url).password)
    with contextlib.suppress(ValueError):  # no KSeF token, or its file unreadable
        found.append(read_ksef_token(settings.ksef_token_file).value)
    return found


def _spellings(secret: str) -> set[str]:
    """A secret as written and as it appears percent-encoded inside a URL."""
    return {secret, quote(secret, safe=""), quote(secret)}


class SecretFilter(logging.Filter):
    """Masks secrets in every record it sees; never drops a record."""

    def __init__(
        self, secrets: Iterable[str] = (),
        source: Callable[[], Iterable[str]] | None = None,
        refresh_seconds: float = REFRESH_SECONDS,
    ) -> None:
        super().__init__()
        self._fixed = [s for s in secrets if s]
        self._source = source
        self._refresh_seconds = refresh_seconds
        self._refreshed_at: float | None = None
        self._literals: list[str] = []
        self._busy = threading.local()
        self._lock = threading.Lock()
        self._set_literals([])

    def _set_literals(self, found: Iterable[str]) -> None:
        spelled = {s for secret in [*self._fixed, *found] if secret for s in _spellings(secret)}
        # Longest first, so that a secret containing another is masked whole.
        self._literals = sorted(spelled, key=len, reverse=True)

    def refresh(self) -> None:
        """Read the configured secrets now (the database must be open on this thread)."""
        if self._source is None:
            return
        self._busy.active = True
        try:
            found = list(self._source())
        except Exception:  # a closed or busy database: keep the secrets known so far
            return
        finally:
            self._busy.active = False
        with self._lock:
            self._set_literals(found)
            self._refreshed_at = time.monotonic()

    def _refresh_if_due(self) -> None:
        if self._source is None or getattr(self._busy, "active", False):
            return
        due = (self._refreshed_at is None
               or time.monotonic() - self._refreshed_at >= self._refresh_seconds)
        if due and _database_open_here():
            self.refresh()

    def mask(self, text: str) -> str:
        text = _URL_PASSWORD.sub(rf"\1{MASK}\3", text)
        text = _BEARER.sub(rf"\1{MASK}", text)
        for secret in self._literals:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        self._refresh_if_due()
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: the handler reports it, without the args
            message, record.args = str(record.msg), None
        record.msg = self.mask(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


def _database_open_here() -> bool:
    """Whether this thread holds an open connection (the filter never opens one: a
    thread that logs once would otherwise keep a connection it never closes)."""
    try:
        return database.obj is not None and not database.is_closed()
    except Exception:
        return False


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the moment (a test's capture, a redirect)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


_installed: list[logging.Handler] = []


def setup_logging(
    file_name: str = INTERFACE_LOG, *, stderr_level: int | None = logging.WARNING,
    secrets: Iterable[str] = (),
) -> Path | None:
    """Log INFO and above to ``file_name`` in ``log_dir()`` (rotating) and, from
    ``stderr_level`` up, to standard error (None: never, as in the interface, which owns
    the terminal). Called again, it replaces what it installed before. ``secrets`` are
    masked besides the configured ones (e.g. the password of the database URL).
    Returns the log file, or None when it cannot be written: then only standard error
    (if asked for) gets the records, since a read-only home must not stop the program."""
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()
    secret_filter = SecretFilter(secrets, source=configured_secrets)
    if _database_open_here():
        secret_filter.refresh()
    log_file = log_dir() / file_name
    path: Path | None = log_file
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(log_file.parent, os.W_OK) or (log_file.exists()
                                                       and not os.access(log_file, os.W_OK)):
            raise PermissionError(f"{log_file} is not writable")
        file_handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
        file_handler.setLevel(logging.INFO)
        file_handler.setFormatter(logging.Formatter(FORMAT))
        _installed.append(file_handler)
    except OSError:
        path = None
    if stderr_level is not None:
        stderr_handler = _StderrHandler()
        stderr_handler.setLevel(stderr_level)
        # A command's warning reads as a sentence, as before; the worker's lines (the
        # journal's) keep the time and the source.
        stderr_handler.setFormatter(
            logging.Formatter(FORMAT if stderr_level <= logging.INFO else "%(message)s"))
        _installed.append(stderr_handler)
    if not _installed:  # the interface without a writable log folder: silence, not the screen
        _installed.append(logging.NullHandler())
    for handler in _installed:
        handler.addFilter(secret_filter)
        root.addHandler(handler)
    # Our own records and the migrations applied from INFO up; other libraries' only from
    # WARNING up, as before (a chatty one at INFO would rotate our lines away).
    for name in OWN_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level > logging.INFO:
            logger.setLevel(logging.INFO)
    return path
