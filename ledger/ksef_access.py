"""Where the company's KSeF is and how the program gets in: the environment's address and
the KSeF token (issue 14; docs/ksef-sync.md 1.1–1.2).

The token is a secret like the SMTP password, and stricter: it is never stored in the
database. It comes from ``$WINDYKACJA_KSEF_TOKEN``, else from the file the setting
``ksef.token_file`` names, which only its owner may read (``chmod 600``). The log filter
(``logs.configured_secrets``) masks it; no command prints it.

``ksef.environment`` is one of the ministry's three environments, or an ``http(s)://``
address: a proxy in front of KSeF, or the local stand-in the tests use. Empty: KSeF is
not connected and nothing is synced.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from ..i18n import t
from .smtp_url import read_password_file

TOKEN_ENV = "WINDYKACJA_KSEF_TOKEN"

#: The ministry's environments (``srodowiska.md``); the client appends ``/v2``.
ENVIRONMENTS = {
    "production": "https://api.ksef.mf.gov.pl",
    "demo": "https://api-demo.ksef.mf.gov.pl",
    "test": "https://api-test.ksef.mf.gov.pl",
}


def parse_environment(text: str) -> str:
    """``production``, ``demo``, ``test``, an ``http(s)://`` address, or empty (off)."""
    value = text.strip().rstrip("/")
    if not value or value in ENVIRONMENTS or value.startswith(("http://", "https://")):
        return value
    raise ValueError(f"'{text}' is not a KSeF environment (production, demo, test, or an "
                     "http(s):// address)")


def base_url(environment: str) -> str:
    return ENVIRONMENTS.get(environment, environment)


@dataclass(frozen=True)
class KsefToken:
    """The token, and where it was read from (said to the user; the value never is)."""

    value: str
    source: str


def read_ksef_token(token_file: str, environ: Mapping[str, str] = os.environ) -> KsefToken:
    """The KSeF token from the environment, else from ``token_file``.

    Raises ``ValueError`` saying where it was looked for when there is none, or why the
    file cannot be used; the message never contains the token."""
    value = environ.get(TOKEN_ENV, "").strip()
    if value:
        return KsefToken(value, f"${TOKEN_ENV}")
    if token_file:
        value = read_password_file(token_file).strip()
        if value:
            return KsefToken(value, token_file)
        raise ValueError(t("the KSeF token file {path} is empty", path=token_file))
    raise ValueError(t("no KSeF token: set ${name}, or put the token in a file only you can "
                       "read (chmod 600) and name it with ksef.token_file", name=TOKEN_ENV))
