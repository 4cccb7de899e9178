"""Shared fixtures: a fresh database per test (an SQLite file, or a PostgreSQL database
when the suite runs on PostgreSQL) and a fixed clock.

The database switch: ``WINDYKACJA_TEST_DB=postgresql`` with ``WINDYKACJA_TEST_PG`` naming a
server (``postgresql://user@host:port/postgres``; ``.ci/run`` starts a throw-away one) runs
every test on PostgreSQL instead of SQLite files. Tests get their database from the ``db``
fixture or, for a database location to hand to ``main(["--db", ...])`` or ``make_app``,
from ``db_location``. Tests about SQLite itself carry ``@pytest.mark.sqlite_only("why")``
and are skipped on the PostgreSQL run with that reason.
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from database_switch import (
    ON_POSTGRES,
    PG_SERVER,
    TEST_DB,
    PostgresServer,
    close_bound_database,
    without_password,
)
from imap_test_server import DovecotServer, DovecotUnavailable
from ksef_standin import KsefStandIn
from smtp_test_server import SMTP_TEST_PASSWORD, SMTP_TEST_USER, SmtpTestServer

from windykacja.ledger.actions import create_contractor, create_document
from windykacja.ledger.clock import FixedClock
from windykacja.ledger.ksef_access import TOKEN_ENV
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import database
from windykacja.models.db import open_database
from windykacja.recovery.hooks import register_hooks


def pytest_configure(config: pytest.Config) -> None:
    # What app.main does first for every run of the program (recovery/hooks.py); tests
    # that drive the interface or the engine directly start from the same state.
    register_hooks()
    if TEST_DB not in ("sqlite", "postgresql", "postgres"):
        raise pytest.UsageError(
            f"WINDYKACJA_TEST_DB={TEST_DB!r}: use 'sqlite' (the default) or 'postgresql'"
        )
    if ON_POSTGRES and not PG_SERVER:
        # Never fall back to SQLite silently: the run would claim a PostgreSQL pass.
        raise pytest.UsageError(
            "WINDYKACJA_TEST_DB=postgresql needs WINDYKACJA_TEST_PG=postgresql://…/postgres"
        )


def pytest_report_header(config: pytest.Config) -> str:
    if ON_POSTGRES:
        return f"database: PostgreSQL ({without_password(PG_SERVER)})"
    return "database: SQLite files in each test's temporary folder"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is None:
            continue
        reason = marker.args[0] if marker.args else marker.kwargs.get("reason", "")
        if not reason:
            raise pytest.UsageError(f"{item.nodeid}: sqlite_only needs a reason")
        if ON_POSTGRES:
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


def _pg_server() -> PostgresServer:
    if not PG_SERVER:
        pytest.skip("WINDYKACJA_TEST_PG is not set: no PostgreSQL server to test against")
    return PostgresServer(PG_SERVER)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """The name of a migrated PostgreSQL database that each test's database copies."""
    yield from _pg_server().template("windykacja_tpl", lambda url: open_database(url))


@pytest.fixture
def pg_databases() -> Iterator[Callable[[str | None], str]]:
    """``make(template)`` → the URL of a new PostgreSQL database, dropped after the test."""
    server, made = _pg_server(), []

    def make(template: str | None) -> str:
        made.append(server.create("windykacja_test", template))
        return server.url_of(made[-1])

    yield make
    close_bound_database()
    for name in made:
        server.drop(name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """An empty SQLite database at the shipped schema, copied for each test that asks."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    bound = database.obj  # made lazily, maybe mid-test: the test's binding is put back
    open_database(str(path)).close()
    database.initialize(bound)
    return path


@pytest.fixture
def db_location(request, tmp_path) -> Callable[..., str]:
    """``db_location(name="windykacja.db", migrated=True)`` → where this test's database
    ``name`` lives: an SQLite file in tmp_path, or on the PostgreSQL run the URL of a
    database of the test's own (a copy of the migrated template; an empty one with
    ``migrated=False``). The same name gives the same database within a test."""
    if not ON_POSTGRES:
        def path(name: str = "windykacja.db", migrated: bool = True) -> str:
            # A command opens only a database that exists (session.py): a migrated
            # one is a copy of the template, as on PostgreSQL; migrated=False, no file.
            place = tmp_path / name
            if migrated and not place.exists():
                shutil.copyfile(request.getfixturevalue("sqlite_template"), place)
            return str(place)

        return path
    make = request.getfixturevalue("pg_databases")
    given: dict[str, str] = {}

    def location(name: str = "windykacja.db", migrated: bool = True) -> str:
        if name not in given:
            template = request.getfixturevalue("pg_template") if migrated else None
            given[name] = make(template)
        return given[name]

    return location


@pytest.fixture
def db(db_location):
    """A fresh, migrated database: an SQLite file, or a PostgreSQL database on that run."""
    database = open_database(db_location())
    yield database
    database.close()


@pytest.fixture
def pg_url(pg_databases):
    """The URL of a fresh, empty PostgreSQL database of the test's own, dropped afterwards;
    the test is skipped, saying why, when no server is configured."""
    return pg_databases(None)


@pytest.fixture(autouse=True)
def private_data_home(tmp_path_factory, monkeypatch):
    """The user's data directory (platformdirs follows XDG_DATA_HOME) in a folder of the
    test's own: on PostgreSQL there is no file beside which the default outbox could
    go, and no test may write into the real ~/.local/share or see another test's mail.
    The log folder likewise: commands log to a rotating file (logs.py); and the cache
    folder (the holidays of ledger/calendar.py)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data-home")))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache-home")))
    monkeypatch.setenv("WINDYKACJA_LOG_DIR", str(tmp_path_factory.mktemp("logs")))


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A command run with ``--lang pl`` (or a Polish interface) sets the language for the
    process (``app.main``); the next test starts in English again, whatever ran before."""
    from windykacja.i18n import set_language

    yield
    set_language("en")


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


@pytest.fixture(scope="session")
def dovecot():
    """A real IMAP server (Dovecot) on 127.0.0.1, one per test session
    (tests/imap_test_server.py).

    Skipped, with the reason, where Dovecot is not installed (``.ci/imap.sh`` installs
    Debian's dovecot-imapd) or does not start. Prefer ``imap_mailbox``: a fresh user.
    """
    try:
        server = DovecotServer().start()
    except DovecotUnavailable as reason:
        pytest.skip(str(reason))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dovecot_without_move():
    """A second Dovecot whose IMAP offers no MOVE (COPY + UID EXPUNGE instead), as some
    servers do; skipped, with the reason, like ``dovecot``."""
    try:
        server = DovecotServer(without_capabilities=["MOVE"]).start()
    except DovecotUnavailable as reason:
        pytest.skip(str(reason))
    yield server
    server.stop()


@pytest.fixture
def imap_mailbox(dovecot):
    """A fresh, empty mailbox on the ``dovecot`` server: ``.url`` / ``.imaps_url``,
    ``.user``, ``.password``, ``.ssl_context()`` (trusts the server's self-signed
    certificate), ``.append(raw_bytes)`` delivers a message into INBOX and returns its UID."""
    return dovecot.mailbox()


@pytest.fixture
def ksef(monkeypatch):
    """A local KSeF stand-in (tests/ksef_standin.py), its token in the environment the way
    the program reads it."""
    with KsefStandIn() as standin:
        monkeypatch.setenv(TOKEN_ENV, standin.token)
        yield standin
