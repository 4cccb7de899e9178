"""Shared fixtures: a real SQLite file per test and a fixed clock."""

from __future__ import annotations

import datetime as dt

import pytest

from windykacja.dunning.clock import FixedClock
from windykacja.models.db import open_database


@pytest.fixture
def db(tmp_path):
    """A fresh, migrated SQLite database file in the test's temporary folder."""
    database = open_database(str(tmp_path / "windykacja.db"))
    yield database
    database.close()


@pytest.fixture
def clock():
    """Monday 2026-11-23, 09:00 in Warsaw."""
    return FixedClock(dt.date(2026, 11, 23))
