"""Who is acting: the name that every event, note, flag change, payment and setting
change records, and that the Activity screen filters by.

In this order:

1. ``$WINDYKACJA_USER``, when set (scripts, tests, a shared login that must still
   say who);
2. ``user = "Anna Kowalska"`` in the config file, ``config.toml`` in the user's
   configuration directory (platformdirs: ``~/.config/windykacja/`` on Linux, or
   ``$XDG_CONFIG_HOME/windykacja/``; ``~/Library/Application Support/windykacja/``
   on macOS; ``%LOCALAPPDATA%\\windykacja\\`` on Windows);
3. the operating-system user (``getpass.getuser()``): over SSH, the login name.

The file is read once per process (per path, so that a test may point
``$XDG_CONFIG_HOME`` elsewhere). A file that cannot be used never stops the program:
the name falls back to the operating-system user, and ``config_problem()`` says what is
wrong, in words that name the file, for the interface and the commands to show (it is
also logged once as a warning, which a command prints on stderr).
"""

from __future__ import annotations

import functools
import getpass
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_config_dir

AUTHOR_ENV = "WINDYKACJA_USER"
#: The author of what the program does by itself (the worker's imports, its passes).
SYSTEM = "system"
CONFIG_NAME = "config.toml"
KNOWN_KEYS = ("user",)
# Authors are stored in CharFields (255 on PostgreSQL); a name is far shorter than that.
MAX_NAME = 100

log = logging.getLogger("windykacja.identity")


@dataclass(frozen=True)
class Config:
    """What the config file says: the name, if it gives a usable one, and the problem
    with the file, if any (both may be set: an unknown key beside a good name)."""

    path: Path
    user: str | None = None
    problem: str | None = None


def config_path() -> Path:
    """Where the config file is looked for on this system, for this user."""
    return Path(user_config_dir("windykacja", appauthor=False)) / CONFIG_NAME


def current_author() -> str:
    """The person acting: ``$WINDYKACJA_USER``, else the config's ``user``, else the
    operating-system user."""
    from_env = os.environ.get(AUTHOR_ENV, "").strip()
    if from_env:
        return from_env
    return read_config().user or os_user()


def os_user() -> str:
    try:
        return getpass.getuser()
    except OSError:  # no login name at all (a container without a passwd entry)
        return "unknown"


def config_problem() -> str | None:
    """Why the config file is not (wholly) used, or None when it is fine or absent."""
    return read_config().problem


def read_config(path: Path | None = None) -> Config:
    return _read_config(path or config_path())


@functools.cache
def _read_config(path: Path) -> Config:
    config = _parse_config(path)
    if config.problem:
        log.warning("%s", config.problem)
    return config


def _parse_config(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path)
    except (OSError, UnicodeDecodeError) as exc:
        return Config(path, problem=f"{path} cannot be read ({exc}); {_fallback()}")
    import tomllib  # only where there is a file (most have none): not at every start

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Config(path, problem=f"{path} is not valid TOML ({exc}); {_fallback()}")
    unknown = sorted(set(data) - set(KNOWN_KEYS))
    problem = (f"{path}: unknown setting {', '.join(repr(k) for k in unknown)} (only "
               "'user' is read)") if unknown else None
    user, user_problem = _check_user(data.get("user"))
    if user_problem:
        problem = f"{path}: {user_problem}; {_fallback()}"
    return Config(path, user, problem)


def _check_user(value: object) -> tuple[str | None, str | None]:
    """The name, or the reason it cannot be one."""
    if value is None:
        return None, None
    if not isinstance(value, str):
        return None, "user must be text in quotes, e.g. user = \"Anna Kowalska\""
    name = value.strip()
    if not name:
        return None, "user is empty"
    if len(name) > MAX_NAME:
        return None, f"user is longer than {MAX_NAME} characters"
    if any(not ch.isprintable() for ch in name):
        return None, "user contains a line break or another control character"
    return name, None


def _fallback() -> str:
    return f"names are taken from the system user ({os_user()}) instead"
