"""Shared fixtures: a real SQLite file per test and a fixed clock."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import uuid
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

import pytest
from smtp_test_server import SMTP_TEST_PASSWORD, SMTP_TEST_USER, SmtpTestServer

from windykacja.dunning.actions import create_contractor, create_document
from windykacja.dunning.clock import FixedClock
from windykacja.dunning.settings import load_settings, save_settings
from windykacja.models import database
from windykacja.models.db import open_database


@pytest.fixture
def db(tmp_path):
    """A fresh, migrated SQLite database file in the test's temporary folder."""
    database = open_database(str(tmp_path / "windykacja.db"))
    yield database
    database.close()


# A PostgreSQL server to test against (``.ci/run`` starts a throw-away one).
PG_SERVER = os.environ.get("WINDYKACJA_TEST_PG", "")


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_SERVER, autocommit=True) as connection:
        connection.execute(sql)


@pytest.fixture
def pg_url():
    """The URL of a fresh PostgreSQL database of the test's own, dropped afterwards;
    the test is skipped, saying why, when no server is configured."""
    if not PG_SERVER:
        pytest.skip("WINDYKACJA_TEST_PG is not set: no PostgreSQL server to test against")
    name = f"windykacja_test_{uuid.uuid4().hex[:10]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(PG_SERVER)._replace(path=f"/{name}"))
    database.close()
    _pg_admin(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def clock():
    """Monday 2026-11-23, 09:00 in Warsaw."""
    return FixedClock(dt.date(2026, 11, 23))


# --- collection set-up shared by the engine tests ------------------------------------

COLLECTION_ON = {
    "module.enabled": "yes",
    "company.name": "Przykładowa Firma sp. z o.o.",
    "company.bank_account": "PL61 1090 1014 0000 0712 1981 2874",
    "sender.name": "Dział należności",
    "sender.email": "windykacja@przykladowa.pl",
}


@pytest.fixture
def collection(db, clock):
    """Collection switched on with the wizard's defaults; returns a small factory."""
    save_settings(COLLECTION_ON, "test", clock.now())
    return Ledger(clock)


class Ledger:
    """Creates contractors and documents the way the application does."""

    _numbers = itertools.count(1)

    def __init__(self, clock) -> None:
        self.clock = clock

    def contractor(self, code=None, email="klient@example.pl", **fields):
        code = code or f"K{next(self._numbers)}"
        fields.setdefault("name", f"Klient {code} sp. z o.o.")
        return create_contractor(self.clock, code=code, emails=email, **fields)

    def document(self, contractor, due, gross="1000.00", issued=None, number=None, **kw):
        number = number or f"FV/{next(self._numbers)}"
        issued = issued or due - dt.timedelta(days=14)
        return create_document(
            self.clock, load_settings(), contractor, number, issued, due, Decimal(gross), **kw
        )




@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1 on a free port, stopped after the test.

    It accepts AUTH PLAIN/LOGIN without TLS for SMTP_TEST_USER / SMTP_TEST_PASSWORD
    (logging in is optional). See tests/smtp_test_server.py for what it records and how to make
    it refuse recipients, fail DATA or drop connections.
    """
    server = SmtpTestServer(users={SMTP_TEST_USER: SMTP_TEST_PASSWORD})
    server.start()
    yield server
    server.stop()
