"""The SMTP server's address as the settings hold it: one URL, and where its password is.

``smtp://user:password@host:587?starttls=1``, ``smtps://user@host:465`` or
``smtp://host:25``. The password comes from the URL, else ``$WINDYKACJA_SMTP_PASSWORD``,
else a file only its owner can read (``password_file=``); it is kept out of every repr,
message and log line. The grammar lives in the ledger because the settings check a URL
when it is saved, and the log filter must know the password to mask it; the transport
(``dunning/transports.py``) only connects with what this returns.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, parse_qsl, quote, unquote, urlsplit

from .validation import parse_bool

PASSWORD_ENV = "WINDYKACJA_SMTP_PASSWORD"
DEFAULT_TIMEOUT = 30.0
SECURITY_MODES = ("starttls", "tls", "none")
_DEFAULT_PORTS = {"tls": 465, "starttls": 587, "none": 25}
_URL_HELP = "smtp://user:password@host:587?starttls=1, smtps://user@host:465 or smtp://host:25"


# --- configuration -------------------------------------------------------------------


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    username: str = ""
    password: str = field(default="", repr=False)
    security: str = "none"  # starttls | tls | none
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        if self.security not in SECURITY_MODES:
            raise ValueError(f"SMTP security must be one of {', '.join(SECURITY_MODES)}")

    def describe(self) -> str:
        """``smtps://user@host:465`` — safe to print and log."""
        scheme = "smtps" if self.security == "tls" else "smtp"
        user = f"{quote(self.username, safe='')}@" if self.username else ""
        tls = "?starttls=1" if self.security == "starttls" else ""
        return f"{scheme}://{user}{self.host}:{self.port}{tls}"


def parse_smtp_url(url: str, environ: Mapping[str, str] | None = None) -> SmtpConfig:
    """Read ``smtp://user:pass@host:587?starttls=1``, ``smtps://user@host:465`` (TLS
    from the first byte) or ``smtp://host:25`` (no encryption).

    Query options: ``starttls=1``, ``timeout=SECONDS``, ``password_file=/path``. The
    user and password are percent-decoded (``%40`` for ``@``). Without a password in
    the URL, ``$WINDYKACJA_SMTP_PASSWORD`` is used, else the password file, which
    must be readable by its owner only. Errors are ValueErrors that never quote the
    password (nor the part of the URL it sits in).
    """
    environ = os.environ if environ is None else environ
    parts, scheme, host, port = _address(url.strip())
    options = _options(parts.query)
    starttls = _flag(options.get("starttls", "0"), "starttls")
    if scheme == "smtps" and starttls:
        raise ValueError("smtps:// is already encrypted; starttls=1 belongs to smtp:// URLs")
    security = "tls" if scheme == "smtps" else "starttls" if starttls else "none"
    timeout = _timeout(options.get("timeout"))
    username, password = _credentials(parts.username, parts.password, options, environ)
    return SmtpConfig(
        host=host,
        port=port or _DEFAULT_PORTS[security],
        username=username,
        password=password,
        security=security,
        timeout=timeout,
    )


def _address(text: str) -> tuple[SplitResult, str, str, int | None]:
    """The URL's parts, scheme, server and port, each checked (the options are not)."""
    try:
        parts = urlsplit(text)
        scheme = parts.scheme.lower()
        host = parts.hostname
        port = parts.port
    except ValueError:
        raise ValueError(
            "the SMTP URL is not valid: check the port (a number from 1 to 65535) and the "
            f"brackets around an IPv6 address (e.g. {_URL_HELP})"
        ) from None
    if scheme not in ("smtp", "smtps"):
        raise ValueError(f"the SMTP URL must start with smtp:// or smtps:// (e.g. {_URL_HELP})")
    if not host:
        raise ValueError(f"the SMTP URL has no server name (e.g. {_URL_HELP})")
    if parts.path not in ("", "/") or parts.fragment:
        raise ValueError(
            "the SMTP URL must not have a path or a '#' part; a password with '/', '?', "
            "'#' or '@' must be percent-encoded (%2F, %3F, %23, %40)"
        )
    if port == 0:
        raise ValueError("the SMTP URL port must be a number from 1 to 65535")
    return parts, scheme, host, port


def _options(query: str) -> dict[str, str]:
    """The query options (``starttls``, ``timeout``, ``password_file``) as given."""
    options: dict[str, str] = {}
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise ValueError(
            "the SMTP URL options are not valid (e.g. ?starttls=1&timeout=30)"
        ) from None
    for key, value in pairs:
        if key not in ("starttls", "timeout", "password_file"):
            raise ValueError(
                f"unknown SMTP URL option '{key}' (known: starttls, timeout, password_file)"
            )
        options[key] = value
    return options


def _credentials(
    raw_user: str | None, raw_password: str | None, options: Mapping[str, str],
    environ: Mapping[str, str],
) -> tuple[str, str]:
    """The user and password: from the URL (percent-decoded), else the password from
    ``$WINDYKACJA_SMTP_PASSWORD``, else from the password file."""
    username = unquote(raw_user) if raw_user else ""
    password = unquote(raw_password) if raw_password else ""
    if password and not username:
        raise ValueError("the SMTP URL has a password but no user name")
    if username and not password:
        password = environ.get(PASSWORD_ENV, "")
    if username and not password and options.get("password_file"):
        password = read_password_file(options["password_file"])
    if options.get("password_file") and not username:
        raise ValueError("password_file needs a user name in the SMTP URL")
    return username, password


def _flag(text: str, name: str) -> bool:
    try:
        return parse_bool(text)
    except ValueError:
        raise ValueError(f"SMTP URL option {name} must be 1 or 0, not '{text}'") from None


def _timeout(text: str | None) -> float:
    if text is None:
        return DEFAULT_TIMEOUT
    try:
        value = int(text)  # whole seconds: sub-second SMTP timeouts help nobody
    except ValueError:
        raise ValueError(
            f"SMTP URL option timeout must be a whole number of seconds, not '{text}'"
        ) from None
    if not 0 < value <= 600:
        raise ValueError("SMTP URL option timeout must be between 0 and 600 seconds")
    return value


def read_password_file(path: str | os.PathLike[str]) -> str:
    """The first line of a file that group and others cannot read (``chmod 600``)."""
    target = Path(path).expanduser()
    try:
        mode = target.stat().st_mode
    except OSError as exc:
        raise ValueError(f"password file {target} cannot be read: {exc.strerror}") from None
    if mode & 0o077:
        raise ValueError(
            f"password file {target} must be readable only by its owner (chmod 600); "
            f"its mode is {mode & 0o777:o}"
        )
    try:
        content = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ValueError(f"password file {target} cannot be read: {reason}") from None
    lines = content.splitlines()
    password = lines[0] if lines else ""
    if not password:
        raise ValueError(f"password file {target} is empty")
    return password
