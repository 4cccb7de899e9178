"""The app as a whole: first run, help, the palette, languages, errors, the worker."""

from __future__ import annotations

import datetime as dt
import re

from textual.widgets import Static

from windykacja.ledger.actions import create_contractor
from windykacja.ledger.clock import FixedClock
from windykacja.ledger.settings import save_settings
from windykacja.models import Contractor, Document, PassRun, WorkerLease
from windykacja.models.db import open_database
from windykacja.session import Context
from windykacja.tui import i18n
from windykacja.tui.app import WindykacjaApp
from windykacja.tui.screens.help import HelpScreen
from windykacja.tui.screens.unpaid import UnpaidScreen
from windykacja.tui.screens.welcome import WelcomeScreen
from windykacja.tui.widgets.form import Field

from .conftest import settle


def status_line(app) -> str:
    return str(app.screen.query_one("StatusBar #worker", Static).content)


async def test_an_empty_database_opens_the_welcome_screen_and_loads_the_demo(db_location,
                                                                             make_app):
    app = make_app(db_location("new.db"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert "Collection off" in status_line(app)
        await pilot.press("d")
        await settle(pilot, timeout=60)  # 2000 documents: seconds on a busy machine
        assert Document.select().count() == 2000
        assert isinstance(app.screen, UnpaidScreen)


async def test_a_bad_import_names_its_line_and_stores_nothing(db_location, tmp_path, make_app):
    bad = tmp_path / "kontrahenci.csv"
    bad.write_text("code;name;nip;email\nK1;Alfa;;alfa@example.pl\nK2;Beta;123;beta@\n",
                   encoding="utf-8")
    app = make_app(db_location("new.db"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#path", Field).value = str(bad)
        await pilot.press("i")
        await settle(pilot)
        result = str(app.screen.query_one("#result", Static).content)
        assert "Nothing was imported" in result
        assert "line 3" in result
        assert Contractor.select().count() == 0


async def test_a_good_import_reports_what_it_stored(db_location, tmp_path, make_app):
    good = tmp_path / "kontrahenci.csv"
    good.write_text("code;name;email\n" + "".join(
        f"K{i};Firma {i};biuro{i}@example.pl\n" for i in range(450)), encoding="utf-8")
    app = make_app(db_location("new.db"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#path", Field).value = str(good)
        await pilot.press("i")
        await settle(pilot)
        assert "450 rows — 450 created" in str(app.screen.query_one("#result", Static).content)
        assert Contractor.select().count() == 450


async def test_first_run_with_collection_never_set_up_opens_the_wizard(db_location, make_app,
                                                                      clock):
    from windykacja.tui.screens.wizard import WizardScreen

    open_database(str(db_location("firm.db")))
    create_contractor(clock, code="K1", name="Alfa", emails="a@example.pl")
    app = make_app(db_location("firm.db"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)


async def test_question_mark_lists_the_keys_of_the_screen(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.text()
        for words in ("**Space** — Mark", "**p** — Pay", "**1** — Unpaid documents",
                      "**Ctrl+P**", "**/** — Search"):
            assert words in text
        assert "slash" not in text  # keys as printed on the keyboard, not Textual's names
        await pilot.press("escape")
        assert isinstance(app.screen, UnpaidScreen)


async def test_the_palette_offers_every_screen_and_the_screens_actions(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Go to: Unpaid documents", "Go to: Contractors", "Go to: Activity",
                      "Go to: Outbox", "Go to: Forecast", "Go to: Settings",
                      "Setup wizard: set up collection step by step", "Pay", "Exclude",
                      "Mark"):
            assert title in titles


async def test_polish_interface(demo_db, make_app):
    app = make_app(demo_db, language="pl")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Nierozliczone dokumenty" in str(
            app.screen.query_one("StatusBar #where", Static).content)
        header = app.screen.query_one("#documents").render_line(0).text
        assert "Kontrahent" in header and "Do zapłaty" in header
        # A count with its Polish plural form: "378 dokumentów", never "dokumentów: 378".
        assert re.match(r"\d+ dokument(y|ów)? · ",
                        str(app.screen.query_one("#totals", Static).content))
    i18n.set_language("en")


async def test_an_unexpected_error_is_shown_in_words_and_the_app_goes_on(demo_db, make_app):
    app = make_app(demo_db, catch_errors=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        def broken() -> None:
            raise RuntimeError("disk full")

        app.screen.action_overdue = broken
        await pilot.press("o")
        await pilot.pause()
        assert app.is_running
        assert any("Something went wrong: disk full" in str(n.message)
                   for n in app._notifications)


async def test_the_in_app_worker_runs_the_pass_and_the_status_line_says_so(demo_db, tmp_path):
    open_database(str(demo_db))
    save_settings({"module.enabled": "yes"}, "test", dt.datetime(2026, 11, 24, 8))
    clock = FixedClock(dt.date(2026, 11, 24), dt.time(9, 30))  # Tuesday, after the hour
    app = WindykacjaApp(Context(str(demo_db), clock, "en"), start_worker=True,
                        worker_poll_seconds=0.1)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(200):
            if PassRun.select().where((PassRun.pass_date == clock.today())
                                      & PassRun.finished_at.is_null(False)).exists():
                break
            await pilot.pause(0.05)
        app.update_status()
        await pilot.pause()
        assert "last pass 24.11" in status_line(app)
        assert "next 25.11 09:00" in status_line(app)
        assert app.collection_worker.status.holds_lease
    assert app.worker_stopped.is_set()  # quitting stops the worker and frees the lease
    assert not WorkerLease.select().where(WorkerLease.expires_at > dt.datetime(2026, 11, 24)
                                          ).exists()


async def test_escape_goes_back_home_from_a_screen_that_does_not_use_it(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert app.current_mode == "forecast"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UnpaidScreen)
