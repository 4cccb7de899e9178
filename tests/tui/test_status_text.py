"""The status line in words: a demand hold comes first, as a narrow terminal cuts the end."""

import datetime as dt
from zoneinfo import ZoneInfo

from windykacja.ledger.clock import Clock
from windykacja.lists.status import CollectionStatus
from windykacja.tui.status_text import describe_status


def test_a_demand_hold_leads_the_status_line():
    status = CollectionStatus(True, None, dt.datetime(2026, 11, 24, 9, 0), 2,
                              demands_held_since=dt.date(2026, 11, 16))
    assert describe_status(status, None, True) == (
        "demands held · no pass yet · next 24.11 09:00 · 2 need attention")
    fresh = CollectionStatus(True, None, dt.datetime(2026, 11, 24, 9, 0), 0)
    assert describe_status(fresh, None, True) == "no pass yet · next 24.11 09:00"


async def test_the_top_line_says_a_rate_is_missing_until_it_is_added(demo_db, make_app, clock):
    """The demo's business demands of the coming days fall in 2026 H2, which the shipped
    table lacks: the top line of every screen says so, first, in both languages, and
    stops once the rate is added."""
    from windykacja.ledger.rates import add_interest_rate

    from .conftest import settle

    for language, words in (("en", "no interest rate 2026 H2"),
                            ("pl", "brak stawki odsetek 2026 H2")):
        app = make_app(demo_db, language)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            top = str(app.screen.query_one("StatusBar #worker").content)
            assert top.startswith(words), top
    add_interest_rate(clock, "business", "2026-07-01", "13.75", "M.P. test notice", "test")
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        top = str(app.screen.query_one("StatusBar #worker").content)
        assert "rate" not in top, top


def test_a_failing_ksef_sync_leads_the_status_line_briefly():
    status = CollectionStatus(True, None, dt.datetime(2026, 11, 24, 9, 0), 0,
                              demands_held_since=dt.date(2026, 11, 16))
    assert describe_status(status, None, True, ksef_failure="token") == (
        "demands held · KSeF: token wrong or revoked — see status · no pass yet · "
        "next 24.11 09:00")
    assert describe_status(status, None, True, ksef_failure="") == (
        "demands held · no pass yet · next 24.11 09:00")


async def test_the_top_line_says_the_ksef_sync_fails_until_it_works(demo_db, make_app,
                                                                   monkeypatch):
    """A revoked token, stored by a real sync against the stand-in: the top line says so
    in both languages without asking KSeF anything, and says nothing once a sync works."""
    from ksef_standin import SELLER_NIP, KsefStandIn

    from windykacja.importers.ksef_sync import sync_ksef
    from windykacja.ledger.ksef_access import TOKEN_ENV
    from windykacja.ledger.settings import load_settings, save_settings

    from .conftest import settle

    with KsefStandIn() as ksef:
        monkeypatch.setenv(TOKEN_ENV, ksef.token)
        save_settings({"ksef.environment": ksef.url, "ksef.nip": SELLER_NIP}, "test",
                      dt.datetime(2026, 11, 23, 8, 0))
        ksef.token_revoked = True
        assert sync_ksef(StandInClock(ksef), load_settings()).failure == "token"
        asked = len(ksef.requests)
        for language, words in (("en", "KSeF: token wrong or revoked — see status"),
                                ("pl", "KSeF: token nieważny — zob. status")):
            app = make_app(demo_db, language)
            async with app.run_test(size=(80, 24)) as pilot:
                await settle(pilot)
                top = str(app.screen.query_one("StatusBar #worker").content)
                assert words in top, top
        assert len(ksef.requests) == asked  # start-up reads one row, asks KSeF nothing

        ksef.token_revoked = False
        assert sync_ksef(StandInClock(ksef), load_settings()).failure is None
        app = make_app(demo_db)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            top = str(app.screen.query_one("StatusBar #worker").content)
            assert "KSeF" not in top, top


class StandInClock(Clock):
    """The stand-in's time as our clock (its tokens and "now" agree with ours)."""

    def __init__(self, standin) -> None:
        self.standin = standin
        self.timezone = ZoneInfo("Europe/Warsaw")

    def now(self) -> dt.datetime:
        return self.standin.now()


async def test_the_top_line_says_the_mailbox_cannot_be_read_until_it_can(demo_db, make_app,
                                                                       clock, tmp_path):
    """A Maildir that is not there, read for real: the top line says so first, in both
    languages, and nothing once the folder exists and has been read."""
    from windykacja.importers.inbox import fetch_inbox
    from windykacja.ledger.settings import load_settings, save_settings

    from .conftest import settle

    maildir = tmp_path / "Maildir"
    save_settings({"inbox.maildir": str(maildir)}, "test", clock.now())
    assert fetch_inbox(clock, load_settings())[0].failure == "folder"
    for language, words in (("en", "mailbox: no such folder — see status"),
                            ("pl", "skrzynka: nie ma takiego folderu — zob. status")):
        app = make_app(demo_db, language)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            top = str(app.screen.query_one("StatusBar #worker").content)
            assert words in top, top
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    assert fetch_inbox(clock, load_settings())[0].failure is None
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        top = str(app.screen.query_one("StatusBar #worker").content)
        assert "mailbox" not in top, top
