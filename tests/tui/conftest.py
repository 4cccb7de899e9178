"""Fixtures for the interface: the app on a real database, driven by Pilot.

``demo_db`` builds the demo database once per test session (about 5 s) and gives
each test its own copy: of an SQLite file, or on the PostgreSQL run of a template database
(CREATE DATABASE … TEMPLATE). The app runs without its collection worker unless a test
starts it, so that nothing is sent behind a test's back; the clock is fixed at
Monday 2026-11-23 09:00.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from database_switch import ON_POSTGRES, PG_SERVER, PostgresServer
from textual.widgets import Input

from windykacja.demo import build_demo
from windykacja.ledger.clock import FixedClock
from windykacja.models import database
from windykacja.models.db import open_database
from windykacja.session import Context
from windykacja.tui.app import WindykacjaApp

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch):
    """A blinking cursor makes screenshots differ from run to run."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


def _fill_demo(location: str) -> None:
    open_database(location)
    build_demo(FixedClock(TODAY))
    database.close()


@pytest.fixture(scope="session")
def demo_template(request, tmp_path_factory):
    """The demo database, built once: an SQLite file, or a PostgreSQL database's name."""
    if ON_POSTGRES:
        yield from PostgresServer(PG_SERVER).template("windykacja_demo", _fill_demo)
        return
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    _fill_demo(str(path))
    yield path


@pytest.fixture
def demo_db(request, demo_template, tmp_path):
    """A private copy of the demo database, opened and bound to the models: its path, or
    on the PostgreSQL run its URL."""
    if ON_POSTGRES:
        location = request.getfixturevalue("pg_databases")(demo_template)
    else:
        location = tmp_path / "demo.db"
        shutil.copy(demo_template, location)
    db = open_database(str(location))
    yield location
    db.close()


@pytest.fixture
def make_app(clock):
    """``make_app(path, language="en")`` → the app on that database, worker off."""
    def make(path, language: str = "en", **kwargs) -> WindykacjaApp:
        open_database(str(path))
        kwargs.setdefault("start_worker", False)
        return WindykacjaApp(Context(str(path), clock, language), **kwargs)
    return make


async def settle(pilot, wait: float = 0.0, timeout: float = 8.0) -> None:
    """Wait ``wait`` seconds (a debounce), then until the app's workers have finished
    (at most ``timeout`` seconds) and the screen has caught up (a worker replaced by a
    newer one counts as finished)."""
    if wait:
        await pilot.pause(wait)
    for _ in range(int(timeout / 0.02)):
        if not any(worker.is_running for worker in pilot.app.workers):
            break
        await pilot.pause(0.02)
    await pilot.pause()


async def open_document(app, pilot, document):
    """Push the document screen for ``document`` once the app has settled."""
    from windykacja.tui.screens.document import DocumentScreen

    await settle(pilot)
    await app.push_screen(DocumentScreen(document.id))
    await pilot.pause()
    return app.screen
