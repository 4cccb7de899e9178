"""What the server URLs in the settings share (``smtp.url``, ``imap.url``): the options,
the user and where the password comes from, and the password file.

Each URL module (``smtp_url``, ``imap_url``) keeps its own grammar — schemes, ports,
whether a path is allowed — and passes its ``label`` ("SMTP", "IMAP") and environment
variable here, so that both say the same things in the same words. Every message names
what is wrong and never quotes a password.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from pathlib import Path
from urllib.parse import parse_qsl, unquote

from .validation import parse_bool

DEFAULT_TIMEOUT = 30.0


def url_options(query: str, known: Collection[str], label: str, example: str) -> dict[str, str]:
    """The query options as given; an option not in ``known`` is an error naming it."""
    options: dict[str, str] = {}
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise ValueError(f"the {label} URL options are not valid (e.g. {example})") from None
    for key, value in pairs:
        if key not in known:
            raise ValueError(
                f"unknown {label} URL option '{key}' (known: {', '.join(known)})"
            )
        options[key] = value
    return options


def url_credentials(
    raw_user: str | None, raw_password: str | None, options: Mapping[str, str],
    environ: Mapping[str, str], password_env: str, label: str,
) -> tuple[str, str]:
    """The user and password: from the URL (percent-decoded), else the password from
    ``$<password_env>``, else from the file ``password_file=`` names."""
    username = unquote(raw_user) if raw_user else ""
    password = unquote(raw_password) if raw_password else ""
    if password and not username:
        raise ValueError(f"the {label} URL has a password but no user name")
    if username and not password:
        password = environ.get(password_env, "")
    if username and not password and options.get("password_file"):
        password = read_password_file(options["password_file"])
    if options.get("password_file") and not username:
        raise ValueError(f"password_file needs a user name in the {label} URL")
    return username, password


def flag_option(text: str, name: str, label: str) -> bool:
    try:
        return parse_bool(text)
    except ValueError:
        raise ValueError(f"{label} URL option {name} must be 1 or 0, not '{text}'") from None


def timeout_option(text: str | None, label: str) -> float:
    """Whole seconds from 1 to 600 (sub-second network timeouts help nobody)."""
    if text is None:
        return DEFAULT_TIMEOUT
    try:
        value = int(text)
    except ValueError:
        raise ValueError(
            f"{label} URL option timeout must be a whole number of seconds, not '{text}'"
        ) from None
    if not 0 < value <= 600:
        raise ValueError(f"{label} URL option timeout must be between 0 and 600 seconds")
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
