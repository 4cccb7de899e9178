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
from urllib.parse import SplitResult, quote, urlsplit

from .server_url import (
    DEFAULT_TIMEOUT,
    flag_option,
    timeout_option,
    url_credentials,
    url_options,
)
from .server_url import read_password_file as read_password_file  # ksef_access uses it

PASSWORD_ENV = "WINDYKACJA_SMTP_PASSWORD"
SECURITY_MODES = ("starttls", "tls", "none")
_DEFAULT_PORTS = {"tls": 465, "starttls": 587, "none": 25}
_OPTIONS = ("starttls", "timeout", "password_file")
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
    return url_options(query, _OPTIONS, "SMTP", "?starttls=1&timeout=30")


def _credentials(
    raw_user: str | None, raw_password: str | None, options: Mapping[str, str],
    environ: Mapping[str, str],
) -> tuple[str, str]:
    """The user and password: from the URL (percent-decoded), else the password from
    ``$WINDYKACJA_SMTP_PASSWORD``, else from the password file."""
    return url_credentials(raw_user, raw_password, options, environ, PASSWORD_ENV, "SMTP")


def _flag(text: str, name: str) -> bool:
    return flag_option(text, name, "SMTP")


def _timeout(text: str | None) -> float:
    return timeout_option(text, "SMTP")
