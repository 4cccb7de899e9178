"""The collection mailbox's address as the settings hold it: one URL, and where its password
is (issue 15).

``imaps://user@host/INBOX`` (TLS from the first byte, port 993),
``imap://user@host/INBOX?starttls=1`` (plain, then STARTTLS, port 143) or
``imap://user@host/INBOX`` (no encryption: only for a server on this machine or a test).
The path is the folder to read, percent-decoded (``/Windykacja%20odpowiedzi``); none means
INBOX. Query options: ``starttls=1``, ``timeout=SECONDS`` (whole, 1–600, default 30: a
client without one hangs forever on a silent server), ``password_file=/path`` and
``cafile=/path`` (a CA bundle or the server's own certificate to trust — a self-signed
office server, the tests' Dovecot; without it the system's CAs are trusted and the host
name must match the certificate).

The password comes from the URL (percent-encoded: ``%40`` for ``@``, ``%2F`` for ``/``),
else ``$WINDYKACJA_IMAP_PASSWORD``, else ``password_file=``, which only its owner may read
— the same rules and words as ``smtp.url`` (``ledger/server_url.py`` holds what the two
share). The password stays out of every repr, message and description; ``mask_imap_url``
is what a screen shows of a URL as typed.

A user name is required (IMAP has no anonymous mailboxes worth reading). A URL whose
password cannot be found anywhere is still valid here — the worker may get
``$WINDYKACJA_IMAP_PASSWORD`` where the interface does not — and the mailbox reader
(``importers/mail_source.py``) says so when it is about to log in.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from .server_url import (
    DEFAULT_TIMEOUT,
    flag_option,
    timeout_option,
    url_credentials,
    url_options,
)

PASSWORD_ENV = "WINDYKACJA_IMAP_PASSWORD"
SECURITY_MODES = ("tls", "starttls", "none")
_DEFAULT_PORTS = {"tls": 993, "starttls": 143, "none": 143}
_OPTIONS = ("starttls", "timeout", "password_file", "cafile")
_URL_HELP = "imaps://user@host/INBOX or imap://user@host/INBOX?starttls=1"
_LABEL = "IMAP"


@dataclass(frozen=True)
class ImapConfig:
    host: str
    port: int
    username: str
    password: str = field(default="", repr=False)
    security: str = "tls"  # tls (imaps://) | starttls (imap://…?starttls=1) | none (imap://)
    folder: str = "INBOX"
    timeout: float = DEFAULT_TIMEOUT
    cafile: str = ""

    def __post_init__(self) -> None:
        if self.security not in SECURITY_MODES:
            raise ValueError(f"IMAP security must be one of {', '.join(SECURITY_MODES)}")

    def describe(self) -> str:
        """``imaps://user@host:993/INBOX`` — safe to print and log (no password, no
        password file, no CA file). The folder is shown as people read it
        (``/Odpowiedzi klientów``), only '%', '?' and '#' percent-encoded."""
        scheme = "imaps" if self.security == "tls" else "imap"
        user = quote(self.username, safe="")
        folder = "".join(quote(c, safe="") if c in "%?#" else c for c in self.folder)
        tls = "?starttls=1" if self.security == "starttls" else ""
        return f"{scheme}://{user}@{self.host}:{self.port}/{folder}{tls}"


def parse_imap_url(url: str, environ: Mapping[str, str] | None = None) -> ImapConfig:
    """Read an ``imaps://`` or ``imap://`` URL (see the module's docstring).

    Errors are ValueErrors in plain English naming what is wrong; they never quote the
    password, nor the part of the URL it may sit in."""
    environ = os.environ if environ is None else environ
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        host = parts.hostname
        port = parts.port
    except ValueError:
        raise ValueError(
            "the IMAP URL is not valid: check the port (a number from 1 to 65535) and the "
            f"brackets around an IPv6 address (e.g. {_URL_HELP})"
        ) from None
    if scheme not in ("imap", "imaps"):
        raise ValueError(f"the IMAP URL must start with imaps:// or imap:// (e.g. {_URL_HELP})")
    if not host:
        raise ValueError(f"the IMAP URL has no server name (e.g. {_URL_HELP})")
    if port == 0:
        raise ValueError("the IMAP URL port must be a number from 1 to 65535")
    if not parts.username:
        # Also where a password with a bare '/', '?' or '#' cut the URL short: the rest
        # of it, password included, went into the path, so the path is not quoted.
        raise ValueError(
            f"the IMAP URL has no user name (e.g. {_URL_HELP}); a password with '/', '?', "
            "'#' or '@' must be percent-encoded (%2F, %3F, %23, %40)"
        )
    if parts.fragment:
        raise ValueError(
            "the IMAP URL must not have a '#' part; a password with '/', '?', '#' or '@' "
            "must be percent-encoded (%2F, %3F, %23, %40)"
        )
    options = url_options(parts.query, _OPTIONS, _LABEL, "?starttls=1&timeout=30")
    starttls = flag_option(options.get("starttls", "0"), "starttls", _LABEL)
    if scheme == "imaps" and starttls:
        raise ValueError("imaps:// is already encrypted; starttls=1 belongs to imap:// URLs")
    security = "tls" if scheme == "imaps" else "starttls" if starttls else "none"
    timeout = float(timeout_option(options.get("timeout"), _LABEL))
    username, password = url_credentials(
        parts.username, parts.password, options, environ, PASSWORD_ENV, _LABEL
    )
    return ImapConfig(
        host=host,
        port=port or _DEFAULT_PORTS[security],
        username=username,
        password=password,
        security=security,
        folder=_folder(parts.path),
        timeout=timeout,
        cafile=_cafile(options.get("cafile")),
    )


def _folder(path: str) -> str:
    """The URL's path without its leading '/', percent-decoded; none is INBOX (whose name
    IMAP treats case-insensitively, so ``inbox`` is INBOX too)."""
    folder = unquote(path[1:] if path.startswith("/") else path, errors="strict")
    if any(ord(char) < 32 or ord(char) == 127 for char in folder):
        raise ValueError("the IMAP folder name (the URL's path) has control characters in it")
    if not folder or folder.upper() == "INBOX":
        return "INBOX"
    return folder


def _cafile(text: str | None) -> str:
    """The CA file's path, checked to be a readable file now, when the setting is saved,
    rather than at the first fetch."""
    if text is None:
        return ""
    if not text.strip():
        raise ValueError("IMAP URL option cafile needs a file's path (cafile=/path/ca.pem)")
    target = Path(text).expanduser()
    if not target.is_file() or not os.access(target, os.R_OK):
        raise ValueError(f"the IMAP URL's cafile {target} is not a file that can be read")
    return str(target)


def mask_imap_url(url: str) -> str:
    """A URL as typed, safe to show: ``imaps://jan:secret@host/INBOX`` →
    ``imaps://jan:***@host/INBOX``.

    Unlike a plain split at the last '@' it keeps a folder with '@' in it whole; and where
    a password with a bare '/', '?' or '#' cut the server part short (the '@' then comes
    after it), everything from the first ':' after the user to the last '@' is masked:
    the output may lose some shape, it never shows a password."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    authority, tail = rest[:end], rest[end:]
    if "@" in authority:
        credentials, _, server = authority.rpartition("@")
        user, has_password, _ = credentials.partition(":")
        return f"{scheme}://{user}{':***' if has_password else ''}@{server}{tail}"
    if "@" not in tail or ":" not in authority:
        return url
    # Even ``host:993/folder@x`` (a port, not a password) is masked so: a URL without a
    # user is not one we accept anyway, and guessing wrong would show a password.
    user = authority.partition(":")[0]
    _, _, server = rest.rpartition("@")
    return f"{scheme}://{user}:***@{server}"
