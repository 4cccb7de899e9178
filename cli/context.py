"""What every command needs: the opened database, the clock, settings, paths."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from platformdirs import user_data_dir

from ..dunning.clock import Clock, FixedClock, SystemClock
from ..dunning.settings import CollectionSettings, load_settings
from ..models.db import BackupBeforeMigrationFailed, default_location, open_database


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
    raise CommandError(f"'{text}' is not a date (use YYYY-MM-DD)")


def open_context(location: str | None, language: str, today: str | None = None) -> Context:
    where = location or default_location()
    try:
        open_database(where)
    except BackupBeforeMigrationFailed as exc:
        raise CommandError(str(exc)) from None
    timezone = ZoneInfo(load_settings().timezone)
    clock: Clock = (
        FixedClock(parse_day(today), timezone=timezone) if today else SystemClock(timezone)
    )
    return Context(where, clock, language)


def say(text: str = "") -> None:
    print(text)


def warn(text: str) -> None:
    print(text, file=sys.stderr)
