"""What the interface and every command need: the opened database, the clock, settings,
paths; and the one-line failure (``CommandError``) a user can act on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from platformdirs import user_data_dir

from .i18n import t
from .ledger.clock import Clock, FixedClock, SystemClock
from .ledger.settings import CollectionSettings, load_settings
from .ledger.validation import check_day
from .logs import url_password
from .models.db import BackupBeforeMigrationFailed, NoDatabase, default_location, open_database


class CommandError(Exception):
    """A failure the user can act on: printed to stderr, exit status 1."""


@dataclass
class Context:
    location: str
    clock: Clock
    language: str = "en"

    @property
    def settings(self) -> CollectionSettings:
        return load_settings()

    @property
    def default_maildir(self) -> Path:
        """The outbox folder beside an SQLite file, else in the user's data directory."""
        if "://" not in self.location:
            return Path(self.location).expanduser().resolve().parent / "outbox"
        return Path(user_data_dir("windykacja", appauthor=False)) / "outbox"


def parse_day(text: str) -> dt.date:
    for form in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise CommandError(t("'{value}' is not a date (use YYYY-MM-DD)", value=text))


def parse_today(text: str) -> dt.date:
    """``--today``: a date within the years the program reckons with (2000–2099,
    ``ledger/validation.py``); 9999-12-31 would overflow the date arithmetic."""
    day = parse_day(text)
    try:
        return check_day(day)
    except ValueError as exc:
        raise CommandError(f"--today: {exc}") from None


def open_context(
    location: str | None, language: str, today: str | None = None, create: bool = False
) -> Context:
    """Open (and migrate) the database of a command or of the interface.

    A new database is created only when ``create`` says so (``init``, ``demo``,
    ``restore``) or at the default location (no ``--db``; ``$WINDYKACJA_DB`` is the
    default a deployment sets): a mistyped ``--db`` must say that nothing is there
    rather than open an empty database that looks as if the data were gone. A
    PostgreSQL database is never created. Whatever goes wrong opening it is one line
    (``CommandError``), without the URL's password."""
    where = location or default_location()
    try:
        open_database(where, create=create or where == default_location())
        timezone = ZoneInfo(load_settings().timezone)
    except NoDatabase as exc:
        raise CommandError(t(
            "no database at {path}: check --db, or create one with "
            "`windykacja --db {path} init`", path=exc.path)) from None
    except BackupBeforeMigrationFailed as exc:
        raise CommandError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - any failure to open is one line, not a traceback
        raise CommandError(cannot_open(where, exc)) from None
    clock: Clock = (
        FixedClock(parse_today(today), timezone=timezone) if today else SystemClock(timezone)
    )
    return Context(where, clock, language)


def shown_location(location: str) -> str:
    """A location fit to print: a URL's password masked."""
    password = url_password(location) if "://" in location else ""
    if not password:
        return location
    parts = urlsplit(location)
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(
        f":{parts.password}@", ":***@")))


def cannot_open(location: str, exc: BaseException) -> str:
    """One line saying why the database at ``location`` cannot be opened: the first
    line of the driver's message, any password in it masked."""
    lines = [" ".join(line.split()) for line in str(exc).splitlines()]
    reason = next((line for line in lines if line), type(exc).__name__)
    for secret in {url_password(location), urlsplit(location).password or ""} - {""}:
        reason = reason.replace(secret, "***")
    where = shown_location(location)
    if "://" in location and not location.startswith("sqlite") and "does not exist" in reason:
        return t("no database {where} on the server ({reason}): check --db; Windykacja never "
                 "creates a PostgreSQL database (createdb does)", where=where, reason=reason)
    return t("cannot open the database {where}: {reason}", where=where, reason=reason)
